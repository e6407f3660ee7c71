/*
 * Region latency statistics, end to end: progs/latency_dist runs 100 `op`
 * regions sleeping 0.1, 0.2, ... 10 ms in shuffled order and times each
 * itself. The analyzer's count is exact; its min, p50, p90, p99, max and
 * total match the program's own nearest-rank figures (1 % or 50 us: the
 * program's clock reads sit just outside the region's events); the
 * histogram holds every instance; the breakdown is mostly syscall (the
 * sleeps) and sums to the total.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "analyze_test.h"

static void near_ms(const char *what, uint64_t analyzer, uint64_t truth)
{
	if (!support_near(what, analyze_test_ms(analyzer), analyze_test_ms(truth), 0.01, 0.05))
		fail_msg("%s: analyzer %.3f ms, program %.3f ms", what, analyze_test_ms(analyzer),
			 analyze_test_ms(truth));
}

static void test_op_percentiles(void **state)
{
	(void)state;
	struct analyze_test t;
	char *argv[] = { ANALYZE_TEST_PROG("latency_dist"), "-n", "100", "-s", "100", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	const struct analysis_name_stats *s = analyze_test_region(&t.a, "op");
	assert_non_null(s);
	assert_int_equal(s->count, analyze_test_truth(&t, "count", 0));
	assert_int_equal(s->unclosed, 0);
	near_ms("min (ms)", s->min_ns, analyze_test_truth(&t, "min_ns", 0));
	near_ms("p50 (ms)", s->p50_ns, analyze_test_truth(&t, "p50_ns", 0));
	near_ms("p90 (ms)", s->p90_ns, analyze_test_truth(&t, "p90_ns", 0));
	near_ms("p99 (ms)", s->p99_ns, analyze_test_truth(&t, "p99_ns", 0));
	near_ms("max (ms)", s->max_ns, analyze_test_truth(&t, "max_ns", 0));
	assert_true(support_near("total (ms)", analyze_test_ms(s->total_ns),
				 analyze_test_ms(analyze_test_truth(&t, "total_ns", 0)), 0.01, 1.0));
	uint64_t in_hist = 0;
	for (unsigned k = 0; k < ANALYSIS_HIST_BUCKETS; k++)
		in_hist += s->hist[k];
	assert_int_equal(in_hist, s->count);
	assert_int_equal(model_breakdown_total(&s->bd), s->total_ns);
	fprintf(stderr, "ctrace test: op: syscall %.1f of %.1f ms\n", analyze_test_ms(s->bd.ns[MODEL_SYSCALL]),
		analyze_test_ms(s->total_ns));
	assert_true(s->bd.ns[MODEL_SYSCALL] >= s->total_ns / 10 * 9);
	analyze_test_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_percentiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
