/*
 * Semaphores: a sem_wait that finds the count at zero becomes a lock wait
 * of kind sem (see lock.h; sem_trywait is the try), with no holder and
 * `result` the errno of a failed wait (0 on success). A sem_post that
 * finds waiters emits `wake` first, so it precedes the wait it ends.
 *
 * Our CPU-sampling signal has SA_RESTART, which restarts an interrupted
 * sem_wait but, measured on glibc 2.36, not sem_timedwait: that fails with
 * EINTR. A wait our signal interrupted is restarted here, as the syscall
 * wrappers do (syscall_span.h); the deadline is absolute, so the same
 * arguments serve.
 */
#include <semaphore.h>

#include "lock.h"
#include "syscall_span.h"

/* The real call of each entry point, for sem_wait_timed. */
enum sem_call { SEM_WAIT, SEM_TIMEDWAIT, SEM_CLOCKWAIT };

static int sem_call_real(sem_t *s, enum sem_call call, clockid_t clock,
			 const struct timespec *abstime)
{
	PRELOAD_REAL(sem_wait);
	PRELOAD_REAL(sem_timedwait);
	PRELOAD_REAL(sem_clockwait);
	switch (call) {
	case SEM_WAIT: return real_sem_wait(s);
	case SEM_TIMEDWAIT: return real_sem_timedwait(s, abstime);
	case SEM_CLOCKWAIT: return real_sem_clockwait(s, clock, abstime);
	}
	errno = EINVAL; /* unreachable: every call is listed */
	return -1;
}

/* Times a blocking wait the try found the count at zero for; errno0 is the
 * program's errno before the try. */
__attribute__((noinline)) static int sem_wait_timed(sem_t *s, enum sem_call call, clockid_t clock,
						     const struct timespec *abstime, int errno0,
						     const void *caller)
{
	errno = errno0;
	struct lock_span ls;
	if (!lock_span_begin(&ls, caller))
		return sem_call_real(s, call, clock, abstime);
	struct syscall_span retry = { .t = ls.t, .signals = ls.t->sample_signals, .errno0 = errno0 };
	int r;
	do
		r = sem_call_real(s, call, clock, abstime);
	while (syscall_restart(&retry, r == -1 && errno == EINTR));
	lock_span_end(&ls, s, CTRACE_LOCK_SEM, 0, r == 0 ? 0 : errno, NULL);
	return r;
}

/* Tries first, then waits with `call`. */
static inline int sem_acquire(sem_t *s, enum sem_call call, clockid_t clock,
			      const struct timespec *abstime, const void *caller)
{
	PRELOAD_REAL(sem_trywait);
	int errno0 = errno;
	if (PRELOAD_LIKELY(real_sem_trywait(s) == 0))
		return 0;
	return sem_wait_timed(s, call, clock, abstime, errno0, caller);
}

PRELOAD_EXPORT int sem_wait(sem_t *s)
{
	return sem_acquire(s, SEM_WAIT, CLOCK_REALTIME, NULL, __builtin_return_address(0));
}

/* Calls with arguments glibc rejects up front go straight to it. */
PRELOAD_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	if (PRELOAD_UNLIKELY(!lock_deadline_valid(abstime)))
		return sem_call_real(s, SEM_TIMEDWAIT, CLOCK_REALTIME, abstime);
	return sem_acquire(s, SEM_TIMEDWAIT, CLOCK_REALTIME, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *abstime)
{
	if (PRELOAD_UNLIKELY(!lock_clock_valid(clock) || !lock_deadline_valid(abstime)))
		return sem_call_real(s, SEM_CLOCKWAIT, clock, abstime);
	return sem_acquire(s, SEM_CLOCKWAIT, clock, abstime, __builtin_return_address(0));
}

PRELOAD_EXPORT int sem_post(sem_t *s)
{
	PRELOAD_REAL(sem_post);
	uint64_t data = __atomic_load_n((const uint64_t *)(const void *)s, __ATOMIC_RELAXED);
	uint32_t waiters = (uint32_t)(data >> 32);
	if (PRELOAD_UNLIKELY(waiters))
		lock_wake(s, CTRACE_LOCK_SEM, waiters, false, __builtin_return_address(0));
	return real_sem_post(s);
}
