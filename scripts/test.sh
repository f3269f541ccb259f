#!/usr/bin/env bash
# Every test: installs what is missing, builds, runs the Swift unit tests (SigV4 vectors
# included) and the integration tests (the built binary against moto and loopback servers).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
. scripts/lib/release.sh
install_deps
# The commit --version names (Package.swift passes it to one C file): the same for the debug
# build here and the release builds of tests/integration/test_install.py, so neither relinks the other.
export CREDCTL_COMMIT=${CREDCTL_COMMIT:-$(build_commit)}
echo "==> swift build --build-tests" >&2
# Zero compiler warnings in credctl's own sources and tests (a dependency's are not ours). A
# warning is printed only when its file is compiled, so a fresh clone (CI) sees every one.
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
swift build --build-tests 2>&1 | tee "$build_log"
if grep -E "^$PWD/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$build_log" >&2; then
    echo "==> the build printed compiler warnings (above): fix them" >&2
    exit 1
fi
echo "==> swift test" >&2
swift test --skip-build
# The integration tests mostly wait (servers, children, timeouts): four workers on two cores
# (docs/testing.md); tests sharing an expensive world stay in one worker (xdist_group).
echo "==> integration tests" >&2
python3 -m pytest -q -p no:benchmark -n 4 --dist loadgroup tests/integration
