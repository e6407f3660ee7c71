#!/bin/bash
# Runs bench_malloc_fastpath untraced, under ctrace's preload (with no
# session, then with ctrace:* enabled in a session) and under LTTng's own
# liblttng-ust-libc-wrapper (lttng_ust_libc:* enabled), and prints each
# configuration's cost per malloc(64)+free pair and its difference from the
# untraced run. The sessions are snapshot sessions (events go to in-memory
# ring buffers, nothing is written to disk) in a private lttng-sessiond:
# as root in a mount namespace of its own, otherwise under a private
# LTTNG_HOME.
#
# Usage: tests/bench/run_malloc_fastpath.sh [BUILD_DIR]   (default: build)
set -eu

if [ -z "${CTRACE_BENCH_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	export CTRACE_BENCH_INNER=1
	exec unshare --mount --propagation private "$0" "$@"
fi

BUILD=$(readlink -f "${1:-build}")
BENCH=$BUILD/tests/bench/bench_malloc_fastpath
PRELOAD=$BUILD/lib/ctrace/libctrace-preload.so
WRAPPER=liblttng-ust-libc-wrapper.so.1
for f in "$BENCH" "$PRELOAD"; do
	[ -e "$f" ] || { echo "missing $f: build the project first" >&2; exit 1; }
done

WORK=$(mktemp -d)
# The lttng client keeps its current session in $HOME/.lttngrc: use our own.
export HOME=$WORK
SESSIOND_PID=
cleanup() {
	if [ -n "$SESSIOND_PID" ]; then
		lttng destroy -a >/dev/null 2>&1 || true
		kill "$SESSIOND_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# Each configuration runs REPS times, alternating with an untraced run, and
# keeps its best: other load on the machine only ever makes runs slower.
REPS=3
run() { # label, then env assignments
	local label=$1; shift
	for _ in $(seq $REPS); do
		"$BENCH" untraced >>"$WORK/out"
		env "$@" "$BENCH" "$label" >>"$WORK/out"
	done
}

run ctrace_preload_no_session LD_PRELOAD="$PRELOAD"

# A private session daemon for the traced configurations.
if [ "$(id -u)" = 0 ]; then
	mount -t tmpfs tmpfs /run/lttng
	mount -t tmpfs tmpfs /dev/shm
else
	export LTTNG_HOME=$WORK/home
	mkdir -p "$LTTNG_HOME"
fi
lttng-sessiond --no-kernel --daemonize --pidfile "$WORK/sessiond.pid" >/dev/null 2>&1
SESSIOND_PID=$(cat "$WORK/sessiond.pid")

session() { # name, event pattern, then the run
	local name=$1 events=$2; shift 2
	lttng create "$name" --snapshot >/dev/null
	lttng enable-event -u -s "$name" "$events" >/dev/null
	lttng start "$name" >/dev/null
	run "$@"
	lttng stop "$name" >/dev/null
	lttng destroy "$name" >/dev/null
}
session ctrace 'ctrace:*' ctrace_preload_session LD_PRELOAD="$PRELOAD"
session wrapper 'lttng_ust_libc:*' lttng_libc_wrapper_session LD_PRELOAD="$WRAPPER"

awk '
	{
		label = $1; sub(":", "", label)
		if (!(label in ns)) { ns[label] = $2; order[++n] = label }
		else if ($2 < ns[label]) ns[label] = $2
	}
	END {
		base = ns["untraced"]
		for (i = 1; i <= n; i++) {
			l = order[i]
			printf "%-28s %8.2f ns/pair  %+8.2f ns  x%.2f\n", l, ns[l], ns[l] - base, ns[l] / base
		}
	}' "$WORK/out"
