"""Every example command block of README.md and docs/*.md, run as written (doc_examples.py says
how blocks are found and marked). Each document runs in a world of its own: moto (with working
session credentials) on a free loopback port, a home whose ~/.aws holds the profiles the docs
name, stand-ins for the scripts and tools the examples call, and the state the document assumes
(parameters, secrets, a table) made beforehand with boto3. Blocks run in document order, so a
walk-through fails where a newcomer following it would.
"""
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from conftest import ADMIN_POLICY, BINARY, ROOT, free_port, wait_for_port
from doc_examples import command_blocks

BLOCKS = command_blocks(ROOT)
RUN = [b for b in BLOCKS if not b.skip_reason and "synopsis" not in b.marker]
DOCS = sorted({b.doc for b in RUN})
PASSPHRASE = "doc example passphrase"
REGION = "eu-west-1"


def test_every_command_block_runs_or_says_why():
    """A block that runs credctl is a runnable `sh` block, a synopsis, or skipped with a reason."""
    for block in BLOCKS:
        assert block.lang in ("sh", "console") or block.skip_reason or "transcript" in block.marker, \
            f"{block.name}: a command block must be ```sh (or marked skip/synopsis/transcript)"
        if "skip" in block.marker:
            assert len(block.skip_reason) > 10, f"{block.name}: a skipped example says why"
    assert len([c for b in RUN for c in b.commands()]) >= 60, "the doc runner found fewer examples than the docs hold"


def help_text(words):
    proc = subprocess.run([str(BINARY), *words, "--help"], capture_output=True, text=True, timeout=30,
                          env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", "COLUMNS": "200"})
    assert proc.returncode == 0, (words, proc.stderr)
    return proc.stdout


@pytest.mark.parametrize("block", [b for b in BLOCKS if "synopsis" in b.marker], ids=lambda b: b.name)
def test_synopsis_names_only_real_options(block):
    commands = []
    for line in block.text.splitlines():
        if line.strip().startswith("credctl "):
            commands.append(line)
        elif line.strip() and commands:
            commands[-1] += " " + line.strip()
    for command in commands:
        words = [w for w in shlex.split(command.replace("[", " ").replace("]", " ").replace("|", " ")) if w != "\\"]
        path = []
        for w in words[1:]:
            if w.startswith("-") or w.isupper() or not re.fullmatch(r"[a-z][a-z-]*", w):
                break
            path.append(w)
        text = help_text(path)
        for option in re.findall(r"--[a-z][a-z-]*", command):
            assert option in text, f"{block.name}: `{option}` is not an option of credctl {' '.join(path)}"


class World:
    """One document's emulator, home and working folder."""

    def __init__(self, folder):
        self.folder = folder
        self.home = folder / "home"
        self.cwd = folder / "work"
        self.bin = folder / "bin"
        for d in (self.home / ".aws", self.cwd, self.bin):
            d.mkdir(parents=True)
        self.log = open(folder / "moto.log", "w")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "moto_sessions.py"), "-H", "127.0.0.1",
                                      "-p", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_for_port(self.port)
        iam = self.client("iam", "AKIABOOTSTRAP0000000", "bootstrap")
        iam.create_user(UserName="admin")
        iam.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=ADMIN_POLICY)
        key = iam.create_access_key(UserName="admin")["AccessKey"]
        self.admin = (key["AccessKeyId"], key["SecretAccessKey"])
        (self.bin / "credctl").symlink_to(BINARY.resolve())

    def close(self):
        # An agent a document started (docs/agent.md) goes with its world, even when a block failed.
        subprocess.run([str(BINARY), "agent", "stop"], env=self.env(), capture_output=True, timeout=30)
        self.proc.kill()
        self.proc.wait()
        self.log.close()

    def client(self, service, key_id=None, secret=None):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id=key_id or self.admin[0], aws_secret_access_key=secret or self.admin[1])

    def profiles(self, credentials, config):
        (self.home / ".aws" / "credentials").write_text(credentials)
        os.chmod(self.home / ".aws" / "credentials", 0o600)
        (self.home / ".aws" / "config").write_text(config)

    def user_key(self, name, policy=ADMIN_POLICY):
        iam = self.client("iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def script(self, name, text, where=None):
        path = (where or self.cwd) / name
        path.write_text("#!/bin/sh\n" + text)
        path.chmod(0o755)

    def env(self):
        return {"HOME": str(self.home), "PATH": f"{self.bin}:{os.environ['PATH']}", "AWS_ENDPOINT_URL": self.url,
                "AWS_EC2_METADATA_DISABLED": "true", "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE,
                "NEW": "a new value from a pipe", "EXTERNAL_ID": "doc-example-external-id", "COLUMNS": "120"}

    def run(self, block):
        allowed = " ".join(str(c) for c in sorted(block.allowed_exits))
        lines = ["set -o pipefail", f'__allowed=" {allowed} "',
                 '__check() { case "$__allowed" in *" $1 "*) ;; *) printf "\\n== exit %s: %s\\n" "$1" "$2" >&2; exit 97;; esac; }']
        for command in block.commands():
            lines += [command, f"__check $? {shlex.quote(command)}"]
        proc = subprocess.run(["bash", "-c", "\n".join(lines)], cwd=self.cwd, env=self.env(), capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, f"{block.name} failed:\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        return proc


def default_profiles(world, extra_credentials="", extra_config="", default_keys=True):
    key_id, secret = world.admin
    world.profiles(
        (f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\n" if default_keys else "") +
        f"[admin]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\n"
        f"[demo]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n{extra_credentials}",
        f"[default]\nregion = {REGION}\n[profile admin]\nregion = {REGION}\n[profile demo]\nregion = {REGION}\n{extra_config}")


def params_state(world):
    ssm = world.client("ssm")
    for name, value, kind in [("/ELASMETRICS/STAGING/MYSQL/PASSWORD", "s3cret pass #1", "SecureString"),
                              ("/ELASMETRICS/STAGING/MYSQL/USER", "elasmetrics", "String"),
                              ("/APP/STAGING/DB/HOST", "db.internal", "String")]:
        ssm.put_parameter(Name=name, Value=value, Type=kind)


def secrets_state(world):
    (world.cwd / "db.json").write_text('{"username": "app", "password": "from a file"}')


def table_state(world):
    world.client("dynamodb").create_table(
        TableName="metrics", KeySchema=[{"AttributeName": "host", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "host", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    world.client("dynamodb").put_item(TableName="metrics", Item={"host": {"S": "web-1"}, "cpu": {"N": "42"}})


def doctor_world(world):
    default_profiles(world)
    params_state(world)
    world.client("secretsmanager").create_secret(Name="prod/db", SecretString='{"username": "app", "password": "pw"}')
    table_state(world)
    key_id, secret = world.user_key("grafana-dynamodb-user")
    with open(world.home / ".aws" / "credentials", "a") as f:
        f.write(f"\n[grafana]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    with open(world.home / ".aws" / "config", "a") as f:
        f.write(f"[profile grafana]\nregion = {REGION}\n")


def creds_world(world):
    role = world.client("iam").create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
    world.client("iam").put_role_policy(RoleName="deploy", PolicyName="all", PolicyDocument=ADMIN_POLICY)
    # No keys in [default]: an SDK in a child of `--server` would take them before the endpoint
    # (credctl refuses to start it then, as creds.md says).
    default_profiles(world, default_keys=False, extra_config=f"[profile prod-admin]\nrole_arn = {role['Role']['Arn']}\nsource_profile = admin\n"
                                         f"region = {REGION}\n")
    world.script("terraform", 'echo "terraform $* as $AWS_ACCESS_KEY_ID"\n', world.bin)
    world.script("long-job.sh", 'python3 -c "import boto3; print(boto3.client(\'sts\').get_caller_identity()[\'Arn\'])"\n')


def rotation_world(world):
    default_profiles(world)
    table_state(world)
    # Grafana's data-source key: an IAM user whose key is kept in a secret and in Grafana itself.
    key_id, secret = world.user_key("grafana-reader")
    document = json.dumps({"url": "http://grafana:3000", "AccessKeyId": key_id, "SecretAccessKey": secret})
    world.client("secretsmanager").create_secret(Name="grafana/datasource", SecretString=document)
    (world.home / "grafana-datasource.json").write_text(document)
    world.script("push-key-to-grafana.sh", 'cat > "$HOME/grafana-datasource.json"\n')
    world.script("grafana-datasource-health.sh", 'grep -q "$CREDCTL_NEW_ACCESS_KEY_ID" "$HOME/grafana-datasource.json"\n')


def vault_world(world):
    default_profiles(world)
    key_id, secret = world.user_key("prod-user")
    with open(world.home / ".aws" / "credentials", "a") as f:
        f.write(f"\n[prod]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    with open(world.home / ".aws" / "config", "a") as f:
        f.write(f"[profile prod]\nregion = {REGION}\n")
    ci_id, ci_secret = world.user_key("ci-user")
    (world.cwd / "keys.txt").write_text(f"{ci_id}\n{ci_secret}\n")


def params_world(world):
    default_profiles(world)
    params_state(world)
    world.script("server", 'test -n "$PASSWORD" && test -n "$USER" && echo "server started"\n')


def secrets_world(world):
    default_profiles(world)
    secrets_state(world)


WORLDS = {"docs/doctor.md": doctor_world, "docs/creds.md": creds_world, "docs/rotation.md": rotation_world,
          "docs/vault.md": vault_world, "docs/params.md": params_world, "docs/secrets.md": secrets_world}


@pytest.mark.parametrize("doc", DOCS)
def test_doc_examples_run_in_order(doc, tmp_path):
    world = World(tmp_path)
    try:
        WORLDS.get(doc, default_profiles)(world)
        for block in [b for b in RUN if b.doc == doc]:
            if "transcript" in block.marker:
                check_transcript(world, block)
            else:
                world.run(block)
    finally:
        world.close()


def check_transcript(world, block):
    """`$ COMMAND` lines run; each shown output line's label must be the label of the same line."""
    lines = block.text.splitlines()
    command = lines[0].removeprefix("$ ")
    shown = [l.split("  ")[0] for l in lines[1:] if l.strip()]
    out = world.run(type(block)(block.doc, block.line, "sh", command + "\n", {})).stdout
    got = [l.split("  ")[0] for l in out.splitlines() if l.strip()]
    assert got == shown, f"{block.name}: the output's lines are {got}, the docs show {shown}"
