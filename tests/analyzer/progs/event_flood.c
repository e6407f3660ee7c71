/*
 * Many events, for the analyzer's throughput and memory benchmark
 * (tests/analyzer/bench_analyze.sh): ITER iterations of a `work` region
 * holding an `inner` region, a label every LABEL_EVERY iterations and a
 * log line every LOG_EVERY, on THREADS threads. About 4 events per
 * iteration, plus the tracer's own (counters, samples, context switches).
 *
 * usage: event_flood [-n ITER] [-t THREADS]
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <ctrace/ctrace.h>

#include "sample_util.h"

#define USAGE "[-n ITER] [-t THREADS]"
#define LABEL_EVERY 64
#define LOG_EVERY 4096

static uint64_t iterations = 1000000;

static void *flood(void *arg)
{
	(void)arg;
	volatile uint64_t x = 0;
	for (uint64_t i = 0; i < iterations; i++) {
		if (i % LABEL_EVERY == 0)
			ctrace_label_push("batch", i % 2 ? "odd" : "even");
		ctrace_region_begin("work");
		ctrace_region_begin("inner");
		x += i;
		ctrace_region_end("inner");
		ctrace_region_end("work");
		if (i % LABEL_EVERY == LABEL_EVERY - 1)
			ctrace_label_pop();
		if (i % LOG_EVERY == 0)
			ctrace_log("flood", "progress");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t threads = 2;
	int opt;
	while ((opt = getopt(argc, argv, "n:t:")) != -1) {
		switch (opt) {
		case 'n': iterations = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 't': threads = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	if (threads < 1 || threads > 64)
		return 2;
	pthread_t t[64];
	for (uint64_t i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, flood, NULL);
	for (uint64_t i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("truth: pid=%d iterations=%llu threads=%llu\n", (int)getpid(),
	       (unsigned long long)iterations, (unsigned long long)threads);
	return 0;
}
