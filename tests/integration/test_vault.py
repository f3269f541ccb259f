"""`credctl vault`: keys out of plaintext, reachable by the AWS CLI, boto3 and credctl itself
through `credential_process`, with session credentials from GetSessionToken.

Runs against moto_sessions.py (moto whose GetSessionToken credentials pass its signature
checking) and, for the secret-service backend, a real gnome-keyring-daemon on a private bus.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from conftest import ADMIN_POLICY, BINARY, ROOT, free_port, wait_for_port, write_aws_files

PASSPHRASE = "correct horse battery staple"


class MotoSessions:
    def __init__(self, port, key_id, secret, log):
        self.url = f"http://127.0.0.1:{port}"
        self.key_id, self.secret, self.log = key_id, secret, log

    def session_calls(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []

    def new_user_key(self, name):
        iam = boto3.client("iam", endpoint_url=self.url, region_name="us-east-1",
                           aws_access_key_id=self.key_id, aws_secret_access_key=self.secret)
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=ADMIN_POLICY)
        return iam.create_access_key(UserName=name)["AccessKey"]


@pytest.fixture(scope="module")
def moto_sessions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("moto-sessions")
    port = free_port()
    log = folder / "calls.jsonl"
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3", MOTO_SESSIONS_LOG=str(log))
    out = open(folder / "moto.log", "w")
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "moto_sessions.py"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_port(port)
        iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id="AKIABOOTSTRAP0000000", aws_secret_access_key="bootstrap")
        iam.create_user(UserName="admin")
        iam.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=ADMIN_POLICY)
        key = iam.create_access_key(UserName="admin")["AccessKey"]
        yield MotoSessions(port, key["AccessKeyId"], key["SecretAccessKey"], log)
    finally:
        proc.kill()
        proc.wait()
        out.close()


@pytest.fixture
def user(moto_sessions, request):
    name = "u" + str(abs(hash(request.node.name)) % 10**8)
    return moto_sessions.new_user_key(name) | {"UserName": name}


def vault_env(moto_sessions, **extra):
    return {"CREDCTL_VAULT_PASSPHRASE": PASSPHRASE, "AWS_ENDPOINT_URL": moto_sessions.url, **extra}


def files_under(home):
    return sorted(str(p.relative_to(home)) for p in Path(home).rglob("*") if p.is_file())


def clear_copies(home, secret):
    """Every file under HOME that holds the secret in clear."""
    return [str(p) for p in Path(home).rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def setup_profile(home, user, profile="p", extra_credentials="", config="[profile p]\nregion = us-east-1\n"):
    credentials = (f"# hand-written\n[{profile}]\naws_access_key_id = {user['AccessKeyId']}\n"
                   f"aws_secret_access_key = {user['SecretAccessKey']}\nregion = us-east-1\n\n{extra_credentials}")
    return write_aws_files(home, config=config, credentials=credentials)


def aws_cli(home, env, *args):
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", **env}
    return subprocess.run(["aws", *args], env=full, capture_output=True, text=True, timeout=60)


def test_import_then_every_consumer_gets_session_credentials(credctl, home, moto_sessions, user):
    aws = setup_profile(home, user, extra_credentials="[other]\naws_access_key_id = AKIAOTHER0000000000\naws_secret_access_key = other-secret-0000000000\n")
    (aws / "credentials.credctl-backup").write_text(f"[p]\naws_secret_access_key = {user['SecretAccessKey']}\n")
    env = vault_env(moto_sessions)
    r = credctl("vault", "import", "--profile", "p", env=env)
    assert r.code == 0, r
    assert r.out == (f"Imported        p\n"
                     f"Backup deleted  {home}/.aws/credentials.credctl-backup\n"
                     f"Vault           file {home}/.aws/credctl/vault.json (from default)\n")
    # Every other byte of the credentials file kept; the config points the profile at the vault.
    assert (aws / "credentials").read_text() == ("# hand-written\n[p]\nregion = us-east-1\n\n[other]\naws_access_key_id = AKIAOTHER0000000000\n"
                                                 "aws_secret_access_key = other-secret-0000000000\n")
    assert (aws / "config").read_text() == (f"[profile p]\nregion = us-east-1\ncredential_process = {BINARY.resolve()} vault credential-process --profile p\n")
    assert clear_copies(home, user["SecretAccessKey"]) == []

    # The AWS CLI, through credential_process.
    cli = aws_cli(home, env, "sts", "get-caller-identity", "--profile", "p")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"] == f"arn:aws:iam::123456789012:user/{user['UserName']}"
    # boto3, through credential_process: session credentials, never the long-term key.
    script = ("import boto3, json; s = boto3.session.Session(profile_name='p', region_name='us-east-1'); "
              "arn = s.client('sts').get_caller_identity()['Arn']; c = s.get_credentials().get_frozen_credentials(); "
              "print(json.dumps({'arn': arn, 'key': c.access_key, 'token': c.token is not None}))")
    py = subprocess.run([sys.executable, "-c", script], env={"HOME": str(home), "PATH": os.environ["PATH"], **env},
                        capture_output=True, text=True, timeout=60)
    assert py.returncode == 0, py.stderr
    report = json.loads(py.stdout)
    assert report["arn"].endswith(f":user/{user['UserName']}") and report["key"].startswith("ASIA") and report["token"]
    assert report["key"] != user["AccessKeyId"]
    # credctl itself.
    who = credctl("whoami", "--profile", "p", "--output", "json", env=env)
    assert who.code == 0, who
    identity = json.loads(who.out)
    assert identity["Arn"].endswith(f":user/{user['UserName']}")
    assert json.dumps(identity).count("ASIA") >= 1 and user["AccessKeyId"] not in who.out

    # One GetSessionToken for all three (the session is cached), signed with the vault's key.
    calls = moto_sessions.session_calls()
    assert [c["Caller"] for c in calls].count(user["AccessKeyId"]) == 1
    # Still nothing in clear under HOME: the cache holds the session, not the key.
    assert clear_copies(home, user["SecretAccessKey"]) == []
    assert ".aws/credctl/vault.json" in files_under(home)
    assert oct(os.stat(aws / "credctl" / "vault.json").st_mode & 0o777) == "0o600"


def test_wrong_passphrase_and_missing_entry(credctl, home, moto_sessions, user):
    setup_profile(home, user, config="[profile p]\nregion = us-east-1\n[profile q]\nregion = us-east-1\n")
    assert credctl("vault", "import", "--profile", "p", env=vault_env(moto_sessions)).code == 0
    vault = home / ".aws" / "credctl" / "vault.json"
    before = vault.read_bytes()
    wrong = vault_env(moto_sessions, CREDCTL_VAULT_PASSPHRASE="not the passphrase")
    for args in (["vault", "credential-process", "--profile", "p"], ["vault", "remove", "p"]):
        r = credctl(*args, env=wrong)
        assert r.code == 3, r
        assert r.err == f"credctl: error: wrong passphrase for the vault {vault}; nothing was changed\n"
    r = credctl("vault", "add", "x", env=wrong, stdin=f"{user['AccessKeyId']}\n{user['SecretAccessKey']}\n")
    assert r.code == 3 and "wrong passphrase" in r.err
    assert vault.read_bytes() == before
    r = credctl("vault", "credential-process", "--profile", "q", env=vault_env(moto_sessions))
    assert r.code == 3
    assert r.err == f"credctl: error: the vault file {vault} holds no keys for profile 'q' (see credctl vault list)\n"
    r = credctl("vault", "credential-process", "--profile", "p", env={"AWS_ENDPOINT_URL": moto_sessions.url}, stdin="")
    assert r.code == 3
    assert r.err == ("credctl: error: no vault passphrase: there is no terminal to ask on; set CREDCTL_VAULT_PASSPHRASE, "
                     "or give --passphrase-command or CREDCTL_VAULT_PASSPHRASE_COMMAND\n")
    # A passphrase command works, and its failure is reported without its output.
    ok = credctl("vault", "credential-process", "--profile", "p", "--passphrase-command", f"printf %s '{PASSPHRASE}'",
                 env={"AWS_ENDPOINT_URL": moto_sessions.url, "CREDCTL_CACHE_DIR": str(home / "fresh-cache")})
    assert ok.code == 0 and json.loads(ok.out)["AccessKeyId"].startswith("ASIA")
    bad = credctl("vault", "list", "--passphrase-command", "sh -c 'echo leak; exit 4'", env={})
    assert bad.code == 0  # listing needs no passphrase


def test_add_list_remove_export(credctl, home, moto_sessions, user):
    write_aws_files(home, config="[profile p]\nregion = us-east-1\n", credentials="[keep]\nregion = eu-west-1\n")
    env = vault_env(moto_sessions)
    r = credctl("vault", "add", "p", "--session-duration", "900", "--mfa-serial", "arn:aws:iam::123456789012:mfa/me",
                env=env, stdin=f"{user['AccessKeyId']}\n{user['SecretAccessKey']}\n")
    assert r.code == 0, r
    assert user["SecretAccessKey"] not in r.out and user["AccessKeyId"] not in r.out
    again = credctl("vault", "add", "p", env=env, stdin=f"{user['AccessKeyId']}\n{user['SecretAccessKey']}\n")
    assert again.code == 2 and "already holds keys for profile 'p'" in again.err
    listing = json.loads(credctl("vault", "list", "--output", "json", env={}).out)
    assert listing["Vault"] == f"file {home}/.aws/credctl/vault.json (from default)"
    [entry] = listing["Profiles"]
    assert entry["Profile"] == "p" and entry["AccessKeyId"] == user["AccessKeyId"][:4] + "*" * 12 + user["AccessKeyId"][-4:]
    assert entry["SessionDurationSeconds"] == 900 and entry["MFASerial"] == "arn:aws:iam::123456789012:mfa/me" and entry["AgeDays"] == 0
    # Bad input: exit 2, nothing stored.
    for stdin, message in ((f"ASIAIOSFODNN7EXAMPLE\n{user['SecretAccessKey']}\n", "is a temporary key (ASIA…); the vault holds long-term keys (AKIA…)"),
                           ("", "give the access key id and the secret access key on standard input, one per line"),
                           (f"{user['AccessKeyId']}\nshort\n", "the secret access key must be 16 to 256 printable characters without spaces")):
        bad = credctl("vault", "add", "q", env=env, stdin=stdin)
        assert bad.code == 2 and message in bad.err and "short" not in bad.err.replace("short\n", "")
    assert [p["Profile"] for p in json.loads(credctl("vault", "list", "--output", "json").out)["Profiles"]] == ["p"]
    # Export on request: keys back in the credentials file.
    out = credctl("vault", "export", "--profile", "p", "--remove-from-vault", env=env)
    assert out.code == 0, out
    assert (home / ".aws" / "credentials").read_text() == (f"[keep]\nregion = eu-west-1\n\n[p]\naws_access_key_id = {user['AccessKeyId']}\n"
                                                            f"aws_secret_access_key = {user['SecretAccessKey']}\n")
    assert json.loads(credctl("vault", "list", "--output", "json").out)["Profiles"] == []
    missing = credctl("vault", "remove", "p", env=env)
    assert missing.code == 3 and "holds no keys for profile 'p'" in missing.err


def test_import_refusals_change_nothing(credctl, home, moto_sessions, user):
    setup_profile(home, user, config="[profile p]\ncredential_process = /opt/other-tool\n")
    before = {f: (home / f).read_bytes() for f in files_under(home)}
    r = credctl("vault", "import", "--profile", "p", env=vault_env(moto_sessions))
    assert r.code == 2
    assert r.err == "credctl: error: profile 'p' already sets credential_process in " + f"{home}/.aws/config; nothing was changed\n"
    assert {f: (home / f).read_bytes() for f in files_under(home) if not f.startswith(".aws/credctl")} == before
    assert not (home / ".aws" / "credctl" / "vault.json").exists()
    usage = credctl("vault", "import", env=vault_env(moto_sessions))
    assert usage.code == 2 and "give --profile NAME or --all" in usage.err


def test_import_all_with_the_secret_service_backend(credctl, home, moto_sessions, user, tmp_path):
    keyring_dir = tmp_path / "keyring"
    started = subprocess.run(["bash", str(ROOT / "scripts/lib/keyring.sh"), "start", str(keyring_dir), "keyring pw"],
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    bus = dict(line.split("=", 1) for line in started.stdout.splitlines())
    try:
        second = moto_sessions.new_user_key(user["UserName"] + "b")
        setup_profile(home, user, extra_credentials=f"[q]\naws_access_key_id = {second['AccessKeyId']}\naws_secret_access_key = {second['SecretAccessKey']}\n",
                      config="[profile p]\nregion = us-east-1\n")
        env = {"AWS_ENDPOINT_URL": moto_sessions.url, "AWS_DEFAULT_REGION": "us-east-1", "CREDCTL_VAULT_BACKEND": "secret-service",
               "DBUS_SESSION_BUS_ADDRESS": bus["DBUS_SESSION_BUS_ADDRESS"], "XDG_RUNTIME_DIR": bus["XDG_RUNTIME_DIR"]}
        r = credctl("vault", "import", "--all", env=env)
        assert r.code == 0, r
        assert r.out == "Imported  p, q\nVault     secret-service (from CREDCTL_VAULT_BACKEND)\n"
        for secret in (user["SecretAccessKey"], second["SecretAccessKey"]):
            assert clear_copies(home, secret) == []
        cli = aws_cli(home, env, "sts", "get-caller-identity", "--profile", "q")
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)["Arn"].endswith(f":user/{second['UserName']}")
        # A locked keyring: exit 3, and the fix named.
        subprocess.run(["bash", str(ROOT / "scripts/lib/keyring.sh"), "lock", str(keyring_dir)], check=True, timeout=30)
        locked = credctl("vault", "credential-process", "--profile", "p", "--no-cache", env=env)
        assert locked.code == 3
        assert locked.err == ("credctl: error: the keyring is locked (the item of profile 'p' exists but the keyring gives out no secret); "
                              "unlock it, for example by logging in to the desktop session, and retry\n")
        listing = credctl("vault", "list", "--output", "json", env=env)
        assert [p["Profile"] for p in json.loads(listing.out)["Profiles"]] == ["p", "q"]
    finally:
        subprocess.run(["bash", str(ROOT / "scripts/lib/keyring.sh"), "stop", str(keyring_dir)], timeout=30)


def test_stored_session_is_sealed_and_goes_with_its_entry(credctl, home, moto_sessions, user):
    """`vault credential-process` keeps its session sealed with the entry: served again without
    calling STS, opened only with the passphrase, in clear in no file, gone with the entry."""
    setup_profile(home, user)
    env = vault_env(moto_sessions)
    assert credctl("vault", "import", "--profile", "p", env=env).code == 0
    first = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert first.code == 0
    session = json.loads(first.out)
    calls = len(moto_sessions.session_calls())
    again = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert again.code == 0 and again.out == first.out
    assert len(moto_sessions.session_calls()) == calls
    # Nothing of the session in clear under HOME (no cache file, not in vault.json).
    for secret in (session["SecretAccessKey"], session["SessionToken"], session["AccessKeyId"], user["SecretAccessKey"]):
        assert clear_copies(home, secret) == []
    assert not [f for f in files_under(home) if "/cache/" in f]
    # A wrong passphrase opens nothing and changes nothing.
    vault = home / ".aws" / "credctl" / "vault.json"
    before = vault.read_bytes()
    wrong = credctl("vault", "credential-process", "--profile", "p", env=vault_env(moto_sessions, CREDCTL_VAULT_PASSPHRASE="wrong"))
    assert wrong.code == 3 and wrong.out == ""
    assert wrong.err == f"credctl: error: wrong passphrase for the vault {vault}; nothing was changed\n"
    assert vault.read_bytes() == before and len(moto_sessions.session_calls()) == calls
    # Removed and added back with the same key: the old session is not served.
    assert credctl("vault", "remove", "p", env=env).code == 0
    assert b'"session"' not in vault.read_bytes()
    r = credctl("vault", "add", "p", env=env, stdin=f"{user['AccessKeyId']}\n{user['SecretAccessKey']}\n")
    assert r.code == 0, r
    fresh = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert fresh.code == 0 and json.loads(fresh.out)["AccessKeyId"] != session["AccessKeyId"]
    assert len(moto_sessions.session_calls()) == calls + 1
