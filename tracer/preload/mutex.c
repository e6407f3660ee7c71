/*
 * Mutexes: contended acquisitions become lock waits (see lock.h: tried
 * first, timed when the try finds the mutex taken), and an unlock that
 * leaves waiters behind becomes a lock_release event, the end of the
 * critical section that made them wait, with the unlocker's stack for one
 * in preload_cfg.release_stack_every.
 *
 * Why unlock does not read the lock word. Measured on this project's VMs
 * (glibc 2.36, multi-threaded process, uncontended lock+unlock ~18 ns): a
 * plain load of __lock right before glibc's atomic on that same word costs
 * ~4 ns, before the unlock as before the lock, while a load of another
 * field of the mutex or of another cache line costs ~0.2 ns. So a waiter
 * registers in lock_waiters (lock.h), a table indexed by a hash of the mutex
 * address, for the length of its timed wait, and an unlock whose slot is
 * empty has no waiter to report. Only a non-empty slot (waiters, or those
 * of another mutex with the same hash) costs the look at __lock that
 * confirms waiters (glibc: 2 for the normal/recursive/errorcheck/adaptive
 * types, FUTEX_WAITERS set for PI and robust ones). Waiters are registered
 * whether or not their thread is traced, since the unlocker may be.
 * Priority-protected mutexes keep their ceiling in the lock word, so their
 * waiters are never confirmed: they report no lock_release.
 *
 * The lock side could skip the try the same way (look at __owner, which
 * glibc sets right after taking the lock word and clears right before
 * releasing it: ~0.3 ns instead of the try's ~2-3 ns), but that misses the
 * waits that start inside those windows: in a 4-thread hammer on 2 CPUs
 * with a critical section of a few ns, 30-40 % of the total wait time.
 * Exact accounting is worth the 2-3 ns.
 *
 * lock_release is emitted before the real unlock, while the lock is still
 * held, so it always precedes the lock_wait of the waiter it lets in (an
 * analyzer can pair them by order). That costs the critical section the
 * emission (~0.2 µs, a few µs with a stack) only when someone waits
 * anyway. Because it comes first, it is emitted only for an unlock that
 * will succeed and release: the caller owns the mutex and, for a recursive
 * one, this is the outermost unlock.
 */
#include <pthread.h>

#include "lock.h"
#include "../provider/ctrace_tp.h"

#define MUTEX_FUTEX_WAITERS 0x80000000u
#define MUTEX_KIND_TYPE_MASK 3        /* PTHREAD_MUTEX_{NORMAL,RECURSIVE,...} */
#define MUTEX_KIND_ROBUST 16
#define MUTEX_KIND_PI 32
#define MUTEX_KIND_PP 64

static int32_t mutex_holder(const pthread_mutex_t *m)
{
	return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
}

/* The real lock call of each entry point. */
enum mutex_call { MUTEX_LOCK, MUTEX_TIMEDLOCK, MUTEX_CLOCKLOCK };

static int mutex_call_real(pthread_mutex_t *m, enum mutex_call call, clockid_t clock,
			   const struct timespec *abstime)
{
	PRELOAD_REAL(pthread_mutex_lock);
	PRELOAD_REAL(pthread_mutex_timedlock);
	PRELOAD_REAL(pthread_mutex_clocklock);
	switch (call) {
	case MUTEX_LOCK: return real_pthread_mutex_lock(m);
	case MUTEX_TIMEDLOCK: return real_pthread_mutex_timedlock(m, abstime);
	case MUTEX_CLOCKLOCK: return real_pthread_mutex_clocklock(m, clock, abstime);
	}
	return EINVAL; /* unreachable: every call is listed */
}

/* Times a blocking acquisition that the try found taken, with the waiter
 * registered meanwhile. */
__attribute__((noinline)) static int mutex_wait(pthread_mutex_t *m, enum mutex_call call,
						 clockid_t clock, const struct timespec *abstime,
						 const void *caller)
{
	int32_t holder = mutex_holder(m);
	uint32_t *waiters = lock_waiter_slot(m);
	__atomic_add_fetch(waiters, 1, __ATOMIC_RELAXED);
	struct lock_span s;
	bool traced = lock_span_begin(&s, caller);
	int r = mutex_call_real(m, call, clock, abstime);
	__atomic_sub_fetch(waiters, 1, __ATOMIC_RELAXED);
	if (traced)
		lock_span_end(&s, m, CTRACE_LOCK_MUTEX, holder, r, NULL);
	return r;
}

/* Tries first, then waits with `call`. */
static inline int mutex_acquire(pthread_mutex_t *m, enum mutex_call call, clockid_t clock,
				const struct timespec *abstime, const void *caller)
{
	PRELOAD_REAL(pthread_mutex_trylock);
	int r = real_pthread_mutex_trylock(m);
	if (PRELOAD_LIKELY(r == 0) || !lock_busy(r))
		return r;
	return mutex_wait(m, call, clock, abstime, caller);
}

PRELOAD_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	return mutex_acquire(m, MUTEX_LOCK, CLOCK_REALTIME, NULL, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	return mutex_acquire(m, MUTEX_TIMEDLOCK, CLOCK_REALTIME, abstime, __builtin_return_address(0));
}

/* A clock glibc rejects up front makes it fail even on a free mutex. */
PRELOAD_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
					   const struct timespec *abstime)
{
	if (PRELOAD_UNLIKELY(!lock_clock_valid(clock)))
		return mutex_call_real(m, MUTEX_CLOCKLOCK, clock, abstime);
	return mutex_acquire(m, MUTEX_CLOCKLOCK, clock, abstime, __builtin_return_address(0));
}

/* True when the mutex has waiters and the calling thread's unlock is about
 * to release it. */
static bool mutex_release_has_waiters(const pthread_mutex_t *m, int32_t tid)
{
	int lock = __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED);
	int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
	bool waiters;
	if (kind & (MUTEX_KIND_ROBUST | MUTEX_KIND_PI))
		waiters = (unsigned)lock & MUTEX_FUTEX_WAITERS;
	else if (kind & MUTEX_KIND_PP)
		waiters = false;
	else
		waiters = lock == 2;
	if (!waiters || mutex_holder(m) != tid)
		return false;
	return (kind & MUTEX_KIND_TYPE_MASK) != PTHREAD_MUTEX_RECURSIVE_NP ||
	       m->__data.__count == 1;
}

__attribute__((noinline)) static void mutex_release(pthread_mutex_t *m, const void *caller)
{
	int saved = errno;
	struct tracer_thread *t = lock_thread(caller);
	if (!t || !mutex_release_has_waiters(m, t->tid)) {
		errno = saved;
		return;
	}
	lock_release_emit(t, m, CTRACE_LOCK_MUTEX);
	errno = saved;
}

PRELOAD_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	PRELOAD_REAL(pthread_mutex_unlock);
	if (PRELOAD_UNLIKELY(lock_may_have_waiters(m)))
		mutex_release(m, __builtin_return_address(0));
	return real_pthread_mutex_unlock(m);
}
