#!/usr/bin/env bash
# Installs the Debian 12 packages AlphaMMO builds and tests with (all with
# --no-install-recommends: crawl-tiles-data, the client's art, would otherwise bring the
# crawl-tiles game itself).
# Idempotent: when every package is already installed it makes no apt call and prints nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache clang git pkg-config
  libboost1.81-dev nlohmann-json3-dev libssl-dev libsqlite3-dev
  libsfml-dev doctest-dev libbenchmark-dev libsodium-dev
  libcli11-dev libspdlog-dev xvfb xauth python3 python3-websockets
  crawl-tiles-data fonts-dejavu-core
  pybind11-dev python3-dev python3-numpy python3-pytest python3-matplotlib sslscan linux-perf
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
