/*
 * Threads started in a known order, with known parents and names:
 * main starts "alpha"; alpha starts "beta" and "gamma" one after the
 * other and joins them; main joins alpha. Each thread works WORK_MS and
 * records its tid, its own start and end (CLOCK_MONOTONIC).
 *
 * usage: thread_tree [-w WORK_MS]
 * truth: per thread name, tid, parent tid and its start/end times.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-w WORK_MS]"

struct node {
	const char *name;
	pid_t tid, parent;
	uint64_t begin, end;
};

static uint64_t work_ns = 20000000;
static struct node nodes[3] = { { .name = "alpha" }, { .name = "beta" }, { .name = "gamma" } };

static void *leaf_main(void *arg)
{
	struct node *n = arg;
	n->begin = sample_now_ns();
	n->tid = gettid();
	pthread_setname_np(pthread_self(), n->name);
	sample_spin_ns(work_ns);
	n->end = sample_now_ns();
	return NULL;
}

static void *alpha_main(void *arg)
{
	struct node *n = arg;
	n->begin = sample_now_ns();
	n->tid = gettid();
	pthread_setname_np(pthread_self(), n->name);
	sample_spin_ns(work_ns);
	for (int i = 1; i <= 2; i++) {
		pthread_t t;
		nodes[i].parent = n->tid;
		pthread_create(&t, NULL, leaf_main, &nodes[i]);
		pthread_join(t, NULL);
	}
	n->end = sample_now_ns();
	return NULL;
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "w:")) != -1) {
		switch (opt) {
		case 'w': work_ns = sample_arg_u64(argv[0], USAGE, optarg) * 1000000; break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	pthread_t alpha;
	nodes[0].parent = gettid();
	pthread_create(&alpha, NULL, alpha_main, &nodes[0]);
	pthread_join(alpha, NULL);
	printf("truth: pid=%d\n", (int)getpid());
	for (int i = 0; i < 3; i++)
		printf("truth: name=%s tid=%d parent=%d begin_ns=%llu end_ns=%llu\n", nodes[i].name,
		       (int)nodes[i].tid, (int)nodes[i].parent, (unsigned long long)nodes[i].begin,
		       (unsigned long long)nodes[i].end);
	return 0;
}
