/*
 * Reader-writer locks: contended read and write acquisitions become lock
 * waits of kind rwlock_read / rwlock_write (see lock.h: tried first, timed
 * when the try finds the lock taken). The holder is the writer glibc
 * records (__cur_writer); a wait behind readers has no single holder and
 * reports 0.
 *
 * Unlocks: as for mutexes (mutex.c), a waiter registers in lock_waiters
 * for the length of its wait, and an unlock whose slot holds waiters
 * emits lock_release before the real unlock: rwlock_write when the caller
 * is the writer, rwlock_read otherwise. A reader's unlock is not always
 * the one that lets the waiter in (other readers may still hold the
 * lock); the analyzer takes the latest release inside a wait, which is the
 * last reader's. The rwlock's own word is not read to confirm waiters:
 * glibc keeps them in several fields depending on the lock's phase.
 */
#include <pthread.h>

#include "lock.h"

/* The real call of each entry point. */
enum rwlock_call {
	RWLOCK_RD, RWLOCK_WR, RWLOCK_TIMEDRD, RWLOCK_TIMEDWR, RWLOCK_CLOCKRD, RWLOCK_CLOCKWR,
};

static int rwlock_call_real(pthread_rwlock_t *l, enum rwlock_call call, clockid_t clock,
			    const struct timespec *abstime)
{
	PRELOAD_REAL(pthread_rwlock_rdlock);
	PRELOAD_REAL(pthread_rwlock_wrlock);
	PRELOAD_REAL(pthread_rwlock_timedrdlock);
	PRELOAD_REAL(pthread_rwlock_timedwrlock);
	PRELOAD_REAL(pthread_rwlock_clockrdlock);
	PRELOAD_REAL(pthread_rwlock_clockwrlock);
	switch (call) {
	case RWLOCK_RD: return real_pthread_rwlock_rdlock(l);
	case RWLOCK_WR: return real_pthread_rwlock_wrlock(l);
	case RWLOCK_TIMEDRD: return real_pthread_rwlock_timedrdlock(l, abstime);
	case RWLOCK_TIMEDWR: return real_pthread_rwlock_timedwrlock(l, abstime);
	case RWLOCK_CLOCKRD: return real_pthread_rwlock_clockrdlock(l, clock, abstime);
	case RWLOCK_CLOCKWR: return real_pthread_rwlock_clockwrlock(l, clock, abstime);
	}
	return EINVAL; /* unreachable: every call is listed */
}

static bool rwlock_call_writes(enum rwlock_call call)
{
	return call == RWLOCK_WR || call == RWLOCK_TIMEDWR || call == RWLOCK_CLOCKWR;
}

/* Times a blocking acquisition that the try found taken. */
__attribute__((noinline)) static int rwlock_wait(pthread_rwlock_t *l, enum rwlock_call call,
						  clockid_t clock, const struct timespec *abstime,
						  const void *caller)
{
	int32_t holder = __atomic_load_n(&l->__data.__cur_writer, __ATOMIC_RELAXED);
	uint32_t *waiters = lock_waiter_slot(l);
	__atomic_add_fetch(waiters, 1, __ATOMIC_RELAXED);
	struct lock_span s;
	bool traced = lock_span_begin(&s, caller);
	int r = rwlock_call_real(l, call, clock, abstime);
	__atomic_sub_fetch(waiters, 1, __ATOMIC_RELAXED);
	if (traced)
		lock_span_end(&s, l, rwlock_call_writes(call) ? CTRACE_LOCK_RWLOCK_WRITE
							      : CTRACE_LOCK_RWLOCK_READ,
			      holder, r, NULL);
	return r;
}

/* Tries first, then waits with `call`. */
static inline int rwlock_acquire(pthread_rwlock_t *l, enum rwlock_call call, clockid_t clock,
				 const struct timespec *abstime, const void *caller)
{
	int r;
	if (rwlock_call_writes(call)) {
		PRELOAD_REAL(pthread_rwlock_trywrlock);
		r = real_pthread_rwlock_trywrlock(l);
	} else {
		PRELOAD_REAL(pthread_rwlock_tryrdlock);
		r = real_pthread_rwlock_tryrdlock(l);
	}
	if (PRELOAD_LIKELY(r == 0) || !lock_busy(r))
		return r;
	return rwlock_wait(l, call, clock, abstime, caller);
}

/* Timed calls with arguments glibc rejects up front go straight to it. */
static inline int rwlock_acquire_timed(pthread_rwlock_t *l, enum rwlock_call call,
				       clockid_t clock, const struct timespec *abstime,
				       const void *caller)
{
	if (PRELOAD_UNLIKELY(!lock_clock_valid(clock) || !lock_deadline_valid(abstime)))
		return rwlock_call_real(l, call, clock, abstime);
	return rwlock_acquire(l, call, clock, abstime, caller);
}

PRELOAD_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	return rwlock_acquire(l, RWLOCK_RD, CLOCK_REALTIME, NULL, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	return rwlock_acquire(l, RWLOCK_WR, CLOCK_REALTIME, NULL, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abstime)
{
	return rwlock_acquire_timed(l, RWLOCK_TIMEDRD, CLOCK_REALTIME, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abstime)
{
	return rwlock_acquire_timed(l, RWLOCK_TIMEDWR, CLOCK_REALTIME, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *l, clockid_t clock,
					      const struct timespec *abstime)
{
	return rwlock_acquire_timed(l, RWLOCK_CLOCKRD, clock, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *l, clockid_t clock,
					      const struct timespec *abstime)
{
	return rwlock_acquire_timed(l, RWLOCK_CLOCKWR, clock, abstime, __builtin_return_address(0));
}

__attribute__((noinline)) static void rwlock_release(pthread_rwlock_t *l, const void *caller)
{
	int saved = errno;
	struct tracer_thread *t = lock_thread(caller);
	if (t) {
		bool writer = __atomic_load_n(&l->__data.__cur_writer, __ATOMIC_RELAXED) == t->tid;
		lock_release_emit(t, l, writer ? CTRACE_LOCK_RWLOCK_WRITE : CTRACE_LOCK_RWLOCK_READ);
	}
	errno = saved;
}

PRELOAD_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	PRELOAD_REAL(pthread_rwlock_unlock);
	if (PRELOAD_UNLIKELY(lock_may_have_waiters(l)))
		rwlock_release(l, __builtin_return_address(0));
	return real_pthread_rwlock_unlock(l);
}
