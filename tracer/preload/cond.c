/*
 * Condition variables: a wait always blocks, so it is timed whole, from the
 * call to the return with the mutex re-acquired (kind cond, addr the
 * condition variable, `mutex` the mutex). A signal or broadcast that finds
 * waiters emits `wake` first, so it precedes the wait it ends.
 *
 * libc exports two versions of these functions; programs built since glibc
 * 2.3.2 use GLIBC_2.3.2, while dlsym(RTLD_NEXT) can return the old
 * GLIBC_2.2.5 ones, which expect a different structure. Hence dlvsym.
 */
#include <pthread.h>

#include "lock.h"

#define COND_VERSION "GLIBC_2.3.2"

/* Like PRELOAD_REAL, for the versioned functions. */
#define COND_REAL(fn)                                                        \
	static __typeof__(&fn) real_##fn;                                    \
	if (PRELOAD_UNLIKELY(!real_##fn))                                    \
		real_##fn = (__typeof__(&fn))preload_dlvsym(#fn, COND_VERSION)

/* The real call of each entry point, for cond_wait_timed. */
enum cond_call { COND_WAIT, COND_TIMEDWAIT, COND_CLOCKWAIT };

static int cond_call_real(pthread_cond_t *c, pthread_mutex_t *m, enum cond_call call,
			  clockid_t clock, const struct timespec *abstime)
{
	COND_REAL(pthread_cond_wait);
	COND_REAL(pthread_cond_timedwait);
	PRELOAD_REAL(pthread_cond_clockwait);   /* GLIBC_2.30 only */
	switch (call) {
	case COND_WAIT: return real_pthread_cond_wait(c, m);
	case COND_TIMEDWAIT: return real_pthread_cond_timedwait(c, m, abstime);
	case COND_CLOCKWAIT: return real_pthread_cond_clockwait(c, m, clock, abstime);
	}
	return EINVAL; /* unreachable: every call is listed */
}

static int cond_wait_timed(pthread_cond_t *c, pthread_mutex_t *m, enum cond_call call,
			   clockid_t clock, const struct timespec *abstime, const void *caller)
{
	struct lock_span s;
	if (!lock_span_begin(&s, caller))
		return cond_call_real(c, m, call, clock, abstime);
	int r = cond_call_real(c, m, call, clock, abstime);
	lock_span_end(&s, c, CTRACE_LOCK_COND, 0, r, m);
	return r;
}

PRELOAD_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait_timed(c, m, COND_WAIT, CLOCK_REALTIME, NULL, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
					  const struct timespec *abstime)
{
	return cond_wait_timed(c, m, COND_TIMEDWAIT, CLOCK_REALTIME, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m,
					  clockid_t clock, const struct timespec *abstime)
{
	return cond_wait_timed(c, m, COND_CLOCKWAIT, clock, abstime, __builtin_return_address(0));
}

/* A signal or broadcast about to wake waiters, if any, as a `wake`. */
static inline void cond_note_wake(const pthread_cond_t *c, bool broadcast, const void *caller)
{
	uint32_t waiters = __atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) >> 3;
	if (PRELOAD_UNLIKELY(waiters))
		lock_wake(c, CTRACE_LOCK_COND, waiters, broadcast, caller);
}

PRELOAD_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
	COND_REAL(pthread_cond_signal);
	cond_note_wake(c, false, __builtin_return_address(0));
	return real_pthread_cond_signal(c);
}

PRELOAD_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
	COND_REAL(pthread_cond_broadcast);
	cond_note_wake(c, true, __builtin_return_address(0));
	return real_pthread_cond_broadcast(c);
}
