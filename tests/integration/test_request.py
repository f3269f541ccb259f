"""credctl request: signed requests to moto and to a strict botocore-based verifier."""
import json
import random

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from fake_servers import RecordingServer, sigv4_verifier

KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
STATIC = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET}


def test_query_protocol_post_to_sts(credctl, admin_env, moto):
    r = credctl("request", "--service", "sts", "-d", "Action=GetCallerIdentity&Version=2011-06-15", moto.url + "/",
                env=admin_env)
    assert r.code == 0, r
    assert "<Arn>arn:aws:iam::123456789012:user/admin</Arn>" in r.out


def test_json_protocol_to_ssm_round_trips_a_value(credctl, admin_env, moto):
    value = "p@ss w0rd=#'\"\\ é"
    put = json.dumps({"Name": "/REQ/TEST/VALUE", "Value": value, "Type": "SecureString", "Overwrite": True})
    headers = ["-H", "Content-Type: application/x-amz-json-1.1"]
    r = credctl("request", "--service", "ssm", *headers, "-H", "X-Amz-Target: AmazonSSM.PutParameter", "-d", put,
                moto.url + "/", env=admin_env)
    assert r.code == 0, r
    got = moto.client("ssm").get_parameter(Name="/REQ/TEST/VALUE", WithDecryption=True)["Parameter"]["Value"]
    assert got == value


def test_error_answer_prints_body_and_exits_4(credctl, admin_env, moto):
    r = credctl("request", "--service", "ssm", "-H", "Content-Type: application/x-amz-json-1.1",
                "-H", "X-Amz-Target: AmazonSSM.GetParameter", "-d", '{"Name":"/does/not/exist"}', moto.url + "/",
                env=admin_env)
    assert r.code == 4, r
    assert "ParameterNotFound" in r.err
    assert "ParameterNotFound" in r.out


def test_body_from_file(credctl, admin_env, moto, tmp_path):
    body = tmp_path / "body"
    body.write_text("Action=GetCallerIdentity&Version=2011-06-15")
    r = credctl("request", "--service", "sts", "-d", f"@{body}", moto.url + "/", env=admin_env)
    assert r.code == 0, r
    r = credctl("request", "--service", "sts", "-d", f"@{tmp_path}/missing", moto.url + "/", env=admin_env)
    assert r.code == 2, r
    assert "no such file" in r.err


def random_request(rng):
    """Methods, paths (unicode, spaces, encoded bytes, dot segments), repeated query keys,
    odd header spacing and bodies."""
    segments = ["a", "b c", "ü", "%41", "x+y", "~tilde", ".", "..", "", "$del", "dash-_."]
    path = "/" + "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4)))
    path = "".join(c if c.isascii() and c != " " else "".join(f"%{b:02X}" for b in c.encode()) for c in path)
    keys = ["a", "B", "k", "x-y", "%E1%88%B4", "empty"]
    query = "&".join(f"{rng.choice(keys)}={rng.choice(['1', 'v', '', 'a%20b', '%2F', 'Z'])}" for _ in range(rng.randint(0, 4)))
    method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
    headers = [f"X-Amz-Meta-{n}: {' ' * rng.randint(0, 2)}{v}" for n, v in
               [("One", "a   b"), ("Two", "x"), ("Three", "  spaced  out ")] if rng.random() < 0.6]
    body = rng.choice([None, "", "hello", '{"json": true}', "ü" * 50])
    if method == "GET" and body:
        body = None
    return method, path + ("?" + query if query else ""), headers, body


def test_strict_verifier_accepts_arbitrary_requests(credctl):
    rng = random.Random(20261123)
    with RecordingServer(sigv4_verifier({KEY_ID: SECRET})) as server:
        for _ in range(40):
            method, target, headers, body = random_request(rng)
            args = ["request", "--service", "execute-api", "--region", "eu-west-1", "-X", method]
            for h in headers:
                args += ["-H", h]
            if body is not None:
                args += ["-d", body]
            r = credctl(*args, server.url + target, env=STATIC)
            assert r.code == 0, (method, target, headers, body, r)


def test_session_token_is_signed_and_sent(credctl):
    token = "IQoJb3JpZ2luX2VjEXAMPLE/+="
    with RecordingServer(sigv4_verifier({"ASIAEXAMPLE": SECRET})) as server:
        r = credctl("request", "--service", "sts", server.url + "/?Action=GetCallerIdentity&Version=2011-06-15",
                    env={"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": token})
        assert r.code == 0, r
        sent = dict(server.requests[0]["headers"])
        assert sent["X-Amz-Security-Token"] == token
        assert "x-amz-security-token" in sent["Authorization"]


def test_dry_run_matches_botocore_and_sends_nothing(credctl):
    with RecordingServer(lambda h, i: (500, {}, b"")) as server:
        url = server.url + "/some%20path/./x?b=2&a=1&a=0"
        r = credctl("request", "--service", "ssm", "--region", "eu-central-1", "--dry-run",
                    "--signing-time", "20150830T123600Z", "-H", "X-Amz-Target: AmazonSSM.GetParameter",
                    "-d", '{"Name":"x"}', url, env=STATIC)
        assert r.code == 0, r
        assert server.requests == []
    request = AWSRequest(method="POST", url=url, data=b'{"Name":"x"}',
                         headers={"Host": f"127.0.0.1:{server.port}", "X-Amz-Target": "AmazonSSM.GetParameter",
                                  "Content-Type": "application/x-www-form-urlencoded"})
    request.context["timestamp"] = "20150830T123600Z"
    signer = SigV4Auth(Credentials(KEY_ID, SECRET), "ssm", "eu-central-1")
    request.headers["X-Amz-Date"] = "20150830T123600Z"
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    assert canonical in r.out
    assert f"Signature={signature}" in r.out


def test_dry_run_hides_the_session_token(credctl):
    token = "SECRETSESSIONTOKENVALUE"
    r = credctl("request", "--service", "sts", "--dry-run", "http://127.0.0.1:9/",
                env={"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": token})
    assert r.code == 0, r
    assert token not in r.out + r.err
    assert "x-amz-security-token:<redacted>" in r.out


@pytest.mark.parametrize("args,message", [
    (["http://127.0.0.1:9/"], "cannot tell the service from '127.0.0.1': pass --service"),
    (["--service", "sts", "-H", "NoColon", "http://127.0.0.1:9/"], "-H 'NoColon' is not 'Name: value'"),
    (["--service", "sts", "127.0.0.1/"], "is not a URL: it needs a scheme"),
    (["--service", "sts", "ftp://x/"], "unsupported URL scheme 'ftp'"),
    (["--service", "sts", "--signing-time", "yesterday", "http://127.0.0.1:9/"], "--signing-time 'yesterday'"),
])
def test_bad_input_exits_2(credctl, args, message):
    r = credctl("request", *args, env=STATIC)
    assert r.code == 2, r
    assert message in r.err


def test_presigned_url_matches_botocore(credctl):
    from botocore.auth import SigV4QueryAuth
    url = "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"
    # botocore signs at the current time: sign there first, then have credctl sign at that time.
    request = AWSRequest(method="GET", url=url, headers={})
    SigV4QueryAuth(Credentials(KEY_ID, SECRET), "iam", "us-east-1", expires=300).add_auth(request)
    signed_at = request.url.split("X-Amz-Date=")[1].split("&")[0]
    r = credctl("request", "--presign", "300", "--signing-time", signed_at, url, env=STATIC)
    assert r.code == 0, r
    assert r.out.strip() == request.url


def test_presign_bounds_exit_2(credctl):
    r = credctl("request", "--presign", "0", "https://iam.amazonaws.com/", env=STATIC)
    assert r.code == 2, r
    assert "1 to 604800 seconds" in r.err
