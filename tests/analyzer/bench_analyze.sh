#!/bin/sh
# Analyzer throughput and memory against babeltrace2 on the same trace.
#
# usage: bench_analyze.sh BUILD_DIR [TRACE_DIR] [RUNS]
#
# Without TRACE_DIR, records progs/event_flood (~10M events) into a
# temporary directory first. Runs `babeltrace2 DIR -o dummy` and
# `ctrace analyze --no-cache DIR` decoding in 1 thread and in 2
# (CTRACE_DECODE_THREADS) alternately RUNS times (default 3; these
# machines are noisy) and prints the best wall and user CPU time of each,
# the analyzer's event rate as a fraction of babeltrace2's for 1 and 2
# decode threads (goals: 0.8 or more; 1.5 with 2 threads), its peak
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
size_kib=$(du -sk --exclude=ctrace-model.cache --exclude=ctrace-analysis.cache "$trace" | cut -f1)
best() { sort -n | head -1; }
bt=$(mktemp); bu=$(mktemp); ct1=$(mktemp); cu1=$(mktemp); ct2=$(mktemp); cu2=$(mktemp); rss=$(mktemp)
i=0
while [ "$i" -lt "$runs" ]; do
	/usr/bin/time -f "%e %U" -o "$bt.1" babeltrace2 "$trace" -o dummy
	cut -d' ' -f1 "$bt.1" >> "$bt"; cut -d' ' -f2 "$bt.1" >> "$bu"
	for n in 1 2; do
		CTRACE_DECODE_THREADS=$n /usr/bin/time -f "%e %U %M" -o "$bt.1" \
			"$build/bin/ctrace" analyze --no-cache "$trace" > /dev/null
		if [ "$n" = 1 ]; then t=$ct1 u=$cu1; else t=$ct2 u=$cu2; fi
		cut -d' ' -f1 "$bt.1" >> "$t"; cut -d' ' -f2 "$bt.1" >> "$u"
		cut -d' ' -f3 "$bt.1" >> "$rss"
	done
	i=$((i + 1))
done
bt_s=$(best < "$bt"); bt_u=$(best < "$bu"); rss_kib=$(sort -n "$rss" | tail -1)
ct1_s=$(best < "$ct1"); ct1_u=$(best < "$cu1"); ct2_s=$(best < "$ct2"); ct2_u=$(best < "$cu2")
# With the caches: the first analysis writes the model's (in a thread of
# its own) and the analysis', the next ones read them instead of the trace.
rm -f "$trace/ctrace-model.cache" "$trace/ctrace-analysis.cache"
first_s=$( { /usr/bin/time -f "%e" "$build/bin/ctrace" analyze "$trace" > /dev/null; } 2>&1 | tail -1)
again_s=$( { /usr/bin/time -f "%e" "$build/bin/ctrace" analyze "$trace" > /dev/null; } 2>&1 | tail -1)
cache_kib=$(du -k "$trace/ctrace-model.cache" | cut -f1)
[ -n "$tmp" ] || rm -f "$trace/ctrace-model.cache" "$trace/ctrace-analysis.cache"
events=$("$build/bin/ctrace" analyze --no-cache --json "$trace" | sed -n 's/^ *"events": \([0-9]*\),/\1/p' | head -1)
echo "trace: $trace, $((size_kib / 1024)) MiB, $events events"
echo "babeltrace2 -o dummy:       best $bt_s s wall, $bt_u s user of $runs"
echo "ctrace analyze, 1 thread:   best $ct1_s s wall, $ct1_u s user of $runs (--no-cache)"
echo "ctrace analyze, 2 threads:  best $ct2_s s wall, $ct2_u s user of $runs (--no-cache)"
echo "with the caches:  $first_s s writing them (model $((cache_kib / 1024)) MiB), $again_s s reading them"
awk -v b="$bt_s" -v c1="$ct1_s" -v c2="$ct2_s" -v r="$rss_kib" -v s="$size_kib" 'BEGIN {
	printf "rate vs babeltrace2 (wall): 1 thread %.2f (goal >= 0.8), 2 threads %.2f (goal >= 1.5)\n", b / c1, b / c2
	printf "peak memory / trace size: %.2f (worst run; goal <= 0.5)\n", r / s }'
awk -v n="$events" -v a="$again_s" 'BEGIN {
	printf "cached re-analysis: %.1fM events/s (goal >= 20M)\n", (a > 0 ? n / a / 1e6 : 0) }'
rm -f "$bt" "$bt.1" "$bu" "$ct1" "$cu1" "$ct2" "$cu2" "$rss"
