/*
 * Robustness program: 1000 short-lived threads, created in waves of 10 and
 * joined, each allocating, locking and exiting (half by returning, half by
 * pthread_exit). Prints a deterministic checksum.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 1000
#define WAVE 10

static pthread_mutex_t sum_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t sum;

static void *thread_main(void *arg)
{
	uintptr_t n = (uintptr_t)arg;
	char *p = malloc(256 + n);
	if (!p)
		abort();
	memset(p, (int)n, 256 + n);
	pthread_mutex_lock(&sum_lock);
	sum += (unsigned char)p[n] + n;
	pthread_mutex_unlock(&sum_lock);
	free(p);
	if (n % 2)
		pthread_exit((void *)n);
	return (void *)n;
}

int main(void)
{
	uint64_t joined = 0;
	for (uintptr_t base = 0; base < THREADS; base += WAVE) {
		pthread_t t[WAVE];
		for (uintptr_t i = 0; i < WAVE; i++)
			if (pthread_create(&t[i], NULL, thread_main, (void *)(base + i)) != 0)
				return 1;
		for (int i = 0; i < WAVE; i++) {
			void *ret;
			pthread_join(t[i], &ret);
			joined += (uintptr_t)ret;
		}
	}
	printf("threads %d joined-sum %llu sum %llu\n", THREADS,
	       (unsigned long long)joined, (unsigned long long)sum);
	return 0;
}
