"""`creds export` speaks every format of the AWS CLI v2's `aws configure export-credentials`.

The AWS CLI v2 is not installed here (pip's `awscli` is v1, which has no export-credentials:
`test_the_installed_aws_cli_is_v1`), so its formats are taken from its command reference:
`--format process` (the default: the `credential_process` JSON, `Version` 1, `AccessKeyId`,
`SecretAccessKey`, and `SessionToken` and `Expiration` when the credentials have them),
`env` (`export AWS_…=…` lines), `env-no-export` (the same without `export`), `powershell`
(`$Env:AWS_…`) and `windows-cmd` (`set AWS_…=…`), each setting AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION as far as the
credentials have them. The `process` output is then run as a `credential_process` by botocore
(long-term and temporary credentials; botocore reads the expiry and the credentials work
against moto) and by credctl itself.
"""
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BINARY, write_aws_files

V2_FORMATS = ["process", "env", "env-no-export", "powershell", "windows-cmd"]
PROCESS_FIELDS = ["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def temporary(moto, roles, home):
    """A role profile `r` (credentials from AssumeRole on moto, with a token and an expiry) and
    the static profile `base` it starts from."""
    write_aws_files(home, f"[profile r]\nrole_arn = {roles['r1']}\nsource_profile = base\nregion = eu-west-1\n",
                    f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    return {"AWS_ENDPOINT_URL": moto.url}


def export(credctl, fmt, profile, env):
    """One format of the credentials; a role's are cached after the first AssumeRole, so every
    format of one test shows the same credentials."""
    r = credctl("creds", "export", "--format", fmt, "--profile", profile, env=env)
    assert r.code == 0, r
    assert r.err == "", r
    return r.out


def test_the_installed_aws_cli_is_v1():
    """What this file knows of the v2 formats comes from the documentation, not from v2's code."""
    import awscli
    assert awscli.__version__.startswith("1.")
    assert not (Path(awscli.__file__).parent / "customizations" / "configure" / "exportcreds.py").exists()


@pytest.mark.parametrize("fmt", V2_FORMATS)
def test_every_v2_format_name_is_accepted(credctl, temporary, fmt):
    out = export(credctl, fmt, "r", temporary)
    assert out.strip() != ""


def process_document(credctl, profile, env):
    return json.loads(export(credctl, "process", profile, env))


def test_process_has_the_v2_field_names_in_order(credctl, temporary, moto):
    doc = process_document(credctl, "r", temporary)
    # After v2's fields, the account id when credctl knows it (botocore's ProcessProvider reads
    # `AccountId`; v2's export-credentials does not write it): here the assumed role's account.
    assert list(doc) == PROCESS_FIELDS + ["AccountId"] and len(doc["AccountId"]) == 12 and doc["AccountId"].isdigit()
    assert doc["Version"] == 1 and isinstance(doc["Version"], int)
    assert doc["AccessKeyId"].startswith("ASIA") and doc["SecretAccessKey"] and doc["SessionToken"]
    assert ISO_UTC.match(doc["Expiration"]), doc["Expiration"]
    static = process_document(credctl, "base", {})
    assert static == {"Version": 1, "AccessKeyId": moto.admin_key_id, "SecretAccessKey": moto.admin_secret}


def shell_variables(script, shell="sh", exported_only=False):
    """The AWS_* variables a POSIX shell has after running `script` (only the exported ones,
    as a child process sees them, with `exported_only`)."""
    show = "env" if exported_only else "set"
    proc = subprocess.run([shell, "-c", script + f"\n{show}"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    found = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(AWS_[A-Z_]+)=(.*)$", line)
        if m:
            value = m.group(2)
            if value.startswith("'") and value.endswith("'"):  # `set` quotes in dash and bash
                value = value[1:-1].replace("'\\''", "'")
            found[m.group(1)] = value
    return found


def expected_variables(doc, region):
    v = {"AWS_ACCESS_KEY_ID": doc["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": doc["SecretAccessKey"]}
    if "SessionToken" in doc:
        v["AWS_SESSION_TOKEN"] = doc["SessionToken"]
    if "Expiration" in doc:
        v["AWS_CREDENTIAL_EXPIRATION"] = doc["Expiration"]
    if region:
        v["AWS_REGION"] = v["AWS_DEFAULT_REGION"] = region   # credctl's addition: the region too
    return v


def test_env_sets_the_v2_variables_exported(credctl, temporary):
    doc = process_document(credctl, "r", temporary)
    out = export(credctl, "env", "r", temporary)
    assert all(line.startswith(("export AWS_", "unset AWS_")) for line in out.splitlines()), out
    assert shell_variables(out, exported_only=True) == expected_variables(doc, "eu-west-1")


def test_env_no_export_sets_them_in_the_shell_only(credctl, temporary):
    doc = process_document(credctl, "r", temporary)
    out = export(credctl, "env-no-export", "r", temporary)
    assert not any(line.startswith("export ") for line in out.splitlines()), out
    assert shell_variables(out) == expected_variables(doc, "eu-west-1")
    assert shell_variables(out, exported_only=True) == {}


def test_static_credentials_set_no_token_and_no_expiry(credctl, moto, home):
    write_aws_files(home, credentials=f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    doc = process_document(credctl, "base", {})
    out = export(credctl, "env", "base", {})
    assert shell_variables("export AWS_SESSION_TOKEN=stale\n" + out, exported_only=True) == expected_variables(doc, None)


POWERSHELL = re.compile(r"^\$Env:(AWS_[A-Z_]+) = '((?:[^']|'')*)'$")
WINDOWS_CMD = re.compile(r'^set "(AWS_[A-Z_]+)=(.*)"$')


def test_powershell_sets_the_v2_variables(credctl, temporary):
    doc = process_document(credctl, "r", temporary)
    values = {}
    for line in export(credctl, "powershell", "r", temporary).splitlines():
        if line.startswith("Remove-Item "):
            continue
        m = POWERSHELL.match(line)
        assert m, line
        values[m.group(1)] = m.group(2).replace("''", "'")  # PowerShell's single-quoted strings
    assert values == expected_variables(doc, "eu-west-1")


def test_windows_cmd_sets_the_v2_variables(credctl, temporary):
    """`set "NAME=value"`: cmd.exe takes everything between the quotes literally (the quotes
    keep a trailing space or an `&` in a token from being read as cmd syntax)."""
    doc = process_document(credctl, "r", temporary)
    values = {}
    for line in export(credctl, "windows-cmd", "r", temporary).splitlines():
        if re.match(r"^set AWS_[A-Z_]+=$", line):   # clears a stale variable
            continue
        m = WINDOWS_CMD.match(line)
        assert m, line
        values[m.group(1)] = m.group(2)
    assert values == expected_variables(doc, "eu-west-1")


BOTOCORE = """
import json, sys
import botocore.session
s = botocore.session.Session(profile=sys.argv[1])
c = s.get_credentials()
f = c.get_frozen_credentials()
expiry = getattr(c, "_expiry_time", None)
sts = s.create_client("sts", region_name="us-east-1", endpoint_url=sys.argv[2])
print(json.dumps({"method": c.method, "key": f.access_key, "secret": f.secret_key, "token": f.token,
                  "expiry": expiry.isoformat() if expiry else None, "arn": sts.get_caller_identity()["Arn"]}))
"""


def botocore_via_process(home, profile, moto_url, env=None):
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": moto_url}
    full.update(env or {})
    proc = subprocess.run([sys.executable, "-c", BOTOCORE, profile, moto_url], env=full, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_botocore_runs_process_as_its_credential_process(credctl, moto, roles, home):
    """botocore's ProcessProvider reads credctl's output: the keys, the token and the expiry of
    temporary credentials (as a refreshable set), and the credentials work."""
    write_aws_files(home,
                    f"[profile r]\nrole_arn = {roles['r1']}\nsource_profile = base\n"
                    f"[profile via-role]\ncredential_process = {BINARY} creds export --format process --profile r --no-cache\n"
                    f"[profile via-base]\ncredential_process = {BINARY} creds export --format process --profile base\n",
                    f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    static = botocore_via_process(home, "via-base", moto.url)
    assert static == {"method": "custom-process", "key": moto.admin_key_id, "secret": moto.admin_secret, "token": None,
                      "expiry": None, "arn": "arn:aws:iam::123456789012:user/admin"}
    temp = botocore_via_process(home, "via-role", moto.url)
    assert temp["method"] == "custom-process"
    assert temp["key"].startswith("ASIA") and temp["token"]
    assert temp["arn"].startswith("arn:aws:sts::123456789012:assumed-role/r1/")
    expiry = datetime.datetime.fromisoformat(temp["expiry"])
    assert expiry.utcoffset() == datetime.timedelta(0)
    remaining = (expiry - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 600 < remaining <= 3600, remaining


def test_credctl_reads_its_own_process_output(credctl, moto, roles, home):
    write_aws_files(home,
                    f"[profile r]\nrole_arn = {roles['r1']}\nsource_profile = base\n"
                    f"[profile via-role]\ncredential_process = {BINARY} creds export --format process --profile r --no-cache\n",
                    f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    r = credctl("whoami", "--profile", "via-role", "--output", "json", env={"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Credentials"]["Provider"] == "credential-process"
    assert doc["KeyType"] == "temporary" and ISO_UTC.match(doc["Credentials"]["Expiration"])
    assert doc["Arn"].startswith("arn:aws:sts::123456789012:assumed-role/r1/")
