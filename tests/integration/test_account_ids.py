"""Account ids side by side with botocore 1.43 (`Credentials.account_id`), for every source that
names one: AWS_ACCOUNT_ID with environment keys, `aws_account_id` beside static keys in either
file, `AccountId` of credential_process (else the profile's `aws_account_id`), `AccountId` of the
container endpoint, the role of an assumed role (moto), the SSO profile's `sso_account_id`; and
none from a source that has none. credctl shows it in `creds show` (`Credentials.AccountId`) and
hands it on in `creds export --format process` and `json`, where botocore reads it back."""
import json
import os
import subprocess
import sys

import pytest

from conftest import write_aws_files
from fake_servers import RecordingServer
from sso_support import SESSION_CONFIG, fake_sso, seed_token  # noqa: F401

KEY, SECRET = "AKIAACCOUNTIDTEST001", "account-id-secret"
STATIC = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


BOTOCORE_ACCOUNT = """
import json, sys
import botocore.session
c = botocore.session.Session(profile=sys.argv[1] or None).get_credentials()
c.get_frozen_credentials()
print(json.dumps([c.method, c.account_id]))
"""


def botocore_account(home, env, profile=None):
    """botocore's (method, account_id), resolved in a fresh process with HOME = `home` (its SSO
    cache folder is fixed when it is imported)."""
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    full.update(env)
    proc = subprocess.run([sys.executable, "-c", BOTOCORE_ACCOUNT, profile or ""], env=full, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return tuple(json.loads(proc.stdout))


def credctl_account(credctl, env, profile=None):
    args = ["--profile", profile] if profile else []
    r = credctl("creds", "show", "--no-cache", "--output", "json", *args, env=env)
    assert r.code == 0, r
    shown = json.loads(r.out)["Credentials"]
    r = credctl("creds", "export", "--no-cache", "--format", "process", *args, env=env)
    assert r.code == 0, r
    process = json.loads(r.out)
    r = credctl("creds", "export", "--no-cache", "--format", "json", *args, env=env)
    assert r.code == 0, r
    assert json.loads(r.out)["AccountId"] == shown["AccountId"] == process.get("AccountId")
    return shown["Provider"], shown["AccountId"], process


def script(tmp_path, document):
    s = tmp_path / "process.py"
    s.write_text(f"#!{sys.executable}\nimport json\nprint(json.dumps({document!r}))\n")
    s.chmod(0o755)
    return s


STATIC_CASES = [
    ("env with AWS_ACCOUNT_ID", {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_ACCOUNT_ID": "123456789012"}, "", ""),
    ("env, AWS_ACCOUNT_ID empty", {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_ACCOUNT_ID": ""}, "", ""),
    ("env without", {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}, "", ""),
    ("credentials file", {}, f"[default]\n{STATIC}aws_account_id = 210987654321\n", ""),
    ("credentials file without", {}, f"[default]\n{STATIC}", ""),
    ("config file", {}, "", f"[default]\n{STATIC}aws_account_id = 111122223333\n"),
    ("config file, account id in the credentials file only", {}, "[default]\naws_account_id = 999999999999\n",
     f"[default]\n{STATIC}"),
]


@pytest.mark.parametrize("name,env,credentials,config", STATIC_CASES, ids=[c[0] for c in STATIC_CASES])
def test_static_sources_match_botocore(credctl, home, name, env, credentials, config):
    write_aws_files(home, config, credentials)
    method, expected = botocore_account(home, env)
    provider, shown, process = credctl_account(credctl, env)
    assert shown == expected, (method, provider)


@pytest.mark.parametrize("output,profile_account", [
    ({"AccountId": "444455556666"}, None), ({"AccountId": "444455556666"}, "777788889999"), ({}, "777788889999"), ({}, None),
    ({"AccountId": ""}, "777788889999"),
])
def test_credential_process_matches_botocore(credctl, home, tmp_path, output, profile_account):
    doc = dict({"Version": 1, "AccessKeyId": KEY, "SecretAccessKey": SECRET}, **output)
    config = f"[default]\ncredential_process = {script(tmp_path, doc)}\n"
    if profile_account:
        config += f"aws_account_id = {profile_account}\n"
    write_aws_files(home, config, "")
    _, expected = botocore_account(home, {})
    provider, shown, process = credctl_account(credctl, {})
    assert provider == "credential-process" and shown == expected


def test_container_endpoint_matches_botocore(credctl, home):
    answer = {"AccessKeyId": KEY, "SecretAccessKey": SECRET, "Token": "container-token", "Expiration": "2099-01-01T00:00:00Z",
              "AccountId": "135792468024"}
    with RecordingServer(lambda h, i: (200, {"Content-Type": "application/json"}, json.dumps(answer).encode())) as server:
        env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": f"{server.url}/creds"}
        method, expected = botocore_account(home, env)
        provider, shown, process = credctl_account(credctl, env)
    assert method == "container-role" and provider == "container" and shown == expected == "135792468024"


def test_an_exported_process_document_carries_the_account_to_botocore(credctl, home, tmp_path):
    """credctl's own credential_process output, read by botocore: the account id arrives."""
    env = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_ACCOUNT_ID": "246813579024"}
    _, _, process = credctl_account(credctl, env)
    assert list(process) == ["Version", "AccessKeyId", "SecretAccessKey", "AccountId"]
    write_aws_files(home, f"[default]\ncredential_process = {script(tmp_path, process)}\n", "")
    assert botocore_account(home, {}) == ("custom-process", "246813579024")


def test_assumed_role_matches_botocore(credctl, moto, roles, home):
    config = f"[profile role]\nrole_arn = {roles['r1']}\nsource_profile = base\n"
    write_aws_files(home, config, f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    env = {"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    method, expected = botocore_account(home, env, profile="role")
    provider, shown, process = credctl_account(credctl, env, profile="role")
    assert method == provider == "assume-role" and shown == expected == roles["r1"].split(":")[4]


def test_sso_matches_botocore(credctl, home, fake_sso):
    write_aws_files(home, SESSION_CONFIG, "")
    seed_token(home, fake_sso)
    method, expected = botocore_account(home, fake_sso.env(), profile="dev")
    provider, shown, process = credctl_account(credctl, fake_sso.env(), profile="dev")
    assert method == provider == "sso" and shown == expected == "111111111111"


def test_a_stale_account_id_never_reaches_a_child_or_a_shell(credctl, home):
    write_aws_files(home, "", f"[default]\n{STATIC}")
    env = {"AWS_ACCOUNT_ID": "000000000000"}
    r = credctl("creds", "exec", "--", "sh", "-c", 'echo "${AWS_ACCOUNT_ID-unset}"', env=env)
    assert r.code == 0 and r.out == "unset\n", r
    r = credctl("creds", "export", "--format", "env", env=env)
    assert r.code == 0 and "unset AWS_ACCOUNT_ID\n" in r.out and "export AWS_ACCOUNT_ID" not in r.out
