/*
 * The `wake` event: a condition variable signal/broadcast or a semaphore
 * post that found threads waiting (cond.c, sem.c). Emitted before the real
 * call, so it precedes the end of the wait it causes.
 */
#include "lock.h"
#include "../provider/ctrace_tp.h"

void lock_wake(const void *addr, enum ctrace_lock_kind kind, uint32_t waiters,
	       bool broadcast, const void *caller)
{
	int saved = errno;
	struct tracer_thread *t = lock_thread(caller);
	if (t) {
		t->in_tracer++;
		lttng_ust_tracepoint(ctrace, wake, (uint64_t)(uintptr_t)addr, (uint8_t)kind,
				     waiters, broadcast);
		t->in_tracer--;
	}
	errno = saved;
}
