"""`credctl console`: the sign-in URL through a loopback fake of the federation endpoint, with
GetFederationToken against moto for long-term keys; the URL never logged nor in any argv."""
import json
import os
import secrets
import stat
import time
import urllib.parse

import pytest

from conftest import write_aws_files
from fake_servers import RecordingServer

DESTINATION = "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"


class FakeFederation:
    """The federation endpoint: `getSigninToken` answers a fresh SigninToken (or `status`/`body`)."""

    def __init__(self, status=200, body=None):
        self.tokens = []
        self.status, self.body = status, body
        self.server = RecordingServer(self.respond)
        self.url = self.server.url + "/federation"

    def respond(self, handler, index):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(handler.path).query))
        if self.status != 200 or query.get("Action") != "getSigninToken":
            return self.status if self.status != 200 else 400, {"Content-Type": "text/html"}, b"<html>refused</html>"
        if self.body is not None:
            return 200, {"Content-Type": "application/json"}, self.body
        token = "signin-" + secrets.token_hex(24)
        self.tokens.append(token)
        return 200, {"Content-Type": "application/json"}, json.dumps({"SigninToken": token}).encode()

    def queries(self):
        return [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r["path"]).query)) for r in self.server.requests]

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)


@pytest.fixture
def federation():
    with FakeFederation() as fake:
        yield fake


def login_url(fake, token, destination=DESTINATION):
    return (f"{fake.url}?Action=login&Issuer=credctl&Destination={urllib.parse.quote(destination, safe='')}"
            f"&SigninToken={urllib.parse.quote(token, safe='')}")


def files(home, moto, roles):
    write_aws_files(home, f"[profile admin]\nregion = eu-west-1\n[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = admin\nregion = eu-west-1\n",
                    f"[admin]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")


def env(moto, fake, **extra):
    return {"AWS_ENDPOINT_URL": moto.url, "CREDCTL_FEDERATION_ENDPOINT": fake.url, **extra}


def test_long_term_key_gets_federated_credentials(credctl, home, moto, roles, federation):
    files(home, moto, roles)
    r = credctl("console", "--profile", "admin", "--print", "--debug", env=env(moto, federation))
    assert r.code == 0, r
    [query] = federation.queries()
    session = json.loads(query.pop("Session"))
    assert query == {"Action": "getSigninToken"}  # no SessionDuration for a federated user
    # moto's GetFederationToken answers its documented example credentials.
    assert session["sessionId"] == "AKIAIOSFODNN7EXAMPLE" and session["sessionKey"] and session["sessionToken"]
    assert r.out == login_url(federation, federation.tokens[0]) + "\n"
    # --debug says what was done, never the URL, the token or the session.
    assert "GetFederationToken for federated user admin with the long-term key" in r.err
    assert "?Action=getSigninToken&… (the query holds the session: not shown)" in r.err
    for secret in (federation.tokens[0], session["sessionKey"], session["sessionToken"], moto.admin_secret, "SigninToken="):
        assert secret not in r.err


def test_role_credentials_go_as_they_are_with_the_session_duration(credctl, home, moto, roles, federation):
    files(home, moto, roles)
    r = credctl("console", "--profile", "r1", "--print", "--duration", "2h", env=env(moto, federation))
    assert r.code == 0, r
    exported = json.loads(credctl("creds", "export", "--profile", "r1", "--format", "json", env=env(moto, federation)).out)
    [query] = federation.queries()
    assert query["SessionDuration"] == "7200"
    assert json.loads(query["Session"]) == {"sessionId": exported["AccessKeyId"], "sessionKey": exported["SecretAccessKey"],
                                            "sessionToken": exported["SessionToken"]}
    assert r.out == login_url(federation, federation.tokens[0]) + "\n"


@pytest.mark.parametrize("args,extra,code,message", [
    (["--duration", "10m"], {}, 2, "--duration '10m' is out of range: 15m to 36h"),
    (["--profile", "r1", "--duration", "13h"], {}, 2, "--duration: a console session of role credentials lasts at most 43200 seconds (12 hours)"),
    ([], {"CREDCTL_FEDERATION_ENDPOINT": "http://signin.example.com/federation"}, 2,
     "CREDCTL_FEDERATION_ENDPOINT is plain http to signin.example.com: the sign-in token is a secret, so http is allowed only to "
     "127.0.0.1, ::1 or localhost; use https"),
    ([], {"CREDCTL_FEDERATION_ENDPOINT": "signin.example.com"}, 2,
     "CREDCTL_FEDERATION_ENDPOINT: 'signin.example.com' is not a URL: it needs a scheme, as in https://host/path"),
    ([], {"CREDCTL_FEDERATION_ENDPOINT": "https://signin.example.com/federation?x=1"}, 2,
     "CREDCTL_FEDERATION_ENDPOINT must not carry a query string (credctl adds Action=…)"),
    ([], {"CREDCTL_CONSOLE_PAGE_SECONDS": "0"}, 2, "CREDCTL_CONSOLE_PAGE_SECONDS must be a whole number of seconds from 1 to 3600"),
    (["--output", "json"], {}, 2, "--output json does not apply here: console prints only the sign-in URL"),
])
def test_bad_input_is_refused_before_any_request(credctl, home, moto, roles, federation, args, extra, code, message):
    files(home, moto, roles)
    print_flag = [] if "CREDCTL_CONSOLE_PAGE_SECONDS" in extra else ["--print"]
    r = credctl("console", "--profile", "admin", *print_flag, *args, env={**env(moto, federation), **extra})
    assert (r.code, r.err, r.out) == (code, f"credctl: error: {message}\n", "")
    assert federation.server.requests == []


@pytest.mark.parametrize("status,body,code,message", [
    (400, None, 3, "the federation endpoint 127.0.0.1:{port} refused these credentials (HTTP 400): it takes role and federated-user "
                   "credentials only, not GetSessionToken's, and none that are expired"),
    (200, b'{"Other": 1}', 4, "federation:getSigninToken: unreadable response: the answer holds no SigninToken"),
    (500, None, 4, "federation:getSigninToken: unreadable response: HTTP 500 from 127.0.0.1:{port}"),
])
def test_endpoint_failures(credctl, home, moto, roles, status, body, code, message):
    files(home, moto, roles)
    with FakeFederation(status=status, body=body) as fake:
        r = credctl("console", "--profile", "r1", "--print", env=env(moto, fake))
        assert (r.code, r.out) == (code, ""), r
        assert r.err == "credctl: error: " + message.format(port=fake.server.port) + "\n"


def fake_xdg_open(tmp_path, status=0):
    """An xdg-open that records its arguments and a copy (and the mode) of the page it is given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "xdg-open"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {tmp_path}/args\ncp \"$1\" {tmp_path}/page\n"
                      f"stat -c %a \"$1\" > {tmp_path}/mode\nexit {status}\n")
    script.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


def test_opened_through_a_page_never_in_argv(credctl, home, moto, roles, federation, tmp_path):
    files(home, moto, roles)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    r = credctl("console", "--profile", "r1", env=env(moto, federation, PATH=fake_xdg_open(tmp_path), XDG_RUNTIME_DIR=str(runtime),
                                                      CREDCTL_CONSOLE_PAGE_SECONDS="1"))
    assert r.code == 0, r
    [page] = (tmp_path / "args").read_text().splitlines()
    assert page.startswith(f"{runtime}/credctl/credctl-sign-in-") and page.endswith(".html")
    assert r.out == "" and r.err == (f"credctl: opened the AWS console in your browser as the assume-role credentials "
                                     f"({json.loads(federation.queries()[0]['Session'])['sessionId'][:4]}************"
                                     f"{json.loads(federation.queries()[0]['Session'])['sessionId'][-4:]}); "
                                     f"the sign-in page {page} is deleted in 1 s\n")
    url = login_url(federation, federation.tokens[0]).replace("&", "&amp;")
    assert f'<meta http-equiv="refresh" content="0;url={url}">' in (tmp_path / "page").read_text()
    assert (tmp_path / "mode").read_text() == "600\n"
    assert stat.S_IMODE(os.stat(os.path.dirname(page)).st_mode) == 0o700
    deadline = time.time() + 10
    while os.path.exists(page) and time.time() < deadline:
        time.sleep(0.2)
    assert not os.path.exists(page)


def test_pages_a_killed_deleter_left_are_removed_by_the_next_page(credctl, home, moto, roles, federation, tmp_path):
    files(home, moto, roles)
    runtime = tmp_path / "run"
    folder = runtime / "credctl"
    folder.mkdir(parents=True, mode=0o700)
    os.chmod(runtime, 0o700)
    old = [folder / f"credctl-sign-in-{n:032x}.html" for n in (1, 2)]
    recent = folder / f"credctl-sign-in-{3:032x}.html"
    other = folder / "notes.html"
    for path in old + [recent, other]:
        path.write_text("https://signin.aws.amazon.com/federation?Action=login&SigninToken=old")
    for path in old + [other]:
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    r = credctl("console", "--profile", "r1", env=env(moto, federation, PATH=fake_xdg_open(tmp_path), XDG_RUNTIME_DIR=str(runtime),
                                                      CREDCTL_CONSOLE_PAGE_SECONDS="1"))
    assert r.code == 0, r
    assert not any(p.exists() for p in old)
    assert recent.exists() and other.exists()


def test_without_a_browser_the_url_is_printed_with_a_note(credctl, home, moto, roles, federation, tmp_path):
    files(home, moto, roles)
    r = credctl("console", "--profile", "r1", env=env(moto, federation, PATH=str(tmp_path)))
    assert r.code == 0, r
    assert r.out == login_url(federation, federation.tokens[0]) + "\n"
    assert r.err == "credctl: xdg-open was not found on PATH: open this URL in a browser; it signs in whoever holds it, for 15 minutes\n"
    r = credctl("console", "--profile", "r1", env=env(moto, federation, PATH=fake_xdg_open(tmp_path, status=3), HOME=str(home)))
    assert r.code == 0 and r.out == login_url(federation, federation.tokens[1]) + "\n"
    assert r.err == "credctl: xdg-open exited with status 3: open this URL in a browser; it signs in whoever holds it, for 15 minutes\n"
    # The page it was given is gone at once.
    assert not os.path.exists((tmp_path / "args").read_text().strip())
    assert (tmp_path / "args").read_text().strip().startswith(f"{home}/.aws/credctl/console/")
