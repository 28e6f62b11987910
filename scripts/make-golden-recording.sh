#!/usr/bin/env bash
# Regenerates tests/data/golden.amrec: 1,200 ticks of the default map with 12 scripted players.
# Only needed when the rules (kRulesVersion) or the recording format change; say why in the
# commit. Usage: scripts/make-golden-recording.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
"$build/frontends/headless/alphammo-sim" --ticks 1200 --players 12 --seed 3 --report-every 0 \
  --record "$root/tests/data/golden.amrec"
