/*
 * Sample: rare latency spikes in a busy loop, for the flight recorder.
 *
 * The main thread runs iterations, each a ctrace region `iteration` doing
 * WORK_US of work under a mutex it normally finds free. Every
 * SPIKE_EVERY-th iteration (indices SPIKE_EVERY-1, 2*SPIKE_EVERY-1, ...)
 * a `holder` thread takes that mutex and holds it for SPIKE_MS while the
 * iteration waits for it: a lock-wait spike in a sea of short iterations.
 * With -t SECONDS the loop runs for that long instead of -n ITERATIONS.
 * With -a K the program also calls ctrace_snapshot("rare_spikes: api") at
 * iteration K (after its region ended).
 *
 * Prints one `truth: spike` line per spike (its iteration index and
 * CLOCK_MONOTONIC begin and end, the trace's clock) and a summary line
 * with the iteration count and rate.
 *
 * usage: rare_spikes [-n ITERATIONS] [-t SECONDS] [-e SPIKE_EVERY]
 *                    [-d SPIKE_MS] [-w WORK_US] [-a ITERATION] [-q]
 * (-q: no per-spike lines; SPIKE_EVERY 0: no spikes)
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ctrace/ctrace.h>

#include "sample_holder.h"
#include "sample_util.h"

#define USAGE "[-n ITERATIONS] [-t SECONDS] [-e SPIKE_EVERY] [-d SPIKE_MS] [-w WORK_US] [-a ITERATION] [-q]"

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
/* The `holder` thread (sample_holder.h): holds work_lock for a spike. */
static struct sample_holder holder;

int main(int argc, char **argv)
{
	uint64_t iterations = 2000, seconds = 0, spike_every = 200, spike_ms = 30, work_us = 100;
	uint64_t api_at = UINT64_MAX;
	bool quiet = false;
	int c;
	while ((c = getopt(argc, argv, "n:t:e:d:w:a:q")) != -1) {
		switch (c) {
		case 'n': iterations = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 't': seconds = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'e': spike_every = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'd': spike_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'w': work_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'a': api_at = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'q': quiet = true; break;
		default:
			fprintf(stderr, "usage: %s %s\n", argv[0], USAGE);
			return 2;
		}
	}
	uint64_t hold_ns = spike_ms * 1000000u;
	sample_holder_start(&holder, &work_lock, hold_ns, "holder", NULL);

	uint64_t start = sample_now_ns();
	uint64_t deadline = seconds ? start + seconds * 1000000000u : UINT64_MAX;
	uint64_t i, spikes = 0;
	for (i = 0; seconds ? sample_now_ns() < deadline : i < iterations; i++) {
		bool spike = spike_every && i % spike_every == spike_every - 1;
		uint64_t begin = sample_now_ns();
		ctrace_region_begin("iteration");
		if (spike)
			sample_holder_take(&holder);
		pthread_mutex_lock(&work_lock);
		sample_spin_ns(work_us * 1000u);
		pthread_mutex_unlock(&work_lock);
		ctrace_region_end("iteration");
		if (spike) {
			spikes++;
			if (!quiet)
				printf("truth: spike i=%llu begin_ns=%llu end_ns=%llu\n",
				       (unsigned long long)i, (unsigned long long)begin,
				       (unsigned long long)sample_now_ns());
		}
		if (i == api_at)
			ctrace_snapshot("rare_spikes: api");
	}
	uint64_t elapsed = sample_now_ns() - start;

	sample_holder_stop(&holder);
	printf("truth: pid=%d iterations=%llu spikes=%llu spike_ns=%llu start_ns=%llu elapsed_ns=%llu "
	       "iterations_per_s=%.1f\n", (int)getpid(), (unsigned long long)i,
	       (unsigned long long)spikes, (unsigned long long)hold_ns,
	       (unsigned long long)start, (unsigned long long)elapsed,
	       (double)i * 1e9 / (double)(elapsed ? elapsed : 1));
	return 0;
}
