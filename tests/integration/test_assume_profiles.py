"""`credctl assume PROFILE_OR_ROLE_ARN`: role and SSO profiles (vault profiles: test_vault_exec.py),
every refusal, and `--export-profile` read back by the AWS CLI."""
import json
import os
import stat
import subprocess

import pytest

from conftest import write_aws_files
from fake_sso import FakeSSO
from sso_support import SESSION_CONFIG, moto_role_credentials, seed_token, write_config

KEY = "AKIAEXAMPLEASSUME001"
SECRET = "assume-secret-0123456789abcdefghij"
CREDENTIALS = f"# my keys\n[static]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


def role_files(home, moto, roles, credentials_extra="", config_extra=""):
    config = (f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\nrole_session_name = from-profile\nregion = us-east-1\n"
              + config_extra)
    credentials = (CREDENTIALS + f"\n[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n"
                   + credentials_extra)
    return write_aws_files(home, config, credentials)


def aws_cli(home, moto, *args):
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    return subprocess.run(["aws", *args, "--endpoint-url", moto.url, "--region", "us-east-1", "--output", "json"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_a_role_profile(credctl, home, moto, roles):
    role_files(home, moto, roles)
    r = credctl("assume", "r1", "--format", "json", env={"AWS_ENDPOINT_URL": moto.url})
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["AccessKeyId"].startswith("ASIA") and doc["SessionToken"] and doc["Expiration"] and doc["Region"] == "us-east-1"
    who = credctl("whoami", "--output", "json", env={"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": doc["AccessKeyId"],
                                                     "AWS_SECRET_ACCESS_KEY": doc["SecretAccessKey"], "AWS_SESSION_TOKEN": doc["SessionToken"]})
    assert json.loads(who.out)["Arn"] == "arn:aws:sts::123456789012:assumed-role/r1/from-profile"


def test_an_sso_profile(credctl, home, moto, roles):
    with FakeSSO(role_credentials=moto_role_credentials(moto, roles["r1"])) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        r = credctl("assume", "dev", "--format", "process", env=fake.env())
        assert r.code == 0, r
        role = fake.role_credentials("111111111111", "Admin")
        doc = json.loads(r.out)
        assert (doc["AccessKeyId"], doc["SecretAccessKey"], doc["SessionToken"]) == (role["accessKeyId"], role["secretAccessKey"], role["sessionToken"])


def test_profile_refusals(credctl, home, moto, roles):
    aws = role_files(home, moto, roles)
    before = {p.name: p.read_bytes() for p in aws.iterdir() if p.is_file()}
    ran = home / "ran"
    for args in (["static"], ["static", "--", "touch", str(ran)], ["static", "--server", "--", "touch", str(ran)]):
        r = credctl("assume", *args)
        assert r.code == 2 and r.out == "", (args, r)
        assert r.err == (f"credctl: error: profile 'static' gives a long-term key (shared-credentials-file, profile static ({aws}/credentials:3)), "
                         "and assume hands out temporary credentials only: give a role, SSO or vault profile, or assume a role with it "
                         "(credctl assume ROLE_ARN --profile static)\n")
        assert not ran.exists()
    for args, message in [
        (["r1", "--external-id", "abc"], "--external-id applies to a role ARN; profile 'r1' takes its own settings from the config file"),
        (["r1", "--duration", "1h"], "--duration applies to a role ARN; profile 'r1' takes its own settings from the config file"),
        (["r1", "--profile", "base"], "give the profile once: credctl assume r1 (--profile base chooses the credentials that assume a role ARN)"),
        (["nope"], f"'nope' is neither a role ARN (arn:aws:iam::123456789012:role/NAME) nor a profile in {aws}/config or {aws}/credentials"),
        (["r1", "--export-profile", "x", "--format", "env"], "--export-profile writes the credentials into the credentials file; it does not go with --format, --server or a command"),
        (["r1", "--export-profile", "x", "--", "true"], "--export-profile writes the credentials into the credentials file; it does not go with --format, --server or a command"),
        (["r1", "--server", "--output", "json", "--", "true"], "--output json does not apply here: the command's own output is what assume prints when it runs one"),
        (["r1", "--output", "table"], "--output table does not apply here: the credentials are printed in the --format chosen (env, json, process, …)"),
    ]:
        r = credctl("assume", *args, env={"AWS_ENDPOINT_URL": moto.url})
        assert r.code == 2, (args, r)
        assert r.err == f"credctl: error: {message}\n" and r.out == "", args
    assert {p.name: p.read_bytes() for p in aws.iterdir() if p.is_file()} == before


def test_export_profile_is_read_by_the_aws_cli(credctl, home, moto, roles):
    aws = role_files(home, moto, roles, credentials_extra="\n[ci]\nregion = us-east-1\n")
    env = {"AWS_ENDPOINT_URL": moto.url}
    original = (aws / "credentials").read_bytes()
    r = credctl("assume", "r1", "--export-profile", "r1-tmp", "--output", "json", env=env)
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["Profile"] == "r1-tmp" and report["Replaced"] is False and report["Source"] == "r1"
    exported = json.loads(credctl("creds", "export", "--profile", "r1", "--format", "json", env=env).out)  # the cached role session
    written = (aws / "credentials").read_bytes()
    assert written == original + (f"\n[r1-tmp]\naws_access_key_id = {exported['AccessKeyId']}\naws_secret_access_key = {exported['SecretAccessKey']}\n"
                                  f"aws_session_token = {exported['SessionToken']}\nx_security_token_expires = {exported['Expiration']}\n"
                                  "x_credctl_exported_from = r1\n").encode()
    assert stat.S_IMODE((aws / "credentials").stat().st_mode) == 0o600
    assert report["Expiration"] == exported["Expiration"]
    cli = aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "r1-tmp")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"] == "arn:aws:sts::123456789012:assumed-role/r1/from-profile"
    # Exported again (a profile credctl wrote): replaced in place, every other byte kept.
    r = credctl("assume", roles["r2"], "--profile", "base", "--region", "us-east-1", "--session-name", "second", "--export-profile", "r1-tmp",
                env=env)
    assert r.code == 0, r
    assert "Replaced    yes (exported before)\n" in r.out
    text = (aws / "credentials").read_text()
    assert text.startswith(original.decode() + "\n[r1-tmp]\naws_access_key_id = ASIA") and text.count("[r1-tmp]") == 1
    assert f"x_credctl_exported_from = {roles['r2']}\n" in text and exported["SessionToken"] not in text
    cli = aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "r1-tmp")
    assert json.loads(cli.stdout)["Arn"] == "arn:aws:sts::123456789012:assumed-role/r2/second"
    # A section without keys gets them, its own lines kept.
    r = credctl("assume", "r1", "--export-profile", "ci", env=env)
    assert r.code == 0, r
    assert "\n[ci]\nregion = us-east-1\naws_access_key_id = ASIA" in (aws / "credentials").read_text()
    assert json.loads(aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "ci").stdout)["Arn"].endswith("/r1/from-profile")


def test_export_profile_refusals_write_nothing(credctl, home, moto, roles):
    aws = role_files(home, moto, roles, config_extra="[profile shadowed]\nrole_arn = arn:aws:iam::123456789012:role/r2\nsource_profile = base\n")
    env = {"AWS_ENDPOINT_URL": moto.url}
    before = (aws / "credentials").read_bytes()
    cases = [
        ("static", f"profile 'static' already holds keys credctl did not export (AKIA************E001) at {aws}/credentials:3; "
                   "credctl replaces only profiles it exported: choose another --export-profile name"),
        ("shadowed", f"profile 'shadowed' sets role_arn ({aws}/config:7), which the AWS CLI uses before keys in the credentials file; "
                     "choose another --export-profile name"),
        ("DEFAULT", "--export-profile: [DEFAULT] holds values every profile of the file inherits; choose another name"),
        ("bad name", "--export-profile: 'bad name' is not a profile name credctl writes: use 1 to 255 letters, digits and - / . % @ _ : +"),
        ("x]\n[y", "--export-profile: 'x]\\n[y' is not a profile name credctl writes: use 1 to 255 letters, digits and - / . % @ _ : +"),
    ]
    for name, message in cases:
        r = credctl("assume", "r1", "--export-profile", name, env=env)
        assert r.code == 2, (name, r)
        assert r.err == f"credctl: error: {message}\n" and r.out == "", name
    assert (aws / "credentials").read_bytes() == before
    assert not (aws / "credentials.credctl-backup").exists()
    # Refused before any call: no role session was made (nothing cached).
    assert not (home / ".aws" / "credctl" / "cache").exists()
