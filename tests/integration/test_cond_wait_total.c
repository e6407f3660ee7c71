/*
 * Condition-variable waits are recorded with their full length and their
 * wake-ups.
 *
 * Records samples/condvar (a producer posts an item every 10 ms, the
 * consumer waits in pthread_cond_wait in between) and checks:
 * - the consumer's cond lock_wait events on the program's condition
 *   variable total its own timing of pthread_cond_wait within COND_WAIT_TOL,
 *   and there is one per wait (the program counts them) but for
 *   COND_COUNT_SLACK short ones that went to counters;
 * - the producer's signals show as wake events on that condition variable
 *   for at least WAKE_MIN_FRACTION of the waits (a signal finds the
 *   consumer waiting unless it is still busy with the previous item).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ctrace_schema.h"
#include "support.h"

#define COND_WAIT_TOL 0.10
#define COND_COUNT_SLACK 2
#define WAKE_MIN_FRACTION 0.8

struct cond_facts {
	int32_t pid, consumer;
	uint64_t cond_addr;
	uint64_t waits, wait_ns, wakes;
};

static int cond_event(const struct analyzer_event *ev, void *user)
{
	struct cond_facts *f = user;
	if (ev->vpid != f->pid)
		return 0;
	bool is_wait = !strcmp(ev->name, "ctrace:lock_wait");
	if (!is_wait && strcmp(ev->name, "ctrace:wake"))
		return 0;
	uint64_t addr, kind, begin;
	assert_true(analyzer_event_uint(ev, "addr", &addr));
	assert_true(analyzer_event_uint(ev, "kind", &kind));
	if (addr != f->cond_addr || kind != CTRACE_LOCK_COND)
		return 0;
	if (!is_wait) {
		f->wakes++;
		return 0;
	}
	assert_int_equal(ev->vtid, f->consumer);
	assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
	assert_true(begin <= ev->ts_ns);
	f->waits++;
	f->wait_ns += ev->ts_ns - begin;
	return 0;
}

static struct support_recording rec;

static int cleanup(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

static void test_cond_waits(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("condvar"), "-n", "30", "-p", "10000", "-w", "1000", NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct cond_facts f = { 0 };
	uint64_t pid, consumer, program_waits, program_wait_ns;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	assert_true(support_truth_u64(rec.run.out, "consumer_tid", 0, &consumer));
	assert_true(support_truth_u64(rec.run.out, "cond_addr", 0, &f.cond_addr));
	assert_true(support_truth_u64(rec.run.out, "cond_waits", 0, &program_waits));
	assert_true(support_truth_u64(rec.run.out, "cond_wait_ns", 0, &program_wait_ns));
	f.pid = (int32_t)pid;
	f.consumer = (int32_t)consumer;

	support_read_trace(rec.trace_dir, cond_event, &f, NULL);
	fprintf(stderr, "ctrace test: %llu cond waits (program: %llu), %llu wakes\n",
		(unsigned long long)f.waits, (unsigned long long)program_waits,
		(unsigned long long)f.wakes);
	assert_true(f.waits + COND_COUNT_SLACK >= program_waits);
	assert_true(f.waits <= program_waits);
	assert_true(support_near("total cond wait (ns)", (double)f.wait_ns,
				 (double)program_wait_ns, COND_WAIT_TOL, 0));
	assert_true((double)f.wakes >= WAKE_MIN_FRACTION * (double)program_waits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cond_waits, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
