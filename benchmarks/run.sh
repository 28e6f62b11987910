#!/usr/bin/env bash
# Builds Release and runs every Google Benchmark 3 times (client_frame_bench under Xvfb), writes
# each program's JSON to OUT (default build/release/benchmark-results/) and prints the median of
# every benchmark as one table.
#   benchmarks/run.sh [--filter REGEX] [--out DIR] [--repetitions N]
# The load test is separate: benchmarks/load/run.py (see docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
filter="."
out="build/release/benchmark-results"
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --repetitions) reps=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benchmarks/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
./scripts/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake --preset release > /dev/null
cmake --build --preset release
mkdir -p "$out"
programs=(world_bench gameplay_bench replay_bench protocol_bench server_bench client_bench client_frame_bench)
for p in "${programs[@]}"; do
  bin="build/release/benchmarks/$p"
  [ -x "$bin" ] || { echo "benchmarks/run.sh: $bin not built, skipped" >&2; continue; }
  echo "benchmarks/run.sh: $p" >&2
  cmd=("$bin" --benchmark_filter="$filter" --benchmark_repetitions="$reps"
       --benchmark_report_aggregates_only=true --benchmark_out="$out/$p.json"
       --benchmark_out_format=json)
  if [ "$p" = client_frame_bench ]; then cmd=(xvfb-run -a -s "-screen 0 1920x1080x24" "${cmd[@]}"); fi
  "${cmd[@]}" > /dev/null
done
/usr/bin/python3 - "$out" <<'PY'
import json, pathlib, sys
rows = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    data = json.loads(path.read_text())
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name") != "median":
            continue
        unit = b.get("time_unit", "ns")
        extra = {k: v for k, v in b.items() if k not in {
            "name", "family_index", "per_family_instance_index", "run_name", "run_type",
            "repetitions", "threads", "aggregate_name", "aggregate_unit", "iterations",
            "real_time", "cpu_time", "time_unit", "label"}}
        counters = ", ".join(f"{k}={v:.4g}" for k, v in sorted(extra.items())
                             if isinstance(v, (int, float)))
        rows.append((path.stem, b["run_name"], f'{b["real_time"]:.4g} {unit}',
                     f'{b["cpu_time"]:.4g} {unit}', counters))
w = [max(len(r[i]) for r in rows) if rows else 0 for i in range(4)]
print(f'{"program":<{w[0]}}  {"benchmark":<{w[1]}}  {"median real":>{w[2]}}  {"median CPU":>{w[3]}}  counters')
for r in rows:
    print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}  {r[4]}")
PY
