/* Allocation-burst detection from periodic checks (burst.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "burst.h"

#define MS 1000000ull
static const struct burst_config cfg = { .rate_bytes_per_ms = 100 * 1024, .min_bytes = 1024 * 1024 };

/* Feeds checks every `step` bytes at `rate` bytes/ms for `bytes` in all,
 * starting at *now and *total; returns how many bursts were reported. */
static int feed(struct burst_state *s, uint64_t *now, uint64_t *total, uint64_t bytes,
		uint64_t step, uint64_t rate_per_ms, struct burst_event *ev)
{
	int n = 0;
	for (uint64_t done = 0; done < bytes; done += step) {
		*now += step * MS / rate_per_ms;
		*total += step;
		n += burst_check(s, &cfg, *now, *total, *total / 64, ev);
	}
	return n;
}

static void slow_steady_allocation_is_no_burst(void **state)
{
	(void)state;
	struct burst_state s = { 0 };
	struct burst_event ev;
	uint64_t now = 1 * MS, total = 0;
	assert_int_equal(feed(&s, &now, &total, 64 << 20, 64 << 10, 10 * 1024, &ev), 0);
	assert_false(burst_finish(&s, &cfg, &ev));
}

static void fast_run_between_slow_runs_is_one_burst(void **state)
{
	(void)state;
	struct burst_state s = { 0 };
	struct burst_event ev = { 0 };
	uint64_t now = 1 * MS, total = 0;
	assert_int_equal(feed(&s, &now, &total, 4 << 20, 64 << 10, 10 * 1024, &ev), 0);
	uint64_t burst_start = now, bytes_before = total;
	/* 8 MiB at 1 GiB/s */
	assert_int_equal(feed(&s, &now, &total, 8 << 20, 64 << 10, 1024 * 1024, &ev), 0);
	uint64_t burst_end = now;
	assert_int_equal(feed(&s, &now, &total, 1 << 20, 64 << 10, 10 * 1024, &ev), 1);
	assert_int_equal(ev.begin_ns, burst_start);
	assert_int_equal(ev.end_ns, burst_end);
	assert_int_equal(ev.bytes, 8 << 20);
	assert_int_equal(ev.count, (bytes_before + (8 << 20)) / 64 - bytes_before / 64);
}

static void short_fast_run_below_min_bytes_is_dropped(void **state)
{
	(void)state;
	struct burst_state s = { 0 };
	struct burst_event ev;
	uint64_t now = 1 * MS, total = 0;
	feed(&s, &now, &total, 1 << 20, 64 << 10, 10 * 1024, &ev);
	assert_int_equal(feed(&s, &now, &total, 512 << 10, 64 << 10, 1024 * 1024, &ev), 0);
	assert_int_equal(feed(&s, &now, &total, 1 << 20, 64 << 10, 10 * 1024, &ev), 0);
}

static void finish_reports_burst_in_progress(void **state)
{
	(void)state;
	struct burst_state s = { 0 };
	struct burst_event ev = { 0 };
	uint64_t now = 1 * MS, total = 0;
	feed(&s, &now, &total, 2 << 20, 64 << 10, 1024 * 1024, &ev);
	assert_true(burst_finish(&s, &cfg, &ev));
	assert_int_equal(ev.end_ns, now);
	/* The very first check only sets the baseline. */
	assert_int_equal(ev.bytes, (2 << 20) - (64 << 10));
	assert_false(burst_finish(&s, &cfg, &ev));
}

static void clock_not_advancing_is_ignored(void **state)
{
	(void)state;
	struct burst_state s = { 0 };
	struct burst_event ev;
	assert_false(burst_check(&s, &cfg, 5 * MS, 100, 1, &ev));
	assert_false(burst_check(&s, &cfg, 5 * MS, 1 << 30, 2, &ev));
	assert_false(s.active);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slow_steady_allocation_is_no_burst),
		cmocka_unit_test(fast_run_between_slow_runs_is_one_burst),
		cmocka_unit_test(short_fast_run_below_min_bytes_is_dropped),
		cmocka_unit_test(finish_reports_burst_in_progress),
		cmocka_unit_test(clock_not_advancing_is_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
