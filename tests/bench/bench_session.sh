# Sourced by the tests/bench/run_*.sh drivers: a private lttng-sessiond for
# the traced configurations, and snapshot sessions (events stay in memory,
# nothing is written to disk) around a run.
#
# The caller sets WORK (a scratch directory it removes) and, as root, runs
# in a mount namespace of its own (unshare --mount --propagation private),
# where /run/lttng and /dev/shm get private tmpfs; otherwise the daemon gets
# a private LTTNG_HOME.

BENCH_SESSIOND_PID=

bench_daemon_start() {
	if [ "$(id -u)" = 0 ]; then
		mount -t tmpfs tmpfs /run/lttng
		mount -t tmpfs tmpfs /dev/shm
	else
		export LTTNG_HOME=$WORK/home
		mkdir -p "$LTTNG_HOME"
	fi
	# The lttng client keeps its current session in ~/.lttngrc.
	export HOME=$WORK
	lttng-sessiond --no-kernel --daemonize --pidfile "$WORK/sessiond.pid" >/dev/null 2>&1
	BENCH_SESSIOND_PID=$(cat "$WORK/sessiond.pid")
}

# For the caller's EXIT trap: harmless when no daemon was started.
bench_daemon_stop() {
	if [ -n "$BENCH_SESSIOND_PID" ]; then
		lttng destroy -a >/dev/null 2>&1 || true
		kill "$BENCH_SESSIOND_PID" 2>/dev/null || true
	fi
}

bench_session() { # name, event pattern, then the command to run
	local name=$1 events=$2; shift 2
	lttng create "$name" --snapshot >/dev/null
	lttng enable-event -u -s "$name" "$events" >/dev/null
	lttng start "$name" >/dev/null
	"$@"
	lttng stop "$name" >/dev/null
	lttng destroy "$name" >/dev/null
}
