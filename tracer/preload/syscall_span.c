/*
 * The shared end of every syscall interposer (see syscall_span.h): one
 * event for a slow call, counters for a short one, and the remaining-time
 * arithmetic used to restart timed calls our signal interrupted.
 */
#include <limits.h>

#include "syscall_span.h"
#include "../provider/ctrace_tp.h"

void syscall_end(const struct syscall_span *s, uint8_t sys, int32_t fd,
		 int64_t size, int64_t result, int32_t err)
{
	int saved = errno;
	struct tracer_thread *t = s->t;
	uint64_t now = tracer_now_ns();
	uint64_t took = now - s->begin_ns;
	if (took < preload_cfg.syscall_threshold_ns) {
		t->pending.sys_short_ns += took;
		t->pending.sys_short_count++;
		preload_counters_maybe_flush(t, now);
	} else {
		/* Only slow calls pay for the unwind: the stack at the call. */
		uint64_t frames[256];
		uint16_t n = preload_stack_capture(t, frames, preload_cfg.max_frames);
		t->in_tracer++;
		lttng_ust_tracepoint(ctrace, syscall, sys, s->begin_ns, fd, size,
				     result, err, frames, n);
		t->in_tracer--;
	}
	errno = saved;
}

int64_t syscall_ts_ns(const struct timespec *ts)
{
	if (!ts)
		return -1;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0)
		return 0;
	if (ts->tv_sec >= INT64_MAX / 1000000000)
		return INT64_MAX;
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Nanoseconds left of total_ns since the span began, at least 0. */
static uint64_t syscall_left_ns(const struct syscall_span *s, uint64_t total_ns)
{
	uint64_t spent = tracer_now_ns() - s->begin_ns;
	return spent >= total_ns ? 0 : total_ns - spent;
}

int syscall_left_ms(const struct syscall_span *s, int timeout_ms)
{
	if (timeout_ms <= 0)
		return timeout_ms;
	uint64_t left = syscall_left_ns(s, (uint64_t)timeout_ms * 1000000u);
	/* Round up, as the kernel does: never return before the deadline. */
	return (int)((left + 999999u) / 1000000u);
}

const struct timespec *syscall_left_ts(const struct syscall_span *s,
				       const struct timespec *timeout,
				       struct timespec *left)
{
	if (!timeout)
		return NULL;
	uint64_t ns = syscall_left_ns(s, (uint64_t)syscall_ts_ns(timeout));
	left->tv_sec = (time_t)(ns / 1000000000u);
	left->tv_nsec = (long)(ns % 1000000000u);
	return left;
}
