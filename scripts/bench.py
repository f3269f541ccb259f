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


def peak_memory_mb(cmd, env):
    """Peak resident memory of one run of cmd, as GNU time reports it. (Python's own rusage for a
    child counts the forked interpreter's pages too, so it would overstate a small program.)"""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, check=True, capture_output=True, text=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def seed_parameters(ssm, root, services, per_service):
    """services x per_service SecureString parameters under root/SERVICE/NAME, written by 8 threads."""
    from concurrent.futures import ThreadPoolExecutor
    names = [f"{root}/S{s:02d}/P{n:03d}" for s in range(services) for n in range(per_service)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: ssm.put_parameter(Name=n, Value=f"value of {n}", Type="SecureString", Overwrite=True), names))
    return names


def warm_boto3_read(ssm, path, runs):
    """The server's floor for a hierarchy read: a warm client paging in-process, no start-up."""
    paginator = ssm.get_paginator("get_parameters_by_path")
    times, count = [], 0
    for _ in range(runs + 1):
        start = time.perf_counter()
        count = sum(len(page["Parameters"]) for page in paginator.paginate(Path=path, Recursive=True, WithDecryption=True))
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:] or times), count


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


def credctl_signing_rate(bench, count, mode="sign"):
    out = subprocess.run([bench, mode, str(count)], check=True, capture_output=True, text=True).stdout
    return float(out.split(": ")[1].split(" per second")[0])


def timed(cmd, env):
    """One run's wall time and peak memory (MB), through GNU time."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, int(out.stderr.strip().splitlines()[-1]) / 1024


def warm_boto3_writes(ssm, names):
    """The floor for writes: a warm client putting one parameter after another, in-process."""
    start = time.perf_counter()
    for n in names:
        ssm.put_parameter(Name=n, Value=f"value of {n}", Type="SecureString", Overwrite=True)
    return time.perf_counter() - start


def dotenv_file(count):
    path = tempfile.mktemp(suffix=".env")
    with open(path, "w") as f:
        for i in range(count):
            f.write(f"S{i // 1000:02d}/P{i % 1000:04d}='value of {i}'\n")
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=21)
    p.add_argument("--moto", required=True)
    p.add_argument("--key-id", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--credctl", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--large", action=argparse.BooleanOptionalAction, default=True,
                   help="also 10,000-parameter reads and writes (about 10 minutes on moto)")
    a = p.parse_args()

    home = tempfile.mkdtemp()
    env = {"HOME": home, "PATH": os.environ["PATH"], "AWS_ACCESS_KEY_ID": a.key_id, "AWS_SECRET_ACCESS_KEY": a.secret,
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    credctl = median_latency([a.credctl, "whoami", "--endpoint-url", a.moto, "--output", "json"], env, a.runs)
    aws = median_latency(["aws", "sts", "get-caller-identity", "--endpoint-url", a.moto], env, a.runs)
    version = subprocess.run([a.credctl, "--version"], env=env, check=True, capture_output=True)
    startup = median_latency([a.credctl, "--version"], env, a.runs)

    import boto3
    ssm = boto3.client("ssm", endpoint_url=a.moto, region_name="us-east-1", aws_access_key_id=a.key_id, aws_secret_access_key=a.secret)
    sm = boto3.client("secretsmanager", endpoint_url=a.moto, region_name="us-east-1", aws_access_key_id=a.key_id,
                      aws_secret_access_key=a.secret)
    seed_parameters(ssm, "/BENCH1K", 10, 100)
    sm.create_secret(Name="bench/db", SecretString='{"password": "bench"}')
    moto_env = dict(env, AWS_ENDPOINT_URL=a.moto)
    one = "/BENCH1K/S03/P042"
    get_ours = median_latency([a.credctl, "params", "get", one], moto_env, a.runs)
    get_aws = median_latency(["aws", "ssm", "get-parameter", "--name", one, "--with-decryption", "--endpoint-url", a.moto], env, a.runs)
    secret_ours = median_latency([a.credctl, "secrets", "get", "bench/db"], moto_env, a.runs)
    secret_aws = median_latency(["aws", "secretsmanager", "get-secret-value", "--secret-id", "bench/db", "--endpoint-url", a.moto],
                                env, a.runs)
    export_ours = median_latency([a.credctl, "creds", "export", "--format", "env"], env, a.runs)
    export_aws = median_latency(["aws", "configure", "export-credentials", "--format", "env"], env, a.runs) \
        if subprocess.run(["aws", "configure", "export-credentials", "help"], capture_output=True).returncode == 0 else None

    bulk_runs = max(5, a.runs // 3)
    bulk_ours = median_latency([a.credctl, "params", "get-path", "/BENCH1K", "--recursive", "--output", "json"], moto_env, bulk_runs)
    bulk_aws = median_latency(["aws", "ssm", "get-parameters-by-path", "--path", "/BENCH1K", "--recursive", "--with-decryption",
                               "--endpoint-url", a.moto], env, bulk_runs)
    floor, count = warm_boto3_read(ssm, "/BENCH1K", bulk_runs)
    assert count == 1000, count
    paths = [f"/BENCH1K/S{s:02d}" for s in range(10)]
    multi_ours = median_latency([a.credctl, "params", "export", *paths, "--format", "json"], moto_env, bulk_runs)

    ours = credctl_signing_rate(a.bench, 300_000)
    theirs = botocore_signing_rate(30_000)
    hashes = credctl_signing_rate(a.bench, 300_000, mode="hash")

    # Writes: 1,000 parameters through `params import` (4 at a time) against a warm boto3 loop.
    import_1k = dotenv_file(1000)
    write_ours, write_memory = timed([a.credctl, "params", "import", "/W1K", import_1k, "--type", "SecureString"], moto_env)
    # The reference writes go to another region (another moto backend), so that they do not slow
    # the reads of the parameters credctl wrote: moto's path reads cost grows with the region's size.
    ssm_west = boto3.client("ssm", endpoint_url=a.moto, region_name="us-west-2", aws_access_key_id=a.key_id, aws_secret_access_key=a.secret)
    write_floor = warm_boto3_writes(ssm_west, [f"/W1KB/P{i:04d}" for i in range(1000)])
    small_value = tempfile.mktemp()
    with open(small_value, "w") as f:
        f.write("a small value")
    put_ours = median_latency([a.credctl, "params", "put", "/BENCH1K/PUT", "--overwrite", "--value-file", small_value], moto_env, a.runs)
    put_aws = median_latency(["aws", "ssm", "put-parameter", "--name", "/BENCH1K/PUTAWS", "--value", "v", "--type", "SecureString",
                              "--overwrite", "--endpoint-url", a.moto], env, a.runs)

    # 10,000 parameters, one run each: moto's GetParametersByPath rebuilds the whole matching list
    # for every page of 10, so these figures are dominated by the server.
    large = None
    if a.large:
        import_10k = dotenv_file(10_000)
        large_write, large_write_mem = timed([a.credctl, "params", "import", "/B10K", import_10k, "--type", "SecureString"], moto_env)
        large_write_floor = warm_boto3_writes(ssm_west, [f"/B10KB/P{i:05d}" for i in range(10_000)])
        large_read, large_read_mem = timed([a.credctl, "params", "export", "/B10K", "--recursive", "--format", "dotenv"], moto_env)
        large_floor, large_count = warm_boto3_read(ssm, "/B10K", 0)
        assert large_count == 10_000, large_count
        large_aws, _ = timed(["aws", "ssm", "get-parameters-by-path", "--path", "/B10K", "--recursive", "--with-decryption",
                              "--endpoint-url", a.moto], env)
        large = (large_write, large_write_mem, large_write_floor, large_read, large_read_mem, large_floor, large_aws)

    # Peak memory of each command.
    sm.create_secret(Name="bench/big", SecretString="x" * 65536)
    memory = [(name, peak_memory_mb([a.credctl, *args], moto_env)) for name, args in [
        ("--version", ["--version"]),
        ("whoami", ["whoami"]),
        ("creds export", ["creds", "export", "--format", "env"]),
        ("params get", ["params", "get", one]),
        ("params get-path, 1,000 parameters", ["params", "get-path", "/BENCH1K", "--recursive", "--output", "json"]),
        ("params export, 10 paths concurrently", ["params", "export", *paths, "--format", "json"]),
        ("secrets get, 64 KB secret", ["secrets", "get", "bench/big"]),
        ("secrets list", ["secrets", "list"]),
        ("keys list", ["keys", "list"]),
        ("keys audit --all-users", ["keys", "audit", "--all-users"]),
        ("dynamodb tables", ["dynamodb", "tables"]),
        ("check iam-self", ["check", "iam-self"]),
        ("doctor --check ssm", ["doctor", "--check", "ssm:/BENCH1K/S00"]),
        ("policy show", ["policy", "show", "rotate-own-key"]),
    ]]
    memory.append(("params import, 1,000 parameters", write_memory))
    if large:
        memory += [("params import, 10,000 parameters", large[1]), ("params export, 10,000 parameters", large[4])]

    print(f"credctl benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, median of {a.runs} runs, moto on loopback")
    print()
    print("| measurement | credctl | reference | ratio |")
    print("|---|---|---|---|")
    print(f"| `whoami` vs `aws sts get-caller-identity` (median latency) | {credctl * 1000:.1f} ms | {aws * 1000:.1f} ms | {aws / credctl:.1f}x faster |")
    print(f"| SigV4 signing vs botocore `SigV4Auth.add_auth` (requests/s) | {ours:,.0f}/s | {theirs:,.0f}/s | {ours / theirs:.1f}x faster |")
    print(f"| SigV4 signing vs the raw hashing it needs (SHA-256 of payload and canonical request, one HMAC; same bytes) | {ours:,.0f}/s | {hashes:,.0f}/s | {hashes / ours:.1f}x the hash cost |")
    print(f"| `params get` vs `aws ssm get-parameter --with-decryption` | {get_ours * 1000:.1f} ms | {get_aws * 1000:.1f} ms | {get_aws / get_ours:.1f}x faster |")
    print(f"| `secrets get` vs `aws secretsmanager get-secret-value` | {secret_ours * 1000:.1f} ms | {secret_aws * 1000:.1f} ms | {secret_aws / secret_ours:.1f}x faster |")
    if export_aws is None:
        print(f"| `creds export --format env` (the AWS CLI v1 has no `configure export-credentials`) | {export_ours * 1000:.1f} ms | | |")
    else:
        print(f"| `creds export` vs `aws configure export-credentials` | {export_ours * 1000:.1f} ms | {export_aws * 1000:.1f} ms | {export_aws / export_ours:.1f}x faster |")
    print(f"| 1,000 parameters, `params get-path --recursive` vs `aws ssm get-parameters-by-path --recursive` (median of {bulk_runs}) | {bulk_ours * 1000:.0f} ms | {bulk_aws * 1000:.0f} ms | {bulk_aws / bulk_ours:.1f}x faster |")
    print(f"| 1,000 parameters, `params get-path --recursive` vs a warm boto3 client paging in-process (the server's floor) | {bulk_ours * 1000:.0f} ms | {floor * 1000:.0f} ms | {bulk_ours / floor:.2f}x the floor |")
    print(f"| 1,000 parameters as 10 paths, `params export` (paths read concurrently) vs the floor for one path | {multi_ours * 1000:.0f} ms | {floor * 1000:.0f} ms | {multi_ours / floor:.2f}x the floor |")
    print(f"| `params put --overwrite` vs `aws ssm put-parameter --overwrite` | {put_ours * 1000:.1f} ms | {put_aws * 1000:.1f} ms | {put_aws / put_ours:.1f}x faster |")
    print(f"| 1,000 parameters written, `params import` (4 at a time, one run) vs a warm boto3 loop | {write_ours * 1000:.0f} ms | {write_floor * 1000:.0f} ms | {write_floor / write_ours:.2f}x faster |")
    if large:
        lw, _, lwf, lr, _, lf, la = large
        print(f"| 10,000 parameters written, `params import` vs a warm boto3 loop (one run) | {lw:.1f} s | {lwf:.1f} s | {lwf / lw:.2f}x faster |")
        print(f"| 10,000 parameters read, `params export --recursive` vs `aws ssm get-parameters-by-path --recursive` (one run) | {lr:.1f} s | {la:.1f} s | {la / lr:.2f}x faster |")
        print(f"| 10,000 parameters read, `params export --recursive` vs a warm boto3 client (the server's floor, one run) | {lr:.1f} s | {lf:.1f} s | {lr / lf:.2f}x the floor |")
    print(f"| `credctl --version` (process start to exit) | {startup * 1000:.1f} ms | | |")
    print()
    print("| peak memory (GNU time, max RSS) | credctl |")
    print("|---|---|")
    for name, mb in memory:
        print(f"| `{name}` | {mb:.1f} MB |")


if __name__ == "__main__":
    main()
