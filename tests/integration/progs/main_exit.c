/*
 * A main thread that ends with pthread_exit while its workers still run:
 * the process must end (status 0) when the last worker does, traced too
 * (LTTng-UST's listener threads never exit on their own).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define WORKERS 3

static void *worker(void *arg)
{
	uintptr_t i = (uintptr_t)arg;
	usleep((useconds_t)(20000 * (i + 1)));   /* ordered output */
	printf("worker %u done\n", (unsigned)i);
	return NULL;
}

int main(void)
{
	for (uintptr_t i = 0; i < WORKERS; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker, (void *)i) != 0)
			return 1;
		pthread_detach(t);
	}
	printf("main: pthread_exit\n");
	pthread_exit(NULL);
}
