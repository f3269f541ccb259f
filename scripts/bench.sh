#!/usr/bin/env bash
# Benchmarks credctl against the AWS CLI and botocore in one run, on the same moto server, and
# prints ratios. Figures in docs/benchmarks.md come from this script.
#   bash scripts/bench.sh [RUNS]      everything
#   bash scripts/bench.sh org         only the organisation-scale rows (scripts/bench_org.py, ~2.5 min)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
. scripts/lib/moto.sh
install_deps
if [ ! -x /usr/bin/time ]; then   # GNU time measures a command's peak memory
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y -qq time >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq time >/dev/null; }
fi
# The release build as it would ship: the Swift runtime linked statically (no Swift shared
# libraries to load at start-up).
echo "==> swift build -c release --static-swift-stdlib" >&2
swift build -c release --static-swift-stdlib -q 2>&1 | grep -v '^warning: ' || true
# Organisation scale (issue 20): its own moto (an organisation of 41 accounts), proxies adding a
# service's round trip and a rate limit.
python3 scripts/bench_org.py --credctl .build/release/credctl
[ "${1:-}" = org ] && exit 0
echo
start_moto
python3 scripts/bench.py --runs "${1:-21}" --moto "$MOTO_URL" --key-id "$ADMIN_KEY_ID" --secret "$ADMIN_SECRET" \
    --credctl .build/release/credctl --bench .build/release/credctl-bench
echo
# Issue 18's bar: a vault profile's cached session read vs a plaintext profile (its own moto).
python3 scripts/bench_vault.py --credctl .build/release/credctl --runs "${1:-21}"
echo
# Issue 26's bars: vault credential-process answered by the agent vs --version and vs the disk
# cache; the AWS CLI through the agent vs the AWS CLI with plaintext keys (its own moto and agent).
python3 scripts/bench_agent.py --credctl .build/release/credctl --runs "${1:-21}"
