#!/usr/bin/env bash
# Every test: installs what is missing, builds, runs the Swift unit tests (SigV4 vectors
# included) and the integration tests (the built binary against moto and loopback servers).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
install_deps
echo "==> swift build --build-tests" >&2
swift build --build-tests
echo "==> swift test" >&2
swift test --skip-build
echo "==> integration tests" >&2
python3 -m pytest -q tests/integration
