/*
 * The trace reader refuses what is not a trace with a message naming the
 * path and the problem, and returns instead of exiting or crashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

static int count_event(const struct analyzer_event *ev, void *user)
{
	(void)ev;
	(*(int *)user)++;
	return 0;
}

/* Reads path, expects failure with a message naming path and saying why. */
static void expect_error(const char *path, const char *why)
{
	struct analyzer_error err = { "" };
	struct analyzer_read_stats st;
	int events = 0;
	assert_int_equal(analyzer_read_trace(path, count_event, &events, &st, &err), -1);
	assert_int_equal(events, 0);
	assert_int_equal(st.events, 0);
	print_message("%s\n", err.msg);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, why));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_regular_file(void **state)
{
	const char *dir = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/file", dir);
	write_file(path, "not a trace\n");
	expect_error(path, "not a directory");
}

static void test_missing_path(void **state)
{
	const char *dir = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/does-not-exist", dir);
	expect_error(path, "No such file or directory");
}

static void test_empty_directory(void **state)
{
	expect_error(*state, "no CTF trace inside");
}

static void test_directory_without_metadata(void **state)
{
	const char *dir = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/ust", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/ust/channel0_0", dir);
	write_file(path, "stream data without metadata");
	expect_error(dir, "no CTF trace inside");
}

static void test_garbage_metadata(void **state)
{
	const char *dir = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/metadata", dir);
	write_file(path, "this is not CTF metadata {{{\n");
	/* babeltrace2's own cause follows the reader's context. */
	expect_error(dir, "cannot open the CTF trace: ");
}

static int make_dir(void **state)
{
	*state = support_tmpdir_create();
	return *state ? 0 : -1;
}

static int remove_dir(void **state)
{
	support_tree_remove(*state);
	free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regular_file, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_missing_path, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_empty_directory, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_directory_without_metadata, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_garbage_metadata, make_dir, remove_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
