"""A loopback fake of IAM Identity Center: the SSO portal (botocore model `sso` 2019-06-10) and
SSO-OIDC (`sso-oidc` 2019-06-10), both REST-JSON and unsigned, on one port, so that credctl and
botocore can both be pointed at it with AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC.

Shapes are the models': paths, `x-amz-sso_bearer_token`, query names `role_name`, `account_id`,
`next_token`, `max_result`; error answers carry `x-amzn-ErrorType` (portal errors as `Code:uri`,
OIDC errors as the bare code, so that both forms are read) and a body with `message` (portal) or
the OAuth `error`/`error_description` (OIDC), with the models' status codes. What it checks: no request is signed; the bearer token is one it issued and still valid;
client id and secret belong together; refresh tokens are single-use (rotated on every refresh).
Device authorizations answer a script (by default `authorization_pending` three times) before
the token; `slow_down`, `expired_token` and `access_denied` can be scripted. The polling interval
it advertises is 0 (polled again at once, as the AWS CLI polls for 0), so no test waits for real;
the waits themselves (the interval, its default, `slow_down`'s 5 s, the device code's expiry) are
tested on the same answers with a clock that only moves on its own (`SSODevicePollingTests`). ListAccounts and
ListAccountRoles page `page_size` items at a time. Every call is recorded in `calls`.

The authorization-code grant with PKCE, as IAM Identity Center runs it for the AWS CLI v2:
`GET /authorize` (the browser page, not in the model) checks the client, that it was registered
for `authorization_code` with the loopback redirect URI `http://127.0.0.1/oauth/callback` (any
port may be added, RFC 8252 §7.3), `response_type=code`, `code_challenge_method=S256`, a
challenge, a state and scopes the client was registered with; then answers 302 to the redirect
URI with a single-use `code` and the `state` (or `error=access_denied` when
`authorize_outcome` says so). `CreateToken` with `authorization_code` checks the code, the client,
the redirect URI it was issued for and that base64url(SHA-256(codeVerifier)) is the challenge.
"""
import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTAL_URI = "http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"

OIDC_ERRORS = {  # code -> (status, OAuth error)
    "AuthorizationPendingException": (400, "authorization_pending"),
    "SlowDownException": (400, "slow_down"),
    "ExpiredTokenException": (400, "expired_token"),
    "AccessDeniedException": (400, "access_denied"),
    "InvalidGrantException": (400, "invalid_grant"),
    "InvalidClientException": (401, "invalid_client"),
    "InvalidRequestException": (400, "invalid_request"),
}
SCRIPT_CODES = {"authorization_pending": "AuthorizationPendingException", "slow_down": "SlowDownException",
                "expired_token": "ExpiredTokenException", "access_denied": "AccessDeniedException"}

DEFAULT_ACCOUNTS = [
    {"accountId": "111111111111", "accountName": "Production", "emailAddress": "prod@example.com", "roles": ["Admin", "ReadOnly"]},
    {"accountId": "222222222222", "accountName": "Staging Env", "emailAddress": "staging@example.com", "roles": ["Admin"]},
    {"accountId": "333333333333", "accountName": "Sandbox", "emailAddress": "sandbox@example.com",
     "roles": ["Admin", "Developer", "PowerUser", "ReadOnly", "Billing"]},
]


def pkce_challenge(verifier):
    """RFC 7636 S256: base64url(SHA-256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class Redirect:
    def __init__(self, location):
        self.location = location


class ServiceError(Exception):
    def __init__(self, status, code, message, oidc):
        self.status, self.code, self.message, self.oidc = status, code, message, oidc


def portal_error(status, code, message):
    return ServiceError(status, code, message, oidc=False)


def oidc_error(code, description):
    status, _ = OIDC_ERRORS[code]
    return ServiceError(status, code, description, oidc=True)


class FakeSSO:
    def __init__(self, accounts=None, page_size=2, role_credentials=None, token_lifetime=8 * 3600,
                 registration_lifetime=90 * 86400, interval=0, device_expires_in=600):
        self.accounts = accounts if accounts is not None else DEFAULT_ACCOUNTS
        self.page_size = page_size
        # (account_id, role_name) -> {"accessKeyId", "secretAccessKey", "sessionToken", "expiration" (ms)}
        self.role_credentials = role_credentials or self.static_role_credentials
        self.token_lifetime = token_lifetime
        self.registration_lifetime = registration_lifetime
        self.interval = interval
        self.device_expires_in = device_expires_in
        self.device_script = ["authorization_pending"] * 3
        self.issue_refresh_tokens = True
        self.calls = []
        self.clients = {}         # clientId -> {"secret", "expires", "name", "scopes"}
        self.devices = {}         # deviceCode -> {"clientId", "startUrl", "script", "expires"}
        self.tokens = {}          # accessToken -> {"expires", "startUrl", "clientId"}
        self.refresh_tokens = {}  # refreshToken -> {"clientId", "startUrl"}
        self.user_codes = []      # every userCode handed out, in order
        self.codes = {}           # authorization code -> {"clientId", "redirectUri", "challenge", "startUrl"}
        self.authorize_outcome = "approve"  # or "deny"
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

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

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
        return dict({"AWS_ENDPOINT_URL_SSO": self.url, "AWS_ENDPOINT_URL_SSO_OIDC": self.url}, **extra)

    def ops(self):
        return [c["op"] for c in self.calls]

    def register(self, name="seeded", scopes=None, lifetime=None):
        """A client registration, as if `sso login` had made it: (clientId, clientSecret, expiresAt)."""
        client_id, secret = "client-" + secrets.token_hex(6), "secret-" + secrets.token_hex(16)
        expires = int(time.time()) + (self.registration_lifetime if lifetime is None else lifetime)
        self.clients[client_id] = {"secret": secret, "expires": expires, "name": name, "scopes": scopes}
        return client_id, secret, expires

    def authorize_calls(self):
        return [c for c in self.calls if c["op"] == "Authorize"]

    def issue(self, start_url, client_id=None, lifetime=None, refresh=True):
        """A valid access token (and refresh token) for `start_url`: (accessToken, refreshToken or None)."""
        access = "access-" + secrets.token_hex(20)
        self.tokens[access] = {"expires": time.time() + (self.token_lifetime if lifetime is None else lifetime),
                               "startUrl": start_url, "clientId": client_id}
        refresh_token = None
        if refresh and client_id:
            refresh_token = "refresh-" + secrets.token_hex(20)
            self.refresh_tokens[refresh_token] = {"clientId": client_id, "startUrl": start_url}
        return access, refresh_token

    def valid_tokens(self):
        now = time.time()
        return {t for t, v in self.tokens.items() if v["expires"] > now}

    @staticmethod
    def static_role_credentials(account_id, role_name):
        return {"accessKeyId": f"ASIAFAKE{account_id[-4:]}ROLE", "secretAccessKey": "fake-role-secret-" + account_id,
                "sessionToken": "fake-role-session-token-" + role_name, "expiration": int((time.time() + 3600) * 1000)}

    # ---- the services ----

    def handle(self, method, raw_path, headers, body):
        parsed = urllib.parse.urlsplit(raw_path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        routes = {("POST", "/client/register"): ("RegisterClient", self.register_client),
                  ("POST", "/device_authorization"): ("StartDeviceAuthorization", self.start_device_authorization),
                  ("POST", "/token"): ("CreateToken", self.create_token),
                  ("GET", "/federation/credentials"): ("GetRoleCredentials", self.get_role_credentials),
                  ("GET", "/assignment/accounts"): ("ListAccounts", self.list_accounts),
                  ("GET", "/assignment/roles"): ("ListAccountRoles", self.list_account_roles),
                  ("GET", "/authorize"): ("Authorize", self.authorize),
                  ("POST", "/logout"): ("Logout", self.logout)}
        op, handler = routes.get((method, parsed.path), (None, None))
        call = {"op": op or f"{method} {parsed.path}", "query": query, "raw_query": parsed.query, "headers": headers,
                "time": time.time(), "body": None}
        with self.lock:
            self.calls.append(call)
        if handler is None:
            return 404, {"Content-Type": "application/json"}, b'{"message": "no such operation"}'
        try:
            if "authorization" in headers:
                raise portal_error(400, "InvalidRequestException", "IAM Identity Center calls are not signed")
            if method == "POST" and op != "Logout":
                if not headers.get("content-type", "").startswith("application/json"):
                    raise oidc_error("InvalidRequestException", "expected application/json")
                try:
                    call["body"] = json.loads(body or b"{}")
                except ValueError:
                    raise oidc_error("InvalidRequestException", "the body is not JSON")
            with self.lock:
                result = handler(call["body"] or {}, query, headers)
            if isinstance(result, Redirect):
                return 302, {"Location": result.location, "Content-Type": "text/html"}, b""
            payload = b"" if result is None else json.dumps(result).encode()
            return 200, {"Content-Type": "application/json", "x-amzn-RequestId": secrets.token_hex(8)}, payload
        except ServiceError as e:
            call["error"] = e.code
            if e.oidc:
                body = {"error": OIDC_ERRORS[e.code][1], "error_description": e.message}
            else:
                body = {"message": e.message}
            return e.status, {"Content-Type": "application/json", "x-amzn-ErrorType": e.code if e.oidc else f"{e.code}:{PORTAL_URI}",
                              "x-amzn-RequestId": secrets.token_hex(8)}, json.dumps(body).encode()

    @staticmethod
    def require(body, *names):
        for n in names:
            if not isinstance(body.get(n), str) or not body[n]:
                raise oidc_error("InvalidRequestException", f"{n} is required")

    def client(self, body):
        self.require(body, "clientId", "clientSecret")
        c = self.clients.get(body["clientId"])
        if c is None or c["secret"] != body["clientSecret"] or c["expires"] <= time.time():
            raise oidc_error("InvalidClientException", "invalid client")
        return c

    def register_client(self, body, query, headers):
        self.require(body, "clientName", "clientType")
        if body["clientType"] != "public":
            raise oidc_error("InvalidRequestException", "clientType must be public")
        client_id, secret, expires = self.register(body["clientName"], body.get("scopes"))
        for name in ("grantTypes", "redirectUris", "issuerUrl"):
            if name in body:
                self.clients[client_id][name] = body[name]
        return {"clientId": client_id, "clientSecret": secret, "clientIdIssuedAt": int(time.time()), "clientSecretExpiresAt": expires}

    def start_device_authorization(self, body, query, headers):
        self.client(body)
        self.require(body, "startUrl")
        device, user = "device-" + secrets.token_hex(16), secrets.token_hex(2).upper() + "-" + secrets.token_hex(2).upper()
        self.user_codes.append(user)
        self.devices[device] = {"clientId": body["clientId"], "startUrl": body["startUrl"], "script": list(self.device_script),
                                "expires": time.time() + self.device_expires_in}
        return {"deviceCode": device, "userCode": user, "verificationUri": f"{self.url}/device",
                "verificationUriComplete": f"{self.url}/device?user_code={user}", "expiresIn": self.device_expires_in,
                "interval": self.interval}

    def create_token(self, body, query, headers):
        self.client(body)
        self.require(body, "grantType")
        grant = body["grantType"]
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            self.require(body, "deviceCode")
            device = self.devices.get(body["deviceCode"])
            if device is None or device["clientId"] != body["clientId"]:
                raise oidc_error("InvalidGrantException", "unknown device code")
            if device["expires"] <= time.time():
                raise oidc_error("ExpiredTokenException", "the device code has expired")
            if device["script"]:
                raise oidc_error(SCRIPT_CODES[device["script"].pop(0)], "scripted answer")
            del self.devices[body["deviceCode"]]
            start_url = device["startUrl"]
        elif grant == "authorization_code":
            self.require(body, "code", "redirectUri", "codeVerifier")
            issued = self.codes.pop(body["code"], None)
            if issued is None or issued["clientId"] != body["clientId"]:
                raise oidc_error("InvalidGrantException", "Invalid authorization code provided")
            if body["redirectUri"] != issued["redirectUri"]:
                raise oidc_error("InvalidGrantException", "redirectUri does not match the authorization request")
            if pkce_challenge(body["codeVerifier"]) != issued["challenge"]:
                raise oidc_error("InvalidGrantException", "codeVerifier does not match the code challenge")
            start_url = issued["startUrl"]
        elif grant == "refresh_token":
            self.require(body, "refreshToken")
            rt = self.refresh_tokens.pop(body["refreshToken"], None)
            if rt is None or rt["clientId"] != body["clientId"]:
                raise oidc_error("InvalidGrantException", "Invalid refresh token provided")
            start_url = rt["startUrl"]
        else:
            raise oidc_error("InvalidRequestException", f"unsupported grant type {grant}")
        access, refresh = self.issue(start_url, body["clientId"], refresh=self.issue_refresh_tokens)
        answer = {"accessToken": access, "tokenType": "Bearer", "expiresIn": self.token_lifetime}
        if refresh:
            answer["refreshToken"] = refresh
        return answer

    def authorize(self, body, query, headers):
        """The browser's sign-in page: checks the request, then redirects to the loopback URI."""
        c = self.clients.get(query.get("client_id", ""))
        if c is None or c["expires"] <= time.time():
            raise oidc_error("InvalidClientException", "unknown client")
        if "authorization_code" not in c.get("grantTypes", []):
            raise oidc_error("InvalidRequestException", "the client is not registered for authorization_code")
        redirect = urllib.parse.urlsplit(query.get("redirect_uri", ""))
        if redirect.scheme != "http" or redirect.hostname != "127.0.0.1" or not redirect.port \
                or f"http://127.0.0.1{redirect.path}" not in c.get("redirectUris", []):
            raise oidc_error("InvalidRequestException", "redirect_uri is not one the client registered")
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            raise oidc_error("InvalidRequestException", "response_type must be code and code_challenge_method S256")
        if not query.get("code_challenge") or not query.get("state"):
            raise oidc_error("InvalidRequestException", "code_challenge and state are required")
        scopes = query.get("scopes", "").split(" ")
        if not scopes or not set(scopes) <= set(c.get("scopes") or []):
            raise oidc_error("InvalidRequestException", "scopes the client did not register")
        state = urllib.parse.quote(query["state"], safe="")
        if self.authorize_outcome == "deny":
            return Redirect(f"{query['redirect_uri']}?error=access_denied&error_description=User+denied&state={state}")
        code = "code-" + secrets.token_hex(16)
        self.codes[code] = {"clientId": query["client_id"], "redirectUri": query["redirect_uri"],
                            "challenge": query["code_challenge"], "startUrl": c.get("issuerUrl")}
        return Redirect(f"{query['redirect_uri']}?code={code}&state={state}")

    def bearer(self, headers):
        token = headers.get("x-amz-sso_bearer_token")
        t = self.tokens.get(token or "")
        if t is None or t["expires"] <= time.time():
            raise portal_error(401, "UnauthorizedException", "Session token not found or invalid")
        return t

    def account(self, account_id):
        return next((a for a in self.accounts if a["accountId"] == account_id), None)

    def get_role_credentials(self, body, query, headers):
        self.bearer(headers)
        if not query.get("role_name") or not query.get("account_id"):
            raise portal_error(400, "InvalidRequestException", "role_name and account_id are required")
        account = self.account(query["account_id"])
        if account is None or query["role_name"] not in account["roles"]:
            raise portal_error(403, "ForbiddenException", "No access")
        return {"roleCredentials": self.role_credentials(query["account_id"], query["role_name"])}

    def page(self, items, query):
        size = int(query.get("max_result") or self.page_size)
        start = int(query.get("next_token", "page-0").split("-")[1])
        answer = items[start:start + size]
        nxt = f"page-{start + size}" if start + size < len(items) else None
        return answer, nxt

    def list_accounts(self, body, query, headers):
        self.bearer(headers)
        items, nxt = self.page([{k: a[k] for k in ("accountId", "accountName", "emailAddress")} for a in self.accounts], query)
        return {"accountList": items, **({"nextToken": nxt} if nxt else {})}

    def list_account_roles(self, body, query, headers):
        self.bearer(headers)
        account = self.account(query.get("account_id", ""))
        if account is None:
            raise portal_error(404, "ResourceNotFoundException", "no such account")
        items, nxt = self.page([{"roleName": r, "accountId": account["accountId"]} for r in account["roles"]], query)
        return {"roleList": items, **({"nextToken": nxt} if nxt else {})}

    def logout(self, body, query, headers):
        token = headers.get("x-amz-sso_bearer_token")
        if token not in self.tokens:
            raise portal_error(401, "UnauthorizedException", "Session token not found or invalid")
        del self.tokens[token]
        return None
