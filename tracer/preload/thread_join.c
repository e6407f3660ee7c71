/*
 * pthread_join and its timed, clock and try variants: the joiner's wait for
 * another thread's end, as a thread_join event. Joins are rare, so every
 * one of a traced thread is emitted, however short, with the joiner's
 * stack.
 */
#include <errno.h>
#include <pthread.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

/* The real join of each entry point. */
enum join_call { JOIN_WAIT, JOIN_TIMED, JOIN_CLOCK };

static int join_call_real(pthread_t thread, void **retval, enum join_call call, clockid_t clock,
			  const struct timespec *abstime)
{
	PRELOAD_REAL(pthread_join);
	PRELOAD_REAL(pthread_timedjoin_np);
	PRELOAD_REAL(pthread_clockjoin_np);
	switch (call) {
	case JOIN_WAIT: return real_pthread_join(thread, retval);
	case JOIN_TIMED: return real_pthread_timedjoin_np(thread, retval, abstime);
	case JOIN_CLOCK: return real_pthread_clockjoin_np(thread, retval, clock, abstime);
	}
	return EINVAL; /* unreachable: every call is listed */
}

static void join_emit(struct tracer_thread *t, pthread_t thread, uint64_t begin, int r)
{
	uint64_t frames[256];
	uint16_t n = preload_stack_capture(t, frames, preload_cfg.max_frames);
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, thread_join, (uint64_t)thread, begin, r, frames, n);
	t->in_tracer--;
}

/* A timed join that gives up (ETIMEDOUT) still waited: it is emitted with
 * its result, and the analyzer counts only result 0 as the join. */
static int join_timed(pthread_t thread, void **retval, enum join_call call, clockid_t clock,
		      const struct timespec *abstime)
{
	int saved = errno;
	struct tracer_thread *t = preload_thread();
	errno = saved;
	if (!t)
		return join_call_real(thread, retval, call, clock, abstime);
	uint64_t begin = tracer_now_ns();
	int r = join_call_real(thread, retval, call, clock, abstime);
	saved = errno;
	join_emit(t, thread, begin, r);
	errno = saved;
	return r;
}

PRELOAD_EXPORT int pthread_join(pthread_t thread, void **retval)
{
	return join_timed(thread, retval, JOIN_WAIT, CLOCK_REALTIME, NULL);
}

PRELOAD_EXPORT int pthread_timedjoin_np(pthread_t thread, void **retval,
					const struct timespec *abstime)
{
	return join_timed(thread, retval, JOIN_TIMED, CLOCK_REALTIME, abstime);
}

PRELOAD_EXPORT int pthread_clockjoin_np(pthread_t thread, void **retval, clockid_t clock,
					const struct timespec *abstime)
{
	return join_timed(thread, retval, JOIN_CLOCK, clock, abstime);
}

/* A try never waits; programs poll with it, so only the one that joins
 * is an event (a zero-length wait that ends the joinee's life). */
PRELOAD_EXPORT int pthread_tryjoin_np(pthread_t thread, void **retval)
{
	PRELOAD_REAL(pthread_tryjoin_np);
	int saved = errno;
	struct tracer_thread *t = preload_thread();
	errno = saved;
	uint64_t begin = t ? tracer_now_ns() : 0;
	int r = real_pthread_tryjoin_np(thread, retval);
	if (t && r == 0) {
		saved = errno;
		join_emit(t, thread, begin, r);
		errno = saved;
	}
	return r;
}
