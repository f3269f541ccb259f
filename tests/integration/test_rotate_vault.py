"""`credctl rotate` on a key held in credctl's vault (issues 18 and 19): the vault holds a working
key at every moment, a kill at any step is finished or undone by the next run, and the new key's
secret is never in clear under HOME. Runs against moto_sessions.py (moto whose GetSessionToken
credentials pass its signature checking), as test_vault.py does."""
import json
import os
import signal
import subprocess

import pytest

from conftest import BINARY
from fault_proxy import FaultProxy
from test_vault import clear_copies, moto_sessions, setup_profile, user, vault_env  # noqa: F401 (fixtures)


class Port:
    """What FaultProxy needs of a moto: its port."""
    def __init__(self, url):
        self.port = int(url.rsplit(":", 1)[1])


def iam_keys(moto_sessions, user_name):
    import boto3
    iam = boto3.client("iam", endpoint_url=moto_sessions.url, region_name="us-east-1",
                       aws_access_key_id=moto_sessions.key_id, aws_secret_access_key=moto_sessions.secret)
    return sorted(k["AccessKeyId"] for k in iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"])


def vault_key_id(credctl, env, profile="p"):
    """The vault entry's masked key id, as `vault list` shows it."""
    r = credctl("vault", "list", "--output", "json", env=env)
    assert r.code == 0, r
    (entry,) = [e for e in json.loads(r.out)["Profiles"] if e["Profile"] == profile]
    return entry["AccessKeyId"]


def masked(key_id):
    return key_id[:4] + "*" * (len(key_id) - 8) + key_id[-4:]


def imported(credctl, home, moto_sessions, user):
    setup_profile(home, user)
    env = vault_env(moto_sessions, CREDCTL_STATE_DIR=str(home / "state"), AWS_REGION="us-east-1")
    r = credctl("vault", "import", "--profile", "p", env=env)
    assert r.code == 0, r
    return env


def test_rotating_the_key_of_the_vault_profile_in_use(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    r = credctl("--profile", "p", "rotate", "--yes", "--output", "json", "--debug", env=env)
    assert r.code == 0, r
    # IAM refuses session credentials without MFA: every IAM call is signed with a long-term key
    # (the vault's old key, then the new one), never the vault session's ASIA key.
    iam_signers = [line.split("Credential=")[1].split("/")[0] for line in r.err.splitlines()
                   if "Credential=" in line and "/iam/aws4_request" in line]
    assert iam_signers and all(k.startswith("AKIA") for k in iam_signers), iam_signers
    assert user["SecretAccessKey"] not in r.err
    doc = json.loads(r.out)
    assert doc["Destinations"] == ["vault:p"] and doc["OldKeyId"] == user["AccessKeyId"]
    (new_id,) = iam_keys(moto_sessions, user["UserName"])
    assert doc["NewKeyId"] == new_id and vault_key_id(credctl, env) == masked(new_id)
    # The profile keeps working, through a session of the new key (the old key's cached session is not reused).
    who = credctl("whoami", "--profile", "p", "--output", "json", env=env)
    assert who.code == 0, who
    assert json.loads(who.out)["Arn"].endswith(f":user/{user['UserName']}")
    # Neither key's secret is in clear anywhere under HOME (journal, backups, cache).
    assert clear_copies(home, user["SecretAccessKey"]) == []
    assert not any(p.name.endswith(".json") for p in (home / "state" / "rotation").glob("*"))


def test_an_admin_rotates_a_vault_entry(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    admin = dict(env, AWS_ACCESS_KEY_ID=moto_sessions.key_id, AWS_SECRET_ACCESS_KEY=moto_sessions.secret)
    r = credctl("rotate", "--user", user["UserName"], "--to", "vault:p", "--yes", env=admin)
    assert r.code == 0, r
    (new_id,) = iam_keys(moto_sessions, user["UserName"])
    assert vault_key_id(credctl, env) == masked(new_id)
    assert credctl("whoami", "--profile", "p", env=env).code == 0


def test_a_new_key_sts_never_accepts_leaves_the_vault_as_it_was(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    vault_before = (home / ".aws" / "credctl" / "vault.json").read_bytes()
    with FaultProxy(Port(moto_sessions.url)) as proxy:
        proxy.add("GetCallerIdentity", "fail", times=100, status=403, code="InvalidClientTokenId",
                  key=lambda k: k not in {user["AccessKeyId"]} and not k.startswith("ASIA"))
        r = credctl("--profile", "p", "rotate", "--yes", "--propagation-timeout", "1", env=dict(env, AWS_ENDPOINT_URL=proxy.url))
    assert r.code == 1, r
    assert f"rolled back: vault:p holds the old key {user['AccessKeyId']} again and the new key was deleted" in r.err
    assert iam_keys(moto_sessions, user["UserName"]) == [user["AccessKeyId"]]
    assert vault_key_id(credctl, env) == masked(user["AccessKeyId"])
    assert vault_before != (home / ".aws" / "credctl" / "vault.json").read_bytes()   # written twice, now the old key again
    assert credctl("whoami", "--profile", "p", env=env).code == 0


@pytest.mark.parametrize("action,mode", [("CreateAccessKey", "stall_after"), ("GetCallerIdentity", "stall"),
                                         ("UpdateAccessKey", "stall"), ("DeleteAccessKey", "stall_after")])
def test_killed_then_the_next_run_leaves_the_vault_with_one_working_key(credctl, home, moto_sessions, user, action, mode):
    env = imported(credctl, home, moto_sessions, user)
    with FaultProxy(Port(moto_sessions.url)) as proxy:
        new_key = lambda k: k != user["AccessKeyId"] and not k.startswith("ASIA")
        proxy.add(action, mode, key=new_key if action == "GetCallerIdentity" else None)
        full = dict(os.environ, HOME=str(home), AWS_EC2_METADATA_DISABLED="true", **dict(env, AWS_ENDPOINT_URL=proxy.url))
        proc = subprocess.Popen([str(BINARY), "--profile", "p", "rotate", "--yes"], env=full, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert proxy.stalled.wait(60), proc.communicate(timeout=5)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            proxy.release.set()
    # At every moment the vault holds a key that works.
    assert credctl("whoami", "--profile", "p", "--no-cache", env=env).code == 0
    r = credctl("--profile", "p", "rotate", "--yes", env=env, timeout=120)
    assert r.code == 0, r
    (only,) = iam_keys(moto_sessions, user["UserName"])
    assert vault_key_id(credctl, env) == masked(only) and only != user["AccessKeyId"]
    assert credctl("whoami", "--profile", "p", env=env).code == 0


def test_the_vault_copy_cannot_be_left_behind(credctl, home, moto_sessions, user):
    """Rotating the vault profile's own key to other destinations only would leave the vault
    with a deleted key: refused before any change."""
    env = imported(credctl, home, moto_sessions, user)
    creds = home / ".aws" / "credentials"
    before = creds.read_text()
    import boto3
    boto3.client("secretsmanager", endpoint_url=moto_sessions.url, region_name="us-east-1", aws_access_key_id=moto_sessions.key_id,
                 aws_secret_access_key=moto_sessions.secret).create_secret(Name=f"{user['UserName']}/key", SecretString="{}")
    r = credctl("--profile", "p", "rotate", "--yes", "--to", f"secretsmanager:{user['UserName']}/key", env=env)
    assert r.code == 2, r
    assert r.err == (f"credctl: error: key {user['AccessKeyId']} is also in vault profile p, which no --to names: "
                     "add --to vault:p; nothing was changed\n")
    assert iam_keys(moto_sessions, user["UserName"]) == [user["AccessKeyId"]] and creds.read_text() == before
