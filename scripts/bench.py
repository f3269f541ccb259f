"""The measurements behind scripts/bench.sh. Every figure is taken in this one run."""
import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time


def median_latency(cmd, env, runs):
    subprocess.run(cmd, env=env, check=True, capture_output=True)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def botocore_signing_rate(count):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    # The same three requests credctl-bench signs.
    requests = [
        ("sts", "POST", "https://sts.us-east-1.amazonaws.com/",
         {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, b"Action=GetCallerIdentity&Version=2011-06-15"),
        ("ssm", "POST", "https://ssm.us-east-1.amazonaws.com/",
         {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParametersByPath"},
         b'{"Path":"/ELASMETRICS/STAGING","Recursive":true,"WithDecryption":true}'),
        ("iam", "GET", "https://iam.amazonaws.com/?Action=ListAccessKeys&UserName=grafana-dynamodb-user&Version=2010-05-08", {}, b""),
    ]
    signers = {service: SigV4Auth(creds, service, "us-east-1") for service, *_ in requests}
    start = time.perf_counter()
    for i in range(count):
        service, method, url, headers, body = requests[i % 3]
        signers[service].add_auth(AWSRequest(method=method, url=url, headers=dict(headers), data=body))
    return count / (time.perf_counter() - start)


def credctl_signing_rate(bench, count):
    out = subprocess.run([bench, "sign", str(count)], check=True, capture_output=True, text=True).stdout
    return float(out.split(": ")[1].split(" per second")[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=21)
    p.add_argument("--moto", required=True)
    p.add_argument("--key-id", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--credctl", required=True)
    p.add_argument("--bench", required=True)
    a = p.parse_args()

    home = tempfile.mkdtemp()
    env = {"HOME": home, "PATH": os.environ["PATH"], "AWS_ACCESS_KEY_ID": a.key_id, "AWS_SECRET_ACCESS_KEY": a.secret,
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    credctl = median_latency([a.credctl, "whoami", "--endpoint-url", a.moto, "--output", "json"], env, a.runs)
    aws = median_latency(["aws", "sts", "get-caller-identity", "--endpoint-url", a.moto], env, a.runs)
    version = subprocess.run([a.credctl, "--version"], env=env, check=True, capture_output=True)
    startup = median_latency([a.credctl, "--version"], env, a.runs)

    ours = credctl_signing_rate(a.bench, 300_000)
    theirs = botocore_signing_rate(30_000)

    print(f"credctl benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, median of {a.runs} runs, moto on loopback")
    print()
    print("| measurement | credctl | reference | ratio |")
    print("|---|---|---|---|")
    print(f"| `whoami` vs `aws sts get-caller-identity` (median latency) | {credctl * 1000:.1f} ms | {aws * 1000:.1f} ms | {aws / credctl:.1f}x faster |")
    print(f"| SigV4 signing vs botocore `SigV4Auth.add_auth` (requests/s) | {ours:,.0f}/s | {theirs:,.0f}/s | {ours / theirs:.1f}x faster |")
    print(f"| `credctl --version` (process start to exit) | {startup * 1000:.1f} ms | | |")


if __name__ == "__main__":
    main()
