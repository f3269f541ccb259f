"""Issue 26's bars, in one run, alternating: what `credctl agent` costs a caller.

  version     credctl --version                                   (the floor: start-up alone)
  agent-cp    vault credential-process --profile v, agent running (answered from the agent's memory)
  disk-cp     vault credential-process --profile v, no agent      (today's path: the session sealed in the vault, unlocked each run)
  aws-agent   aws sts get-caller-identity --profile v             (the AWS CLI through credential_process and the agent)
  aws-plain   aws sts get-caller-identity --profile plain         (the AWS CLI with plaintext keys)

Bars: agent-cp within 1.3x of version; aws-agent within 1.05x of aws-plain. Starts its own moto
(tests/integration/moto_sessions.py) and its own agent on a private socket; no timed run through
the agent gets a passphrase (disk-cp needs one: a stored session is sealed under the vault key).

    python3 scripts/bench_agent.py --credctl .build/release/credctl [--runs 21]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_vault import start_moto


def once_ms(cmd, env):
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credctl", required=True)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    credctl = str(Path(args.credctl).resolve())
    with tempfile.TemporaryDirectory() as home:
        proc, url, (plain, vaulted) = start_moto(home)
        runtime = tempfile.mkdtemp(prefix="bench-agent-", dir="/tmp")
        os.chmod(runtime, 0o700)
        base = {"HOME": home, "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": url}
        with_agent = dict(base, CREDCTL_AGENT_SOCKET=f"{runtime}/agent.sock")
        without = dict(base, CREDCTL_AGENT_SOCKET="off")
        try:
            aws = Path(home) / ".aws"
            aws.mkdir()
            (aws / "config").write_text("[profile plain]\nregion = us-east-1\n[profile v]\nregion = us-east-1\n")
            (aws / "credentials").write_text(f"[plain]\naws_access_key_id = {plain['AccessKeyId']}\naws_secret_access_key = {plain['SecretAccessKey']}\n"
                                             f"[v]\naws_access_key_id = {vaulted['AccessKeyId']}\naws_secret_access_key = {vaulted['SecretAccessKey']}\n")
            unlock = {"CREDCTL_VAULT_PASSPHRASE": "bench passphrase 1"}
            subprocess.run([credctl, "vault", "import", "--profile", "v"], env={**without, **unlock}, check=True, capture_output=True)
            cp = [credctl, "vault", "credential-process", "--profile", "v"]
            # The disk cache for today's path; the agent's own session, obtained once with the passphrase.
            subprocess.run(cp, env={**without, **unlock}, check=True, capture_output=True)
            subprocess.run([credctl, "agent", "start"], env=with_agent, check=True, capture_output=True)
            served = json.loads(subprocess.run(cp, env={**with_agent, **unlock}, check=True, capture_output=True, text=True).stdout)
            assert served["AccessKeyId"].startswith("ASIA")
            runs = {
                "version": ([credctl, "--version"], with_agent),
                "agent-cp": (cp, with_agent),
                "disk-cp": (cp, {**without, **unlock}),
                "aws-agent": (["aws", "sts", "get-caller-identity", "--profile", "v"], with_agent),
                "aws-plain": (["aws", "sts", "get-caller-identity", "--profile", "plain"], with_agent),
            }
            for cmd, env in runs.values():  # warm the page cache
                subprocess.run(cmd, env=env, check=True, capture_output=True)
            samples = {name: [] for name in runs}
            for _ in range(args.runs):  # alternating, so the machine's load hits every row alike
                for name, (cmd, env) in runs.items():
                    samples[name].append(once_ms(cmd, env))
        finally:
            subprocess.run([credctl, "agent", "stop"], env=with_agent, capture_output=True)
            proc.kill()
            proc.wait()
    m = {name: statistics.median(v) for name, v in samples.items()}
    print(f"credctl agent, median of {args.runs} alternating runs each ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for name, ms in m.items():
        print(f"  {name:10} {ms:8.1f} ms")
    cp_ratio, aws_ratio = m["agent-cp"] / m["version"], m["aws-agent"] / m["aws-plain"]
    print(f"  agent-cp / version    {cp_ratio:.2f}x   (bar: <= 1.3x: {'met' if cp_ratio <= 1.3 else 'NOT met'})")
    print(f"  agent-cp / disk-cp    {m['agent-cp'] / m['disk-cp']:.2f}x")
    print(f"  aws-agent / aws-plain {aws_ratio:.2f}x   (bar: <= 1.05x: {'met' if aws_ratio <= 1.05 else 'NOT met'})")
    return 0 if cp_ratio <= 1.3 and aws_ratio <= 1.05 else 1


if __name__ == "__main__":
    sys.exit(main())
