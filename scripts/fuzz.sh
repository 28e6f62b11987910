#!/usr/bin/env bash
# Fuzzes the libFuzzer targets of tests/fuzz for longer than ./test.sh does: each target for
# SECONDS (default 300), one after another, in the asan build (ASan + UBSan), with the same
# options as its ctest test fuzz.<target>.run. Prints each target's executions and whether it
# crashed. New inputs go to build/asan/tests/fuzz/work/<target>/, crashes to
# build/asan/tests/fuzz/artifacts/<target>-*; a crash, once fixed, is kept under
# tests/fuzz/regressions/<target>/ (docs/security.md).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   targets: client_message server_session server_message recording snapshot items npcs tmj
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] ||
  targets=(client_message server_session server_message recording snapshot items npcs tmj)
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

cmake --preset asan > /dev/null
cmake --build build/asan --target fuzz_make_seeds "${targets[@]/#/fuzz_}"
build/asan/tests/fuzz/fuzz_make_seeds build/asan/tests/fuzz/made > /dev/null

# The command of each fuzz.<target>.run test, with the time replaced.
mkdir -p build/asan/tests/fuzz/logs
status=0
for t in "${targets[@]}"; do
  mapfile -t cmd < <(ctest --test-dir build/asan -R "^fuzz\.${t}\.run\$" --show-only=json-v1 |
    python3 -c '
import json, sys
# (The list also holds the fixtures the test needs, e.g. fuzz.make_seeds.)
tests = [t for t in json.load(sys.stdin)["tests"] if t["name"] == "fuzz.'"$t"'.run"]
if len(tests) != 1: sys.exit("fuzz.sh: no test fuzz.'"$t"'.run")
for arg in tests[0]["command"]:
    print("-max_total_time='"$seconds"'" if arg.startswith("-max_total_time=") else arg)')
  log=build/asan/tests/fuzz/logs/$t.log
  if "${cmd[@]}" > "$log" 2>&1; then result=ok; else result=CRASHED; status=1; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1)
  printf 'fuzz.sh: %-15s %4ss %10s executions, %s, %s (log: %s)\n' \
    "$t" "$seconds" "${execs:-?}" "${corpus:-corp: ?}" "$result" "$log"
done
exit $status
