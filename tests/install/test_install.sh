#!/usr/bin/env bash
# `cmake --install` gives a user everything to build an annotated program:
# headers, libctrace, ctrace.pc, the ctrace command and its preload library.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name ctrace.pc | head -n1)")
[ -n "$pcdir" ] || { echo "FAIL: ctrace.pc not installed"; exit 1; }

# The .pc file names the configured prefix; point pkg-config at this one.
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --define-variable=prefix="$prefix" --cflags --libs ctrace)
cc -std=c11 -Wall -Werror -o "$prefix/annotated" "$src/tests/install/annotated.c" $flags
libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --define-variable=prefix="$prefix" --variable=libdir ctrace)
out=$(LD_LIBRARY_PATH=$libdir "$prefix/annotated")
[ "$out" = "annotated ok" ] || { echo "FAIL: annotated program printed '$out'"; exit 1; }

# Linking libctrace interposes nothing from libc.
if nm -D --defined-only "$libdir/libctrace.so" | awk '{print $3}' | grep -v '^ctrace_' | grep -q .; then
  echo "FAIL: libctrace exports more than the API:"; nm -D --defined-only "$libdir/libctrace.so"; exit 1
fi

[ -x "$prefix/bin/ctrace" ] || { echo "FAIL: ctrace command not installed"; exit 1; }
find "$prefix" -name libctrace-preload.so | grep -q . || { echo "FAIL: preload library not installed"; exit 1; }
"$prefix/bin/ctrace" --version | grep -q '^ctrace ' || { echo "FAIL: installed ctrace does not run"; exit 1; }
echo "install: 1 passed, 0 failed"
