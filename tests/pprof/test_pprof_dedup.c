/*
 * What the builder deduplicates and what it refuses, without any external
 * reader: strings, functions, locations (by address, or by lines when
 * there is none) and samples (by stack and label set, in any label order).
 * The summed values themselves are checked by test_pprof_go_readers.
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

static struct pprof_builder *new_builder(void)
{
	const struct pprof_value_type types[] = { { "samples", "count" } };
	struct pprof_error err;
	struct pprof_builder *b = pprof_builder_create(types, 1, &err);
	assert_non_null(b);
	return b;
}

static void strings_are_interned_once(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	assert_int_equal(pprof_string_intern(b, ""), 0);
	assert_int_equal(pprof_string_intern(b, NULL), 0);
	int64_t x = pprof_string_intern(b, "region");
	assert_true(x > 0);
	char copy[] = "region";
	assert_int_equal(pprof_string_intern(b, copy), x);
	assert_int_not_equal(pprof_string_intern(b, "regio"), x);
	assert_int_not_equal(pprof_string_intern(b, "region2"), x);
	pprof_builder_destroy(b);
}

static void functions_are_deduplicated(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	uint64_t f = pprof_function_add(b, &(struct pprof_function){ "f", "f", "f.c", 3 });
	assert_int_equal(f, 1);
	assert_int_equal(pprof_function_add(b, &(struct pprof_function){ "f", "f", "f.c", 3 }), f);
	assert_int_equal(pprof_function_add(b, &(struct pprof_function){ "f", "f", "f.c", 4 }), 2);
	assert_int_equal(pprof_function_add(b, &(struct pprof_function){ "f", "_Z1fv", "f.c", 3 }), 3);
	assert_int_equal(pprof_function_add(b, &(struct pprof_function){ NULL, NULL, NULL, 0 }), 4);
	assert_int_equal(pprof_function_add(b, &(struct pprof_function){ "", "", "", 0 }), 4);
	pprof_builder_destroy(b);
}

static void locations_by_address_or_by_lines(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	uint64_t m1 = pprof_mapping_add(b, &(struct pprof_mapping){ .start = 0x1000, .limit = 0x2000 });
	uint64_t m2 = pprof_mapping_add(b, &(struct pprof_mapping){ .start = 0x3000, .limit = 0x4000 });
	uint64_t f = pprof_function_add(b, &(struct pprof_function){ .name = "f" });
	uint64_t g = pprof_function_add(b, &(struct pprof_function){ .name = "g" });
	const struct pprof_line fg[] = { { f, 1 }, { g, 2 } }, gf[] = { { g, 2 }, { f, 1 } };

	uint64_t a = pprof_location_add(b, m1, 0x1010, fg, 2);
	assert_int_equal(a, 1);
	/* Same mapping and address: the same location, whatever the lines. */
	assert_int_equal(pprof_location_add(b, m1, 0x1010, gf, 1), a);
	assert_int_equal(pprof_location_add(b, m1, 0x1010, NULL, 0), a);
	assert_int_equal(pprof_location_add(b, m2, 0x1010, fg, 2), 2);
	assert_int_equal(pprof_location_add(b, m1, 0x1018, fg, 2), 3);
	/* No address: the lines, in order, are the identity. */
	uint64_t c = pprof_location_add(b, 0, 0, fg, 2);
	assert_int_equal(c, 4);
	assert_int_equal(pprof_location_add(b, 0, 0, fg, 2), c);
	assert_int_equal(pprof_location_add(b, 0, 0, gf, 2), 5);
	assert_int_equal(pprof_location_add(b, 0, 0, fg, 1), 6);
	assert_int_equal(pprof_location_add(b, m1, 0, fg, 2), 7);
	/* An address without lines is fine (pprof may symbolize it). */
	assert_int_equal(pprof_location_add(b, m1, 0x1020, NULL, 0), 8);
	assert_null(pprof_builder_error(b));
	pprof_builder_destroy(b);
}

static void samples_merge_by_stack_and_label_set(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	uint64_t f = pprof_function_add(b, &(struct pprof_function){ .name = "f" });
	uint64_t l1 = pprof_location_add(b, 0, 0x10, &(struct pprof_line){ f, 1 }, 1);
	uint64_t l2 = pprof_location_add(b, 0, 0x20, &(struct pprof_line){ f, 2 }, 1);
	int64_t k = pprof_string_intern(b, "k"), v = pprof_string_intern(b, "v");
	int64_t n = pprof_string_intern(b, "n"), u = pprof_string_intern(b, "u");
	const struct pprof_label kv_n[] = { pprof_label_str(k, v), pprof_label_num(n, 5, u) };
	const struct pprof_label n_kv[] = { pprof_label_num(n, 5, u), pprof_label_str(k, v) };
	const struct pprof_label kv_n6[] = { pprof_label_str(k, v), pprof_label_num(n, 6, u) };
	const uint64_t s12[] = { l1, l2 }, s21[] = { l2, l1 };
	const int64_t one = 1;

	assert_int_equal(pprof_sample_add(b, s12, 2, &one, kv_n, 2), 0);
	assert_int_equal(pprof_sample_add(b, s12, 2, &one, n_kv, 2), 0);
	assert_int_equal(pprof_builder_sample_count(b), 1);
	assert_int_equal(pprof_sample_add(b, s12, 2, &one, kv_n6, 2), 0);
	assert_int_equal(pprof_sample_add(b, s12, 2, &one, kv_n, 1), 0);
	assert_int_equal(pprof_sample_add(b, s12, 2, &one, NULL, 0), 0);
	assert_int_equal(pprof_sample_add(b, s21, 2, &one, kv_n, 2), 0);
	assert_int_equal(pprof_sample_add(b, s12, 1, &one, kv_n, 2), 0);
	assert_int_equal(pprof_sample_add(b, NULL, 0, &one, NULL, 0), 0);
	assert_int_equal(pprof_sample_add(b, NULL, 0, &one, NULL, 0), 0);
	assert_int_equal(pprof_builder_sample_count(b), 7);
	assert_null(pprof_builder_error(b));
	pprof_builder_destroy(b);
}

/* Enough distinct keys to grow every table several times. */
static void many_samples_keep_their_identity(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	enum { FUNCS = 500, KEYS = 20000, REPEAT = 5 };
	uint64_t loc[FUNCS];
	for (unsigned i = 0; i < FUNCS; i++) {
		char name[32];
		snprintf(name, sizeof name, "fn%u", i);
		uint64_t f = pprof_function_add(b, &(struct pprof_function){ .name = name });
		loc[i] = pprof_location_add(b, 0, 0x1000 + 16 * i, &(struct pprof_line){ f, 1 }, 1);
		assert_int_equal(loc[i], i + 1);
	}
	int64_t key = pprof_string_intern(b, "key");
	for (unsigned r = 0; r < REPEAT; r++) {
		for (unsigned i = 0; i < KEYS; i++) {
			const uint64_t stack[3] = { loc[i % FUNCS], loc[(i / FUNCS) % FUNCS], loc[7] };
			const struct pprof_label l = pprof_label_num(key, i % 3, 0);
			const int64_t one = 1;
			assert_int_equal(pprof_sample_add(b, stack, 3, &one, &l, 1), 0);
		}
		assert_int_equal(pprof_builder_sample_count(b), KEYS);
	}
	unsigned char *gz;
	size_t len;
	struct pprof_error err;
	assert_int_equal(pprof_builder_encode(b, &gz, &len, &err), 0);
	assert_true(len > 20 && gz[0] == 0x1f && gz[1] == 0x8b);
	free(gz);
	pprof_builder_destroy(b);
}

static void bad_ids_are_refused_and_block_writing(void **state)
{
	(void)state;
	struct pprof_builder *b = new_builder();
	uint64_t f = pprof_function_add(b, &(struct pprof_function){ .name = "f" });
	uint64_t l = pprof_location_add(b, 0, 0x10, &(struct pprof_line){ f, 1 }, 1);
	const int64_t one = 1;
	assert_int_equal(pprof_sample_add(b, &l, 1, &one, NULL, 0), 0);
	assert_null(pprof_builder_error(b));

	const uint64_t bad = l + 1;
	assert_int_equal(pprof_sample_add(b, &bad, 1, &one, NULL, 0), -1);
	const char *msg = pprof_builder_error(b);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "no location 2"));
	/* Later failures do not hide the first. */
	assert_int_equal(pprof_location_add(b, 9, 0x10, &(struct pprof_line){ f, 1 }, 1), 0);
	assert_int_equal(pprof_location_add(b, 0, 0x20, &(struct pprof_line){ 7, 1 }, 1), 0);
	assert_int_equal(pprof_location_add(b, 0, 0, NULL, 0), 0);
	const struct pprof_label nokey = pprof_label_str(0, 1);
	assert_int_equal(pprof_sample_add(b, &l, 1, &one, &nokey, 1), -1);
	assert_int_equal(pprof_builder_set_default_sample_type(b, "cpu"), -1);
	assert_ptr_equal(pprof_builder_error(b), msg);
	assert_non_null(strstr(msg, "no location 2"));

	unsigned char *gz = NULL;
	size_t len;
	struct pprof_error err;
	assert_int_equal(pprof_builder_encode(b, &gz, &len, &err), -1);
	assert_null(gz);
	assert_non_null(strstr(err.msg, "an earlier call failed"));
	assert_non_null(strstr(err.msg, "no location 2"));
	pprof_builder_destroy(b);
}

/* Each refusal on its own builder, so each message is the first. */
static void each_bad_argument_says_what_was_wrong(void **state)
{
	(void)state;
	struct {
		int kind;
		const char *expect;
	} cases[] = {
		{ 0, "no mapping 9" },
		{ 1, "no function 7" },
		{ 2, "needs an address or at least one line" },
		{ 3, "is not a string index" },
		{ 4, "default sample type 'cpu'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pprof_builder *b = new_builder();
		uint64_t f = pprof_function_add(b, &(struct pprof_function){ .name = "f" });
		uint64_t l = pprof_location_add(b, 0, 0x10, &(struct pprof_line){ f, 1 }, 1);
		const int64_t one = 1;
		const struct pprof_label bad_str = pprof_label_str(pprof_string_intern(b, "k"), 999);
		switch (cases[i].kind) {
		case 0: pprof_location_add(b, 9, 0x10, &(struct pprof_line){ f, 1 }, 1); break;
		case 1: pprof_location_add(b, 0, 0x20, &(struct pprof_line){ 7, 1 }, 1); break;
		case 2: pprof_location_add(b, 0, 0, NULL, 0); break;
		case 3: pprof_sample_add(b, &l, 1, &one, &bad_str, 1); break;
		case 4: pprof_builder_set_default_sample_type(b, "cpu"); break;
		}
		const char *msg = pprof_builder_error(b);
		assert_non_null(msg);
		if (!strstr(msg, cases[i].expect))
			fail_msg("case %zu: '%s' does not say '%s'", i, msg, cases[i].expect);
		pprof_builder_destroy(b);
	}
}

static void builder_needs_named_sample_types(void **state)
{
	(void)state;
	struct pprof_error err;
	assert_null(pprof_builder_create(NULL, 0, &err));
	assert_non_null(strstr(err.msg, "at least one sample type"));
	const struct pprof_value_type unnamed[] = { { "samples", "count" }, { NULL, "ns" } };
	assert_null(pprof_builder_create(unnamed, 2, &err));
	assert_non_null(strstr(err.msg, "sample type 1 has no name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_are_interned_once),
		cmocka_unit_test(functions_are_deduplicated),
		cmocka_unit_test(locations_by_address_or_by_lines),
		cmocka_unit_test(samples_merge_by_stack_and_label_set),
		cmocka_unit_test(many_samples_keep_their_identity),
		cmocka_unit_test(bad_ids_are_refused_and_block_writing),
		cmocka_unit_test(each_bad_argument_says_what_was_wrong),
		cmocka_unit_test(builder_needs_named_sample_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
