"""Issue 23, findings 7, 8 and 10: credctl's own files and folders under attack by someone who
can plant files, and local files that never end.

- Lock files: a symbolic link, a hard link, a FIFO or another user's file planted where a lock
  goes is refused (nothing followed, nothing truncated); credctl's folders are made 0700 and one
  that others can write is refused. A `vault.json` the user linked elsewhere is written through.
- Temporary files: every write removes the `.NAME.XXXXXX` files an earlier killed write left
  (the vault, the config file and the credentials file during `vault import`); one a live writer
  still holds (its flock) is left alone.
- Reads: a FIFO planted as a shared file, a token file or a vault file is refused at once (no
  hang); a file larger than 8 MiB is refused with its size; `/dev/null` still reads as empty.

Each case asserts the exit code, the exact message, that no secret is shown, and that nothing
was lost (the victim file's bytes, the vault's bytes, the credentials file)."""
import fcntl
import json
import os
import stat

import pytest

from conftest import write_aws_files

PASSPHRASE = "correct horse battery staple"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
VICTIM_TEXT = "precious bytes the user wrote\n"


def vault_env(**extra):
    return {"CREDCTL_VAULT_PASSPHRASE": PASSPHRASE, **extra}


def add_key(credctl, profile="p", env=None):
    return credctl("vault", "add", profile, env=env or vault_env(), stdin=f"{KEY_ID}\n{SECRET}\n", timeout=20)


def victim(home):
    path = home / "victim.txt"
    path.write_text(VICTIM_TEXT)
    return path


def no_secret(r):
    assert SECRET not in r.out + r.err and SECRET[:13] not in r.out + r.err


# Lock files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("plant", ["symlink", "hardlink", "fifo", "directory", "other-owner"])
def test_a_planted_vault_lock_is_refused_and_nothing_is_emptied(credctl, home, plant):
    assert add_key(credctl, "first").code == 0
    folder = home / ".aws" / "credctl"
    vault = folder / "vault.json"
    lock = folder / "vault.json.lock"
    lock.unlink(missing_ok=True)
    target = victim(home)
    reasons = {
        "symlink": "it is a symbolic link, and credctl follows none at its lock files",
        "hardlink": "it has 2 names (hard links); credctl uses only a file of its own",
        "fifo": "it is a FIFO, not a regular file",
        "directory": "Is a directory",
        "other-owner": f"it belongs to another user (uid 4242), not to you (uid {os.geteuid()})",
    }
    if plant == "symlink":
        lock.symlink_to(target)
    elif plant == "hardlink":
        os.link(target, lock)
    elif plant == "fifo":
        os.mkfifo(lock)
    elif plant == "directory":
        lock.mkdir()
    else:
        if os.geteuid() != 0:
            pytest.skip("making a file of another user needs root")
        lock.write_text("")
        os.chown(lock, 4242, 4242)
    before = vault.read_bytes()
    r = add_key(credctl, "second")
    assert r.code == 2, r
    assert r.err == f"credctl: error: cannot lock {lock}: {reasons[plant]}\n"
    no_secret(r)
    assert target.read_text() == VICTIM_TEXT and vault.read_bytes() == before


def test_a_symlink_at_the_credentials_file_lock_is_refused_by_import(credctl, home):
    state = home / "state"
    (state / "rotation").mkdir(parents=True, mode=0o700)
    os.chmod(state, 0o700)
    lock = state / "rotation" / "credentials-file.lock"
    target = victim(home)
    lock.symlink_to(target)
    aws = write_aws_files(home, config="[profile p]\nregion = us-east-1\n",
                          credentials=f"[p]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    credentials = (aws / "credentials").read_bytes()
    r = credctl("vault", "import", "--profile", "p", env=vault_env(CREDCTL_STATE_DIR=str(state)), timeout=20)
    assert r.code == 2, r
    assert r.err == f"credctl: error: cannot lock {lock}: it is a symbolic link, and credctl follows none at its lock files\n"
    no_secret(r)
    assert target.read_text() == VICTIM_TEXT and (aws / "credentials").read_bytes() == credentials
    assert not (home / ".aws" / "credctl" / "vault.json").exists()


# Folders ---------------------------------------------------------------------------------------

def test_credctl_folders_are_made_0700(credctl, home):
    assert add_key(credctl).code == 0
    assert stat.S_IMODE(os.stat(home / ".aws" / "credctl").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(home / ".aws" / "credctl" / "vault.json").st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722, 0o1777])
def test_a_vault_folder_others_can_write_is_refused(credctl, home, mode):
    folder = home / ".aws" / "credctl"
    folder.mkdir(parents=True)
    os.chmod(folder, mode)
    r = add_key(credctl)
    assert r.code == 2, r
    assert r.err == (f"credctl: error: cannot write {folder}: others can write in it (mode {mode:04o}); credctl keeps its "
                     f"files only in a folder only you can write: chmod go-w '{folder}'\n")
    no_secret(r)
    assert sorted(os.listdir(folder)) == []


def test_a_state_folder_others_can_write_is_refused_before_any_change(credctl, home):
    state = home / "state"
    state.mkdir()
    os.chmod(state, 0o777)
    aws = write_aws_files(home, config="[profile p]\nregion = us-east-1\n",
                          credentials=f"[p]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    before = (aws / "credentials").read_bytes(), (aws / "config").read_bytes()
    r = credctl("vault", "import", "--profile", "p", env=vault_env(CREDCTL_STATE_DIR=str(state)), timeout=20)
    assert r.code == 2, r
    assert r.err == (f"credctl: error: cannot write {state}: others can write in it (mode 0777); credctl keeps its files only "
                     f"in a folder only you can write: chmod go-w '{state}'\n"), r
    no_secret(r)
    assert ((aws / "credentials").read_bytes(), (aws / "config").read_bytes()) == before


def test_a_symlinked_vault_is_written_through_and_the_link_kept(credctl, home):
    folder = home / ".aws" / "credctl"
    folder.mkdir(parents=True, mode=0o700)
    dotfiles = home / "dotfiles"
    dotfiles.mkdir(mode=0o700)
    link = folder / "vault.json"
    link.symlink_to("../../dotfiles/vault.json")
    assert add_key(credctl, "first").code == 0
    assert add_key(credctl, "second").code == 0
    assert link.is_symlink() and os.readlink(link) == "../../dotfiles/vault.json"
    assert stat.S_IMODE(os.stat(dotfiles / "vault.json").st_mode) == 0o600
    r = credctl("vault", "list", "--output", "json", env=vault_env())
    assert r.code == 0 and '"first"' in r.out and '"second"' in r.out, r
    assert SECRET.encode() not in (dotfiles / "vault.json").read_bytes()


# Temporary files -------------------------------------------------------------------------------

def test_vault_import_removes_what_killed_writes_left_and_keeps_a_live_writers_file(credctl, home):
    aws = write_aws_files(home, config="[profile p]\nregion = us-east-1\n",
                          credentials=f"[p]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    folder = home / ".aws" / "credctl"
    folder.mkdir(parents=True, mode=0o700)
    leftovers = [aws / ".credentials.Ab12Cd", aws / ".config.zz99ZZ", folder / ".vault.json.q1W2e3"]
    for path in leftovers:
        path.write_text(f"[p]\naws_secret_access_key = {SECRET}\n")
    keep = [aws / ".credentials.notours", aws / ".credentials.Ab12Cd7"]
    for path in keep:
        path.write_text("keep")
    # A file a live writer holds (its lock taken) is not a leftover.
    live = aws / ".credentials.LiVe01"
    live.write_text("in progress")
    held = os.open(live, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        r = credctl("vault", "import", "--profile", "p", env=vault_env(CREDCTL_STATE_DIR=str(home / "state")), timeout=30)
        assert r.code == 0, r
        no_secret(r)
        for path in leftovers:
            assert not path.exists(), path
        for path in keep + [live]:
            assert path.exists(), path
    finally:
        os.close(held)
    for path in (home).rglob("*"):
        if path.is_file() and path != live:
            assert SECRET.encode() not in path.read_bytes(), path


# Reads -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["config", "credentials"])
def test_a_fifo_as_a_shared_file_is_no_file_at_once(credctl, home, which):
    """As botocore (`os.path.isfile`): a shared file that is not a regular file is no file; and
    it is never opened in a way that could block."""
    fifo = home / f"{which}.fifo"
    os.mkfifo(fifo)
    variable = "AWS_CONFIG_FILE" if which == "config" else "AWS_SHARED_CREDENTIALS_FILE"
    r = credctl("creds", "show", "--profile", "p", env={variable: str(fifo)}, timeout=10)
    assert r.code == 2, r
    config = fifo if which == "config" else home / ".aws" / "config"
    credentials = fifo if which == "credentials" else home / ".aws" / "credentials"
    assert r.err == f"credctl: error: profile 'p' (from --profile) is not in {config} or {credentials}\n"
    assert r.elapsed < 5


def test_a_fifo_as_the_vault_file_is_refused_at_once(credctl, home):
    fifo = home / "vault.fifo"
    os.mkfifo(fifo)
    r = credctl("vault", "list", env=vault_env(CREDCTL_VAULT_FILE=str(fifo)), timeout=10)
    assert r.code == 2, r
    assert r.err == f"credctl: error: cannot read {fifo}: it is a FIFO, not a regular file\n"


def test_a_fifo_as_a_token_file_is_refused_at_once(credctl, home):
    fifo = home / "token.fifo"
    os.mkfifo(fifo)
    env = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(fifo), "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
           "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_REGION": "us-east-1"}
    r = credctl("whoami", env=env, timeout=10)
    assert r.code == 3, r
    assert f"cannot read {fifo}: it is a FIFO, not a regular file" in r.err
    env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(fifo),
           "AWS_REGION": "us-east-1"}
    r = credctl("whoami", env=env, timeout=10)
    assert r.code == 3, r
    assert f"cannot read {fifo}: it is a FIFO, not a regular file" in r.err


def test_a_huge_shared_file_is_refused_with_its_limit(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    big = aws / "config"
    with open(big, "w") as f:
        f.write("[profile p]\nregion = us-east-1\n")
        f.write(("# " + "x" * 1000 + "\n") * (9 * 1024))
    r = credctl("creds", "show", "--profile", "p", timeout=20)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {big}: it is larger than 8 MiB, more than credctl reads from a file\n"


def test_dev_null_as_a_shared_file_is_still_empty(credctl, home):
    r = credctl("creds", "show", env={"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                                      "AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET}, timeout=10)
    assert r.code == 0, r
    no_secret(r)


@pytest.mark.parametrize("plant", ["fifo", "symlink", "huge"])
def test_a_planted_role_cache_entry_is_never_read_and_is_replaced(credctl, home, plant):
    """The role cache is credctl's own: an entry that is a FIFO, a link (to a file holding a valid
    entry) or over 8 MiB counts as absent (STS is asked again, no hang), and the new entry
    replaces it as a regular file; what the link pointed at is untouched."""
    from fake_servers import RecordingServer
    from test_hostile_expiry import STS, iso, role_setup
    aws = role_setup(home)
    sts = STS()
    with RecordingServer(sts) as server:
        env = {"AWS_ENDPOINT_URL": server.url}
        assert credctl("whoami", "--profile", "r", env=env).code == 0
        [entry_file] = list((aws / "credctl" / "cache").glob("*.json"))
        good = entry_file.read_text()
        entry_file.unlink()
        planted = home / "planted.json"
        planted.write_text(good.replace(json.loads(good)["SessionToken"], "planted-token"))
        planted_text = planted.read_text()
        if plant == "fifo":
            os.mkfifo(entry_file)
        elif plant == "symlink":
            entry_file.symlink_to(planted)
        else:
            entry_file.write_text(" " * (9 << 20) + good)
        sts.calls.clear()
        r = credctl("whoami", "--profile", "r", "--output", "json", env=env, timeout=15)
        assert r.code == 0, r
    assert [a for a, _ in sts.calls] == ["Action=AssumeRole", "Action=GetCallerIdentity"]
    assert "planted-token" not in [t for _, t in sts.calls]
    assert entry_file.is_file() and not entry_file.is_symlink()
    assert stat.S_IMODE(os.stat(entry_file).st_mode) == 0o600
    assert json.loads(entry_file.read_text())["Expiration"] > iso(3000)
    assert planted.read_text() == planted_text


def test_standard_input_that_never_ends_its_line_is_refused(credctl, home):
    r = credctl("vault", "add", "p", env=vault_env(), stdin="A" * (1 << 20), timeout=20)
    assert r.code == 2, r
    assert r.err == "credctl: error: give the access key id and the secret access key on standard input, one per line\n"
    assert not (home / ".aws" / "credctl" / "vault.json").exists()
