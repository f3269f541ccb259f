"""`credctl sso login` with the authorization-code flow and PKCE (the default for sso-session
profiles, as in the AWS CLI v2 since 2.22): against the fake's `/authorize` page and `CreateToken`
(which checks the verifier against the challenge), driven by a fake browser on PATH; the cache
written as the AWS CLI v2 writes it and used by botocore; every failure with its exit code and
nothing written."""
import json
import os
import stat
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

import fake_browser
from conftest import BINARY
from output_world import wait_until
from sso_support import (LEGACY_CONFIG, SESSION_CONFIG, START_URL, botocore_credentials, fake_sso,  # noqa: F401
                         registration_path, secrets_of, token_path, write_config)

REDIRECT_PATH = "/oauth/callback"


def browser_env(fake, tmp_path, mode="follow", **extra):
    bin_dir, log = fake_browser.install(tmp_path)
    return dict(fake.env(), PATH=f"{bin_dir}:{os.environ['PATH']}", DISPLAY=":0", FAKE_BROWSER_LOG=str(log),
                FAKE_BROWSER_MODE=mode, **extra), log


def test_pkce_login_writes_the_shared_cache_and_botocore_uses_it(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG)
    env, log = browser_env(fake_sso, tmp_path)
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 0, r
    assert fake_sso.ops() == ["RegisterClient", "Authorize", "CreateToken"]
    register = fake_sso.calls[0]["body"]
    assert register == {"clientName": "credctl-client-corp", "clientType": "public",
                        "grantTypes": ["authorization_code", "refresh_token"],
                        "redirectUris": ["http://127.0.0.1/oauth/callback"], "issuerUrl": START_URL,
                        "scopes": ["sso:account:access"]}
    authorize = fake_sso.authorize_calls()[0]
    names = [p.split("=")[0] for p in authorize["raw_query"].split("&")]
    assert names == ["response_type", "client_id", "redirect_uri", "state", "code_challenge_method", "scopes", "code_challenge"]
    q = authorize["query"]
    redirect = urllib.parse.urlsplit(q["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", REDIRECT_PATH) and redirect.port
    assert len(q["code_challenge"]) == 43 and "=" not in q["code_challenge"] and q["scopes"] == "sso:account:access"
    assert len(q["state"]) == 36 and q["state"].count("-") == 4
    create = fake_sso.calls[2]["body"]
    assert create["grantType"] == "authorization_code" and create["redirectUri"] == q["redirect_uri"]
    assert len(create["codeVerifier"]) == 64 and all(c.isalnum() or c in "-._~" for c in create["codeVerifier"])
    opened = log.read_text().splitlines()
    assert len(opened) == 1 and opened[0].startswith(f"{fake_sso.url}/authorize?response_type=code&client_id=")
    assert "The sign-in reached credctl" in (tmp_path / "opened.page").read_text()
    assert "A browser was opened on the sign-in page" in r.err and opened[0] in r.err and "--use-device-code" in r.err
    assert "Signed in" in r.out and "refreshable" in r.out
    token = json.loads(token_path(home, "corp").read_text())
    assert list(token) == ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt",
                           "refreshToken"]
    assert token["startUrl"] == START_URL and token["accessToken"] in fake_sso.valid_tokens()
    registration = registration_path(home, "corp", ["sso:account:access"])
    cached = json.loads(registration.read_text())
    assert list(cached) == ["clientId", "clientSecret", "expiresAt", "scopes", "grantTypes"]
    assert cached["grantTypes"] == ["authorization_code", "refresh_token"] and cached["clientId"] == token["clientId"]
    for f in (token_path(home, "corp"), registration):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    for secret in secrets_of(fake_sso, home) | {create["codeVerifier"], create["code"]}:
        assert secret not in r.out and secret not in r.err
    fake_sso.calls.clear()
    assert botocore_credentials(home, "dev", fake_sso.env())["method"] == "sso"
    assert fake_sso.ops() == ["GetRoleCredentials"]


def test_json_report_names_the_flow(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG)
    env, _ = browser_env(fake_sso, tmp_path)
    r = credctl("sso", "login", "--profile", "dev", "--output", "json", env=env, timeout=60)
    assert r.code == 0, r
    assert json.loads(r.out)["Flow"] == "authorization-code"


def test_registrations_are_kept_per_flow(credctl, home, fake_sso, tmp_path):
    """A device-flow registration is not used for PKCE and the other way round (the AWS CLI tells
    them apart by grantTypes); a PKCE registration is reused by the next PKCE login."""
    write_config(home, SESSION_CONFIG)
    env, _ = browser_env(fake_sso, tmp_path)
    fake_sso.device_script = []
    assert credctl("sso", "login", "--profile", "dev", "--use-device-code", "--no-browser", env=env, timeout=60).code == 0
    device_client = json.loads(token_path(home, "corp").read_text())["clientId"]
    fake_sso.calls.clear()
    assert credctl("sso", "login", "--profile", "dev", env=env, timeout=60).code == 0
    assert fake_sso.ops() == ["RegisterClient", "Authorize", "CreateToken"]
    pkce_client = json.loads(token_path(home, "corp").read_text())["clientId"]
    assert pkce_client != device_client
    fake_sso.calls.clear()
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 0, r
    assert fake_sso.ops() == ["Authorize", "CreateToken"]
    assert json.loads(token_path(home, "corp").read_text())["clientId"] == pkce_client
    fake_sso.calls.clear()
    assert credctl("sso", "login", "--profile", "dev", "--use-device-code", "--no-browser", env=env, timeout=60).code == 0
    assert fake_sso.ops() == ["RegisterClient", "StartDeviceAuthorization", "CreateToken"]


def test_the_listener_ignores_other_requests(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG)
    env, _ = browser_env(fake_sso, tmp_path, mode="stray-first")
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 0, r
    assert json.loads(token_path(home, "corp").read_text())["accessToken"] in fake_sso.valid_tokens()


@pytest.mark.parametrize("mode,outcome,message", [
    ("tamper-state", "approve", "the sign-in redirect for sso-session corp carried another state than the one credctl sent "
                                "(not the sign-in it started); nothing was written. Run `credctl sso login --profile dev` again\n"),
    ("follow", "deny", "the sign-in for sso-session corp was denied in the browser (access_denied: User denied); nothing was "
                       "written. Run `credctl sso login --profile dev` to try again\n"),
])
def test_a_redirect_that_does_not_sign_in(credctl, home, fake_sso, tmp_path, mode, outcome, message):
    write_config(home, SESSION_CONFIG)
    env, _ = browser_env(fake_sso, tmp_path, mode=mode)
    fake_sso.authorize_outcome = outcome
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 3, r
    assert r.err.endswith("credctl: error: " + message)
    assert "CreateToken" not in fake_sso.ops() and not token_path(home, "corp").exists()


def test_a_registration_the_service_forgot_is_removed(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG)
    env, _ = browser_env(fake_sso, tmp_path)
    assert credctl("sso", "login", "--profile", "dev", env=env, timeout=60).code == 0
    before = json.loads(token_path(home, "corp").read_text())
    registration = registration_path(home, "corp", ["sso:account:access"])
    # The service forgets the client after the browser step: CreateToken refuses it.
    client = fake_sso.clients[before["clientId"]]
    original = fake_sso.authorize

    def authorize_then_forget(body, query, headers):
        answer = original(body, query, headers)
        fake_sso.clients.pop(query["client_id"], None)
        return answer
    fake_sso.authorize = authorize_then_forget
    fake_sso.calls.clear()
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 3, r
    assert r.err.endswith("credctl: error: the cached client registration for sso-session corp was refused "
                          "(InvalidClientException) and has been removed; nothing was written. "
                          "Run `credctl sso login --profile dev` again\n")
    assert not registration.exists() and json.loads(token_path(home, "corp").read_text()) == before
    assert client  # it was known before


def test_no_browser_prints_the_url_and_the_user_opens_it(home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG)
    env, log = browser_env(fake_sso, tmp_path)
    env.update(HOME=str(home), AWS_EC2_METADATA_DISABLED="true")
    proc = subprocess.Popen([str(BINARY), "sso", "login", "--profile", "dev", "--no-browser"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        lines = []
        deadline = time.time() + 30
        while url is None and time.time() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if line.strip().startswith(f"{fake_sso.url}/authorize?"):
                url = line.strip()
        assert url, lines
        assert "Open this page in a browser on this computer:" in "".join(lines)
        # The user opens it: the same as the fake browser does.
        subprocess.run([str(tmp_path / "browser-bin" / "xdg-open"), url], env=env, check=True, timeout=30)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert log.read_text() == url + "\n"  # only the user's visit: credctl opened nothing
    assert json.loads(token_path(home, "corp").read_text())["accessToken"] in fake_sso.valid_tokens()


def test_legacy_profiles_and_use_device_code_take_the_device_flow(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG + "\n" + LEGACY_CONFIG)
    env, log = browser_env(fake_sso, tmp_path, mode="none")
    fake_sso.device_script = ["authorization_pending"]
    for args in (["--profile", "old"], ["--profile", "dev", "--use-device-code"]):
        fake_sso.calls.clear()
        r = credctl("sso", "login", *args, env=env, timeout=60)
        assert r.code == 0, r
        assert "Authorize" not in fake_sso.ops() and "StartDeviceAuthorization" in fake_sso.ops()
        assert "grantTypes" not in fake_sso.calls[0]["body"]
    code = fake_sso.user_codes[-1]
    # The browser runs detached and may write after credctl is done (nothing is waited for).
    assert wait_until(lambda: log.exists() and log.read_text().splitlines()[-1:] == [f"{fake_sso.url}/device?user_code={code}"]), \
        log.read_text() if log.exists() else "not opened"
    # The message is true whether or not the page fills the code in: the code is always shown.
    assert ("If the page asks for a code, enter this one; if it shows a code, check that it is this one:\n\n"
            f"    {code}\n") in r.err
    assert "fills the code in" not in r.err and "autofill" not in r.err


def test_a_start_url_that_is_not_https_is_refused(credctl, home, fake_sso, tmp_path):
    write_config(home, SESSION_CONFIG.replace(START_URL, "http://example.awsapps.com/start"))
    env, log = browser_env(fake_sso, tmp_path)
    r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    assert r.code == 2, r
    assert r.err == "credctl: error: The sso_start_url must use the https scheme.\n"
    assert fake_sso.calls == [] and not log.exists()


class VanityHost:
    """An https start URL on a host that is not AWS's (a self-signed certificate for 127.0.0.1,
    trusted through AWS_CA_BUNDLE) answering each request with a redirect to `location`."""

    def __init__(self, tmp_path, location):
        import http.server
        import ssl
        import threading
        self.cert, key = tmp_path / "vanity.pem", tmp_path / "vanity.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(self.cert),
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        self.requests = []
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                host.requests.append((self.command, self.path))
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            do_GET = do_HEAD

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert), str(key))
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/start"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("flow", ["pkce", "device"])
def test_a_vanity_start_url_is_resolved_and_its_region_written(credctl, home, fake_sso, tmp_path, flow):
    resolved = "https://ssoins-7223aa.portal.eu-west-2.app.aws"
    vanity = VanityHost(tmp_path, resolved + "/?from=vanity")
    try:
        config = SESSION_CONFIG.replace(START_URL, vanity.url)
        path = write_config(home, config)
        env, _ = browser_env(fake_sso, tmp_path, AWS_CA_BUNDLE=str(vanity.cert))
        fake_sso.device_script = []
        r = credctl("sso", "login", "--profile", "dev", "--output", "json", *(["--use-device-code"] if flow == "device" else []),
                    env=env, timeout=60)
    finally:
        vanity.close()
    assert r.code == 0, r
    assert vanity.requests == [("HEAD", "/start")]
    report = json.loads(r.out)
    assert report["ResolvedStartUrl"] == resolved and report["Region"] == "eu-west-2" and report["SsoRegionUpdatedIn"] == str(path)
    if flow == "pkce":
        assert fake_sso.calls[0]["body"]["issuerUrl"] == resolved
    else:
        assert fake_sso.calls[1]["op"] == "StartDeviceAuthorization" and fake_sso.calls[1]["body"]["startUrl"] == resolved
    token = json.loads(token_path(home, "corp").read_text())
    assert token["startUrl"] == vanity.url and token["region"] == "eu-west-2"
    # Only sso_region changed, in place, as `aws sso login` rewrites it.
    assert path.read_text() == config.replace("sso_region = us-east-1", "sso_region = eu-west-2")
    assert registration_path(home, "corp", ["sso:account:access"], start_url=vanity.url, region="eu-west-2").exists()
    assert botocore_credentials(home, "dev", fake_sso.env())["method"] == "sso"


def test_a_vanity_url_that_does_not_lead_to_aws_changes_nothing(credctl, home, fake_sso, tmp_path):
    vanity = VanityHost(tmp_path, "https://login.example.com/elsewhere")
    try:
        config = SESSION_CONFIG.replace(START_URL, vanity.url)
        path = write_config(home, config)
        env, log = browser_env(fake_sso, tmp_path, AWS_CA_BUNDLE=str(vanity.cert))
        r = credctl("sso", "login", "--profile", "dev", env=env, timeout=60)
    finally:
        vanity.close()
    assert r.code == 2, r
    assert r.err == (f"credctl: error: Could not resolve start URL '{vanity.url}' to an AWS-owned endpoint. "
                     "Final URL: 'https://login.example.com/elsewhere'\n")
    assert fake_sso.calls == [] and not log.exists() and path.read_text() == config and not token_path(home, "corp").exists()
