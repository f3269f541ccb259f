"""Issue 13, finding 6: every export format reads back byte-exact in the tool it is for.

A corpus of hostile values is written to moto with boto3, exported by `credctl params export`,
and read back by python-dotenv (from a stream and from a file opened in text mode), PyYAML,
`json.loads`, and `eval` in bash, sh and dash. `creds export` is attacked the same way with a
`credential_process` that returns hostile but legal strings (control characters are refused
before export: test_hostile_wire.py), read back by the same tools and fish."""
import io
import json
import shutil
import subprocess
import uuid

import pytest
import yaml
from dotenv import dotenv_values

from conftest import write_aws_files
from hostile_support import assert_not_shown, credctl_raw, process_script  # noqa: F401 (fixture)

# SSM refuses an empty value, so the empty string is not in the corpus (see the last test).
CORPUS = {
    "WINDOWS_DIR": "C:\\dir\\",                    # the three
    "APOSTROPHE": "it's",
    "DOLLAR_BRACE_ISSUE": "pa$HOMEss",            # ${…} itself is refused by dotenv: below
    "DOUBLE_QUOTES": 'say "hi" ""',
    "BACKSLASH_N": "not\\na newline \\t \\\\ end",
    "LONE_BACKSLASH": "\\",
    "BACKSLASH_QUOTE": "\\'",
    "BACKSLASH_DQUOTE": '\\"',
    "DOLLARS": "$HOME $1 $$ $",
    "SUBSTITUTION": "$(touch pwned-subst)",
    "BACKTICKS": "`touch pwned-tick`",
    "NEWLINES": "line1\nline2\n\nline4\n",
    "CR_ONLY": "a\rb\r",
    "CRLF": "a\r\nb",
    "TABS": "\ttab\tinside\t",
    "TRAILING_SPACES": "trailing   ",
    "LEADING_SPACES": "   leading",
    "ONLY_SPACE": " ",
    "LINE_SEPARATOR": "a\u2028b",
    "PARAGRAPH_SEPARATOR": "a\u2029b",
    "NEXT_LINE": "a\u0085b",
    "BOM": "\ufeffbom",
    "EMOJI": "🔑 key 🗝️ ünï",
    "HASH": "#not-a-comment",
    "SPACE_HASH": "value # not a comment",
    "EQUALS": "a=b==c=",
    "SHELL_SOUP": "'\"\\$`!*?~{}[]|&;<>()%^",
    "ESCAPE": "\x1b[31mred\x1b[0m",
    "DEL": "a\x7fb",
    "BANG": "!! !-1",
    "DASH_N": "-n",
    "YAML_LOOKALIKE": "- [a, b]: {c: d} &x *x !!str",
    "YAML_BOOL": "yes",
    "NUMBER": "0012",
    "NULL_WORD": "null",
    "TILDE": "~",
    "UNICODE_ESCAPE_TEXT": "\\u0041 \\x41 \\101",
    "BIDI": "\u202eevil\u202c",
}


@pytest.fixture(scope="module")
def corpus_path(moto):
    root = f"/HOSTILE{uuid.uuid4().hex[:8]}"
    ssm = moto.client("ssm")
    for name, value in CORPUS.items():
        ssm.put_parameter(Name=f"{root}/{name}", Value=value, Type="SecureString")
    return root


def export(credctl_raw, admin_env, path, fmt):
    """The export's exact text (bytes decoded here: text mode would turn a CR into a LF)."""
    r = credctl_raw("params", "export", path, "--format", fmt, env=admin_env)
    assert r.code == 0, r
    assert r.err == b""
    return r.out.decode("utf-8")


def shell_read_back(shell, script_text, names, cwd):
    """Runs `eval "$(cat FILE)"` in `shell` and prints each variable NUL-terminated."""
    exported = cwd / "exported.sh"
    exported.write_text(script_text)
    prints = " ".join(f'"${{{n}}}"' for n in names)
    program = f'eval "$(cat {exported})"; printf "%s\\0" {prints}'
    out = subprocess.run([shell, "-c", program], capture_output=True, cwd=cwd, timeout=30)
    assert out.returncode == 0, out.stderr
    values = out.stdout.decode("utf-8").split("\0")[:-1]
    return dict(zip(names, values))


def same_values(got, want):
    """Equality with the differing names listed, for a readable failure."""
    wrong = {k: (want[k], got.get(k)) for k in want if got.get(k) != want[k]}
    assert not wrong, wrong
    assert set(got) == set(want)


# --- params export ----------------------------------------------------------------------

def test_dotenv_reads_back_exactly_in_python_dotenv(credctl_raw, admin_env, corpus_path, tmp_path):
    text = export(credctl_raw, admin_env, corpus_path, "dotenv")
    same_values(dotenv_values(stream=io.StringIO(text)), CORPUS)
    f = tmp_path / ".env"
    f.write_text(text)
    same_values(dotenv_values(f), CORPUS)
    with open(f) as opened:   # text mode: universal newlines turn a raw CR into LF
        same_values(dotenv_values(stream=opened), CORPUS)
    assert "\r" not in text   # escaped, so a text-mode reader cannot turn it into a LF


def test_yaml_reads_back_exactly_in_pyyaml(credctl_raw, admin_env, corpus_path):
    text = export(credctl_raw, admin_env, corpus_path, "yaml")
    same_values(yaml.safe_load(text), CORPUS)
    for raw in ("\u2028", "\u2029", "\u0085", "\ufeff", "\x7f", "\x1b", "\r"):
        assert raw not in text


def test_json_reads_back_exactly(credctl_raw, admin_env, corpus_path):
    same_values(json.loads(export(credctl_raw, admin_env, corpus_path, "json")), CORPUS)


@pytest.mark.parametrize("shell", ["bash", "sh", "dash"])
def test_env_reads_back_exactly_with_eval(credctl_raw, admin_env, corpus_path, tmp_path, shell):
    text = export(credctl_raw, admin_env, corpus_path, "env")
    same_values(shell_read_back(shell, text, list(CORPUS), tmp_path), CORPUS)
    assert not any(p.name.startswith("pwned") for p in tmp_path.rglob("*")), "no command in a value ran"


def test_exec_passes_every_value_exactly(credctl, admin_env, corpus_path, tmp_path):
    r = credctl("params", "exec", corpus_path, "--", "python3", "-c",
                "import os, json, sys; sys.stdout.write(json.dumps({k: os.environ[k] for k in sys.argv[1:]}))", *CORPUS,
                env=admin_env)
    assert r.code == 0, r
    same_values(json.loads(r.out), CORPUS)


@pytest.mark.parametrize("value", ["pa${HOME}ss", "${HOME}", "${X:-default}", "a${"])
def test_dotenv_refuses_a_value_python_dotenv_would_expand(credctl_raw, credctl, admin_env, moto, value, tmp_path):
    path = f"/HOSTILEBRACE{uuid.uuid4().hex[:8]}"
    moto.client("ssm").put_parameter(Name=f"{path}/TOKEN", Value=value, Type="SecureString")
    moto.client("ssm").put_parameter(Name=f"{path}/OTHER", Value="fine", Type="String")
    r = credctl("params", "export", path, env=admin_env)
    assert r.code == 2, r
    assert r.out == ""
    assert r.err == ("credctl: error: the value of TOKEN contains '${', which python-dotenv and docker compose expand "
                     "in any .env quoting; nothing was exported. Use --format env or json\n")
    assert_not_shown(r, value)
    # The other formats carry it exactly.
    assert json.loads(export(credctl_raw, admin_env, path, "json")) == {"OTHER": "fine", "TOKEN": value}
    assert yaml.safe_load(export(credctl_raw, admin_env, path, "yaml")) == {"OTHER": "fine", "TOKEN": value}
    assert shell_read_back("dash", export(credctl_raw, admin_env, path, "env"), ["TOKEN"], tmp_path) == {"TOKEN": value}


def test_an_empty_value_cannot_be_stored(credctl, admin_env):
    """SSM has no empty parameters: credctl refuses one before any call (nothing to export)."""
    name = f"/HOSTILEEMPTY{uuid.uuid4().hex[:8]}/E"
    r = credctl("params", "put", name, env=admin_env, stdin="")
    assert r.code == 2, r
    assert r.err.startswith("credctl: error: ") and "empty" in r.err


# --- creds export -------------------------------------------------------------------------

TOKENS = [
    "it's", "C:\\dir\\", 'a"b""', "$HOME", "$(touch pwned-subst)", "`touch pwned-tick`", "trailing   ", "  leading",
    "x\u2028y\u2029z", "a\u0085b", "\ufeffbom", "🔑ünï", "#hash", "a=b", "\\'", "\\", "!!", "-n", "%PATH%", "a;b&c|d",
    "\u2018smart\u2019 \u201aquotes\u201b",
]
CRED_NAMES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_REGION"]


@pytest.fixture(params=range(len(TOKENS)), ids=lambda i: f"token{i}")
def hostile_process(request, home, tmp_path):
    token = TOKENS[request.param]
    secret = "sec/ret+" + token   # the secret carries it too
    script = process_script(tmp_path, {"Version": 1, "AccessKeyId": "ASIAHOSTILE000000001", "SecretAccessKey": secret,
                                       "SessionToken": token, "Expiration": "2099-01-01T00:00:00Z"})
    write_aws_files(home, config=f"[default]\nregion = eu-west-1\ncredential_process = {script}\n")
    return {"AWS_ACCESS_KEY_ID": "ASIAHOSTILE000000001", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token,
            "AWS_CREDENTIAL_EXPIRATION": "2099-01-01T00:00:00Z", "AWS_REGION": "eu-west-1"}


def creds_export(credctl_raw, fmt):
    r = credctl_raw("creds", "export", "--format", fmt)
    assert r.code == 0, r
    assert r.err == b""
    return r.out.decode("utf-8")


def test_creds_export_reads_back_exactly_in_every_tool(credctl_raw, hostile_process, tmp_path):
    want = hostile_process
    for shell in ("bash", "sh", "dash"):
        for fmt in ("env", "env-no-export"):
            same_values(shell_read_back(shell, creds_export(credctl_raw, fmt), CRED_NAMES, tmp_path), want)
    assert not any(p.name.startswith("pwned") for p in tmp_path.rglob("*"))
    dotenv_text = creds_export(credctl_raw, "dotenv")
    same_values({k: v for k, v in dotenv_values(stream=io.StringIO(dotenv_text)).items() if k in CRED_NAMES}, want)
    f = tmp_path / "creds.env"
    f.write_text(dotenv_text)
    with open(f) as opened:
        assert {k: v for k, v in dotenv_values(stream=opened).items() if k in CRED_NAMES} == want
    doc = json.loads(creds_export(credctl_raw, "json"))
    assert (doc["AccessKeyId"], doc["SecretAccessKey"], doc["SessionToken"]) == (
        want["AWS_ACCESS_KEY_ID"], want["AWS_SECRET_ACCESS_KEY"], want["AWS_SESSION_TOKEN"])
    process = json.loads(creds_export(credctl_raw, "process"))
    assert process == {"Version": 1, "AccessKeyId": want["AWS_ACCESS_KEY_ID"], "SecretAccessKey": want["AWS_SECRET_ACCESS_KEY"],
                       "SessionToken": want["AWS_SESSION_TOKEN"], "Expiration": "2099-01-01T00:00:00Z"}


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_creds_export_fish_reads_back_exactly(credctl_raw, hostile_process, tmp_path):
    f = tmp_path / "creds.fish"
    f.write_text(creds_export(credctl_raw, "fish"))
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        out = subprocess.run(["fish", "--no-config", "-c", f"source {f}; printf '%s' \"${name}\""], capture_output=True,
                             cwd=tmp_path, timeout=30)
        assert out.returncode == 0, out.stderr
        assert out.stdout.decode("utf-8") == hostile_process[name]
    assert not any(p.name.startswith("pwned") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("value", ["pa${HOME}ss", "${AWS_SECRET_ACCESS_KEY}"])
def test_creds_export_dotenv_refuses_a_value_python_dotenv_would_expand(credctl, home, tmp_path, value):
    script = process_script(tmp_path, {"Version": 1, "AccessKeyId": "ASIAHOSTILE000000001", "SecretAccessKey": "s",
                                       "SessionToken": value})
    write_aws_files(home, config=f"[default]\ncredential_process = {script}\n")
    r = credctl("creds", "export", "--format", "dotenv")
    assert r.code == 2, r
    assert r.out == ""
    assert r.err == ("credctl: error: the value of AWS_SESSION_TOKEN contains '${', which python-dotenv and docker "
                     "compose expand in any .env quoting; nothing was exported. Use --format env or json\n")
    ok = credctl("creds", "export", "--format", "env")
    assert ok.code == 0 and shell_read_back("bash", ok.out, ["AWS_SESSION_TOKEN"], tmp_path) == {"AWS_SESSION_TOKEN": value}


@pytest.mark.parametrize("value, problem", [
    ("a\\b\\ c\\", "ends with a backslash and is not one plain word"),
    ("line\nend\\", "ends with a backslash and is not one plain word"),
    ("'quoted\\", "ends with a backslash and is not one plain word"),
    ("ünï\\", "ends with a backslash and is not one plain word"),
])
def test_dotenv_refuses_a_trailing_backslash_it_cannot_write_bare(credctl, admin_env, moto, value, problem, tmp_path):
    """python-dotenv reads `\\"` before a closing quote as an escaped quote; a value ending in a
    backslash can only be written bare, which works for one plain word only (C:\\dir\\ above)."""
    path = f"/HOSTILEBS{uuid.uuid4().hex[:8]}"
    moto.client("ssm").put_parameter(Name=f"{path}/DIR", Value=value, Type="String")
    r = credctl("params", "export", path, env=admin_env)
    assert r.code == 2, r
    assert r.out == ""
    assert r.err == (f"credctl: error: the value of DIR {problem}, which python-dotenv cannot read back from any "
                     ".env quoting; nothing was exported. Use --format env or json\n")
    assert json.loads(credctl("params", "export", path, "--format", "json", env=admin_env).out) == {"DIR": value}


def test_dotenv_values_ending_in_a_backslash_are_written_bare_and_read_back(credctl_raw, admin_env, moto, tmp_path):
    path = f"/HOSTILEBARE{uuid.uuid4().hex[:8]}"
    values = {"A_DIR": "C:\\dir\\", "B_QUOTE": 'say "x"', "C_SHARE": "\\\\srv\\share\\", "D_AFTER": "it's \"last\""}
    for name, value in values.items():
        moto.client("ssm").put_parameter(Name=f"{path}/{name}", Value=value, Type="String")
    text = export(credctl_raw, admin_env, path, "dotenv")
    assert text.splitlines()[0] == "A_DIR=C:\\dir\\"
    same_values(dotenv_values(stream=io.StringIO(text)), values)


def test_creds_export_powershell_doubles_every_quote_powershell_reads_as_single(credctl_raw, home, tmp_path):
    """No PowerShell here: the text is checked against PowerShell's rule (EscapeSingleQuotedStringContent
    doubles ' and the typographic single quotes U+2018 to U+201B, which also end a '…' string)."""
    token = "it's \u2018a\u2019 \u201ab\u201b $x `n"
    script = process_script(tmp_path, {"Version": 1, "AccessKeyId": "ASIAHOSTILE000000001", "SecretAccessKey": "s'",
                                       "SessionToken": token})
    write_aws_files(home, config=f"[default]\ncredential_process = {script}\n")
    assert creds_export(credctl_raw, "powershell").splitlines() == [
        "$Env:AWS_ACCESS_KEY_ID = 'ASIAHOSTILE000000001'",
        "$Env:AWS_SECRET_ACCESS_KEY = 's'''",
        "$Env:AWS_SESSION_TOKEN = 'it''s \u2018\u2018a\u2019\u2019 \u201a\u201ab\u201b\u201b $x `n'",
        "Remove-Item Env:AWS_SECURITY_TOKEN -ErrorAction SilentlyContinue",
        "Remove-Item Env:AWS_CREDENTIAL_EXPIRATION -ErrorAction SilentlyContinue",
        "Remove-Item Env:AWS_ACCOUNT_ID -ErrorAction SilentlyContinue",
    ]
