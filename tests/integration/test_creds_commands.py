"""creds export/exec and assume, read back by shells, python-dotenv and the AWS CLI."""
import json
import os
import shutil
import subprocess

import pytest
from dotenv import dotenv_values

from conftest import BINARY, write_aws_files

KEY = "AKIAEXPORTEXAMPLE001"
SECRET = "wJalr'XUtn FEMI/K7MDENG=bPxR#fiCY\"EXAMPLEKEY"   # quotes, space, =, # on purpose
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//token+="


def profile_files(home):
    write_aws_files(home, "[profile dev]\nregion = eu-central-1\n",
                    f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n")


def test_export_env_evaluated_by_bash(credctl, home):
    profile_files(home)
    r = credctl("creds", "export", "--profile", "dev")
    assert r.code == 0, r
    script = ("export AWS_SECURITY_TOKEN=stale\n" + r.out +
              'printf "%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" '
              '"$AWS_REGION" "$AWS_DEFAULT_REGION" "${AWS_SECURITY_TOKEN-unset}"')
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={"PATH": os.environ["PATH"]}).stdout
    assert out.split("\n")[:6] == [KEY, SECRET, TOKEN, "eu-central-1", "eu-central-1", "unset"]


def test_export_dotenv_read_by_python_dotenv(credctl, home, tmp_path):
    profile_files(home)
    r = credctl("creds", "export", "--profile", "dev", "--format", "dotenv")
    (tmp_path / ".env").write_text(r.out)
    assert dotenv_values(tmp_path / ".env") == {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                                                "AWS_SESSION_TOKEN": TOKEN, "AWS_REGION": "eu-central-1",
                                                "AWS_DEFAULT_REGION": "eu-central-1"}


def test_format_and_output_together_are_honoured_or_refused(credctl, home):
    """A format asked for is never ignored: --format json --output json agree and print JSON;
    --format env --output json disagree: exit 2, nothing printed, no secret anywhere."""
    profile_files(home)
    agreed = credctl("creds", "export", "--profile", "dev", "--format", "json", "--output", "json")
    assert agreed.code == 0, agreed
    assert json.loads(agreed.out)["SecretAccessKey"] == SECRET
    for args in (["--format", "env", "--output", "json"], ["--format", "process", "--output", "json"],
                 ["--format", "json", "--output", "text"], ["--format", "dotenv", "--output", "csv"]):
        r = credctl("creds", "export", "--profile", "dev", *args)
        assert r.code == 2, (args, r)
        assert r.out == "", (args, r)
        assert r.err.startswith(f"credctl: error: --output {args[3]} and --format {args[1]} disagree: "), (args, r)
        assert SECRET not in r.err and KEY not in r.err


def test_export_fish_and_powershell_text(credctl, home):
    write_aws_files(home, credentials=f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = it's\\x\n")
    fish = credctl("creds", "export", "--profile", "dev", "--format", "fish").out
    assert fish == (f"set -gx AWS_ACCESS_KEY_ID '{KEY}';\nset -gx AWS_SECRET_ACCESS_KEY 'it\\'s\\\\x';\n"
                    "set -e AWS_SESSION_TOKEN;\nset -e AWS_SECURITY_TOKEN;\nset -e AWS_CREDENTIAL_EXPIRATION;\n")
    ps = credctl("creds", "export", "--profile", "dev", "--format", "powershell").out
    assert ps.startswith(f"$Env:AWS_ACCESS_KEY_ID = '{KEY}'\n$Env:AWS_SECRET_ACCESS_KEY = 'it''s\\x'\n")
    assert "Remove-Item Env:AWS_SESSION_TOKEN -ErrorAction SilentlyContinue\n" in ps


def test_export_process_used_by_the_aws_cli(credctl, moto, home, tmp_path):
    """Another tool's profile runs credctl as its credential_process."""
    write_aws_files(home, f"[profile via-credctl]\ncredential_process = {BINARY} creds export --format process --profile admin\n",
                    f"[admin]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    proc = subprocess.run(["aws", "sts", "get-caller-identity", "--profile", "via-credctl", "--endpoint-url", moto.url,
                           "--region", "us-east-1", "--output", "json"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["Arn"] == "arn:aws:iam::123456789012:user/admin"
    r = credctl("creds", "export", "--format", "process", "--profile", "admin")
    assert json.loads(r.out) == {"Version": 1, "AccessKeyId": moto.admin_key_id, "SecretAccessKey": moto.admin_secret}


def test_exec_sets_credentials_removes_conflicts_and_passes_exit_code(credctl, home):
    profile_files(home)
    env = {"AWS_PROFILE": "other", "AWS_DEFAULT_PROFILE": "other", "AWS_SECURITY_TOKEN": "stale",
           "AWS_ROLE_ARN": "arn:aws:iam::1:role/x", "KEEP_ME": "yes"}
    r = credctl("creds", "exec", "--profile", "dev", "--", "sh", "-c",
                'echo "$AWS_ACCESS_KEY_ID|$AWS_SESSION_TOKEN|$AWS_REGION|$AWS_DEFAULT_REGION|'
                '${AWS_PROFILE-none}|${AWS_DEFAULT_PROFILE-none}|${AWS_SECURITY_TOKEN-none}|${AWS_ROLE_ARN-none}|$KEEP_ME"; exit 7',
                env=env)
    assert r.code == 7, r
    assert r.out == f"{KEY}|{TOKEN}|eu-central-1|eu-central-1|none|none|none|none|yes\n"


def test_exec_secret_not_in_child_argv(credctl, home):
    profile_files(home)
    r = credctl("creds", "exec", "--profile", "dev", "--", "sh", "-c", 'cat /proc/$$/cmdline | tr "\\0" " "')
    assert r.code == 0
    assert SECRET not in r.out and TOKEN not in r.out


def test_exec_errors(credctl, home):
    profile_files(home)
    # No command: the user's shell (here /bin/sh, as SHELL is unset), reading stdin.
    r = credctl("creds", "exec", "--profile", "dev", stdin='echo "$CREDCTL_PROFILE $AWS_ACCESS_KEY_ID"\n')
    assert r.code == 0 and r.out == f"dev {KEY}\n", r
    r = credctl("creds", "exec", "--profile", "dev", "--", "no-such-command-credctl")
    assert r.code == 127 and r.err == "credctl: error: cannot run no-such-command-credctl: command not found\n"


def test_assume_prints_and_execs(credctl, moto, roles, admin_env):
    r = credctl("assume", roles["r1"], "--session-name", "ci-job", "--duration", "15m", "--format", "json", env=admin_env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["AccessKeyId"].startswith("ASIA") and doc["SessionToken"] and doc["Region"] == "us-east-1"
    r = credctl("assume", roles["r1"], "--session-name", "ci-job", "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID; exit 3",
                env=admin_env)
    assert r.code == 3 and r.out.startswith("ASIA")
    who = credctl("whoami", "--output", "json",
                  env={"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": doc["AccessKeyId"],
                       "AWS_SECRET_ACCESS_KEY": doc["SecretAccessKey"], "AWS_SESSION_TOKEN": doc["SessionToken"]})
    assert json.loads(who.out)["Arn"] == "arn:aws:sts::123456789012:assumed-role/r1/ci-job"


@pytest.mark.parametrize("args,message", [
    (["--external-id", "x"], "--external-id: the external id must be 2 to 1224 characters long"),
    (["--external-id", "has space"], "--external-id: the external id may hold only letters, digits and + = , . @ : / _ -"),
    (["--session-name", "a" * 65], "--session-name: the session name must be 2 to 64 characters long"),
    (["--duration", "10"], "--duration: the duration must be 900 to 43200 seconds"),
    (["--duration", "soon"], "--duration 'soon' is not a duration such as 90d, 12h, 15m or 3600s"),
])
def test_assume_validates_before_calling(credctl, args, message):
    # No credentials and no endpoint: validation must come first.
    r = credctl("assume", "arn:aws:iam::123456789012:role/r1", *args)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n"


def test_assume_bad_arn(credctl, home):
    r = credctl("assume", "arn:aws:iam::123456789012:user/r1")
    assert r.code == 2
    assert r.err == "credctl: error: 'arn:aws:iam::123456789012:user/r1' is not a role ARN such as arn:aws:iam::123456789012:role/NAME\n"
    # Not an ARN: a profile, which must exist.
    r = credctl("assume", "role/r1")
    assert r.code == 2
    assert r.err == (f"credctl: error: 'role/r1' is neither a role ARN (arn:aws:iam::123456789012:role/NAME) nor a profile in "
                     f"{home}/.aws/config or {home}/.aws/credentials\n")


def test_assume_uses_regional_or_legacy_sts_endpoint(credctl, home):
    write_aws_files(home, credentials=f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = x\n")
    # --debug shows where the call goes; nothing is listening, so it fails fast with a network error.
    env = {"AWS_REGION": "eu-west-1", "HTTPS_PROXY": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"}
    r = credctl("assume", "arn:aws:iam::123456789012:role/r1", "--debug", env=env)
    assert r.code == 5
    assert "POST https://sts.eu-west-1.amazonaws.com/" in r.err
    r = credctl("assume", "arn:aws:iam::123456789012:role/r1", "--debug", env=dict(env, AWS_STS_REGIONAL_ENDPOINTS="legacy"))
    assert "POST https://sts.amazonaws.com/" in r.err
