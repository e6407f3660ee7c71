/*
 * Sample: producer/consumer on a condition variable.
 *
 * The producer makes ITEMS items, one every PERIOD_US; the consumer takes
 * each, works WORK_US on it, and otherwise sleeps in pthread_cond_wait.
 * Since the consumer is faster than the producer, it spends most of its
 * time waiting for items, about PERIOD_US - WORK_US per item. It times its
 * own waits; those totals are the ground truth for the trace's cond waits.
 *
 * usage: condvar [-n ITEMS] [-p PERIOD_US] [-w WORK_US]
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-n ITEMS] [-p PERIOD_US] [-w WORK_US]"

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_nonempty = PTHREAD_COND_INITIALIZER;
static uint64_t queued, produced_all;

struct consumer_result {
	pid_t tid;
	uint64_t items, waits, wait_ns;
};

static uint64_t work_ns;

static void *consumer_main(void *arg)
{
	struct consumer_result *r = arg;
	r->tid = gettid();
	for (;;) {
		pthread_mutex_lock(&queue_lock);
		while (queued == 0 && !produced_all) {
			uint64_t t0 = sample_now_ns();
			pthread_cond_wait(&queue_nonempty, &queue_lock);
			r->wait_ns += sample_now_ns() - t0;
			r->waits++;
		}
		if (queued == 0) {
			pthread_mutex_unlock(&queue_lock);
			return NULL;
		}
		queued--;
		pthread_mutex_unlock(&queue_lock);
		r->items++;
		sample_spin_ns(work_ns);
	}
}

int main(int argc, char **argv)
{
	uint64_t items = 50, period_us = 10000, work_us = 1000;
	int opt;
	while ((opt = getopt(argc, argv, "n:p:w:")) != -1) {
		switch (opt) {
		case 'n': items = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'p': period_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'w': work_us = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	work_ns = work_us * 1000;
	struct consumer_result r = { 0 };
	pthread_t consumer;
	pthread_create(&consumer, NULL, consumer_main, &r);
	for (uint64_t i = 0; i < items; i++) {
		sample_sleep_ns(period_us * 1000);
		pthread_mutex_lock(&queue_lock);
		queued++;
		pthread_cond_signal(&queue_nonempty);
		pthread_mutex_unlock(&queue_lock);
	}
	pthread_mutex_lock(&queue_lock);
	produced_all = true;
	pthread_cond_broadcast(&queue_nonempty);
	pthread_mutex_unlock(&queue_lock);
	pthread_join(consumer, NULL);
	printf("truth: pid=%d consumer_tid=%d items=%llu period_ns=%llu consumed=%llu "
	       "cond_waits=%llu cond_wait_ns=%llu cond_addr=%p\n",
	       (int)getpid(), (int)r.tid, (unsigned long long)items,
	       (unsigned long long)period_us * 1000, (unsigned long long)r.items,
	       (unsigned long long)r.waits, (unsigned long long)r.wait_ns,
	       (void *)&queue_nonempty);
	return 0;
}
