#!/bin/sh
# The viewer on a big trace: time to the first frame, frame time and
# peak memory of `ctrace view --png` (the same loading, preparation and
# drawing as the window, without a display).
#
# usage: bench_view.sh BUILD_DIR [TRACE_DIR] [RUNS]
#
# Without TRACE_DIR, records progs/event_flood (~10M events) into a
# temporary directory first. The first `ctrace view` of the trace reads it
# and writes the model cache beside it; the RUNS (default 3) timed runs
# after it start from that cache, as a second look at a trace does.
# Prints the best and median time to the first 1920x1080 frame (goal:
# 1 s or less with the cache), the frame time of the whole trace and of
# two windows at 0.5 s (the trace should be longer), and the peak resident memory as a fraction of the
# trace's size on disk (goal: 0.5 or less). These machines are noisy:
# figures are printed, never asserted.
set -eu
build=$(cd "$1" && pwd)
trace=${2:-}
runs=${3:-3}
ctrace=$build/bin/ctrace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$trace" ]; then
	trace=$tmp/trace
	"$ctrace" record --private-daemon -q -o "$trace" -- \
		"$build/tests/analyzer/progs/event_flood" -n 1250000 -t 2 > /dev/null
fi
size_kib=$(du -sk --exclude=ctrace-model.cache "$trace" | cut -f1)
png=$tmp/frame.png

# A run: "first-frame-seconds peak-KiB" on stdout.
view_run() {
	CTRACE_VIEW_TIMING=1 /usr/bin/time -f "rss %M" "$ctrace" view --png "$png" --size 1920x1080 "$@" \
		"$trace" 2> "$tmp/err" > /dev/null
	first=$(sed -n 's/^ctrace view: first frame: \([0-9.]*\) s.*/\1/p' "$tmp/err")
	rss=$(sed -n 's/^rss \([0-9]*\)$/\1/p' "$tmp/err")
	echo "$first $rss"
}

uncached=$(view_run --no-cache)
had_cache=no
[ -f "$trace/ctrace-model.cache" ] && had_cache=yes
view_run > /dev/null    # writes the cache when there was none
i=0
: > "$tmp/runs"
while [ "$i" -lt "$runs" ]; do
	view_run >> "$tmp/runs"
	i=$((i + 1))
done
first_best=$(cut -d' ' -f1 "$tmp/runs" | sort -n | head -1)
first_med=$(cut -d' ' -f1 "$tmp/runs" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
rss_kib=$(cut -d' ' -f2 "$tmp/runs" | sort -n | tail -1)
events=$("$ctrace" analyze --json "$trace" | sed -n 's/^ *"events": \([0-9]*\),/\1/p' | head -1)

echo "trace: $trace, $((size_kib / 1024)) MiB on disk, ${events:-?} events"
echo "first frame without the cache: $(echo "$uncached" | cut -d' ' -f1) s"
echo "first frame with the cache:    best $first_best s, median $first_med s of $runs (goal <= 1 s)"
for w in "whole trace:" "a 10 ms window:--from 0.5s --to 0.51s" "a 100 us window:--from 0.5s --to 0.5001s"; do
	name=${w%%:*}
	opts=${w#*:}
	# shellcheck disable=SC2086
	line=$("$ctrace" view --png "$png" --size 1920x1080 --time 20 $opts "$trace" 2> /dev/null)
	printf '%-30s %s\n' "frames, $name" "${line#frame 1920x1080: }"
done
awk -v r="$rss_kib" -v s="$size_kib" 'BEGIN {
	printf "peak memory: %.0f MiB; / trace size: %.2f (goal <= 0.5)\n", r / 1024, r / s }'
[ "$had_cache" = yes ] || [ "${2:-}" = "" ] || rm -f "$trace/ctrace-model.cache"
