# Sourced by the integration tests written in shell (test_live.sh,
# test_flight_cleanup.sh, test_shared_daemon.sh): each runs in a private
# mount namespace with a tmpfs over /run/lttng, so the session daemon it
# starts is its own and disturbs no other (FIELD-NOTES: a root daemon's run
# directory cannot be moved otherwise). Processes it starts are stopped by
# PID on exit, and its work directory removed.
#
# Use: B=...; . lttng_ns.sh "$0" "$@"   (re-executes the script once inside
# the namespace, then returns with W, a work directory, and fail()).
# Then: ns_daemon_start; ns_track PID for any other process to stop.

if [ -z "${CTRACE_NS_INNER:-}" ]; then
	export CTRACE_NS_INNER=1
	exec unshare --mount --propagation private "$@"
fi

fail() { echo "FAIL: $*"; exit 1; }
W=$(mktemp -d /tmp/ctrace-test.XXXXXX)
NS_PIDS=

# Stops pid (and waits for it) when the script ends.
ns_track() { NS_PIDS="$NS_PIDS $1"; }

ns_cleanup() {
	for p in $NS_PIDS; do kill "$p" 2>/dev/null; done
	for p in $NS_PIDS; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
	rm -rf "$W"
}
trap ns_cleanup EXIT
mount -t tmpfs tmpfs /run/lttng || fail "cannot mount a private /run/lttng"

# Starts the namespace's session daemon; its pid in SPID.
ns_daemon_start() {
	lttng-sessiond --no-kernel --daemonize --pidfile /run/lttng/sd.pid >/dev/null 2>&1 ||
		fail "lttng-sessiond did not start"
	SPID=$(cat /run/lttng/sd.pid)
	ns_track "$SPID"
}
