"""`credctl sso accounts` (every page of both listings) and `credctl sso sync` (profiles appended
to the config file, every existing byte kept, reruns adding nothing), with the written profiles
used by the AWS CLI (v1, whose botocore reads sso profiles) against the fake and moto."""
import json
import os
import stat
import subprocess

import pytest

from fake_sso import DEFAULT_ACCOUNTS, FakeSSO
from sso_support import (LEGACY_CONFIG, SESSION_CONFIG, START_URL, fake_sso,  # noqa: F401
                         moto_role_credentials, seed_token, write_config)

ALL_PAIRS = sorted((a["accountName"], a["accountId"], r) for a in DEFAULT_ACCOUNTS for r in a["roles"])


def test_accounts_lists_every_page(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    r = credctl("sso", "accounts", "--profile", "dev", "--output", "json", env=fake_sso.env())
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["SsoSession"] == "corp" and doc["StartUrl"] == START_URL
    got = sorted((a["AccountName"], a["AccountId"], role) for a in doc["Accounts"] for role in a["Roles"])
    assert got == ALL_PAIRS
    ops = fake_sso.ops()
    assert ops.count("ListAccounts") == 2  # 3 accounts, 2 per page
    assert ops.count("ListAccountRoles") == 1 + 1 + 3  # 2, 1 and 5 roles
    assert [c["query"].get("next_token") for c in fake_sso.calls if c["op"] == "ListAccounts"] == [None, "page-2"]
    table = credctl("sso", "accounts", "--profile", "dev", env=fake_sso.env())
    assert table.out.splitlines()[0].split() == ["ACCOUNT", "ID", "ACCOUNT", "NAME", "EMAIL", "ROLE"]
    assert "222222222222  Staging Env   staging@example.com  Admin" in table.out


def test_accounts_with_a_token_the_portal_refuses(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    fake_sso.tokens.clear()
    r = credctl("sso", "accounts", "--profile", "dev", env=fake_sso.env())
    assert r.code == 3
    assert r.err == ("credctl: error: the SSO session for sso-session corp has expired or is otherwise invalid (UnauthorizedException "
                     "from awsssoportal:ListAccounts). Run `credctl sso login --profile dev`\n")


def sync(credctl, fake, *args):
    return credctl("sso", "sync", "--profile", "dev", *args, env=fake.env())


def test_sync_dry_run_then_write_then_rerun(credctl, home, fake_sso):
    original = SESSION_CONFIG + "# a comment the user wrote ; kept\n[profile keep]\nregion = eu-west-1\noutput = json"  # no final newline
    config = write_config(home, original)
    config.chmod(0o640)
    seed_token(home, fake_sso)
    dry = sync(credctl, fake_sso, "--dry-run")
    assert dry.code == 0, dry
    assert config.read_text() == original
    assert "Production.Admin" in dry.out and "would add" in dry.out and "nothing was written" in dry.out
    r = sync(credctl, fake_sso, "--output", "json")
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["Written"] is True and report["ConfigFile"] == str(config)
    names = {p["Name"]: p for p in report["Profiles"]}
    assert set(names) == {"Production.Admin", "Production.ReadOnly", "Staging-Env.Admin", "Sandbox.Admin", "Sandbox.Developer",
                          "Sandbox.PowerUser", "Sandbox.ReadOnly", "Sandbox.Billing"}
    assert names["Production.Admin"]["Action"] == "exists as dev"  # the profile that names the session already points there
    assert names["Production.Admin"]["ExistingProfile"] == "dev"
    assert {n for n, p in names.items() if p["Action"] == "added"} == set(names) - {"Production.Admin"}
    text = config.read_text()
    assert text.startswith(original + "\n\n# Added by credctl sso sync from sso-session corp (" + START_URL + ")\n[profile ")
    assert "[profile Staging-Env.Admin]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = Admin\nregion = us-east-1\n" in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    rerun = sync(credctl, fake_sso)
    assert rerun.code == 0 and config.read_text() == text
    assert "0 profile(s) added" in rerun.out and "exists" in rerun.out
    renamed = sync(credctl, fake_sso, "--name-template", "{account_id}-{role_name}")
    assert renamed.code == 0 and config.read_text() == text
    assert "exists as Production.ReadOnly" in renamed.out and "exists as dev" in renamed.out


def test_sync_profiles_work_in_the_aws_cli(credctl, home, moto, roles):
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        r = credctl("sso", "sync", "--profile", "dev", "--name-template", "{sso_session}-{account_id}-{role_name}",
                    "--region", "eu-west-1", env=fake.env())
        assert r.code == 0, r
        env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true",
               "AWS_ENDPOINT_URL_STS": moto.url, **fake.env()}
        got = subprocess.run(["aws", "configure", "get", "sso_account_id", "--profile", "corp-333333333333-PowerUser"],
                             env=env, capture_output=True, text=True, timeout=60)
        assert got.stdout.strip() == "333333333333", got.stderr
        who = subprocess.run(["aws", "sts", "get-caller-identity", "--profile", "corp-333333333333-PowerUser", "--output", "json"],
                             env=env, capture_output=True, text=True, timeout=60)
        assert who.returncode == 0, who.stderr
        assert ":assumed-role/r1/sso-PowerUser" in json.loads(who.stdout)["Arn"]
        assert [c["query"] for c in fake.calls if c["op"] == "GetRoleCredentials"][-1] == \
            {"role_name": "PowerUser", "account_id": "333333333333"}
        mine = credctl("whoami", "--profile", "corp-333333333333-PowerUser", "--output", "json", env=env)
        assert mine.code == 0, mine
        assert json.loads(mine.out)["Region"] == {"Name": "eu-west-1", "Source": "profile corp-333333333333-PowerUser (" +
                                                  str(home / ".aws" / "config") + ":" + str(mine_region_line(home)) + ")"}


def mine_region_line(home):
    lines = (home / ".aws" / "config").read_text().splitlines()
    start = lines.index("[profile corp-333333333333-PowerUser]")
    return start + 1 + next(i for i, l in enumerate(lines[start:]) if l.startswith("region = "))


def test_sync_skips_names_in_use_and_legacy_sessions_write_legacy_keys(credctl, home, fake_sso):
    taken = "[profile Production.Admin]\nregion = eu-west-1\n\n"
    config = write_config(home, taken + LEGACY_CONFIG.replace("[profile old]", "[profile dev]"))
    (home / ".aws" / "credentials").write_text("[Sandbox.Admin]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n")
    seed_token(home, fake_sso, source=START_URL)
    r = sync(credctl, fake_sso, "--output", "json")
    assert r.code == 0, r
    actions = {p["Name"]: p["Action"] for p in json.loads(r.out)["Profiles"]}
    assert actions["Production.Admin"] == actions["Sandbox.Admin"] == "skipped: name in use"
    assert actions["Staging-Env.Admin"] == "exists as dev"  # the legacy profile itself points there
    text = config.read_text()
    assert text.count("[profile Production.Admin]") == 1 and "[profile Sandbox.Admin]" not in text
    assert f"[profile Sandbox.Developer]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 333333333333\n" in text


@pytest.mark.parametrize("template,message", [
    ("{account}-{role_name}", "profile name template '{account}-{role_name}': unknown placeholder {account}"),
    ("fixed", "profile name template 'fixed': it has no placeholder, so every profile would get the same name"),
    ("{role_name", "profile name template '{role_name': a '{' without its '}'"),
])
def test_sync_rejects_bad_templates_before_any_call(credctl, home, fake_sso, template, message):
    config = write_config(home, SESSION_CONFIG)
    r = sync(credctl, fake_sso, "--name-template", template)
    assert r.code == 2
    assert r.err.startswith("credctl: error: " + message + "; placeholders: {account_name} {account_id}")
    assert fake_sso.calls == [] and config.read_text() == SESSION_CONFIG


def test_sync_follows_a_symlink_and_refuses_a_malformed_file(credctl, home, fake_sso, tmp_path):
    real = tmp_path / "dotfiles-config"
    real.write_text(SESSION_CONFIG)
    (home / ".aws").mkdir()
    (home / ".aws" / "config").symlink_to(real)
    seed_token(home, fake_sso)
    r = sync(credctl, fake_sso)
    assert r.code == 0, r
    assert (home / ".aws" / "config").is_symlink() and "[profile Sandbox.Billing]" in real.read_text()
    broken = SESSION_CONFIG + "this line has no equals sign\n"
    real.write_text(broken)
    r = credctl("sso", "sync", "--sso-session", "corp", env=fake_sso.env())
    assert r.code == 2 and r.err.startswith(f"credctl: error: {home / '.aws' / 'config'}, line 11: expected 'key = value'")
    assert real.read_text() == broken


def test_plan_and_write_apply_the_same_rules_and_one_bad_pair_fails_nothing_else(credctl, home, fake_sso):
    """AWS allows 50-character account names and 32-character permission sets: a 45-character
    account name makes an 80-character profile name, written as planned. A template that makes a
    name longer than credctl writes skips that pair (the same in --dry-run), and writes the rest."""
    long_account = "A" * 45
    fake_sso.accounts = [{"accountId": "111111111111", "accountName": long_account, "emailAddress": "a@example.com",
                          "roles": ["PermissionSetNameOf32CharactersX"]},
                         {"accountId": "222222222222", "accountName": "Short", "emailAddress": "s@example.com", "roles": ["Admin"]}]
    config = write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    name = f"{long_account}.PermissionSetNameOf32CharactersX"
    dry = sync(credctl, fake_sso, "--dry-run", "--output", "json")
    real = sync(credctl, fake_sso, "--output", "json")
    assert dry.code == 0 and real.code == 0, (dry, real)
    assert [(p["Name"], p["Action"]) for p in json.loads(dry.out)["Profiles"]] == [(name, "would add"), ("Short.Admin", "would add")]
    assert [(p["Name"], p["Action"]) for p in json.loads(real.out)["Profiles"]] == [(name, "added"), ("Short.Admin", "added")]
    assert f"[profile {name}]\n" in config.read_text()
    # A name over 255 characters (a template repeating the e-mail): that pair alone is skipped.
    fake_sso.accounts[1]["emailAddress"] = "e" * 60 + "@example.com"
    fake_sso.accounts[1]["roles"] = ["Admin", "Dev"]
    fake_sso.accounts[0]["roles"].append("Ops")
    before = config.read_text()
    template = "{email}.{email}.{email}.{email}.{role_name}"
    runs = [sync(credctl, fake_sso, *extra, "--name-template", template, "--output", "json") for extra in (["--dry-run"], [])]
    for r in runs:
        assert r.code == 0, r
    actions = [{p["RoleName"]: p["Action"] for p in json.loads(r.out)["Profiles"] if p["AccountId"] == "222222222222"} for r in runs]
    assert actions[0]["Dev"] == actions[1]["Dev"] and actions[1]["Dev"].startswith("skipped: '"), actions
    assert "is not a profile name credctl writes: use 1 to 255 letters" in actions[1]["Dev"]
    assert actions[1]["Admin"] == "exists as Short.Admin"
    ops = [[p["Action"] for p in json.loads(r.out)["Profiles"] if p["RoleName"] == "Ops"] for r in runs]
    assert ops == [["would add"], ["added"]], ops
    after = config.read_text()
    assert after.startswith(before) and after.count("[profile ") == before.count("[profile ") + 1
