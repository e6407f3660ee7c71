/*
 * Two CPU-bound threads pinned to one CPU: each is runnable about half of
 * the time it spins. Each thread spins for SPIN_MS of wall time and
 * measures its own CPU time (CLOCK_THREAD_CPUTIME_ID): on-CPU time the
 * analyzer must see as running; the rest of the spin as runnable.
 *
 * usage: pinned_pair [-t SPIN_MS] [-c CPU]
 * truth: tids, each thread's spin begin/end (CLOCK_MONOTONIC) and CPU time.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-t SPIN_MS] [-c CPU]"

struct spinner {
	pthread_t thread;
	int cpu;
	uint64_t spin_ns;
	pthread_barrier_t *ready;
	/* measured */
	pid_t tid;
	uint64_t begin, end, cpu_ns;
	int pinned;
};

static void *spinner_main(void *arg)
{
	struct spinner *s = arg;
	s->tid = gettid();
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	s->pinned = sched_setaffinity(0, sizeof set, &set) == 0;
	pthread_barrier_wait(s->ready);
	uint64_t c0 = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	s->begin = sample_now_ns();
	s->end = s->begin + s->spin_ns;
	while (sample_now_ns() < s->end)
		;
	s->end = sample_now_ns();
	s->cpu_ns = sample_clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t spin_ms = 400, cpu = 0;
	int opt;
	while ((opt = getopt(argc, argv, "t:c:")) != -1) {
		switch (opt) {
		case 't': spin_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'c': cpu = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	pthread_barrier_t ready;
	pthread_barrier_init(&ready, NULL, 2);
	struct spinner s[2];
	for (int i = 0; i < 2; i++) {
		s[i] = (struct spinner){ .cpu = (int)cpu, .spin_ns = spin_ms * 1000000, .ready = &ready };
		pthread_create(&s[i].thread, NULL, spinner_main, &s[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(s[i].thread, NULL);
	printf("truth: pid=%d pinned=%d tids=%d,%d\n", (int)getpid(), s[0].pinned && s[1].pinned,
	       (int)s[0].tid, (int)s[1].tid);
	for (int i = 0; i < 2; i++)
		printf("truth: tid=%d begin_ns=%llu end_ns=%llu cpu_ns=%llu\n", (int)s[i].tid,
		       (unsigned long long)s[i].begin, (unsigned long long)s[i].end,
		       (unsigned long long)s[i].cpu_ns);
	return 0;
}
