"""Every call has a total deadline as well as the read timeout (issue 23 #15): an answer that
trickles one byte at a time, never idle long enough for the read timeout, still ends the call
(`--cli-total-timeout`, default 120 s). A raw loopback server sends a 200's head and then its body
a byte every 0.2 s, to any request."""
import socket
import threading
import time

import pytest

SECRET = "trickleSECRETtrickleSECRETtrickle0000000"


class TricklingServer:
    """Answers every request with a 200 announcing a large body, then one byte of it each `gap` s."""

    def __init__(self, gap=0.2):
        self.gap = gap
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        self.requests = 0

    def __enter__(self):
        threading.Thread(target=self.accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.sock.close()

    def accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.trickle, args=(conn,), daemon=True).start()

    def trickle(self, conn):
        with conn:
            try:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                self.requests += 1
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
                while not self.stopped.is_set():
                    conn.sendall(b"<")
                    time.sleep(self.gap)
            except OSError:
                return


def env_for(server):
    return {"AWS_ACCESS_KEY_ID": "AKIDTRICKLE000000000", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": server.url, "AWS_MAX_ATTEMPTS": "1"}


# Commands on each kind of client (query, JSON, the organisation walk); the transport is one.
COMMANDS = [
    ["whoami"],
    ["params", "get", "/trickle/a"],
    ["secrets", "get", "trickle"],
    ["keys", "list"],
    ["keys", "audit", "--org", "--max-age", "90d"],
    ["dynamodb", "tables"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_trickling_answer_ends_at_the_total_deadline(credctl, args):
    with TricklingServer() as server:
        started = time.monotonic()
        r = credctl(*args, "--cli-read-timeout", "1", "--cli-total-timeout", "2", env=env_for(server), timeout=60)
        elapsed = time.monotonic() - started
    assert r.code == 5, r
    assert r.out == "", r
    first = r.err.splitlines()[0]
    assert first.startswith("credctl: error: "), r
    assert f"timed out talking to 127.0.0.1:{server.port}: not over after 2.0 s (total deadline)" in first, r
    assert SECRET not in r.err
    assert server.requests == 1, server.requests
    assert elapsed < 10, elapsed


def test_the_read_timeout_still_ends_a_silent_answer_first(credctl):
    """A server that stops sending is the read timeout's, reported as such, before the total deadline."""
    with TricklingServer(gap=30) as server:
        r = credctl("whoami", "--cli-read-timeout", "1", "--cli-total-timeout", "20", env=env_for(server), timeout=60)
    assert r.code == 5, r
    assert "no data for 1.0 s (read timeout)" in r.err, r


@pytest.mark.parametrize("value, message", [
    ("0", "--cli-total-timeout must be a number of seconds from 0.001 to 86400, not '0'"),
    ("inf", "--cli-total-timeout must be a number of seconds from 0.001 to 86400, not 'inf'"),
    ("-5", "--cli-total-timeout must be a number of seconds from 0.001 to 86400, not '-5'"),
    ("1e300", "--cli-total-timeout must be a number of seconds from 0.001 to 86400, not '1e300'"),
])
def test_the_total_deadline_is_range_checked(credctl, value, message):
    with TricklingServer() as server:
        r = credctl("whoami", f"--cli-total-timeout={value}", env=env_for(server))
        assert server.requests == 0
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n", r
