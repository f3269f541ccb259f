"""Issue 18's bar: `creds export --format process` of a vault profile with a cached session stays
within 2x of the same read of a plaintext profile. Starts its own moto (tests/integration/
moto_sessions.py, whose GetSessionToken credentials work), imports one user's key into a file
vault, fills the session cache once, then times, in one run and alternating:

  plaintext   creds export --format process --profile plain    (keys in ~/.aws/credentials)
  vault       creds export --format process --profile v        (credctl's chain reads the vault in-process)
  vault-cp    vault credential-process --profile v             (what the AWS CLI and SDKs run)

The timed vault runs get the passphrase: a stored session is sealed under the vault key, so
reading it unlocks the vault (scrypt) until an agent holds sessions in memory (issue 26).

    python3 scripts/bench_vault.py --credctl .build/release/credctl [--runs 31]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[1]
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(folder):
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="6")
    log = open(Path(folder) / "moto.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests/integration/moto_sessions.py"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIABOOTSTRAP0000000",
                       aws_secret_access_key="bootstrap")
    keys = []
    for user in ("bench-plain", "bench-vault"):   # import refuses a secret another profile also holds
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=POLICY)
        keys.append(iam.create_access_key(UserName=user)["AccessKey"])
    return proc, url, keys


def median_ms(cmd, env, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credctl", required=True)
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    credctl = str(Path(args.credctl).resolve())
    with tempfile.TemporaryDirectory() as home:
        proc, url, (plain, vaulted) = start_moto(home)
        try:
            aws = Path(home) / ".aws"
            aws.mkdir()
            (aws / "config").write_text("[profile plain]\nregion = us-east-1\n[profile v]\nregion = us-east-1\n")
            (aws / "credentials").write_text(f"[plain]\naws_access_key_id = {plain['AccessKeyId']}\naws_secret_access_key = {plain['SecretAccessKey']}\n"
                                             f"[v]\naws_access_key_id = {vaulted['AccessKeyId']}\naws_secret_access_key = {vaulted['SecretAccessKey']}\n")
            base = {"HOME": home, "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": url}
            unlock = dict(base, CREDCTL_VAULT_PASSPHRASE="bench passphrase 1")
            subprocess.run([credctl, "vault", "import", "--profile", "v"], env=unlock, check=True, capture_output=True)
            first = subprocess.run([credctl, "creds", "export", "--format", "process", "--profile", "v"], env=unlock, check=True,
                                   capture_output=True, text=True)
            assert json.loads(first.stdout)["AccessKeyId"].startswith("ASIA")
            commands = {
                "plaintext": [credctl, "creds", "export", "--format", "process", "--profile", "plain"],
                "vault": [credctl, "creds", "export", "--format", "process", "--profile", "v"],
                "vault-cp": [credctl, "vault", "credential-process", "--profile", "v"],
            }
            envs = {"plaintext": base, "vault": unlock, "vault-cp": unlock}
            for name, cmd in commands.items():  # warm the page cache
                subprocess.run(cmd, env=envs[name], check=True, capture_output=True)
            samples = {name: [] for name in commands}
            for _ in range(args.runs):  # alternating, so load on the machine hits all three alike
                for name, cmd in commands.items():
                    samples[name].append(median_ms(cmd, envs[name], 1))
        finally:
            proc.kill()
            proc.wait()
    medians = {name: statistics.median(v) for name, v in samples.items()}
    print(f"vault read vs plaintext read, median of {args.runs} runs each ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for name, ms in medians.items():
        print(f"  {name:10} {ms:7.1f} ms   {ms / medians['plaintext']:.2f}x")
    ratio = medians["vault"] / medians["plaintext"]
    print(f"bar (issue 18): vault within 2x of plaintext: {'met' if ratio <= 2 else 'NOT met'} ({ratio:.2f}x)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
