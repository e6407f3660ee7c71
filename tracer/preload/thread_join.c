/*
 * pthread_join: the joiner's wait for another thread's end, as a
 * thread_join event. Joins are rare, so every one of a traced thread is
 * emitted, however short, with the joiner's stack.
 */
#include <errno.h>
#include <pthread.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

PRELOAD_EXPORT int pthread_join(pthread_t thread, void **retval)
{
	PRELOAD_REAL(pthread_join);
	int saved = errno;
	struct tracer_thread *t = preload_thread();
	errno = saved;
	if (!t)
		return real_pthread_join(thread, retval);
	uint64_t begin = tracer_now_ns();
	int r = real_pthread_join(thread, retval);
	saved = errno;
	uint64_t frames[256];
	uint16_t n = preload_stack_capture(t, frames, preload_cfg.max_frames);
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, thread_join, (uint64_t)thread, begin, r, frames, n);
	t->in_tracer--;
	errno = saved;
	return r;
}
