/*
 * Budget specs (check.h): what `ctrace check --budget` and `ctrace record
 * --check` accept, and the one-line reasons for what they refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"

static struct check_budget parse_ok(const char *spec)
{
	struct check_budget b;
	char msg[200] = "";
	if (check_budget_parse(spec, &b, msg, sizeof msg) != 0)
		fail_msg("'%s' refused: %s", spec, msg);
	return b;
}

static void test_accepted(void **state)
{
	(void)state;
	struct check_budget b = parse_ok("request=5ms");
	assert_string_equal(b.name, "request");
	assert_int_equal(b.limit_ns, 5000000);
	assert_int_equal(b.permille, 0);
	b = parse_ok("request=1.5ms@p99");
	assert_int_equal(b.limit_ns, 1500000);
	assert_int_equal(b.permille, 990);
	b = parse_ok("db query=250us@p99.9");
	assert_string_equal(b.name, "db query");
	assert_int_equal(b.permille, 999);
	b = parse_ok("a=b@c=2s@P50");         /* the name ends at the last '=' */
	assert_string_equal(b.name, "a=b@c");
	assert_int_equal(b.limit_ns, 2000000000ull);
	assert_int_equal(b.permille, 500);
	assert_int_equal(b.kind, -1);
	b = parse_ok("task:request=5ms");
	assert_string_equal(b.name, "request");
	assert_int_equal(b.kind, ANALYSIS_TASK);
	b = parse_ok("region:task:x=5ms");    /* one qualifier, the rest is the name */
	assert_string_equal(b.name, "task:x");
	assert_int_equal(b.kind, ANALYSIS_REGION);
	b = parse_ok("x=0");                  /* nothing may take any time */
	assert_int_equal(b.limit_ns, 0);
	b = parse_ok("x=300ns@p100");
	assert_int_equal(b.permille, 1000);
	char stat[16];
	assert_string_equal(check_budget_stat(&b, stat, sizeof stat), "p100");
	b = parse_ok("x=1s@p99.9");
	assert_string_equal(check_budget_stat(&b, stat, sizeof stat), "p99.9");
	b = parse_ok("x=1s");
	assert_string_equal(check_budget_stat(&b, stat, sizeof stat), "max");
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"request", "=5ms", "request=", "request=5", "request=0.5", "request=5 ms",
		"request=fast", "request=-1ms", "request=5ms@", "request=5ms@99", "request=5ms@p",
		"request=5ms@p0", "request=5ms@p101", "request=5ms@p99.99", "request=5ms@p9x",
		"request=5ms@max", "region:=5ms", "task:=1s",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct check_budget b;
		char msg[200] = "";
		if (check_budget_parse(bad[i], &b, msg, sizeof msg) == 0)
			fail_msg("'%s' accepted", bad[i]);
		/* One line, saying something. */
		assert_true(strlen(msg) > 10);
		assert_null(strchr(msg, '\n'));
	}
	char longname[CHECK_NAME_MAX + 8];
	memset(longname, 'a', CHECK_NAME_MAX);
	strcpy(longname + CHECK_NAME_MAX, "=1ms");
	struct check_budget b;
	char msg[200];
	assert_int_equal(check_budget_parse(longname, &b, msg, sizeof msg), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
