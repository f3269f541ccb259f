"""A full disk under ~/.aws, made real: credctl runs in its own mount namespace (`unshare -m`)
with a small tmpfs mounted on ~/.aws and filled up, so every write there fails with ENOSPC
while moto keeps the IAM side. What must hold: `setup user` removes what it created when the
key cannot be stored; `rotate` deletes the key it made and says what is left; nothing is half
written. Also: temporary files an interrupted write left behind are removed by the next write.
"""
import os
import subprocess
import uuid

import pytest

from conftest import BINARY
from test_rotate import credentials_text, key_ids, make_user, profile_keys  # noqa: F401

FILL = r'''
set -e
aws="$HOME/.aws"
mkdir -p "$aws"
saved=$(mktemp -d)
cp -a "$aws/." "$saved/"
mount -t tmpfs -o size=256k tmpfs "$aws"
cp -a "$saved/." "$aws/"
dd if=/dev/zero of="$aws/.fill" bs=4k 2>/dev/null || true
dd if=/dev/zero of="$aws/.fill2" bs=1 2>/dev/null || true
exec "$@"
'''


def on_full_disk(home, args, env):
    """Runs credctl with ~/.aws on a full tmpfs; the mount vanishes with the namespace."""
    full_env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", **env}
    proc = subprocess.run(["unshare", "-m", "bash", "-c", FILL, "fill", str(BINARY), *args], env=full_env,
                          capture_output=True, text=True, timeout=120)
    return proc


@pytest.fixture(scope="module", autouse=True)
def mount_namespaces_work(tmp_path_factory):
    d = tmp_path_factory.mktemp("probe")
    probe = subprocess.run(["unshare", "-m", "bash", "-c", f"mount -t tmpfs -o size=16k tmpfs {d} && touch {d}/x"],
                           capture_output=True, text=True)
    assert probe.returncode == 0, f"this test needs unshare -m and tmpfs (root in a sandbox): {probe.stderr}"


def admin(moto, home):
    return {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto.url, "CREDCTL_STATE_DIR": str(home / "state")}


def test_setup_user_removes_what_it_created_when_the_key_cannot_be_stored(moto, home):
    name = "full-" + uuid.uuid4().hex[:8]
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text("[keep]\naws_access_key_id = AKIAKEEP000000000000\naws_secret_access_key = k\n")
    r = on_full_disk(home, ["setup", "user", name, "--template", "rotate-own-key", "--managed"], admin(moto, home))
    assert r.returncode == 2, r
    assert "No space left on device" in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert lines[-2].startswith("credctl: error: ") and lines[-1].startswith("hint: removed what this run created")
    assert "nothing is left over" in lines[-1]
    assert all(line.startswith("credctl: ") for line in lines[:-1])
    iam = moto.client("iam")
    assert name not in [u["UserName"] for u in iam.list_users()["Users"]]
    assert not [p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"].endswith(name)]
    # The namespace is gone: the real file is untouched.
    assert (aws / "credentials").read_text().startswith("[keep]\n")


def test_rotate_deletes_the_key_it_made_and_says_what_is_left(moto, home, make_user):
    user, (old,) = make_user()
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(credentials_text(old))
    env = {"AWS_PROFILE": "ci", "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "CREDCTL_STATE_DIR": str(home / "state")}
    r = on_full_disk(home, ["rotate", "--yes"], env)
    assert r.returncode == 1, r
    lines = r.stderr.splitlines()
    assert lines[-2].startswith("credctl: error: could not write") and "No space left on device" in lines[-2]
    assert lines[-1] == f"hint: {aws}/credentials holds the old key {old['AccessKeyId']}, which is active; the new key " \
                        f"{lines[-1].split('the new key ')[1].split(' ')[0]} was deleted"
    assert key_ids(moto, user) == [old["AccessKeyId"]]
    assert profile_keys(aws / "credentials", "ci")[0] == old["AccessKeyId"]
    assert not list((home / "state" / "rotation").glob("*.json"))


def test_rotate_with_a_full_state_folder_creates_nothing(moto, home, make_user):
    """The journal is written before the first key is made: when it cannot be, no key is made."""
    user, (old,) = make_user()
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(credentials_text(old))
    env = {"AWS_PROFILE": "ci", "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "CREDCTL_STATE_DIR": str(aws / "state")}
    r = on_full_disk(home, ["rotate", "--yes"], env)
    assert r.returncode == 2, r
    assert r.stderr.splitlines()[-1] == f"hint: no key was created: {aws}/credentials still holds the old key {old['AccessKeyId']}, which is active"
    assert key_ids(moto, user) == [old["AccessKeyId"]]


def test_leftover_temporary_files_are_removed_by_the_next_write(moto, credctl, home):
    """A kill between a temporary file's creation and its rename leaves `.credentials.XXXXXX`
    (holding a secret): the next write of the file removes it."""
    aws = home / ".aws"
    aws.mkdir()
    for suffix in ("Ab12Cd", "zz99ZZ"):
        (aws / f".credentials.{suffix}").write_text("[x]\naws_secret_access_key = leaked\n")
    (aws / ".credentials.notours").write_text("keep")
    name = "tmp-" + uuid.uuid4().hex[:8]
    r = credctl("setup", "user", name, "--template", "rotate-own-key", env=admin(moto, home))
    assert r.code == 0, r
    # The profile's region goes into the config file (as aws configure writes it); no temporary file is left.
    assert sorted(p.name for p in aws.iterdir()) == [".credentials.notours", "config", "credentials"]
