/*
 * Helpers shared by the sample programs: clocks, busy work, and the
 * `truth:` lines each sample prints so tests compare ctrace's numbers with
 * the program's own measurements.
 *
 * Samples print timestamps on CLOCK_MONOTONIC, the clock ctrace stamps
 * events with, so a printed time can be compared to a trace time directly.
 */
#ifndef SAMPLE_UTIL_H
#define SAMPLE_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t sample_clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t sample_now_ns(void)
{
	return sample_clock_ns(CLOCK_MONOTONIC);
}

/* Busy for ns of wall time, on the CPU (a critical section doing work). */
static inline void sample_spin_ns(uint64_t ns)
{
	uint64_t end = sample_now_ns() + ns;
	while (sample_now_ns() < end)
		;
}

static inline void sample_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Parses a non-negative integer option value or exits with usage. */
static inline uint64_t sample_arg_u64(const char *prog, const char *usage, const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || s[0] == '-') {
		fprintf(stderr, "%s: bad number '%s'\nusage: %s %s\n", prog, s, prog, usage);
		exit(2);
	}
	return (uint64_t)v;
}

static inline int sample_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v); 0 for n == 0. */
static inline uint64_t sample_median_u64(uint64_t *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, sample_cmp_u64);
	return v[n / 2];
}

#endif
