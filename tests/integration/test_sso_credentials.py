"""IAM Identity Center profiles resolved by credctl and by botocore against the same fake portal
and the same token cache: same credentials, same calls, refresh included, the cache shared both
ways; and whoami on a cached SSO profile costing one call (GetCallerIdentity, at moto)."""
import json
import re
import time

import pytest

from fake_sso import FakeSSO
from fault_proxy import FaultProxy
from sso_support import (LEGACY_CONFIG, SESSION_CONFIG, START_URL, botocore_credentials, fake_sso,  # noqa: F401
                         moto_role_credentials, secrets_of, seed_token, token_path, write_config)

UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def export(credctl, profile, env, *extra):
    r = credctl("creds", "export", "--format", "process", "--profile", profile, *extra, env=env)
    assert r.code == 0, r
    return json.loads(r.out)


def same_credentials(exported, boto):
    return (exported["AccessKeyId"], exported["SecretAccessKey"], exported["SessionToken"]) == \
        (boto["access_key"], boto["secret_key"], boto["token"])


@pytest.mark.parametrize("config,profile,source,account", [
    (SESSION_CONFIG, "dev", "corp", "111111111111"),
    (LEGACY_CONFIG, "old", START_URL, "222222222222"),
])
def test_profile_resolves_as_botocore_does(credctl, home, fake_sso, config, profile, source, account):
    write_config(home, config)
    seed_token(home, fake_sso, source=source)
    boto = botocore_credentials(home, profile, fake_sso.env())
    assert boto["method"] == "sso", boto
    boto_calls = [(c["op"], c["query"]) for c in fake_sso.calls]
    fake_sso.calls.clear()
    mine = export(credctl, profile, fake_sso.env(), "--no-cache")
    assert same_credentials(mine, boto)
    assert [(c["op"], c["query"]) for c in fake_sso.calls] == boto_calls == [
        ("GetRoleCredentials", {"role_name": "Admin", "account_id": account})]
    assert all("authorization" not in c["headers"] for c in fake_sso.calls)


def test_refresh_matches_botocore_and_the_cache_is_shared_both_ways(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    path = token_path(home, "corp")
    # botocore refreshes a token with 5 minutes left...
    seed_token(home, fake_sso, expires_in=300)
    boto = botocore_credentials(home, "dev", fake_sso.env())
    boto_calls = [(c["op"], sorted((c["body"] or {}).keys()), (c["body"] or {}).get("grantType")) for c in fake_sso.calls]
    boto_written = json.loads(path.read_text())
    # ...and credctl reads what botocore wrote without refreshing again.
    fake_sso.calls.clear()
    mine = export(credctl, "dev", fake_sso.env(), "--no-cache")
    assert same_credentials(mine, boto)
    assert fake_sso.ops() == ["GetRoleCredentials"]
    # credctl refreshes the same way, from the same state...
    seeded = seed_token(home, fake_sso, expires_in=300)
    fake_sso.calls.clear()
    export(credctl, "dev", fake_sso.env(), "--no-cache")
    fake_sso_calls = [(c["op"], sorted((c["body"] or {}).keys()), (c["body"] or {}).get("grantType")) for c in fake_sso.calls]
    assert fake_sso_calls == boto_calls == [
        ("CreateToken", ["clientId", "clientSecret", "grantType", "refreshToken"], "refresh_token"),
        ("GetRoleCredentials", [], None)]
    mine_written = json.loads(path.read_text())
    assert list(mine_written) == list(boto_written)
    assert UTC.match(mine_written["expiresAt"]) and UTC.match(boto_written["expiresAt"])
    assert mine_written["registrationExpiresAt"] == seeded["registrationExpiresAt"]  # copied unchanged, as botocore does
    assert mine_written["accessToken"] in fake_sso.valid_tokens() and mine_written["refreshToken"] in fake_sso.refresh_tokens
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    # ...and botocore reads what credctl wrote without refreshing.
    fake_sso.calls.clear()
    assert botocore_credentials(home, "dev", fake_sso.env())["method"] == "sso"
    assert fake_sso.ops() == ["GetRoleCredentials"]


def test_refresh_refused_while_the_token_is_still_valid_uses_the_old_token(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    doc = seed_token(home, fake_sso, expires_in=300)
    fake_sso.refresh_tokens.clear()  # the service no longer knows the refresh token
    boto = botocore_credentials(home, "dev", fake_sso.env())
    boto_ops = fake_sso.ops()
    fake_sso.calls.clear()
    mine = export(credctl, "dev", fake_sso.env(), "--no-cache")
    assert same_credentials(mine, boto)
    assert fake_sso.ops() == boto_ops == ["CreateToken", "GetRoleCredentials"]
    assert json.loads(token_path(home, "corp").read_text()) == doc  # nothing written back


def test_whoami_on_a_cached_sso_profile_makes_one_call(credctl, home, moto, roles):
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake, FaultProxy(moto) as sts:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        env = fake.env(AWS_ENDPOINT_URL_STS=sts.url)
        first = credctl("whoami", "--profile", "dev", env=env)
        assert first.code == 0, first
        assert fake.ops() == ["GetRoleCredentials"] and [a for a, _, _ in sts.actions()] == ["GetCallerIdentity"]
        assert ":assumed-role/r1/sso-Admin" in first.out
        assert "Credentials  sso, profile dev" in first.out and "role Admin in account 111111111111, sso-session corp" in first.out
        second = credctl("whoami", "--profile", "dev", "--output", "json", env=env)
        assert second.code == 0, second
        assert fake.ops() == ["GetRoleCredentials"]  # nothing more at the portal
        assert [a for a, _, _ in sts.actions()] == ["GetCallerIdentity", "GetCallerIdentity"]
        report = json.loads(second.out)["Credentials"]
        assert report["Provider"] == "sso" and report["FromCache"] is True
        assert report["SSO"]["SessionName"] == "corp" and report["SSO"]["AccountId"] == "111111111111"
        assert report["SSO"]["TokenRefreshed"] is False and UTC.match(report["SSO"]["TokenExpiration"])


def test_role_profile_with_an_sso_source_profile(credctl, home, moto, roles):
    """botocore resolves a source_profile through its SSO provider too."""
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake:
        write_config(home, SESSION_CONFIG + f"\n[profile admin]\nrole_arn = {roles['r2']}\nsource_profile = dev\nregion = us-east-1\n")
        seed_token(home, fake)
        env = fake.env(AWS_ENDPOINT_URL_STS=moto.url)
        boto = botocore_credentials(home, "admin", env)
        assert boto.get("method") == "assume-role", boto
        r = credctl("whoami", "--profile", "admin", "--no-cache", env=env)
        assert r.code == 0, r
        assert ":assumed-role/r2/" in r.out and "profile dev" in r.out


def test_no_token_or_secret_appears_anywhere(credctl, home, moto, roles):
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake, expires_in=300)  # refreshed on the way: every secret goes through
        env = fake.env(AWS_ENDPOINT_URL_STS=moto.url)
        outputs = []
        for args in (["whoami", "--debug"], ["creds", "show", "--debug"], ["doctor", "--debug"], ["whoami", "--debug", "--output", "json"]):
            r = credctl(*args, "--profile", "dev", env=env)
            assert r.code == 0, r
            outputs += [r.out, r.err]
        role = list(fake.role_credentials.issued.values())[0]
        for secret in secrets_of(fake, home) | {role["secretAccessKey"], role["sessionToken"]}:
            assert not any(secret in text for text in outputs), "a secret was printed"
        assert "x-amz-sso_bearer_token: <redacted>" in "".join(outputs)
        sso_secrets = secrets_of(fake, home)
        credctl_cache = list((home / ".aws" / "credctl" / "cache").rglob("*.json"))
        assert credctl_cache
        for f in credctl_cache:
            assert oct(f.stat().st_mode & 0o777) == "0o600"
            assert not any(s in f.read_text() for s in sso_secrets)


def test_cached_role_credentials_need_no_token(credctl, home, fake_sso):
    """As botocore's fetcher: cached role credentials are used before the token is even read."""
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    first = export(credctl, "dev", fake_sso.env())
    token_path(home, "corp").unlink()
    fake_sso.calls.clear()
    again = export(credctl, "dev", fake_sso.env())
    assert again == first and fake_sso.calls == []
    r = credctl("creds", "export", "--profile", "dev", "--no-cache", env=fake_sso.env())
    assert r.code == 3 and "credctl sso login --profile dev" in r.err


def test_expiring_role_credentials_are_fetched_again(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    fake_sso.role_credentials = lambda a, r: dict(fake_sso.static_role_credentials(a, r), expiration=int((time.time() + 600) * 1000))
    export(credctl, "dev", fake_sso.env())
    export(credctl, "dev", fake_sso.env())
    assert fake_sso.ops() == ["GetRoleCredentials", "GetRoleCredentials"]  # 10 minutes left: inside the 15-minute window


def test_exec_assume_and_request_work_on_an_sso_profile(credctl, home, moto, roles):
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        env = fake.env(AWS_ENDPOINT_URL_STS=moto.url)
        role = fake.role_credentials("111111111111", "Admin")
        r = credctl("creds", "exec", "--profile", "dev", "--", "sh", "-c", 'echo "$AWS_ACCESS_KEY_ID|$AWS_REGION"', env=env)
        assert r.code == 0 and r.out == f"{role['accessKeyId']}|us-east-1\n", r
        r = credctl("assume", roles["r2"], "--profile", "dev", "--session-name", "from-sso", "--format", "json", env=env)
        assert r.code == 0, r
        assert json.loads(r.out)["AccessKeyId"].startswith("ASIA")
        r = credctl("request", "--service", "sts", "-d", "Action=GetCallerIdentity&Version=2011-06-15", moto.url + "/", "--profile", "dev",
                    env=env)
        assert r.code == 0 and ":assumed-role/r1/sso-Admin" in r.out, r
        assert role["sessionToken"] not in r.out
