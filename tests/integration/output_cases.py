"""How test_output_contract.py runs each command of credctl: the minimal valid arguments and
what each needs made first in the world of output_world.py, and the kind of output each gives."""
import subprocess
import uuid
from pathlib import Path

from conftest import BINARY
from output_world import PARAMS, SECRET, TABLE


class Call:
    def __init__(self, args, env, stdin=None):
        self.args, self.env, self.stdin = list(args), env, stdin


def run(home, call, *extra, timeout=60):
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"}
    env.update(call.env)
    proc = subprocess.run([str(BINARY), *extra, *call.args], env=env, input=call.stdin, capture_output=True, text=True, timeout=timeout)
    return proc



# ---- the cases: how to run each command (a prepare function makes what it needs) ----

# How a command answers --output: a report in every format; bytes of its own with --output json
# giving JSON (other explicit formats refused); or no format at all (every --output refused).
REPORT, JSON_ONLY, NO_FORMAT = "report", "json-only", "no-format"


class Case:
    def __init__(self, command, prepare, kind=REPORT, codes=(0,), variant=""):
        self.command, self.prepare, self.kind, self.codes, self.variant = command, prepare, kind, set(codes), variant

    @property
    def id(self):
        return self.command.replace(" ", "-") + (f"[{self.variant}]" if self.variant else "")


_federation = []


def federation_url():
    """A loopback fake of the console federation endpoint, started once for the walk."""
    if not _federation:
        from test_console import FakeFederation
        fake = FakeFederation()
        fake.__enter__()
        _federation.append(fake)
    return _federation[0].url


_signin = []


def signin_fake():
    """A loopback fake of the sign-in service, started once for the walk."""
    if not _signin:
        from fake_signin import FakeSignIn
        fake = FakeSignIn()
        fake.__enter__()
        _signin.append(fake)
    return _signin[0]


def login_call(w, home, *args):
    """`credctl login` through the fake browser (`xdg-open` on PATH), or another login command on a seeded session."""
    import fake_browser
    from login_support import LOGIN_CONFIG, seed_session
    fake = signin_fake()
    config_home(home, LOGIN_CONFIG if args != ("login", "--profile", "dev") else "[profile dev]\nregion = us-east-1\n")
    if args[0] == "logout":
        seed_session(home, fake)
    bin_dir, log = fake_browser.install(Path(home))
    return Call(args, dict(fake.env(), PATH=f"{bin_dir}:/usr/bin:/bin", DISPLAY=":0", FAKE_BROWSER_LOG=str(log)))


def admin(w, home, *args, stdin=None, **env):
    return Call(args, w.env(**env), stdin)


def config_home(home, text):
    aws = Path(home) / ".aws"
    aws.mkdir(exist_ok=True)
    (aws / "config").write_text(text)


PROFILES_CONFIG = """[default]
region = eu-west-1
output = json
[profile ci]
role_arn = arn:aws:iam::123456789012:role/ci
source_profile = default
s3 =
  max_concurrent_requests = 4
[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
"""


def rotate_call(w, home, *extra):
    user, key_id, secret = w.user_with_key()
    w.credentials_file(home, "ci", key_id, secret)
    return Call(["rotate", "--yes", *extra], {"AWS_PROFILE": "ci", "AWS_ENDPOINT_URL": w.url, "AWS_REGION": "us-east-1",
                                               "CREDCTL_STATE_DIR": str(Path(home) / "state")})


def vault_with(w, home, profile="p"):
    """A vault holding `profile` (a new user's key)."""
    _, key_id, secret = w.user_with_key()
    env = w.vault_env(home)
    r = run(home, Call(["vault", "add", profile], env, stdin=f"{key_id}\n{secret}\n"))
    assert r.returncode == 0, r.stderr
    config_home(home, f"[profile {profile}]\nregion = us-east-1\n")
    return env


def import_file(home):
    f = Path(home) / "app.env"
    f.write_text("USER=app\nPASSWORD='p w'\n")
    return str(f)


CASES = [
    Case("whoami", lambda w, h: admin(w, h, "whoami")),
    Case("profiles", lambda w, h: (config_home(h, PROFILES_CONFIG), Call(["profiles"], {}))[1]),
    Case("profiles", lambda w, h: (config_home(h, PROFILES_CONFIG), Call(["profiles", "--settings"], {}))[1], variant="settings"),
    Case("creds show", lambda w, h: admin(w, h, "creds", "show")),
    Case("creds show", lambda w, h: Call(["creds", "show", "--profile", "dev"], w.sso_home(h)), variant="sso"),
    Case("creds export", lambda w, h: admin(w, h, "creds", "export"), kind=JSON_ONLY),
    Case("creds exec", lambda w, h: admin(w, h, "creds", "exec", "--", "true"), kind=NO_FORMAT),
    Case("console", lambda w, h: admin(w, h, "console", "--print", CREDCTL_FEDERATION_ENDPOINT=federation_url()), kind=NO_FORMAT),
    Case("login", lambda w, h: login_call(w, h, "login", "--profile", "dev")),
    Case("logout", lambda w, h: login_call(w, h, "logout", "--profile", "dev")),
    Case("sso login", lambda w, h: Call(["sso", "login", "--no-browser", "--profile", "dev"], w.sso_home(h, login=True))),
    Case("sso logout", lambda w, h: Call(["sso", "logout"], w.sso_home(h))),
    Case("sso accounts", lambda w, h: Call(["sso", "accounts", "--profile", "dev"], w.sso_home(h))),
    Case("sso sync", lambda w, h: Call(["sso", "sync", "--profile", "dev"], w.sso_home(h))),
    Case("assume", lambda w, h: admin(w, h, "assume", w.role_arn), kind=JSON_ONLY),
    Case("rotate", rotate_call),
    Case("rotate", lambda w, h: rotate_call(w, h, "--dry-run"), variant="dry-run"),
    Case("keys list", lambda w, h: admin(w, h, "keys", "list")),
    Case("keys audit", lambda w, h: admin(w, h, "keys", "audit"), codes=(0, 1)),
    Case("keys audit", lambda w, h: admin(w, h, "keys", "audit", "--all-users", "--max-age", "30d", "--unused", "7d"), codes=(1,),
         variant="all-users"),
    Case("keys audit", lambda w, h: admin(w, h, "keys", "audit", "--org", "--max-age", "30d", "--unused", "7d"), codes=(1,),
         variant="org"),
    Case("keys validate", lambda w, h: admin(w, h, "keys", "validate", "--require", "long-term", "--max-age", "90d")),
    Case("keys inspect", lambda w, h: Call(["keys", "inspect", "ASIAY34FZKBOKMUTVV7A"], {})),
    Case("setup user", lambda w, h: admin(w, h, "setup", "user", "c-" + uuid.uuid4().hex[:10], "--template", "rotate-own-key")),
    Case("policy show", lambda w, h: Call(["policy", "show", "dynamodb-read", "--table", TABLE], {})),
    Case("policy list", lambda w, h: Call(["policy", "list"], {})),
    Case("dynamodb check", lambda w, h: admin(w, h, "dynamodb", "check", "--table", TABLE)),
    Case("dynamodb tables", lambda w, h: admin(w, h, "dynamodb", "tables")),
    Case("dynamodb describe", lambda w, h: admin(w, h, "dynamodb", "describe", TABLE)),
    Case("dynamodb scan", lambda w, h: admin(w, h, "dynamodb", "scan", TABLE)),
    Case("dynamodb sql", lambda w, h: admin(w, h, "dynamodb", "sql", f'SELECT * FROM "{TABLE}"')),
    Case("check ssm", lambda w, h: admin(w, h, "check", "ssm", "--path", PARAMS)),
    Case("check secrets", lambda w, h: admin(w, h, "check", "secrets", "--id", SECRET)),
    Case("check iam-self", lambda w, h: admin(w, h, "check", "iam-self"), codes=(0, 1)),
    Case("doctor", lambda w, h: admin(w, h, "doctor"), codes=(0, 1)),
    Case("params get", lambda w, h: admin(w, h, "params", "get", f"{PARAMS}/DB/PASSWORD"), kind=JSON_ONLY),
    Case("params get-path", lambda w, h: admin(w, h, "params", "get-path", PARAMS, "--recursive")),
    Case("params put", lambda w, h: admin(w, h, "params", "put", f"/contract/tmp/{uuid.uuid4().hex[:10]}", stdin="v\n")),
    Case("params delete", lambda w, h: admin(w, h, "params", "delete", w.parameter())),
    Case("params list", lambda w, h: admin(w, h, "params", "list", PARAMS, "--recursive")),
    Case("params history", lambda w, h: admin(w, h, "params", "history", f"{PARAMS}/DB/PASSWORD", "--values")),
    Case("params export", lambda w, h: admin(w, h, "params", "export", PARAMS, "--recursive"), kind=JSON_ONLY),
    Case("params exec", lambda w, h: admin(w, h, "params", "exec", PARAMS, "--recursive", "--", "true"), kind=NO_FORMAT),
    Case("params import", lambda w, h: admin(w, h, "params", "import", f"/contract/imp/{uuid.uuid4().hex[:10]}", import_file(h))),
    Case("params copy", lambda w, h: admin(w, h, "params", "copy", PARAMS, f"/contract/copy/{uuid.uuid4().hex[:10]}", "--dry-run")),
    Case("secrets get", lambda w, h: admin(w, h, "secrets", "get", SECRET), kind=JSON_ONLY),
    Case("secrets create", lambda w, h: admin(w, h, "secrets", "create", f"contract/new/{uuid.uuid4().hex[:10]}", stdin="x\n")),
    Case("secrets put", lambda w, h: admin(w, h, "secrets", "put", w.secret(), stdin="y\n")),
    Case("secrets describe", lambda w, h: admin(w, h, "secrets", "describe", SECRET)),
    Case("secrets list", lambda w, h: admin(w, h, "secrets", "list", "--name-prefix", "contract/db")),
    Case("secrets delete", lambda w, h: admin(w, h, "secrets", "delete", w.secret())),
    Case("secrets tag", lambda w, h: admin(w, h, "secrets", "tag", SECRET, "team=data")),
    Case("vault add", lambda w, h: (lambda k: Call(["vault", "add", "p"], w.vault_env(h), stdin=f"{k[1]}\n{k[2]}\n"))(w.user_with_key())),
    Case("vault list", lambda w, h: Call(["vault", "list"], vault_with(w, h))),
    Case("vault remove", lambda w, h: Call(["vault", "remove", "p"], vault_with(w, h))),
    Case("vault import", lambda w, h: (w.credentials_file(h, "p", *w.user_with_key()[1:]), Call(["vault", "import", "--profile", "p"], w.vault_env(h)))[1]),
    Case("vault export", lambda w, h: Call(["vault", "export", "--profile", "p"], vault_with(w, h))),
    Case("vault credential-process", lambda w, h: Call(["vault", "credential-process", "--profile", "p"], vault_with(w, h)), kind=JSON_ONLY),
    Case("request", lambda w, h: admin(w, h, "request", f"{w.url}/?Action=GetCallerIdentity&Version=2011-06-15", "--service", "sts"),
         kind=NO_FORMAT),
]

# Variants not in the main list: what they add to the walk (a role chain, SSO provenance, a failed
# check, probes, a partial failure whose report is printed before the error).
ROLE_CONFIG = "[profile r]\nrole_arn = {arn}\nsource_profile = base\nregion = us-east-1\n"


def role_call(w, h):
    w.credentials_file(h, "base", w.org.admin_key_id, w.org.admin_secret)
    config_home(h, ROLE_CONFIG.format(arn=w.role_arn))
    return Call(["whoami", "--profile", "r"], {"AWS_ENDPOINT_URL": w.url})


CASES += [
    Case("whoami", role_call, variant="role"),
    Case("keys validate", lambda w, h: admin(w, h, "keys", "validate", "--key-id", w.old_key_id(), "--max-age", "30d"), codes=(1,),
         variant="fail"),
    Case("doctor", lambda w, h: admin(w, h, "doctor", "--check", f"ssm:{PARAMS}", "--check", "iam-self"), codes=(0, 1), variant="probes"),
    Case("params delete", lambda w, h: admin(w, h, "params", "delete", w.parameter(), "/contract/never/made"), codes=(4,),
         variant="partly-missing"),
]

# Which section of docs/output.md documents a case's JSON (by default, its command's).
DOC_SECTION = {"keys-audit[org]": "keys audit --org", "rotate[dry-run]": "rotate --dry-run"}


def doc_section(case):
    return DOC_SECTION.get(case.id, case.command)
