/*
 * Robustness and ground truth for the join variants: a timed join that
 * gives up (ETIMEDOUT) and is followed by a plain join, a try-join polled
 * until it succeeds, and a clock join. Prints each worker's tid and the
 * outcomes, for test_join_variants.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct worker {
	pthread_t thread;
	unsigned ms;
	pid_t tid;
};

static void *sleeper(void *arg)
{
	struct worker *w = arg;
	w->tid = gettid();
	usleep(w->ms * 1000u);
	return NULL;
}

static struct timespec in_ms(clockid_t clock, unsigned ms)
{
	struct timespec t;
	clock_gettime(clock, &t);
	t.tv_nsec += (long)(ms % 1000u) * 1000000L;
	t.tv_sec += ms / 1000u + t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	return t;
}

int main(void)
{
	struct worker timed = { .ms = 60 }, tried = { .ms = 30 }, clocked = { .ms = 20 };
	struct worker *all[] = { &timed, &tried, &clocked };
	for (int i = 0; i < 3; i++)
		if (pthread_create(&all[i]->thread, NULL, sleeper, all[i]) != 0)
			return 1;
	struct timespec soon = in_ms(CLOCK_REALTIME, 10);
	int timedout = pthread_timedjoin_np(timed.thread, NULL, &soon);
	unsigned tries = 1;
	while (pthread_tryjoin_np(tried.thread, NULL) == EBUSY) {
		usleep(1000);
		tries++;
	}
	struct timespec later = in_ms(CLOCK_MONOTONIC, 5000);
	int clock_r = pthread_clockjoin_np(clocked.thread, NULL, CLOCK_MONOTONIC, &later);
	int join_r = pthread_join(timed.thread, NULL);
	printf("truth: main=%d timed=%d tried=%d clocked=%d\n", (int)gettid(), (int)timed.tid,
	       (int)tried.tid, (int)clocked.tid);
	printf("truth: timedjoin=%s clockjoin=%d join=%d tries_over_1=%d\n",
	       timedout == ETIMEDOUT ? "ETIMEDOUT" : "other", clock_r, join_r, tries > 1);
	return timedout == ETIMEDOUT && clock_r == 0 && join_r == 0 ? 0 : 1;
}
