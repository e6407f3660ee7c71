#!/bin/bash
# Whole-program overhead: the contention, alloc_burst and pipe_io samples
# (plus an empty run of alloc_burst for the fixed start-up cost) run
# untraced, under `ctrace record --private-daemon` (everything on: CPU
# samples at 100 Hz, context switches), under LTTng's own
# liblttng-ust-pthread-wrapper + liblttng-ust-libc-wrapper (a to-disk
# session with lttng_ust_pthread:* and lttng_ust_libc:* in a private
# daemon), under `strace -f` and under `uftrace record --force` (the
# samples have no -pg, so uftrace traces their library calls through the
# PLT). Target: ctrace's median wall time / untraced <= 1.05, goal 1.02.
#
# Each run is timed by bench_elapsed *inside* the tracer, so the tracer's
# set-up and teardown (daemons, sessions, finishing the trace) are left
# out and the program's whole process life is in. The configurations are
# interleaved round-robin, REPS rounds (default 5), and each cell is the
# median; the machine is shared, so the load average is printed too. The
# last round's traces give the event counts and sizes.
#
# Usage: tests/bench/run_overhead.sh [BUILD_DIR]   (default: build)
#        env: REPS=N, CONFIGS="untraced ctrace lttng strace uftrace",
#             CTRACE=path/to/ctrace (default BUILD_DIR/bin/ctrace)
set -eu

if [ -z "${CTRACE_BENCH_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	export CTRACE_BENCH_INNER=1
	exec unshare --mount --propagation private "$0" "$@"
fi

BUILD=$(readlink -f "${1:-build}")
CTRACE=${CTRACE:-$BUILD/bin/ctrace}
ELAPSED=$BUILD/tests/bench/bench_elapsed
REPS=${REPS:-5}
CONFIGS=${CONFIGS:-untraced ctrace lttng strace uftrace}
WRAPPERS=liblttng-ust-pthread-wrapper.so.1:liblttng-ust-libc-wrapper.so.1
for f in "$CTRACE" "$ELAPSED" "$BUILD"/samples/{contention,alloc_burst,pipe_io}; do
	[ -x "$f" ] || { echo "missing $f: build the project first" >&2; exit 1; }
done
for tool in strace uftrace; do
	case " $CONFIGS " in *" $tool "*)
		command -v $tool >/dev/null || { echo "$tool not found: skipped" >&2
			CONFIGS=$(echo " $CONFIGS " | sed "s/ $tool / /"); } ;;
	esac
done

# name|program|arguments: each ~1.5 s untraced. The samples spin and
# sleep against the wall clock, so a tracer's per-call cost inside their
# loops shortens the spin instead of the run: their wall time shows what
# the tracer does to the program's timing (lock hand-overs, wake-ups,
# start-up), not its cost per event. The _fine/_small rows make lock
# hand-overs and mallocs 100 and 16 times as frequent to load those paths;
# startup is the fixed cost of a process that does nothing.
SAMPLES=(
	"contention|contention|-n 200"
	"contention_fine|contention|-H 20 -o 5 -n 15000"
	"alloc_burst|alloc_burst|-n 10 -q 100 -k 65536"
	"alloc_small|alloc_burst|-n 10 -q 100 -k 65536 -b 1"
	"pipe_io|pipe_io|-n 75"
	"startup|alloc_burst|-n 0 -q 0"
)

WORK=$(mktemp -d)
. "$(dirname "$(readlink -f "$0")")/bench_session.sh"
cleanup() {
	bench_daemon_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
# The LTTng wrapper configuration's daemon; ctrace starts its own.
case " $CONFIGS " in *" lttng "*) bench_daemon_start ;; esac
TIMES=$WORK/times

run_one() { # config, sample name, then the command
	local config=$1 name=$2; shift 2
	local out=$WORK/trace-$name-$config timed=("$ELAPSED" "$TIMES" "$name:$config" "$@")
	rm -rf "$out"
	case $config in
	untraced) "${timed[@]}" ;;
	ctrace) "$CTRACE" record -q --private-daemon -o "$out" -- "${timed[@]}" ;;
	lttng)
		lttng create wrap -o "$out" >/dev/null
		lttng enable-event -u -s wrap 'lttng_ust_pthread:*' >/dev/null
		lttng enable-event -u -s wrap 'lttng_ust_libc:*' >/dev/null
		lttng start wrap >/dev/null
		LD_PRELOAD=$WRAPPERS "${timed[@]}"
		lttng stop wrap >/dev/null
		lttng list wrap | sed -n 's/.*Discarded events: *\([0-9]*\).*/\1/p' \
			| awk '{ s += $1 } END { print s + 0 }' >"$WORK/discarded-$name"
		lttng destroy wrap >/dev/null
		;;
	strace) strace -f -o "$out" "${timed[@]}" ;;
	uftrace) uftrace record --force -d "$out" "${timed[@]}" ;;
	esac >/dev/null
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$REPS"); do
	for s in "${SAMPLES[@]}"; do
		IFS='|' read -r name prog rest <<<"$s"
		read -ra args <<<"$rest"
		for config in $CONFIGS; do
			run_one "$config" "$name" "$BUILD/samples/$prog" "${args[@]}"
		done
	done
	echo "round $rep/$REPS done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# Lines are "SAMPLE:CONFIG WALL_S CPU_S STATUS".
table() { # column (2 wall, 3 cpu), title
	awk -v col="$1" -v title="$2" -v configs="$CONFIGS" -v samples="${SAMPLES[*]%%|*}" '
		function median(key,   n, i, j, t, v) {
			n = split(vals[key], v, " ")
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j] < v[j-1]; j--) {
				t = v[j]; v[j] = v[j-1]; v[j-1] = t
			}
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		$4 != 0 { bad[$1]++ }
		{ vals[$1] = vals[$1] " " $col }
		END {
			nc = split(configs, c, " ")
			printf "| %s |", title
			for (i = 1; i <= nc; i++) printf " %s |", c[i]
			printf "\n|---|"
			for (i = 1; i <= nc; i++) printf "---|"
			printf "\n"
			ns = split(samples, s, " ")
			for (k = 1; k <= ns; k++) {
				base = median(s[k] ":untraced")
				printf "| %s |", s[k]
				for (i = 1; i <= nc; i++) {
					key = s[k] ":" c[i]; m = median(key)
					r = base > 0 ? m / base : 0
					printf " %.3f s (x%.3f)%s |", m, r, (bad[key] ? " FAILED " bad[key] : "")
				}
				printf "\n"
			}
		}' "$TIMES"
}
echo "Wall time of the program's process, median of $REPS (ratio to untraced):"
echo
table 2 "wall"
echo
echo "CPU time (user+sys) of the program's process, median of $REPS:"
echo
table 3 "cpu"
echo

# What the last round recorded.
count_ctf() { # a CTF trace directory: events as babeltrace2 counts them
	babeltrace2 "$1" -c sink.utils.counter 2>/dev/null \
		| awk '/Event messages/ { n = $1 } END { print n }' | tr -d ','
}
run_info() { # trace directory, key: a top-level number of ctrace-run.json
	grep -o "\"$2\": *[0-9]*" "$1/ctrace-run.json" | tail -1 | grep -o '[0-9]*$'
}
echo "Last round's traces (events, size on disk):"
echo
echo "| sample | config | events | size |"
echo "|---|---|---|---|"
for s in "${SAMPLES[@]}"; do
	name=${s%%|*}
	for config in $CONFIGS; do
		out=$WORK/trace-$name-$config
		[ -e "$out" ] || continue
		size=$(du -sb "$out" | cut -f1)
		case $config in
		ctrace)
			ev="$(count_ctf "$out/ust") program + $(count_ctf "$out/sched") sched"
			ev="$ev (discarded $(run_info "$out" discarded_events),"
			ev="$ev recorder CPU $(($(run_info "$out" recorder_cpu_ns) / 1000000)) ms)" ;;
		lttng) ev="$(count_ctf "$out") (discarded $(cat "$WORK/discarded-$name"))" ;;
		strace) ev="$(wc -l <"$out") lines" ;;
		# 16-byte records, an entry and an exit per call.
		uftrace) ev="~$(($(cat "$out"/[0-9]*.dat | wc -c) / 32)) calls" ;;
		esac
		echo "| $name | $config | $ev | $(numfmt --to=iec "$size") |"
	done
done
