"""A loopback fake of AWS Sign-In (botocore model `signin` 2023-01-01, REST-JSON, unsigned), for
`login_session` profiles and `credctl login`: credctl and botocore are pointed at it with
AWS_ENDPOINT_URL_SIGNIN.

- `POST /v1/token` (CreateOAuth2Token) checks what the real service checks: no SigV4, a JSON
  body, and a DPoP proof (RFC 9449) verified with the `cryptography` package: `typ` dpop+jwt,
  `alg` ES256, an EC P-256 `jwk`, the ES256 signature (r || s) over `header.payload`, `htm` POST,
  `htu` this endpoint's /v1/token, `iat` within 5 minutes, `jti` never seen before. Refresh
  tokens are bound to the key that obtained them (its JWK thumbprint, `cnf.jkt`) and are single
  use: each refresh hands out a new one, so a client that does not write the new one back fails
  on its next refresh. The authorization-code grant checks the client, the redirect URI and the
  PKCE verifier (SHA-256, base64url without padding) of the code it issued.
- `GET /v1/authorize` issues a code for the query (response_type=code, client_id, state,
  code_challenge_method=SHA-256, scope=openid, redirect_uri, code_challenge) and redirects (302)
  to redirect_uri with `code` and `state`; the cross-device redirect,
  `/v1/sessions/confirmation`, shows the code to paste back (base64 of `state=…&code=…`).
- `fail_next` scripts AccessDeniedException answers (`TOKEN_EXPIRED`, …) with the model's status
  codes. Every call is recorded in `calls`.
"""
import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

SAME_DEVICE = "arn:aws:signin:::devtools/same-device"
CROSS_DEVICE = "arn:aws:signin:::devtools/cross-device"
SESSION_ARN = "arn:aws:iam::123456789012:user/alice"
ACCESS_DENIED_STATUS = {"TOKEN_EXPIRED": 401, "AUTHCODE_EXPIRED": 401, "USER_CREDENTIALS_CHANGED": 403, "INSUFFICIENT_PERMISSIONS": 403}


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SignInError(Exception):
    def __init__(self, status, exception, error, message):
        super().__init__(message)
        self.status, self.exception, self.error, self.message = status, exception, error, message


def denied(error, message):
    return SignInError(ACCESS_DENIED_STATUS[error], "AccessDeniedException", error, message)


def invalid(message):
    return SignInError(400, "ValidationException", "INVALID_REQUEST", message)


def jwk_thumbprint(jwk):
    """RFC 7638: SHA-256 of the required members in lexical order, no spaces."""
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def verify_dpop(proof, htu, seen, clock_skew=300):
    """The proof's JWK thumbprint when it is a valid ES256 DPoP proof for POST `htu`; raises otherwise."""
    parts = (proof or "").split(".")
    if len(parts) != 3:
        raise invalid("DPoP header missing or not a JWT")
    header, payload = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
    if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
        raise invalid("DPoP typ/alg")
    jwk = header.get("jwk") or {}
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise invalid("DPoP jwk is not an EC P-256 key")
    x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
    if len(x) != 32 or len(y) != 32:
        raise invalid("DPoP jwk coordinates are not 32 bytes")
    key = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()).public_key()
    signature = b64url_decode(parts[2])
    if len(signature) != 64:
        raise invalid("DPoP signature is not r || s")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise invalid("DPoP signature does not verify")
    if payload.get("htm") != "POST" or payload.get("htu") != htu:
        raise invalid(f"DPoP htm/htu: {payload.get('htm')} {payload.get('htu')}")
    if not isinstance(payload.get("iat"), int) or abs(payload["iat"] - time.time()) > clock_skew:
        raise invalid("DPoP iat is not now")
    jti = payload.get("jti")
    if not isinstance(jti, str) or not jti or jti in seen:
        raise invalid("DPoP jti missing or replayed")
    seen.add(jti)
    return jwk_thumbprint(jwk)


class FakeSignIn:
    def __init__(self, session_arn=SESSION_ARN, lifetime=900, credentials=None):
        self.session_arn = session_arn
        self.lifetime = lifetime
        # () -> {"accessKeyId", "secretAccessKey", "sessionToken"}: what each token call hands out.
        self.credentials = credentials or self.synthetic_credentials
        self.calls = []
        self.codes = {}            # code -> {"clientId", "redirectUri", "challenge"}
        self.refresh_tokens = {}   # refreshToken -> {"clientId", "jkt"}
        self.issued = []           # every credential set handed out, in order
        self.jtis = set()
        self.fail_next = []        # OAuth errors to answer the next token calls with
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, payload = fake.handle(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response_only(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = handle_any

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

    # ---- what tests use ----

    def env(self, **extra):
        return dict({"AWS_ENDPOINT_URL_SIGNIN": self.url, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}, **extra)

    def ops(self):
        return [c["op"] for c in self.calls]

    def token_calls(self):
        return [c for c in self.calls if c["op"] == "CreateOAuth2Token"]

    def synthetic_credentials(self):
        n = len(self.issued) + 1
        return {"accessKeyId": f"ASIALOGIN{n:011d}", "secretAccessKey": "login-secret-" + secrets.token_hex(12),
                "sessionToken": "login-session-token-" + secrets.token_hex(16)}

    def issue_refresh_token(self, client_id, jkt):
        token = "refresh-" + secrets.token_hex(24)
        self.refresh_tokens[token] = {"clientId": client_id, "jkt": jkt}
        return token

    def seed(self, jkt, client_id=SAME_DEVICE):
        """A refresh token bound to the key with thumbprint `jkt`, as after a login."""
        return self.issue_refresh_token(client_id, jkt)

    def id_token(self):
        header = b64url(json.dumps({"alg": "ES256", "typ": "JWT"}).encode())
        payload = b64url(json.dumps({"sub": self.session_arn, "iat": int(time.time())}).encode())
        return f"{header}.{payload}.{b64url(secrets.token_bytes(64))}"

    # ---- the service ----

    def handle(self, method, raw_path, headers, body):
        parsed = urllib.parse.urlsplit(raw_path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        routes = {("POST", "/v1/token"): "CreateOAuth2Token", ("GET", "/v1/authorize"): "Authorize",
                  ("GET", "/v1/sessions/confirmation"): "Confirmation"}
        op = routes.get((method, parsed.path), f"{method} {parsed.path}")
        call = {"op": op, "query": query, "headers": headers, "time": time.time(), "body": None}
        with self.lock:
            self.calls.append(call)
        try:
            if op == "Authorize":
                return self.authorize(query)
            if op == "Confirmation":
                code = base64.b64encode(f"state={query.get('state', '')}&code={query.get('code', '')}".encode()).decode()
                return 200, {"Content-Type": "text/html"}, f"<html><body><p>Your code:</p><pre id=code>{code}</pre></body></html>".encode()
            if op != "CreateOAuth2Token":
                return 404, {"Content-Type": "application/json"}, b'{"message": "no such operation"}'
            if "authorization" in headers:
                raise invalid("CreateOAuth2Token is not signed")
            if not headers.get("content-type", "").startswith("application/json"):
                raise invalid("expected application/json")
            call["body"] = json.loads(body or b"{}")
            with self.lock:
                jkt = verify_dpop(headers.get("dpop"), f"{self.url}/v1/token", self.jtis)
                call["jkt"] = jkt
                if self.fail_next:
                    raise denied(self.fail_next.pop(0), "scripted answer")
                result = self.create_token(call["body"], jkt)
            return 200, {"Content-Type": "application/json", "x-amzn-RequestId": secrets.token_hex(8)}, json.dumps(result).encode()
        except SignInError as e:
            call["error"] = e.error
            return e.status, {"Content-Type": "application/json", "x-amzn-ErrorType": e.exception,
                              "x-amzn-RequestId": secrets.token_hex(8)}, json.dumps({"error": e.error, "message": e.message}).encode()

    def authorize(self, q):
        expected = {"response_type": "code", "code_challenge_method": "SHA-256", "scope": "openid"}
        for k, v in expected.items():
            if q.get(k) != v:
                raise invalid(f"{k} must be {v}")
        for k in ("client_id", "state", "code_challenge", "redirect_uri"):
            if not q.get(k):
                raise invalid(f"{k} is required")
        code = "code-" + secrets.token_hex(16)
        self.codes[code] = {"clientId": q["client_id"], "redirectUri": q["redirect_uri"], "challenge": q["code_challenge"]}
        target = q["redirect_uri"] + ("&" if "?" in q["redirect_uri"] else "?") + urllib.parse.urlencode({"code": code, "state": q["state"]})
        return 302, {"Location": target}, b""

    def create_token(self, body, jkt):
        grant, client_id = body.get("grantType"), body.get("clientId")
        if client_id not in (SAME_DEVICE, CROSS_DEVICE):
            raise invalid("unknown clientId")
        if grant == "refresh_token":
            rt = self.refresh_tokens.pop(body.get("refreshToken") or "", None)
            if rt is None or rt["clientId"] != client_id:
                raise denied("TOKEN_EXPIRED", "the refresh token is not valid")
            if rt["jkt"] != jkt:
                raise invalid("the DPoP key is not the one the refresh token is bound to")
            id_token = None
        elif grant == "authorization_code":
            code = self.codes.pop(body.get("code") or "", None)
            if code is None:
                raise denied("AUTHCODE_EXPIRED", "the authorization code is not valid")
            if code["clientId"] != client_id or code["redirectUri"] != body.get("redirectUri"):
                raise invalid("clientId or redirectUri differ from the authorization request")
            verifier = body.get("codeVerifier") or ""
            if b64url(hashlib.sha256(verifier.encode()).digest()) != code["challenge"]:
                raise invalid("codeVerifier does not match code_challenge")
            id_token = self.id_token()
        else:
            raise invalid("grantType")
        creds = self.credentials()
        self.issued.append(creds)
        answer = {"accessToken": creds, "tokenType": "aws_sigv4", "expiresIn": self.lifetime,
                  "refreshToken": self.issue_refresh_token(client_id, jkt)}
        if id_token:
            answer["idToken"] = id_token
        return answer
