"""Helpers of the hostile-input tests (test_hostile_*.py): a raw TCP listener that records every
byte it gets, fake STS/IMDS/container answers carrying chosen credentials, and the checks every
one of those tests makes (no trap, no secret in the output)."""
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from conftest import BINARY

GOOD_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYHOSTILE01"
FUTURE = "2099-01-01T00:00:00Z"
PAST = "2001-02-03T04:05:06Z"


class RawListener:
    """A loopback TCP listener that records the raw bytes of every connection and answers each
    request (once its headers have arrived) with `answer`, then closes. `received()` is every
    byte that arrived; `connections` counts the connections made."""

    def __init__(self, answer=b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"):
        self.answer = answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.chunks = []
        self.connections = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn):
        conn.settimeout(2)
        data = b""
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                with self.lock:
                    self.chunks.append(chunk)
                if b"\r\n\r\n" in data:
                    conn.sendall(self.answer)
                    break
        except OSError:
            pass
        finally:
            conn.close()

    def received(self):
        time.sleep(0.1)   # let a reader thread store what it got
        with self.lock:
            return b"".join(self.chunks)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()


def assert_no_trap(result):
    """No Swift runtime trap, no crash: an exit code below 128 and no trace on stderr."""
    assert result.code < 128, result
    for marker in ("Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault"):
        assert marker not in result.err, result


def assert_one_error_line(result, code=2):
    """Exit `code` with one `credctl: error:` line, and at most one `hint:` line after it."""
    assert result.code == code, result
    lines = result.err.splitlines()
    assert result.err.endswith("\n") and lines and lines[0].startswith("credctl: error: "), result
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("hint: ")), result


def assert_not_shown(result, *secrets):
    for s in secrets:
        if s:
            assert s not in result.out and s not in result.err, (s, result)


def process_script(tmp_path, document, name="creds.py"):
    """An executable credential_process printing `document` (a dict) as JSON."""
    path = tmp_path / name
    path.write_text("#!" + sys.executable + "\n" + textwrap.dedent(f"""
        import json, sys
        sys.stdout.write(json.dumps({json.dumps(document)}))
    """))
    path.chmod(0o755)
    return path


def xml_text(s):
    """Text for an XML element, with every character that is not plain ASCII text as a reference."""
    out = []
    for c in s:
        if c in "&<>\"'" or ord(c) < 0x20 or ord(c) > 0x7E:
            out.append(f"&#{ord(c)};")
        else:
            out.append(c)
    return "".join(out)


def assume_role_answer(key_id="ASIAFAKEROLE00000001", secret=GOOD_SECRET, token="FwoGZXIvYXdzEFAKEROLETOKEN",
                       expiration=FUTURE, arn="arn:aws:sts::123456789012:assumed-role/r/s", action="AssumeRole"):
    """An STS AssumeRole (or AssumeRoleWithWebIdentity) answer with these credentials."""
    body = (f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{action}Result><Credentials>'
            f'<AccessKeyId>{xml_text(key_id)}</AccessKeyId><SecretAccessKey>{xml_text(secret)}</SecretAccessKey>'
            f'<SessionToken>{xml_text(token)}</SessionToken><Expiration>{expiration}</Expiration></Credentials>'
            f'<AssumedRoleUser><AssumedRoleId>AROAFAKE:s</AssumedRoleId><Arn>{arn}</Arn></AssumedRoleUser>'
            f'</{action}Result><ResponseMetadata><RequestId>req-assume</RequestId></ResponseMetadata></{action}Response>')
    return 200, {"Content-Type": "text/xml"}, body.encode()


def credentials_json(key_id="ASIAFAKEENDPOINT0001", secret=GOOD_SECRET, token="IQoJb3JpZ2luX2VjEFAKE", expiration=FUTURE):
    return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key_id, "SecretAccessKey": secret,
            "Token": token, "Expiration": expiration}


class FakeIMDS:
    """IMDSv2 answering `document` as the credentials of role `web-role`."""

    def __init__(self, document):
        self.document = document

    def __call__(self, handler, index):
        if handler.command == "PUT" and handler.path == "/latest/api/token":
            return 200, {}, b"imds-session-token"
        if handler.path == "/latest/meta-data/iam/security-credentials/":
            return 200, {}, b"web-role"
        if handler.path == "/latest/meta-data/iam/security-credentials/web-role":
            return 200, {"Content-Type": "application/json"}, json.dumps(self.document).encode()
        return 404, {}, b""


def imds_env(server):
    return {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url}


def static_env(endpoint, **extra):
    """Static keys, a region, `endpoint` for every service and one attempt per call."""
    return dict({"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": GOOD_SECRET,
                 "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint, "AWS_MAX_ATTEMPTS": "1"}, **extra)


class RawResult:
    """A run with stdout and stderr as bytes: text mode would turn a CR into a LF and hide it."""

    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out!r}\nstderr: {self.err!r}>"


@pytest.fixture
def credctl_raw(home):
    """Like conftest's `credctl`, with bytes in and out."""
    def run(*args, env=None, stdin=b"", timeout=30):
        full_env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true"}
        full_env.update(env or {})
        return RawResult(subprocess.run([str(BINARY), *args], env=full_env, input=stdin, capture_output=True, timeout=timeout))
    return run
