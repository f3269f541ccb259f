"""Issue 13, finding 13: a value from a service or a file cannot drive the terminal.

Values holding ESC, CR, LF, BEL, BS, CSI (U+009B), the line separator and a bidirectional
override are written to moto (or answered by a loopback server where moto cannot hold them);
every table and text output, error message and `--debug` line must show them escaped, and
`--output json` must give them back exactly. Output is read as bytes: text mode would turn a CR
into a LF and hide it."""
import json
import uuid

import pytest

from conftest import write_aws_files
from fake_servers import RecordingServer, STS_IDENTITY
from hostile_support import GOOD_SECRET, RawListener, credctl_raw, static_env  # noqa: F401 (fixture)

HOSTILE = "x\x1b[31mRED\r\x07\x08\u009b2J\u202eevil\nline2\u2028end\x1b]0;title\x07"
# What PrintableText makes of it.
ESCAPED = "x\\u{1b}[31mRED\\r\\u{7}\\u{8}\\u{9b}2J\\u{202e}evil\\nline2\\u{2028}end\\u{1b}]0;title\\u{7}"


def raw_controls(data: bytes):
    """The terminal-driving characters in `data`: C0 controls but LF and TAB, DEL, C1, the line
    and paragraph separators and the bidirectional controls."""
    text = data.decode("utf-8")
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
           or ord(c) in (0x2028, 0x2029) or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]
    return bad


def human_outputs(run, *args, env):
    """stdout and stderr of the command in table and text output, checked for raw controls."""
    outputs = {}
    for fmt in ("table", "text"):
        r = run(*args, "--output", fmt, env=env)
        assert r.code == 0, (fmt, r)
        assert raw_controls(r.out) == [] and raw_controls(r.err) == [], (fmt, r)
        outputs[fmt] = r.out.decode()
    return outputs


def json_output(run, *args, env):
    r = run(*args, "--output", "json", env=env)
    assert r.code == 0, r
    return json.loads(r.out)


# --- values stored in moto --------------------------------------------------------------------

def test_secrets_describe_and_list_escape_descriptions_and_tags(credctl_raw, admin_env, moto):
    name = f"hostile/out-{uuid.uuid4().hex[:8]}"
    moto.client("secretsmanager").create_secret(Name=name, SecretString="v", Description=HOSTILE,
                                                Tags=[{"Key": "owner\x1b[8m", "Value": HOSTILE}])
    described = human_outputs(credctl_raw, "secrets", "describe", name, env=admin_env)
    for fmt, text in described.items():
        assert ESCAPED in text, (fmt, text)
        assert "owner\\u{1b}[8m=" in text
    listed = human_outputs(credctl_raw, "secrets", "list", "--name-prefix", name, env=admin_env)
    assert all(ESCAPED in text for text in listed.values())
    doc = json_output(credctl_raw, "secrets", "describe", name, env=admin_env)
    assert doc["Description"] == HOSTILE
    assert doc["Tags"] == [{"Key": "owner\x1b[8m", "Value": HOSTILE}]
    assert json_output(credctl_raw, "secrets", "list", "--name-prefix", name, env=admin_env)[0]["Description"] == HOSTILE


def test_params_list_get_path_and_history_escape_values_and_descriptions(credctl_raw, admin_env, moto):
    root = f"/HOUT{uuid.uuid4().hex[:8]}"
    ssm = moto.client("ssm")
    ssm.put_parameter(Name=f"{root}/P", Value=HOSTILE, Type="SecureString", Description=HOSTILE)
    ssm.put_parameter(Name=f"{root}/P", Value=HOSTILE + "2", Type="SecureString", Overwrite=True)
    for args in (["params", "list", root], ["params", "get-path", root], ["params", "history", f"{root}/P"]):
        texts = human_outputs(credctl_raw, *args, env=admin_env)
        assert all(ESCAPED in t for t in texts.values()), (args, texts)
    assert json_output(credctl_raw, "params", "get-path", root, env=admin_env) == {"P": HOSTILE + "2"}
    assert json_output(credctl_raw, "params", "list", root, env=admin_env)[0]["Description"] == HOSTILE
    history = json_output(credctl_raw, "params", "history", f"{root}/P", env=admin_env)
    assert [h["Description"] for h in history] == [HOSTILE, HOSTILE]
    # The commands whose job is printing the value print it exactly.
    got = credctl_raw("params", "get", f"{root}/P", env=admin_env)
    assert got.code == 0 and got.out == (HOSTILE + "2\n").encode()


def test_dynamodb_items_are_escaped_in_table_output(credctl_raw, admin_env, moto):
    table = f"hostile-{uuid.uuid4().hex[:8]}"
    ddb = moto.client("dynamodb")
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=table, Item={"id": {"S": HOSTILE}, "note\x1b": {"S": "\r\u009b"}})
    human_outputs(credctl_raw, "dynamodb", "scan", table, env=admin_env)
    items = json_output(credctl_raw, "dynamodb", "scan", table, env=admin_env)["Items"]
    assert items == [{"id": {"S": HOSTILE}, "note\x1b": {"S": "\r\u009b"}}]


# --- values only a hostile server (or file) can hold --------------------------------------------

def iam_server(user, service):
    user_x = user.encode()
    service_x = service.encode()

    def respond(h, i):
        body = h.server_ref.requests[-1]["body"]
        if b"Action=ListAccessKeys" in body:
            return 200, {"Content-Type": "text/xml"}, (
                b'<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member><UserName>' + user_x +
                b'</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>'
                b'<CreateDate>2024-01-02T03:04:05Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>'
                b'</ListAccessKeysResult></ListAccessKeysResponse>')
        if b"Action=GetAccessKeyLastUsed" in body:
            return 200, {"Content-Type": "text/xml"}, (
                b'<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>' + user_x + b'</UserName>'
                b'<AccessKeyLastUsed><LastUsedDate>2024-02-03T04:05:06Z</LastUsedDate><ServiceName>' + service_x +
                b'</ServiceName><Region>us-east-1\x1b[5m</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult>'
                b'</GetAccessKeyLastUsedResponse>')
        return 400, {}, b""
    return respond


def test_keys_list_escapes_names_a_server_sends(credctl_raw):
    user, service = "u\x1b[2Jser\u202e", "s3\r\x07"
    with RecordingServer(iam_server(user, service)) as server:
        env = static_env(server.url)
        texts = human_outputs(credctl_raw, "keys", "list", "--user", user, env=env)
        assert all("u\\u{1b}[2Jser\\u{202e}" in t and "s3\\r\\u{7}" in t for t in texts.values()), texts
        [key] = json_output(credctl_raw, "keys", "list", "--user", user, env=env)
    assert (key["UserName"], key["LastUsedService"], key["LastUsedRegion"]) == (user, service, "us-east-1\x1b[5m")


def test_whoami_escapes_a_profile_name_from_a_file_and_an_arn_from_the_server(credctl_raw, home):
    profile = "dev\x1b[2J\u202e"
    aws = write_aws_files(home, config=f"[profile {profile}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                                       f"aws_secret_access_key = {GOOD_SECRET}\nregion = us-east-1\n")
    identity = STS_IDENTITY.replace(b"user/fake", b"user/fa\x1b[8mke")
    with RecordingServer(lambda h, i: (200, {"Content-Type": "text/xml"}, identity)) as server:
        env = {"AWS_ENDPOINT_URL": server.url}
        texts = human_outputs(credctl_raw, "whoami", "--profile", profile, env=env)
        for t in texts.values():
            assert f"profile dev\\u{{1b}}[2J\\u{{202e}} ({aws}/config:2)" in t
            assert "arn:aws:iam::111122223333:user/fa\\u{1b}[8mke" in t
        doc = json_output(credctl_raw, "whoami", "--profile", profile, env=env)
        assert doc["Arn"] == "arn:aws:iam::111122223333:user/fa\x1b[8mke"
        for args in (["creds", "show", "--profile", profile], ["doctor", "--profile", profile]):
            r = credctl_raw(*args, env=env)
            assert r.code in (0, 1), r
            assert raw_controls(r.out) == [] and raw_controls(r.err) == [], r
            assert b"dev\\u{1b}[2J\\u{202e}" in r.out


@pytest.mark.parametrize("status, headers, body, args", [
    (400, {"Content-Type": "application/x-amz-json-1.1"},
     json.dumps({"__type": "AccessDeniedException", "message": HOSTILE}).encode(), ["params", "get", "/a/b"]),
    (403, {"Content-Type": "text/xml"},
     ('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied\x1b[1m</Code><Message>' + HOSTILE.replace("\n", " ") +
      '</Message></Error></ErrorResponse>').encode(), ["whoami"]),
    (400, {"Content-Type": "application/x-amz-json-1.1"},
     json.dumps({"__type": "ResourceNotFoundException", "Message": HOSTILE}).encode(), ["secrets", "describe", "s"]),
])
def test_error_messages_from_the_service_are_escaped(credctl_raw, status, headers, body, args):
    with RecordingServer(lambda h, i: (status, dict(headers, **{"x-amzn-RequestId": "req\x1b[2J"}), body)) as server:
        r = credctl_raw(*args, env=static_env(server.url))
    assert r.code == 4, r
    assert r.out == b""
    assert raw_controls(r.err) == [], r
    lines = r.err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("credctl: error: ")
    assert "\\u{1b}[31mRED\\r\\u{7}" in lines[0] and "req\\u{1b}[2J" in lines[0]


def test_debug_lines_escape_what_the_server_sends(credctl_raw):
    with RawListener(answer=b"HTTP/1.1 200 OK\r\nX-Evil: \x1b]0;pwned\x07\x1b[2J\r\nContent-Length: 0\r\n"
                            b"Connection: close\r\n\r\n") as server:
        r = credctl_raw("whoami", "--debug", env=static_env(server.url))
    assert r.code == 4, r
    assert raw_controls(r.err) == [], r
    assert b"X-Evil: \\u{1b}]0;pwned\\u{7}\\u{1b}[2J" in r.err


def test_request_include_escapes_header_values_and_keeps_the_body_raw(credctl_raw):
    """`request` prints the body as it came, like curl: that is its job. Headers are lines of
    its own report and are escaped."""
    with RawListener(answer=b"HTTP/1.1 200 OK\r\nX-Evil: a\x1b[2Jb\r\nContent-Length: 3\r\nConnection: close\r\n\r\n\x1bok") as server:
        r = credctl_raw("request", server.url + "/", "--service", "sts", "-i", env=static_env(server.url))
    assert r.code == 0, r
    head, _, body = r.out.partition(b"\n\n")
    assert raw_controls(head) == [], r
    assert b"X-Evil: a\\u{1b}[2Jb" in head
    assert body == b"\x1bok"
