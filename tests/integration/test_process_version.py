"""Issue 23, finding 9: a `credential_process` output's `Version` is accepted exactly when
botocore accepts it (`parsed.get('Version') != 1` in Python: `1`, `1.0`, `1e0` and `true` pass)
and refused with botocore's words otherwise, hostile numbers included; never a trap (exit 132).
Each output is read by credctl and by botocore itself, side by side."""
import os
import subprocess
import sys

import pytest

from conftest import write_aws_files

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
VERSIONS = ["1", "1.0", "1e0", "0.1e1", "1.0000000000000001", "true", "2", "0", "-1", "-0", "1.5", '"1"', "null", "false",
            "[1]", "{}", None, "1e19", "-1e19", "9223372036854775808", "1e999", "123456789012345678901234567890"]
BOTOCORE = ("import botocore.session, sys\n"
            "try:\n"
            "    c = botocore.session.Session(profile='p').get_credentials()\n"
            "    print('ok' if c.get_frozen_credentials().secret_key else 'none')\n"
            "except Exception as e:\n"
            "    print('error: ' + str(e))\n")


def script(tmp_path, version):
    body = "" if version is None else f'"Version": {version}, '
    path = tmp_path / "creds.py"
    path.write_text(f"#!{sys.executable}\nprint('{{{body}\"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\", \"SecretAccessKey\": \"{SECRET}\"}}')\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: "missing" if v is None else v)
def test_version_is_checked_as_botocore_checks_it(credctl, home, tmp_path, version):
    aws = write_aws_files(home, config=f"[profile p]\ncredential_process = {script(tmp_path, version)}\n")
    r = credctl("creds", "export", "--format", "process", "--profile", "p")
    boto = subprocess.run([sys.executable, "-c", BOTOCORE], env={"HOME": str(home), "PATH": os.environ["PATH"],
                                                                 "AWS_EC2_METADATA_DISABLED": "true"},
                          capture_output=True, text=True, timeout=30).stdout.strip()
    assert r.code in (0, 3), r
    assert (r.code == 0) == (boto == "ok"), (r, boto)
    assert SECRET not in r.err
    if r.code == 3:
        shown = {None: "<Version key not provided>", "null": "None", "false": "False", '"1"': "1", "[1]": "a list", "{}": "an object"}
        text = shown.get(version, version)
        text = text if len(text) <= 24 or version is None else text[:24] + "…"  # what a process printed is cut
        assert r.err == (f"credctl: error: credential_process of profile 'p' ({aws}/config:2): Unsupported version "
                         f"'{text}' for credential process provider, supported versions: 1\n"), r
        # botocore's words, the same but for how Python prints a float or a container.
        assert "Unsupported version '" in boto and "' for credential process provider, supported versions: 1" in boto
        if version in ("2", "0", "-1", '"1"', "null", "false", None, "9223372036854775808"):
            assert f"Unsupported version '{text}' for credential process provider" in boto, boto
