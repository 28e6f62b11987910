#!/usr/bin/env bash
# Measures the state hash's share of World::step: runs BM_WorldStep from world_bench and from
# world_bench_nohash (libworld without hash maintenance) alternately, REPS times each, and prints
# the share from the medians and from the minima (the least disturbed runs: on a shared machine
# the minimum is the steadier estimate). Usage: scripts/bench-hash-share.sh [BUILD_DIR] [REPS]
set -euo pipefail
build=${1:-build/release}
reps=${2:-5}
declare -A times
for npcs in 10000 100000; do times[$npcs-with]=""; times[$npcs-without]=""; done
for ((i = 0; i < reps; i++)); do
  for variant in with without; do
    bin="$build/benchmarks/world_bench"; [ $variant = without ] && bin="${bin}_nohash"
    while read -r name t; do
      times[${name##*/}-$variant]+="$t "
    done < <("$bin" --benchmark_filter='BM_WorldStep/' --benchmark_min_time=0.5 \
               --benchmark_format=csv 2>/dev/null | awk -F, '/^"BM_WorldStep/ {gsub(/"/,"",$1); print $1, $4}')
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
minimum() { tr ' ' '\n' | grep -v '^$' | sort -g | head -n 1; }
for npcs in 10000 100000; do
  with=$(echo "${times[$npcs-with]}" | median)
  without=$(echo "${times[$npcs-without]}" | median)
  with_min=$(echo "${times[$npcs-with]}" | minimum)
  without_min=$(echo "${times[$npcs-without]}" | minimum)
  awk -v n=$npcs -v a="$with" -v b="$without" -v c="$with_min" -v d="$without_min" 'BEGIN {
    printf "%6d NPCs: median tick %.1f us (%.2f ns/NPC) with hash, %.1f us without: share %.1f%%;", n, a, a * 1000 / n, b, (a - b) * 100 / a
    printf " minimum %.1f vs %.1f us: share %.1f%%\n", c, d, (c - d) * 100 / c }'
done
