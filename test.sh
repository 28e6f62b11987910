#!/usr/bin/env bash
# Installs what is missing, builds everything (warnings are errors) and runs every test with ctest.
# Then the sanitizers (docs/security.md, "Sanitizers and fuzzing"): every target again with
# clang++ under AddressSanitizer + UndefinedBehaviorSanitizer (also the build that proves clang++
# takes every construct), the whole suite under them, each fuzz target fuzzed for a bounded
# time; the server, client and bot tests under ThreadSanitizer. Also the client side alone,
# without the server's dependencies (SQLite, libsodium).
# Exit code = test result (all three suites run even when one fails). Extra arguments go to
# every ctest run (e.g. ./test.sh -R libworld).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
# ccache lives outside the clone (a new clone starts warm) and hashes paths relative to it.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}

cmake --preset ci > /dev/null
cmake --build --preset ci

echo "test.sh: every target with clang++, under ASan + UBSan, and the fuzz targets"
cmake --preset asan > /dev/null
cmake --build --preset asan

echo "test.sh: the server, client and bot tests under TSan"
cmake --preset tsan > /dev/null
cmake --build --preset tsan

echo "test.sh: the client side without the server's dependencies"
cmake --preset ci-client > /dev/null
cmake --build --preset ci-client
./scripts/check-client-only.sh build/ci-client

status=0
ctest --preset ci --parallel "$(nproc)" "$@" || status=1
echo "test.sh: the suite under ASan + UBSan, and each fuzz target for a bounded time"
ctest --preset asan --parallel "$(nproc)" "$@" || status=1
echo "test.sh: the server, client and bot tests under TSan"
ctest --preset tsan --parallel "$(nproc)" "$@" || status=1
exit $status
