"""`creds exec --server` through `credctl agent`: the server's fetches ask the agent first, so the
child is served the session every other client of the agent shares (one GetSessionToken, one MFA
code), with no passphrase or code asked of the exec; a killed agent leaves it resolving alone;
the server's refreshes ask the agent too (never the terminal: ServedCredentialsSourceTests)."""
import itertools
import json
import re
import sys
import time

import pytest

from agent_support import Agent
from fake_sso import FakeSSO
from sso_support import SESSION_CONFIG, seed_token, write_config
from test_agent import MFA_SERIAL, import_vault_profile, sessions_of
from test_vault import PASSPHRASE, clear_copies, moto_sessions, user  # noqa: F401 (fixtures)

CHILD = r"""
import boto3, json, os, sys, urllib.request
uri, token = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
served = [json.load(urllib.request.urlopen(urllib.request.Request(uri, headers={"Authorization": token})))["AccessKeyId"]
          for _ in range(3)]
arn = boto3.session.Session().client("sts", endpoint_url=sys.argv[1], region_name="us-east-1").get_caller_identity()["Arn"]
print(json.dumps({"served": served, "arn": arn}))
"""


@pytest.fixture
def agent(home, moto_sessions):
    a = Agent(home, {"AWS_ENDPOINT_URL": moto_sessions.url})
    yield a
    a.stop()


def test_the_server_serves_the_agents_session(credctl, home, moto_sessions, user, agent, tmp_path):
    mfa_log = tmp_path / "mfa.log"
    import_vault_profile(credctl, home, moto_sessions, user, mfa_log=mfa_log)
    agent.start()
    env = agent.client_env(AWS_ENDPOINT_URL=moto_sessions.url)
    first = credctl("vault", "credential-process", "--profile", "p", env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE})
    assert first.code == 0, first
    session = json.loads(first.out)
    # No passphrase, no code, no terminal: the agent's session serves the server, and so the child.
    for _ in range(2):
        r = credctl("creds", "exec", "--profile", "p", "--server", "--debug", "--", sys.executable, "-c", CHILD, moto_sessions.url,
                    env=env, stdin="", timeout=60)
        assert r.code == 0, r
        child = json.loads(r.out.splitlines()[-1])
        assert child["served"] == [session["AccessKeyId"]] * 3
        assert child["arn"].endswith(f":user/{user['UserName']}")
        assert "debug: credentials: from credctl agent: vault" in r.err, r.err
    calls = sessions_of(moto_sessions, user)
    assert len(calls) == 1 and calls[0]["SerialNumber"] == MFA_SERIAL and mfa_log.read_text() == "asked\n"
    # Another client after the server: the same session still.
    again = credctl("vault", "credential-process", "--profile", "p", env=env)
    assert again.code == 0 and json.loads(again.out)["AccessKeyId"] == session["AccessKeyId"], again
    assert clear_copies(home, session["SecretAccessKey"]) == [] and clear_copies(home, session["SessionToken"]) == []

    # A killed agent: the server resolves alone (the session sealed in the vault is not there, as
    # the agent kept it in memory: the vault needs its passphrase, and the profile its code).
    agent.kill()
    alone = credctl("creds", "exec", "--profile", "p", "--server", "--", sys.executable, "-c", CHILD, moto_sessions.url,
                    env=env, stdin="", timeout=60)
    assert alone.code == 3, alone
    assert alone.err == ("credctl: error: no vault passphrase: there is no terminal to ask on; set CREDCTL_VAULT_PASSPHRASE, "
                         "or give --passphrase-command or CREDCTL_VAULT_PASSPHRASE_COMMAND\n")
    ok = credctl("creds", "exec", "--profile", "p", "--server", "--", sys.executable, "-c", CHILD, moto_sessions.url,
                 env={**env, "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE}, stdin="", timeout=60)
    assert ok.code == 0, ok
    assert json.loads(ok.out.splitlines()[-1])["served"][0] != session["AccessKeyId"]
    assert len(sessions_of(moto_sessions, user)) == 2 and mfa_log.read_text() == "asked\nasked\n"


POLL = r"""
import json, os, sys, time, urllib.request
uri, token = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
keys, end = [], time.time() + float(sys.argv[1])
while time.time() < end:
    keys.append(json.load(urllib.request.urlopen(urllib.request.Request(uri, headers={"Authorization": token})))["AccessKeyId"])
    time.sleep(0.2)
print(json.dumps(sorted(set(keys))))
"""


def test_the_servers_refreshes_ask_the_agent(credctl, home):
    """SSO role credentials that expire 32 s after issue: the server refreshes about every 2 s (30 s
    before expiry), and every refresh is the agent's answer (the agent calls GetRoleCredentials;
    credctl exec resolves nothing itself)."""
    serial = itertools.count(1)

    def short_lived(account_id, role_name):
        n = next(serial)
        return {"accessKeyId": f"ASIASHORTLIVED{n:06d}", "secretAccessKey": f"short-secret-{n}-" + "x" * 20,
                "sessionToken": f"short-token-{n}", "expiration": int((time.time() + 32) * 1000)}

    with FakeSSO(role_credentials=short_lived) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        agent = Agent(home, fake.env())
        try:
            agent.start()
            r = credctl("creds", "exec", "--profile", "dev", "--server", "--debug", "--", sys.executable, "-c", POLL, "5",
                        env={**fake.env(), **agent.client_env()}, stdin="", timeout=60)
            assert r.code == 0, r
            keys = json.loads(r.out.splitlines()[-1])
            refreshes = int(re.search(r"credentials server: served \d+ times, refused 0, refreshed (\d+) times \(0 failed\)", r.err)[1])
            assert len(keys) >= 3 and refreshes >= 2, (keys, r.err)
            # The first fetch and every refresh: the agent's answer; nothing resolved by credctl exec itself.
            assert r.err.count("debug: credentials: from credctl agent: sso") == 1 + refreshes, r.err
            assert not re.search(r"debug: credentials: (environment|sso): ", r.err), r.err   # the chain's attempts, when alone
            assert fake.ops().count("GetRoleCredentials") == 1 + refreshes
        finally:
            agent.stop()
