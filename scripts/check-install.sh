#!/usr/bin/env bash
# Installs a build tree into a scratch prefix, then builds and runs examples/embed_world against
# the installed package with find_package(alphammo): proves the exported CMake package works.
# Usage: scripts/check-install.sh BUILD_DIR OUT_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: check-install.sh BUILD_DIR OUT_DIR}
out=${2:?usage: check-install.sh BUILD_DIR OUT_DIR}
rm -rf "$out"
cmake --install "$build" --prefix "$out/prefix" > /dev/null
cmake -S "$root/examples/embed_world" -B "$out/example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$out/prefix" > /dev/null
cmake --build "$out/example" > /dev/null
"$out/example/embed_world" | tee "$out/output.txt" | tail -n 1
grep -q '^final state hash: [0-9a-f]\{16\}$' "$out/output.txt"
grep -q "appeared .* player 'hero'" "$out/output.txt"
# An installed server finds its content under <prefix>/share/alphammo, not in the source tree.
prefix=$(realpath "$out/prefix")
for f in items.json spells.json vocations.json npcs.json maps/default.tmj maps/terrain.tsj; do
  test -f "$prefix/share/alphammo/$f" ||
    { echo "check-install: $prefix/share/alphammo/$f is not installed" >&2; exit 1; }
done
if [ -x "$prefix/bin/alphammo-server" ]; then
  "$prefix/bin/alphammo-server" --help | grep -qF "$prefix/share/alphammo" ||
    { echo "check-install: the installed alphammo-server does not default to $prefix/share/alphammo" >&2; exit 1; }
fi
