"""Issue 13, finding 9: no input makes credctl trap, and every number is range-checked.

Every command's options are read from `credctl --experimental-dump-help`, so an option added
later is attacked too. Each option that takes a value gets hostile values (numbers too big for
any integer, `inf`, `nan`, negative, hexadecimal, empty, padded, 10,000 characters) with static
keys and a closed loopback port as every endpoint, so nothing real happens. Always: no trap
(exit < 128, no trace). For the numeric options: an out-of-range value is exit 2 with one
`credctl: error:` line. Then the numeric environment variables and profile keys."""
import json
import re
import socket
import subprocess

import pytest

from conftest import BINARY, write_aws_files
from hostile_support import GOOD_SECRET, assert_no_trap, assert_one_error_line

def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = closed_port()   # bound and released: nothing listens there
ENDPOINT = f"http://127.0.0.1:{PORT}"
LONG = "9" * 10_000


def short_id(value):
    """Test ids: the 10,000-character value by name, the rest as pytest names them."""
    return "10000-nines" if value == LONG else None

HOSTILE = ["1e300", "inf", "nan", "-1", "0", "9223372036854775807", "99999999999999999999", "0x10", "", " 1", LONG]
# Options that hold text (names, ids, paths): the values most likely to break a parser.
TEXT_VALUES = ["1e300", "-1", "", "99999999999999999999", LONG]

# Numeric options, and the hostile values each one accepts (every other one is exit 2).
NUMERIC = {
    "cli-connect-timeout": {" 1"}, "cli-read-timeout": {" 1"}, "cli-total-timeout": {" 1"},  # seconds; spaces are trimmed
    "duration": set(), "propagation-timeout": {"0"}, "command-timeout": set(), "max-age": {"0"}, "unused": {"0"},
    "limit": set(), "version": {"9223372036854775807"}, "recovery-window-days": set(), "presign": set(),
    "signing-time": set(), "keep-old": set(), "session-duration": set(), "concurrency": set(),
}
NUMERIC_WORDS = re.compile(r"\b(seconds?|days?|minutes?|how long|this long|this many|\d+ to \d+)\b", re.IGNORECASE)
GLOBAL = {"profile", "region", "endpoint-url", "output", "cli-connect-timeout", "cli-read-timeout", "cli-total-timeout", "mfa-code"}
PLACEHOLDERS = {
    "role-arn": "arn:aws:iam::123456789012:role/r", "profile-or-role-arn": "arn:aws:iam::123456789012:role/r", "key-id": "AKIAIOSFODNN7EXAMPLE", "name": "/hostile/x",
    "template": "dynamodb-read", "table": "orders", "statement": "SELECT * FROM orders", "path": "/hostile",
    "names": "/hostile/x", "paths": "/hostile", "source": "/hostile/a", "destination": "/hostile/b", "id": "hostile-secret",
    "file": "/dev/null", "path... -- command": "/hostile", "tags": "k=v", "url": ENDPOINT + "/",
}



def dump():
    out = subprocess.run([str(BINARY), "--experimental-dump-help"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["command"]


def leaves(command, path=()):
    subs = [s for s in command.get("subcommands", []) if s["commandName"] != "help"]
    if not subs:
        yield path, command
    for s in subs:
        yield from leaves(s, path + (s["commandName"],))


# Read at collection; without a built binary the list is empty and the first test says so.
LEAVES = {" ".join(p): c for p, c in leaves(dump())} if BINARY.exists() else {}


def option_flag(argument):
    n = argument["preferredName"]
    return ("--" if n["kind"] == "long" else "-") + n["name"]


def base_args(path, command, option):
    """The command, its required positionals, and what makes it reach its options."""
    args, tail = list(path.split()), []
    for a in command.get("arguments", []):
        if a["kind"] != "positional":
            continue
        if a["parsingStrategy"] == "postTerminator" or a["valueName"] == "path... -- command":
            tail = ["--", "true"]
        if not a["isOptional"] or a["valueName"] == "path... -- command":
            args.append(PLACEHOLDERS[a["valueName"]])
    if path == "request":
        if option != "service":
            args += ["--service", "sts"]
    return args, tail


def env_for(home):
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": GOOD_SECRET, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": ENDPOINT,
            "AWS_MAX_ATTEMPTS": "1", "AWS_EC2_METADATA_DISABLED": "true"}


class Run:
    def __init__(self, proc):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out[:300]!r}\nstderr: {self.err[:300]!r}>"


def run(args, env):
    return Run(subprocess.run([str(BINARY), *args], env=env, input="v", capture_output=True, text=True, timeout=30))


def test_every_numeric_option_is_known():
    """An option whose help speaks of a number is in NUMERIC, so it gets the full range check."""
    assert len(LEAVES) > 40, f"{BINARY} is not built, or --experimental-dump-help lists too few commands"
    for path, command in LEAVES.items():
        for a in command.get("arguments", []):
            if a["kind"] == "option" and NUMERIC_WORDS.search(a.get("abstract", "")):
                assert a["preferredName"]["name"] in NUMERIC, (path, a["preferredName"]["name"], a["abstract"])


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_hostile_option_values_never_trap(path, home, tmp_path):
    command = LEAVES[path]
    env = env_for(home)
    checked = 0
    for a in command.get("arguments", []):
        if a["kind"] != "option":
            continue
        name = a["preferredName"]["name"]
        if name in GLOBAL and path != "whoami":
            continue   # one parser for every command: attacked through whoami
        args, tail = base_args(path, command, name)
        for value in HOSTILE if name in NUMERIC else TEXT_VALUES:
            r = run([*args, f"{option_flag(a)}={value}", *tail], env)
            checked += 1
            assert_no_trap(r)
            if r.err:
                lines = r.err.splitlines()
                assert lines[0].startswith("credctl: error: ") and len(lines) <= 2, (name, value, r)
                assert len(lines) == 1 or lines[1].startswith("hint: "), (name, value, r)
            if name in NUMERIC and value not in NUMERIC[name]:
                assert_one_error_line(r, 2)
                # Refused values are quoted by their first characters only, the parser's refusals too.
                assert LONG not in r.err and len(r.err) < 400, r
    assert not list(home.iterdir()), "nothing written to the empty home"
    if path in ("whoami", "assume", "rotate", "request"):
        assert checked > 10


# Exact messages for the range checks credctl makes itself (the argument parser's own, for
# whole-number options, say "The value '…' is invalid for '--limit <limit>'").
@pytest.mark.parametrize("option, value, message", [
    ("--cli-connect-timeout", "1e300", "--cli-connect-timeout must be a number of seconds from 0.001 to 86400, not '1e300'"),
    ("--cli-connect-timeout", "9223372036854775807",
     "--cli-connect-timeout must be a number of seconds from 0.001 to 86400, not '9223372036854775807'"),
    ("--cli-read-timeout", "inf", "--cli-read-timeout must be a number of seconds from 0.001 to 86400, not 'inf'"),
    ("--cli-read-timeout", "-1", "--cli-read-timeout must be a number of seconds from 0.001 to 86400, not '-1'"),
    ("--cli-read-timeout", LONG, "--cli-read-timeout must be a number of seconds from 0.001 to 86400, not '999999999999999999999999'"),
    ("--cli-read-timeout", "\x1b[2J", "--cli-read-timeout must be a number of seconds from 0.001 to 86400, not '\\u{1b}[2J'"),
], ids=short_id)
def test_timeout_options_name_the_option_and_the_range(credctl, home, option, value, message):
    r = credctl("whoami", f"{option}={value}", env=env_for(home))
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n"


@pytest.mark.parametrize("variable, value, message", [
    ("AWS_MAX_ATTEMPTS", "1e300", "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '1e300'"),
    ("AWS_MAX_ATTEMPTS", "9223372036854775807", "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '9223372036854775807'"),
    ("AWS_MAX_ATTEMPTS", "0", "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '0'"),
    ("AWS_MAX_ATTEMPTS", "-1", "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '-1'"),
    ("AWS_MAX_ATTEMPTS", "0x10", "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '0x10'"),
    ("AWS_MAX_ATTEMPTS", LONG, "AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not '999999999999999999999999'"),
    ("AWS_METADATA_SERVICE_TIMEOUT", "1e300", "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not '1e300'"),
    ("AWS_METADATA_SERVICE_TIMEOUT", "nan", "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not 'nan'"),
    ("AWS_METADATA_SERVICE_TIMEOUT", "inf", "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not 'inf'"),
    ("AWS_METADATA_SERVICE_TIMEOUT", "99999999999999999999",
     "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not '99999999999999999999'"),
    ("AWS_METADATA_SERVICE_TIMEOUT", "0", "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not '0'"),
    ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "9223372036854775807",
     "AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number from 1 to 100, not '9223372036854775807'"),
    ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0x10", "AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number from 1 to 100, not '0x10'"),
    ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "-1", "AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number from 1 to 100, not '-1'"),
], ids=short_id)
def test_numeric_environment_variables_are_range_checked(credctl, variable, value, message):
    env = {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": ENDPOINT, "AWS_EC2_METADATA_DISABLED": "false",
           "AWS_EC2_METADATA_SERVICE_ENDPOINT": ENDPOINT, variable: value}
    if variable == "AWS_MAX_ATTEMPTS":
        env.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY=GOOD_SECRET)
    r = credctl("whoami", env=env)
    assert_no_trap(r)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n"


@pytest.mark.parametrize("key, value", [(k, v) for k in ("max_attempts", "metadata_service_timeout", "metadata_service_num_attempts")
                                        for v in HOSTILE if v not in ("", " 1")], ids=short_id)
def test_numeric_profile_keys_are_range_checked(credctl, home, key, value):
    aws = write_aws_files(home, config=f"[profile p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {GOOD_SECRET}\n"
                                       f"region = us-east-1\n{key} = {value}\n")
    r = credctl("whoami", "--profile", "p", env={"AWS_ENDPOINT_URL": ENDPOINT, "AWS_EC2_METADATA_SERVICE_ENDPOINT": ENDPOINT})
    assert_no_trap(r)
    assert_one_error_line(r, 2)
    kind = ("a number of seconds from 0.001 to 3600" if key == "metadata_service_timeout" else "a whole number from 1 to 100")
    assert r.err == f"credctl: error: {key} of profile p ({aws}/config:5) must be {kind}, not '{value[:24]}'\n"
    assert GOOD_SECRET not in r.err


@pytest.mark.parametrize("value", [v for v in HOSTILE if v != ""] + ["899", "43201", "3600.5"], ids=short_id)
def test_duration_seconds_of_a_role_profile_is_range_checked(credctl, home, value):
    aws = write_aws_files(home, config="[profile src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                                       f"aws_secret_access_key = {GOOD_SECRET}\n[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
                                       f"source_profile = src\nregion = us-east-1\nduration_seconds = {value}\n")
    r = credctl("whoami", "--profile", "p", env={"AWS_ENDPOINT_URL": ENDPOINT})
    assert_no_trap(r)
    assert_one_error_line(r, 2)
    assert r.err.startswith(f"credctl: error: profile 'p' ({aws}/config:5): duration_seconds"), r
    assert len(r.err) < 300, "the value is not repeated whole"
