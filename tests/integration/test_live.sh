#!/bin/bash
# `ctrace analyze net://…`: a session streamed through lttng-relayd is
# analyzed while it runs. The test starts its own relayd (loopback ports
# only) and session daemon in a private mount namespace, starts the
# analyzer before the program, runs samples/request_loop traced into a live
# session, and checks that the analyzer was still reading after the program
# ended, finished once the session was destroyed, and counted every request
# the program reports (its `truth:` line). A URL nobody serves must give a
# one-line error and exit status 2.
# usage: test_live.sh BUILD_DIR
set -u
B=$(readlink -f "$1")
. "$(dirname "$(readlink -f "$0")")/lttng_ns.sh" "$0" "$@"
RPID=

# Unknown relay: one line, exit 2.
"$B/bin/ctrace" analyze net://127.0.0.1:1/host/none/none >"$W/out" 2>"$W/err"
rc=$?
[ $rc -eq 2 ] || fail "unreachable relay: exit $rc, expected 2"
[ "$(wc -l <"$W/err")" -eq 1 ] || fail "unreachable relay: expected one line, got: $(cat "$W/err")"

# A relayd on three free loopback ports.
for try in 1 2 3 4 5; do
	base=$((20000 + (RANDOM % 20000)))
	lttng-relayd -C tcp://127.0.0.1:$base -D tcp://127.0.0.1:$((base + 1)) \
		-L tcp://127.0.0.1:$((base + 2)) -o "$W/relay" >"$W/relayd.log" 2>&1 &
	RPID=$!
	sleep 0.5
	kill -0 "$RPID" 2>/dev/null && break
	RPID=
done
[ -n "$RPID" ] || fail "lttng-relayd did not start: $(cat "$W/relayd.log")"
ns_track "$RPID"
ns_daemon_start
S=live$$
lttng create "$S" --live=100000 --set-url=net://127.0.0.1:$base:$((base + 1)) >/dev/null &&
	lttng enable-channel -u --blocking-timeout=inf --subbuf-size=1M --num-subbuf=4 c0 >/dev/null &&
	lttng enable-event -u -c c0 'ctrace:*' >/dev/null &&
	lttng enable-event -u -c c0 'lttng_ust_statedump:*' >/dev/null &&
	lttng add-context -u -c c0 -t vpid -t vtid >/dev/null &&
	lttng start "$S" >/dev/null || fail "cannot set up the live session"

"$B/bin/ctrace" analyze --json "net://127.0.0.1:$((base + 2))/host/$(hostname)/$S" \
	>"$W/report.json" 2>"$W/analyze.err" &
APID=$!
sleep 0.5
LTTNG_UST_ALLOW_BLOCKING=1 \
LD_PRELOAD="$B/lib/ctrace/libctrace-preload.so:liblttng-ust-fork.so.1:liblttng-ust-fd.so.1" \
	"$B/samples/request_loop" -n 100 >"$W/truth.txt" || fail "request_loop failed"
requests=$(sed -n 's/^truth: .*requests=\([0-9]*\).*/\1/p' "$W/truth.txt")
[ -n "$requests" ] || fail "no truth line from request_loop"
sleep 0.5
kill -0 $APID 2>/dev/null || fail "the analyzer ended before the session did: $(cat "$W/analyze.err")"
lttng destroy "$S" >/dev/null || fail "lttng destroy"
for i in $(seq 100); do kill -0 $APID 2>/dev/null || break; sleep 0.1; done
kill -0 $APID 2>/dev/null && { kill $APID; fail "the analyzer did not end 10 s after the session"; }
wait $APID
rc=$?
[ $rc -eq 0 ] || fail "analyze exited $rc: $(cat "$W/analyze.err")"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(r["count"] for r in d["regions"] if r["name"] == "request"))' "$W/report.json") ||
	fail "report is not the JSON expected"
[ "$got" = "$requests" ] || fail "live analysis saw $got requests, the program made $requests"
echo "PASS: live analysis counted $got/$requests requests"
