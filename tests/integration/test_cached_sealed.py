"""`credctl cached -- CMD` without an agent: CMD's result kept sealed under the vault key in the
vault file, when a vault exists and opens without a prompt; never a clear copy on disk. A failing
CMD, a result near expiry or without one is not kept; a tampered entry is not trusted; no vault
(or a passphrase only a prompt could give) runs CMD every time. The AWS CLI and boto3 read it
through `credential_process`. A kept result that comes within 15 minutes of its Expiration is
run again: SealedCachedResultsTests, on an injected clock."""
import base64
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from agent_support import Agent
from conftest import BINARY, write_aws_files
from test_vault import PASSPHRASE, aws_cli, clear_copies

FAKE = Path(__file__).parent / "fake_process.py"
KEY_ID, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def runs(log):
    return log.read_text().count("ran\n") if log.exists() else 0


def no_agent(tmp_path, **extra):
    return {"XDG_RUNTIME_DIR": str(tmp_path / "no-agent"), **extra}


def make_vault(credctl, tmp_path):
    r = credctl("vault", "add", "keys", env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE), stdin=f"{KEY_ID}\n{SECRET}\n")
    assert r.code == 0, r


def vault_json(home):
    return json.loads((home / ".aws" / "credctl" / "vault.json").read_text())


def test_one_run_serves_every_call_sealed_in_the_vault(credctl, home, tmp_path):
    make_vault(credctl, tmp_path)
    log = tmp_path / "runs.log"
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600"]
    outs = [credctl(*args, env=env) for _ in range(4)]
    assert all(o.code == 0 for o in outs), outs
    assert len({o.out for o in outs}) == 1 and runs(log) == 1
    served = json.loads(outs[0].out)
    assert served["AccessKeyId"] == "ASIAFAKEPROCESS00001" and served["SecretAccessKey"].startswith("process-secret-1-")
    # Kept sealed: one result in the vault file, no clear copy of the secret or token anywhere under HOME.
    [kept] = vault_json(home)["cached_results"]
    assert set(kept) == {"id", "expires", "sealed"}
    assert clear_copies(home, served["SecretAccessKey"]) == [] and clear_copies(home, served["SessionToken"]) == []
    assert not (home / ".aws" / "credctl" / "cache").exists()
    # --debug says where the result came from.
    debug = credctl("cached", "--debug", *args[1:], env=env)
    assert debug.code == 0 and "debug: credctl cached: the result kept sealed in the vault, valid until" in debug.err, debug
    assert runs(log) == 1
    # The same bytes as the agent prints for the same result.
    agent = Agent(home, {})
    try:
        agent.start()
        via_agent = credctl(*args, env=agent.client_env())
        assert via_agent.code == 0 and runs(log) == 2   # the agent runs CMD itself (agent first)
        assert via_agent.out == json.dumps(json.loads(via_agent.out), separators=(",", ":")) + "\n"
        assert list(json.loads(via_agent.out)) == list(served)
        again = credctl(*args, env={**agent.client_env(), "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE})
        assert again.out == via_agent.out and runs(log) == 2
    finally:
        agent.stop()
    # Without the agent: the sealed result again, unchanged.
    assert credctl(*args, env=env).out == outs[0].out and runs(log) == 2


def test_account_id_and_every_field_are_served_as_kept(credctl, home, tmp_path):
    make_vault(credctl, tmp_path)
    log, answer = tmp_path / "runs.log", tmp_path / "answer.json"
    answer.write_text(json.dumps({"Version": 1, "AccessKeyId": "ASIAFAKEWITHACCOUNT1", "SecretAccessKey": "s" * 40,
                                  "SessionToken": "tok", "Expiration": "2099-01-01T00:00:00Z", "AccountId": "123456789012"}))
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600", str(answer)]
    first, second = credctl(*args, env=env), credctl(*args, env=env)
    assert first.code == 0 and second.out == first.out and runs(log) == 1, (first, second)
    assert json.loads(first.out) == {"Version": 1, "AccessKeyId": "ASIAFAKEWITHACCOUNT1", "SecretAccessKey": "s" * 40,
                                     "SessionToken": "tok", "Expiration": "2099-01-01T00:00:00Z", "AccountId": "123456789012"}
    agent = Agent(home, {})
    try:
        agent.start()
        a1 = credctl(*args, env=agent.client_env())
        a2 = credctl(*args, env=agent.client_env())
        assert a1.out == a2.out == first.out, (a1, a2)
    finally:
        agent.stop()


def test_failing_near_expiry_and_expiryless_results_are_not_kept(credctl, home, tmp_path):
    make_vault(credctl, tmp_path)
    before = vault_json(home)
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    log, switch = tmp_path / "runs.log", tmp_path / "switch"
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600", str(switch)]
    switch.write_text("fail")
    for _ in range(2):
        r = credctl(*args, env=env)
        assert r.code == 3 and r.err.endswith("exited with status 5: boom: the identity provider said no\n"), r
    assert runs(log) == 2 and vault_json(home) == before
    switch.write_text(json.dumps({"Version": 1, "AccessKeyId": "ASIAFAKE", "SecretAccessKey": "s" * 30}))
    for _ in range(2):
        assert credctl(*args, env=env).code == 0
    assert runs(log) == 4 and vault_json(home) == before
    # Within 15 minutes of its Expiration: served, never kept, CMD runs again.
    near = tmp_path / "near.log"
    for _ in range(3):
        r = credctl("cached", "--", sys.executable, str(FAKE), str(near), str(14 * 60), env=env)
        assert r.code == 0, r
    assert runs(near) == 3 and vault_json(home) == before
    debug = credctl("cached", "--debug", "--", sys.executable, str(FAKE), str(near), str(14 * 60), env=env)
    assert "debug: credctl cached: CMD's result has less than 15 minutes left; not kept" in debug.err, debug


def test_a_tampered_entry_is_not_trusted_and_is_replaced(credctl, home, tmp_path):
    make_vault(credctl, tmp_path)
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    log = tmp_path / "runs.log"
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600"]
    assert credctl(*args, env=env).code == 0 and runs(log) == 1
    path = home / ".aws" / "credctl" / "vault.json"
    original = vault_json(home)
    kept = original["cached_results"][0]

    def tamper(edit):
        doc = json.loads(json.dumps(original))
        edit(doc["cached_results"][0])
        path.write_text(json.dumps(doc))

    sealed = bytearray(base64.b64decode(kept["sealed"]))
    sealed[20] ^= 1
    cases = [
        lambda e: e.update(sealed=base64.b64encode(bytes(sealed)).decode()),   # a flipped bit
        lambda e: e.update(expires="2099-01-01T00:00:00Z"),                      # a later expiry
        lambda e: e.update(id="0" * 64),                                          # moved to another line…
        lambda e: e.update(sealed="not base64 !"),                               # unreadable
    ]
    for n, edit in enumerate(cases, start=2):
        tamper(edit)
        r = credctl(*args, env=env)
        assert r.code == 0 and runs(log) == n, (n, r)
        assert json.loads(r.out)["AccessKeyId"] == f"ASIAFAKEPROCESS{n:05d}"
        # The new result under the line's id (a result moved to another id stays there, never
        # opening, until it expires or that line's next run replaces it).
        [replaced] = [e for e in vault_json(home)["cached_results"] if e["id"] == kept["id"]]
        assert replaced["sealed"] != kept["sealed"]
    # The entries are untouched by all this: the key still opens.
    listed = credctl("vault", "list", "--output", "json", env=env)
    assert listed.code == 0 and "keys" in listed.out, listed


def test_no_vault_or_a_prompt_only_passphrase_runs_cmd_every_time(credctl, home, tmp_path):
    log = tmp_path / "runs.log"
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600"]
    r = credctl("cached", "--debug", *args[1:], env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE))
    assert r.code == 0 and runs(log) == 1
    assert (f"debug: credctl cached: no agent, and results are not kept: there is no vault at "
            f"{home}/.aws/credctl/vault.json to seal them in; CMD runs every time") in r.err, r.err
    assert credctl(*args, env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)).code == 0 and runs(log) == 2
    assert list(home.rglob("*")) == []   # no vault made for it
    make_vault(credctl, tmp_path)
    before = vault_json(home)
    # A vault whose passphrase only a prompt could give: never asked, CMD runs.
    for _ in range(2):
        r = credctl("cached", "--debug", *args[1:], env=no_agent(tmp_path), stdin="")
        assert r.code == 0, r
    assert runs(log) == 4 and vault_json(home) == before
    assert "the vault's passphrase would need a prompt (set CREDCTL_VAULT_PASSPHRASE or CREDCTL_VAULT_PASSPHRASE_COMMAND" in r.err
    # A wrong passphrase: CMD runs, nothing kept, said in --debug.
    r = credctl("cached", "--debug", *args[1:], env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE="wrong one"))
    assert r.code == 0 and runs(log) == 5 and vault_json(home) == before
    assert "debug: credctl cached: the result could not be kept in the vault (wrong passphrase for the vault " in r.err, r.err
    # …also where a result was kept: it is not opened, CMD runs.
    assert credctl(*args, env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)).code == 0 and runs(log) == 6
    r = credctl("cached", "--debug", *args[1:], env=no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE="wrong one"))
    assert r.code == 0 and runs(log) == 7, r
    assert "did not open (wrong passphrase for the vault " in r.err and "CMD runs, its result not kept" in r.err, r.err
    # The keyring backend keeps nothing.
    r = credctl("cached", "--debug", *args[1:], env=no_agent(tmp_path, CREDCTL_VAULT_BACKEND="secret-service"))
    assert r.code == 0 and runs(log) == 8
    assert "the secret-service vault backend keeps no cached results; CMD runs every time" in r.err, r.err


def test_a_passphrase_command_and_two_callers_at_once_run_cmd_once(credctl, home, tmp_path):
    make_vault(credctl, tmp_path)
    secret_file = tmp_path / "pass"
    secret_file.write_text(PASSPHRASE + "\n")
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true",
           **no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE_COMMAND=f"cat {secret_file}")}
    log = tmp_path / "runs.log"
    slow = tmp_path / "slow.py"
    slow.write_text(f"import time, runpy, sys\ntime.sleep(0.5)\nsys.argv = sys.argv[1:]\nrunpy.run_path({str(FAKE)!r}, run_name='__main__')\n")
    cmd = [str(BINARY), "cached", "--", sys.executable, str(slow), str(FAKE), str(log), "3600"]
    results = []

    def call():
        results.append(subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60))
    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert len({r.stdout for r in results}) == 1 and runs(log) == 1


def test_aws_cli_and_boto3_through_credential_process(credctl, home, tmp_path, moto):
    make_vault(credctl, tmp_path)
    log = tmp_path / "runs.log"
    write_aws_files(home, config=f"[profile c]\nregion = us-east-1\ncredential_process = {BINARY} cached -- {sys.executable} {FAKE} {log} 3600\n")
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    script = "import boto3; print(boto3.session.Session(profile_name='c').get_credentials().get_frozen_credentials().access_key)"
    for _ in range(2):
        py = subprocess.run([sys.executable, "-c", script], env={"HOME": str(home), "PATH": os.environ["PATH"], **env},
                            capture_output=True, text=True, timeout=60)
        assert py.returncode == 0 and py.stdout == "ASIAFAKEPROCESS00001\n", py.stderr
    # The AWS CLI signs with the same kept result (moto knows no such key, and says so: the
    # request was signed with it).
    for _ in range(2):
        r = aws_cli(home, {**env, "AWS_ENDPOINT_URL": moto.url}, "sts", "get-caller-identity", "--profile", "c", "--debug")
        assert "Credential=ASIAFAKEPROCESS00001/" in r.stderr and "InvalidClientTokenId" in r.stderr, r.stderr[-2000:]
    assert runs(log) == 1


def test_no_cache_runs_cmd_and_keeps_nothing(credctl, home, tmp_path):
    """--no-cache asks for a fresh result: neither the vault nor the agent is read or written."""
    make_vault(credctl, tmp_path)
    env = no_agent(tmp_path, CREDCTL_VAULT_PASSPHRASE=PASSPHRASE)
    log = tmp_path / "runs.log"
    args = ["cached", "--", sys.executable, str(FAKE), str(log), "3600"]
    kept = credctl(*args, env=env)
    assert kept.code == 0 and runs(log) == 1
    before = vault_json(home)
    fresh = credctl("cached", "--no-cache", "--debug", *args[1:], env=env)
    assert fresh.code == 0 and runs(log) == 2 and fresh.out != kept.out, fresh
    assert "debug: credctl cached: --no-cache: CMD runs, its result neither read from nor kept in the agent or the vault" in fresh.err
    assert vault_json(home) == before and credctl(*args, env=env).out == kept.out and runs(log) == 2
    agent = Agent(home, {})
    try:
        agent.start()
        for _ in range(2):
            assert credctl("cached", "--no-cache", *args[1:], env=agent.client_env()).code == 0
        assert runs(log) == 4
        assert json.loads(agent.run("agent", "status", "--output", "json").stdout)["SessionsHeld"] == 0
    finally:
        agent.stop()
