"""Organisation-scale benchmarks (issue 20), one run, ratios; called by scripts/bench.sh.

1. `keys audit --org` over 40 member accounts of 10 users (plus the management account) against
   scripts/org_audit_boto3.py, the sequential boto3 walk a team writes today; both through a
   proxy that adds 40 ms to every call (a real service's round trip; loopback moto would hide
   what concurrency buys). Target: at least 5x faster. Their findings must agree.
2. credctl's peak memory for that audit (GNU time, max RSS). Target: under 40 MB.
3. A 2,000-parameter `params export` through a proxy that limits SSM to 20 calls a second (and
   adds 40 ms), with `AWS_RETRY_MODE=adaptive`, against the limit's floor: the calls it needed
   divided by the allowed rate. Target: within 1.3x. Standard mode alongside, for contrast.

    python3 scripts/bench_org.py --credctl .build/release/credctl
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from moto_org import ClockMoto, build_org, client  # noqa: E402
from rate_proxy import RateLimitProxy  # noqa: E402


def run_timed(cmd, env):
    """Wall time, peak memory (MB, GNU time) and the completed process."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024
    return elapsed, peak, proc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--credctl", required=True)
    p.add_argument("--members", type=int, default=40)
    p.add_argument("--users", type=int, default=10)
    p.add_argument("--latency", type=float, default=0.04)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--parameters", type=int, default=2000)
    p.add_argument("--rate", type=float, default=20)
    a = p.parse_args()

    work = tempfile.mkdtemp()
    moto = ClockMoto(work)
    try:
        started = time.perf_counter()
        org = build_org(moto, members=a.members, users=a.users, broken=False)
        build = time.perf_counter() - started
        base = {"HOME": work, "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}

        # 1 and 2: the organisation audit, both sides through the same 40 ms proxy.
        with RateLimitProxy(moto.port, latency=a.latency) as proxy:
            env = dict(base, **org.env(AWS_ENDPOINT_URL=proxy.url))
            ours, peak, proc = run_timed([a.credctl, "keys", "audit", "--org", "--concurrency", str(a.concurrency),
                                          "--max-age", "90d", "--unused", "30d", "--output", "json"], env)
            assert proc.returncode == 1, proc.stderr
            doc = json.loads(proc.stdout)
            our_calls = sum(proxy.actions.values())
            proxy.reset_counts()
            theirs, _, ref = run_timed([sys.executable, str(ROOT / "scripts" / "org_audit_boto3.py"), "--endpoint-url", proxy.url], env)
            assert ref.returncode == 0, ref.stderr
            their_calls = sum(proxy.actions.values())
        reference = json.loads(ref.stdout)
        mine = {(f["AccountId"], f["UserName"], f["AccessKeyId"], f["Finding"]) for f in doc["Findings"]}
        assert mine == {(f["AccountId"], f["UserName"], f["AccessKeyId"], f["Finding"]) for f in reference["Findings"]}, "findings differ"
        assert doc["UsersChecked"] == reference["UsersChecked"] and not reference["Failed"]
        methods = {m: sum(1 for x in doc["Accounts"] if x["Method"] == m) for m in ("credential-report", "per-user")}

        # 3: a 2,000-parameter export at 20 calls a second.
        ssm = client(moto.url, "ssm", org.admin_key_id, org.admin_secret)
        names = [f"/BULK2K/S{i // 100:02d}/P{i % 100:03d}" for i in range(a.parameters)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: ssm.put_parameter(Name=n, Value=f"value of {n}", Type="SecureString"), names))
        export = {}
        for mode in ("adaptive", "standard"):
            with RateLimitProxy(moto.port, rate=a.rate, latency=a.latency, services=("ssm",)) as proxy:
                env = dict(base, **org.env(AWS_ENDPOINT_URL=proxy.url, AWS_RETRY_MODE=mode))
                elapsed, _, proc = run_timed([a.credctl, "params", "export", "/BULK2K", "--recursive", "--format", "dotenv"], env)
                export[mode] = (elapsed, proc.returncode, proc.stdout.count("\n"), proxy.forwarded["ssm"], proxy.throttled["ssm"],
                                dict(proxy.actions), proc.stderr.strip().splitlines()[-2:-1] or [""])  # the last line is GNU time's
            time.sleep(1.5)
    finally:
        moto.stop()

    elapsed, code, lines, admitted, throttled, actions, note = export["adaptive"]
    assert code == 0 and lines == a.parameters, (code, lines, note)
    floor = admitted / a.rate
    by_path_floor = -(-a.parameters // 10) / a.rate
    s_elapsed, s_code, s_lines, s_admitted, s_throttled, _, s_note = export["standard"]

    accounts = a.members + 1
    print(f"credctl organisation benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, one run; moto on loopback behind a proxy adding {a.latency * 1000:.0f} ms a call "
          f"(organisation of {accounts} accounts, {doc['UsersChecked']} users, {len(doc['Keys'])} keys built in {build:.1f} s)")
    print()
    print("| measurement | credctl | reference | ratio |")
    print("|---|---|---|---|")
    print(f"| `keys audit --org --concurrency {a.concurrency}` vs a sequential boto3 walk ({accounts} accounts, {doc['UsersChecked']} users; "
          f"same {len(mine)} findings; {our_calls} vs {their_calls} calls: credential report in {methods['credential-report']} accounts, "
          f"per-user calls in {methods['per-user']}) | {ours:.2f} s | {theirs:.2f} s | {theirs / ours:.1f}x faster |")
    print(f"| peak memory of that audit (GNU time, max RSS) | {peak:.1f} MB | target 40 MB | |")
    print(f"| {a.parameters:,}-parameter `params export --recursive`, SSM limited to {a.rate:.0f} calls/s, adaptive mode "
          f"({admitted} calls admitted; made: {actions.get('GetParametersByPath', 0)} GetParametersByPath, {actions.get('DescribeParameters', 0)} "
          f"DescribeParameters, {actions.get('GetParameters', 0)} GetParameters, of which {throttled} throttled) vs its floor (admitted ÷ rate) "
          f"| {elapsed:.1f} s | {floor:.1f} s | {elapsed / floor:.2f}x the floor |")
    print(f"| the same export vs the floor of the fewest calls possible ({-(-a.parameters // 10)} GetParametersByPath pages ÷ rate) "
          f"| {elapsed:.1f} s | {by_path_floor:.1f} s | {elapsed / by_path_floor:.2f}x |")
    outcome = "complete" if s_code == 0 and s_lines == a.parameters else f"exit {s_code}: {s_note[0][:120]}"
    print(f"| the same export in standard mode ({s_admitted} admitted, {s_throttled} throttled) | {s_elapsed:.1f} s, {outcome} | | |")


if __name__ == "__main__":
    main()
