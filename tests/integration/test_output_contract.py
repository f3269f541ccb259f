"""The output contract (docs/output.md), checked on every command.

Walks every leaf command of `credctl --experimental-dump-help` in a small AWS world
(output_world.py: moto with an organisation, a fake IAM Identity Center) with the minimal valid
arguments, in each output format:

- `--output json`: valid JSON whose every member is the one docs/output.md documents for that
  command, of the documented type (dates ISO 8601 UTC strings, never epoch numbers; numbers as
  numbers); or, for a command that cannot give JSON, exit 2 with one `credctl: error:` line
  saying the format does not apply and nothing on stdout;
- `--output csv`: parsed by Python's csv module, every row as wide as the header; for a report
  whose JSON is one table, the header is that table's JSON member names;
- `--output text` and `table`: the same exit code as JSON, no control character left unescaped;
- a guard fails when a command appears that the walk does not know how to run.

And the shape of usage errors: exactly one `credctl: error:` line, at most one `hint:` line,
exit 2, nothing on stdout.
"""
import csv
import io
import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import BINARY, ROOT
from output_world import PARAMS, SECRET, TABLE, World

DOC = ROOT / "docs" / "output.md"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("output-world"))
    yield w
    w.stop()


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


def leaf_commands():
    dump = json.loads(subprocess.run([str(BINARY), "--experimental-dump-help"], capture_output=True, text=True, check=True).stdout)
    found = []

    def walk(command, path):
        subs = command.get("subcommands") or []
        here = path + [command["commandName"]]
        if not subs:
            found.append(" ".join(here[1:]))
        for s in subs:
            walk(s, here)
    walk(dump["command"], [])
    return found


def test_every_command_is_walked():
    """A new command fails here until the walk knows how to run it (add a Case) and
    docs/output.md documents its output."""
    known = {c.command for c in CASES} | {"help"}
    leaves = set(leaf_commands())
    assert leaves - known == set(), f"commands the output walk does not know how to run: {sorted(leaves - known)}"
    assert known - leaves == set(), f"cases for commands that no longer exist: {sorted(known - leaves)}"
    documented = set(doc_contracts()) | set(doc_without_json())
    missing = {doc_section(c) for c in CASES} - documented
    assert missing == set(), f"commands docs/output.md does not document: {sorted(missing)}"


# ---- docs/output.md, read as the contract ----

HEADING = re.compile(r"^### `credctl ([^`]+)`")
TYPES = {"string", "number", "boolean", "date", "object", "string[]", "object[]", "document", "array"}


def doc_contracts():
    """{section: [(path segments, {types}, nullable, optional member)]} from the member tables."""
    contracts, section, rows = {}, None, None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
            rows = None
            continue
        if section is None:
            continue
        if line.startswith("| member |"):
            rows = contracts.setdefault(section, [])
            continue
        if rows is not None and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            path = cells[0].strip("`")
            optional = path.endswith("?")
            path = path.rstrip("?")
            types = cells[1].replace("`", "")
            nullable = types.endswith("?")
            alternatives = {t.strip() for t in types.rstrip("?").split(" or ")}
            assert alternatives <= TYPES, f"docs/output.md, {section}: unknown type {types!r}"
            rows.append((segments(path), alternatives, nullable, optional))
        elif rows is not None and line and not line.startswith("|"):
            rows = None
    return contracts


def doc_without_json():
    """Sections that say the command prints no JSON (`**No JSON.**`)."""
    out, section = set(), None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
        elif section and line.startswith("**No JSON"):
            out.add(section)
    return out


def segments(path):
    """`Profiles[].Settings.*.Value` -> ('Profiles', '[]', 'Settings', '*', 'Value'); `(root)` -> ()."""
    if path == "(root)":
        return ()
    out = []
    for part in path.split("."):
        while part.endswith("[]"):
            part = part[:-2]
            if part:
                out.append(part)
            out.append("[]")
            part = ""
        if part:
            out.append(part)
    return tuple(out)


ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}(T|\s|$)")


def observed(value, path=()):
    """Every (path, type) in a JSON value; documents are not entered (their rows say `document`)."""
    if value is None:
        yield path, "null", value
    elif isinstance(value, bool):
        yield path, "boolean", value
    elif isinstance(value, (int, float)):
        yield path, "number", value
    elif isinstance(value, str):
        yield path, "date" if ISO_UTC.match(value) else "string", value
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield path, "string[]", value
        elif value and all(isinstance(v, dict) for v in value):
            yield path, "object[]", value
            for v in value:
                yield from observed(v, path + ("[]",))
        else:
            yield path, "array", value
    else:
        yield path, "object", value
        for k, v in value.items():
            yield from observed(v, path + (k,))


def matches(pattern, path):
    return len(pattern) == len(path) and all(p == q or (p == "*" and q != "[]") for p, q in zip(pattern, path))


def inside_document(rows, path):
    return any("document" in types and len(path) > len(p) and matches(p, path[:len(p)]) for p, types, _, _ in rows)


def check_against_doc(section, doc):
    """Every member is documented, with its type; every member always present is there."""
    rows = doc_contracts()[section]
    problems, seen = [], set()
    for path, kind, value in observed(doc):
        if inside_document(rows, path):
            continue  # the user's data (a policy, DynamoDB items)
        name = ".".join(path) or "(root)"
        row = next((r for r in rows if matches(r[0], path)), None)
        if row is None and kind == "object" and (path == () or path[-1] == "[]"):
            continue  # a record, or an item of an object[]: its members are the rows
        if row is None:
            problems.append(f"{name}: not documented ({kind} {value!r:.60})")
            continue
        seen.add(row[0])
        _, types, nullable, _ = row
        empty_list = kind == "array" and value == [] and bool(types & {"string[]", "object[]", "array"})
        if not ((kind == "null" and nullable) or kind in types or "document" in types or empty_list):
            problems.append(f"{name}: {kind} {value!r:.60}, documented as {' or '.join(sorted(types))}{'?' if nullable else ''}")
    nullable_paths = {p for p, _, nullable, _ in rows if nullable}
    for path, _, _, optional in rows:
        under_nullable = any(path[:i] in nullable_paths for i in range(len(path)))
        if not optional and not under_nullable and "[]" not in path and "*" not in path and path not in seen:
            problems.append(f"{'.'.join(path) or '(root)'}: documented but missing")
    return problems


def dates_are_iso(value, rows=()):
    """No epoch number where a date could be, and every date-like string ISO 8601 UTC (the
    user's own documents aside: a policy's `"Version": "2012-10-17"` is theirs)."""
    problems = []
    for path, kind, v in observed(value):
        if inside_document(rows, path) or any("document" in r[1] and matches(r[0], path) for r in rows):
            continue
        name = ".".join(path) or "(root)"
        if kind == "number" and not isinstance(v, bool) and 10**9 <= abs(v) < 10**14:
            problems.append(f"{name}: {v} looks like an epoch time")
        if kind == "string" and DATE_LIKE.match(v):
            problems.append(f"{name}: {v!r} is a date but not ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ)")
    return problems


# ---- the walk ----

CASE_IDS = [c.id for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS), "two cases with one id"


def run_case(world, tmp_path, case, output):
    home = tmp_path / "home"
    home.mkdir()
    return run(home, case.prepare(world, home), "--output", output)


def one_error_line(stderr):
    """The error report's lines: exactly one `credctl: error:` line, at most one `hint:` after it."""
    lines = stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("credctl: error: ")]
    assert len(errors) == 1, stderr
    tail = lines[errors[0] + 1:]
    assert len(tail) <= 1 and all(t.startswith("hint: ") for t in tail), stderr
    return lines[errors[0]]


def refused(r, output):
    assert r.returncode == 2, r
    assert r.stdout == "", r
    assert r.stderr.startswith(f"credctl: error: --output {output} does not apply here: "), r.stderr
    one_error_line(r.stderr)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_json(world, tmp_path, case):
    r = run_case(world, tmp_path, case, "json")
    if case.kind == NO_FORMAT:
        refused(r, "json")
        return
    assert r.returncode in case.codes, r
    if r.returncode != 0 and r.returncode != 1:
        one_error_line(r.stderr)
    doc = json.loads(r.stdout)
    problems = dates_are_iso(doc, doc_contracts()[doc_section(case)]) + check_against_doc(doc_section(case), doc)
    assert problems == [], f"{case.id}: the JSON differs from docs/output.md:\n" + "\n".join(problems) + "\n" + r.stdout[:3000]


def doc_csv_headers():
    """{section: [[header], …] or None}: each section's `**CSV:**` line (the headers it may have
    in backticks, or only words for a header that depends on the data)."""
    out, section = {}, None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
        elif section and line.startswith("**CSV:**"):
            headers = [h.split(",") for h in re.findall(r"`([^`]+)`", line)]
            out[section] = headers or None
    return out


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_csv(world, tmp_path, case):
    r = run_case(world, tmp_path, case, "csv")
    if case.kind != REPORT:
        refused(r, "csv")
        return
    assert r.returncode in case.codes, r
    rows = list(csv.reader(io.StringIO(r.stdout, newline="")))
    assert rows, r
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body), r.stdout
    for row in body:
        for cell in row:
            assert not DATE_LIKE.match(cell) or ISO_UTC.match(cell), (cell, r.stdout)
    headers = doc_csv_headers()
    assert doc_section(case) in headers, f"docs/output.md gives no **CSV:** line for {doc_section(case)}"
    if headers[doc_section(case)] is not None:
        assert header in headers[doc_section(case)], r.stdout
    # A sheet of the JSON's one table is named as its members; Field,Value rows name the record's.
    (tmp_path / "json").mkdir()
    doc = json.loads(run_case(world, tmp_path / "json", case, "json").stdout)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        assert header == list(doc[0]), (header, doc[0])
    if header == ["Field", "Value"]:
        fields = [row[0] for row in body]
        assert fields and [k for k in doc if k in fields] == fields, (fields, list(doc))


@pytest.mark.parametrize("output", ["text", "table"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_text_and_table(world, tmp_path, case, output):
    r = run_case(world, tmp_path, case, output)
    if case.kind != REPORT:
        refused(r, output)
        return
    assert r.returncode in case.codes, r
    assert r.stdout.strip() != "", r
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.stdout), r.stdout
    if output == "text":
        assert "\t" in r.stdout or len(r.stdout.splitlines()) >= 1


# ---- usage errors: one line, at most one hint, exit 2, nothing on stdout ----

USAGE_ERRORS = [
    (["whoami", "--bogus"], "credctl: error: Unknown option '--bogus'"),
    (["params", "get", "/a", "--bogus", "x"], "credctl: error: Unknown option '--bogus'"),
    (["rotate", "-z"], "credctl: error: Unknown option '-z'"),
    (["params", "get"], "credctl: error: Missing expected argument '<name>'"),
    (["setup", "user", "bob"], "credctl: error: Missing expected argument '--template <template>'"),
    (["params", "copy", "/a"], "credctl: error: Missing expected argument '<destination>'"),
    (["whoami", "--profile"], "credctl: error: Missing value for '--profile <profile>'"),
    (["dynamodb", "scan", "t", "--limit", "x"], "credctl: error: The value 'x' is invalid for '--limit <limit>'"),
    (["--output", "yaml", "whoami"],
     "credctl: error: The value 'yaml' is invalid for '--output <output>'. Please provide one of 'json', 'text', 'table' or 'csv'."),
    (["creds", "export", "--format", "xml"],
     "credctl: error: The value 'xml' is invalid for '--format <format>'. Please provide one of the following: "
     "process, env, dotenv, json, fish, powershell, env-no-export, windows-cmd"),
    (["rotate", "--keep-old", "active"], "credctl: error: The value 'active' is invalid for '--keep-old <keep-old>'"),
    (["keys", "audit", "--max-age", "ninety"], None),
    (["dynamodb", "scan", "t", "--limit", "0"], "credctl: error: --limit must be 1 to 1000"),
    (["keys", "frobnicate"], "credctl: error: Unexpected argument 'frobnicate'"),
    (["frobnicate"], "credctl: error: Unexpected argument 'frobnicate'"),
    (["params", "frobnicate", "/a"], "credctl: error: 2 unexpected arguments: 'frobnicate', '/a'"),
    (["secrets", "delete", "x", "--recovery-window-days", "7", "--force-without-recovery"],
     "credctl: error: give --recovery-window-days or --force-without-recovery, not both"),
    (["keys", "audit", "--user", "a", "--all-users"], "credctl: error: give --user or --all-users, not both"),
    (["creds", "exec"], "credctl: error: give the command to run after --, as in: credctl creds exec -- aws s3 ls"),
    (["keys", "inspect", "nope"], None),
    (["help", "--output", "json"], "credctl: error: Unknown option '--output'"),
    (["--output", "table", "creds", "export"],
     "credctl: error: --output table does not apply here: the credentials are printed in the --format chosen (env, json, process, …)"),
    (["--output", "csv", "params", "get", "/a"],
     "credctl: error: --output csv does not apply here: params get prints the bare value; --output json gives the whole record"),
    (["--output", "text", "request", "http://127.0.0.1:9/"],
     "credctl: error: --output text does not apply here: request prints the answer as it came (-i adds the status and headers)"),
]


@pytest.mark.parametrize("args,message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_error_shape(tmp_path, args, message):
    proc = subprocess.run([str(BINARY), *args], env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"},
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2, proc
    assert proc.stdout == "", proc
    line = one_error_line(proc.stderr)
    assert proc.stderr.splitlines()[0] == line, proc.stderr
    if message is not None:
        assert line == message, proc.stderr


def test_an_output_format_from_the_environment_that_credctl_cannot_give(tmp_path):
    proc = subprocess.run([str(BINARY), "keys", "inspect", "AKIAIOSFODNN7EXAMPLE"],
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "AWS_DEFAULT_OUTPUT": "yaml"},
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stdout == "", proc
    assert proc.stderr == ("credctl: error: AWS_DEFAULT_OUTPUT is 'yaml'; credctl prints json, text, table or csv: "
                           "pass --output or change it\n")


# ---- a default of json (AWS_DEFAULT_OUTPUT, the profile's output) is not an explicit --output ----

BARE = [
    (["params", "get", f"{PARAMS}/DB/USER"], "app\n"),
    (["secrets", "get", SECRET, "--json-key", "username"], "app\n"),
    (["params", "export", PARAMS, "--recursive"], 'DB_PASSWORD="s3cret v2"\nDB_USER="app"\n'),
]


@pytest.mark.parametrize("default", ["environment", "profile"])
@pytest.mark.parametrize("args,value", BARE, ids=[" ".join(a[:2]) for a, _ in BARE])
def test_a_default_of_json_leaves_values_bare(world, tmp_path, default, args, value):
    """`aws configure` writes `output = json` into the default profile: `$(credctl params get X)`
    must still be the value. Only an explicit --output json gives the record."""
    extra = {"AWS_DEFAULT_OUTPUT": "json"} if default == "environment" else {}
    if default == "profile":
        config_home(tmp_path, "[default]\noutput = json\n")
    r = run(tmp_path, Call(args, world.env(**extra)))
    assert r.returncode == 0 and r.stderr == "", r
    assert r.stdout == value
    explicit = run(tmp_path, Call(args, world.env(**extra)), "--output", "json")
    assert explicit.returncode == 0 and isinstance(json.loads(explicit.stdout), dict)


def test_a_default_of_json_is_json_for_reports(world, tmp_path):
    config_home(tmp_path, "[default]\noutput = json\n")
    r = run(tmp_path, Call(["keys", "inspect", "AKIAIOSFODNN7EXAMPLE"], {}))
    assert r.returncode == 0 and json.loads(r.stdout)["Prefix"] == "AKIA"
