"""Issue 13, finding 10: a symbolic link to the credentials file is written through, never
replaced, even when its target (or the target's folder) does not exist yet, as the AWS CLI does.

`setup user` and `rotate` against moto, with `~/.aws/credentials` a relative, absolute or
chained link; the AWS CLI then reads the profile through the link."""
import json
import os
import stat
import subprocess
import uuid

import pytest

from hostile_support import assert_not_shown


def cli_as_profile(moto, home, profile, *args):
    return subprocess.run(["aws", "--endpoint-url", moto.url, "--region", "us-east-1", "--profile", profile, *args],
                          env={"PATH": os.environ["PATH"], "HOME": str(home)}, capture_output=True, text=True, timeout=60)


def setup_user(credctl, home, admin_env, profile):
    name = "linked-" + uuid.uuid4().hex[:8]
    r = credctl("setup", "user", name, "--template", "rotate-own-key", "--profile-name", profile,
                env=dict(admin_env, CREDCTL_STATE_DIR=str(home / "state")))
    return name, r


@pytest.mark.parametrize("layout", ["folder-missing", "folder-present", "absolute", "chain"])
def test_setup_user_writes_through_a_dangling_link(moto, credctl, home, admin_env, layout):
    aws = home / ".aws"
    aws.mkdir()
    link = aws / "credentials"
    target = home / "dotfiles" / "creds"
    links = [link]
    if layout == "folder-present":
        target.parent.mkdir()
    if layout == "absolute":
        link.symlink_to(target)
    elif layout == "chain":
        # credentials -> creds.link -> ../dotfiles/creds (missing)
        (aws / "creds.link").symlink_to("../dotfiles/creds")
        link.symlink_to("creds.link")
        links.append(aws / "creds.link")
    else:
        link.symlink_to("../dotfiles/creds")
    targets_before = {p: os.readlink(p) for p in links}

    name, r = setup_user(credctl, home, admin_env, "linked")
    assert r.code == 0, r
    for p, pointed in targets_before.items():
        assert p.is_symlink() and os.readlink(p) == pointed, "the link is kept as it was"
    assert target.is_file() and not target.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if layout == "folder-missing":
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    keys = moto.client("iam").list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert len(keys) == 1 and keys[0]["AccessKeyId"] in target.read_text()
    assert [p.name for p in aws.iterdir() if p.name.startswith(".credentials")] == [], "no temporary file left"
    cli = cli_as_profile(moto, home, "linked", "sts", "get-caller-identity")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(f":user/{name}")


def test_setup_user_with_a_link_loop_changes_nothing(moto, credctl, home, admin_env):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").symlink_to("loop")
    (aws / "loop").symlink_to("credentials")
    name, r = setup_user(credctl, home, admin_env, "looped")
    assert r.code == 2, r
    assert r.err.startswith("credctl: error: ") and f"{aws}/" in r.err, r
    assert os.readlink(aws / "credentials") == "loop" and os.readlink(aws / "loop") == "credentials"
    iam = moto.client("iam")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_user(UserName=name)


# --- rotate ---------------------------------------------------------------------------------

@pytest.fixture
def user_with_key(moto, credctl):
    iam = moto.client("iam")
    doc = json.loads(credctl("policy", "show", "rotate-own-key").out)
    for s in doc["Statement"]:
        s["Resource"] = "*"   # moto does not expand ${aws:username}
    name = "rot-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(doc))
    return name, iam.create_access_key(UserName=name)["AccessKey"]


def rotate_env(moto, home, profile):
    return {"AWS_PROFILE": profile, "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1",
            "CREDCTL_STATE_DIR": str(home / "state")}


def test_rotate_writes_through_a_chain_of_relative_links(moto, credctl, home, user_with_key):
    user, key = user_with_key
    aws = home / ".aws"
    aws.mkdir()
    real = home / "vault" / "aws" / "creds"
    real.parent.mkdir(parents=True)
    original = f"[ci]\naws_access_key_id = {key['AccessKeyId']}\naws_secret_access_key = {key['SecretAccessKey']}\n"
    real.write_text(original)
    (home / "dotfiles").symlink_to("vault/aws")                # a linked folder
    (aws / "credentials").symlink_to("../dotfiles/creds")
    r = credctl("rotate", "--yes", env=rotate_env(moto, home, "ci"))
    assert r.code == 0, r
    assert os.readlink(aws / "credentials") == "../dotfiles/creds" and os.readlink(home / "dotfiles") == "vault/aws"
    (new,) = [k["AccessKeyId"] for k in moto.client("iam").list_access_keys(UserName=user)["AccessKeyMetadata"]]
    text = real.read_text()
    assert new in text and key["AccessKeyId"] not in text
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    backup = real.parent / "creds.credctl-backup"
    assert backup.read_text() == original and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not (aws / "credentials.credctl-backup").exists()
    assert_not_shown(r, key["SecretAccessKey"])
    cli = cli_as_profile(moto, home, "ci", "sts", "get-caller-identity")
    assert cli.returncode == 0 and json.loads(cli.stdout)["Arn"].endswith(f":user/{user}"), cli.stderr


def test_rotate_with_a_dangling_link_creates_nothing_and_keeps_the_link(moto, credctl, home, user_with_key):
    """The key to rotate is in the config file; the credentials file is a link to nothing. There
    is no profile to write the successor to: refused before any key is created."""
    user, key = user_with_key
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text(f"[profile ci]\naws_access_key_id = {key['AccessKeyId']}\n"
                                f"aws_secret_access_key = {key['SecretAccessKey']}\n")
    (aws / "credentials").symlink_to("../dotfiles/creds")
    r = credctl("rotate", "--yes", env=rotate_env(moto, home, "ci"))
    assert r.code == 2, r
    assert r.err.startswith(f"credctl: error: key {key['AccessKeyId']} of {user} is not in {aws}/credentials, "), r
    assert r.err.endswith("hint: nothing was changed\n")
    assert os.readlink(aws / "credentials") == "../dotfiles/creds" and not (home / "dotfiles").exists()
    keys = moto.client("iam").list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [key["AccessKeyId"]]
    assert_not_shown(r, key["SecretAccessKey"])
