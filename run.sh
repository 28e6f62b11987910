#!/usr/bin/env bash
# Installs what is missing, builds Release and runs the main job on embedded defaults: the game
# server on wss://127.0.0.1:7171/ with its database, self-signed certificate and recordings in
# var/, the shipped default map, and a few demo bots so the world is alive when a player
# connects with the client whose command it prints. Ctrl-C saves every character and stops.
# Extra arguments go to alphammo-server (see ./run.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake --preset release > /dev/null
cmake --build --preset release --target alphammo-server alphammo-bot alphammo-client > /dev/null
server=./build/release/netserver/alphammo-server
bot=./build/release/frontends/headless/alphammo-bot
client=./build/release/frontends/sfml/alphammo-client

for arg in "$@"; do
  case "$arg" in -h|--help) exec "$server" --help ;; esac
done

mkdir -p var
log=var/server.log
# tee ignores Ctrl-C so that the server's last lines (saving, stopped) still reach the terminal.
"$server" "$@" > >(trap '' INT TERM; exec tee "$log") 2>&1 &
server_pid=$!
bots_pid=
stop_bots() {
  if [ -n "$bots_pid" ]; then pkill -TERM -P "$bots_pid" 2> /dev/null || true; fi
}
stop() {
  stop_bots
  kill -TERM "$server_pid" 2> /dev/null || true
}
trap stop INT TERM

# Wait (at most 30 s) for the server to listen, then read the address and fingerprint it logged.
for _ in $(seq 300); do
  if grep -q "listening on" "$log" 2> /dev/null; then break; fi
  if ! kill -0 "$server_pid" 2> /dev/null; then wait "$server_pid"; exit $?; fi
  sleep 0.1
done
address=$(sed -n 's|.*listening on wss://\([^/]*\)/.*|\1|p' "$log" | head -n1)
pin=$(sed -n 's|.*SHA-256 fingerprint \([0-9A-F:]*\).*|\1|p' "$log" | head -n1)

if [ -n "$address" ]; then
  # Demo bots: three of each built-in behaviour (a knight, an archer and a mage), in their own
  # process group.
  (
    for behaviour in wander hunter looter chatter; do
      "$bot" --server "$address" --pin "$pin" --behaviour "$behaviour" --count 3 \
        --user "demo_$behaviour" --seed 7 &
    done
    wait
  ) > var/bots.log 2>&1 &
  bots_pid=$!
  echo "demo bots: 12 (wander, hunter, looter, chatter; knights, archers, mages; log: var/bots.log)"
fi
cat << EOF

AlphaMMO server running on wss://${address}/ (Ctrl-C saves everyone and stops)
  certificate: var/cert.pem   SHA-256 fingerprint: ${pin}
  health:      https://${address}/healthz    metrics: https://${address}/metrics
  protocol:    docs/protocol.md (a Python client is in its "Connecting" section)
  recordings:  var/recordings/ (alphammo-replay verify var/recordings/<file>.amrec)

  play:        ${client}
               (from this folder, in another terminal: it trusts var/cert.pem by fingerprint)

EOF
status=0
# A signal interrupts `wait`; wait again until the server has saved and exited.
while kill -0 "$server_pid" 2> /dev/null; do
  status=0
  wait "$server_pid" || status=$?
done
stop_bots
exit "$status"
