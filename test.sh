#!/usr/bin/env bash
# Installs what is missing, builds everything (warnings are errors) and runs every test with ctest.
# Also builds every target with clang++ (a construct one compiler rejects fails here) and the
# client side alone, without the server's dependencies (SQLite, libsodium).
# Exit code = test result. Extra arguments go to ctest (e.g. ./test.sh -R libworld).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
# ccache lives outside the clone (a new clone starts warm) and hashes paths relative to it.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}

cmake --preset ci > /dev/null
cmake --build --preset ci

echo "test.sh: every target with clang++"
cmake --preset ci-clang > /dev/null
cmake --build --preset ci-clang

echo "test.sh: the client side without the server's dependencies"
cmake --preset ci-client > /dev/null
cmake --build --preset ci-client
./scripts/check-client-only.sh build/ci-client

ctest --preset ci --parallel "$(nproc)" "$@"
