/* Region nesting in the tracer: durations, name checks, overflow depth. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "region_stack.h"

static void nested_regions_close_innermost_first(void **state)
{
	(void)state;
	struct region_stack s = { 0 };
	uint64_t a = region_name_hash("outer"), b = region_name_hash("inner");
	assert_int_equal(region_stack_push(&s, a, 100), 1);
	assert_int_equal(region_stack_push(&s, b, 150), 2);
	struct region_pop p = region_stack_pop(&s, b, 170);
	assert_int_equal(p.depth, 2);
	assert_int_equal(p.duration_ns, 20);
	assert_int_equal(p.mismatch, REGION_MATCH);
	p = region_stack_pop(&s, a, 400);
	assert_int_equal(p.depth, 1);
	assert_int_equal(p.duration_ns, 300);
	assert_int_equal(p.mismatch, REGION_MATCH);
	assert_int_equal(s.depth, 0);
}

static void wrong_name_still_closes_innermost(void **state)
{
	(void)state;
	struct region_stack s = { 0 };
	region_stack_push(&s, region_name_hash("outer"), 10);
	region_stack_push(&s, region_name_hash("inner"), 20);
	struct region_pop p = region_stack_pop(&s, region_name_hash("outer"), 50);
	assert_int_equal(p.mismatch, REGION_NAME_MISMATCH);
	assert_int_equal(p.depth, 2);
	assert_int_equal(p.duration_ns, 30);
	assert_int_equal(s.depth, 1);
}

static void end_without_begin_is_reported(void **state)
{
	(void)state;
	struct region_stack s = { 0 };
	struct region_pop p = region_stack_pop(&s, region_name_hash("x"), 5);
	assert_int_equal(p.mismatch, REGION_NOT_OPEN);
	assert_int_equal(p.depth, 0);
	assert_int_equal(s.depth, 0);
}

static void deeper_than_kept_stays_balanced(void **state)
{
	(void)state;
	struct region_stack s = { 0 };
	uint64_t h = region_name_hash("r");
	for (int i = 0; i < REGION_STACK_MAX + 10; i++)
		region_stack_push(&s, h, (uint64_t)i);
	assert_int_equal(s.depth, REGION_STACK_MAX + 10);
	for (int i = REGION_STACK_MAX + 10; i > 0; i--) {
		struct region_pop p = region_stack_pop(&s, h, 1000);
		assert_int_equal(p.depth, i);
		assert_int_equal(p.mismatch, REGION_MATCH);
		if (i <= REGION_STACK_MAX)
			assert_int_equal(p.duration_ns, 1000 - (uint64_t)(i - 1));
		else
			assert_int_equal(p.duration_ns, 0);
	}
	assert_int_equal(s.depth, 0);
}

static void distinct_names_hash_differently(void **state)
{
	(void)state;
	assert_int_not_equal(region_name_hash("checkout"), region_name_hash("checkouT"));
	assert_int_equal(region_name_hash("a"), region_name_hash("a"));
	assert_int_equal(region_name_hash(NULL), region_name_hash(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_regions_close_innermost_first),
		cmocka_unit_test(wrong_name_still_closes_innermost),
		cmocka_unit_test(end_without_begin_is_reported),
		cmocka_unit_test(deeper_than_kept_stays_balanced),
		cmocka_unit_test(distinct_names_hash_differently),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
