#!/usr/bin/env bash
# Renders the README's pictures with the real client under Xvfb: the login screen, the character
# list, the game (HUD, chat, inventory, minimap) and the replay viewer, into docs/img/.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default build/release; it is built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
preset=$(basename "$build")
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake --preset "$preset" > /dev/null
cmake --build "$build" --target sfml_screenshots > /dev/null
mkdir -p docs/img
ALPHAMMO_SCREENSHOTS=docs/img xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$build/tests/frontends/sfml/sfml_screenshots" 2>&1 | grep -E "wrote|ERROR|FAILED" || true
ls -l docs/img/*.png
