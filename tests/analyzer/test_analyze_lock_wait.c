/*
 * Lock waits, end to end: two workers of samples/contention take turns on
 * one mutex, holding it HOLD_MS. Every wait the analyzer shows:
 * - is blamed on the other worker (the holder), and
 * - lasts what the holder still held the lock when the wait began (its
 *   release is in the trace), plus the time the waiter then waited for a
 *   CPU (from the scheduling trace: zero on an idle machine): never less
 *   than the hold (minus 1 ms), and within 5 % or 1 ms of hold + CPU
 *   delay for 90 % of the waits;
 * and each worker's lock_wait time in its breakdown matches what the
 * workers measured around their own pthread_mutex_lock calls (5 %, or
 * 2 ms). Locks list the mutex with both workers as holders and waiters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "analyze_test.h"
#include "ctrace_schema.h"

static struct analyze_test t;

static int setup(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("contention"), "-w", "2", "-n", "100", "-H", "2000", "-o", "500", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analyze_test_free(&t);
	return 0;
}

static void worker_tids(int32_t tids[2])
{
	char buf[64];
	assert_true(support_truth_str(t.rec.run.out, "tids", 0, buf, sizeof buf));
	assert_int_equal(sscanf(buf, "%d,%d", &tids[0], &tids[1]), 2);
}

/* When thread th ran again after ts: ts itself if it was on a CPU then,
 * else its first switch-in after ts (UINT64_MAX: never). */
static uint64_t resumed_after(const struct model *m, uint32_t th, uint64_t ts)
{
	uint64_t first = UINT64_MAX;
	for (size_t c = 0; c < m->n_cpus; c++) {
		const struct model_cpu *cpu = &m->cpus[c];
		for (size_t k = 0; k < cpu->n; k++) {
			if (cpu->v[k].thread != th)
				continue;
			uint64_t b = cpu->v[k].start, e = k + 1 < cpu->n ? cpu->v[k + 1].start : m->end_ns;
			if (b <= ts && ts < e)
				return ts;
			if (b >= ts && b < first)
				first = b;
		}
	}
	return first;
}

static void test_waits_match_holders(void **state)
{
	(void)state;
	const struct model *m = &t.m;
	int32_t tids[2];
	worker_tids(tids);
	uint64_t lock_addr = analyze_test_truth(&t, "lock_addr", 0);
	size_t checked = 0, matched = 0;
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *w = &m->waits[i];
		if (w->kind != CTRACE_LOCK_MUTEX || w->addr != lock_addr || w->end - w->begin < 1000000)
			continue;
		int32_t waiter = m->threads[w->thread].tid;
		int32_t other = waiter == tids[0] ? tids[1] : tids[0];
		assert_true(waiter == tids[0] || waiter == tids[1]);
		if (w->blocker_tid != other)
			fail_msg("wait %zu of %d blamed on %d, not %d", i, waiter, w->blocker_tid, other);
		assert_int_not_equal(w->release_ts, MODEL_NO_TS);
		uint64_t waited = w->end - w->begin, remaining = w->release_ts - w->begin;
		if (waited + 1000000 < remaining)
			fail_msg("wait %zu: %.3f ms, but the holder released only after %.3f ms", i,
				 analyze_test_ms(waited), analyze_test_ms(remaining));
		uint64_t resumed = resumed_after(m, w->thread, w->release_ts);
		uint64_t cpu_delay = resumed != UINT64_MAX && resumed < w->end ? resumed - w->release_ts : 0;
		if (cpu_delay > 500000)
			fprintf(stderr, "ctrace test: wait %zu: %.3f ms, of which %.3f ms waiting for a CPU\n", i,
				analyze_test_ms(waited), analyze_test_ms(cpu_delay));
		matched += support_near("wait vs holder's remaining hold + CPU delay (ms)",
					analyze_test_ms(waited), analyze_test_ms(remaining + cpu_delay), 0.05, 1.0);
		checked++;
	}
	fprintf(stderr, "ctrace test: %zu waits of 1 ms or more, %zu match the holder's remaining hold\n",
		checked, matched);
	assert_true(checked >= 15);
	assert_true(matched * 10 >= checked * 9);
}

static void test_lock_wait_totals(void **state)
{
	(void)state;
	int32_t tids[2];
	worker_tids(tids);
	uint64_t traced = 0;
	for (int i = 0; i < 2; i++)
		traced += t.a.thread_bd[analyze_test_thread(&t.m, tids[i])].ns[MODEL_LOCK_WAIT];
	uint64_t truth = analyze_test_truth(&t, "lock_wait_ns", 0);
	assert_true(support_near("workers' lock_wait (ms)", analyze_test_ms(traced),
				 analyze_test_ms(truth), 0.05, 2.0));
	uint64_t lock_addr = analyze_test_truth(&t, "lock_addr", 0);
	const struct analysis_lock_stats *l = NULL;
	for (size_t i = 0; i < t.a.n_locks; i++)
		if (t.m.locks[t.a.locks[i].lock].addr == lock_addr)
			l = &t.a.locks[i];
	assert_non_null(l);
	size_t holders = 0, waiters = 0;
	for (size_t k = l->first; k < l->first + l->n; k++) {
		holders += t.a.lock_threads[k].hold_ns > 0;
		waiters += t.a.lock_threads[k].waits > 0;
	}
	fprintf(stderr, "ctrace test: lock %#llx: %llu contentions, %.1f ms waited, %zu holders, "
		"%zu waiters\n", (unsigned long long)lock_addr, (unsigned long long)l->contentions,
		analyze_test_ms(l->wait_ns), holders, waiters);
	assert_int_equal(holders, 2);
	assert_int_equal(waiters, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waits_match_holders),
		cmocka_unit_test(test_lock_wait_totals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
