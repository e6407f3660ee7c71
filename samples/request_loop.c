/*
 * Sample: an annotated request loop with injected latency spikes.
 *
 * REQUESTS requests are served one after the other, each a ctrace task
 * with a `request` region holding `parse`, `compute` and `respond`
 * regions, a `route` label and a log line. Every SPIKE_EVERY-th request
 * (indices SPIKE_EVERY-1, 2*SPIKE_EVERY-1, ...) takes SPIKE_MS longer,
 * alternately by sleeping and by waiting on a cache lock that a
 * maintenance thread holds for SPIKE_MS. The program prints which
 * requests spiked and how; the trace's `request` regions must show
 * exactly those as the slow ones.
 *
 * usage: request_loop [-n REQUESTS] [-s SPIKE_EVERY] [-d SPIKE_MS] [-w WORK_US]
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ctrace/ctrace.h>

#include "sample_holder.h"
#include "sample_util.h"

#define USAGE "[-n REQUESTS] [-s SPIKE_EVERY] [-d SPIKE_MS] [-w WORK_US]"

/* The maintenance thread (sample_holder.h) holds cache_lock for the
 * spike's length when a lock spike asks it to. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sample_holder maintenance;

/* Makes the maintenance thread hold cache_lock, then waits for it. */
static void spike_lock(void)
{
	sample_holder_take(&maintenance);
	pthread_mutex_lock(&cache_lock);
	pthread_mutex_unlock(&cache_lock);
}

static void serve(uint64_t i, uint64_t work_ns, int spike, uint64_t spike_ns)
{
	CTRACE_REGION("request");
	{
		CTRACE_REGION("parse");
		sample_spin_ns(work_ns / 10);
	}
	{
		CTRACE_REGION("compute");
		sample_spin_ns(work_ns);
		if (spike == 1) {
			ctrace_log("spike", "sleeping");
			sample_sleep_ns(spike_ns);
		} else if (spike == 2) {
			ctrace_log("spike", "waiting for the cache lock");
			spike_lock();
		}
	}
	{
		CTRACE_REGION("respond");
		char line[64];
		int n = snprintf(line, sizeof line, "request %llu done\n", (unsigned long long)i);
		ctrace_log("respond", line);
		(void)n;
	}
}

int main(int argc, char **argv)
{
	uint64_t requests = 200, spike_every = 50, spike_ms = 20, work_us = 1000;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:d:w:")) != -1) {
		switch (opt) {
		case 'n': requests = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 's': spike_every = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'd': spike_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'w': work_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	if (spike_every == 0) {
		fprintf(stderr, "%s: SPIKE_EVERY must be at least 1\n", argv[0]);
		return 2;
	}
	uint64_t hold_ns = spike_ms * 1000000;
	sample_holder_start(&maintenance, &cache_lock, hold_ns, NULL, "maintenance");

	uint64_t *durations = calloc(requests ? requests : 1, sizeof *durations);
	if (!durations)
		return 1;
	printf("truth: pid=%d requests=%llu spike_every=%llu spike_ns=%llu spikes=",
	       (int)getpid(), (unsigned long long)requests,
	       (unsigned long long)spike_every, (unsigned long long)hold_ns);
	int nspikes = 0;
	for (uint64_t i = 0; i < requests; i++) {
		int spike = (i + 1) % spike_every ? 0 : 1 + nspikes % 2;
		uint64_t t0 = sample_now_ns();
		uint64_t task = ctrace_task_begin("request", 0);
		ctrace_label_push("route", i % 3 ? "/items" : "/users");
		serve(i, work_us * 1000, spike, hold_ns);
		ctrace_label_pop();
		ctrace_task_end(task);
		durations[i] = sample_now_ns() - t0;
		if (spike)
			printf("%s%llu:%s", nspikes++ ? "," : "", (unsigned long long)i,
			       spike == 1 ? "sleep" : "lock");
	}
	printf("\n");
	sample_holder_stop(&maintenance);
	/* Which requests were slow by the program's own clock: the injected
	 * spikes, and on a busy machine any request that waited long enough
	 * for a CPU (the threshold tests use: the median plus 3/4 of a spike). */
	uint64_t *sorted = malloc((requests ? requests : 1) * sizeof *sorted);
	if (!sorted)
		return 1;
	memcpy(sorted, durations, requests * sizeof *sorted);
	uint64_t median = sample_median_u64(sorted, requests);
	uint64_t slow = median + hold_ns / 4 * 3;
	printf("truth: slow_ns=%llu slow=", (unsigned long long)slow);
	for (uint64_t i = 0, n = 0; i < requests; i++)
		if (durations[i] >= slow)
			printf("%s%llu", n++ ? "," : "", (unsigned long long)i);
	printf("\n");
	printf("truth: nspikes=%d request_median_ns=%llu\n", nspikes, (unsigned long long)median);
	free(sorted);
	free(durations);
	return 0;
}
