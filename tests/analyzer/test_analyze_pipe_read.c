/*
 * Syscall time, end to end: samples/pipe_io's writer sleeps DELAY before
 * each write; the main thread blocks in read meanwhile. Each read on the
 * pipe the analyzer shows: their median lasts at least the writer's delay
 * (minus 1 ms). The delay is only a bound: a loaded machine wakes the
 * writer and the reader late (1-8 ms with two CPU hogs on two cores; a read
 * begun late is shorter, the one it delayed longer), so the reads are
 * compared with what the reader measured around its read calls: their
 * median and total within 5 % or 1 ms, and the main thread's syscall time
 * with that total (5 % or 2 ms). The syscalls table counts the reads.
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
	uint64_t program_total = analyze_test_truth(&t, "read_total_ns", 0);
	uint64_t program_median = analyze_test_truth(&t, "read_median_ns", 0);
	size_t reads = 0;
	uint64_t total = 0, durations[256];
	for (size_t i = 0; i < m->n_syscalls; i++) {
		const struct model_syscall *s = &m->syscalls[i];
		if (s->thread != main_thread || s->sys != CTRACE_SYS_READ || s->fd != fd || s->result <= 0)
			continue;
		uint64_t d = s->end - s->begin;
		total += d;
		assert_true(reads < sizeof durations / sizeof durations[0]);
		durations[reads] = d;
		reads++;
	}
	assert_int_equal(reads, writes);
	/* The program's median is over the same reads, the first included. */
	for (size_t i = 1; i < reads; i++)
		for (size_t k = i; k > 0 && durations[k - 1] > durations[k]; k--) {
			uint64_t x = durations[k];
			durations[k] = durations[k - 1];
			durations[k - 1] = x;
		}
	if (durations[reads / 2] + 1000000 < delay)
		fail_msg("median read %.3f ms, less than the writer's delay",
			 analyze_test_ms(durations[reads / 2]));
	assert_true(support_near("median read vs the reader's own (ms)",
				 analyze_test_ms(durations[reads / 2]), analyze_test_ms(program_median),
				 0.05, 1.0));
	assert_true(support_near("reads' total vs the reader's own (ms)", analyze_test_ms(total),
				 analyze_test_ms(program_total), 0.05, 1.0));
	const struct model_breakdown *bd = &t.a.thread_bd[main_thread];
	fprintf(stderr, "ctrace test: main thread: syscall %.1f ms (reads %.1f ms, writer's delay "
		"%.1f ms each)\n", analyze_test_ms(bd->ns[MODEL_SYSCALL]), analyze_test_ms(total),
		analyze_test_ms(delay));
	assert_true(support_near("main thread syscall time (ms)", analyze_test_ms(bd->ns[MODEL_SYSCALL]),
				 analyze_test_ms(program_total), 0.05, 2.0));
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
