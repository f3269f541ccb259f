"""`credctl cached -- CMD`: CMD runs once for every call until its credentials near expiry, when
an agent is running; a failing CMD or a malformed result is never kept; without an agent CMD runs
each time and nothing is written. boto3 reads it through `credential_process`."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent_support import Agent
from conftest import BINARY, write_aws_files

FAKE = Path(__file__).parent / "fake_process.py"


@pytest.fixture
def agent(home):
    a = Agent(home, {})
    yield a
    a.stop()


def runs(log):
    return log.read_text().count("ran\n") if log.exists() else 0


def test_one_run_serves_every_call_until_near_expiry(credctl, home, agent, tmp_path):
    log = tmp_path / "runs.log"
    agent.start()
    env = agent.client_env()
    outputs = [credctl("cached", "--", sys.executable, str(FAKE), str(log), "3600", env=env) for _ in range(5)]
    assert all(o.code == 0 for o in outputs), outputs
    assert len({o.out for o in outputs}) == 1 and runs(log) == 1
    served = json.loads(outputs[0].out)
    assert served["Version"] == 1 and served["AccessKeyId"] == "ASIAFAKEPROCESS00001" and served["SessionToken"] == "process-token-1"
    # boto3 in three processes, through credential_process: still the one run.
    write_aws_files(home, config=f"[profile c]\ncredential_process = {BINARY} cached -- {sys.executable} {FAKE} {log} 3600\n")
    script = "import boto3; print(boto3.session.Session(profile_name='c').get_credentials().get_frozen_credentials().access_key)"
    for _ in range(3):
        py = subprocess.run([sys.executable, "-c", script], env={"HOME": str(home), "PATH": os.environ["PATH"], **env},
                            capture_output=True, text=True, timeout=60)
        assert py.returncode == 0 and py.stdout == "ASIAFAKEPROCESS00001\n", py.stderr
    assert runs(log) == 1
    # Credentials inside the 15-minute refresh window are never held: each call runs CMD.
    near = tmp_path / "near.log"
    for _ in range(3):
        assert credctl("cached", "--", sys.executable, str(FAKE), str(near), str(14 * 60), env=env).code == 0
    assert runs(near) == 3
    # lock forgets held results.
    assert agent.run("agent", "lock").returncode == 0
    assert credctl("cached", "--", sys.executable, str(FAKE), str(log), "3600", env=env).code == 0 and runs(log) == 2
    # Nothing of it on disk.
    secrets = [p for p in home.rglob("*") if p.is_file() and b"process-secret-" in p.read_bytes()]
    assert secrets == []


def test_a_failing_or_malformed_cmd_is_not_kept(credctl, home, agent, tmp_path):
    log, switch = tmp_path / "runs.log", tmp_path / "switch"
    agent.start()
    env = agent.client_env()
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600", str(switch)]
    switch.write_text("fail")
    r = credctl(*args, env=env)
    assert r.code == 3, r
    assert r.err == (f"credctl: error: credctl cached: `{sys.executable} {FAKE} {log} 3600 {switch}` exited with status 5: "
                     "boom: the identity provider said no\n")
    switch.write_text(json.dumps({"Version": 1, "AccessKeyId": "ASIAFAKE", "SessionToken": "t"}))
    r = credctl(*args, env=env)
    assert r.code == 3 and r.err.endswith(f"{switch}`: the answer has no SecretAccessKey\n"), r
    switch.write_text(json.dumps({"Version": 2, "AccessKeyId": "ASIAFAKE", "SecretAccessKey": "s" * 30}))
    r = credctl(*args, env=env)
    assert r.code == 3 and r.err.endswith(": Unsupported version '2' for credential process provider, supported versions: 1\n"), r
    switch.unlink()
    ok = credctl(*args, env=env)
    assert ok.code == 0, ok
    assert runs(log) == 4
    assert credctl(*args, env=env).out == ok.out and runs(log) == 4


def test_without_an_agent_cmd_runs_each_time_and_nothing_is_written(credctl, home, tmp_path):
    log = tmp_path / "runs.log"
    env = {"XDG_RUNTIME_DIR": str(tmp_path / "no-agent")}
    outs = [credctl("cached", "--", sys.executable, str(FAKE), str(log), "3600", env=env) for _ in range(3)]
    assert all(o.code == 0 for o in outs) and runs(log) == 3
    assert [p for p in home.rglob("*")] == []
    usage = credctl("cached", env=env)
    assert usage.code == 2 and "give the command after --" in usage.err


def test_relative_paths_mean_the_callers_folder(credctl, home, agent, tmp_path):
    """The agent runs in / : a relative program path and a relative AWS_CONFIG_FILE are the
    caller's (the program's own arguments are passed as they are)."""
    work = tmp_path / "work"
    work.mkdir()
    script = work / "get-creds"
    script.write_text(f"#!{sys.executable}\n" + FAKE.read_text())
    script.chmod(0o755)
    agent.start()
    env = {"HOME": str(home), "PATH": os.environ["PATH"], **agent.client_env()}
    r = subprocess.run([str(BINARY), "cached", "--", "./get-creds", str(work / "runs.log"), "3600"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert runs(work / "runs.log") == 1
    (work / "config").write_text(f"[profile c]\ncredential_process = {BINARY} cached -- {work}/get-creds {work}/runs.log 3600\n")
    who = subprocess.run([str(BINARY), "creds", "export", "--profile", "c", "--format", "process"], cwd=work,
                         env={**env, "AWS_CONFIG_FILE": "config"}, capture_output=True, text=True, timeout=30)
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["AccessKeyId"].startswith("ASIAFAKEPROCESS")
    assert runs(work / "runs.log") == 2   # another command line: its own run
