/*
 * Running and runnable time, end to end, against CPU time the programs
 * measured themselves (CLOCK_THREAD_CPUTIME_ID):
 * - samples/cpu_bound: the CPU-bound main thread's running time is its CPU
 *   time (-2 % / +5 % and 20 ms of start-up), and it is never blocked:
 *   running + runnable cover 90 % of its life or more;
 * - the same recorded with --no-sched: running is estimated (flagged) and
 *   covers its whole life;
 * - progs/pinned_pair: two spinning threads pinned to one CPU: over each
 *   one's spin, running is its CPU time (5 % or 3 ms), running + runnable
 *   cover the spin (97 %), and runnable is about half of it (35 % or more:
 *   other programs on the CPU only make it larger).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analyze_test.h"

static void test_cpu_bound_runs(void **state)
{
	(void)state;
	struct analyze_test t;
	char *argv[] = { SUPPORT_SAMPLE("cpu_bound"), "-n", "10", "-a", "20", "-b", "10", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	assert_true(t.m.has_sched);
	uint32_t th = analyze_test_thread(&t.m, (int32_t)analyze_test_truth(&t, "pid", 0));
	const struct model_breakdown *bd = &t.a.thread_bd[th];
	uint64_t cpu = analyze_test_truth(&t, "a_ns", 0) + analyze_test_truth(&t, "b_ns", 0);
	uint64_t wall = model_breakdown_total(bd);
	fprintf(stderr, "ctrace test: main thread: wall %.1f ms, running %.1f, runnable %.1f, other %.1f; "
		"hot functions' CPU time %.1f ms\n", analyze_test_ms(wall),
		analyze_test_ms(bd->ns[MODEL_RUNNING]), analyze_test_ms(bd->ns[MODEL_RUNNABLE]),
		analyze_test_ms(bd->ns[MODEL_OTHER]), analyze_test_ms(cpu));
	assert_true(bd->ns[MODEL_RUNNING] >= cpu - cpu / 50);
	assert_true(bd->ns[MODEL_RUNNING] <= cpu + cpu / 20 + 20000000);
	assert_true(bd->ns[MODEL_RUNNING] + bd->ns[MODEL_RUNNABLE] >= wall / 10 * 9);
	analyze_test_free(&t);
}

static void test_no_sched_estimated(void **state)
{
	(void)state;
	struct analyze_test t;
	char *opts[] = { "--no-sched", NULL };
	char *argv[] = { SUPPORT_SAMPLE("cpu_bound"), "-n", "4", "-a", "20", "-b", "10", NULL };
	analyze_test_record(&t, opts, argv, NULL);
	assert_false(t.m.has_sched);
	uint32_t th = analyze_test_thread(&t.m, (int32_t)analyze_test_truth(&t, "pid", 0));
	const struct model_thread *mt = &t.m.threads[th];
	const struct model_breakdown *bd = &t.a.thread_bd[th];
	assert_false(mt->flags & MODEL_TH_SCHED);
	for (size_t i = 0; i < mt->niv; i++)
		if (mt->iv[i].state == MODEL_RUNNING)
			assert_true(mt->iv[i].flags & MODEL_IV_ESTIMATED);
	fprintf(stderr, "ctrace test: no-sched main thread: running %.1f of %.1f ms\n",
		analyze_test_ms(bd->ns[MODEL_RUNNING]), analyze_test_ms(model_breakdown_total(bd)));
	assert_int_equal(bd->ns[MODEL_RUNNABLE] + bd->ns[MODEL_OTHER], 0);
	assert_true(bd->ns[MODEL_RUNNING] >= model_breakdown_total(bd) / 100 * 98);
	analyze_test_free(&t);
}

static void test_pinned_pair_shares_cpu(void **state)
{
	(void)state;
	struct analyze_test t;
	char *argv[] = { ANALYZE_TEST_PROG("pinned_pair"), "-t", "300", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	if (analyze_test_truth(&t, "pinned", 0) != 1)
		skip();   /* sched_setaffinity refused (a restricted container) */
	for (unsigned i = 0; i < 2; i++) {
		uint32_t th = analyze_test_thread(&t.m, (int32_t)analyze_test_truth(&t, "tid", i));
		uint64_t begin = analyze_test_truth(&t, "begin_ns", i);
		uint64_t end = analyze_test_truth(&t, "end_ns", i);
		uint64_t cpu = analyze_test_truth(&t, "cpu_ns", i);
		struct model_breakdown bd = { 0 };
		model_thread_breakdown(&t.m.threads[th], begin, end, &bd);
		uint64_t span = end - begin;
		fprintf(stderr, "ctrace test: spinner %u: spin %.1f ms: running %.1f, runnable %.1f, "
			"other %.1f; its CPU time %.1f ms\n", i, analyze_test_ms(span),
			analyze_test_ms(bd.ns[MODEL_RUNNING]), analyze_test_ms(bd.ns[MODEL_RUNNABLE]),
			analyze_test_ms(bd.ns[MODEL_OTHER]), analyze_test_ms(cpu));
		assert_true(support_near("spinner running (ms) vs its CPU time", analyze_test_ms(bd.ns[MODEL_RUNNING]),
					 analyze_test_ms(cpu), 0.05, 3.0));
		assert_true(bd.ns[MODEL_RUNNING] + bd.ns[MODEL_RUNNABLE] >= span / 100 * 97);
		assert_true(bd.ns[MODEL_RUNNABLE] >= span / 100 * 35);
	}
	analyze_test_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_bound_runs),
		cmocka_unit_test(test_no_sched_estimated),
		cmocka_unit_test(test_pinned_pair_shares_cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
