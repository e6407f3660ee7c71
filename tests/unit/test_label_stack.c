/* The tracer's label depth: LIFO, pops with nothing pushed are dropped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "label_stack.h"

static void push_pop_is_lifo(void **state)
{
	(void)state;
	struct label_stack s = { 0 };
	uint16_t d;
	assert_int_equal(label_stack_push(&s), 1);
	assert_int_equal(label_stack_push(&s), 2);
	assert_true(label_stack_pop(&s, &d));
	assert_int_equal(d, 2);
	assert_true(label_stack_pop(&s, &d));
	assert_int_equal(d, 1);
	assert_int_equal(s.depth, 0);
}

static void pop_on_empty_is_ignored(void **state)
{
	(void)state;
	struct label_stack s = { 0 };
	uint16_t d = 77;
	assert_false(label_stack_pop(&s, &d));
	assert_int_equal(d, 77);
	assert_int_equal(s.depth, 0);
	assert_int_equal(label_stack_push(&s), 1);
}

static void full_stack_drops_push(void **state)
{
	(void)state;
	struct label_stack s = { .depth = UINT16_MAX - 1 };
	assert_int_equal(label_stack_push(&s), UINT16_MAX);
	assert_int_equal(label_stack_push(&s), 0);
	assert_int_equal(s.depth, UINT16_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(push_pop_is_lifo),
		cmocka_unit_test(pop_on_empty_is_ignored),
		cmocka_unit_test(full_stack_drops_push),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
