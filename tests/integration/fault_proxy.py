"""A loopback proxy between credctl and moto that injects faults into chosen calls.

Each request's action (query `Action=` or JSON `X-Amz-Target`) and signing key id are read; the
first rule that matches (and has uses left) decides what happens:

- `fail`     answer with `status`/`code` without forwarding (throttling, 500s, AccessDenied, …);
- `lost`     forward to moto (the call takes effect), then answer 500: the answer was lost;
- `dropped`  forward to moto (the call takes effect), then close the connection without an
             answer: the fault under which libcurl would re-send a request on a reused connection;
- `stall`    hold the request without forwarding until released;
- `stall_after`  forward (the call takes effect), then hold the answer until released;
- `reset`    close the connection without an answer;
- `truncate` announce a full answer, send part of it, close;
- `garbage`  answer 200 with a body that is not valid XML or JSON;
- `html`     answer 200 with an HTML page (a captive portal, a misconfigured proxy);
- `huge`     answer 200 with a 20 MB body;
- `rewrite`  forward, then answer with `rewrite(body)` (a field a service could send that credctl
             must not take for something else).

Stalls set `stalled` so a test can kill credctl at exactly that step.
"""
import http.client
import threading
import urllib.parse

from fake_servers import RecordingServer


def action_of(request):
    for name, value in request["headers"]:
        if name.lower() == "x-amz-target":
            return value.split(".")[-1]
    form = urllib.parse.parse_qs(request["body"].decode("utf-8", "replace"))
    return form.get("Action", [""])[0]


def key_of(request):
    for name, value in request["headers"]:
        if name.lower() == "authorization" and "Credential=" in value:
            return value.split("Credential=")[1].split("/")[0]
    return None


def error_body(code, message="injected by the test proxy"):
    return (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>fault-proxy</RequestId></ErrorResponse>").encode()


def forward_to(port, request):
    """Sends a recorded request to 127.0.0.1:port as it came; returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest(request["method"], request["path"], skip_host=True, skip_accept_encoding=True)
    for name, value in request["headers"]:
        conn.putheader(name, value)
    conn.endheaders(request["body"])
    response = conn.getresponse()
    body = response.read()
    headers = {k: v for k, v in response.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection")}
    conn.close()
    return response.status, headers, body


class Rule:
    def __init__(self, action, mode, times=1, status=500, code="InternalError", key=None, before=None, rewrite=None):
        self.action = action
        self.rewrite = rewrite
        self.mode = mode
        self.times = times
        self.status = status
        self.code = code
        # None: any key; a callable: key_id -> bool.
        self.key = key
        # Called (once, with no arguments) when the rule first matches, before it acts: what
        # another process does at that moment.
        self.before = before

    def matches(self, action, key):
        return self.times > 0 and self.action in (action, "*") and (self.key is None or self.key(key))


class FaultProxy:
    def __init__(self, moto):
        self.moto = moto
        self.rules = []
        self.calls = []
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server = RecordingServer(self.respond)
        self.url = self.server.url

    def add(self, *args, **kwargs):
        self.rules.append(Rule(*args, **kwargs))
        return self

    def actions(self, action=None):
        return [c for c in self.calls if action is None or c[0] == action]

    def forward(self, request):
        return forward_to(self.moto.port, request)

    def respond(self, handler, index):
        request = self.server.requests[index]
        action, key = action_of(request), key_of(request)
        with self.lock:
            rule = next((r for r in self.rules if r.matches(action, key)), None)
            if rule:
                rule.times -= 1
            self.calls.append((action, key, rule.mode if rule else "forward"))
        if rule is None:
            return self.forward(request)
        if rule.before is not None:
            hook, rule.before = rule.before, None
            hook()
        if rule.mode == "fail":
            return rule.status, {"Content-Type": "text/xml"}, error_body(rule.code)
        if rule.mode == "lost":
            self.forward(request)
            return 500, {"Content-Type": "text/xml"}, error_body("InternalError")
        if rule.mode == "dropped":
            self.forward(request)
            return None, {}, b""
        if rule.mode == "stall":
            self.stalled.set()
            self.release.wait(120)
            return None, {}, b""
        if rule.mode == "stall_after":
            answer = self.forward(request)
            self.stalled.set()
            self.release.wait(120)
            return answer
        if rule.mode == "reset":
            return None, {}, b""
        if rule.mode == "truncate":
            status, headers, body = 200, {"Content-Type": "text/xml"}, b"<Response>" + b"x" * 4000
            return status, dict(headers, **{"X-Test-Truncate-To": "100"}), body
        if rule.mode == "garbage":
            json_call = any(n.lower() == "x-amz-target" for n, _ in request["headers"])
            return 200, {"Content-Type": "application/x-amz-json-1.1" if json_call else "text/xml"}, (b'{"Parameter": {"Name": ' if json_call else b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>")
        if rule.mode == "html":
            return 200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body><h1>Sign in to the Wi-Fi</h1></body></html>"
        if rule.mode == "rewrite":
            status, headers, body = self.forward(request)
            return status, headers, rule.rewrite(body)
        if rule.mode == "huge":
            return 200, {"Content-Type": "text/xml"}, b"<a>" + b"x" * (20 << 20) + b"</a>"
        raise ValueError(rule.mode)

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.__exit__(*exc)
