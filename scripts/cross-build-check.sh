#!/usr/bin/env bash
# Determinism across builds: compiles the golden scenario runner with g++ and clang++ at -O0 and
# -O2, runs each for TICKS ticks and requires all four "tick hash" sequences to be identical.
# Each build also verifies the committed golden recording (tests/data/golden.amrec), made by
# another build: a recording must replay bit for bit whichever compiler built the replayer.
# Usage: scripts/cross-build-check.sh OUT_DIR [TICKS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: cross-build-check.sh OUT_DIR [TICKS]}
ticks=${2:-1500}
mkdir -p "$out"
launcher=()
command -v ccache >/dev/null && launcher=(ccache)

lib_sources=("$root"/libworld/src/*.cpp "$root"/tests/support/scenarios.cpp)
build() {  # compiler opt
  local cxx=$1 opt=$2 dir="$out/$1$2"
  mkdir -p "$dir"
  local objs=()
  for src in "${lib_sources[@]}" "$root"/tests/determinism/golden_runner.cpp "$root"/tests/determinism/verify_runner.cpp; do
    local obj="$dir/$(basename "${src%.cpp}").o"
    "${launcher[@]}" "$cxx" -std=c++20 "$opt" -Wall -Wextra -Wpedantic -Werror \
      -I"$root/libworld/include" -I"$root/tests/support" -c "$src" -o "$obj"
    objs+=("$obj")
  done
  local lib_objs=("${objs[@]:0:${#lib_sources[@]}}")
  "$cxx" "${lib_objs[@]}" "$dir/golden_runner.o" -o "$dir/golden_runner"
  "$cxx" "${lib_objs[@]}" "$dir/verify_runner.o" -o "$dir/verify_runner"
  "$dir/golden_runner" "$ticks" > "$out/$1$2.txt"
  "$dir/verify_runner" "$root/tests/data/golden.amrec" > "$out/$1$2.verify.txt"
}

configs=("g++ -O0" "g++ -O2" "clang++ -O0" "clang++ -O2")
pids=()
for c in "${configs[@]}"; do
  # shellcheck disable=SC2086
  build $c &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
[ $status -eq 0 ] || { echo "cross-build: a build or run failed" >&2; exit 1; }

ref="$out/g++-O0.txt"
lines=$(wc -l < "$ref")
[ "$lines" -eq $((ticks + 1)) ] || { echo "cross-build: expected $((ticks + 1)) lines, got $lines" >&2; exit 1; }
for c in g++-O2 clang++-O0 clang++-O2; do
  if ! cmp -s "$ref" "$out/$c.txt"; then
    echo "cross-build: $c diverges from g++ -O0; first differing line:" >&2
    diff "$ref" "$out/$c.txt" | head -n 4 >&2
    exit 1
  fi
done
echo "cross-build: g++/clang++ x -O0/-O2 agree on all $ticks ticks (final: $(tail -n 1 "$ref"))"
echo "cross-build: all four builds verify tests/data/golden.amrec: $(cat "$out/g++-O0.verify.txt")"
