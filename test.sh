#!/usr/bin/env bash
# Installs what is missing, builds and runs every test with ctest, three times over:
#   1. the `ci` preset: g++ Release, warnings as errors — every test;
#   2. the `asan` preset: every target with clang++ (so a construct one compiler rejects fails
#      here), AddressSanitizer + UndefinedBehaviorSanitizer and the fuzz targets — every test
#      again, and each fuzz target for a bounded time;
#   3. the `tsan` preset: the server, the client's network side and the bots under
#      ThreadSanitizer — the tests labelled `threads`.
# Also builds the client side alone, without the server's dependencies (SQLite, libsodium).
# Exit code: 0 when every suite passed. Extra arguments go to each ctest (./test.sh -R libworld).
# ALPHAMMO_SANITIZERS=off skips suites 2 and 3 (a quick local run; CI runs them all).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
# ccache lives outside the clone (a new clone starts warm) and hashes paths relative to it; the
# sanitizer builds carry debug information, whose compile directory ccache would otherwise hash
# too (each clone's own path), so it is left out of the hash.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
sanitizers=${ALPHAMMO_SANITIZERS:-on}
began=$SECONDS
step() { echo "test.sh [$(((SECONDS - began) / 60)) min]: $*"; }

step "g++ Release, warnings as errors (ci preset)"
cmake --preset ci > /dev/null
cmake --build --preset ci

step "the client side without the server's dependencies (ci-client preset)"
cmake --preset ci-client > /dev/null
cmake --build --preset ci-client
./scripts/check-client-only.sh build/ci-client

if [[ $sanitizers != off ]]; then
  step "every target with clang++, ASan + UBSan, warnings as errors (asan preset)"
  cmake --preset asan > /dev/null
  cmake --build --preset asan
  step "the threaded targets with clang++ and TSan (tsan preset)"
  cmake --preset tsan > /dev/null
  cmake --build --preset tsan
fi

failed=()
step "every test (ci)"
ctest --preset ci --parallel "$(nproc)" "$@" || failed+=(ci)
if [[ $sanitizers != off ]]; then
  step "every test under AddressSanitizer + UBSan (asan)"
  ctest --preset asan --parallel "$(nproc)" "$@" || failed+=(asan)
  step "the threaded tests under ThreadSanitizer (tsan)"
  ctest --preset tsan --parallel "$(nproc)" "$@" || failed+=(tsan)
fi
if ((${#failed[@]})); then
  step "FAILED: ${failed[*]} (the failing tests are listed above each suite's summary)"
  exit 1
fi
step "all suites passed"
