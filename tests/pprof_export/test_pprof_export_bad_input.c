/*
 * `ctrace pprof` refuses bad input with one line and exit status 2, and
 * leaves no file behind: unknown type, malformed filters, a time range
 * outside the trace, a filter naming nothing, a type the trace has no data
 * for, an empty selection, a directory that is no trace, an output in a
 * missing directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pprof_export_test.h"

static void refused(const struct support_recording *rec, const char *const opts[])
{
	char file[4200];
	snprintf(file, sizeof file, "%s/out.pb.gz", rec->tmpdir);
	const char *args[20] = { "-o", file };
	size_t n = 2;
	for (size_t i = 0; opts[i]; i++)
		args[n++] = opts[i];
	args[n] = NULL;
	fprintf(stderr, "ctrace pprof");
	for (size_t i = 0; args[i]; i++)
		fprintf(stderr, " %s", args[i]);
	fprintf(stderr, "\n");
	assert_int_equal(pet_ctrace_pprof(args), 2);
	assert_int_not_equal(access(file, F_OK), 0);
}

static void bad_input(void **state)
{
	(void)state;
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	const char *d = rec.trace_dir;
	const char *const cases[][12] = {
		{ "--type", "heap", d, NULL },
		{ d, NULL },                                      /* no --type */
		{ "--type", "cpu", NULL },                        /* no DIR */
		{ "--type", "cpu", "--label", "route", d, NULL },
		{ "--type", "cpu", "--from", "5 parsecs", d, NULL },
		{ "--type", "cpu", "--from", "1h", d, NULL },
		{ "--type", "cpu", "--from", "20s", d, NULL },     /* after the end */
		{ "--type", "cpu", "--from", "10ms", "--to", "5ms", d, NULL },
		{ "--type", "cpu", "--region", "no-such-region", d, NULL },
		{ "--type", "cpu", "--task", "no-such-task", d, NULL },
		{ "--type", "cpu", "--thread", "no-such-thread", d, NULL },
		{ "--type", "alloc", d, NULL },                    /* no allocation samples */
		{ "--type", "cpu", "--from", "0ms", "--to", "1us", d, NULL },  /* empty */
		{ "--type", "cpu", "/nonexistent-trace-dir", NULL },
		{ "--type", "cpu", "-o", "/nonexistent-dir/p.pb.gz", d, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		refused(&rec, cases[i]);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(bad_input) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
