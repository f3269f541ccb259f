"""A loopback proxy in front of moto that behaves like a rate-limited AWS service.

- Calls to the limited services (by the signing name in the Authorization header's credential
  scope; IAM by default) beyond `rate` a second are answered `Throttling` (HTTP 400 with a query
  error body, as IAM answers), not forwarded. The limit is a token bucket holding `burst` tokens
  (default: one second's worth), refilled at `rate` a second, as AWS's limits are.
- Every call (limited or not) first waits `latency` seconds, so that a loopback moto costs a
  real service's round trip (about 40 ms), which is what concurrency buys back.

Counts the calls by action (`actions`), what it forwarded and refused per service, the most
calls in flight at once (`max_in_flight`); `peak_rate()` is the most calls forwarded in any
one-second window.
"""
import collections
import email.utils
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fault_proxy import action_of, error_body, forward_to


def service_of(request):
    for name, value in request["headers"]:
        if name.lower() == "authorization" and "Credential=" in value:
            scope = value.split("Credential=")[1].split(",")[0].split("/")
            return scope[3] if len(scope) > 3 else None
    return None


class RateLimitProxy:
    def __init__(self, moto_port, rate=None, burst=None, latency=0.0, services=("iam",)):
        self.moto_port = moto_port
        self.rate = rate
        self.burst = burst if burst is not None else rate
        self.latency = latency
        self.services = set(services)
        self.lock = threading.Lock()
        self.tokens = float(self.burst or 0)
        self.last = time.monotonic()
        self.forwarded = collections.Counter()
        self.throttled = collections.Counter()
        self.forward_times = collections.defaultdict(list)
        self.actions = collections.Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = {"method": self.command, "path": self.path, "headers": list(self.headers.items()),
                           "body": self.rfile.read(length) if length else b""}
                status, headers, body = proxy.respond(request)
                self.send_response_only(status)
                for k, v in headers.items():
                    if k.lower() not in ("date", "server"):
                        self.send_header(k, v)
                self.send_header("Date", email.utils.formatdate(usegmt=True))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def admit(self, service):
        """True when the call may go through; takes a token from the limited services' bucket."""
        if self.rate is None or service not in self.services:
            return True
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    def respond(self, request):
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self.answer(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    def answer(self, request):
        service = service_of(request)
        with self.lock:
            self.actions[action_of(request)] += 1
        if self.latency:
            time.sleep(self.latency)
        if not self.admit(service):
            with self.lock:
                self.throttled[service] += 1
            return 400, {"Content-Type": "text/xml"}, error_body("Throttling", "Rate exceeded")
        answer = forward_to(self.moto_port, request)
        with self.lock:
            self.forwarded[service] += 1
            self.forward_times[service].append(time.monotonic())
        return answer

    def peak_rate(self, service="iam"):
        """The most calls to `service` forwarded in any one-second window."""
        times = sorted(self.forward_times[service])
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    def reset_counts(self):
        with self.lock:
            self.forwarded.clear()
            self.throttled.clear()
            self.forward_times.clear()
            self.actions.clear()
            self.max_in_flight = 0

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
