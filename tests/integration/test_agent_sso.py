"""SSO role credentials through `credctl agent`: held in its memory (one GetRoleCredentials for
several clients), never in the role cache folder nor anywhere else on disk."""
import json
from pathlib import Path

import pytest

from agent_support import Agent
from sso_support import SESSION_CONFIG, fake_sso, seed_token, write_config  # noqa: F401 (fixture)


@pytest.fixture
def agent(home, fake_sso):
    a = Agent(home, fake_sso.env())
    yield a
    a.stop()


def test_sso_role_credentials_held_in_memory_only(credctl, home, fake_sso, agent):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso, source="corp")
    agent.start()
    env = {**fake_sso.env(), **agent.client_env()}
    keys = set()
    for _ in range(3):
        r = credctl("creds", "export", "--format", "process", "--profile", "dev", env=env)
        assert r.code == 0, r
        keys.add(json.loads(r.out)["SecretAccessKey"])
    assert len(keys) == 1
    assert [c["op"] for c in fake_sso.calls] == ["GetRoleCredentials"]
    [secret] = keys
    assert not (home / ".aws" / "credctl").exists() and not Path("/sso").exists()
    assert [p for p in home.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()] == []
