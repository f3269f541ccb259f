"""The cross-SDK profile-file suite (Tests/Fixtures/profile-files, from smithy-rs) against
botocore and credctl. Every case is classified below: AGREES (botocore gives the suite's
answer; credctl must give it too) or DIFFERS (botocore reads the input another way; credctl
must give botocore's answer, and a note says that other SDKs read the file differently).
The classification is checked against botocore itself, and against the list the Swift notes
test uses (Tests/AWSConfigTests/ProfileFileNotesTests.swift), on every run.
"""
import json
import os
import re
from unittest import mock

import botocore.configloader
import botocore.session
import pytest

from conftest import ROOT

SUITE = ROOT / "Tests" / "Fixtures" / "profile-files"
AGREES, DIFFERS = "agrees", "botocore differs"

CLASSIFICATION = {
    0: ('Empty files have no profiles.', AGREES),
    1: ('Empty profiles have no properties.', AGREES),
    2: ('Profile names support alphanumeric characters and - / . % @ _ : +', DIFFERS),
    3: ('Profile definitions must end with brackets.', AGREES),
    4: ('Profile names should be trimmed.', AGREES),
    5: ('Tabs can separate profile names from profile prefix.', AGREES),
    6: ('Properties must be defined in a profile.', AGREES),
    7: ('Profiles can contain properties.', AGREES),
    8: ('Windows style line endings are supported.', AGREES),
    9: ('Equals signs are supported in property values.', AGREES),
    10: ('Unicode characters are supported in property values.', AGREES),
    11: ('Profiles can contain multiple properties.', AGREES),
    12: ('Profiles can contain multiple properties.', AGREES),
    13: ('Property keys and values are trimmed.', AGREES),
    14: ('Property values can be empty.', AGREES),
    15: ('Property key cannot be empty.', AGREES),
    16: ('Property definitions must contain an equals sign.', DIFFERS),
    17: ('Multiple profiles can be empty.', AGREES),
    18: ('Multiple profiles can have properties.', AGREES),
    19: ('Blank lines are ignored.', AGREES),
    20: ('Pound sign comments are ignored.', DIFFERS),
    21: ('Semicolon sign comments are ignored.', DIFFERS),
    22: ('All comment types can be used together.', DIFFERS),
    23: ('Comments can be empty.', DIFFERS),
    24: ('Comments can be adjacent to profile names.', AGREES),
    25: ('Comments adjacent to values are included in the value.', AGREES),
    26: ('Property values can be continued on the next line.', AGREES),
    27: ('Property values can be continued with multiple lines.', AGREES),
    28: ('Continuations are trimmed.', AGREES),
    29: ('Continuation values include pound comments.', AGREES),
    30: ('Continuation values include semicolon comments.', AGREES),
    31: ('Continuations cannot be used outside of a profile.', AGREES),
    32: ('Continuations cannot be used outside of a property.', AGREES),
    33: ('Continuations reset with profile definitions.', AGREES),
    34: ('Duplicate profiles in the same file merge properties.', DIFFERS),
    35: ('Duplicate properties in a profile use the last one defined.', DIFFERS),
    36: ('Duplicate properties in duplicate profiles use the last one defined.', DIFFERS),
    37: ('Duplicate properties in duplicate profiles use the last one defined (case insensitive).', DIFFERS),
    38: ('Default profile with profile prefix overrides default profile without prefix when profile prefix is first.', DIFFERS),
    39: ('Default profile with profile prefix overrides default profile without prefix when profile prefix is last.', AGREES),
    40: ('Invalid profile names are ignored.', DIFFERS),
    41: ('Invalid property names are ignored.', DIFFERS),
    42: ('All valid profile name characters are supported.', AGREES),
    43: ('All valid property name characters are supported.', AGREES),
    44: ('Properties can have sub-properties.', AGREES),
    45: ('Invalid sub-property definitions cause an error.', AGREES),
    46: ('Sub-property definitions can have an empty value.', AGREES),
    47: ('Sub-property definitions cannot have an empty name.', DIFFERS),
    48: ('Sub-property definitions can have an invalid name.', AGREES),
    49: ('Sub-properties can have blank lines that are ignored', AGREES),
    50: ('Profiles duplicated in multiple files are merged.', AGREES),
    51: ('Default profiles with mixed prefixes in the config file ignore the one without prefix when merging.', DIFFERS),
    52: ('Default profiles with mixed prefixes merge with credentials', DIFFERS),
    53: ('Duplicate properties between files uses credentials property.', AGREES),
    54: ('Config profiles without prefix are ignored.', AGREES),
    55: ('Credentials profiles with prefix are ignored.', DIFFERS),
    56: ('Comment characters adjacent to profile decls', AGREES),
    57: ('Invalid continuation', AGREES),
    58: ('sneaky profile name', AGREES),
    59: ('profile name with extra whitespace', DIFFERS),
    60: ('profile name with extra whitespace in credentials', DIFFERS),
    61: ('properties from an invalid profile name are ignored', AGREES),
    62: ('sso-session with properties', AGREES),
    63: ('sso-session without the space before the name is a profile', AGREES),
    64: ("A typo'd sso-session will be ignored", AGREES),
}

CASES = json.loads((SUITE / "profile-parser-tests.json").read_text())["tests"]
LOCATIONS = [t for t in json.loads((SUITE / "file-location-tests.json").read_text())["tests"] if t["platform"] == "linux"]


def write_files(tmp_path, given):
    env = {}
    for key, var in (("configFile", "AWS_CONFIG_FILE"), ("credentialsFile", "AWS_SHARED_CREDENTIALS_FILE")):
        path = tmp_path / key
        env[var] = str(path)
        if key in given:
            path.write_bytes(given[key].encode())
    return env


def nested(value):
    """The suite writes a sub-section as its raw text; botocore and credctl read it into keys."""
    return botocore.configloader._parse_nested(value) if isinstance(value, str) and value.startswith("\n") else value


def suite_answer(output):
    if "errorContaining" in output:
        return {"error": True}
    config = output["config"]
    answer = {"profiles": {n: {k: nested(v) for k, v in p.items()} for n, p in config["profiles"].items()}}
    if "sso_sessions" in config:
        answer["sso_sessions"] = config["sso_sessions"]
    return answer


def botocore_answer(tmp_path, env):
    with mock.patch.dict(os.environ, dict(env, HOME=str(tmp_path)), clear=True):
        session = botocore.session.Session()
        try:
            profiles = {n: session.full_config["profiles"][n] for n in session.available_profiles}
            return {"profiles": profiles, "sso_sessions": session.full_config.get("sso_sessions", {})}
        except Exception:
            return {"error": True}


def credctl_answer(credctl, env):
    r = credctl("profiles", "--settings", "--output", "json", env=env)
    if r.code == 2:
        return {"error": True}, None
    assert r.code == 0, r
    doc = json.loads(r.out)
    values = lambda settings: {k: v["Value"] for k, v in settings.items()}
    return ({"profiles": {p["Name"]: values(p["Settings"]) for p in doc["Profiles"]},
             "sso_sessions": {s["Name"]: values(s["Settings"]) for s in doc["SSOSessions"]}}, doc)


def restricted(answer, like):
    """`answer` with only the parts `like` has (the suite gives sso_sessions in three cases only)."""
    return {k: v for k, v in answer.items() if k in like}


def test_every_case_is_classified():
    assert len(CASES) == 65 and sorted(CLASSIFICATION) == list(range(len(CASES)))
    for i, case in enumerate(CASES):
        assert CLASSIFICATION[i][0] == case["name"], i


@pytest.mark.parametrize("i", range(len(CASES)), ids=lambda i: f"{i}-{CASES[i]['name'][:40]}")
def test_credctl_reads_every_case_as_botocore(credctl, tmp_path, i):
    case = CASES[i]
    env = write_files(tmp_path, case["input"])
    expected_suite = suite_answer(case["output"])
    botocore_view = botocore_answer(tmp_path, env)
    agrees = restricted(botocore_view, expected_suite) == expected_suite
    assert (AGREES if agrees else DIFFERS) == CLASSIFICATION[i][1], f"botocore {botocore_view} vs suite {expected_suite}"
    credctl_view, doc = credctl_answer(credctl, env)
    assert credctl_view == botocore_view
    if agrees:
        assert restricted(credctl_view, expected_suite) == expected_suite
    elif doc is not None:
        # credctl reads the file as the AWS CLI does, and says where other SDKs do not.
        assert any(n["Kind"] == "other-sdks-differ" for n in doc["Notes"]), doc["Notes"]


def test_the_swift_notes_test_uses_the_same_classification():
    swift = (ROOT / "Tests" / "AWSConfigTests" / "ProfileFileNotesTests.swift").read_text()
    listed = re.search(r"static let botocoreDiffers: Set<Int> = \[([0-9, ]+)\]", swift).group(1)
    assert sorted(int(n) for n in listed.split(",")) == sorted(i for i, (_, v) in CLASSIFICATION.items() if v == DIFFERS)


@pytest.mark.parametrize("case", LOCATIONS, ids=lambda c: c["name"][:60])
def test_file_locations(credctl, case):
    env = case["environment"]
    r = credctl("profiles", "--output", "json", env=env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert (doc["ConfigFile"], doc["CredentialsFile"]) == (case["configLocation"], case["credentialsLocation"])
    if "profile" in case:
        assert doc["SelectedProfile"]["Name"] == case["profile"]
    with mock.patch.dict(os.environ, env, clear=True):
        session = botocore.session.Session()
        expand = lambda p: os.path.expanduser(os.path.expandvars(p))
        assert expand(session.get_config_variable("config_file")) == doc["ConfigFile"]
        assert expand(session.get_config_variable("credentials_file")) == doc["CredentialsFile"]
