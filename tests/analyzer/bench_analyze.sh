#!/bin/sh
# Analyzer throughput and memory against babeltrace2 on the same trace.
#
# usage: bench_analyze.sh BUILD_DIR [TRACE_DIR] [RUNS]
#
# Without TRACE_DIR, records progs/event_flood (~10M events) into a
# temporary directory first. Runs `babeltrace2 DIR -o dummy` and
# `ctrace analyze DIR` alternately RUNS times (default 3; these machines
# are noisy) and prints the best wall time of each, the analyzer's event
# rate as a fraction of babeltrace2's (goal: 0.8 or more), and its peak
# resident memory as a fraction of the trace's size (goal: 0.5 or less),
# then the time of an analysis that writes the model cache and of one
# that reads it.
set -eu
build=$(cd "$1" && pwd)
trace=${2:-}
runs=${3:-3}
tmp=
if [ -z "$trace" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	trace=$tmp/trace
	"$build/bin/ctrace" record --private-daemon -q -o "$trace" -- \
		"$build/tests/analyzer/progs/event_flood" -n 1250000 -t 2 > /dev/null
fi
size_kib=$(du -sk --exclude=ctrace-model.cache "$trace" | cut -f1)
best() { sort -n | head -1; }
bt=$(mktemp); ct=$(mktemp); rss=$(mktemp)
i=0
while [ "$i" -lt "$runs" ]; do
	/usr/bin/time -f "%e" -o "$bt.1" babeltrace2 "$trace" -o dummy
	cat "$bt.1" >> "$bt"
	/usr/bin/time -f "%e %M" -o "$ct.1" "$build/bin/ctrace" analyze --no-cache "$trace" > /dev/null
	cut -d' ' -f1 "$ct.1" >> "$ct"
	cut -d' ' -f2 "$ct.1" >> "$rss"
	i=$((i + 1))
done
bt_s=$(best < "$bt"); ct_s=$(best < "$ct"); rss_kib=$(best < "$rss")
# With the model cache: the first analysis writes it (in a thread of its
# own), the next ones read it instead of the trace.
rm -f "$trace/ctrace-model.cache"
first_s=$( { /usr/bin/time -f "%e" "$build/bin/ctrace" analyze "$trace" > /dev/null; } 2>&1 | tail -1)
again_s=$( { /usr/bin/time -f "%e" "$build/bin/ctrace" analyze "$trace" > /dev/null; } 2>&1 | tail -1)
cache_kib=$(du -k "$trace/ctrace-model.cache" | cut -f1)
[ -n "$tmp" ] || rm -f "$trace/ctrace-model.cache"
events=$("$build/bin/ctrace" analyze --no-cache --json "$trace" | sed -n 's/^ *"events": \([0-9]*\),/\1/p' | head -1)
echo "trace: $trace, $((size_kib / 1024)) MiB, $events events"
echo "babeltrace2 -o dummy: best $bt_s s of $runs"
echo "ctrace analyze:       best $ct_s s of $runs, peak $((rss_kib / 1024)) MiB (--no-cache)"
echo "with the model cache:  $first_s s writing it ($((cache_kib / 1024)) MiB), $again_s s reading it"
awk -v b="$bt_s" -v c="$ct_s" -v r="$rss_kib" -v s="$size_kib" 'BEGIN {
	printf "rate vs babeltrace2: %.2f (goal >= 0.8); peak memory / trace size: %.2f (goal <= 0.5)\n", b / c, r / s }'
rm -f "$bt" "$bt.1" "$ct" "$ct.1" "$rss"
