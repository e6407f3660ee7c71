/*
 * rwlock waits are blamed on the thread that made them wait
 * (progs/rwlock_handoff): a writer waiting behind a reader is a
 * rwlock_write wait as long as the writer measured (±10 % or ±2 ms), whose
 * blocker is the reader (from the reader's lock_release: glibc records no
 * holder for readers), released inside the wait; a reader waiting behind
 * the writer is blamed on the writer, also with the writer's release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "ctrace_schema.h"
#include "model_load.h"
#include "support.h"

static const struct model_wait *wait_of(const struct model *m, int32_t tid, uint8_t kind)
{
	const struct model_wait *found = NULL;
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *w = &m->waits[i];
		if (m->threads[w->thread].tid != tid || w->kind != kind)
			continue;
		if (found)
			fail_msg("thread %d has more than one %u wait", tid, kind);
		found = w;
	}
	if (!found)
		fail_msg("thread %d has no wait of kind %u", tid, kind);
	return found;
}

static void check(const struct model *m, const char *who, int32_t waiter, uint8_t kind,
		  uint64_t truth_ns, int32_t blamed)
{
	const struct model_wait *w = wait_of(m, waiter, kind);
	fprintf(stderr, "ctrace test: %s %d waited %.2f ms, blocker %d, release %s\n", who, waiter,
		(double)(w->end - w->begin) / 1e6, w->blocker_tid,
		w->release_ts != MODEL_NO_TS ? "seen" : "missing");
	assert_true(support_near(who, (double)(w->end - w->begin), (double)truth_ns, 0.10, 2e6));
	assert_int_equal(w->blocker_tid, blamed);
	assert_true(w->release_ts != MODEL_NO_TS && w->release_ts >= w->begin &&
		    w->release_ts <= w->end);
}

static void test_rwlock_release(void **state)
{
	(void)state;
	struct support_recording rec;
	char *argv[] = { SUPPORT_PROG("rwlock_handoff"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	uint64_t reader, writer, reader2, writer_wait, reader2_wait;
	assert_true(support_truth_u64(rec.run.out, "reader", 0, &reader));
	assert_true(support_truth_u64(rec.run.out, "writer", 0, &writer));
	assert_true(support_truth_u64(rec.run.out, "reader2", 0, &reader2));
	assert_true(support_truth_u64(rec.run.out, "writer_wait_ns", 0, &writer_wait));
	assert_true(support_truth_u64(rec.run.out, "reader2_wait_ns", 0, &reader2_wait));
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	assert_int_equal(model_load(rec.trace_dir, &m, &info, NULL, NULL, &err), 0);
	check(&m, "writer behind the reader", (int32_t)writer, CTRACE_LOCK_RWLOCK_WRITE, writer_wait,
	      (int32_t)reader);
	check(&m, "reader behind the writer", (int32_t)reader2, CTRACE_LOCK_RWLOCK_READ, reader2_wait,
	      (int32_t)writer);
	model_free(&m);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_rwlock_release) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
