/*
 * Sample: CPU-bound work split between two hot functions.
 *
 * Each of ROUNDS rounds runs hot_a for about A_MS and hot_b for about B_MS
 * of CPU time (70 % / 30 % by default). The program measures the CPU time
 * actually spent in each with CLOCK_THREAD_CPUTIME_ID and prints the
 * split: CPU samples whose stacks hold hot_a / hot_b must come out in the
 * same proportion. Built -O2 without frame pointers, so stacks must be
 * unwound from unwind tables; the hot functions are kept out of line
 * (noipa: no inlining, cloning or tail-call merging that would rename or
 * hide them).
 *
 * usage: cpu_bound [-n ROUNDS] [-a A_MS] [-b B_MS]
 */
#include <stdio.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-n ROUNDS] [-a A_MS] [-b B_MS]"

/* The work itself: integer mixing the compiler cannot fold away. */
static inline uint64_t spin_work(uint64_t iters, uint64_t x)
{
	for (uint64_t i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

__attribute__((noipa)) uint64_t hot_a(uint64_t iters, uint64_t x)
{
	return spin_work(iters, x);
}

__attribute__((noipa)) uint64_t hot_b(uint64_t iters, uint64_t x)
{
	return spin_work(iters, x);
}

__attribute__((noipa)) static uint64_t calibrate(uint64_t iters, uint64_t x)
{
	return spin_work(iters, x);
}

int main(int argc, char **argv)
{
	uint64_t rounds = 30, a_ms = 35, b_ms = 15;
	int opt;
	while ((opt = getopt(argc, argv, "n:a:b:")) != -1) {
		switch (opt) {
		case 'n': rounds = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'a': a_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'b': b_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	/* Iterations per ms of CPU, measured on this machine. */
	const uint64_t probe = 2000000;
	uint64_t x = 88172645463325252ull;
	uint64_t c0 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	x = calibrate(probe, x);
	uint64_t c1 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	uint64_t per_ms = probe * 1000000 / (c1 - c0 ? c1 - c0 : 1);

	uint64_t a_ns = 0, b_ns = 0;
	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t t0 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		x = hot_a(a_ms * per_ms, x);
		uint64_t t1 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		x = hot_b(b_ms * per_ms, x);
		uint64_t t2 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		a_ns += t1 - t0;
		b_ns += t2 - t1;
	}
	double total = (double)(a_ns + b_ns);
	printf("truth: pid=%d rounds=%llu a_ns=%llu b_ns=%llu a_pct=%.2f b_pct=%.2f checksum=%llu\n",
	       (int)getpid(), (unsigned long long)rounds, (unsigned long long)a_ns,
	       (unsigned long long)b_ns, total > 0 ? 100.0 * (double)a_ns / total : 0.0,
	       total > 0 ? 100.0 * (double)b_ns / total : 0.0, (unsigned long long)(x & 0xffff));
	return 0;
}
