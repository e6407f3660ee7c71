/*
 * `ctrace pprof --type cpu` on the cpu_bound sample: go tool pprof's -top
 * shows hot_a and hot_b (cumulative) within 5 points of the split the
 * program measured on its own CPU clock; every sample carries the thread
 * and tid labels (-tags totals equal the profile's total); the profile
 * survives go's -raw and -proto.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pprof_export_test.h"
#include "pprof_test.h"

/* The cum% go prints on fn's -top line. */
static double cum_pct(const char *top, const char *fn)
{
	for (const char *l = top; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), l);
		char *name = strrchr(line, ' ');
		if (!name || strcmp(name + 1, fn))
			continue;
		/* flat flat% sum% cum cum% name */
		char f[64], fp[64], sp[64], c[64];
		double cp;
		if (sscanf(line, "%63s %63s %63s %63s %lf%%", f, fp, sp, c, &cp) == 5)
			return cp;
	}
	return -1;
}

static void cpu_split(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	/* Sampling at every kernel tick (250 Hz here) for ~2 s of CPU gives
	 * ~500 samples; phases of 37 and 16 ms are not multiples of the
	 * sampling period, so samples do not lock onto the same point of
	 * every round (35 + 15 ms at 100 Hz put 5 samples per round at the
	 * same offsets and skewed the split by up to 10 points). */
	char *argv[] = { SUPPORT_SAMPLE("cpu_bound"), "-n", "40", "-a", "37", "-b", "16", NULL };
	char *opts[] = { "--sample-hz", "250", NULL };
	support_recording_make_ok(&rec, opts, argv);
	double a_pct, b_pct;
	assert_true(support_truth_double(rec.run.out, "a_pct", 0, &a_pct));
	assert_true(support_truth_double(rec.run.out, "b_pct", 0, &b_pct));

	char file[4200];
	snprintf(file, sizeof file, "%s/cpu.pb.gz", rec.tmpdir);
	const char *args[] = { "--type", "cpu", "-o", file, rec.trace_dir, NULL };
	assert_int_equal(pet_ctrace_pprof(args), 0);

	char *top;
	double total = pet_go_total(rec.tmpdir, file, NULL, &top);
	double ga = cum_pct(top, "hot_a"), gb = cum_pct(top, "hot_b");
	fprintf(stderr, "hot_a: pprof %.2f%% vs program %.2f%%; hot_b: pprof %.2f%% vs %.2f%%\n", ga,
		a_pct, gb, b_pct);
	assert_true(ga >= 0 && gb >= 0);
	assert_true(ga > a_pct - 5 && ga < a_pct + 5);
	assert_true(gb > b_pct - 5 && gb < b_pct + 5);
	assert_non_null(strstr(top, "File: cpu_bound"));
	free(top);

	/* -tags: thread and tid labels on every sample. */
	const char *tag_args[] = { "-tags", "-unit=ns", file, NULL };
	char *tags = pprof_test_go_pprof(rec.tmpdir, tag_args);
	fprintf(stderr, "%s", tags);
	for (const char *key = "thread"; key; key = strcmp(key, "thread") ? NULL : "tid") {
		char what[32];
		snprintf(what, sizeof what, "%s: Total ", key);
		const char *t = strstr(tags, what);
		assert_non_null(t);
		assert_true(support_near(what, strtod(t + strlen(what), NULL), total, 0, 0.5));
	}
	free(tags);

	pet_round_trip(rec.tmpdir, file);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(cpu_split) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
