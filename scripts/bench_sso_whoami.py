#!/usr/bin/env python3
"""whoami on an IAM Identity Center profile with a valid cached token and cached role
credentials, against whoami with static keys: the calls each makes (counted at the fake SSO
portal and at a recording proxy in front of moto) and the median wall time over RUNS runs each,
interleaved, on the same moto server.

    python3 scripts/bench_sso_whoami.py [--runs 21] [--credctl .build/release/credctl]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "integration"))
from fake_sso import FakeSSO  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402
from sso_support import SESSION_CONFIG, moto_role_credentials, seed_token  # noqa: E402

TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'


class Moto:
    def __init__(self, port):
        self.port, self.url = port, f"http://127.0.0.1:{port}"

    def client(self, service):
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=self.key, aws_secret_access_key=self.secret)


def start_moto():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    moto = Moto(port)
    iam = boto3.client("iam", endpoint_url=moto.url, region_name="us-east-1", aws_access_key_id="AKIAX", aws_secret_access_key="x")
    iam.create_user(UserName="bench")
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    moto.key, moto.secret = key["AccessKeyId"], key["SecretAccessKey"]
    moto.role = iam.create_role(RoleName="sso", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    return proc, moto


def timed(binary, args, env):
    start = time.perf_counter()
    proc = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {proc.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--credctl", default=str(HERE.parent / ".build" / "debug" / "credctl"))
    a = parser.parse_args()
    proc, moto = start_moto()
    home = Path(tempfile.mkdtemp(prefix="bench-sso-"))
    try:
        with FakeSSO(role_credentials=moto_role_credentials(moto, moto.role)) as fake, FaultProxy(moto) as sts:
            (home / ".aws").mkdir()
            (home / ".aws" / "config").write_text(SESSION_CONFIG)
            seed_token(home, fake)
            base = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
            sso_env = dict(base, **fake.env(), AWS_ENDPOINT_URL_STS=sts.url)
            static_env = dict(base, AWS_ACCESS_KEY_ID=moto.key, AWS_SECRET_ACCESS_KEY=moto.secret, AWS_REGION="us-east-1",
                              AWS_ENDPOINT_URL_STS=sts.url)
            timed(a.credctl, ["whoami", "--profile", "dev"], sso_env)  # fills the role-credentials cache
            portal_before, sts_before = len(fake.calls), len(sts.calls)
            timed(a.credctl, ["whoami", "--profile", "dev"], sso_env)
            print(f"one cached SSO whoami: {len(fake.calls) - portal_before} call(s) at the SSO portal, "
                  f"{len(sts.calls) - sts_before} at STS ({', '.join(c[0] for c in sts.calls[sts_before:])})")
            static, sso = [], []
            for _ in range(a.runs):
                static.append(timed(a.credctl, ["whoami"], static_env))
                sso.append(timed(a.credctl, ["whoami", "--profile", "dev"], sso_env))
            ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
            print(f"{a.runs} runs each, median: static keys {ms(static):.1f} ms, SSO profile (cached) {ms(sso):.1f} ms, "
                  f"ratio {ms(sso) / ms(static):.2f}")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
