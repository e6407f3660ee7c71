/*
 * Shared by the pprof writer's tests: the synthetic profile whose numbers
 * every test knows, and running the real readers on a written file.
 */
#ifndef PPROF_TEST_H
#define PPROF_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "pprof_builder.h"

/* The synthetic profile: main calls work_a (with helper inlined into it)
 * and work_b. Samples are added one event at a time, interleaved, values
 * {1 sample, 10 ms of cpu} each:
 *   [helper+work_a, main]  region=a tid=1            500
 *   [helper+work_a, main]  region=b tid=2            200
 *   [work_b, main]         region=a tid=2 alloc=4096 bytes  100
 *   [work_b, main]         region=b tid=1            200
 * so 4 distinct samples, 1000 in all, work_a 700, work_b 300, region=a
 * 600, region=b 400, tid=1 700, tid=2 300. main's location has no address
 * (found again by its line); the others are in one mapping. */
#define PPROF_TEST_PERIOD_NS 10000000
#define PPROF_TEST_DISTINCT_SAMPLES 4

/* Builds it; fails the running cmocka test on any error. */
struct pprof_builder *pprof_test_profile(void);

/* Runs `go tool pprof ARGS...` (args NULL-terminated) with HOME, GOCACHE
 * and PPROF_TMPDIR in tmpdir and no network, and returns its standard
 * output (malloc'd); fails the running test when it does not exit 0. */
char *pprof_test_go_pprof(const char *tmpdir, const char *const args[]);

/* Runs `/bin/sh -c script` and returns its standard output (malloc'd);
 * fails the running test when it does not exit 0. */
char *pprof_test_sh(const char *script);

/* True when go is installed; otherwise prints why the test is skipped. */
bool pprof_test_have_go(void);

/* Sample lines of `go tool pprof -raw` output ("  VALUE...: LOCS"):
 * their number and the sum of their first value. */
void pprof_test_raw_samples(const char *raw, size_t *n, long long *sum);

/* Gunzips src into dst; fails the running test unless src is exactly one
 * gzip member (nothing after its trailer). */
void pprof_test_gunzip(const char *src, const char *dst);

/* `protoc --decode perftools.profiles.Profile` of the gzipped profile at
 * path (unzipped into tmpdir first): the text (malloc'd). Fails the
 * running test when protoc is missing or fails. */
char *pprof_test_protoc_decode(const char *tmpdir, const char *path);

/* Number of non-overlapping occurrences of needle in haystack. */
size_t pprof_test_count(const char *haystack, const char *needle);

#endif
