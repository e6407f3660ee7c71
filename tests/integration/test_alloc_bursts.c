/*
 * Allocation bursts are found where they happened and nowhere else, and
 * the allocation counters add up.
 *
 * Records samples/alloc_burst (BURSTS bursts of 8 MiB in 16 KiB mallocs,
 * quiet sleeps between them; the program prints each burst's
 * CLOCK_MONOTONIC window) and checks:
 * - every alloc_burst event lies inside one of the program's windows
 *   (widened by WINDOW_SLACK_NS), and every window holds at least one;
 * - the bytes of the burst events in a window are between
 *   BURST_BYTES_MIN and BURST_BYTES_MAX of what the program allocated in
 *   it (the detector needs burst_min_bytes before it starts a burst);
 * - the alloc_bytes counters of the program total at least the bytes of
 *   all bursts and at most that plus COUNTER_EXTRA_BYTES (stdio, start-up).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "support.h"

#define BURSTS 3
#define WINDOW_SLACK_NS 2000000ull
#define BURST_BYTES_MIN 0.5
#define BURST_BYTES_MAX 1.05
#define COUNTER_EXTRA_BYTES (1024 * 1024)

struct window {
	uint64_t begin, end, bytes;
	uint64_t traced_bytes, events;
};

struct alloc_facts {
	int32_t pid;
	struct window w[BURSTS];
	uint64_t outside;       /* burst events outside every window */
	uint64_t counter_bytes; /* sum of alloc_bytes flushes */
};

static int alloc_event(const struct analyzer_event *ev, void *user)
{
	struct alloc_facts *f = user;
	if (ev->vpid != f->pid)
		return 0;
	uint64_t v;
	if (analyzer_event_uint(ev, "alloc_bytes", &v))
		f->counter_bytes += v;
	if (strcmp(ev->name, "ctrace:alloc_burst"))
		return 0;
	uint64_t begin, end, bytes;
	assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
	assert_true(analyzer_event_uint(ev, "end_ts", &end));
	assert_true(analyzer_event_uint(ev, "bytes", &bytes));
	assert_true(begin <= end && end <= ev->ts_ns);
	fprintf(stderr, "ctrace test: alloc_burst %llu..%llu %llu bytes\n",
		(unsigned long long)begin, (unsigned long long)end, (unsigned long long)bytes);
	for (int i = 0; i < BURSTS; i++) {
		if (begin + WINDOW_SLACK_NS >= f->w[i].begin && end <= f->w[i].end + WINDOW_SLACK_NS) {
			f->w[i].traced_bytes += bytes;
			f->w[i].events++;
			return 0;
		}
	}
	f->outside++;
	return 0;
}

static struct support_recording rec;

static int cleanup(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

static void test_bursts(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("alloc_burst"), "-n", "3", "-q", "100", NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct alloc_facts f = { 0 };
	uint64_t pid, total = 0;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	f.pid = (int32_t)pid;
	for (unsigned i = 0; i < BURSTS; i++) {
		assert_true(support_truth_u64(rec.run.out, "begin_ns", i, &f.w[i].begin));
		assert_true(support_truth_u64(rec.run.out, "end_ns", i, &f.w[i].end));
		assert_true(support_truth_u64(rec.run.out, "bytes", i, &f.w[i].bytes));
		total += f.w[i].bytes;
	}

	support_read_trace(rec.trace_dir, alloc_event, &f, NULL);
	assert_int_equal(f.outside, 0);
	for (int i = 0; i < BURSTS; i++) {
		fprintf(stderr, "ctrace test: window %d: %llu burst events, %llu of %llu bytes\n", i,
			(unsigned long long)f.w[i].events, (unsigned long long)f.w[i].traced_bytes,
			(unsigned long long)f.w[i].bytes);
		assert_true(f.w[i].events >= 1);
		assert_true((double)f.w[i].traced_bytes >= BURST_BYTES_MIN * (double)f.w[i].bytes);
		assert_true((double)f.w[i].traced_bytes <= BURST_BYTES_MAX * (double)f.w[i].bytes);
	}
	fprintf(stderr, "ctrace test: alloc counters %llu bytes, bursts %llu bytes\n",
		(unsigned long long)f.counter_bytes, (unsigned long long)total);
	assert_true(f.counter_bytes >= total);
	assert_true(f.counter_bytes <= total + COUNTER_EXTRA_BYTES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bursts, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
