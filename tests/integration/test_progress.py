"""Progress on stderr: a running count (with its rate) on one rewritten line, only when stderr is
a terminal and the operation has lasted half a second, cleared before the output is printed;
nothing at all when stderr is not a terminal or with --quiet (docs/output.md, "stderr").

Each operation runs through a loopback proxy that adds latency to every call (rate_proxy.py),
so that it lasts past the half-second threshold, against a moto of its own (the many users and
parameters made here would change what other tests list). The terminal is a pseudo-terminal
(Python's `pty`); stdout stays a pipe, and must hold exactly what it holds without a terminal.
"""
import json
import os
import re
import shutil
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from conftest import BINARY, free_port, wait_for_port
from fault_proxy import FaultProxy
from rate_proxy import RateLimitProxy
from terminal import on_terminal

# The world (its own moto, 45 parameters, 40 users, 110 secrets) is built once: one worker.
pytestmark = pytest.mark.xdist_group("progress")

ERASE = "\x1b[K"


class OwnMoto:
    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def client(self, service):
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """moto (signature checking off) with a tree of 45 parameters, 40 users with a key each and
    110 secrets."""
    if shutil.which("moto_server") is None:
        pytest.fail("moto_server is not installed")
    port = free_port()
    log = open(tmp_path_factory.mktemp("progress-moto") / "moto.log", "w")
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, MOTO_ALLOW_NONEXISTENT_REGION="true"))
    try:
        wait_for_port(port)
        moto = OwnMoto(port)
        ssm, iam, sm = moto.client("ssm"), moto.client("iam"), moto.client("secretsmanager")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: ssm.put_parameter(Name=f"/tree/app/K{i:02d}", Value=f"value {i}", Type="String"), range(45)))
            list(pool.map(lambda i: iam.create_user(UserName=f"user-{i:02d}"), range(40)))
            list(pool.map(lambda i: iam.create_access_key(UserName=f"user-{i:02d}"), range(40)))
            list(pool.map(lambda i: sm.create_secret(Name=f"list/secret-{i:03d}", SecretString="x"), range(110)))
        yield moto
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def base_env(url, home):
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40, "AWS_ENDPOINT_URL": url}


def off_terminal(args, env, timeout=120):
    proc = subprocess.run([str(BINARY), *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def progress_lines(terminal, pattern):
    """The running-count lines the terminal was shown that match `pattern` (each rewrite of the line)."""
    lines = [part.replace(ERASE, "") for part in terminal.split("\r")]
    return [m for m in (re.fullmatch(pattern, line) for line in lines) if m]


RATE = r"[\d.]+/s"


def check_three_ways(args, env, pattern, total=None, code=0):
    """On a terminal: counts that grow, with a rate, cleared at the end, and stdout as without a
    terminal; off a terminal and with --quiet: nothing on stderr. Returns stdout."""
    code_t, out_t, terminal = on_terminal(args, env)
    assert code_t == code, terminal
    shown = progress_lines(terminal, pattern)
    assert shown, f"no progress line matching {pattern!r} on the terminal: {terminal!r}"
    counts = [int(m.group(1)) for m in shown]
    assert counts == sorted(counts), counts
    if total is not None:
        assert all(c <= total for c in counts), counts
    assert terminal.endswith("\r" + ERASE), f"the progress line is not cleared: {terminal[-80:]!r}"
    assert ERASE not in out_t and "\r" not in out_t

    code_p, out_p, err_p = off_terminal(args, env)
    assert code_p == code, err_p
    assert err_p == "", err_p
    assert out_p == out_t

    code_q, out_q, terminal_q = on_terminal(["--quiet", *args], env)
    assert code_q == code
    assert terminal_q == "", terminal_q
    assert out_q == out_t
    return out_t


def test_params_get_path_and_export(world, tmp_path):
    with RateLimitProxy(world.port, latency=0.2) as proxy:
        env = base_env(proxy.url, tmp_path)
        out = check_three_ways(["params", "get-path", "/tree/app", "--output", "json"], env, rf"read (\d+) parameters · {RATE}", total=45)
        assert json.loads(out) == {f"K{i:02d}": f"value {i}" for i in range(45)}
        out = check_three_ways(["params", "export", "/tree/app"], env, rf"read (\d+) parameters · {RATE}", total=45)
        assert out.count("\n") == 45 and 'K07="value 7"' in out


def test_params_import_and_copy(world, tmp_path):
    """Writes: `wrote N of 45 parameters` (each run writes under a new path)."""
    env_file = tmp_path / "app.env"
    env_file.write_text("".join(f"K{i:02d}=imported {i}\n" for i in range(45)))
    with RateLimitProxy(world.port, latency=0.1) as proxy:
        env = base_env(proxy.url, tmp_path)
        pattern = rf"wrote (\d+) of 45 parameters · {RATE}"
        for run in (on_terminal, off_terminal, lambda a, e: on_terminal(["--quiet", *a], e)):
            dest = f"/imported/{uuid.uuid4().hex[:8]}"
            code, out, err = run(["params", "import", dest, str(env_file), "--type", "String"], env)
            assert code == 0, err
            assert out.count("create") == 45
            if run is on_terminal:
                assert progress_lines(err, pattern), err
                assert err.endswith("\r" + ERASE)
            else:
                assert err == "", err
        for run in (on_terminal, off_terminal):
            dest = f"/copied/{uuid.uuid4().hex[:8]}"
            code, out, err = run(["params", "copy", "/tree/app", dest], env)
            assert code == 0, err
            assert out.count("create") == 45
            if run is on_terminal:
                assert progress_lines(err, pattern), err
                assert err.endswith("\r" + ERASE)
            else:
                assert err == "", err
    pages = world.client("ssm").get_paginator("get_parameters_by_path").paginate(Path=dest, Recursive=True)
    assert sum(len(p["Parameters"]) for p in pages) == 45


def test_params_list_pages(world, tmp_path):
    """DescribeParameters pages of 10 (moto's size), one after another: `listed N parameters`."""
    with RateLimitProxy(world.port, latency=0.2) as proxy:
        out = check_three_ways(["params", "list", "/tree/app", "--output", "json"], base_env(proxy.url, tmp_path),
                               rf"listed (\d+) parameters · {RATE}", total=45)
    assert len(json.loads(out)) == 45


def test_secrets_list_pages(world, tmp_path):
    with RateLimitProxy(world.port, latency=0.3) as proxy:
        out = check_three_ways(["secrets", "list", "--name-prefix", "list/", "--output", "json"], base_env(proxy.url, tmp_path),
                               rf"listed (\d+) secrets · {RATE}", total=110)
    assert len(json.loads(out)) == 110


def test_keys_audit_all_users(world, tmp_path):
    """Users listed, then each one's keys, then each key's last use: counts of a known total."""
    with RateLimitProxy(world.port, latency=0.1) as proxy:
        env = base_env(proxy.url, tmp_path)
        code, out, terminal = on_terminal(["keys", "audit", "--all-users", "--output", "json"], env)
        assert code == 0, terminal
        users = progress_lines(terminal, rf"listed the keys of (\d+) of 40 users · {RATE}")
        keys = progress_lines(terminal, rf"read the last use of (\d+) of 40 keys · {RATE}")
        assert users and keys, terminal
        assert [int(m.group(1)) for m in users] == sorted(int(m.group(1)) for m in users)
        assert terminal.endswith("\r" + ERASE)
        assert json.loads(out)["UsersChecked"] == 40
        code, out_p, err = off_terminal(["keys", "audit", "--all-users", "--output", "json"], env)
        assert code == 0 and err == "" and json.loads(out_p)["UsersChecked"] == 40
        code, _, terminal_q = on_terminal(["--quiet", "keys", "audit", "--all-users", "--output", "json"], env)
        assert code == 0 and terminal_q == ""


def test_a_quick_operation_shows_nothing(world, tmp_path):
    """Under half a second: no progress line even on a terminal."""
    code, out, terminal = on_terminal(["params", "get-path", "/tree/app"], base_env(world.url, tmp_path))
    assert code == 0 and terminal == "", terminal
    assert out.count("\n") == 46  # the header and 45 rows


# ---- rotate: what it waits for while IAM propagates the new key (the shared moto, as test_rotate) ----

def test_rotate_says_what_it_waits_for(moto, tmp_path):
    """STS refuses the new key twice (as while IAM propagates it): the terminal is told what
    rotate waits for; with --quiet, nothing. rotate prints step lines (not a running count), as
    off a terminal (test_rotate.py checks those)."""
    iam = moto.client("iam")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    for quiet in (False, True):
        name = "p-" + uuid.uuid4().hex[:10]
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        home = tmp_path / name
        (home / ".aws").mkdir(parents=True)
        (home / ".aws" / "credentials").write_text(
            f"[ci]\naws_access_key_id = {key['AccessKeyId']}\naws_secret_access_key = {key['SecretAccessKey']}\n")
        with FaultProxy(moto) as proxy:
            old = key["AccessKeyId"]
            proxy.add("GetCallerIdentity", "fail", times=2, status=403, code="InvalidClientTokenId", key=lambda k: k != old)
            env = dict(base_env(proxy.url, home), AWS_PROFILE="ci", CREDCTL_STATE_DIR=str(home / "state"))
            del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
            code, out, terminal = on_terminal((["--quiet"] if quiet else []) + ["rotate", "--yes", "--output", "json"], env)
        assert code == 0, terminal
        assert json.loads(out)["User"] == name
        if quiet:
            assert terminal == ""
        else:
            assert "InvalidClientTokenId; waiting for IAM to propagate the new key (up to 60 s)" in terminal, terminal
            assert "STS accepts" in terminal
