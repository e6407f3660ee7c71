/*
 * Regions with a known latency distribution: COUNT `op` regions, the k-th
 * (k = 1..COUNT, in a shuffled order) sleeping k * STEP_US. The program
 * times each region itself (CLOCK_MONOTONIC around begin and end) and
 * prints the nearest-rank percentiles of what it measured: the analyzer's
 * percentiles of `op` must match.
 *
 * usage: latency_dist [-n COUNT] [-s STEP_US]
 */
#include <stdio.h>
#include <unistd.h>

#include <ctrace/ctrace.h>

#include "sample_util.h"

#define USAGE "[-n COUNT] [-s STEP_US]"

static uint64_t rank(const uint64_t *sorted, uint64_t n, unsigned q)
{
	uint64_t r = (n * q + 99) / 100;
	return sorted[r ? r - 1 : 0];
}

int main(int argc, char **argv)
{
	uint64_t count = 100, step_us = 100;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n': count = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 's': step_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	if (count == 0)
		return 2;
	uint64_t *order = calloc(count, sizeof *order), *d = calloc(count, sizeof *d);
	if (!order || !d)
		return 1;
	for (uint64_t i = 0; i < count; i++)
		order[i] = i + 1;
	uint64_t rng = 12345;
	for (uint64_t i = count - 1; i > 0; i--) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t j = (rng >> 33) % (i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (uint64_t i = 0; i < count; i++) {
		uint64_t t0 = sample_now_ns();
		ctrace_region_begin("op");
		sample_sleep_ns(order[i] * step_us * 1000);
		ctrace_region_end("op");
		d[i] = sample_now_ns() - t0;
	}
	qsort(d, count, sizeof *d, sample_cmp_u64);
	uint64_t total = 0;
	for (uint64_t i = 0; i < count; i++)
		total += d[i];
	printf("truth: pid=%d count=%llu min_ns=%llu p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu "
	       "total_ns=%llu\n", (int)getpid(), (unsigned long long)count, (unsigned long long)d[0],
	       (unsigned long long)rank(d, count, 50), (unsigned long long)rank(d, count, 90),
	       (unsigned long long)rank(d, count, 99), (unsigned long long)d[count - 1],
	       (unsigned long long)total);
	free(order);
	free(d);
	return 0;
}
