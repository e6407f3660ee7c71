/*
 * Thread lifecycles, end to end: progs/thread_tree starts alpha from main,
 * then beta and gamma one after the other from alpha, naming each and
 * joining each. The model must give every thread its name, its parent,
 * its creation and end around the times the thread measured itself (its
 * first and last instructions: within 5 ms outside them, not counting
 * time the trace shows it runnable, waiting for a CPU), in the order
 * they ran, and who joined it; the main thread's creation and parent are
 * unknown (it began before the trace).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analyze_test.h"
#include "report.h"

#define SLACK_NS 5000000u

static void test_thread_tree(void **state)
{
	(void)state;
	struct analyze_test t;
	char *argv[] = { ANALYZE_TEST_PROG("thread_tree"), "-w", "15", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	const struct model *m = &t.m;
	int32_t pid = (int32_t)analyze_test_truth(&t, "pid", 0);
	uint32_t main_th = analyze_test_thread(m, pid);
	assert_false(report_thread_start_known(&m->threads[main_th]));
	assert_int_equal(m->threads[main_th].parent_tid, 0);
	uint32_t th[3];
	for (unsigned i = 0; i < 3; i++) {
		char name[32];
		assert_true(support_truth_str(t.rec.run.out, "name", i, name, sizeof name));
		int32_t tid = (int32_t)analyze_test_truth(&t, "tid", i);
		int32_t parent = (int32_t)analyze_test_truth(&t, "parent", i);
		uint64_t begin = analyze_test_truth(&t, "begin_ns", i);
		uint64_t end = analyze_test_truth(&t, "end_ns", i);
		th[i] = analyze_test_thread(m, tid);
		const struct model_thread *mt = &m->threads[th[i]];
		fprintf(stderr, "ctrace test: %s: tid %d parent %d, created %+.3f ms, ended %+.3f ms "
			"around its own run, joined by %d\n", name, tid, mt->parent_tid,
			((double)mt->tl_begin - (double)begin) / 1e6, ((double)mt->tl_end - (double)end) / 1e6,
			mt->joined_by != MODEL_NONE ? m->threads[mt->joined_by].tid : 0);
		assert_string_equal(model_thread_name(m, th[i]), name);
		assert_int_equal(mt->parent_tid, parent);
		assert_true(report_thread_start_known(mt) && report_thread_end_known(mt));
		/* Around its own run the thread may wait for a CPU on a busy
		 * machine: that time is in the trace (runnable) and does not
		 * count against the slack. */
		assert_true(mt->tl_begin <= begin && mt->tl_end >= end);
		struct model_breakdown before = { 0 }, after = { 0 };
		model_thread_breakdown(mt, mt->tl_begin, begin, &before);
		model_thread_breakdown(mt, end, mt->tl_end, &after);
		assert_true(begin - mt->tl_begin - before.ns[MODEL_RUNNABLE] <= SLACK_NS);
		assert_true(mt->tl_end - end - after.ns[MODEL_RUNNABLE] <= SLACK_NS);
		assert_int_not_equal(mt->joined_by, MODEL_NONE);
		assert_int_equal(m->threads[mt->joined_by].tid, i == 0 ? pid : (int32_t)analyze_test_truth(&t, "tid", 0));
		assert_true(mt->join_ns >= mt->exit_ns);
	}
	/* In order: alpha, then beta, then gamma, each inside alpha's life. */
	const struct model_thread *a = &m->threads[th[0]], *b = &m->threads[th[1]], *g = &m->threads[th[2]];
	assert_true(a->tl_begin < b->tl_begin && b->tl_end <= g->tl_begin);
	assert_true(g->tl_end <= a->tl_end);
	analyze_test_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
