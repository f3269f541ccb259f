"""Damaged or planted login-session files and hostile sign-in answers: each refused with its
exit code and a message naming the file and the member (never a value), nothing sent that
should not be, the file left as it was."""
import json
import os
import time

import pytest

from fake_signin import FakeSignIn
from login_support import LOGIN_CONFIG, cache_path, fake_signin, seed_session, utc, write_config  # noqa: F401

GOOD = {"accessKeyId": "ASIAHOSTILE000000001", "secretAccessKey": "hostile-secret-value", "sessionToken": "hostile-token-value",
        "accountId": "123456789012", "expiresAt": "2999-01-01T00:00:00Z"}


def doc(**access):
    a = dict(GOOD, **access)
    return {"accessToken": {k: v for k, v in a.items() if v is not None}, "tokenType": "aws_sigv4",
            "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "hostile-refresh-value", "dpopKey": "x"}


CASES = [
    ("not json", "{not json", "not a JSON object (9 bytes, not shown)"),
    ("an array", "[]", "not a JSON object (2 bytes, not shown)"),
    ("no dpopKey", json.dumps({k: v for k, v in doc().items() if k != "dpopKey"}), "missing required fields: dpopKey"),
    ("no accountId", json.dumps(doc(accountId=None)), "accessToken is missing accountId"),
    ("a number key id", json.dumps(doc(accessKeyId=12345)), "accessToken.accessKeyId is not a string"),
    ("an empty secret", json.dumps(doc(secretAccessKey="")), "accessToken.secretAccessKey is empty"),
    ("a bad expiry", json.dumps(doc(expiresAt="next tuesday")), "accessToken.expiresAt is not a time"),
    ("too large", json.dumps(doc()) + " " * 70000, "more than a session file can be (65536)"),
]


@pytest.mark.parametrize("name, content, reason", CASES, ids=[c[0] for c in CASES])
def test_a_file_that_is_not_a_session_is_refused_by_name(credctl, home, fake_signin, name, content, reason):
    write_config(home, LOGIN_CONFIG)
    path = cache_path(home)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    r = credctl("creds", "export", "--profile", "dev", "--format", "process", env=fake_signin.env())
    assert r.code == 3, r
    assert f"the cached login session {path} is unusable: " in r.err and f"{reason}. Run `credctl login --profile dev`" in r.err
    assert r.out == "" and fake_signin.calls == [] and path.read_text() == content
    for secret in ("hostile-secret-value", "hostile-token-value", "hostile-refresh-value"):
        assert secret not in r.err


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_cache_path_that_is_not_a_file_is_refused_at_once(credctl, home, fake_signin, kind):
    write_config(home, LOGIN_CONFIG)
    path = cache_path(home)
    path.parent.mkdir(parents=True)
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env(), timeout=10)
    assert r.code == 3 and r.elapsed < 5, r
    assert f"{path} is unusable: it is not a regular file" in r.err


def test_cached_credentials_with_a_control_character_are_never_sent(credctl, home, fake_signin):
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=900)
    path = cache_path(home)
    d = json.loads(path.read_text())
    d["accessToken"]["sessionToken"] = "token\r\nX-Injected: yes"
    path.write_text(json.dumps(d))
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env(AWS_ENDPOINT_URL_STS=fake_signin.url))
    assert r.code == 3 and "the session token from login-session" in r.err and "contains a control character" in r.err, r
    assert fake_signin.calls == []


def test_a_refresh_answer_with_a_control_character_is_not_written(credctl, home):
    def hostile():
        return {"accessKeyId": "ASIAHOSTILE000000002", "secretAccessKey": "s", "sessionToken": "t\r\nX-Injected: yes"}

    with FakeSignIn(credentials=hostile) as fake:
        write_config(home, LOGIN_CONFIG)
        seed_session(home, fake, expires_in=30)
        before = cache_path(home).read_bytes()
        r = credctl("whoami", "--profile", "dev", env=fake.env())
        assert r.code == 4 and "accessToken.sessionToken contains a control character" in r.err, r
        assert cache_path(home).read_bytes() == before and fake.ops() == ["CreateOAuth2Token"]


def test_a_session_key_that_is_not_p256_sends_nothing(credctl, home, fake_signin):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                                                   serialization.NoEncryption()).decode()
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=30, pem=None)
    path = cache_path(home)
    d = json.loads(path.read_text())
    d["dpopKey"] = p384
    path.write_text(json.dumps(d))
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env())
    assert r.code == 3 and "its dpopKey is not a PEM P-256 private key" in r.err, r
    assert fake_signin.calls == []
    d["dpopKey"] = "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n"
    path.write_text(json.dumps(d))
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env())
    assert r.code == 3 and "its dpopKey is not a PEM P-256 private key" in r.err and fake_signin.calls == [], r


def test_a_planted_link_is_replaced_not_written_through(credctl, home, fake_signin, tmp_path):
    """A refresh writes a new file in place of a symlink (rename), never into what it points to."""
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=30)
    path = cache_path(home)
    target = tmp_path / "elsewhere.json"
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(target)
    before = target.read_bytes()
    r = credctl("creds", "export", "--profile", "dev", "--format", "process", env=fake_signin.env())
    assert r.code == 0, r
    assert not path.is_symlink() and target.read_bytes() == before
    assert json.loads(path.read_text())["accessToken"]["accessKeyId"] == json.loads(r.out)["AccessKeyId"]


def test_a_session_name_is_only_hashed_into_a_file_name(credctl, home, fake_signin):
    """The session name is hashed into the file name: `../` in it names no other file."""
    name = "../../../etc/passwd"
    write_config(home, f"[profile dev]\nlogin_session = {name}\nregion = us-east-1\n")
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env())
    path = cache_path(home, session=name)
    assert path.parent == home / ".aws" / "login" / "cache"
    assert r.code == 3 and f"there is no cached login session ({path} does not exist)" in r.err and fake_signin.calls == [], r
