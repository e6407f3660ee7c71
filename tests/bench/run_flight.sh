#!/bin/bash
# Throughput of a program under the flight recorder against untraced, and
# what its snapshots cost. Target: ratio >= 0.97.
#
# samples/rare_spikes runs N iterations (each a ctrace region of WORK_US of
# work under a mutex) untraced and under
#   ctrace record --private-daemon --flight=2s --spike iteration=20ms
# interleaved, REPS times each; its own iterations/s (measured inside the
# program, so daemon set-up and teardown are left out) gives the median per
# configuration and the ratio. Two workloads: no spikes (the pure cost of
# recording ~2 events per WORK_US into the rings) and 1 spike in 2000
# iterations (a 30 ms lock wait every ~0.23 s, so wake-up jitter does not
# drown the comparison; snapshots are then taken, rate-limited to
# one per second). For the spiky runs, the snapshots' latency (spike event
# to the snapshot's last write), size and history covered are read from
# DIR/ctrace-run.json.
#
# Usage: tests/bench/run_flight.sh [BUILD_DIR]   (default: build)
#        REPS=7 N=20000 WORK_US=100 environment overrides
set -eu

BUILD=$(readlink -f "${1:-build}")
CTRACE=$BUILD/bin/ctrace
PROG=$BUILD/samples/rare_spikes
REPS=${REPS:-7}
N=${N:-20000}
WORK_US=${WORK_US:-100}
for f in "$CTRACE" "$PROG"; do
	[ -e "$f" ] || { echo "missing $f: build the project first" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

rate() { sed -n 's/.*iterations_per_s=\([0-9.]*\).*/\1/p' | tail -1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "flight recorder throughput: rare_spikes -n $N -w $WORK_US, $REPS runs each, medians"
printf '%-22s %14s %14s %7s\n' workload "untraced it/s" "flight it/s" ratio
for every in 0 2000; do
	: > "$WORK/plain" ; : > "$WORK/flight"
	for rep in $(seq "$REPS"); do
		"$PROG" -n "$N" -w "$WORK_US" -e "$every" -q | rate >> "$WORK/plain"
		rm -rf "$WORK/t"
		"$CTRACE" record --private-daemon -q -o "$WORK/t" --flight=2s --spike iteration=20ms -- \
			"$PROG" -n "$N" -w "$WORK_US" -e "$every" -q 2> "$WORK/err" | rate >> "$WORK/flight"
		[ "$every" = 0 ] || cp "$WORK/t/ctrace-run.json" "$WORK/run-$rep.json"
	done
	p=$(median < "$WORK/plain"); f=$(median < "$WORK/flight")
	name=$([ "$every" = 0 ] && echo "no spikes" || echo "1 spike in $every")
	printf '%-22s %14.0f %14.0f %7.3f\n' "$name" "$p" "$f" "$(echo "$f / $p" | bc -l)"
done

python3 - "$WORK"/run-*.json <<'EOF'
import json, statistics, sys
snaps = []
for path in sys.argv[1:]:
    snaps += json.load(open(path))["flight"]["snapshots"]
if not snaps:
    print("no snapshots")
    sys.exit(0)
def med(key):
    return statistics.median(s[key] for s in snaps)
print(f"snapshots: {len(snaps)} over {len(sys.argv) - 1} runs; median latency "
      f"{med('latency_ns') / 1e6:.1f} ms (max {max(s['latency_ns'] for s in snaps) / 1e6:.1f}), "
      f"size {med('bytes') / 2**20:.1f} MiB, history {med('history_ns') / 1e9:.2f} s")
EOF
