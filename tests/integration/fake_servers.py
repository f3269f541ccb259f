"""Small loopback HTTP servers the tests start: each runs in a thread and records what it got."""
import email.utils
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingServer:
    """Serves `respond(handler, index)` -> (status, headers, body) for each request."""

    def __init__(self, respond):
        self.respond = respond
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append({"method": self.command, "path": self.path,
                                        "headers": [(k, v) for k, v in self.headers.items()], "body": body,
                                        "time": time.time()})
                status, headers, payload = server.respond(self, len(server.requests) - 1)
                if status is None:
                    # Drop the connection without an answer.
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response_only(status)
                sent = {k.lower() for k in headers}
                for k, v in headers.items():
                    if k.lower() != "x-test-truncate-to":
                        self.send_header(k, v)
                if "date" not in sent:
                    self.send_header("Date", email.utils.formatdate(usegmt=True))
                # A test header asks for a truncated answer: the full length announced, fewer bytes sent.
                truncate = {k.lower(): v for k, v in headers.items()}.get("x-test-truncate-to")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if truncate is not None:
                    self.wfile.write(payload[:int(truncate)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(payload)

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

        Handler.server_ref = self
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def fake_server_env(server, **extra):
    """Static keys, a region and the server as the endpoint: enough for credctl to sign a call to it."""
    return dict({"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x", "AWS_REGION": "us-east-1",
                 "AWS_ENDPOINT_URL": server.url}, **extra)


def http_date(offset_seconds=0):
    return email.utils.formatdate(time.time() + offset_seconds, usegmt=True)


STS_IDENTITY = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                b'<GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/fake</Arn>'
                b'<UserId>AIDAFAKEFAKEFAKEFAKE</UserId><Account>111122223333</Account></GetCallerIdentityResult>'
                b'<ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>')


def query_error(code, message, status=400):
    body = (f'<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>'
            f'<RequestId>req-{code}</RequestId></ErrorResponse>').encode()
    return status, {"Content-Type": "text/xml"}, body


def sigv4_verifier(secrets):
    """A strict SigV4 verifier: recomputes each request's signature with botocore's SigV4Auth from
    the raw request line, the headers the Authorization header lists, and the body. Answers 200
    with the canonical request on success, 403 SignatureDoesNotMatch otherwise."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def respond(handler, index):
        req = RecordingServerState.last(handler)
        auth = dict(req["headers"]).get("Authorization", "")
        try:
            cred = auth.split("Credential=")[1].split(",")[0]
            key_id, date, region, service, _ = cred.split("/")
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
            given = auth.split("Signature=")[1].strip()
        except (IndexError, ValueError):
            return 403, {}, b"malformed Authorization"
        headers = {}
        for name, value in req["headers"]:
            if name.lower() in signed:
                headers[name] = value if name not in headers else headers[name] + "," + value
        token = None
        for name, value in req["headers"]:
            if name.lower() == "x-amz-security-token":
                token = value
        aws_request = AWSRequest(method=req["method"], url="http://" + dict(req["headers"])["Host"] + req["path"],
                                 headers=headers, data=req["body"])
        aws_request.context["timestamp"] = dict(req["headers"])["X-Amz-Date"]
        signer = SigV4Auth(Credentials(key_id, secrets[key_id], token), service, region)
        canonical = signer.canonical_request(aws_request)
        expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
        if expected != given:
            return 403, {"Content-Type": "text/plain"}, ("SignatureDoesNotMatch\n" + canonical).encode()
        return 200, {"Content-Type": "text/plain"}, canonical.encode()

    return respond


class RecordingServerState:
    @staticmethod
    def last(handler):
        return handler.server_ref.requests[-1]
