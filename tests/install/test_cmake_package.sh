#!/usr/bin/env bash
# The installed CMake package works for a user's project: from a clean
# build directory, samples/cmake_project finds ctrace (find_package, with
# its version), links ctrace::ctrace, and its ctrace_add_test() tests run
# traced: the budget that holds passes, the stalled request's budget fails
# (WILL_FAIL) and the output names its cause (lock_wait on the mutex held
# by the janitor thread in its cleanup region).
# Usage: test_cmake_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix sample=$work/sample-build log=$work/ctest.log

fail() { echo "FAIL: $*"; [ -f "$log" ] && cat "$log"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
[ -f "$(find "$prefix" -name ctraceConfig.cmake | head -n1)" ] || fail "ctraceConfig.cmake not installed"
[ -f "$(find "$prefix" -name ctraceConfigVersion.cmake | head -n1)" ] || fail "ctraceConfigVersion.cmake not installed"

# A version the package cannot satisfy is refused.
mkdir -p "$work/toonew"
cat > "$work/toonew/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(toonew LANGUAGES C)
find_package(ctrace 99 REQUIRED)
CMAKE
if cmake -S "$work/toonew" -B "$work/toonew/b" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
  fail "find_package(ctrace 99) accepted version $(grep -o 'PACKAGE_VERSION "[^"]*"' "$(find "$prefix" -name ctraceConfigVersion.cmake)")"
fi

# The tests record with a private session daemon, like the suite's.
cmake -S "$src/samples/cmake_project" -B "$sample" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCTRACE_RECORD_OPTIONS=--private-daemon >"$log" 2>&1 || fail "configuring the sample project"
cmake --build "$sample" >>"$log" 2>&1 || fail "building the sample project"
ctest --test-dir "$sample" -V >"$log" 2>&1 || fail "the sample's tests did not both come out as expected"

grep -q 'Test #1: server_fast .* Passed' "$log" || fail "server_fast did not pass"
grep -q 'Test #2: server_stalled .* Passed' "$log" || fail "server_stalled did not fail (WILL_FAIL)"
grep -q 'ok    region handle <= 100 ms (max): 40 instances' "$log" || fail "server_fast: no max line"
grep -q 'ok    region handle <= 25.0 ms (p90): 40 instances' "$log" || fail "server_fast: no p90 line"
grep -Eq 'FAIL  region handle <= 100 ms \(max\): 40 instances, max .*; [0-9]+ over the budget' "$log" ||
  fail "server_stalled: the exceeded budget is not reported"
grep -Eq 'lock_wait (29[0-9]|[3-9][0-9][0-9])(\.[0-9]+)? ms' "$log" || fail "server_stalled: no lock_wait of the stall"
grep -Eq 'waited (29[0-9]|[3-9][0-9][0-9])(\.[0-9]+)? ms on mutex 0x[0-9a-f]+ (from [^ ]+ )?held by [0-9]+ janitor, in region cleanup' "$log" ||
  fail "server_stalled: the janitor is not named as the holder"
grep -q 'ctrace check: 1 exceeded, 0 held' "$log" || fail "server_stalled: summary"
# The trace is left where ctrace_add_test said, for ctrace analyze.
[ -f "$sample/ctrace/server_stalled/ctrace-run.json" ] || fail "no trace in the default TRACE_DIR"
echo "cmake package: 1 passed, 0 failed"
