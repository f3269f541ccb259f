"""`credctl rotate` against moto (signatures and IAM policies enforced), directly and through a
fault-injecting proxy, with kills at each step."""
import json
import os
import signal
import stat
import subprocess
import threading
import uuid

import boto3
import botocore.exceptions
import pytest

from conftest import BINARY
from fault_proxy import FaultProxy


def rotate_own_key_policy(credctl):
    """The rotate-own-key template's actions. moto matches IAM calls against the resource '*'
    (it does not expand ${aws:username}), so the resource is widened; the action list is what
    is tested: a missing action fails the rotation with AccessDenied."""
    doc = json.loads(credctl("policy", "show", "rotate-own-key").out)
    for s in doc["Statement"]:
        s["Resource"] = "*"
    return json.dumps(doc)


@pytest.fixture
def make_user(moto, credctl):
    iam = moto.client("iam")

    def make(policy=None, keys=1):
        name = "u-" + uuid.uuid4().hex[:10]
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy or rotate_own_key_policy(credctl))
        made = [iam.create_access_key(UserName=name)["AccessKey"] for _ in range(keys)]
        return name, made
    return make


def key_ids(moto, user):
    return sorted(k["AccessKeyId"] for k in moto.client("iam").list_access_keys(UserName=user)["AccessKeyMetadata"])


def statuses(moto, user):
    return {k["AccessKeyId"]: k["Status"] for k in moto.client("iam").list_access_keys(UserName=user)["AccessKeyMetadata"]}


def sts_works(moto, key_id, secret):
    try:
        moto.client("sts", key_id=key_id, secret=secret).get_caller_identity()
        return True
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidClientTokenId", e
        return False


def credentials_text(key, profile="ci", crlf=False):
    text = ("# team credentials: do not commit\n"
            "[default]\n"
            "aws_access_key_id=AKIAEXAMPLEDEFAULT00\n"
            "aws_secret_access_key = notused\n"
            "\n"
            "; the CI user\n"
            f"[{profile}]\n"
            f"aws_access_key_id   =   {key['AccessKeyId']}\n"
            f"aws_secret_access_key: {key['SecretAccessKey']}   \n"
            "region = us-east-1\n"
            "\n"
            "[zz-last]\n"
            "aws_access_key_id = AKIAEXAMPLELAST00000\n"
            "aws_secret_access_key = x\n"
            "# trailing comment without newline")
    return text.replace("\n", "\r\n") if crlf else text


def profile_keys(path, profile):
    import configparser
    cp = configparser.RawConfigParser()
    cp.read(path)
    return cp[profile]["aws_access_key_id"], cp[profile]["aws_secret_access_key"]


def user_in_profile(home, make_user, profile="ci"):
    """A new user whose one key is in ~/.aws/credentials as `profile` (among other profiles)."""
    user, (old,) = make_user()
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(credentials_text(old, profile=profile))
    return user, old, creds


def rotate_env(moto, home, profile="ci", endpoint=None, **extra):
    return dict({"AWS_PROFILE": profile, "AWS_ENDPOINT_URL": endpoint or moto.url, "AWS_REGION": "us-east-1",
                 "CREDCTL_STATE_DIR": str(home / "state")}, **extra)


def journals(home):
    d = home / "state" / "rotation"
    return sorted(p.name for p in d.glob("*.json")) if d.exists() else []


def test_rotate_own_key_with_only_the_rotate_own_key_permissions(moto, credctl, home, make_user):
    user, (old,) = make_user()
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    original = credentials_text(old).encode()
    creds.write_bytes(original)
    os.chmod(creds, 0o644)
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    (new_id,) = key_ids(moto, user)
    assert new_id != old["AccessKeyId"]
    new_id_in_file, new_secret = profile_keys(creds, "ci")
    assert new_id_in_file == new_id
    # Every other byte is unchanged: the file is the original with the two values swapped.
    expected = original.replace(old["AccessKeyId"].encode(), new_id.encode()).replace(old["SecretAccessKey"].encode(), new_secret.encode())
    assert creds.read_bytes() == expected
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    backup = home / ".aws" / "credentials.credctl-backup"
    assert backup.read_bytes() == original and stat.S_IMODE(backup.stat().st_mode) == 0o600
    # The AWS CLI works with the rotated profile; the old key is refused.
    cli = subprocess.run(["aws", "--endpoint-url", moto.url, "--region", "us-east-1", "--profile", "ci", "sts", "get-caller-identity"],
                         env={"PATH": os.environ["PATH"], "HOME": str(home)}, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(f":user/{user}")
    assert not sts_works(moto, old["AccessKeyId"], old["SecretAccessKey"])
    assert sts_works(moto, new_id, new_secret)
    assert f"created {new_id}" in r.err and f"deleted {old['AccessKeyId']}" in r.err
    assert new_secret not in r.out + r.err and old["SecretAccessKey"] not in r.out + r.err
    assert journals(home) == []
    journal_dir = home / "state" / "rotation"
    assert stat.S_IMODE(journal_dir.stat().st_mode) == 0o700


def test_crlf_file_and_two_profiles_holding_the_key(moto, credctl, home, make_user):
    user, (old,) = make_user()
    text = credentials_text(old, crlf=True) + f"\r\n[ci-copy]\r\naws_access_key_id = {old['AccessKeyId']}\r\naws_secret_access_key = {old['SecretAccessKey']}\r\n"
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_bytes(text.encode())
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    (new_id,) = key_ids(moto, user)
    data = creds.read_bytes()
    assert data.count(new_id.encode()) == 2 and old["AccessKeyId"].encode() not in data
    assert data.count(b"\r\n") == text.count("\r\n")
    assert "Profiles  ci, ci-copy" in r.out


def test_symlinked_credentials_file_keeps_the_link(moto, credctl, home, make_user):
    user, (old,) = make_user()
    (home / "dotfiles").mkdir()
    target = home / "dotfiles" / "aws-credentials"
    target.write_text(credentials_text(old))
    (home / ".aws").mkdir()
    link = home / ".aws" / "credentials"
    link.symlink_to(target)
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert link.is_symlink()
    (new_id,) = key_ids(moto, user)
    assert profile_keys(target, "ci")[0] == new_id


def test_admin_rotates_another_users_key(moto, credctl, home, make_user, admin_env):
    user, (old,) = make_user()
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(credentials_text(old, profile="grafana"))
    env = dict(admin_env, CREDCTL_STATE_DIR=str(home / "state"))
    r = credctl("rotate", "--user", user, "--yes", env=env)
    assert r.code == 0, r
    (new_id,) = key_ids(moto, user)
    assert profile_keys(creds, "grafana")[0] == new_id
    assert sts_works(moto, *profile_keys(creds, "grafana"))


def test_dry_run_prints_the_plan_and_changes_nothing(moto, credctl, home, make_user):
    user, old, creds = user_in_profile(home, make_user)
    before = creds.read_bytes()
    r = credctl("rotate", "--dry-run", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert f"Rotate access key {old['AccessKeyId']} of IAM user {user}" in r.out
    assert "deactivate the old key" in r.out and "delete the old key" in r.out
    assert creds.read_bytes() == before and key_ids(moto, user) == [old["AccessKeyId"]]
    assert not (home / "state").exists() and not (home / ".aws" / "credentials.credctl-backup").exists()


def test_keep_old_inactive(moto, credctl, home, make_user):
    user, (old,) = make_user()
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(credentials_text(old))
    r = credctl("rotate", "--yes", "--keep-old", "inactive", "--output", "json", env=rotate_env(moto, home))
    assert r.code == 0, r
    out = json.loads(r.out)
    assert out["OldKeyState"] == "inactive"
    assert statuses(moto, user) == {old["AccessKeyId"]: "Inactive", out["NewKeyId"]: "Active"}
    # The next rotation deletes the inactive key to make room (and says so).
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert f"deleted the other key {old['AccessKeyId']} (Inactive)" in r.err
    assert len(key_ids(moto, user)) == 1


def test_active_other_key_stops_the_rotation_unless_delete_other_key(moto, credctl, home, make_user):
    user, (old, other) = make_user(keys=2)
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(credentials_text(old))
    before = creds.read_bytes()
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 1, r
    assert f"{user} already has two access keys, and its other key {other['AccessKeyId']}" in r.err
    assert "Nothing was changed" in r.err and "--delete-other-key" in r.err
    assert creds.read_bytes() == before
    assert statuses(moto, user) == {old["AccessKeyId"]: "Active", other["AccessKeyId"]: "Active"}
    r = credctl("rotate", "--yes", "--delete-other-key", env=rotate_env(moto, home))
    assert r.code == 0, r
    (new_id,) = key_ids(moto, user)
    assert new_id not in (old["AccessKeyId"], other["AccessKeyId"])


def test_temporary_credentials_need_user(moto, credctl, home, roles):
    r = credctl("assume", roles["r1"], "--format", "json", env={"AWS_ACCESS_KEY_ID": moto.admin_key_id,
                "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert r.code == 0, r
    c = json.loads(r.out)
    env = {"AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
           "AWS_SESSION_TOKEN": c["SessionToken"], "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}
    r = credctl("rotate", "--yes", env=env)
    assert r.code == 2, r
    assert "these credentials are not an IAM user's (arn:aws:sts::123456789012:assumed-role/r1/" in r.err
    assert "give --user NAME" in r.err


def test_key_not_in_the_credentials_file_is_refused_before_anything_is_created(moto, credctl, home, make_user):
    user, (old,) = make_user()
    env = {"AWS_ACCESS_KEY_ID": old["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": old["SecretAccessKey"],
           "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}
    r = credctl("rotate", "--yes", env=env)
    assert r.code == 2, r
    assert f"key {old['AccessKeyId']} of {user} is not in {home}/.aws/credentials" in r.err
    assert key_ids(moto, user) == [old["AccessKeyId"]]


def test_file_that_cannot_be_rewritten_exactly_is_refused_first(moto, credctl, home, make_user, admin_env):
    user, (old,) = make_user()
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    text = f"[ci]\naws_access_key_id = {old['AccessKeyId']}\naws_secret_access_key = {old['SecretAccessKey']}\n  continued\n"
    creds.write_text(text)
    r = credctl("rotate", "--yes", "--user", user, env=dict(admin_env, CREDCTL_STATE_DIR=str(home / "state")))
    assert r.code == 2, r
    assert f"{creds}, line 3: aws_secret_access_key of [ci] continues on the next line; put it on one line; nothing was changed" in r.err
    assert key_ids(moto, user) == [old["AccessKeyId"]] and creds.read_text() == text


def test_missing_permission_leaves_a_working_file_and_the_next_run_finishes(moto, credctl, home, make_user):
    doc = json.loads(rotate_own_key_policy(credctl))
    doc["Statement"][0]["Action"].remove("iam:DeleteAccessKey")
    user, (old,) = make_user(policy=json.dumps(doc))
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(credentials_text(old))
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 4, r
    assert "iam:DeleteAccessKey: AccessDenied" in r.err
    assert "is inactive but not deleted. Run credctl rotate again to finish." in r.err
    new_id, new_secret = profile_keys(creds, "ci")
    assert sts_works(moto, new_id, new_secret)
    assert statuses(moto, user) == {old["AccessKeyId"]: "Inactive", new_id: "Active"}
    assert len(journals(home)) == 1
    # Grant the permission: the next run finishes that rotation instead of starting another.
    moto.client("iam").put_user_policy(UserName=user, PolicyName="p", PolicyDocument=rotate_own_key_policy(credctl))
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert "found a rotation of" in r.err and "finished a rotation an earlier run had begun" in r.out
    assert key_ids(moto, user) == [new_id] and profile_keys(creds, "ci")[0] == new_id
    assert journals(home) == []


# --- Fault injection through the proxy ---------------------------------------------------------

@pytest.fixture
def proxied(moto, home, make_user):
    """A user whose key is in profile ci, and a fault proxy in front of moto."""
    user, old, creds = user_in_profile(home, make_user)
    with FaultProxy(moto) as proxy:
        yield user, old, creds, proxy


def ends_with_one_working_key(moto, user, creds):
    (only,) = key_ids(moto, user)
    key_id, secret = profile_keys(creds, "ci")
    assert key_id == only
    assert sts_works(moto, key_id, secret)
    return key_id


def test_lost_create_answer_is_cleaned_up_before_trying_again(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    proxy.add("CreateAccessKey", "lost")
    r = credctl("rotate", "--yes", env=rotate_env(moto, home, endpoint=proxy.url))
    assert r.code == 0, r
    assert "checking whether a key was made before trying again" in r.err
    assert "created by the failed attempt, its secret never arrived" in r.err
    assert len(proxy.actions("CreateAccessKey")) == 2
    ends_with_one_working_key(moto, user, creds)


def test_throttled_and_failing_calls_are_retried(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    proxy.add("ListAccessKeys", "fail", times=1, status=400, code="Throttling")
    proxy.add("UpdateAccessKey", "fail", status=503, code="ServiceUnavailable")
    proxy.add("DeleteAccessKey", "fail", status=500, code="InternalError")
    # The 2026 behaviour waits milliseconds after a 5xx (under a second after a throttle).
    r = credctl("rotate", "--yes", env=rotate_env(moto, home, endpoint=proxy.url, AWS_MAX_ATTEMPTS="3", AWS_NEW_RETRIES_2026="true"))
    assert r.code == 0, r
    new_id = ends_with_one_working_key(moto, user, creds)
    assert new_id != old["AccessKeyId"]


def test_new_key_refused_while_iam_propagates_then_accepted(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    known = {old["AccessKeyId"]}
    proxy.add("GetCallerIdentity", "fail", times=2, status=403, code="InvalidClientTokenId", key=lambda k: k not in known)
    # A 3 s limit is checked every 0.3 s (a tenth of it): two refusals cost 0.6 s of waiting.
    r = credctl("rotate", "--yes", "--propagation-timeout", "3", env=rotate_env(moto, home, endpoint=proxy.url))
    assert r.code == 0, r
    assert "InvalidClientTokenId; waiting for IAM to propagate the new key (up to 3 s)" in r.err
    ends_with_one_working_key(moto, user, creds)


def test_new_key_never_accepted_is_rolled_back(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    before = creds.read_bytes()
    known = {old["AccessKeyId"]}
    proxy.add("GetCallerIdentity", "fail", times=100, status=403, code="InvalidClientTokenId", key=lambda k: k not in known)
    r = credctl("rotate", "--yes", "--propagation-timeout", "1", env=rotate_env(moto, home, endpoint=proxy.url))
    assert r.code == 1, r
    assert "STS did not accept the new key within 1 s (InvalidClientTokenId); rolled back: ci holds the old key" in r.err
    assert creds.read_bytes() == before
    assert key_ids(moto, user) == [old["AccessKeyId"]]
    assert journals(home) == []


def test_stalled_sts_call_times_out_and_the_next_run_finishes(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    known = {old["AccessKeyId"]}
    proxy.add("GetCallerIdentity", "stall", times=3, key=lambda k: k not in known)
    r = credctl("rotate", "--yes", "--cli-read-timeout", "1",
                env=rotate_env(moto, home, endpoint=proxy.url, AWS_MAX_ATTEMPTS="3", AWS_NEW_RETRIES_2026="true"), timeout=60)
    assert r.code == 5, r
    assert "not yet proven; the old key" in r.err and "Run credctl rotate again to finish." in r.err
    new_id, new_secret = profile_keys(creds, "ci")
    assert sts_works(moto, new_id, new_secret) and sts_works(moto, old["AccessKeyId"], old["SecretAccessKey"])
    proxy.release.set()
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert ends_with_one_working_key(moto, user, creds) == new_id


def spawn(home, env):
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", **env}
    return subprocess.Popen([str(BINARY), "rotate", "--yes"], env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


KILL_POINTS = [
    # (action, mode, key filter): where credctl is killed -9.
    ("ListAccessKeys", "stall", None),             # before anything changed
    ("CreateAccessKey", "stall", None),            # the create may or may not have been sent
    ("CreateAccessKey", "stall_after", None),      # the key exists; its secret never arrived
    ("GetCallerIdentity", "stall", "new"),         # the file holds the new key, not yet proven
    ("UpdateAccessKey", "stall", None),            # proven; old key still active
    ("UpdateAccessKey", "stall_after", None),      # old key deactivated, answer lost
    ("DeleteAccessKey", "stall", None),            # old key inactive
    ("DeleteAccessKey", "stall_after", None),      # old key deleted, answer lost
]


@pytest.mark.parametrize("action,mode,which", KILL_POINTS, ids=[f"{a}-{m}" for a, m, _ in KILL_POINTS])
def test_killed_at_each_step_then_the_next_run_ends_with_one_working_key(moto, credctl, home, proxied, action, mode, which):
    user, old, creds, proxy = proxied
    known = {old["AccessKeyId"]}
    key = (lambda k: k not in known) if which == "new" else None
    proxy.add(action, mode, key=key)
    proc = spawn(home, rotate_env(moto, home, endpoint=proxy.url))
    assert proxy.stalled.wait(30), proc.communicate(timeout=5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # Whatever happened, the file holds a key that works right now.
    assert sts_works(moto, *profile_keys(creds, "ci"))
    proxy.release.set()
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 0, r
    if action == "CreateAccessKey" and mode == "stall_after":
        assert "created by the interrupted rotation, its secret never reached" in r.err
    final = ends_with_one_working_key(moto, user, creds)
    assert final != old["AccessKeyId"]
    assert journals(home) == []


def test_two_rotations_of_one_user_cannot_interleave(moto, credctl, home, proxied):
    user, old, creds, proxy = proxied
    proxy.add("CreateAccessKey", "stall_after")
    first = spawn(home, rotate_env(moto, home, endpoint=proxy.url))
    assert proxy.stalled.wait(30)
    r = credctl("rotate", "--yes", env=rotate_env(moto, home))
    assert r.code == 1, r
    assert f"another credctl rotate of user {user} is running (pid {first.pid}); nothing was changed" in r.err
    proxy.release.set()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    ends_with_one_working_key(moto, user, creds)


def test_concurrent_rotations_of_two_users_sharing_one_file(moto, credctl, home, make_user):
    (u1, (k1,)), (u2, (k2,)) = make_user(), make_user()
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(f"[one]\naws_access_key_id = {k1['AccessKeyId']}\naws_secret_access_key = {k1['SecretAccessKey']}\n\n"
                     f"[two]\naws_access_key_id = {k2['AccessKeyId']}\naws_secret_access_key = {k2['SecretAccessKey']}\n")
    procs = [spawn(home, rotate_env(moto, home, profile=p)) for p in ("one", "two")]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    for user, profile in ((u1, "one"), (u2, "two")):
        (only,) = key_ids(moto, user)
        key_id, secret = profile_keys(creds, profile)
        assert key_id == only and sts_works(moto, key_id, secret)


def test_debug_output_never_shows_a_secret(moto, credctl, home, make_user):
    user, old, creds = user_in_profile(home, make_user)
    r = credctl("rotate", "--yes", "--debug", env=rotate_env(moto, home))
    assert r.code == 0, r
    assert "debug: > POST" in r.err and "credctl: created AKIA" in r.err
    new_id, new_secret = profile_keys(creds, "ci")
    for secret in (new_secret, old["SecretAccessKey"]):
        assert secret not in r.out and secret not in r.err
    journal_dir = home / "state" / "rotation"
    for f in journal_dir.iterdir():
        assert new_secret not in f.read_text(errors="replace") and old["SecretAccessKey"] not in f.read_text(errors="replace")


def test_rollback_restores_the_old_key_into_the_file_as_it_is_now(moto, credctl, home, proxied, tmp_path):
    """While STS keeps refusing the new key, another credctl process writes the same file (and
    so replaces its .credctl-backup): the rollback puts the old key back from memory into the
    file as it is then, keeping the other process's profile, and never reads the backup."""
    user, old, creds, proxy = proxied
    other = "other-" + uuid.uuid4().hex[:8]
    admin = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
             "AWS_ENDPOINT_URL": moto.url, "CREDCTL_STATE_DIR": str(home / "state")}
    side = {}

    def other_process_writes_the_file():
        side["setup"] = credctl("setup", "user", other, "--template", "rotate-own-key", "--profile-name", other, env=admin)
        side["backup"] = (creds.parent / "credentials.credctl-backup").read_bytes()

    known = {old["AccessKeyId"]}
    proxy.add("GetCallerIdentity", "fail", times=100, status=403, code="InvalidClientTokenId", key=lambda k: k not in known,
              before=other_process_writes_the_file)
    r = credctl("rotate", "--yes", "--propagation-timeout", "1", env=rotate_env(moto, home, endpoint=proxy.url))
    assert side["setup"].code == 0, side["setup"]
    assert r.code == 1, r
    assert "rolled back" in r.err and "\nhint: " in r.err
    assert profile_keys(creds, "ci") == (old["AccessKeyId"], old["SecretAccessKey"])
    other_id, other_secret = profile_keys(creds, other)
    assert key_ids(moto, other) == [other_id]
    assert key_ids(moto, user) == [old["AccessKeyId"]]
    # The backup the rollback did not use held the file as the other process found it (with the new key).
    assert old["SecretAccessKey"].encode() not in side["backup"]
    assert journals(home) == []
