"""`credctl login` (the same-device flow through a fake browser on PATH, and the remote flow with
the code pasted back) against the loopback sign-in fake, then botocore using the session it
cached; the refusals; `credctl logout [--all]` as `aws logout`."""
import base64
import json
import os
import re
import stat
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import fake_browser
from conftest import BINARY
from fake_signin import CROSS_DEVICE, SAME_DEVICE, SESSION_ARN
from login_support import botocore_credentials, cache_path, credctl_credentials, fake_signin, keys, seed_session, write_config  # noqa: F401


def browser_env(fake, tmp_path, mode="follow", **extra):
    bin_dir, log = fake_browser.install(tmp_path)
    return dict(fake.env(), PATH=f"{bin_dir}:{os.environ['PATH']}", DISPLAY=":0", FAKE_BROWSER_LOG=str(log),
                FAKE_BROWSER_MODE=mode, **extra), log


def opened_urls(log):
    return Path(log).read_text().split() if Path(log).exists() else []


def test_same_device_login_writes_the_cache_and_the_profile_and_botocore_uses_them(credctl, home, fake_signin, tmp_path):
    config = write_config(home, "# my settings\n[profile dev]\nregion = us-east-1\noutput = json\n\n[profile other]\nregion = eu-west-1\n")
    env, log = browser_env(fake_signin, tmp_path)
    r = credctl("login", "--profile", "dev", "--output", "text", env=env, timeout=60)
    assert r.code == 0, r
    [url] = opened_urls(log)
    assert url.startswith(f"{fake_signin.url}/v1/authorize?response_type=code&client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fsame-device&state=")
    assert "&code_challenge_method=SHA-256&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url and "%2Foauth%2Fcallback&code_challenge=" in url
    assert url in r.err and "'--remote'" in r.err
    authorize, token = fake_signin.calls
    assert authorize["op"] == "Authorize" and token["op"] == "CreateOAuth2Token"
    assert token["body"]["grantType"] == "authorization_code" and token["body"]["clientId"] == SAME_DEVICE
    assert token["body"]["redirectUri"] == authorize["query"]["redirect_uri"] and re.fullmatch(r"http://127\.0\.0\.1:\d+/oauth/callback", token["body"]["redirectUri"])
    assert len(token["body"]["codeVerifier"]) == 64
    assert b"Signed in" in Path(str(log) + ".page").read_bytes()
    # The cache file, as the AWS CLI writes it.
    path = cache_path(home)
    doc = json.loads(path.read_text())
    assert list(doc) == ["accessToken", "tokenType", "clientId", "refreshToken", "idToken", "dpopKey"]
    assert list(doc["accessToken"]) == ["accessKeyId", "secretAccessKey", "sessionToken", "accountId", "expiresAt"]
    assert doc["accessToken"]["accountId"] == "123456789012" and doc["clientId"] == SAME_DEVICE and doc["tokenType"] == "aws_sigv4"
    assert doc["dpopKey"].startswith("-----BEGIN EC PRIVATE KEY-----\n") and doc["dpopKey"].endswith("\n-----END EC PRIVATE KEY-----\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The profile: login_session added, every other byte kept.
    assert config.read_text() == (f"# my settings\n[profile dev]\nregion = us-east-1\noutput = json\nlogin_session = {SESSION_ARN}\n\n"
                                  "[profile other]\nregion = eu-west-1\n")
    for secret in (doc["refreshToken"], doc["accessToken"]["secretAccessKey"], doc["accessToken"]["sessionToken"], doc["dpopKey"][40:80]):
        assert secret not in r.out and secret not in r.err
    assert SESSION_ARN in r.out and str(path) in r.out
    # botocore uses the session credctl cached, and refreshes it with the key credctl made.
    assert keys(botocore_credentials(home, "dev", fake_signin.env())) == credctl_credentials(credctl, "dev", fake_signin.env())
    doc["accessToken"]["expiresAt"] = "2000-01-01T00:00:00Z"
    path.write_text(json.dumps(doc))
    fake_signin.calls.clear()
    boto = botocore_credentials(home, "dev", fake_signin.env())
    assert "error" not in boto, boto
    assert fake_signin.ops() == ["CreateOAuth2Token"] and fake_signin.calls[0]["jkt"] == token["jkt"]


def test_remote_login_reads_the_pasted_code(home, fake_signin):
    write_config(home, "[default]\nregion = us-east-1\n")
    env = dict(fake_signin.env(), HOME=str(home), PATH=os.environ["PATH"], AWS_EC2_METADATA_DISABLED="true")
    proc = subprocess.Popen([str(BINARY), "login", "--remote"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = None
        while url is None:
            line = proc.stderr.readline()
            assert line, "credctl ended before printing the URL"
            url = line.strip() if line.startswith("http") else None
        assert "client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fcross-device" in url
        assert f"redirect_uri={urllib.parse.quote(fake_signin.url, safe='')}%2Fv1%2Fsessions%2Fconfirmation" in url
        # The user opens it on another device; the page shows the code to paste.
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        code = re.search(r"<pre id=code>([^<]+)</pre>", page).group(1)
        out, rest = proc.communicate(code + "\n", timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, rest
    token = fake_signin.token_calls()[0]["body"]
    assert token["clientId"] == CROSS_DEVICE and token["redirectUri"].endswith("/v1/sessions/confirmation")
    assert f"login_session = {SESSION_ARN}" in (home / ".aws" / "config").read_text()
    assert botocore_credentials(home, "", fake_signin.env())["method"] == "login"


def test_remote_login_refuses_a_code_of_another_login(credctl, home, fake_signin):
    write_config(home, "[default]\nregion = us-east-1\n")
    other = base64.b64encode(b"state=not-this-login&code=code-1").decode()
    r = credctl("login", "--remote", stdin=other + "\n", env=fake_signin.env())
    assert r.code == 3 and "state does not match this login's" in r.err and "nothing was written" in r.err, r
    assert fake_signin.token_calls() == [] and not cache_path(home).exists()
    r = credctl("login", "--remote", stdin="%%%\n", env=fake_signin.env())
    assert r.code == 2 and "is not what the sign-in page shows" in r.err, r
    assert "login_session" not in (home / ".aws" / "config").read_text()


def test_tampered_redirect_state_is_refused(credctl, home, fake_signin, tmp_path):
    write_config(home, "[default]\nregion = us-east-1\n")
    env, _ = browser_env(fake_signin, tmp_path, mode="tamper-state")
    r = credctl("login", env=env, timeout=60)
    assert r.code == 3 and "state does not match" in r.err, r
    assert fake_signin.token_calls() == [] and not cache_path(home).exists()


@pytest.mark.parametrize("setting, style", [("aws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = s", "access key"),
                                            ("role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = x", "assume-role"),
                                            ("sso_account_id = 123456789012\nsso_role_name = r", "SSO"),
                                            ("credential_process = /bin/true", "credential_process"),
                                            ("web_identity_token_file = /t\nrole_arn = arn:aws:iam::1:role/r", "web identity")])
def test_a_profile_with_other_credentials_is_refused_before_anything(credctl, home, fake_signin, tmp_path, setting, style):
    config = write_config(home, f"[profile dev]\nregion = us-east-1\n{setting}\n")
    before = config.read_bytes()
    env, log = browser_env(fake_signin, tmp_path)
    r = credctl("login", "--profile", "dev", env=env)
    assert r.code == 2, r
    assert f"profile 'dev' already gets {style} credentials" in r.err and "nothing was done" in r.err
    assert fake_signin.calls == [] and opened_urls(log) == [] and config.read_bytes() == before


def test_a_region_is_needed_unless_an_endpoint_is_configured(credctl, home, fake_signin):
    write_config(home, "[default]\noutput = json\n")
    env = {"AWS_EC2_METADATA_DISABLED": "true"}
    r = credctl("login", "--remote", stdin="x\n", env=env)
    assert r.code == 2 and "the sign-in service needs a region" in r.err, r


def test_logout_removes_the_profiles_session_and_all_removes_every_session(credctl, home, fake_signin):
    other = "arn:aws:iam::123456789012:user/bob"
    write_config(home, f"[profile dev]\nlogin_session = {SESSION_ARN}\n[profile bob]\nlogin_session = {other}\n[profile none]\nregion = us-east-1\n")
    seed_session(home, fake_signin)
    seed_session(home, fake_signin, session=other)
    unrelated = cache_path(home).parent / "notes.json"
    unrelated.write_text('{"accessToken": "a string, not a session"}')
    r = credctl("logout", "--profile", "dev", "--output", "json", env=fake_signin.env())
    assert r.code == 0, r
    assert json.loads(r.out)["Removed"] == [str(cache_path(home))] and not cache_path(home).exists() and cache_path(home, other).exists()
    assert f"login_session = {SESSION_ARN}" in (home / ".aws" / "config").read_text()
    r = credctl("logout", "--profile", "none", env=fake_signin.env())
    assert r.code == 0 and "warning: no login session found for profile 'none'" in r.err, r
    r = credctl("logout", "--all", "--output", "json", env=fake_signin.env())
    assert r.code == 0 and json.loads(r.out)["Removed"] == [str(cache_path(home, other))], r
    assert unrelated.exists()
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env())
    assert r.code == 3 and "Run `credctl login --profile dev`" in r.err


def test_stray_requests_to_the_listener_are_ignored(credctl, home, fake_signin, tmp_path):
    write_config(home, "[default]\nregion = us-east-1\n")
    env, _ = browser_env(fake_signin, tmp_path, mode="stray-first")
    r = credctl("login", env=env, timeout=60)
    assert r.code == 0, r
    assert f"login_session = {SESSION_ARN}" in (home / ".aws" / "config").read_text()


def test_another_session_in_the_profile_is_not_replaced_without_asking(credctl, home, fake_signin, tmp_path):
    other = "arn:aws:iam::123456789012:user/bob"
    config = write_config(home, f"[profile dev]\nlogin_session = {other}\nregion = us-east-1\n")
    before = config.read_bytes()
    env, _ = browser_env(fake_signin, tmp_path)
    r = credctl("login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 2, r
    assert f"profile 'dev' already uses session {other}, not {SESSION_ARN}; with no terminal to ask, nothing was written" in r.err
    assert config.read_bytes() == before and not cache_path(home).exists()


def test_debug_output_of_a_login_and_a_refresh_shows_no_secret(credctl, home, fake_signin, tmp_path):
    write_config(home, "[profile dev]\nregion = us-east-1\n")
    env, _ = browser_env(fake_signin, tmp_path)
    login = credctl("--debug", "login", "--profile", "dev", env=env, timeout=60)
    assert login.code == 0, login
    path = cache_path(home)
    doc = json.loads(path.read_text())
    doc["accessToken"]["expiresAt"] = "2000-01-01T00:00:00Z"
    path.write_text(json.dumps(doc))
    refresh = credctl("--debug", "creds", "show", "--profile", "dev", env=fake_signin.env())
    assert refresh.code == 0 and "(refreshed)" in refresh.err, refresh
    after = json.loads(path.read_text())
    token_calls = fake_signin.token_calls()
    secrets = {doc["refreshToken"], after["refreshToken"], doc["dpopKey"].splitlines()[1], token_calls[0]["body"]["code"],
               token_calls[0]["body"]["codeVerifier"], after["accessToken"]["secretAccessKey"], after["accessToken"]["sessionToken"],
               doc["accessToken"]["secretAccessKey"], doc["accessToken"]["sessionToken"], doc["idToken"]}
    secrets |= {c["headers"]["dpop"] for c in token_calls}
    for r in (login, refresh):
        for secret in secrets:
            assert secret not in r.err and secret not in r.out
    assert "DPoP: <redacted>" in refresh.err


def test_login_makes_a_new_profile_and_honours_the_cache_directory(credctl, home, fake_signin, tmp_path):
    config = write_config(home, "[default]\nregion = us-east-1\n")
    folder = tmp_path / "login-cache"
    env, _ = browser_env(fake_signin, tmp_path, AWS_LOGIN_CACHE_DIRECTORY=str(folder))
    r = credctl("login", "--profile", "fresh", env=env, timeout=60)
    assert r.code == 0, r
    assert config.read_text() == f"[default]\nregion = us-east-1\n\n[profile fresh]\nlogin_session = {SESSION_ARN}\n"
    assert cache_path(home, directory=folder).exists() and not cache_path(home).exists()
    assert botocore_credentials(home, "fresh", fake_signin.env(AWS_LOGIN_CACHE_DIRECTORY=str(folder)))["method"] == "login"
    r = credctl("logout", "--profile", "fresh", env=env)
    assert r.code == 0 and not cache_path(home, directory=folder).exists(), r
    # Other commands still refuse a profile that does not exist.
    assert credctl("whoami", "--profile", "nope", env=env).code == 2


@pytest.mark.parametrize("name", ["x]\n[prod", "a b", "x" * 65, "dev;rm"])
def test_hostile_profile_names_are_refused_before_anything(credctl, home, fake_signin, tmp_path, name):
    config = write_config(home, "[default]\nregion = us-east-1\n")
    env, log = browser_env(fake_signin, tmp_path)
    r = credctl("login", "--profile", name, env=env)
    assert r.code == 2 and r.err.count("credctl: error:") == 1, r
    assert fake_signin.calls == [] and opened_urls(log) == [] and config.read_text() == "[default]\nregion = us-east-1\n"
