/*
 * A read blocked on a pipe is recorded with the time it really blocked.
 *
 * Records samples/pipe_io (a writer thread sleeps 20 ms before each pipe
 * write, the main thread blocks in read) and checks the read syscall
 * events on the program's read end:
 * - one long read per write (a read of at least half the delay), give or
 *   take READ_COUNT_SLACK;
 * - their median duration equals the reader's own median read time within
 *   READ_TOL, and is no shorter than the writer's delay minus READ_TOL (a
 *   loaded machine wakes the writer and the reader late, by several ms
 *   with two CPU hogs on two cores, so the delay is a lower bound only).
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

#define READ_TOL 0.10
#define READ_COUNT_SLACK 1
#define WRITES 15
#define DELAY_MS 20

struct pipe_facts {
	int32_t pid;
	int64_t fd;
	uint64_t durations[4 * WRITES];
	size_t n;
	uint64_t all_reads;  /* on fd, any length above the threshold */
};

static int pipe_event(const struct analyzer_event *ev, void *user)
{
	struct pipe_facts *f = user;
	if (ev->vpid != f->pid || strcmp(ev->name, "ctrace:syscall"))
		return 0;
	uint64_t sys, begin;
	int64_t fd;
	assert_true(analyzer_event_uint(ev, "sys", &sys));
	assert_true(analyzer_event_int(ev, "fd", &fd));
	if (sys != CTRACE_SYS_READ || fd != f->fd)
		return 0;
	assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
	assert_true(begin <= ev->ts_ns);
	f->all_reads++;
	if (ev->ts_ns - begin >= DELAY_MS * 1000000ull / 2 &&
	    f->n < sizeof f->durations / sizeof f->durations[0])
		f->durations[f->n++] = ev->ts_ns - begin;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct support_recording rec;

static int cleanup(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

static void test_pipe_reads(void **state)
{
	(void)state;
	char writes[16], delay[16];
	snprintf(writes, sizeof writes, "%d", WRITES);
	snprintf(delay, sizeof delay, "%d", DELAY_MS);
	char *argv[] = { SUPPORT_SAMPLE("pipe_io"), "-n", writes, "-d", delay, NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct pipe_facts f = { 0 };
	uint64_t pid, fd, delay_ns, program_median;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	assert_true(support_truth_u64(rec.run.out, "read_fd", 0, &fd));
	assert_true(support_truth_u64(rec.run.out, "delay_ns", 0, &delay_ns));
	assert_true(support_truth_u64(rec.run.out, "read_median_ns", 0, &program_median));
	f.pid = (int32_t)pid;
	f.fd = (int64_t)fd;

	support_read_trace(rec.trace_dir, pipe_event, &f, NULL);
	fprintf(stderr, "ctrace test: %zu long reads on fd %lld (%llu traced in all), %d writes\n",
		f.n, (long long)f.fd, (unsigned long long)f.all_reads, WRITES);
	assert_true(f.n + READ_COUNT_SLACK >= WRITES);
	assert_true(f.n <= WRITES + READ_COUNT_SLACK);
	qsort(f.durations, f.n, sizeof f.durations[0], cmp_u64);
	double median = (double)f.durations[f.n / 2];
	fprintf(stderr, "ctrace test: median read %.3f ms, writer's delay %.3f ms\n", median / 1e6,
		(double)delay_ns / 1e6);
	assert_true(median >= (double)delay_ns * (1 - READ_TOL));
	assert_true(support_near("median read vs reader's own (ns)", median,
				 (double)program_median, READ_TOL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pipe_reads, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
