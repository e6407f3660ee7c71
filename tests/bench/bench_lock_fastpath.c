/*
 * Cost of an uncontended lock+unlock pair (mutex, rwlock read, spin lock),
 * the lock fast path of the preload library, measured in-process against
 * libc's own functions: the functions the program would call (the first
 * definition in the global scope: an LD_PRELOADed interposer if there is
 * one) and libc's, taken from libc.so.6 itself, run in alternating rounds
 * in the same process, and each keeps its best round. Other load on the
 * machine only ever makes a round slower, and alternating spreads it over
 * both, so the difference holds where absolute figures drift by several ns
 * from run to run. tests/bench/run_lock_fastpath.sh runs this untraced
 * (where the difference must be ~0), under ctrace's preload and under
 * LTTng's pthread wrapper.
 *
 * The process is made multi-threaded first (an idle thread): every traced
 * process is (LTTng-UST's listener threads), and so is every program whose
 * locks matter, while glibc (2.34 on) takes and releases a private mutex
 * without atomic instructions as long as a process has a single thread,
 * which would make a single-threaded untraced run no baseline at all.
 *
 * Both sides are called through pointers of type int (*)(void *): the
 * lock functions all take one pointer and return int.
 *
 * Usage: bench_lock_fastpath [label]
 * Output: one line per lock kind,
 *   "LABEL KIND CALLED_NS LIBC_NS" (ns per pair, best round of each).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define N 2000000
#define ROUNDS 11

typedef int (*lock_fn)(void *);

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;

struct bench {
	const char *kind, *lock_name, *unlock_name;
	void *obj;
	lock_fn lock[2], unlock[2];   /* [0] as called, [1] libc's own */
	double best_ns[2];
};

static struct bench benches[] = {
	{ .kind = "mutex", .lock_name = "pthread_mutex_lock",
	  .unlock_name = "pthread_mutex_unlock", .obj = &mutex },
	{ .kind = "rwlock_rd", .lock_name = "pthread_rwlock_rdlock",
	  .unlock_name = "pthread_rwlock_unlock", .obj = &rwlock },
	{ .kind = "spin", .lock_name = "pthread_spin_lock",
	  .unlock_name = "pthread_spin_unlock", .obj = (void *)(uintptr_t)&spin },
};
#define NBENCH (sizeof benches / sizeof benches[0])

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double pairs_ns(lock_fn lock, lock_fn unlock, void *obj)
{
	double t0 = now_s();
	for (int i = 0; i < N; i++) {
		lock(obj);
		unlock(obj);
	}
	return (now_s() - t0) * 1e9 / N;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Fills in both sides of every bench; false (with a message) on failure. */
static bool resolve(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	if (!libc) {
		fprintf(stderr, "bench_lock_fastpath: libc.so.6: %s\n", dlerror());
		return false;
	}
	for (size_t i = 0; i < NBENCH; i++) {
		struct bench *b = &benches[i];
		b->lock[0] = (lock_fn)dlsym(RTLD_DEFAULT, b->lock_name);
		b->unlock[0] = (lock_fn)dlsym(RTLD_DEFAULT, b->unlock_name);
		b->lock[1] = (lock_fn)dlsym(libc, b->lock_name);
		b->unlock[1] = (lock_fn)dlsym(libc, b->unlock_name);
		if (!b->lock[0] || !b->unlock[0] || !b->lock[1] || !b->unlock[1]) {
			fprintf(stderr, "bench_lock_fastpath: %s/%s not found\n",
				b->lock_name, b->unlock_name);
			return false;
		}
		b->best_ns[0] = b->best_ns[1] = 1e9;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "lock_fastpath";
	pthread_t idle;
	if (pthread_create(&idle, NULL, idle_thread, NULL) != 0) {
		fprintf(stderr, "bench_lock_fastpath: cannot create a thread\n");
		return 1;
	}
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	if (!resolve())
		return 1;
	for (int round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < NBENCH; i++) {
			struct bench *b = &benches[i];
			for (int side = 0; side < 2; side++) {
				double ns = pairs_ns(b->lock[side], b->unlock[side], b->obj);
				if (ns < b->best_ns[side])
					b->best_ns[side] = ns;
			}
		}
	}
	for (size_t i = 0; i < NBENCH; i++)
		printf("%s %s %.2f %.2f\n", label, benches[i].kind, benches[i].best_ns[0],
		       benches[i].best_ns[1]);
	return 0;
}
