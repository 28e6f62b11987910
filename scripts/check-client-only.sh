#!/usr/bin/env bash
# Checks a build configured with ALPHAMMO_BUILD_SERVER=OFF (the ci-client preset): the client
# side configured without looking for SQLite or libsodium, built no server target, and its
# programs link neither library.
# Usage: scripts/check-client-only.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: check-client-only.sh BUILD_DIR}
fail() { echo "check-client-only: $*" >&2; exit 1; }
cache="$build/CMakeCache.txt"
[ -f "$cache" ] || fail "$cache not found"
if grep -Eq '^(SODIUM_|SQLite3_)[A-Z_]*:' "$cache"; then
  fail "the client-only configuration looked for SQLite or libsodium"
fi
[ ! -e "$build/netserver" ] || fail "the client-only build has a netserver directory"
programs=(frontends/sfml/alphammo-client frontends/headless/alphammo-bot frontends/headless/alphammo-replay)
for p in "${programs[@]}"; do
  [ -x "$build/$p" ] || fail "$build/$p was not built"
  if ldd "$build/$p" | grep -Eq 'libsqlite3|libsodium'; then
    fail "$p links SQLite or libsodium"
  fi
done
echo "check-client-only: ${programs[*]##*/} built without SQLite and libsodium"
