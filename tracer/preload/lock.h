/*
 * What every lock interposer (mutex.c, rwlock.c, cond.c, sem.c, spin.c)
 * shares: the shape of the contended path and glibc's lock internals.
 *
 * Only contended acquisitions cost anything. An interposer first tries the
 * lock (pthread_mutex_trylock and friends: one atomic in libc) and returns
 * at once when that works: no clock, no TLS. When the try finds the lock
 * taken, it reads the holder glibc recorded, opens a lock_span (clock
 * read), makes the real blocking call and closes the span, which hands the
 * wait to preload_lock_waited (an event above the threshold, counters
 * below). Anything else the try returns (EOWNERDEAD, EINVAL...) is the
 * answer the real call would give too, and is returned as is. The try
 * costs 2-4 ns more than the call it replaces (bench_lock_fastpath); the
 * cheaper alternative, guessing from a field of the lock, misses waits
 * (mutex.c says how many).
 *
 * glibc internals used (x86_64 glibc 2.36, checked by experiment against
 * the installed library: locked mutexes, waiters present or not, PI and
 * robust mutexes, a rwlock held for writing, three condvar waiters, two
 * semaphore waiters):
 * - mutex __data.__owner is the holder's tid for every mutex type, and
 *   __data.__lock is 0 free, 1 locked, 2 locked with waiters for the
 *   normal/recursive/errorcheck/adaptive types; PI and robust mutexes hold
 *   the owner's tid there, | FUTEX_WAITERS (0x80000000) with waiters.
 * - rwlock __data.__cur_writer is the tid of the writer holding it, 0 when
 *   readers hold it.
 * - cond __data.__wrefs >> 3 counts the threads inside a wait.
 * - sem_t is struct new_sem: a 64-bit `data` with the value in the low 32
 *   bits and the number of waiters in the high 32 bits.
 * - Timed variants: glibc checks nothing about the deadline when a mutex
 *   is free (a free mutex is taken even with tv_nsec out of range or a
 *   deadline in the past), so trying first is exact for them; but it
 *   rejects a clock other than CLOCK_REALTIME/CLOCK_MONOTONIC up front
 *   (clocklock, rwlock, sem), and rwlock and sem calls also reject
 *   tv_nsec out of range up front. Calls with such arguments go straight
 *   to the real function so that they fail the same way.
 */
#ifndef PRELOAD_LOCK_H
#define PRELOAD_LOCK_H

#include <errno.h>
#include <stdbool.h>
#include <time.h>

#include "preload.h"
#include "../common/clock.h"

/* The try of a trylock-first interposer found the lock taken. */
static inline bool lock_busy(int try_result)
{
	return try_result == EBUSY || try_result == EAGAIN;
}

/* A deadline glibc's timed lock calls accept without looking at the lock. */
static inline bool lock_deadline_valid(const struct timespec *abstime)
{
	return abstime && abstime->tv_nsec >= 0 && abstime->tv_nsec < 1000000000;
}

static inline bool lock_clock_valid(clockid_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
}

/* A contended wait being timed. */
struct lock_span {
	struct tracer_thread *t;   /* NULL: the thread is not traced */
	uint64_t begin_ns;
};

/* The thread to report a lock event of, NULL when there is none to report:
 * the thread is not traced, or the call comes from LTTng-UST's own code
 * (caller: the interposer's return address; lttng_code.c says why). */
static inline struct tracer_thread *lock_thread(const void *caller)
{
	return preload_lttng_code(caller) ? NULL : preload_thread();
}

/* Opens a span for a wait about to block; false when there is nothing to
 * report (lock_thread: the interposer then just makes the real call).
 * Leaves errno as it found it: setting a thread up makes system calls. */
static inline bool lock_span_begin(struct lock_span *s, const void *caller)
{
	int saved = errno;
	s->t = lock_thread(caller);
	if (s->t)
		s->begin_ns = tracer_now_ns();
	errno = saved;
	return s->t != NULL;
}

/* Closes the span after the real call: result is the call's error number
 * (0 for success). Preserves errno. */
static inline void lock_span_end(const struct lock_span *s, const volatile void *addr,
				 enum ctrace_lock_kind kind, int32_t holder_tid,
				 int32_t result, const void *mutex)
{
	preload_lock_waited(s->t, (uint64_t)(uintptr_t)addr, (uint8_t)kind,
			    s->begin_ns, holder_tid, result,
			    (uint64_t)(uintptr_t)mutex);
}

/* Threads inside a timed mutex or rwlock wait, by hash of the lock's
 * address (release.c). An unlock whose slot is empty has no waiter to
 * report, without looking at the lock word (mutex.c says why that
 * matters). One counter per cache line: a slot written by waiters must not
 * slow down the unlocks of unrelated locks, and a slot nobody waits on
 * stays shared in every core's cache. Waiters register whether or not
 * their thread is traced, since the unlocker may be. */
#define LOCK_WAITER_SLOTS 1024
struct lock_waiter_count {
	_Alignas(64) uint32_t n;
};
extern struct lock_waiter_count lock_waiters[LOCK_WAITER_SLOTS] __attribute__((visibility("hidden")));

static inline uint32_t *lock_waiter_slot(const volatile void *lock)
{
	uint64_t h = ((uint64_t)(uintptr_t)lock >> 3) * 0x9e3779b97f4a7c15ull;
	return &lock_waiters[h >> (64 - 10)].n;
}
_Static_assert(LOCK_WAITER_SLOTS == 1 << 10, "the hash keeps 10 bits");

/* True when some thread may be waiting on lock (or on another lock of the
 * same slot). */
static inline bool lock_may_have_waiters(const volatile void *lock)
{
	return __atomic_load_n(lock_waiter_slot(lock), __ATOMIC_RELAXED) != 0;
}

/* Emits lock_release for an unlock of lock by t that lets waiters in,
 * with t's stack for one in preload_cfg.release_stack_every. Call it
 * before the real unlock, so it precedes the waits it ends. Does not
 * preserve errno: stack capture may change it. */
void lock_release_emit(struct tracer_thread *t, const void *lock, enum ctrace_lock_kind kind);

/* Emits `wake` for a signal/post that found waiters (cond.c, sem.c), when
 * the calling thread is traced. Preserves errno. */
void lock_wake(const void *addr, enum ctrace_lock_kind kind, uint32_t waiters,
	       bool broadcast, const void *caller);

#endif
