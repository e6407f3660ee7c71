/*
 * A request handler annotated with ctrace: each request is a `handle`
 * region of ~1 ms of work under a cache lock. With STALL_MS > 0, a
 * janitor thread takes the lock halfway through and keeps it STALL_MS in
 * its `cleanup` region, so one request waits that long: the budget test
 * (CMakeLists.txt) must then fail and name the janitor.
 *
 * usage: server [REQUESTS [STALL_MS]]
 */
#define _GNU_SOURCE   /* pthread_setname_np */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <ctrace/ctrace.h>

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t janitor_holds;
static long stall_ms;

static void spin_ms(long ms)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void *janitor_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "janitor");
	ctrace_region_begin("cleanup");
	pthread_mutex_lock(&cache_lock);
	sem_post(&janitor_holds);
	struct timespec d = { stall_ms / 1000, (stall_ms % 1000) * 1000000 };
	nanosleep(&d, NULL);
	pthread_mutex_unlock(&cache_lock);
	ctrace_region_end("cleanup");
	return NULL;
}

static void handle(void)
{
	ctrace_region_begin("handle");
	pthread_mutex_lock(&cache_lock);
	spin_ms(1);
	pthread_mutex_unlock(&cache_lock);
	ctrace_region_end("handle");
}

int main(int argc, char **argv)
{
	long requests = argc > 1 ? atol(argv[1]) : 40;
	stall_ms = argc > 2 ? atol(argv[2]) : 0;
	sem_init(&janitor_holds, 0, 0);
	pthread_t janitor;
	int started = 0;
	for (long i = 0; i < requests; i++) {
		if (stall_ms > 0 && i == requests / 2) {
			pthread_create(&janitor, NULL, janitor_main, NULL);
			sem_wait(&janitor_holds);
			started = 1;
		}
		handle();
	}
	if (started)
		pthread_join(janitor, NULL);
	printf("server: %ld requests served\n", requests);
	return 0;
}
