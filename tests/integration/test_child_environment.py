"""No child credctl starts sees a variable that unlocks or configures the vault (issue 23, #4):
`CREDCTL_VAULT_PASSPHRASE` (the documented way for CI), `CREDCTL_VAULT_PASSPHRASE_COMMAND`,
`CREDCTL_VAULT_BACKEND` and `CREDCTL_VAULT_FILE` are taken out of the environment of every
process credctl starts — one list (`ChildEnvironment.withheld`), used by every place that
starts one. Each place is tested here through the binary: the child writes its environment to
a file, and none of those variables is in it, while an ordinary variable is."""
import json
import os
import time
import uuid

import pytest

from conftest import BINARY, write_aws_files
from sso_support import SESSION_CONFIG, fake_sso, write_config  # noqa: F401 (fake_sso is a fixture)
from test_console import FakeFederation, fake_xdg_open
from test_console import env as console_env
from test_console import files as console_files

WITHHELD = {
    "CREDCTL_VAULT_PASSPHRASE": "hunter2-passphrase-for-ci",
    "CREDCTL_VAULT_PASSPHRASE_COMMAND": "echo hunter2-from-a-command",
    "CREDCTL_VAULT_BACKEND": "file",
}


def vault_variables(tmp_path):
    return {**WITHHELD, "CREDCTL_VAULT_FILE": str(tmp_path / "no-vault-here.json"), "KEEP_ME": "kept"}


def recorder(tmp_path, name):
    """A shell command that writes its environment (NUL-separated) to a file; and a reader."""
    path = tmp_path / f"{name}.env"
    return f"env -0 > {path}", lambda: dict(e.split("=", 1) for e in path.read_text().split("\0") if "=" in e)


def assert_clean(seen, where):
    assert seen, f"{where}: the child did not run"
    leaked = sorted(k for k in seen if k.startswith("CREDCTL_VAULT"))
    assert leaked == [], f"{where}: {leaked}"
    assert seen.get("KEEP_ME") == "kept", where


def admin_files(home, moto):
    write_aws_files(home, "[profile admin]\nregion = us-east-1\n",
                    f"[admin]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")


@pytest.mark.parametrize("server", [False, True], ids=["exec", "exec-server"])
def test_creds_exec(credctl, moto, home, tmp_path, server):
    admin_files(home, moto)
    command, seen = recorder(tmp_path, "creds-exec")
    r = credctl("creds", "exec", "--profile", "admin", *(["--server"] if server else []), "--", "sh", "-c", command,
                env={"AWS_ENDPOINT_URL": moto.url, **vault_variables(tmp_path)})
    assert r.code == 0, r
    assert_clean(seen(), "creds exec")


def test_assume_command(credctl, moto, home, roles, tmp_path):
    admin_files(home, moto)
    command, seen = recorder(tmp_path, "assume")
    r = credctl("assume", roles["r1"], "--profile", "admin", "--", "sh", "-c", command,
                env={"AWS_ENDPOINT_URL": moto.url, **vault_variables(tmp_path)})
    assert r.code == 0, r
    assert_clean(seen(), "assume -- CMD")


def test_params_exec(credctl, moto, home, tmp_path):
    admin_files(home, moto)
    path = "/childenv/" + uuid.uuid4().hex[:8]
    moto.client("ssm").put_parameter(Name=f"{path}/TOKEN", Value="t0ken", Type="String")
    command, seen = recorder(tmp_path, "params")
    r = credctl("params", "exec", path, "--profile", "admin", "--", "sh", "-c", command,
                env={"AWS_ENDPOINT_URL": moto.url, **vault_variables(tmp_path)})
    assert r.code == 0, r
    assert_clean(seen(), "params exec")
    assert seen()["TOKEN"] == "t0ken"


def test_rotate_exec_destination_and_verify_command(credctl, moto, home, tmp_path):
    iam = moto.client("iam")
    user = "childenv-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    deliver, delivered = recorder(tmp_path, "deliver")
    verify, verified = recorder(tmp_path, "verify")
    r = credctl("rotate", "--yes", "--to", f"exec:{deliver}", "--verify-cmd", verify,
                env={"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
                     "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1", "CREDCTL_STATE_DIR": str(home / "state"),
                     **vault_variables(tmp_path)}, timeout=60)
    assert r.code == 0, r
    assert_clean(delivered(), "exec: destination")
    assert_clean(verified(), "--verify-cmd")


def test_credential_process(credctl, home, tmp_path):
    command, seen = recorder(tmp_path, "process")
    script = tmp_path / "process.sh"
    script.write_text(f"#!/bin/sh\n{command}\n"
                      "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"s3cr3t/process\"}'\n")
    script.chmod(0o755)
    write_aws_files(home, f"[profile p]\ncredential_process = {script}\n")
    r = credctl("creds", "show", "--profile", "p", env=vault_variables(tmp_path))
    assert r.code == 0, r
    assert_clean(seen(), "credential_process")


def test_passphrase_command_gets_no_passphrase_variable(credctl, home, tmp_path):
    command, seen = recorder(tmp_path, "passphrase")
    script = tmp_path / "passphrase.sh"
    script.write_text(f"#!/bin/sh\n{command}\necho correct-horse-battery\n")
    script.chmod(0o755)
    variables = {k: v for k, v in vault_variables(tmp_path).items() if k != "CREDCTL_VAULT_PASSPHRASE"}
    r = credctl("vault", "add", "v", "--passphrase-command", str(script),
                stdin="AKIAVAULT00000000001\nvaultSecret/0000000000000000000000000000000\n", env=variables)
    assert r.code == 0, r
    assert_clean(seen(), "passphrase command")


def test_the_browser(credctl, home, moto, roles, tmp_path):
    console_files(home, moto, roles)
    path = fake_xdg_open(tmp_path)
    opener = tmp_path / "bin" / "xdg-open"
    opener.write_text(opener.read_text().replace("#!/bin/sh\n", f"#!/bin/sh\nenv -0 > {tmp_path}/browser.env\n", 1))
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    with FakeFederation() as fake:
        r = credctl("console", "--profile", "r1", env=console_env(moto, fake, PATH=path, XDG_RUNTIME_DIR=str(runtime),
                                                                   CREDCTL_CONSOLE_PAGE_SECONDS="1", **vault_variables(tmp_path)))
    assert r.code == 0, r
    seen = dict(e.split("=", 1) for e in (tmp_path / "browser.env").read_text().split("\0") if "=" in e)
    assert_clean(seen, "the browser")


def test_the_list_names_every_vault_variable_the_code_reads():
    """Every CREDCTL_VAULT_* name in the sources is withheld (the list is ChildEnvironment.withheld)."""
    import re
    root = BINARY.parents[2] if BINARY.parents[1].name == ".build" else BINARY.parents[3]
    sources = root / "Sources"
    names = set()
    for path in sources.rglob("*.swift"):
        names |= set(re.findall(r"CREDCTL_VAULT_[A-Z_]+", path.read_text()))
    listed = set(re.findall(r'"(CREDCTL_VAULT_[A-Z_]+)"', (sources / "Platform" / "ChildEnvironment.swift").read_text()))
    assert names and names <= listed, names - listed


def test_the_sso_login_browser(credctl, home, fake_sso, tmp_path):  # noqa: F811 (fake_sso is a fixture)
    write_config(home, SESSION_CONFIG)
    fake_sso.device_script = ["authorization_pending"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\nenv -0 > {tmp_path}/sso-browser.env.tmp; mv {tmp_path}/sso-browser.env.tmp {tmp_path}/sso-browser.env\n")
    opener.chmod(0o755)
    r = credctl("sso", "login", "--profile", "dev", "--use-device-code", env=dict(fake_sso.env(), PATH=f"{bin_dir}:{os.environ['PATH']}", DISPLAY=":0",
                                                             **vault_variables(tmp_path)), timeout=60)
    assert r.code == 0, r
    recorded = tmp_path / "sso-browser.env"
    for _ in range(100):
        if recorded.exists():
            break
        time.sleep(0.05)
    assert_clean(dict(e.split("=", 1) for e in recorded.read_text().split("\0") if "=" in e), "the sso login browser")
