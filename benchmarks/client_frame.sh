#!/usr/bin/env bash
# The player client's frame time with 500 creatures walking in view, under Xvfb: the client's
# own CPU per frame (BM_ClientFrameCpu) and the whole frame drawn (BM_ClientFrameDrawn), each
# with its median and p99 frame time. Usage: benchmarks/client_frame.sh [BUILD_DIR] [REPETITIONS]
set -euo pipefail
build=${1:-build/release}
reps=${2:-3}
exec xvfb-run -a -s "-screen 0 1920x1080x24" "$build/benchmarks/client_frame_bench" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=false
