/*
 * The synthetic profile (pprof_test.h) written to a file and read back by
 * the real readers: `go tool pprof` (-raw, -top, -tags, -tagfocus, and a
 * -proto round trip read again) and `protoc --decode` on the gunzipped
 * bytes, an independent decoder of profile.proto. Every check is against
 * the numbers the profile was built with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pprof_test.h"
#include "support.h"

struct fixture {
	char *tmpdir;
	char path[4096];   /* the written profile */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || !(f->tmpdir = support_tmpdir_create()))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/profile.pb.gz", f->tmpdir);
	struct pprof_builder *b = pprof_test_profile();
	struct pprof_error err;
	int rc = pprof_builder_write(b, f->path, &err);
	if (rc < 0)
		fprintf(stderr, "%s\n", err.msg);
	pprof_builder_destroy(b);
	*state = f;
	return rc;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	support_tree_remove(f->tmpdir);
	free(f->tmpdir);
	free(f);
	return 0;
}

static char *go_pprof(const struct fixture *f, const char *a1, const char *a2, const char *a3,
		      const char *file)
{
	const char *args[] = { a1, a2, a3, file, NULL };
	/* Drop the NULL options so each call names only what it uses. */
	const char *packed[5];
	size_t n = 0;
	for (size_t i = 0; i < 4; i++)
		if (args[i])
			packed[n++] = args[i];
	packed[n] = NULL;
	return pprof_test_go_pprof(f->tmpdir, packed);
}

/* The flat and cum columns of the `-top` row for a function (a number
 * with its unit suffix dropped, e.g. "7s" → 7). */
static void top_row(const char *top, const char *fn, double *flat, double *cum)
{
	char needle[256];
	snprintf(needle, sizeof needle, "%%  %s\n", fn);
	const char *p = strstr(top, needle);
	assert_non_null(p);
	while (p > top && p[-1] != '\n')
		p--;
	char col[5][32];
	assert_int_equal(sscanf(p, " %31s %31s %31s %31s %31s", col[0], col[1], col[2], col[3], col[4]), 5);
	*flat = strtod(col[0], NULL);
	*cum = strtod(col[3], NULL);
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "expected to find:\n%s\nin:\n%s\n", needle, text);
		fail();
	}
}

static void raw_has_samples_labels_and_inlined_frames(void **state)
{
	const struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	char *raw = go_pprof(f, "-raw", NULL, NULL, f->path);
	size_t n;
	long long sum;
	pprof_test_raw_samples(raw, &n, &sum);
	assert_int_equal(n, PPROF_TEST_DISTINCT_SAMPLES);
	assert_int_equal(sum, 1000);
	assert_contains(raw, "Comment: ctrace test profile");
	assert_contains(raw, "PeriodType: cpu nanoseconds\nPeriod: 10000000\n");
	assert_contains(raw, "Duration: 10s");
	assert_contains(raw, "samples/count[dflt] cpu/nanoseconds");
	assert_contains(raw, "500 5000000000:");
	assert_contains(raw, "region:[a] tid:[1]");
	assert_contains(raw, "region:[b] tid:[2]");
	assert_contains(raw, "alloc:[4096 bytes]");
	/* Inlined frames: one location, innermost line first. */
	assert_contains(raw, ": 0x401010 M=1 helper work.c:42 s=40\n             work_a work.c:15 s=10\n");
	assert_contains(raw, ": 0x402020 M=1 work_b work.c:61 s=60\n");
	assert_contains(raw, ": 0x0 main main.c:5 s=1\n");
	assert_contains(raw, "0x400000/0x500000/0x0 /usr/bin/ctrace-test-prog 0123abcd [FN][FL][LN][IN]");
	free(raw);
}

static void top_totals_per_function(void **state)
{
	const struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	char *top = go_pprof(f, "-top", NULL, NULL, f->path);
	double flat, cum;
	assert_contains(top, "Total samples = 1000");
	top_row(top, "helper (inline)", &flat, &cum);
	assert_true(flat == 700 && cum == 700);
	top_row(top, "work_a", &flat, &cum);
	assert_true(flat == 0 && cum == 700);
	top_row(top, "work_b", &flat, &cum);
	assert_true(flat == 300 && cum == 300);
	top_row(top, "main", &flat, &cum);
	assert_true(flat == 0 && cum == 1000);
	free(top);

	char *cpu = go_pprof(f, "-sample_index=cpu", "-top", NULL, f->path);
	assert_contains(cpu, "Total samples = 10s");
	top_row(cpu, "helper (inline)", &flat, &cum);
	assert_true(flat == 7 && cum == 7);
	top_row(cpu, "work_b", &flat, &cum);
	assert_true(flat == 3 && cum == 3);
	free(cpu);
}

static void tags_break_down_by_label(void **state)
{
	const struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	char *tags = go_pprof(f, "-tags", NULL, NULL, f->path);
	assert_contains(tags, "region: Total 1000.0\n");
	assert_contains(tags, "600.0 (60.00%): a\n");
	assert_contains(tags, "400.0 (40.00%): b\n");
	assert_contains(tags, "tid: Total 1000.0\n");
	assert_contains(tags, "700.0 (70.00%): 1\n");
	assert_contains(tags, "300.0 (30.00%): 2\n");
	assert_contains(tags, "alloc: Total 100.0\n");
	assert_contains(tags, "100.0 (  100%): 4kB\n");
	free(tags);
}

static void tagfocus_keeps_matching_samples(void **state)
{
	const struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	double flat, cum;
	char *a = go_pprof(f, "-tagfocus=region=a", "-top", NULL, f->path);
	assert_contains(a, "Showing nodes accounting for 600, 60.00% of 1000 total");
	top_row(a, "helper (inline)", &flat, &cum);
	assert_true(flat == 500);
	top_row(a, "work_b", &flat, &cum);
	assert_true(flat == 100);
	free(a);

	/* pprof reads a bare number as a numeric range: anchor it to match
	 * the string label "2". */
	char *t2 = go_pprof(f, "-tagfocus=tid=^2$", "-top", NULL, f->path);
	assert_contains(t2, "Showing nodes accounting for 300, 30.00% of 1000 total");
	free(t2);
	/* The numeric label, by value and unit. */
	char *alloc = go_pprof(f, "-tagfocus=alloc=4kb", "-top", NULL, f->path);
	assert_contains(alloc, "Showing nodes accounting for 100, 10.00% of 1000 total");
	free(alloc);
}

/* From "Samples:" on: what a round trip must keep (pprof renumbers
 * nothing that shows there once read). */
static const char *raw_body(const char *raw)
{
	const char *p = strstr(raw, "Samples:");
	assert_non_null(p);
	return p;
}

static void proto_round_trip_reads_the_same(void **state)
{
	const struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	char rt[4200], output[4300];
	snprintf(rt, sizeof rt, "%s/roundtrip.pb.gz", f->tmpdir);
	snprintf(output, sizeof output, "-output=%s", rt);
	free(go_pprof(f, "-proto", output, NULL, f->path));

	char *raw0 = go_pprof(f, "-raw", NULL, NULL, f->path);
	char *raw1 = go_pprof(f, "-raw", NULL, NULL, rt);
	assert_string_equal(raw_body(raw1), raw_body(raw0));
	char *tags0 = go_pprof(f, "-tags", NULL, NULL, f->path);
	char *tags1 = go_pprof(f, "-tags", NULL, NULL, rt);
	assert_string_equal(tags1, tags0);
	char *top1 = go_pprof(f, "-top", NULL, NULL, rt);
	assert_contains(top1, "Total samples = 1000");
	free(raw0);
	free(raw1);
	free(tags0);
	free(tags1);
	free(top1);
}

static void protoc_decodes_the_same_profile(void **state)
{
	const struct fixture *f = *state;
	char *text = pprof_test_protoc_decode(f->tmpdir, f->path);

	/* String 0 is "", and the first entry. */
	assert_contains(text, "string_table: \"\"\nstring_table: \"samples\"\n");
	assert_int_equal(pprof_test_count(text, "string_table: \"\"\n"), 1);
	assert_int_equal(pprof_test_count(text, "string_table: \"work_a\"\n"), 1);
	assert_int_equal(pprof_test_count(text, "sample_type {"), 2);
	assert_int_equal(pprof_test_count(text, "\nsample {"), PPROF_TEST_DISTINCT_SAMPLES);
	assert_contains(text, "  value: 500\n  value: 5000000000\n");
	assert_contains(text, "  value: 100\n  value: 1000000000\n");
	assert_contains(text, "    num: 4096\n");
	assert_int_equal(pprof_test_count(text, "\n  label {"), 9);
	assert_int_equal(pprof_test_count(text, "\nmapping {"), 1);
	assert_contains(text, "  has_inline_frames: true\n");
	assert_int_equal(pprof_test_count(text, "\nlocation {"), 3);
	assert_int_equal(pprof_test_count(text, "\n  line {"), 4);
	assert_int_equal(pprof_test_count(text, "\nfunction {"), 4);
	assert_contains(text, "time_nanos: 1700000000000000000\nduration_nanos: 10000000000\n");
	assert_contains(text, "period_type {\n  type: 3\n  unit: 4\n}\nperiod: 10000000\n");
	assert_contains(text, "default_sample_type: 1\n");
	assert_int_equal(pprof_test_count(text, "\ncomment: "), 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_has_samples_labels_and_inlined_frames),
		cmocka_unit_test(top_totals_per_function),
		cmocka_unit_test(tags_break_down_by_label),
		cmocka_unit_test(tagfocus_keeps_matching_samples),
		cmocka_unit_test(proto_round_trip_reads_the_same),
		cmocka_unit_test(protoc_decodes_the_same_profile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
