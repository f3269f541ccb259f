"""Issue 13, findings 5 and 14: nothing a user, a file, a process or an endpoint supplies can add a
line to a request on the wire, and response headers reach the user byte-exact.

Credentials with a control character, from any provider, are refused before a byte is sent
(exit 3, naming the provider); a `-H` header with one exits 2. A raw TCP listener records every
byte that arrives, so "nothing was sent" is checked on the wire, not believed."""
import json

import pytest

from conftest import write_aws_files
from fake_servers import RecordingServer
from hostile_support import (FakeIMDS, GOOD_SECRET, RawListener, assert_no_trap, assert_not_shown, assume_role_answer,
                             credentials_json, imds_env, process_script, static_env)

REFUSED = "contains a control character (CR, LF, NUL, …); nothing was sent. Check how it was copied\n"


def refused(field, origin):
    return f"credctl: error: the {field} from {origin} {REFUSED}"


# --- credentials from the environment ------------------------------------------------------

@pytest.mark.parametrize("variable, value, field", [
    ("AWS_ACCESS_KEY_ID", "AKIAX\r\nInjected: 1", "access key id"),         # the instance
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE\n", "access key id"),        # a pasted trailing newline
    ("AWS_SECRET_ACCESS_KEY", GOOD_SECRET + "\rX", "secret access key"),
    ("AWS_SECRET_ACCESS_KEY", "\x1b[2J" + GOOD_SECRET, "secret access key"),  # ESC
    ("AWS_SESSION_TOKEN", "FwoGZXIvYXdz\nX-Amz-Security-Token: evil", "session token"),
    ("AWS_SESSION_TOKEN", "FwoGZXIvYXdz\x7f", "session token"),                 # DEL
    ("AWS_SECURITY_TOKEN", "FwoGZXIvYXdz\r\n\r\nGET / HTTP/1.1", "session token"),
])
def test_environment_credentials_with_control_characters_send_nothing(credctl, variable, value, field):
    with RawListener() as wire:
        env = static_env(wire.url, **{variable: value})
        r = credctl("whoami", env=env)
        assert r.err == refused(field, "environment (AWS_ACCESS_KEY_ID)"), r
        assert r.code == 3 and r.out == ""
        assert wire.received() == b"" and wire.connections == 0
    assert_not_shown(r, value, GOOD_SECRET)


def test_a_tab_in_a_session_token_is_legal_and_sent_as_it_is(credctl):
    """HTAB is allowed in a header value (RFC 9110): refusing it would refuse what botocore sends."""
    with RawListener() as wire:
        r = credctl("whoami", env=static_env(wire.url, AWS_SESSION_TOKEN="tok\ten"))
        assert r.code == 4, r   # the listener's empty answer is not STS XML
        assert b"\r\nX-Amz-Security-Token: tok\ten\r\n" in wire.received()


# --- credentials from the shared files -----------------------------------------------------

@pytest.mark.parametrize("credentials_file, field, line", [
    # A key continued onto the next line: the INI reader joins the two with a newline.
    ("[default]\naws_access_key_id = AKIAX\n  Injected: 1\naws_secret_access_key = s3cr3tValue\n", "access key id", 2),
    ("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3tValue\n"
     "aws_session_token = tok\n\tX-Injected: yes\n", "session token", 2),
    ("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3t\x1bValue\n", "secret access key", 2),
])
def test_credentials_file_values_with_control_characters_send_nothing(credctl, home, credentials_file, field, line):
    aws = write_aws_files(home, credentials=credentials_file)
    before = (aws / "credentials").read_bytes()
    with RawListener() as wire:
        r = credctl("whoami", env={"AWS_ENDPOINT_URL": wire.url, "AWS_REGION": "us-east-1"})
        assert r.code == 3, r
        assert r.err == refused(field, f"shared-credentials-file, profile default ({aws}/credentials:{line})")
        assert wire.received() == b""
    assert_not_shown(r, "s3cr3tValue", "s3cr3t\x1bValue")
    assert (aws / "credentials").read_bytes() == before


def test_config_file_static_keys_with_a_continued_token_send_nothing(credctl, home):
    aws = write_aws_files(home, config="[profile p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                                       "aws_secret_access_key = s3cr3tValue\naws_session_token = abc\n  def\nregion = us-east-1\n")
    with RawListener() as wire:
        r = credctl("whoami", "--profile", "p", env={"AWS_ENDPOINT_URL": wire.url})
        assert r.code == 3, r
        assert r.err == refused("session token", f"config-file, profile p ({aws}/config:2)")
        assert wire.received() == b""


# --- credentials from a process, a container endpoint, instance metadata, STS --------------

@pytest.mark.parametrize("document, field", [
    ({"Version": 1, "AccessKeyId": "ASIAX\r\nInjected: 1", "SecretAccessKey": GOOD_SECRET, "SessionToken": "t"}, "access key id"),
    ({"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": GOOD_SECRET + "\r\n", "SessionToken": "t"},
     "secret access key"),
    ({"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": GOOD_SECRET,
      "SessionToken": "IQoJ\u0000truncated"}, "session token"),
    ({"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": GOOD_SECRET,
      "SessionToken": "IQoJ\r\nHost: evil.example"}, "session token"),
])
def test_credential_process_output_with_control_characters_sends_nothing(credctl, home, tmp_path, document, field):
    script = process_script(tmp_path, document)
    aws = write_aws_files(home, config=f"[default]\nregion = us-east-1\ncredential_process = {script}\n")
    with RawListener() as wire:
        r = credctl("whoami", env={"AWS_ENDPOINT_URL": wire.url})
        assert r.code == 3, r
        assert r.err == refused(field, f"credential-process, profile default ({aws}/config:3)")
        assert wire.received() == b""
    assert_not_shown(r, GOOD_SECRET)
    # Every command that signs goes through the same check: export and exec too.
    exported = credctl("creds", "export", "--format", "env")
    assert exported.code == 3 and exported.out == "" and exported.err == r.err
    ran = credctl("creds", "exec", "--", "sh", "-c", "touch ran")
    assert ran.code == 3 and not (home / "ran").exists() and not (tmp_path / "ran").exists()


@pytest.mark.parametrize("field, document", [
    ("session token", credentials_json(token="IQoJb3JpZ2lu\r\nInjected: 1")),
    ("access key id", credentials_json(key_id="ASIA\nCONTAINER")),
    ("secret access key", credentials_json(secret=GOOD_SECRET + "\x00")),
])
def test_container_endpoint_answer_with_control_characters_sends_nothing(credctl, field, document):
    with RawListener() as wire, RecordingServer(lambda h, i: (200, {}, json.dumps(document).encode())) as endpoint:
        uri = endpoint.url + "/v2/credentials/abc"
        r = credctl("whoami", env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": uri, "AWS_ENDPOINT_URL": wire.url,
                                   "AWS_REGION": "us-east-1"})
        assert r.code == 3, r
        assert r.err == refused(field, f"container ({uri})")
        assert wire.received() == b""
        assert len(endpoint.requests) == 1
    assert_not_shown(r, GOOD_SECRET)


@pytest.mark.parametrize("field, document", [
    ("session token", credentials_json(token="IQoJ\nX-Injected: imds")),
    ("secret access key", credentials_json(secret="\r" + GOOD_SECRET)),
])
def test_instance_metadata_answer_with_control_characters_sends_nothing(credctl, field, document):
    with RawListener() as wire, RecordingServer(FakeIMDS(document)) as imds:
        r = credctl("whoami", env=dict(imds_env(imds), AWS_ENDPOINT_URL=wire.url, AWS_REGION="us-east-1"))
        assert r.code == 3, r
        assert r.err.startswith(f"credctl: error: the {field} from instance-metadata"), r
        assert r.err.endswith(REFUSED)
        assert wire.received() == b""
    assert_not_shown(r, GOOD_SECRET)


@pytest.mark.parametrize("token", ["FQoGZXIvYXdz\r\nInjected: 1", "FQoGZXIvYXdz\x0b"])
def test_an_assumed_role_token_with_control_characters_is_refused(credctl, home, token):
    """STS itself answering a token with CR/LF: the role's credentials are refused as any other."""
    aws = write_aws_files(home, config="[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\n"
                                       "region = us-east-1\n",
                          credentials="[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3tValue\n")
    with RecordingServer(lambda h, i: assume_role_answer(token=token)) as sts:
        r = credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": sts.url})
        assert r.code == 3, r
        assert r.err == refused("session token", f"assume-role, profile r ({aws}/config:2)")
        # One AssumeRole, and no GetCallerIdentity carrying the token.
        assert [q["body"].split(b"&")[0] for q in sts.requests] == [b"Action=AssumeRole"]


def test_a_chained_role_whose_first_token_has_a_newline_sends_nothing_more(credctl, home):
    """r2 is assumed with r1's credentials: r1's bad token must not sign the second AssumeRole."""
    aws = write_aws_files(home, config="[profile r1]\nrole_arn = arn:aws:iam::123456789012:role/r1\nsource_profile = src\n"
                                       "[profile r2]\nrole_arn = arn:aws:iam::123456789012:role/r2\nsource_profile = r1\n"
                                       "region = us-east-1\n",
                          credentials="[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3tValue\n")
    with RecordingServer(lambda h, i: assume_role_answer(token="FQoG\nX-Injected: 1")) as sts:
        r = credctl("whoami", "--profile", "r2", env={"AWS_ENDPOINT_URL": sts.url})
        assert r.code == 3, r
        assert r.err == refused("session token", f"assume-role, profile r1 ({aws}/config:2)")
        assert len(sts.requests) == 1
    assert not list((home / ".aws").rglob("*.json")), "refused credentials are not cached"


def test_a_cached_role_entry_with_a_newline_is_not_used(credctl, home):
    """A role cache file edited to hold a CRLF: refreshed from STS instead of signing with it."""
    aws = write_aws_files(home, config="[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\n"
                                       "region = us-east-1\n",
                          credentials="[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3tValue\n")
    calls = []

    def sts(h, i):
        action = h.server_ref.requests[-1]["body"].split(b"&")[0]
        calls.append(action)
        if action == b"Action=AssumeRole":
            return assume_role_answer(token="FQoGgoodtoken")
        from fake_servers import STS_IDENTITY
        return 200, {"Content-Type": "text/xml"}, STS_IDENTITY

    with RecordingServer(sts) as server:
        assert credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": server.url}).code == 0
        [cache_file] = list((aws / "credctl" / "cache").glob("*.json"))
        entry = json.loads(cache_file.read_text())
        entry["SessionToken"] = "FQoG\r\nInjected: cache"
        cache_file.write_text(json.dumps(entry))
        calls.clear()
        r = credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": server.url})
        assert r.code == 0, r
        assert calls == [b"Action=AssumeRole", b"Action=GetCallerIdentity"]
        assert all(b"Injected" not in b"".join(k.encode() + v.encode() for k, v in q["headers"]) for q in server.requests)
    assert json.loads(cache_file.read_text())["SessionToken"] == "FQoGgoodtoken"


def test_container_authorization_token_file_with_crlf_sends_nothing(credctl, tmp_path):
    token = tmp_path / "token"
    token.write_bytes(b"pod-token\r\nX-Injected: 1")
    with RawListener() as endpoint:
        r = credctl("creds", "show", env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.url + "/creds",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token)})
        assert r.code == 2, r
        assert r.err == ("credctl: error: the container authorization token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
                         "contains a CR, LF or other control character, which cannot go in a header\n")
        assert endpoint.received() == b""
    assert_not_shown(r, "pod-token")


# --- headers, URLs and names typed by the user ---------------------------------------------

@pytest.mark.parametrize("header, problem", [
    ("X: a\r\nInjected: yes", "the value of header X contains a control character (CR, LF, NUL, …)"),   # the issue's
    ("X-Trace: a\nb", "the value of header X-Trace contains a control character (CR, LF, NUL, …)"),
    ("X-Color: \x1b[31mred", "the value of header X-Color contains a control character (CR, LF, NUL, …)"),
    ("X-Del: a\x7f", "the value of header X-Del contains a control character (CR, LF, NUL, …)"),
    ("X\r\nInjected: yes", "the header name 'X\\r\\nInjected' is not a valid HTTP token"),
    ("Bad Name: v", "the header name 'Bad Name' is not a valid HTTP token"),
])
def test_request_header_with_control_characters_exits_2_and_sends_nothing(credctl, header, problem):
    with RawListener() as wire:
        r = credctl("request", wire.url + "/", "--service", "sts", "-H", header, env=static_env(wire.url))
        assert r.code == 2, r
        assert r.err == f"credctl: error: -H: {problem}\n"
        assert wire.received() == b"" and wire.connections == 0
    assert_not_shown(r, GOOD_SECRET)


@pytest.mark.parametrize("args, extra_env, message", [
    (["whoami"], {"AWS_ENDPOINT_URL": "{url}\r\nInjected: 1"},
     "invalid endpoint URL from AWS_ENDPOINT_URL: '{url}\\r\\nInjected: 1' contains a space or control character: percent-encode it"),
    (["whoami", "--endpoint-url", "{url}/\nInjected: 1"], {},
     "invalid endpoint URL from --endpoint-url: '{url}/\\nInjected: 1' contains a space or control character: percent-encode it"),
    (["whoami", "--region", "us-east-1\r\nInjected: 1"], {},
     "region 'us-east-1\\r\\nI…' from --region is not a valid region name"),
    (["whoami"], {"AWS_REGION": "us-east-1\nInjected: 1"},
     "region 'us-east-1\\nIn…' from AWS_REGION is not a valid region name"),
    (["request", "{url}/a\r\nInjected: 1", "--service", "sts"], {},
     "'{url}/a\\r\\nInjected: 1' contains a space or control character: percent-encode it"),
])
def test_urls_and_regions_with_control_characters_send_nothing(credctl, args, extra_env, message):
    with RawListener() as wire:
        env = static_env(wire.url, **{k: v.format(url=wire.url) for k, v in extra_env.items()})
        r = credctl(*[a.format(url=wire.url) for a in args], env=env)
        assert r.code == 2, r
        assert r.err == f"credctl: error: {message.format(url=wire.url)}\n"
        assert wire.received() == b""


def test_a_service_name_with_crlf_sends_nothing(credctl):
    """The service name goes into the Authorization header's scope: caught by the last check
    before the wire, whatever layer forgot."""
    with RawListener() as wire:
        r = credctl("request", wire.url + "/", "--service", "sts\r\nInjected: 1", env=static_env(wire.url))
        assert_no_trap(r)
        assert r.code == 2, r
        assert r.err == (f"credctl: error: invalid request talking to 127.0.0.1:{wire.port}: the value of header "
                         "Authorization contains a control character (CR, LF, NUL, …); nothing was sent\n")
        assert wire.received() == b""


# --- finding 14: response headers byte-exact ----------------------------------------------

REQUEST_ID = "0123456789abcdefZbvPRj"


def test_request_id_of_an_error_is_shown_whole(credctl):
    body = (b'<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error>'
            b'</ErrorResponse>')
    with RecordingServer(lambda h, i: (403, {"Content-Type": "text/xml", "x-amzn-RequestId": REQUEST_ID}, body)) as server:
        r = credctl("whoami", env=static_env(server.url))
    assert r.code == 4, r
    assert f"request id {REQUEST_ID}" in r.err, r
    assert f"request id {REQUEST_ID}" in r.err.splitlines()[0]


def test_request_id_of_a_json_error_is_shown_whole(credctl):
    body = b'{"__type":"ParameterNotFound","message":"gone"}'
    with RecordingServer(lambda h, i: (400, {"Content-Type": "application/x-amz-json-1.1",
                                             "x-amzn-RequestId": REQUEST_ID}, body)) as server:
        r = credctl("params", "get", "/a/b", env=static_env(server.url))
    assert r.code == 4, r
    assert f"request id {REQUEST_ID}" in r.err, r


def test_request_include_shows_every_header_value_byte_exact(credctl):
    headers = {"x-amzn-RequestId": REQUEST_ID, "Date": "Tue, 03 Feb 2026 04:05:06 GMT", "Connection": "close",
               "X-Trailing": "ends-in-j", "X-One": "1", "Content-Type": "text/plain"}
    with RecordingServer(lambda h, i: (200, headers, b"body")) as server:
        r = credctl("request", server.url + "/", "--service", "sts", "-i", env=static_env(server.url))
    assert r.code == 0, r
    lines = r.out.split("\n")
    assert lines[0] == "HTTP 200"
    for name, value in headers.items():
        assert f"{name}: {value}" in lines, (name, r.out)
    assert r.out.endswith("\nbody")


def test_assume_does_not_hand_out_a_token_with_control_characters(credctl, tmp_path):
    """`credctl assume` gives STS's answer to a shell or a child, not to the chain: checked the same."""
    marker = tmp_path / "started"
    with RecordingServer(lambda h, i: assume_role_answer(token="FQoG\r\nX-Injected: 1")) as sts:
        env = static_env(sts.url)
        for extra in ([], ["--format", "json"], ["--", "touch", str(marker)]):
            r = credctl("assume", "arn:aws:iam::123456789012:role/r", *extra, env=env)
            assert r.code == 3, (extra, r)
            assert r.out == ""
            assert r.err == refused("session token", "assume-role (credctl assume)")
    assert not marker.exists(), "the command was not started"
    assert_not_shown(r, GOOD_SECRET)


# --- IAM Identity Center ---------------------------------------------------------------------

def test_sso_role_credentials_with_control_characters_are_refused(credctl, home):
    from fake_sso import FakeSSO
    from sso_support import SESSION_CONFIG, seed_token, write_config

    def role_credentials(account_id, role_name):
        return {"accessKeyId": "ASIASSOROLE000000001", "secretAccessKey": GOOD_SECRET,
                "sessionToken": "IQoJ\r\nInjected: sso", "expiration": 4102444800000}

    config = write_config(home, SESSION_CONFIG)
    with FakeSSO(role_credentials=role_credentials) as fake, RawListener() as wire:
        seed_token(home, fake)
        r = credctl("whoami", "--profile", "dev", env=fake.env(AWS_ENDPOINT_URL_STS=wire.url))
        assert r.code == 3, r
        assert r.err.startswith("credctl: error: the session token from sso") and r.err.endswith(REFUSED), r
        assert wire.received() == b""
    assert_not_shown(r, GOOD_SECRET)
    assert config.exists()


def test_a_cached_sso_token_with_a_newline_is_never_sent(credctl, home):
    from fake_sso import FakeSSO
    from sso_support import SESSION_CONFIG, seed_token, token_path, write_config

    write_config(home, SESSION_CONFIG)
    with FakeSSO() as fake:
        seed_token(home, fake, refreshable=False)
        path = token_path(home, "corp")
        doc = json.loads(path.read_text())
        doc["accessToken"] = doc["accessToken"] + "\r\nX-Injected: 1"
        path.write_text(json.dumps(doc))
        r = credctl("whoami", "--profile", "dev", env=fake.env())
        assert r.code == 3, r
        assert r.err == (f"credctl: error: the SSO token for sso-session corp in {path} contains a control character "
                         "(CR, LF, NUL, …); nothing was sent. Run `credctl sso login --profile dev`\n")
        assert fake.ops() == [], "nothing sent with the damaged token"


def test_an_imds_session_token_with_crlf_is_never_sent(credctl):
    def imds(h, i):
        if h.command == "PUT":
            return 200, {}, b"imds-token\r\nX-Injected: 1"
        return 200, {}, b"web-role"
    with RecordingServer(imds) as server:
        r = credctl("creds", "show", env=dict(imds_env(server), AWS_REGION="us-east-1"))
        assert r.code == 3, r
        assert r.err == (f"credctl: error: instance metadata at 127.0.0.1:{server.port}: the IMDSv2 session token it "
                         "answered contains a control character (CR, LF, NUL, …); nothing was sent with it\n")
        assert [(q["method"], q["path"]) for q in server.requests] == [("PUT", "/latest/api/token")]
