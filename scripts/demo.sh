#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what ctrace needs, build
# it, record a sample program (an annotated request loop with injected
# latency spikes), analyze the trace, export a labeled CPU profile and render
# the timeline to a PNG.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

out=${CTRACE_DEMO_DIR:-build/demo}
mkdir -p "$out"
trace=$out/request_loop.trace
ctrace=build/bin/ctrace

echo "== ctrace record: samples/request_loop (every 50th request is 20 ms slow)"
$ctrace record --force -o "$trace" -- build/samples/request_loop

echo
echo "== ctrace analyze"
$ctrace analyze "$trace"

echo
echo "== ctrace pprof: CPU profile labeled with region, task, thread and user labels"
$ctrace pprof --type cpu -o "$out/request_loop-cpu.pb.gz" "$trace"

echo
echo "== ctrace view --png: the timeline, rendered without a display"
$ctrace view --png "$out/request_loop.png" --size 1600x900 "$trace"
echo "timeline written to $out/request_loop.png (open the window with: $ctrace view $trace)"
