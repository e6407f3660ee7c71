/*
 * Cost of a malloc+free pair of 64 bytes, the allocation fast path of the
 * preload library. Prints ns per pair (best of ROUNDS) in the environment
 * it runs in; tests/bench/run_malloc_fastpath.sh runs it untraced, under
 * ctrace's preload and under LTTng's libc wrapper and prints the
 * differences, since only a same-machine comparison means anything here.
 *
 * Usage: bench_malloc_fastpath [label]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 10000000
#define ROUNDS 7

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "malloc_fastpath";
	double best = 1e9;
	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now_s();
		for (int i = 0; i < N; i++) {
			void *p = malloc(64);
			/* Keeps the compiler from pairing malloc with free away. */
			__asm__ volatile("" : : "r"(p) : "memory");
			free(p);
		}
		double t = now_s() - t0;
		if (t < best)
			best = t;
	}
	printf("%s: %.2f ns per malloc(64)+free pair\n", label, best * 1e9 / N);
	return 0;
}
