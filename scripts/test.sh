#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every ctrace test: the normal build
# (unit + integration tests, recording real runs), then the tools and unit
# tests again under ASan/UBSan. The preload library is never sanitized (it
# lives inside traced programs, where sanitizer runtimes cannot be loaded late).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/install-deps.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCTRACE_SANITIZE=ON >/dev/null
cmake --build build-sanitize -j"$jobs" >/dev/null
(cd build-sanitize && ctest --output-on-failure -j"$jobs" -L unit)
