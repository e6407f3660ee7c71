/*
 * Sample: a worker pool fighting over one mutex.
 *
 * WORKERS threads each take a shared mutex ITERATIONS times, hold it for
 * HOLD_US of CPU work and then work OUTSIDE_US outside it. With more
 * workers than the critical section leaves room for, most acquisitions
 * wait. Each worker times its own pthread_mutex_lock calls; the totals
 * are the ground truth a trace's lock_wait events must add up to.
 *
 * With -r, each iteration (lock, hold, work outside) is also a ctrace
 * region `iteration` that the worker times itself, so two runs with
 * different HOLD_US show a region slowed down by lock contention (what
 * `ctrace diff` must report); the truth then gains the iterations' median
 * and total. Without -r the program makes no ctrace call.
 *
 * usage: contention [-w WORKERS] [-n ITERATIONS] [-H HOLD_US] [-o OUTSIDE_US] [-r]
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <ctrace/ctrace.h>

#include "sample_util.h"

#define USAGE "[-w WORKERS] [-n ITERATIONS] [-H HOLD_US] [-o OUTSIDE_US] [-r]"
#define MAX_WORKERS 64

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

struct worker {
	pthread_t thread;
	uint64_t iterations, hold_ns, outside_ns;
	bool regions;              /* -r */
	/* measured by the worker */
	pid_t tid;
	uint64_t wait_ns, hold_total_ns, waits_over_1ms;
	uint64_t *iteration_ns;    /* with -r: each iteration's duration */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	w->tid = gettid();
	for (uint64_t i = 0; i < w->iterations; i++) {
		if (w->regions)
			ctrace_region_begin("iteration");
		uint64_t t0 = sample_now_ns();
		pthread_mutex_lock(&shared_lock);
		uint64_t t1 = sample_now_ns();
		w->wait_ns += t1 - t0;
		w->waits_over_1ms += t1 - t0 >= 1000000;
		sample_spin_ns(w->hold_ns);
		w->hold_total_ns += sample_now_ns() - t1;
		pthread_mutex_unlock(&shared_lock);
		sample_spin_ns(w->outside_ns);
		if (w->regions) {
			w->iteration_ns[i] = sample_now_ns() - t0;
			ctrace_region_end("iteration");
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t nworkers = 4, iterations = 100, hold_us = 2000, outside_us = 500;
	bool regions = false;
	int opt;
	while ((opt = getopt(argc, argv, "w:n:H:o:r")) != -1) {
		switch (opt) {
		case 'w': nworkers = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'n': iterations = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'H': hold_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'o': outside_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'r': regions = true; break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	if (nworkers < 1 || nworkers > MAX_WORKERS) {
		fprintf(stderr, "%s: WORKERS must be 1..%d\n", argv[0], MAX_WORKERS);
		return 2;
	}
	static struct worker workers[MAX_WORKERS];
	/* With -r: every iteration's duration, worker after worker. */
	uint64_t *durations = NULL;
	if (regions && !(durations = calloc(nworkers * iterations + 1, sizeof *durations)))
		return 1;
	for (uint64_t i = 0; i < nworkers; i++) {
		workers[i] = (struct worker){ .iterations = iterations,
					      .hold_ns = hold_us * 1000,
					      .outside_ns = outside_us * 1000,
					      .regions = regions,
					      .iteration_ns = regions ? durations + i * iterations : NULL };
		pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
	}
	uint64_t wait = 0, hold = 0, over = 0;
	printf("truth: pid=%d tids=", (int)getpid());
	for (uint64_t i = 0; i < nworkers; i++) {
		pthread_join(workers[i].thread, NULL);
		wait += workers[i].wait_ns;
		hold += workers[i].hold_total_ns;
		over += workers[i].waits_over_1ms;
		printf("%s%d", i ? "," : "", (int)workers[i].tid);
	}
	printf("\ntruth: workers=%llu iterations=%llu hold_ns=%llu lock_wait_ns=%llu "
	       "lock_hold_ns=%llu waits_over_1ms=%llu lock_addr=%p\n",
	       (unsigned long long)nworkers, (unsigned long long)iterations,
	       (unsigned long long)hold_us * 1000, (unsigned long long)wait,
	       (unsigned long long)hold, (unsigned long long)over, (void *)&shared_lock);
	if (regions) {
		uint64_t total = 0;
		for (uint64_t i = 0; i < nworkers * iterations; i++)
			total += durations[i];
		printf("truth: iterations_timed=%llu iteration_total_ns=%llu iteration_median_ns=%llu\n",
		       (unsigned long long)(nworkers * iterations), (unsigned long long)total,
		       (unsigned long long)sample_median_u64(durations, nworkers * iterations));
		free(durations);
	}
	return 0;
}
