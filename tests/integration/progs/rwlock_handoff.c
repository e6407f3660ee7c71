/*
 * Ground truth for rwlock waits and their releases: a reader holds the
 * lock for READ_HOLD_MS while a writer waits for it, then the writer holds
 * it for WRITE_HOLD_MS while a second reader waits. Each waiter times its
 * own wait; the tids say who should be blamed for each (the reader's
 * unlock for the writer's wait, the writer for the second reader's).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define READ_HOLD_MS 60
#define WRITE_HOLD_MS 40

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t started;

struct role {
	pthread_t thread;
	pid_t tid;
	uint64_t wait_ns;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void *first_reader(void *arg)
{
	struct role *r = arg;
	r->tid = gettid();
	pthread_rwlock_rdlock(&lock);
	pthread_barrier_wait(&started);
	usleep(READ_HOLD_MS * 1000);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

static void *writer(void *arg)
{
	struct role *r = arg;
	r->tid = gettid();
	pthread_barrier_wait(&started);
	uint64_t t0 = now_ns();
	pthread_rwlock_wrlock(&lock);
	r->wait_ns = now_ns() - t0;
	usleep(WRITE_HOLD_MS * 1000);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

static void *second_reader(void *arg)
{
	struct role *r = arg;
	r->tid = gettid();
	pthread_barrier_wait(&started);
	usleep((READ_HOLD_MS + 10) * 1000);   /* the writer holds it by now */
	uint64_t t0 = now_ns();
	pthread_rwlock_rdlock(&lock);
	r->wait_ns = now_ns() - t0;
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	struct role rd = { 0 }, wr = { 0 }, rd2 = { 0 };
	pthread_barrier_init(&started, NULL, 3);
	pthread_create(&rd.thread, NULL, first_reader, &rd);
	pthread_create(&wr.thread, NULL, writer, &wr);
	pthread_create(&rd2.thread, NULL, second_reader, &rd2);
	pthread_join(rd.thread, NULL);
	pthread_join(wr.thread, NULL);
	pthread_join(rd2.thread, NULL);
	printf("truth: reader=%d writer=%d reader2=%d\n", (int)rd.tid, (int)wr.tid, (int)rd2.tid);
	printf("truth: writer_wait_ns=%llu reader2_wait_ns=%llu\n", (unsigned long long)wr.wait_ns,
	       (unsigned long long)rd2.wait_ns);
	return 0;
}
