/*
 * Unlocks that leave waiters behind (mutex.c, rwlock.c): the table of
 * threads inside a timed wait, by hash of the lock's address, that lets an
 * unlock tell cheaply whether anyone might wait, and the lock_release
 * event such an unlock emits (lock.h).
 */
#include <pthread.h>
#include <string.h>

#include "lock.h"
#include "../provider/ctrace_tp.h"

struct lock_waiter_count lock_waiters[LOCK_WAITER_SLOTS];

/* A fork child's only thread waits for nothing: counts left by the
 * parent's other threads would only slow unlocks down. */
static void lock_waiters_after_fork_child(void)
{
	memset(lock_waiters, 0, sizeof lock_waiters);
}

__attribute__((constructor)) static void lock_waiters_init(void)
{
	pthread_atfork(NULL, NULL, lock_waiters_after_fork_child);
}

void lock_release_emit(struct tracer_thread *t, const void *lock, enum ctrace_lock_kind kind)
{
	uint64_t frames[256];
	uint16_t n = 0;
	if (preload_rand(t) % preload_cfg.release_stack_every == 0)
		n = preload_stack_capture(t, frames, preload_cfg.max_frames);
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, lock_release, (uint64_t)(uintptr_t)lock, (uint8_t)kind,
			     frames, n);
	t->in_tracer--;
}
