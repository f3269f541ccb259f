"""credential_process, web identity, the container endpoint and IMDSv2, each against a real
process or a small loopback server that checks the protocol."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import BINARY, write_aws_files
from fake_servers import RecordingServer

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
EXPIRES = "2099-01-01T00:00:00Z"


def process_script(tmp_path, body, name="creds.py"):
    path = tmp_path / name
    path.write_text("#!" + sys.executable + "\n" + textwrap.dedent(body))
    path.chmod(0o755)
    return path


# --- credential_process -----------------------------------------------------------------

def test_credential_process(credctl, home, tmp_path):
    script = process_script(tmp_path, f"""
        import json, sys
        assert sys.argv[1:] == ["--role", "two words"], sys.argv
        print(json.dumps({{"Version": 1, "AccessKeyId": "ASIAPROCESSEXAMPLE01", "SecretAccessKey": "{SECRET}",
                           "SessionToken": "{TOKEN}", "Expiration": "{EXPIRES}"}}))
    """)
    aws = write_aws_files(home, f"[profile p]\nregion = eu-west-1\ncredential_process = {script} --role 'two words'\n")
    r = credctl("creds", "show", "--profile", "p", "--output", "json")
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Credentials"]["Provider"] == "credential-process"
    assert doc["Credentials"]["Location"] == f"{aws}/config:3"
    assert doc["Credentials"]["Expiration"] == EXPIRES
    assert SECRET not in r.out and TOKEN not in r.out
    exported = credctl("creds", "export", "--profile", "p", "--format", "json")
    assert json.loads(exported.out) == {"AccessKeyId": "ASIAPROCESSEXAMPLE01", "SecretAccessKey": SECRET,
                                        "SessionToken": TOKEN, "Expiration": EXPIRES, "Region": "eu-west-1"}


def test_credential_process_failure_shows_stderr_not_stdout(credctl, home, tmp_path):
    script = process_script(tmp_path, f"""
        import sys
        print("{SECRET}")
        sys.stderr.write("token expired, run login\\n")
        sys.exit(3)
    """)
    aws = write_aws_files(home, f"[profile p]\ncredential_process = {script}\n")
    r = credctl("creds", "show", "--profile", "p")
    assert r.code == 3, r
    assert r.err == f"credctl: error: credential_process of profile 'p' ({aws}/config:2) exited with status 3: token expired, run login\n"
    assert SECRET not in r.err + r.out


def test_credential_process_bad_output(credctl, home, tmp_path):
    script = process_script(tmp_path, f"""print('{{"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "{SECRET}"')""")
    aws = write_aws_files(home, f"[profile p]\ncredential_process = {script}\n")
    r = credctl("creds", "show", "--profile", "p")
    assert r.code == 3
    assert "the answer is not valid JSON" in r.err and SECRET not in r.err
    script = process_script(tmp_path, f"""print('{{"Version": 2, "AccessKeyId": "AKIA", "SecretAccessKey": "{SECRET}"}}')""", "v2.py")
    write_aws_files(home, f"[profile p]\ncredential_process = {script}\n")
    r = credctl("creds", "show", "--profile", "p")
    assert r.code == 3 and r.err.endswith("Unsupported version '2' for credential process provider, supported versions: 1\n") and SECRET not in r.err
    write_aws_files(home, "[profile p]\ncredential_process = helper 'unclosed\n")
    r = credctl("creds", "show", "--profile", "p")
    assert r.code == 2 and r.err == f"credctl: error: credential_process of profile 'p' ({aws}/config:2): a quote is left open\n"


def test_credential_process_calling_credctl_itself_stops(credctl, home):
    write_aws_files(home, f"[profile loop]\ncredential_process = {BINARY} creds export --format process --profile loop\n")
    r = credctl("creds", "show", "--profile", "loop", timeout=60)
    assert r.code == 3, r
    assert "credential processes nested 4 deep" in r.err


# --- web identity -------------------------------------------------------------------------

def assume_role_with_web_identity_answer(key_id):
    return (f"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
            f"<AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>"
            f"<SessionToken>{TOKEN}</SessionToken><Expiration>{EXPIRES}</Expiration></Credentials>"
            f"<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/irsa/s</Arn></AssumedRoleUser>"
            f"</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>").encode()


def test_web_identity_from_environment_is_unsigned_and_rereads_the_token(credctl, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("eyJ.first.token")
    with RecordingServer(lambda h, i: (200, {"Content-Type": "text/xml"},
                                       assume_role_with_web_identity_answer(f"ASIAWEBIDENTITY0000{i}"))) as sts:
        env = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/irsa",
               "AWS_ROLE_SESSION_NAME": "pod-1", "AWS_ENDPOINT_URL_STS": sts.url, "AWS_REGION": "eu-west-1"}
        r = credctl("creds", "export", "--format", "json", env=env)
        assert r.code == 0, r
        assert json.loads(r.out)["AccessKeyId"] == "ASIAWEBIDENTITY00000"
        token_file.write_text("eyJ.second.token")
        r2 = credctl("creds", "export", "--format", "json", "--no-cache", env=env)
        assert json.loads(r2.out)["AccessKeyId"] == "ASIAWEBIDENTITY00001"
        cached = credctl("creds", "show", "--output", "json", env=env)
        assert json.loads(cached.out)["Credentials"]["FromCache"] is True
        assert len(sts.requests) == 2
    first, second = sts.requests
    assert not any(k.lower() == "authorization" for k, _ in first["headers"]), "AssumeRoleWithWebIdentity is unsigned"
    assert b"Action=AssumeRoleWithWebIdentity" in first["body"]
    assert b"WebIdentityToken=eyJ.first.token" in first["body"]
    assert b"RoleSessionName=pod-1" in first["body"]
    assert b"WebIdentityToken=eyJ.second.token" in second["body"]


def test_web_identity_profile_and_missing_role(credctl, home, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("eyJ.profile.token")
    aws = write_aws_files(home, f"[profile irsa]\nweb_identity_token_file = {token_file}\n")
    r = credctl("creds", "show", "--profile", "irsa")
    assert r.code == 2
    assert r.err == (f"credctl: error: a web identity token file is set ({aws}/config:2) but no role: "
                     "set AWS_ROLE_ARN or the profile's role_arn\n")
    # With --profile the environment's web identity settings are not used.
    r = credctl("creds", "show", "--profile", "irsa",
                env={"AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": "/nope"})
    assert r.code == 2 and "but no role" in r.err


# --- container endpoint -------------------------------------------------------------------

def container_answer(h, i):
    return 200, {"Content-Type": "application/json"}, json.dumps({
        "AccessKeyId": "ASIACONTAINER0000001", "SecretAccessKey": SECRET, "Token": TOKEN,
        "Expiration": EXPIRES, "RoleArn": "arn:aws:iam::111122223333:role/task"}).encode()


def test_container_full_uri_with_token_file(credctl, tmp_path):
    token_file = tmp_path / "pod-token"
    token_file.write_text("pod-identity-token")
    with RecordingServer(container_answer) as server:
        r = credctl("creds", "show", "--output", "json",
                    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v1/credentials",
                         "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token_file),
                         "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-file-set"})
        assert r.code == 0, r
        [req] = server.requests
    doc = json.loads(r.out)
    assert doc["Credentials"]["Provider"] == "container"
    assert doc["Credentials"]["Location"] == server.url + "/v1/credentials"
    assert req["method"] == "GET" and req["path"] == "/v1/credentials"
    assert ("Authorization", "pod-identity-token") in req["headers"]


def test_container_token_variable_and_crlf(credctl):
    with RecordingServer(container_answer) as server:
        env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "abc"}
        assert credctl("creds", "show", env=env).code == 0
        assert ("Authorization", "abc") in server.requests[0]["headers"]
        bad = credctl("creds", "show", env=dict(env, AWS_CONTAINER_AUTHORIZATION_TOKEN="abc\r\nX-Injected: 1"))
        assert bad.code == 2
        assert bad.err == ("credctl: error: the container authorization token from AWS_CONTAINER_AUTHORIZATION_TOKEN "
                           "contains a CR, LF or other control character, which cannot go in a header\n")
        assert len(server.requests) == 1, "nothing sent with a bad token"


@pytest.mark.parametrize("uri", ["http://10.0.0.1/creds", "http://example.com/creds", "http://169.254.169.254/creds",
                                 "http://127.0.0.1.example.com/creds"])
def test_container_plain_http_to_other_hosts_is_refused_before_connecting(credctl, uri):
    # Run with no network at all where possible: a refusal must not need one.
    r = credctl("creds", "show", env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": uri})
    assert r.code == 2, r
    assert "plain http is allowed only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23" in r.err
    assert r.elapsed < 2


def test_container_endpoint_errors_exit_3(credctl):
    with RecordingServer(lambda h, i: (500, {}, b"oops")) as server:
        r = credctl("creds", "show", env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds"})
        assert r.code == 3
        assert r.err.startswith(f"credctl: error: container endpoint 127.0.0.1:{server.port} (AWS_CONTAINER_CREDENTIALS_FULL_URI) gave no credentials: HTTP 500")
        assert len(server.requests) == 3


# --- instance metadata --------------------------------------------------------------------

class FakeIMDS:
    """IMDSv2: a token from PUT, then the role list and credentials only with that token."""

    def __init__(self, token_status=200, stall_token=False):
        self.token_status = token_status
        self.stall_token = stall_token

    def __call__(self, h, i):
        if h.command == "PUT" and h.path == "/latest/api/token":
            if self.stall_token:
                time.sleep(3)
                return None, {}, b""
            if h.headers.get("x-aws-ec2-metadata-token-ttl-seconds") != "21600":
                return 400, {}, b"missing ttl"
            return self.token_status, {}, b"imds-session-token" if self.token_status == 200 else b""
        if self.token_status == 200 and not self.stall_token and h.headers.get("x-aws-ec2-metadata-token") != "imds-session-token":
            return 401, {}, b""
        if h.path == "/latest/meta-data/iam/security-credentials/":
            return 200, {}, b"web-role\n"
        if h.path == "/latest/meta-data/iam/security-credentials/web-role":
            return 200, {}, json.dumps({"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS000000000001",
                                        "SecretAccessKey": SECRET, "Token": TOKEN, "Expiration": EXPIRES}).encode()
        return 404, {}, b""


def imds_env(server, **extra):
    # A region, so that these requests are the credential provider's only (with none, creds show
    # would also read the instance's region: test_imds_region.py).
    env = {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url, "AWS_REGION": "us-east-1"}
    env.update(extra)
    return env


def test_imds_v2(credctl):
    with RecordingServer(FakeIMDS()) as server:
        r = credctl("creds", "show", "--output", "json", env=imds_env(server))
        assert r.code == 0, r
        paths = [(q["method"], q["path"]) for q in server.requests]
    assert paths == [("PUT", "/latest/api/token"), ("GET", "/latest/meta-data/iam/security-credentials/"),
                     ("GET", "/latest/meta-data/iam/security-credentials/web-role")]
    doc = json.loads(r.out)
    assert doc["Credentials"]["Provider"] == "instance-metadata"
    assert doc["Credentials"]["Rule"] is None
    assert doc["AccessKeyId"] == "ASIA************0001"


def test_imds_v1_fallback_and_v1_disabled(credctl):
    with RecordingServer(FakeIMDS(token_status=403)) as server:
        r = credctl("creds", "show", "--output", "json", env=imds_env(server))
        assert r.code == 0, r
        assert json.loads(r.out)["Credentials"]["Rule"] == "IMDSv1 (no IMDSv2 token)"
        assert not any(k.lower() == "x-aws-ec2-metadata-token" for q in server.requests[1:] for k, _ in q["headers"])
        off = credctl("creds", "show", env=imds_env(server, AWS_EC2_METADATA_V1_DISABLED="true"))
        assert off.code == 3
        assert "instance-metadata: instance metadata at 127.0.0.1" in off.err
        assert "no IMDSv2 token (token refused (HTTP 403)) and IMDSv1 is disabled" in off.err


def test_imds_token_timeout_falls_back_to_v1_quickly(credctl):
    with RecordingServer(FakeIMDS(stall_token=True)) as server:
        r = credctl("creds", "show", "--output", "json", env=imds_env(server))
        assert r.code == 0, r
        assert json.loads(r.out)["Credentials"]["Rule"] == "IMDSv1 (no IMDSv2 token)"
        assert r.elapsed < 3, "a stalled token request costs one 1 s timeout"


def test_imds_disabled(credctl):
    with RecordingServer(FakeIMDS()) as server:
        r = credctl("creds", "show", env=imds_env(server, AWS_EC2_METADATA_DISABLED="TRUE"))
        assert r.code == 3
        assert "instance-metadata: AWS_EC2_METADATA_DISABLED=true" in r.err
        assert server.requests == []


def can_unshare():
    return shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not can_unshare(), reason="needs unshare -n (root or user namespaces)")
def test_off_ec2_the_whole_chain_gives_up_at_once(home):
    """In an empty network namespace 169.254.169.254 is unreachable, as off EC2."""
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    started = time.monotonic()
    proc = subprocess.run(["unshare", "-n", str(BINARY), "creds", "show"], env=env, capture_output=True, text=True, timeout=30)
    elapsed = time.monotonic() - started
    assert proc.returncode == 3, proc
    assert "instance-metadata: no instance metadata at 169.254.169.254" in proc.stderr
    assert elapsed < 1.5
