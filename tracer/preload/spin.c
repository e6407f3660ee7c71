/*
 * Spin locks: a contended pthread_spin_lock becomes a lock wait of kind
 * spin (see lock.h). glibc records no owner for them: holder_tid is 0.
 */
#include <pthread.h>

#include "lock.h"

__attribute__((noinline)) static int spin_wait(pthread_spinlock_t *l, const void *caller)
{
	PRELOAD_REAL(pthread_spin_lock);
	struct lock_span s;
	if (!lock_span_begin(&s, caller))
		return real_pthread_spin_lock(l);
	int r = real_pthread_spin_lock(l);
	lock_span_end(&s, l, CTRACE_LOCK_SPIN, 0, r, NULL);
	return r;
}

PRELOAD_EXPORT int pthread_spin_lock(pthread_spinlock_t *l)
{
	PRELOAD_REAL(pthread_spin_trylock);
	int r = real_pthread_spin_trylock(l);
	if (PRELOAD_LIKELY(r == 0) || !lock_busy(r))
		return r;
	return spin_wait(l, __builtin_return_address(0));
}
