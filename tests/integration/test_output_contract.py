"""The output contract (docs/output.md), checked on every command.

Walks every leaf command of `credctl --experimental-dump-help` in a small AWS world
(output_world.py: moto with an organisation, a fake IAM Identity Center) with the minimal valid
arguments (output_cases.py), in each output format:

- `--output json`: valid JSON whose every member is one docs/output.md documents for that
  command, of the documented type, and every member documented as always there is there
  (output_contract_doc.py reads the doc's tables); dates are ISO 8601 UTC strings, never epoch
  numbers; or, for a command that cannot give JSON, exit 2 with one `credctl: error:` line saying
  the format does not apply and nothing on stdout;
- `--output csv`: parsed by Python's csv module, every row as wide as the header, the header the
  one the doc gives (for a report whose JSON is one table: its member names; `Field,Value` rows
  naming the record's members);
- `--output text` and `table`: the same exit code as JSON, no control character left unescaped,
  a one-table report as tab-separated rows without a header (text) or under an upper-case one;
- a guard fails when a command appears that the walk does not know how to run, or that the doc
  does not document.

And the shape of usage errors: exactly one `credctl: error:` line, at most one `hint:` line,
exit 2, nothing on stdout; and a default format of json (AWS_DEFAULT_OUTPUT, the profile's
`output`) does not turn a value command's value into a document.
"""
import csv
import io
import json
import re
import subprocess

import pytest

from conftest import BINARY
from output_cases import CASES, NO_FORMAT, REPORT, Call, config_home, doc_section, run
from output_contract_doc import (DATE_LIKE, ISO_UTC, check_against_doc, dates_are_iso, doc_contracts, doc_csv_headers,
                                 doc_without_json)
from output_world import PARAMS, SECRET, World


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("output-world"))
    yield w
    w.stop()


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
    # A report that is one table: text is its rows, tab-separated, without a header; table is
    # an upper-case header and the rows.
    (tmp_path / "json").mkdir()
    doc = json.loads(run_case(world, tmp_path / "json", case, "json").stdout)
    if isinstance(doc, list) and doc and all(isinstance(d, dict) for d in doc):
        lines = r.stdout.splitlines()
        if output == "text":
            assert len(lines) == len(doc), r.stdout
            assert all(line.count("\t") == len(doc[0]) - 1 for line in lines), r.stdout
        else:
            assert len(lines) == len(doc) + 1 and lines[0] == lines[0].upper(), r.stdout


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
    (["creds", "exec", "--server", "--allow-nested", "--frobnicate"], "credctl: error: Unknown option '--frobnicate'"),
    (["keys", "inspect", "nope"], None),
    (["help", "--output", "json"], "credctl: error: Unknown option '--output'"),
    (["--output", "table", "creds", "export"],
     "credctl: error: --output table does not apply here: the credentials are printed in the --format chosen (env, json, process, …)"),
    # A format asked for is honoured or refused, never ignored (--format beside another --output).
    (["creds", "export", "--format", "env", "--output", "json"],
     "credctl: error: --output json and --format env disagree: the credentials are printed in the --format chosen "
     "(env, json, process, …); pass one of them"),
    (["--output", "table", "creds", "export", "--format", "json"],
     "credctl: error: --output table and --format json disagree: the credentials are printed in the --format chosen "
     "(env, json, process, …); pass one of them"),
    (["--output", "json", "assume", "arn:aws:iam::123456789012:role/r", "--format", "process"],
     "credctl: error: --output json and --format process disagree: the credentials are printed in the --format chosen "
     "(env, json, process, …); pass one of them"),
    (["params", "export", "/a", "--format", "yaml", "--output", "json"],
     "credctl: error: --output json and --format yaml disagree: the variables are printed in the --format chosen "
     "(dotenv, env, json, yaml); pass one of them"),
    (["params", "export", "/a", "--format", "dotenv", "--output", "csv"],
     "credctl: error: --output csv and --format dotenv disagree: the variables are printed in the --format chosen "
     "(dotenv, env, json, yaml); pass one of them"),
    (["assume", "arn:aws:iam::123456789012:role/r", "--format", "json", "--", "true"],
     "credctl: error: --format json prints the credentials; it does not go with --server or a command, which get them in their environment"),
    (["assume", "arn:aws:iam::123456789012:role/r", "--server", "--format", "env"],
     "credctl: error: --format env prints the credentials; it does not go with --server or a command, which get them in their environment"),
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
