#!/bin/bash
# Runs bench_lock_fastpath untraced, under ctrace's preload (with no
# session daemon at all, then with ctrace:* enabled in a session) and under
# LTTng's own liblttng-ust-pthread-wrapper (lttng_ust_pthread:* enabled;
# it wraps mutexes only, so its rwlock and spin rows are untraced), and
# prints each configuration's cost per uncontended lock+unlock pair and its
# difference from the untraced run. Target for ctrace: within 3 ns.
#
# Each run measures in-process (see bench_lock_fastpath.c): the functions
# the program calls against libc's own, in alternating rounds; the row's
# difference is the one to read (~0 untraced). Every configuration runs
# REPS times and keeps its best: other load only ever makes runs slower.
# The sessions are snapshot sessions in a private lttng-sessiond
# (bench_session.sh).
#
# Usage: tests/bench/run_lock_fastpath.sh [BUILD_DIR]   (default: build)
set -eu

if [ -z "${CTRACE_BENCH_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	export CTRACE_BENCH_INNER=1
	exec unshare --mount --propagation private "$0" "$@"
fi

BUILD=$(readlink -f "${1:-build}")
BENCH=$BUILD/tests/bench/bench_lock_fastpath
PRELOAD=$BUILD/lib/ctrace/libctrace-preload.so
WRAPPER=liblttng-ust-pthread-wrapper.so.1
REPS=${REPS:-3}
for f in "$BENCH" "$PRELOAD"; do
	[ -e "$f" ] || { echo "missing $f: build the project first" >&2; exit 1; }
done

WORK=$(mktemp -d)
. "$(dirname "$(readlink -f "$0")")/bench_session.sh"
cleanup() {
	bench_daemon_stop
	rm -rf "$WORK"
}
trap cleanup EXIT

# Pinned to one CPU (its idle thread only sleeps): migrations add noise.
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c "$(($(nproc) - 1))")
run() { # label, then env assignments
	local label=$1; shift
	for _ in $(seq "$REPS"); do
		"${PIN[@]}" env "$@" "$BENCH" "$label" >>"$WORK/out"
	done
}

run untraced
# No daemon is running yet: the preload must work (and not crash) without.
run ctrace_preload_no_session LD_PRELOAD="$PRELOAD"
bench_daemon_start
bench_session ctrace 'ctrace:*' run ctrace_preload_session LD_PRELOAD="$PRELOAD"
bench_session wrapper 'lttng_ust_pthread:*' run lttng_pthread_wrapper_session LD_PRELOAD="$WRAPPER"

# Lines are "LABEL KIND CALLED_NS LIBC_NS"; keep the best of each.
awk '
	{
		key = $1 " " $2
		if (!(key in called)) { called[key] = $3; libc[key] = $4; order[++n] = key }
		if ($3 < called[key]) called[key] = $3
		if ($4 < libc[key]) libc[key] = $4
	}
	END {
		printf "%-30s %-10s %12s %12s %10s\n", "configuration", "lock", "called ns", "libc ns", "overhead"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, f, " ")
			printf "%-30s %-10s %12.2f %12.2f %+9.2f\n", f[1], f[2], called[k], libc[k],
				called[k] - libc[k]
		}
	}' "$WORK/out"
