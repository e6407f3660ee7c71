#!/bin/bash
# Every benchmark, one after the other, each printing its own table: the
# tests/bench/run_*.sh drivers (lock and malloc fast paths, whole-program
# overhead, ...) and the benchmark programs that need no driver (idle
# annotation API, pprof export, symbolizer). A program with a driver of
# its own (run_X.sh for bench_X) is left to the driver. One failing
# benchmark is reported and the others still run; the exit status says
# whether any failed.
#
# Usage: tests/bench/run_all.sh [BUILD_DIR]   (default: build)
set -u

HERE=$(dirname "$(readlink -f "$0")")
BUILD=$(readlink -f "${1:-build}")
failed=0

section() { # title, then the command
	local title=$1; shift
	echo
	echo "== $title ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
	echo
	"$@" || { echo "!! $title failed (exit $?)"; failed=1; }
}

for driver in "$HERE"/run_*.sh; do
	[ "$driver" = "$HERE/run_all.sh" ] && continue
	section "$(basename "$driver")" "$driver" "$BUILD"
done

# Driverless programs, wherever their folder builds them.
for prog in tests/bench/bench_api_idle tests/bench/bench_pprof_export \
	tests/analyzer_symbols/bench_symbolize; do
	name=$(basename "$prog")
	[ -e "$HERE/run_${name#bench_}.sh" ] && continue
	if [ -x "$BUILD/$prog" ]; then
		section "$name" "$BUILD/$prog"
	else
		echo; echo "!! $name: $BUILD/$prog not built"; failed=1
	fi
done
exit $failed
