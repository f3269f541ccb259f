"""Generated IAM Identity Center setups resolved by botocore and by credctl: sso_session and
legacy profiles, sessions missing or incomplete, values that disagree, account or role missing,
tokens valid, expired or absent, keys in the credentials file, environment keys. The winning
provider (or the fact of an error, or of nothing found) must agree every time."""
import json
import random

from sso_support import START_URL, botocore_credentials, fake_sso, seed_token, write_config  # noqa: F401

SCENARIOS = 60
OTHER_URL = "https://other.awsapps.com/start"


def generate(rng):
    session = rng.choice(["valid"] * 6 + ["no-region", "no-url", "none"])
    lines = ["[profile p]"]
    uses_session = rng.random() < 0.6
    if uses_session:
        lines.append(f"sso_session = {rng.choice(['corp'] * 5 + ['nope'])}")
        url = rng.choice([None] * 4 + [START_URL, OTHER_URL])
        region = rng.choice([None] * 4 + ["us-east-1", "eu-west-1"])
    else:
        url = rng.choice([START_URL] * 5 + [None])
        region = rng.choice(["us-east-1"] * 5 + [None])
    if url:
        lines.append(f"sso_start_url = {url}")
    if region:
        lines.append(f"sso_region = {region}")
    keys = rng.choice(["both"] * 6 + ["account", "role", "neither", "neither"])
    if keys in ("both", "account"):
        lines.append("sso_account_id = 111111111111")
    if keys in ("both", "role"):
        lines.append("sso_role_name = Admin")
    lines.append("region = us-east-1")
    config = "\n".join(lines) + "\n"
    if session != "none":
        config += "\n[sso-session corp]\n"
        if session != "no-url":
            config += f"sso_start_url = {START_URL}\n"
        if session != "no-region":
            config += "sso_region = us-east-1\n"
    token = rng.choice(["valid"] * 4 + ["expired", "absent"])
    credentials = "[p]\naws_access_key_id = AKIAFILEKEY000000001\naws_secret_access_key = file-secret\n" if rng.random() < 0.35 else ""
    env = {}
    if rng.random() < 0.15:
        env = {"AWS_ACCESS_KEY_ID": "AKIAENVKEY0000000001", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_PROFILE": "p"}
    return config, token, uses_session, credentials, env


def outcome_of_credctl(result):
    if result.code == 0:
        return ("found", json.loads(result.out)["Credentials"]["Provider"])
    if result.code == 3 and "no AWS credentials found" in result.err:
        return ("none", None)
    assert result.code in (2, 3), result
    return ("error", None)


def outcome_of_botocore(doc):
    if "error" in doc:
        return ("error", None)
    if doc["method"] is None:
        return ("none", None)
    return ("found", {"sso": "sso", "env": "environment", "shared-credentials-file": "shared-credentials-file"}.get(doc["method"], doc["method"]))


def test_generated_sso_setups_resolve_as_botocore_does(credctl, home, fake_sso):
    rng = random.Random(20261124)
    seen, mismatches = {}, []
    for i in range(SCENARIOS):
        config, token, uses_session, credentials, env = generate(rng)
        write_config(home, config)
        (home / ".aws" / "credentials").write_text(credentials)
        cache = home / ".aws" / "sso" / "cache"
        for f in cache.glob("*.json") if cache.exists() else []:
            f.unlink()
        if token != "absent":
            seed_token(home, fake_sso, source="corp" if uses_session else START_URL, expires_in=3600 if token == "valid" else -60,
                       refreshable=False)
        boto = outcome_of_botocore(botocore_credentials(home, "" if env else "p", dict(fake_sso.env(), **env)))
        args = ["creds", "show", "--no-cache", "--output", "json"] + ([] if env else ["--profile", "p"])
        mine = outcome_of_credctl(r := credctl(*args, env=dict(fake_sso.env(), **env)))
        seen[boto[1] or boto[0]] = seen.get(boto[1] or boto[0], 0) + 1
        if boto != mine:
            mismatches.append(f"scenario {i}: botocore {boto}, credctl {mine}\ntoken={token} env={sorted(env)}\n{config}{credentials}\n{r.err}")
    assert not mismatches, "\n\n".join(mismatches[:3]) + f"\n({len(mismatches)} of {SCENARIOS} differ)"
    for kind in ("sso", "error", "shared-credentials-file", "environment", "none"):
        assert seen.get(kind, 0) > 0, seen
