/*
 * Mutex contention is attributed to real threads and adds up.
 *
 * Records samples/contention (4 workers, one mutex held 2 ms per turn) and
 * checks the trace against the workers' own timing of pthread_mutex_lock:
 * - every lock_wait on the shared mutex names a holder that is a thread of
 *   the program (seen in a thread_start, or the main thread);
 * - the waits (lock_wait events plus the short waits summed in counters)
 *   total the program's measured wait within LOCK_WAIT_TOL;
 * - every worker's thread_start has its thread_exit;
 * - no event was discarded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrace_schema.h"
#include "support.h"

/* Tolerance of the total wait against the program's own: both time the same
 * calls, the tracer from inside the wrapper, so only its ~µs overhead per
 * wait and clock reads differ. */
#define LOCK_WAIT_TOL 0.10
#define WORKERS 4

struct lock_facts {
	int32_t pid;
	uint64_t lock_addr;
	struct support_threads threads;
	uint64_t waits, wait_ns, short_ns;
	int32_t holders[4096];
	size_t nholders;
	uint64_t unknown_holder;  /* holder_tid == 0 */
};

static int lock_event(const struct analyzer_event *ev, void *user)
{
	struct lock_facts *f = user;
	if (ev->vpid != f->pid)
		return 0;
	support_threads_note(&f->threads, ev);
	uint64_t v;
	if (analyzer_event_uint(ev, "lock_short_ns", &v))
		f->short_ns += v;
	if (strcmp(ev->name, "ctrace:lock_wait"))
		return 0;
	uint64_t addr, kind, begin;
	int64_t holder;
	assert_true(analyzer_event_uint(ev, "addr", &addr));
	assert_true(analyzer_event_uint(ev, "kind", &kind));
	assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
	assert_true(analyzer_event_int(ev, "holder_tid", &holder));
	if (addr != f->lock_addr || kind != CTRACE_LOCK_MUTEX)
		return 0;
	assert_true(begin <= ev->ts_ns);
	f->waits++;
	f->wait_ns += ev->ts_ns - begin;
	if (holder == 0)
		f->unknown_holder++;
	else if (f->nholders < sizeof f->holders / sizeof f->holders[0])
		f->holders[f->nholders++] = (int32_t)holder;
	return 0;
}

/* Freed by the teardown, so a failed assertion leaks nothing. */
static struct support_recording rec;
static struct lock_facts f;

static int cleanup(void **state)
{
	(void)state;
	support_threads_free(&f.threads);
	support_recording_free(&rec);
	return 0;
}

static void test_contention_waits(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("contention"), "-w", "4", "-n", "60", NULL };
	support_recording_make_ok(&rec, NULL, argv);

	uint64_t pid, program_wait_ns;
	char tids[256];
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	assert_true(support_truth_u64(rec.run.out, "lock_addr", 0, &f.lock_addr));
	assert_true(support_truth_u64(rec.run.out, "lock_wait_ns", 0, &program_wait_ns));
	assert_true(support_truth_str(rec.run.out, "tids", 0, tids, sizeof tids));
	f.pid = (int32_t)pid;

	support_read_trace(rec.trace_dir, lock_event, &f, NULL);
	fprintf(stderr, "ctrace test: %llu mutex waits >= threshold, %llu ns short waits, "
		"%llu without holder\n", (unsigned long long)f.waits,
		(unsigned long long)f.short_ns, (unsigned long long)f.unknown_holder);

	/* Threads: every worker the program reports started and exited. */
	assert_int_equal(support_threads_started(&f.threads, f.pid), WORKERS);
	assert_int_equal(support_threads_unmatched(&f.threads, f.pid), 0);
	for (char *tok = strtok(tids, ","); tok; tok = strtok(NULL, ","))
		assert_true(support_threads_known(&f.threads, f.pid, atoi(tok)));

	/* Holders: real threads of the program. */
	assert_true(f.waits > 0);
	assert_int_equal(f.unknown_holder, 0);
	for (size_t i = 0; i < f.nholders; i++) {
		if (!support_threads_known(&f.threads, f.pid, f.holders[i]))
			fail_msg("holder tid %d is not a thread of pid %d", f.holders[i], f.pid);
	}

	assert_true(support_near("total mutex wait (ns)", (double)(f.wait_ns + f.short_ns),
				 (double)program_wait_ns, LOCK_WAIT_TOL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_contention_waits, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
