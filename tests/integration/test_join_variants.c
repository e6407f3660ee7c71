/*
 * pthread_timedjoin_np, pthread_tryjoin_np and pthread_clockjoin_np are
 * traced like pthread_join (progs/join_variants): in the analyzer's model
 * each worker is joined by main, right after its exit when main was
 * already waiting for it; the timed join that
 * gave up is a join wait of ~10 ms with result ETIMEDOUT that did not join
 * anything; the polled try-join leaves exactly one join event (the one
 * that succeeded), not one per poll; and the traced program behaves as
 * untraced (status 0, same truth).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>

#include "model_load.h"
#include "support.h"

static uint32_t thread_of(const struct model *m, int32_t tid)
{
	for (size_t i = 0; i < m->n_threads; i++)
		if (m->threads[i].tid == tid)
			return (uint32_t)i;
	fail_msg("thread %d is not in the model", tid);
	return MODEL_NONE;
}

static void test_join_variants(void **state)
{
	(void)state;
	struct support_recording rec;
	char *argv[] = { SUPPORT_PROG("join_variants"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	char outcome[32];
	uint64_t tid[4];
	const char *keys[] = { "main", "timed", "tried", "clocked" };
	for (int i = 0; i < 4; i++)
		assert_true(support_truth_u64(rec.run.out, keys[i], 0, &tid[i]));
	assert_true(support_truth_str(rec.run.out, "timedjoin", 0, outcome, sizeof outcome));
	assert_string_equal(outcome, "ETIMEDOUT");

	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	assert_int_equal(model_load(rec.trace_dir, &m, &info, NULL, NULL, &err), 0);
	uint32_t main_th = thread_of(&m, (int32_t)tid[0]);
	for (int i = 1; i < 4; i++) {
		const struct model_thread *t = &m.threads[thread_of(&m, (int32_t)tid[i])];
		fprintf(stderr, "ctrace test: %s %d exited at %llu, joined at %llu by index %u\n", keys[i],
			t->tid, (unsigned long long)t->exit_ns, (unsigned long long)t->join_ns, t->joined_by);
		assert_int_equal(t->joined_by, main_th);
		assert_true(t->exit_ns != MODEL_NO_TS && t->join_ns >= t->exit_ns);
		/* main was already waiting for timed (plain join) and tried
		 * (polling every ms) when they exited; clocked exits first and
		 * is joined after tried. */
		if (i < 3)
			assert_true(support_near("join after exit (ms)",
						 (double)(t->join_ns - t->exit_ns) / 1e6, 0, 0, 5));
		else
			assert_true(t->join_ns >= m.threads[thread_of(&m, (int32_t)tid[2])].join_ns);
	}
	unsigned joins = 0, timedout = 0;
	for (size_t i = 0; i < m.n_waits; i++) {
		const struct model_wait *w = &m.waits[i];
		if (w->kind != MODEL_WAIT_JOIN || w->thread != main_th)
			continue;
		joins++;
		if (w->result == ETIMEDOUT) {
			timedout++;
			assert_true(support_near("timed join that gave up (ms)",
						 (double)(w->end - w->begin) / 1e6, 10, 0.5, 3));
		}
	}
	/* timed (gave up) + try (the success only) + clock + plain join */
	assert_int_equal(joins, 4);
	assert_int_equal(timedout, 1);
	model_free(&m);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_join_variants) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
