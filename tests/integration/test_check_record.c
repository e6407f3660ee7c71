/*
 * `ctrace record --check`: records and checks in one step, and the exit
 * status says which went wrong, the test's own failure first.
 *
 * samples/request_loop -n 30 -s 25 -d 20 slows request 24 by 20 ms (the
 * only spike), so `request=15ms` is exceeded and `request=1s` holds. Run
 * directly (exit 0) or under `sh -c '...; exit 3'` (regions recorded, then
 * the test fails), every combination gives:
 *   program 0, budgets hold      -> 0
 *   program 0, budget exceeded   -> 1 (the offender printed)
 *   program 3, budget exceeded   -> 3 (the offender still printed)
 *   program 3, budgets hold      -> 3
 *   program 4 before any region  -> 4 (the missing region is no error)
 *   program killed in a region   -> 137 (the region, never closed, was
 *                                   open longer than the budget: reported)
 *   malformed --check            -> 2, and the program never ran
 *   budget naming nothing        -> 2
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define LOOP SUPPORT_SAMPLE("request_loop") " -n 30 -s 25 -d 20"

/* Records argv with --check budget; returns ctrace record's exit status,
 * stdout (the program's, then the check's) in *out (free it). */
static int record_check(const char *budget, char *const argv[], char **out)
{
	char *tmp = support_tmpdir_create();
	assert_non_null(tmp);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/trace", tmp);
	char *opts[] = { "--check", (char *)budget, NULL };
	struct support_run r;
	assert_int_equal(support_record(dir, opts, argv, SUPPORT_TIMEOUT_S, &r), 0);
	fprintf(stderr, "---- record --check %s: exit %d\n%s", budget, r.status, r.out);
	support_tree_remove(tmp);
	free(tmp);
	*out = r.out;
	return r.status;
}

static void test_program_ok(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c", "exec " LOOP, NULL };
	char *out;
	assert_int_equal(record_check("request=1s", argv, &out), 0);
	assert_non_null(strstr(out, "ok    region request <= 1.00 s (max): 30 instances"));
	free(out);
	assert_int_equal(record_check("request=15ms", argv, &out), 1);
	assert_non_null(strstr(out, "FAIL  region request <= 15.0 ms (max): 30 instances"));
	/* (On a loaded machine others may be over it too, waiting for a CPU.) */
	assert_non_null(strstr(out, "in nanosleep for "));
	free(out);
	assert_int_equal(record_check("requets=1s", argv, &out), 2);
	free(out);
}

static void test_program_fails(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c", LOOP "; exit 3", NULL };
	char *out;
	assert_int_equal(record_check("request=15ms", argv, &out), 3);
	assert_non_null(strstr(out, "FAIL  region request <= 15.0 ms"));
	free(out);
	assert_int_equal(record_check("request=1s", argv, &out), 3);
	assert_non_null(strstr(out, "ok    region request"));
	free(out);
	char *early[] = { "/bin/sh", "-c", "exit 4", NULL };
	assert_int_equal(record_check("request=1s", early, &out), 4);
	free(out);
	/* A hung test killed inside a region: the region never closed, and it
	 * was open longer than the budget, so it is reported. */
	char *hung[] = { "/usr/bin/timeout", "-s", "KILL", "0.5", SUPPORT_SAMPLE("request_loop"),
			 "-n", "100", "-s", "2", "-d", "1000", NULL };
	int status = record_check("request=100ms", hung, &out);
	assert_true(status == 124 || status == 137);
	assert_non_null(strstr(out, "FAIL  region request <= 100 ms (max): 1 instance, max "));
	assert_non_null(strstr(out, ", 1 never closed; 1 over the budget"));
	assert_non_null(strstr(out, "never closed\n"));
	free(out);
}

static void test_malformed_budget(void **state)
{
	(void)state;
	char *tmp = support_tmpdir_create();
	assert_non_null(tmp);
	char marker[4096], cmd[4200];
	snprintf(marker, sizeof marker, "%s/ran", tmp);
	snprintf(cmd, sizeof cmd, "touch %s", marker);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	char *out;
	assert_int_equal(record_check("request=15", argv, &out), 2);
	assert_int_equal(access(marker, F_OK), -1);
	free(out);
	support_tree_remove(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_ok),
		cmocka_unit_test(test_program_fails),
		cmocka_unit_test(test_malformed_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
