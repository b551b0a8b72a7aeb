#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (default
# 60) and prints, per target, the executions and the crashes. Usage:
#   bash scripts/fuzz.sh [BUILD_DIR]        (BUILD_DIR configured with -DNONGSAN_FUZZ=ON, clang)
# The kept corpus tests/fuzz/<target>/ is read, never written: new inputs go
# to BUILD_DIR/fuzz-corpus/<target>/, crashes to BUILD_DIR/fuzz-crashes/.
# A crash found: minimise it, copy it into tests/fuzz/<target>/ (it becomes
# a regression case of FuzzRegression in the normal suite), fix, rerun.
# Exit status 1 when any target crashed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
# Inputs longer than this are not tried: every parser here has its own,
# larger limit, and long inputs only slow the search down.
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-4096}
# Memory per fuzzing process (MB); the machine is shared.
FUZZ_RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-1024}

targets=$(ls "$BUILD_DIR"/fuzz_* 2>/dev/null | grep -v '\.' || true)
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz_* binaries in $BUILD_DIR (build with: make fuzz)" >&2
  exit 2
fi
mkdir -p "$BUILD_DIR/fuzz-crashes"
status=0
printf '%-16s %12s %10s %8s\n' target executions exec/s crashes
for binary in $targets; do
  name=$(basename "$binary"); name=${name#fuzz_}
  work="$BUILD_DIR/fuzz-corpus/$name"
  mkdir -p "$work"
  log="$BUILD_DIR/fuzz-crashes/$name.log"
  "$binary" -max_total_time="$FUZZ_SECONDS" -max_len="$FUZZ_MAX_LEN" -rss_limit_mb="$FUZZ_RSS_LIMIT_MB" \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/fuzz-crashes/$name-" \
    "$work" "tests/fuzz/$name" > "$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(ls "$BUILD_DIR/fuzz-crashes/$name-"* 2>/dev/null | wc -l)
  printf '%-16s %12s %10s %8s\n' "$name" "${execs:-?}" "${speed:-?}" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    echo "fuzz: $name failed (exit $rc); see $log" >&2
    grep -m5 -E 'ERROR|property violated|SUMMARY' "$log" >&2 || true
  fi
done
exit $status
