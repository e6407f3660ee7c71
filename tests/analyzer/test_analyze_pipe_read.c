/*
 * Syscall time, end to end: samples/pipe_io's writer sleeps DELAY before
 * each write; the main thread blocks in read meanwhile. Each read on the
 * pipe the analyzer shows lasts at least the writer's delay (minus 1 ms),
 * 90 % of them within 5 % or 1 ms of it (a loaded machine wakes threads
 * late; the first read starts before the writer and is not compared), the
 * main thread's syscall time is about writes x delay, and the syscalls
 * table counts the reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "analyze_test.h"
#include "ctrace_schema.h"

static struct analyze_test t;

static int setup(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("pipe_io"), "-n", "15", "-d", "20", NULL };
	analyze_test_record(&t, NULL, argv, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analyze_test_free(&t);
	return 0;
}

static void test_read_lasts_writer_delay(void **state)
{
	(void)state;
	const struct model *m = &t.m;
	int32_t pid = (int32_t)analyze_test_truth(&t, "pid", 0);
	int32_t fd = (int32_t)analyze_test_truth(&t, "read_fd", 0);
	uint64_t delay = analyze_test_truth(&t, "delay_ns", 0);
	uint64_t writes = analyze_test_truth(&t, "writes", 0);
	uint32_t main_thread = analyze_test_thread(m, pid);
	size_t reads = 0, matched = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < m->n_syscalls; i++) {
		const struct model_syscall *s = &m->syscalls[i];
		if (s->thread != main_thread || s->sys != CTRACE_SYS_READ || s->fd != fd || s->result <= 0)
			continue;
		uint64_t d = s->end - s->begin;
		total += d;
		if (reads++ == 0)
			continue;   /* began before the writer thread existed */
		if (d + 1000000 < delay)
			fail_msg("read %zu lasted %.3f ms, less than the writer's delay", reads,
				 analyze_test_ms(d));
		matched += support_near("read (ms) vs writer's delay", analyze_test_ms(d),
					analyze_test_ms(delay), 0.05, 1.0);
	}
	assert_int_equal(reads, writes);
	/* A loaded machine can wake the writer (or the reader) late. */
	assert_true(matched * 10 >= (reads - 1) * 9);
	const struct model_breakdown *bd = &t.a.thread_bd[main_thread];
	fprintf(stderr, "ctrace test: main thread: syscall %.1f ms (reads %.1f ms)\n",
		analyze_test_ms(bd->ns[MODEL_SYSCALL]), analyze_test_ms(total));
	assert_true(support_near("main thread syscall time (ms)", analyze_test_ms(bd->ns[MODEL_SYSCALL]),
				 analyze_test_ms(writes * delay), 0.05, 2.0));
	const struct analysis_syscall_stats *row = NULL;
	for (size_t i = 0; i < t.a.n_syscalls; i++)
		if (!t.a.syscalls[i].short_calls && t.a.syscalls[i].sys == CTRACE_SYS_READ)
			row = &t.a.syscalls[i];
	assert_non_null(row);
	assert_true(row->count >= writes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_lasts_writer_delay),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
