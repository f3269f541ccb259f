"""Integration-test harness: builds nothing, starts real servers on free loopback ports, runs the
built credctl binary as a user would.

- `moto`: one moto_server per test session with signature checking and IAM policy enforcement on
  (INITIAL_NO_AUTH_ACTION_COUNT): the first unauthenticated calls create an admin user with an
  admin policy and a key; everything after that must be signed correctly.
- `credctl`: runs the binary with a clean environment (no real ~/.aws, no ambient AWS_* variables).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("CREDCTL_BIN", ROOT / ".build" / "debug" / "credctl"))
sys.path.insert(0, str(Path(__file__).parent))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


ADMIN_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


class Moto:
    def __init__(self, port, admin_key_id, admin_secret):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.admin_key_id = admin_key_id
        self.admin_secret = admin_secret

    def client(self, service, key_id=None, secret=None, token=None):
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=key_id or self.admin_key_id,
                            aws_secret_access_key=secret or self.admin_secret,
                            aws_session_token=token)


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    if shutil.which("moto_server") is None:
        pytest.fail("moto_server is not installed: pip install 'moto[server]'")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3", MOTO_ALLOW_NONEXISTENT_REGION="true")
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_port(port)
        bootstrap = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                 aws_access_key_id="AKIABOOTSTRAP0000000", aws_secret_access_key="bootstrap")
        bootstrap.create_user(UserName="admin")                                             # 1
        bootstrap.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=ADMIN_POLICY)  # 2
        key = bootstrap.create_access_key(UserName="admin")["AccessKey"]                    # 3
        yield Moto(port, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def home(tmp_path):
    """An empty home directory: no ~/.aws unless a test writes one."""
    h = tmp_path / "home"
    h.mkdir()
    return h


class Result:
    def __init__(self, proc, elapsed):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.elapsed = elapsed

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out!r}\nstderr: {self.err!r}>"


@pytest.fixture
def credctl(home):
    """Runs credctl with only the variables given (plus HOME and PATH)."""
    def run(*args, env=None, stdin=None, timeout=30):
        full_env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "AWS_EC2_METADATA_DISABLED": "true"}
        full_env.update(env or {})
        started = time.monotonic()
        proc = subprocess.run([str(BINARY), *args], env=full_env, input=stdin, capture_output=True,
                              text=True, timeout=timeout)
        return Result(proc, time.monotonic() - started)
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is not built: run swift build first")
    return run


@pytest.fixture
def admin_env(moto):
    return {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret,
            "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}


ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST_ANYONE = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="session")
def roles(moto):
    """Roles r1 and r2 in moto's account, assumable by anyone there, allowed everything."""
    iam = moto.client("iam")
    arns = {}
    for name in ("r1", "r2"):
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_ANYONE)["Role"]
        iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
        arns[name] = role["Arn"]
    return arns


def aws_cli(moto, *args):
    """Runs the AWS CLI against moto as the admin user; returns its stdout."""
    env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": moto.admin_key_id,
           "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_DEFAULT_REGION": "us-east-1"}
    proc = subprocess.run(["aws", "--endpoint-url", moto.url, *args], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def write_aws_files(home, config=None, credentials=None):
    aws = home / ".aws"
    aws.mkdir(exist_ok=True)
    if config is not None:
        (aws / "config").write_text(config)
    if credentials is not None:
        (aws / "credentials").write_text(credentials)
    return aws


# Session fixtures that take long to build are built once: every test using one runs in the
# same xdist worker (`--dist loadgroup`), not once per worker.
SHARED_WORLDS = {"org": "org"}


@pytest.hookimpl(tryfirst=True)   # before xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, group in SHARED_WORLDS.items():
            if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker("xdist_group"):
                item.add_marker(pytest.mark.xdist_group(group))
