#!/usr/bin/env bash
# Installs every Debian 12 package ctrace needs to build, record, and test.
# Idempotent: when everything is present it prints nothing and exits 0.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  lttng-tools liblttng-ust-dev babeltrace2 libbabeltrace2-dev
  libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
  libprotobuf-c-dev protobuf-c-compiler golang-github-google-pprof-dev
  zlib1g-dev libdw-dev libelf-dev libunwind-dev libcmocka-dev
  # test and benchmark tools: go tool pprof, protoc --decode, peers to compare
  golang-go protobuf-compiler uftrace strace python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "ctrace: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
