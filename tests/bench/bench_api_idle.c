/*
 * Cost of the annotation API when nothing records: every call should be a
 * load and a branch. Prints ns per call next to an empty-call baseline
 * measured in the same run.
 */
#include <ctrace/ctrace.h>
#include <stdio.h>
#include <time.h>

#define N 20000000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

__attribute__((noinline)) static void empty_call(const char *s)
{
	__asm__ volatile("" : : "r"(s) : "memory");
}

int main(void)
{
	double best_base = 1e9, best_api = 1e9;
	for (int round = 0; round < 5; round++) {
		double t0 = now_s();
		for (int i = 0; i < N; i++) {
			empty_call("r");
			empty_call("r");
		}
		double t1 = now_s();
		for (int i = 0; i < N; i++) {
			ctrace_region_begin("r");
			ctrace_region_end("r");
		}
		double t2 = now_s();
		if (t1 - t0 < best_base)
			best_base = t1 - t0;
		if (t2 - t1 < best_api)
			best_api = t2 - t1;
	}
	double base = best_base * 1e9 / (2.0 * N), api = best_api * 1e9 / (2.0 * N);
	printf("api_idle: empty call %.2f ns, ctrace_region_begin/end %.2f ns per call (+%.2f ns)\n",
	       base, api, api - base);
	return 0;
}
