#!/bin/bash
# The flight recorder leaves nothing behind in a session daemon it does not
# own: after a normal end, after Ctrl-C (SIGINT to the process group) and
# after the program crashes (SIGSEGV), `lttng list` shows no ctrace session
# and `lttng list-triggers` no ctrace trigger. The daemon is the test's
# own, in a private mount namespace, used by ctrace record as "the user's
# daemon" (no --private-daemon). Also: a crash takes a snapshot (kind
# "crash" in the run info), and --spike-on-signal USR1 sent to ctrace
# record takes one (kind "signal") without the program seeing the signal.
# usage: test_flight_cleanup.sh BUILD_DIR
set -u
B=$(readlink -f "$1")
. "$(dirname "$(readlink -f "$0")")/lttng_ns.sh" "$0" "$@"
ns_daemon_start
PROG=$B/samples/rare_spikes

# Nothing of ctrace's may remain in the daemon, which must still be alive.
check_clean() {
	kill -0 "$SPID" 2>/dev/null || fail "$1: the session daemon died"
	lttng list >"$W/list" 2>&1 || fail "$1: lttng list failed: $(cat "$W/list")"
	lttng list-triggers >"$W/triggers" 2>&1 || fail "$1: lttng list-triggers failed"
	grep -q ctrace "$W/list" && fail "$1: a session is left: $(cat "$W/list")"
	grep -q ctrace "$W/triggers" && fail "$1: a trigger is left: $(cat "$W/triggers")"
	echo "$1: clean"
}

# Normal end, one spike.
"$B/bin/ctrace" record -q -o "$W/normal" --flight=1s --spike iteration=20ms -- \
	"$PROG" -n 3000 -e 2000 -q >/dev/null 2>"$W/err" || fail "normal run failed: $(cat "$W/err")"
ls -d "$W"/normal/snapshot-* >/dev/null 2>&1 || fail "normal run: no snapshot"
check_clean "normal end"

# Ctrl-C: SIGINT to ctrace record's whole process group, as a terminal does.
# (A background job starts with SIGINT ignored: give it back its default.)
setsid env --default-signal=INT "$B/bin/ctrace" record -q -o "$W/int" --flight=1s -- \
	"$PROG" -t 30 -e 0 -q >/dev/null 2>"$W/err" &
RPID=$!
sleep 2
kill -INT -- -"$RPID"
wait "$RPID"
rc=$?
[ $rc -eq 130 ] || fail "Ctrl-C: exit $rc, expected 130: $(cat "$W/err")"
check_clean "Ctrl-C"

# Crash of the program, and a snapshot on USR1 before it.
"$B/bin/ctrace" record -q -o "$W/crash" --flight=1s --spike-on-signal USR1 -- \
	"$PROG" -t 30 -e 0 -q >/dev/null 2>"$W/err" &
RPID=$!
sleep 2
kill -USR1 "$RPID"
sleep 1
CPID=$(pgrep -P "$RPID" rare_spikes)
[ -n "$CPID" ] || fail "crash: program not found (the USR1 snapshot killed it?)"
kill -SEGV "$CPID"
wait "$RPID"
rc=$?
[ $rc -eq 139 ] || fail "crash: exit $rc, expected 139: $(cat "$W/err")"
grep -q '"kind": "signal", "name": "SIGUSR1"' "$W/crash/ctrace-run.json" ||
	fail "crash: no signal snapshot in the run info"
grep -q '"kind": "crash"' "$W/crash/ctrace-run.json" ||
	fail "crash: no crash snapshot in the run info"
[ "$(ls -d "$W"/crash/snapshot-* | wc -l)" -eq 2 ] || fail "crash: expected 2 snapshots"
check_clean "crash"
echo PASS
