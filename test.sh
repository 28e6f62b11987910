#!/usr/bin/env bash
# Installs what is missing, builds everything (warnings are errors) and runs every test with ctest.
# Exit code = test result. Extra arguments go to ctest (e.g. ./test.sh -R libworld).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.cache/ccache}
cmake --preset ci > /dev/null
cmake --build --preset ci
ctest --preset ci --parallel "$(nproc)" "$@"
