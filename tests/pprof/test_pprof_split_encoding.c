/*
 * A profile large enough to be packed and compressed in parts on several
 * threads (pprof_compress.c) still reads back whole: one gzip member, every
 * sample and value there for protoc and `go tool pprof`, and the same bytes
 * on every encoding.
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

/* Above 4 parts' worth of samples (16384 per part). */
#define DISTINCT 70000
#define FUNCS 100

struct fixture {
	char *tmpdir;
	char path[4096];
	long long total, even;   /* sum of values; of region=even samples */
};

static struct pprof_builder *build(struct fixture *f)
{
	const struct pprof_value_type types[] = { { "samples", "count" } };
	struct pprof_error err;
	struct pprof_builder *b = pprof_builder_create(types, 1, &err);
	assert_non_null(b);
	uint64_t map = pprof_mapping_add(b, &(struct pprof_mapping){
		.start = 0x1000, .limit = 0x100000, .file = "/bin/prog", .has_functions = true });
	uint64_t loc[FUNCS];
	for (unsigned i = 0; i < FUNCS; i++) {
		char name[32];
		snprintf(name, sizeof name, "fn%u", i);
		uint64_t fn = pprof_function_add(b, &(struct pprof_function){ .name = name });
		loc[i] = pprof_location_add(b, map, 0x1000 + 16 * i, &(struct pprof_line){ fn, 1 }, 1);
	}
	uint64_t fmain = pprof_function_add(b, &(struct pprof_function){ .name = "main" });
	uint64_t lmain = pprof_location_add(b, 0, 0, &(struct pprof_line){ fmain, 1 }, 1);
	int64_t region = pprof_string_intern(b, "region"), seq = pprof_string_intern(b, "seq");
	int64_t even = pprof_string_intern(b, "even"), odd = pprof_string_intern(b, "odd");
	f->total = f->even = 0;
	/* Every sample twice: the second pass merges into the first. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < DISTINCT; i++) {
			const uint64_t stack[3] = { loc[i % FUNCS], loc[(i / FUNCS) % FUNCS], lmain };
			const struct pprof_label labels[2] = {
				pprof_label_str(region, i % 2 ? odd : even),
				pprof_label_num(seq, i, 0),
			};
			const int64_t value = 1 + i % 7;
			assert_int_equal(pprof_sample_add(b, stack, 3, &value, labels, 2), 0);
			f->total += value;
			f->even += i % 2 ? 0 : value;
		}
	}
	assert_int_equal(pprof_builder_sample_count(b), DISTINCT);
	return b;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || !(f->tmpdir = support_tmpdir_create()))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/large.pb.gz", f->tmpdir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	support_tree_remove(f->tmpdir);
	free(f->tmpdir);
	free(f);
	return 0;
}

static void encoding_is_deterministic(void **state)
{
	struct fixture *f = *state;
	struct pprof_builder *b = build(f);
	unsigned char *a, *c;
	size_t la, lc;
	struct pprof_error err;
	assert_int_equal(pprof_builder_encode(b, &a, &la, &err), 0);
	assert_int_equal(pprof_builder_encode(b, &c, &lc, &err), 0);
	assert_int_equal(la, lc);
	assert_memory_equal(a, c, la);
	free(a);
	free(c);
	pprof_builder_destroy(b);
}

static void protoc_sees_every_sample(void **state)
{
	struct fixture *f = *state;
	struct pprof_builder *b = build(f);
	struct pprof_error err;
	assert_int_equal(pprof_builder_write(b, f->path, &err), 0);
	pprof_builder_destroy(b);
	/* pprof_test_protoc_decode also checks the file is one gzip member. */
	char *text = pprof_test_protoc_decode(f->tmpdir, f->path);
	assert_int_equal(pprof_test_count(text, "\nsample {"), DISTINCT);
	assert_int_equal(pprof_test_count(text, "\nlocation {"), FUNCS + 1);
	assert_int_equal(pprof_test_count(text, "sample_type {"), 1);
	assert_int_equal(pprof_test_count(text, "string_table: \"\"\n"), 1);
	free(text);
}

static void go_pprof_sees_every_value(void **state)
{
	struct fixture *f = *state;
	if (!pprof_test_have_go())
		skip();
	struct pprof_builder *b = build(f);
	struct pprof_error err;
	assert_int_equal(pprof_builder_write(b, f->path, &err), 0);
	pprof_builder_destroy(b);
	const char *raw_args[] = { "-raw", f->path, NULL };
	char *raw = pprof_test_go_pprof(f->tmpdir, raw_args);
	size_t n;
	long long sum;
	pprof_test_raw_samples(raw, &n, &sum);
	if (n != DISTINCT)
		fail_msg("%zu samples in -raw output, %d expected; it starts:\n%.2000s", n, DISTINCT, raw);
	assert_int_equal(sum, f->total);
	free(raw);

	char focus[64], expect[128];
	snprintf(focus, sizeof focus, "-tagfocus=region=even");
	const char *top_args[] = { focus, "-top", f->path, NULL };
	char *top = pprof_test_go_pprof(f->tmpdir, top_args);
	snprintf(expect, sizeof expect, "Showing nodes accounting for %lld, ", f->even);
	if (!strstr(top, expect))
		fail_msg("expected '%s' in:\n%s", expect, top);
	free(top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(encoding_is_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(protoc_sees_every_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(go_pprof_sees_every_value, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
