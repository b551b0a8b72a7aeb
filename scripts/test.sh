#!/usr/bin/env bash
# Runs the whole test suite from a build directory: the GoogleTest binary under
# CTest against SQLite and a private PostgreSQL cluster (scripts/with-postgres.sh),
# then the browser end-to-end tests (tests/e2e) unless NONGSAN_SKIP_E2E=1.
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export NONGSAN_BINARY="$ROOT/$BUILD_DIR/nongsan"
status=0
bash scripts/with-postgres.sh ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 --timeout 300 || status=$?

if [ "${NONGSAN_SKIP_E2E:-0}" != "1" ] && [ -d tests/e2e ] && [ -f tests/e2e/package.json ]; then
  bash tests/e2e/run.sh "$BUILD_DIR" || status=$?
fi
exit $status
