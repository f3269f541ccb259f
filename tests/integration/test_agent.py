"""`credctl agent`: one per-user daemon holding session credentials in memory, asked first by
`vault credential-process` (the AWS CLI), `whoami`, `creds export`; MFA once; `lock`; another
user gets nothing; a killed agent leaves everything working alone.

A real agent process per test on a private runtime folder (agent_support.py), moto whose
GetSessionToken sessions work and are logged with their MFA parameters (moto_sessions.py), the
AWS CLI and boto3 as clients, and a fake `mfa_process` that counts how often it is asked.
"""
import json
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from agent_support import Agent
from conftest import BINARY, write_aws_files
from test_vault import PASSPHRASE, aws_cli, clear_copies, moto_sessions, user  # noqa: F401 (fixtures)

MFA_SERIAL = "arn:aws:iam::123456789012:mfa/me"
FAKE_MFA = Path(__file__).parent / "fake_mfa.py"


@pytest.fixture
def agent(home, moto_sessions):
    a = Agent(home, {"AWS_ENDPOINT_URL": moto_sessions.url})
    yield a
    a.stop()


def import_vault_profile(credctl, home, moto_sessions, user, mfa=True, mfa_log=None, duration=None):
    """Profile p's key imported into a file vault; with mfa, mfa_serial (and mfa_process when a log is given)."""
    config = "[profile p]\nregion = us-east-1\n"
    if mfa:
        config += f"mfa_serial = {MFA_SERIAL}\n"
    if mfa_log:
        config += f"mfa_process = {sys.executable} {FAKE_MFA} {mfa_log}\n"
    write_aws_files(home, config=config, credentials=f"[p]\naws_access_key_id = {user['AccessKeyId']}\n"
                                                     f"aws_secret_access_key = {user['SecretAccessKey']}\n")
    args = ["vault", "import", "--profile", "p"] + (["--session-duration", str(duration)] if duration else [])
    r = credctl(*args, env={"CREDCTL_VAULT_PASSPHRASE": PASSPHRASE, "AWS_ENDPOINT_URL": moto_sessions.url})
    assert r.code == 0, r


def sessions_of(moto_sessions, user):
    return [c for c in moto_sessions.session_calls() if c["Caller"] == user["AccessKeyId"]]


def test_ten_cli_calls_one_session_one_code_nothing_on_disk(credctl, home, moto_sessions, user, agent, tmp_path):
    mfa_log = tmp_path / "mfa.log"
    import_vault_profile(credctl, home, moto_sessions, user, mfa_log=mfa_log)
    vault_before = (home / ".aws" / "credctl" / "vault.json").read_bytes()
    agent.start()
    assert oct(agent.socket.parent.stat().st_mode & 0o777) == "0o700" and oct(agent.socket.stat().st_mode & 0o777) == "0o600"
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
    # The first call brings the passphrase (the agent asks the client, which has it in its variable).
    first = aws_cli(home, {**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE}, "sts", "get-caller-identity", "--profile", "p")
    assert first.returncode == 0, first.stderr
    # Nine more without any passphrase: the agent holds the session.
    for _ in range(9):
        r = aws_cli(home, env, "sts", "get-caller-identity", "--profile", "p")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["Arn"].endswith(f":user/{user['UserName']}")
    calls = sessions_of(moto_sessions, user)
    assert len(calls) == 1
    assert calls[0]["SerialNumber"] == MFA_SERIAL and calls[0]["TokenCode"] == "123456"
    assert mfa_log.read_text() == "asked\n"
    # boto3 and credctl itself get the same session.
    process = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert process.code == 0, process
    session = json.loads(process.out)
    assert session["AccessKeyId"] == calls[0]["AccessKeyId"]
    who = credctl("whoami", "--profile", "p", "--output", "json", env=env)
    assert who.code == 0, who
    assert json.loads(who.out)["Arn"].endswith(f":user/{user['UserName']}")
    export = credctl("creds", "export", "--profile", "p", "--format", "process", env=env)
    assert export.code == 0 and json.loads(export.out)["AccessKeyId"] == session["AccessKeyId"], export
    assert len(sessions_of(moto_sessions, user)) == 1
    # No session secret (nor the key) in any file under HOME; no cache folder at all.
    assert clear_copies(home, session["SecretAccessKey"]) == [] and clear_copies(home, session["SessionToken"]) == []
    assert clear_copies(home, user["SecretAccessKey"]) == []
    assert not (home / ".aws" / "credctl" / "cache").exists()
    # Not even sealed in the vault: the vault file is as the import left it.
    assert (home / ".aws" / "credctl" / "vault.json").read_bytes() == vault_before
    status = json.loads(agent.run("agent", "status", "--output", "json").stdout)
    assert status["SessionsHeld"] == 1 and status["VaultEntriesHeld"] == 0

    # After lock the next call needs the passphrase again (and a new code).
    locked = agent.run("agent", "lock", "--output", "json")
    assert locked.returncode == 0 and json.loads(locked.stdout) == {"Locked": True, "Forgotten": 1}, locked
    again = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert again.code == 3, again
    assert again.err == ("credctl: error: no vault passphrase: there is no terminal to ask on; set CREDCTL_VAULT_PASSPHRASE, "
                         "or give --passphrase-command or CREDCTL_VAULT_PASSPHRASE_COMMAND\n")
    ok = credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE})
    assert ok.code == 0, ok
    assert json.loads(ok.out)["AccessKeyId"] != session["AccessKeyId"]
    assert len(sessions_of(moto_sessions, user)) == 2 and mfa_log.read_text() == "asked\nasked\n"


def test_mfa_without_mfa_process_or_terminal_is_exit_3(credctl, home, moto_sessions, user, agent):
    import_vault_profile(credctl, home, moto_sessions, user)
    agent.start()
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    r = credctl("vault", "credential-process", "--profile", "p", env=env, stdin="")
    assert r.code == 3, r
    assert r.err == (f"credctl: error: profile 'p' needs an MFA code for {MFA_SERIAL}: pass --mfa-code or set mfa_process "
                     "in the profile (there is no terminal to ask on)\n")
    assert sessions_of(moto_sessions, user) == []
    # --mfa-code goes to the agent; the session it obtains serves the next client without one.
    ok = credctl("vault", "credential-process", "--profile", "p", "--mfa-code", "654321", env=env)
    assert ok.code == 0, ok
    again = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert again.code == 0 and again.out == ok.out, again
    [call] = sessions_of(moto_sessions, user)
    assert call["TokenCode"] == "654321"


def test_unlock_for_holds_the_vault_entry_only_when_asked(credctl, home, moto_sessions, user, agent):
    # 900-second sessions are inside the 15-minute refresh window one second after they are made:
    # every call a second later needs the key.
    import time
    import_vault_profile(credctl, home, moto_sessions, user, mfa=False, duration=900)
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
    agent.start()
    assert credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE}).code == 0
    time.sleep(1)
    without = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert without.code == 3 and "no vault passphrase" in without.err, without
    agent.stop()
    agent.start("--unlock-for", "1h")
    assert credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE}).code == 0
    time.sleep(1)
    held = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert held.code == 0, held
    status = json.loads(agent.run("agent", "status", "--output", "json").stdout)
    assert status["VaultEntriesHeld"] == 1 and status["UnlockFor"] == "1h"
    assert agent.run("agent", "lock").returncode == 0
    assert credctl("vault", "credential-process", "--profile", "p", env=env).code == 3


def test_killed_agent_leaves_every_tool_working(credctl, home, moto_sessions, user, agent):
    import_vault_profile(credctl, home, moto_sessions, user, mfa=False)
    agent.start()
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    assert credctl("vault", "credential-process", "--profile", "p", env=env).code == 0
    agent.kill()
    assert agent.socket.exists()  # a dead socket stays behind
    for args in (["vault", "credential-process", "--profile", "p"], ["whoami", "--profile", "p"],
                 ["creds", "export", "--profile", "p", "--format", "process"]):
        r = credctl(*args, env=env)
        assert r.code == 0, (args, r)
    cli = aws_cli(home, env, "sts", "get-caller-identity", "--profile", "p")
    assert cli.returncode == 0, cli.stderr
    status = agent.run("agent", "status")
    assert status.returncode == 1 and status.stdout.startswith("Running  no\n"), status
    # A new agent replaces the dead socket.
    agent.start()
    assert json.loads(agent.run("agent", "status", "--output", "json").stdout)["Running"] is True


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


def test_another_user_gets_nothing(credctl, home, moto_sessions, user, agent):
    import_vault_profile(credctl, home, moto_sessions, user, mfa=False)
    agent.start()
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    assert credctl("vault", "credential-process", "--profile", "p", env=env).code == 0
    # Open the folder and socket to everyone: only the peer check stands between nobody and the agent.
    agent.runtime.chmod(0o755)
    agent.socket.parent.chmod(0o755)
    agent.socket.chmod(0o777)
    probe = ("import socket, struct, json, sys\n"
             "s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)\n"
             "for m in ({'op': 'status'}, {'op': 'credentials', 'source': 'vault', 'profile': 'p', 'environment': {}}):\n"
             "    b = json.dumps(m).encode()\n"
             "    try:\n"
             "        s.sendall(struct.pack('>I', len(b)) + b)\n"
             "    except OSError:\n"
             "        pass\n"
             "try:\n"
             "    data = s.recv(65536)\n"
             "except OSError as e:\n"
             "    data = b''\n"
             "print(json.dumps({'uid': __import__('os').getuid(), 'answer': data.decode('latin-1')}))\n")
    r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c", probe, str(agent.socket)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    seen = json.loads(r.stdout)
    assert seen["uid"] != os.getuid() and seen["answer"] == ""
    # The same probe as this user is answered (the check is by user, nothing else).
    mine = subprocess.run([sys.executable, "-c", probe, str(agent.socket)], capture_output=True, text=True, timeout=30)
    assert '"pid"' in json.loads(mine.stdout)["answer"]
    # credctl run as nobody finds no agent it may talk to.
    other = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(BINARY), "agent", "status"],
                           env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", "CREDCTL_AGENT_SOCKET": str(agent.socket)},
                           capture_output=True, text=True, timeout=30)
    assert other.returncode == 1 and other.stdout.startswith("Running  no\n"), other


def test_start_refuses_a_folder_others_can_reach_and_is_idempotent(credctl, home, agent):
    (agent.runtime / "credctl").mkdir(mode=0o755)
    (agent.runtime / "credctl").chmod(0o755)
    r = agent.run("agent", "start")
    assert r.returncode == 2, r
    assert r.stderr == (f"credctl: error: credctl agent: refusing to listen there: {agent.runtime}/credctl is open to other users "
                        "(mode 755); the agent's folder must be yours, mode 0700\n")
    (agent.runtime / "credctl").chmod(0o700)
    agent.start("--idle-limit", "2h")
    again = agent.run("agent", "start", "--output", "json")
    assert again.returncode == 0 and json.loads(again.stdout)["AlreadyRunning"] is True
    assert json.loads(again.stdout)["IdleLimit"] == "2h"
    bad = agent.run("agent", "start", "--unlock-for", "3d")
    assert bad.returncode == 2 and "--unlock-for '3d' is out of range" in bad.stderr
    stop = agent.run("agent", "stop")
    assert stop.returncode == 0 and stop.stdout == "Stopped  yes\n"
    agent.pid = None
    off = agent.run("agent", "status", env={"CREDCTL_AGENT_SOCKET": "off"})
    assert off.returncode == 2 and off.stderr == "credctl: error: CREDCTL_AGENT_SOCKET=off: credctl uses no agent\n"


def test_mfa_prompt_on_the_terminal_of_the_client_that_asked(credctl, home, moto_sessions, user, agent):
    """The AWS CLI swallows credential_process's stderr; the agent's question reaches the user on
    the client's /dev/tty, once; later clients without a terminal get the same session."""
    import pexpect
    import_vault_profile(credctl, home, moto_sessions, user)
    agent.start()
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true",
           **agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)}
    cli = pexpect.spawn("aws", ["sts", "get-caller-identity", "--profile", "p"], env=env, timeout=60, encoding="utf-8")
    cli.expect_exact(f"Enter MFA code for {MFA_SERIAL}: ")
    cli.sendline("246810")
    cli.expect(pexpect.EOF)
    cli.close()
    assert cli.exitstatus == 0, cli.before
    assert f":user/{user['UserName']}" in cli.before and "246810" not in cli.before  # echo off
    for _ in range(3):
        r = aws_cli(home, agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url), "sts", "get-caller-identity", "--profile", "p")
        assert r.returncode == 0, r.stderr
    [call] = sessions_of(moto_sessions, user)
    assert call["SerialNumber"] == MFA_SERIAL and call["TokenCode"] == "246810"


def test_assumed_role_held_in_memory_not_in_the_cache_folder(credctl, home, moto_sessions, user, agent):
    import boto3
    iam = boto3.client("iam", endpoint_url=moto_sessions.url, region_name="us-east-1",
                       aws_access_key_id=moto_sessions.key_id, aws_secret_access_key=moto_sessions.secret)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    name = "agent-role-" + user["UserName"]
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    write_aws_files(home, config=f"[profile r]\nrole_arn = {arn}\nsource_profile = base\nregion = us-east-1\n",
                    credentials=f"[base]\naws_access_key_id = {user['AccessKeyId']}\naws_secret_access_key = {user['SecretAccessKey']}\n")
    agent.start()
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
    keys = set()
    for _ in range(3):
        r = credctl("creds", "export", "--profile", "r", "--format", "process", env=env)
        assert r.code == 0, r
        keys.add(json.loads(r.out)["AccessKeyId"])
    assert len(keys) == 1
    who = credctl("whoami", "--profile", "r", "--output", "json", env=env)
    assert who.code == 0 and f"assumed-role/{name}/" in json.loads(who.out)["Arn"], who
    assert not (home / ".aws" / "credctl" / "cache").exists()
    assert json.loads(agent.run("agent", "status", "--output", "json").stdout)["SessionsHeld"] == 1
    # Without the agent, credctl caches as it always did.
    agent.kill()
    r = credctl("creds", "export", "--profile", "r", "--format", "process", env=env)
    assert r.code == 0 and json.loads(r.out)["AccessKeyId"] not in keys, r
    assert len(list((home / ".aws" / "credctl" / "cache").iterdir())) == 1


def container_fetch(env_lines, moto_url):
    """botocore's ContainerProvider, given only the two variables, then STS with what it fetched."""
    variables = dict(line.split("=", 1) for line in env_lines.splitlines())
    script = ("import json, boto3\n"
              "from botocore.credentials import ContainerProvider\n"
              "c = ContainerProvider().load()\n"
              "if c is None:\n    print(json.dumps(None)); raise SystemExit\n"
              "f = c.get_frozen_credentials()\n"
              f"arn = boto3.client('sts', endpoint_url='{moto_url}', region_name='us-east-1', aws_access_key_id=f.access_key,"
              " aws_secret_access_key=f.secret_key, aws_session_token=f.token).get_caller_identity()['Arn']\n"
              "print(json.dumps({'key': f.access_key, 'arn': arn}))\n")
    r = subprocess.run([sys.executable, "-c", script], env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", **variables},
                       capture_output=True, text=True, timeout=60)
    return r


def raw_get(port, path, token):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Authorization": token} if token else {})
    response = conn.getresponse()
    return response.status, response.read().decode()


def test_container_endpoint_serves_profiles_to_botocore(credctl, home, moto_sessions, user, agent):
    from conftest import free_port
    import_vault_profile(credctl, home, moto_sessions, user, mfa=False)
    port = free_port()
    agent.start("--container-port", str(port))
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
    status = json.loads(agent.run("agent", "status", "--output", "json").stdout)
    assert status["ContainerEndpoint"] == f"http://127.0.0.1:{port}/profile/NAME"
    lines = credctl("agent", "container-env", "--profile", "p", env=env)
    assert lines.code == 0, lines
    token = lines.out.splitlines()[1].split("=", 1)[1]
    assert lines.out == f"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:{port}/profile/p\nAWS_CONTAINER_AUTHORIZATION_TOKEN={token}\n"
    # Nobody to ask a passphrase of: 503 until a client's request has obtained the session, never a hang.
    assert raw_get(port, "/profile/p", token)[0] == 503
    session = json.loads(credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE}).out)
    r = container_fetch(lines.out, moto_sessions.url)
    assert r.returncode == 0, r.stderr
    fetched = json.loads(r.stdout)
    assert fetched["key"] == session["AccessKeyId"] and fetched["arn"].endswith(f":user/{user['UserName']}")
    assert len(sessions_of(moto_sessions, user)) == 1
    # Refusals: no token, another token, no such profile, a path that names none.
    assert raw_get(port, "/profile/p", None)[0] == 401
    assert raw_get(port, "/profile/p", "0" * 64)[0] == 403
    assert raw_get(port, "/profile/", token)[0] == 404 and raw_get(port, "/credentials", token)[0] == 404
    missing = raw_get(port, "/profile/nosuch", token)
    assert missing[0] == 503 and "SecretAccessKey" not in missing[1]
    # lock: the endpoint forgets too.
    assert agent.run("agent", "lock").returncode == 0
    assert raw_get(port, "/profile/p", token)[0] == 503
    without = agent.run("agent", "container-env", "--profile", "p", env={"CREDCTL_AGENT_SOCKET": str(agent.runtime / "none.sock")})
    assert without.returncode == 3 and "no agent is running" in without.stderr


def test_socket_activation(credctl, home, moto_sessions, user, agent):
    """systemd's socket activation (systemd-socket-activate plays the user manager): the agent
    takes the socket it is passed, serves, checks peers as ever, and leaves systemd's socket file."""
    import time
    import_vault_profile(credctl, home, moto_sessions, user, mfa=False)
    agent.socket.parent.mkdir(mode=0o700)
    proc = subprocess.Popen(["systemd-socket-activate", "-l", str(agent.socket), str(BINARY), "agent", "start", "--foreground"],
                            env=agent.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            if agent.socket.exists():
                break
            time.sleep(0.05)
        env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
        first = credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE})
        assert first.code == 0, (first, proc.stderr.read() if proc.poll() is not None else "")
        again = credctl("vault", "credential-process", "--profile", "p", env=env)
        assert again.code == 0 and again.out == first.out, again
        status = json.loads(agent.run("agent", "status", "--output", "json").stdout)
        assert status["Pid"] == proc.pid and status["SessionsHeld"] == 1
        assert agent.run("agent", "stop").returncode == 0
        proc.wait(timeout=10)
        assert agent.socket.exists()  # systemd's socket stays for the next activation
    finally:
        proc.kill()
        proc.wait()


def test_stop_returns_when_the_agent_is_gone_so_start_starts_a_new_one(agent):
    """`agent stop` then `agent start` at once (a shell profile, docs/agent.md's examples): the
    second start finds no agent and starts another, never the one that was stopping."""
    for _ in range(3):
        agent.start()
        first = agent.pid
        assert agent.run("agent", "stop").returncode == 0
        r = agent.run("agent", "start", "--output", "json")
        assert r.returncode == 0, r
        started = json.loads(r.stdout)
        agent.pid = started["Pid"]
        assert started["AlreadyRunning"] is False and started["Pid"] != first, started
        assert agent.run("agent", "stop").returncode == 0
        status = agent.run("agent", "status")
        assert status.returncode == 1, status
        agent.pid = None
