"""credctl reads ~/.aws/config, ~/.aws/credentials and the profile, region and file variables
exactly as botocore (the AWS CLI) does: a seeded differential fuzzer against botocore, each
class of issue 15 as a fixed case (compared with botocore and with the exact answer), and no
secret from a malformed file in any command's output (issue 13, finding 3).

CREDCTL_CONFIG_FUZZ_SEED and CREDCTL_CONFIG_FUZZ_CASES choose the fuzzer's seed and number of
cases (default: a fixed seed, 400 cases, compared in four slices of about 20 s each on two
cores).
"""
import collections
import itertools
import json
import os
import random
import re

import pytest

import config_fuzz as cf
from conftest import BINARY

SEED = int(os.environ.get("CREDCTL_CONFIG_FUZZ_SEED", "20261124"))
CASES = int(os.environ.get("CREDCTL_CONFIG_FUZZ_CASES", "400"))


@pytest.fixture
def fresh_home(tmp_path):
    counter = itertools.count()

    def make():
        d = tmp_path / f"case{next(counter)}"
        d.mkdir()
        return str(d)
    return make


# The cases are compared in four slices (every fourth case), so that xdist's workers share them.
SLICES = 4


def fuzz_cases():
    """The seeded cases, always the same sequence for one seed (whichever slice runs)."""
    rng = random.Random(SEED)
    return [cf.generate(rng) for _ in range(CASES)]


@pytest.mark.parametrize("part", range(SLICES))
def test_differential_fuzz_against_botocore(fresh_home, part):
    failures = []
    for i, case in enumerate(fuzz_cases()):
        if i % SLICES != part:
            continue
        diffs, _, _ = cf.compare(BINARY, case, fresh_home())
        if diffs:
            small = cf.shrink(BINARY, case, fresh_home)
            small_diffs, _, actual = cf.compare(BINARY, small, fresh_home())
            stderr = [r.stderr.strip() for r in actual["runs"] if r.returncode]
            failures.append(f"case {i} (seed {SEED}): {diffs[0]}\nshrunk to:\n{small.describe()}\n{small_diffs}\ncredctl stderr: {stderr}")
            if len(failures) >= 3:
                break
    assert not failures, "\n\n".join(failures)


def test_the_fuzzer_reaches_every_kind_of_answer(fresh_home):
    """The generator must reach every kind of answer botocore gives, or agreement proves little
    (botocore alone: a few seconds for every case)."""
    outcomes = collections.Counter()
    for case in fuzz_cases():
        expected = cf.botocore_answer(cf.write_case(case, fresh_home()), case.flag)
        if expected["files"][0] == "error":
            outcomes["files-error"] += 1
        else:
            c = expected["credentials"]
            outcomes["found " + c[1] if c[0] == "found" else c[0]] += 1
    for kind in ("found environment", "found shared-credentials-file", "found config-file", "none", "error", "files-error"):
        assert outcomes[kind] > 0, outcomes


def test_the_shrinker_finds_a_minimal_case(monkeypatch, fresh_home):
    # A reference that forgets one deviation (regions are checked up front) must disagree,
    # and the disagreement must shrink to the two lines that cause it.
    monkeypatch.setattr(cf, "VALID_REGION", re.compile(".*"))
    c = case(config="# c\n[default]\nregion = EU-WEST-1\noutput = json\n[profile dev]\nregion = eu-west-2",
             credentials=f"[default]\n{KEYS}\n[dev]\nx = 1", env={"AWS_DEFAULT_PROFILE": "default"})
    assert cf.compare(BINARY, c, fresh_home())[0]
    small = cf.shrink(BINARY, c, fresh_home)
    assert (small.config, small.credentials, small.env) == ([("[default]", "\n"), ("region = EU-WEST-1", "\n")], [], {})


# ------------------------------------------------------------ issue 15, one case per class

def case(config="", credentials="", env=None, flag=None, config_path="default", credentials_path="default"):
    def lines(text):
        return [(line, "\n") for line in text.split("\n")] if text else []
    return cf.Case(config=lines(config), credentials=lines(credentials), env=env or {}, flag=flag,
                   config_path=config_path, credentials_path=credentials_path)


def agree(c, fresh_home):
    """credctl's answer for the case, after checking that it is botocore's."""
    diffs, expected, actual = cf.compare(BINARY, c, fresh_home())
    assert not diffs, f"{diffs}\n{c.describe()}\n{[r.stderr for r in actual['runs']]}"
    return actual


KEYS = "aws_access_key_id = AKIAFIDELITY00000001\naws_secret_access_key = fidelity/secret"


def test_a_comment_after_a_section_header(fresh_home):
    a = agree(case(config="[default] # personal\nregion = eu-west-1\n[profile dev]; work\nregion = eu-west-2",
                   credentials=f"[default]  ; main\n{KEYS}"), fresh_home)
    assert a["credentials"][2:4] == ("AKIAFIDELITY00000001", "fidelity/secret") and a["region"] == "eu-west-1"
    assert a["files"][1] == ["default", "dev"]


def test_spaces_inside_the_brackets_are_part_of_the_name(fresh_home):
    a = agree(case(credentials=f"[ prod ]\n{KEYS}", config="[ profile dev ]\nregion = eu-west-1"), fresh_home)
    assert a["files"][1] == [" prod "]
    assert agree(case(credentials=f"[ prod ]\n{KEYS}", flag="prod"), fresh_home)["credentials"][0] == "error"
    assert agree(case(credentials=f"[ prod ]\n{KEYS}", flag=" prod "), fresh_home)["credentials"][0] == "found"


def test_one_config_profile_under_two_spellings_the_last_wins(fresh_home):
    a = agree(case(config=f"[profile x]\nregion = eu-west-1\n{KEYS}\n[profile  x ]\nregion = eu-west-2", flag="x"), fresh_home)
    assert a["credentials"][0] == "none"
    assert list(a["files"][2]["x"]) == ["region"] and a["files"][2]["x"]["region"]["Value"] == "eu-west-2"


@pytest.mark.parametrize("order, region", [(("[default]", "[profile default]"), "eu-west-2"), (("[profile default]", "[default]"), "eu-west-2")])
def test_default_and_profile_default_the_later_wins(fresh_home, order, region):
    a = agree(case(config=f"{order[0]}\nregion = eu-west-1\n{order[1]}\nregion = eu-west-2\n{KEYS}"), fresh_home)
    assert a["region"] == region


def test_DEFAULT_keys_go_into_every_section(fresh_home):
    a = agree(case(credentials=f"[DEFAULT]\naws_session_token = from-DEFAULT\n[default]\n{KEYS}",
                   config="[DEFAULT]\nregion = ap-south-1\n[default]"), fresh_home)
    assert a["credentials"][4] == "from-DEFAULT" and a["region"] == "ap-south-1"


def test_an_empty_value_is_an_empty_secret(fresh_home):
    a = agree(case(credentials="[default]\naws_access_key_id = AKIAFIDELITY00000001\naws_secret_access_key ="), fresh_home)
    assert a["credentials"][1:4] == ("shared-credentials-file", "AKIAFIDELITY00000001", "")


def test_a_credentials_section_with_only_a_secret_is_passed_over(fresh_home):
    a = agree(case(credentials="[default]\naws_secret_access_key = lonely", config=f"[default]\n{KEYS}"), fresh_home)
    assert a["credentials"][1:3] == ("config-file", "AKIAFIDELITY00000001")


def test_an_empty_security_token_hides_the_session_token(fresh_home):
    a = agree(case(credentials=f"[default]\n{KEYS}\naws_security_token =\naws_session_token = T"), fresh_home)
    assert a["credentials"][4] is None


@pytest.mark.parametrize("sub", ["addressing_style: path", "no delimiter at all"])
def test_a_sub_section_line_without_equals_refuses_the_file(credctl, home, sub):
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text(f"[default]\ns3 =\n  {sub}\n")
    r = credctl("creds", "export", "--format", "json", env={"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"})
    assert r.code == 2 and r.out == "", r
    assert f"{home}/.aws/config, line 3: expected 'key = value' in the sub-section 's3', found '{sub[:12]}" in r.err


def test_indentation(fresh_home):
    a = agree(case(credentials="[default]\n  aws_access_key_id = AKIAFIDELITY00000001\n  aws_secret_access_key = s"), fresh_home)
    assert a["credentials"][2:4] == ("AKIAFIDELITY00000001", "s")
    a = agree(case(config="[default]\nregion = eu-west-1\n\n  [profile dev]\n  region = eu-west-2", flag="dev"), fresh_home)
    assert a["credentials"] == ("error", 2) and a["files"][1] == ["default"]
    a = agree(case(credentials="[default]\n    aws_access_key_id = AKIAFIDELITY00000001\n  continued"), fresh_home)
    assert a["files"][0] == "error"


@pytest.mark.parametrize("mode", ["$HOME", "${HOME}", "~", "$VAR"])
def test_variables_and_tilde_in_the_file_variables(fresh_home, mode):
    a = agree(case(credentials=f"[default]\n{KEYS}", config="[default]\nregion = eu-west-1",
                   config_path=mode, credentials_path=mode), fresh_home)
    assert a["credentials"][1] == "shared-credentials-file" and a["region"] == "eu-west-1"


def test_an_empty_file_variable_names_no_file(fresh_home):
    a = agree(case(credentials=f"[default]\n{KEYS}", config="[default]\nregion = eu-west-1",
                   config_path="empty", credentials_path="default"), fresh_home)
    assert a["region"] is None and a["credentials"][0] == "found"


@pytest.mark.parametrize("var", ["AWS_DEFAULT_REGION", "AWS_REGION"])
def test_an_empty_region_variable_hides_the_profiles_region(fresh_home, var):
    a = agree(case(credentials=f"[default]\n{KEYS}", config="[default]\nregion = eu-west-1", env={var: ""}), fresh_home)
    assert a["region"] is None


@pytest.mark.parametrize("var", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_an_empty_profile_variable_is_a_profile_not_found(credctl, home, fresh_home, var):
    assert agree(case(credentials=f"[default]\n{KEYS}", env={var: ""}), fresh_home)["credentials"][0] == "error"
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(f"[default]\n{KEYS}\n")
    r = credctl("creds", "export", env={var: ""})
    assert r.code == 2 and r.out == "", r
    assert r.err == (f"credctl: error: profile '' (from {var}) is not in {home}/.aws/config or {home}/.aws/credentials; "
                     "the profiles there: 'default'\n")


def test_cr_only_and_mixed_line_ends(fresh_home):
    c = case()
    c.credentials = [("[default]", "\r"), ("aws_access_key_id = AKIAFIDELITY00000001", "\r\n"), ("aws_secret_access_key = cr", "\r")]
    c.config = [("[default]", "\r"), ("region = eu-west-1", "")]
    a = agree(c, fresh_home)
    assert a["credentials"][2:4] == ("AKIAFIDELITY00000001", "cr") and a["region"] == "eu-west-1"


# ------------------------------------------------- issue 13 finding 3: no secret in any message

SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYFIDELITYKEY"
MALFORMED = {
    "secret outside any section": ("credentials", f"aws_secret_access_key = {SECRET}\n[default]\naws_access_key_id = AKIAX\n", 1),
    "secret on a header line": ("config", f"[default]\nregion = eu-west-1\n[{SECRET}\n", 3),
    "secret in a sub-section": ("config", f"[default]\ns3 =\n  {SECRET}\n", 3),
    "secret in a CR-only file": ("credentials", f"[default]\raws_access_key_id = AKIAX\raws_secret_access_key = {SECRET}\rgarbage\r", 4),
    "secret as a repeated key": ("credentials", f"[default]\n{SECRET} = 1\n{SECRET} = 2\n", 3),
    "secret as the region": ("config", f"[default]\nregion = {SECRET}\n", None),
}
COMMANDS = {
    "whoami": (["whoami"], 2),
    "creds show": (["creds", "show"], 2),
    "doctor": (["doctor"], 1),
    "rotate --dry-run": (["rotate", "--dry-run"], 2),
    "keys validate": (["keys", "validate"], 2),
    "setup user --dry-run": (["setup", "user", "u1", "--template", "rotate-own-key", "--dry-run"], 2),
    "params import": (["params", "import", "/APP", "vars.env", "--dry-run"], 2),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("variant", MALFORMED)
def test_no_secret_from_a_malformed_file_reaches_any_output(credctl, home, command, variant):
    which, text, line = MALFORMED[variant]
    aws = home / ".aws"
    aws.mkdir()
    (aws / which).write_bytes(text.encode())
    (home / "vars.env").write_text("A=1\n")
    argv, code = COMMANDS[command]
    argv = [str(home / a) if a == "vars.env" else a for a in argv]
    r = credctl(*argv, env={"AWS_REGION": "us-east-1"} if which == "credentials" else {})
    assert r.code == code, r
    for piece in (SECRET[i:i + 13].lower() for i in range(len(SECRET) - 12)):
        assert piece not in (r.out + r.err).lower(), (piece, r)
    where = f"{aws / which}, line {line}" if line else "is not a valid region name"
    assert where in r.out + r.err, r
    assert sorted(p.name for p in aws.iterdir()) == [which], "nothing may be written"
    assert (aws / which).read_bytes() == text.encode()


def test_a_bad_dotenv_line_is_not_quoted(credctl, home):
    (home / "vars.env").write_text(f"A=1\n{SECRET}\n")
    r = credctl("params", "import", "/APP", str(home / "vars.env"), "--dry-run",
                env={"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1"})
    assert r.code == 2 and r.out == "", r
    assert r.err == f"credctl: error: {home}/vars.env: line 2: expected NAME=value (the line's text is not shown: it may be a secret)\n"


# ------------------------------------------------------------------ credctl profiles

def test_profiles_lists_every_profile_with_kind_and_location(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text(
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n"
        "[default]\nregion = eu-west-1\n[sso-session corp]\nsso_region = eu-west-1\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "[profile proc]\ncredential_process = /bin/true\n[profile web]\nweb_identity_token_file = /t\nrole_arn = arn:aws:iam::1:role/w\n"
        "[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n[profile only-region]\nregion = us-east-2\ns3 =\n  addressing_style = path\n")
    (aws / "credentials").write_text(f"[default]\n{KEYS}\n[creds-only]\n{KEYS}\n")
    r = credctl("profiles", "--output", "json")
    assert r.code == 0, r
    doc = json.loads(r.out)
    rows = [(p["Name"], p["Kind"], p["DefinedAt"]) for p in doc["Profiles"]]
    c, k = f"{aws}/config", f"{aws}/credentials"
    assert rows == [("role", "role", [f"{c}:1"]), ("default", "static-keys", [f"{c}:4", f"{k}:1"]),
                    ("sso", "sso", [f"{c}:8"]), ("proc", "credential-process", [f"{c}:11"]),
                    ("web", "web-identity", [f"{c}:13"]), ("only-region", "other", [f"{c}:19"]),
                    ("creds-only", "static-keys", [f"{k}:4"])]
    assert doc["SSOSessions"] == [{"Name": "corp", "DefinedAt": f"{c}:6"}]
    assert doc["SelectedProfile"] == {"Name": "default", "Source": "default"}
    assert "Settings" not in doc["Profiles"][0]
    r = credctl("profiles", "--settings", "--output", "json")
    settings = {p["Name"]: p["Settings"] for p in json.loads(r.out)["Profiles"]}
    assert settings["default"]["aws_secret_access_key"] == {"Value": "****************cret", "Location": f"{k}:3"}
    assert settings["only-region"]["s3"] == {"Value": {"addressing_style": "path"}, "Location": f"{c}:21"}
    assert "fidelity/secret" not in r.out
    table = credctl("profiles")
    assert table.code == 0 and table.out.splitlines()[0].split() == ["PROFILE", "KIND", "DEFINED", "AT"], table
    text = credctl("profiles", "--output", "text")
    assert text.out.splitlines()[1] == f"default\tstatic-keys\t{c}:4, {k}:1"


def test_profiles_notes_and_errors(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[default]\nregion = eu-west-1 # dublin\n[junk]\nx = 1\n")
    r = credctl("profiles", "--output", "json")
    notes = json.loads(r.out)["Notes"]
    assert [(n["Kind"], n["Line"]) for n in notes] == [("other-sdks-differ", 2), ("ignored-by-aws-cli", 3)]
    table = credctl("profiles")
    assert table.out.endswith(f"note: {notes[0]['Message']}\nnote: {notes[1]['Message']}\n"), table
    (aws / "config").write_text("[default]\n[default]\n")
    r = credctl("profiles")
    assert r.code == 2 and r.out == "" and r.err == f"credctl: error: {aws}/config, line 2: section [default] appears twice\n", r
