#!/bin/bash
# Two recordings at once on one session daemon ("the user's", no
# --private-daemon) each keep only their own program. The daemon gives
# every session every traced program's events; the analyzer keeps the
# recorded program's process tree (its pid from the run info, descendants
# from the kernel's fork records and process_start) and counts the rest.
# request_loop and cpu_bound run overlapping: each analysis must list only
# its own program's process, find only its own regions, and at least one
# must say it left another program's events out. The daemon is the test's
# own, in a private mount namespace, stopped by PID.
# usage: test_shared_daemon.sh BUILD_DIR
set -u
B=$(readlink -f "$1")
. "$(dirname "$(readlink -f "$0")")/lttng_ns.sh" "$0" "$@"
ns_daemon_start

"$B/bin/ctrace" record -q -o "$W/a" -- "$B/samples/request_loop" -n 300 >"$W/a.out" 2>"$W/a.err" &
APID=$!
sleep 0.2
"$B/bin/ctrace" record -q -o "$W/b" -- "$B/samples/cpu_bound" >"$W/b.out" 2>"$W/b.err" ||
	fail "recording b failed: $(cat "$W/b.err")"
wait $APID || fail "recording a failed: $(cat "$W/a.err")"
grep -q '"daemon": "user"' "$W/a/ctrace-run.json" || fail "a did not use the shared daemon"

foreign=0
for r in a b; do
	pid=$(sed -n 's/^  "pid": \([0-9]*\),/\1/p' "$W/$r/ctrace-run.json")
	[ -n "$pid" ] || fail "$r: no pid in the run info"
	"$B/bin/ctrace" analyze --no-cache --json "$W/$r" >"$W/$r.json" 2>"$W/$r.aerr" ||
		fail "analyze $r: $(cat "$W/$r.aerr")"
	"$B/bin/ctrace" analyze --no-cache "$W/$r" >"$W/$r.txt" 2>&1 || fail "analyze $r (text)"
	python3 - "$W/$r.json" "$pid" "$r" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
pid, run = int(sys.argv[2]), sys.argv[3]
pids = sorted({p["pid"] for p in d["trace"]["processes"]})
regions = {r["name"] for r in d["regions"]}
print(f"{run}: processes {pids} (program {pid}), regions {sorted(regions)}")
if pids != [pid]:
    sys.exit(f"FAIL: {run}: processes {pids}, expected only {pid}")
if run == "b" and "request" in regions:
    sys.exit("FAIL: b (cpu_bound) shows request_loop's regions")
if run == "a" and "request" not in regions:
    sys.exit("FAIL: a (request_loop) lost its own regions")
PY
	grep -q "events of other programs left out" "$W/$r.txt" && foreign=$((foreign + 1))
done
[ $foreign -ge 1 ] || fail "neither recording saw the other's events: the test did not overlap them"
echo "PASS: each recording kept only its program ($foreign left the other's events out)"
