#!/usr/bin/env bash
# Installs what is missing, builds Release and runs the main job on embedded defaults.
# Until the network server lands, the main job is a headless world run: the shipped default map
# (town, field, dungeon) with its NPCs and scripted players that walk and fight, stepped at
# 20 Hz, printing progress and the state hash.
# Extra arguments go to alphammo-sim (see ./run.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.cache/ccache}
cmake --preset release > /dev/null
cmake --build --preset release --target alphammo-sim > /dev/null
if [ $# -eq 0 ]; then
  set -- --ticks 200 --players 8 --realtime --report-every 20
fi
exec ./build/release/frontends/headless/alphammo-sim "$@"
