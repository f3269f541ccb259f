"""Vault profiles through exec, the credentials server, assume, console, whoami, creds show and
doctor: session credentials everywhere, the long-term key nowhere, the vault named as the source."""
import json
import os
import re
import subprocess
import sys

from test_console import FakeFederation
from test_vault import PASSPHRASE, aws_cli, clear_copies, moto_sessions, setup_profile, user, vault_env  # noqa: F401 (fixtures)

SHOW = 'echo "$CREDCTL_PROFILE|$AWS_ACCESS_KEY_ID|${AWS_SESSION_TOKEN:+token}|$AWS_CREDENTIAL_EXPIRATION"'


def imported(credctl, home, moto_sessions, user):
    setup_profile(home, user)
    env = vault_env(moto_sessions)
    r = credctl("vault", "import", "--profile", "p", env=env)
    assert r.code == 0, r
    return env


def test_exec_and_assume_hand_out_session_credentials(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    r = credctl("creds", "exec", "--profile", "p", "--", "sh", "-c", SHOW, env=env)
    assert r.code == 0, r
    marker, key, token, expiration = r.out.strip().split("|")
    assert marker == "p" and key.startswith("ASIA") and key != user["AccessKeyId"] and token == "token"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", expiration)
    assert user["SecretAccessKey"] not in r.out + r.err
    r = credctl("assume", "p", "--format", "json", env=env)
    assert r.code == 0, r
    assert json.loads(r.out)["AccessKeyId"] == key   # the cached session
    # Exported as a profile: the AWS CLI reads it; the long-term secret stays out of every file.
    r = credctl("assume", "p", "--export-profile", "p-session", env=env)
    assert r.code == 0, r
    cli = aws_cli(home, {"AWS_ENDPOINT_URL": moto_sessions.url}, "sts", "get-caller-identity", "--profile", "p-session", "--region", "us-east-1")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(f":user/{user['UserName']}")
    assert clear_copies(home, user["SecretAccessKey"]) == []


def test_the_server_serves_session_credentials(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    child = ("import boto3, json, os; s = boto3.session.Session(); "
             f"arn = s.client('sts', endpoint_url={moto_sessions.url!r}).get_caller_identity()['Arn']; "
             "c = s.get_credentials(); f = c.get_frozen_credentials(); "
             "print(json.dumps({'arn': arn, 'key': f.access_key, 'method': c.method, 'env': sorted(os.environ)}))")
    r = credctl("creds", "exec", "--profile", "p", "--server", "--", sys.executable, "-c", child, env=env, timeout=60)
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["arn"].endswith(f":user/{user['UserName']}") and report["method"] == "container-role"
    assert report["key"].startswith("ASIA") and report["key"] != user["AccessKeyId"]
    assert "AWS_ACCESS_KEY_ID" not in report["env"] and "CREDCTL_VAULT_PASSPHRASE" not in report["env"]  # withheld (issue 23 #4)
    # The session is stored sealed under the vault key: with no passphrase and no terminal nothing
    # opens it, and no child starts.
    no_passphrase = {k: v for k, v in env.items() if k != "CREDCTL_VAULT_PASSPHRASE"}
    r = credctl("creds", "exec", "--profile", "p", "--server", "--", sys.executable, "-c", child, env=no_passphrase, timeout=60)
    assert r.code == 3 and r.out == "", r
    assert r.err == ("credctl: error: no vault passphrase: there is no terminal to ask on; set CREDCTL_VAULT_PASSPHRASE, "
                     "or give --passphrase-command or CREDCTL_VAULT_PASSPHRASE_COMMAND\n"), r
    # With it, the stored session is served (no second GetSessionToken).
    r = credctl("creds", "exec", "--profile", "p", "--server", "--", sys.executable, "-c", child, env=env, timeout=60)
    assert r.code == 0 and json.loads(r.out)["key"] == report["key"], r


def test_whoami_creds_show_and_doctor_name_the_vault(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    vault = f"file {home}/.aws/credctl/vault.json (from default)"
    who = credctl("whoami", "--profile", "p", "--output", "json", env=env)
    assert who.code == 0, who
    c = json.loads(who.out)["Credentials"]
    assert (c["Provider"], c["Profile"], c["Location"]) == ("vault", "p", vault)
    assert c["Rule"] == "session credentials from GetSessionToken; the long-term key stays in the vault"
    line = f"vault, profile p ({vault})"
    assert f"Credentials  {line}" in credctl("whoami", "--profile", "p", env=env).out
    show = credctl("creds", "show", "--profile", "p", env=env)
    assert show.code == 0 and f"Credentials       {line} [cached]" in show.out, show.out
    doctor = credctl("doctor", "--profile", "p", "--output", "json", env=env)
    checks = {c["Check"]: c for c in json.loads(doctor.out)["Checks"]}
    assert checks["credentials"]["Status"] == "ok"
    assert checks["credentials"]["Detail"].startswith(f"{line} [cached]; rule: session credentials from GetSessionToken")


def test_console_federates_with_the_vaults_long_term_key(credctl, home, moto_sessions, user):
    env = imported(credctl, home, moto_sessions, user)
    with FakeFederation() as fake:
        r = credctl("console", "--profile", "p", "--print", "--debug", env={**env, "CREDCTL_FEDERATION_ENDPOINT": fake.url})
        assert r.code == 0, r
        [query] = fake.queries()
        assert json.loads(query["Session"])["sessionId"] == "AKIAIOSFODNN7EXAMPLE"   # moto's GetFederationToken answer
        assert f"GetFederationToken for federated user {user['UserName']} with the long-term key of vault profile p" in r.err
        for secret in (user["SecretAccessKey"], fake.tokens[0]):
            assert secret not in r.err
        # A wrong passphrase: exit 3, nothing asked of the endpoint.
        r = credctl("console", "--profile", "p", "--print", env={**env, "CREDCTL_FEDERATION_ENDPOINT": fake.url, "CREDCTL_VAULT_PASSPHRASE": "wrong"})
        assert r.code == 3 and r.out == ""
        assert r.err == f"credctl: error: wrong passphrase for the vault {home}/.aws/credctl/vault.json; nothing was changed\n"
        assert len(fake.server.requests) == 1
