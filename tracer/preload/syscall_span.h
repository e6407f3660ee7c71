/*
 * Timing of blocking libc calls, shared by every syscall interposer
 * (syscall_io.c, syscall_net.c, syscall_poll.c, syscall_sleep.c,
 * syscall_wait.c).
 *
 * A wrapper opens a span (which also decides whether the thread is traced),
 * calls the real function, and closes the span: calls that took at least
 * preload_cfg.syscall_threshold_ns become `syscall` events, shorter ones go
 * to the thread's sys_short_* counters so per-region totals stay exact.
 *
 * EINTR transparency. Our CPU-sampling signal (sample.c) is installed with
 * SA_RESTART, so the kernel restarts most interrupted calls by itself; the
 * ones it never restarts (poll, select, epoll_wait, the sleeps, calls on
 * sockets with a timeout) can fail with EINTR because of us. The sampling
 * timer only runs while the thread uses CPU, so this happens only when the
 * timer expires right at the call's entry, but it does happen. The handler
 * bumps t->sample_signals; a wrapper that sees EINTR while that counter
 * moved restarts the call (with the time left, for timed calls), so the
 * program never sees an EINTR we caused.
 * Residual case: if a program signal and ours interrupt the same call, the
 * counter moved too and the call is restarted, so that program signal's
 * EINTR is swallowed (its handler did run; a program relying on EINTR to
 * leave a blocking call without SA_RESTART waits for the next event or
 * timeout instead). connect and close are never restarted (a restarted
 * connect would fail with EALREADY, a restarted close could close a reused
 * fd); recv/send on sockets with SO_RCVTIMEO/SO_SNDTIMEO restart with their
 * full timeout.
 */
#ifndef PRELOAD_SYSCALL_SPAN_H
#define PRELOAD_SYSCALL_SPAN_H

#include <errno.h>
#include <stdbool.h>
#include <time.h>

#include "preload.h"
#include "../common/clock.h"

struct syscall_span {
	struct tracer_thread *t;        /* NULL: not traced, call through */
	uint64_t begin_ns;
	sig_atomic_t signals;           /* t->sample_signals at the last (re)start */
	int errno0;                     /* errno before the call, for retries */
};

/* Opens a span; false when the calling thread is not traced (the wrapper
 * then just calls the real function). Leaves errno as it found it. */
static inline bool syscall_begin(struct syscall_span *s)
{
	struct tracer_thread *t = &preload_tls;
	if (PRELOAD_LIKELY(t->mode == TRACER_THREAD_TRACED)) {
		s->t = t->in_tracer ? NULL : t;
	} else {
		/* First traced call of the thread may set it up; setting up
		 * must not leak an errno into the program's view. */
		int saved = errno;
		s->t = tracer_thread_self();
		errno = saved;
	}
	if (!s->t)
		return false;
	s->errno0 = errno;
	s->signals = s->t->sample_signals;
	s->begin_ns = tracer_now_ns();
	return true;
}

/* True when a call that failed with EINTR (eintr) was interrupted by our
 * sampling signal: the wrapper then calls again, with errno back to what it
 * was before the first attempt (a retry that succeeds leaves it alone). */
static inline bool syscall_restart(struct syscall_span *s, bool eintr)
{
	if (PRELOAD_LIKELY(!eintr))
		return false;
	sig_atomic_t now = s->t->sample_signals;
	if (now == s->signals)
		return false;
	s->signals = now;
	errno = s->errno0;
	return true;
}

/* Closes the span: an event or the short-call counters. err is the errno
 * of a failed call (0 otherwise). Preserves errno. */
void syscall_end(const struct syscall_span *s, uint8_t sys, int32_t fd,
		 int64_t size, int64_t result, int32_t err);

/* What is left at `now` of a timeout that started with the span: poll-style
 * milliseconds (negative = infinite, kept), and timespecs (NULL = infinite,
 * returned as NULL; otherwise *left is filled and returned). */
int syscall_left_ms(const struct syscall_span *s, int timeout_ms);
const struct timespec *syscall_left_ts(const struct syscall_span *s,
				       const struct timespec *timeout,
				       struct timespec *left);

/* A timespec in nanoseconds, saturating; -1 for NULL (no timeout). */
int64_t syscall_ts_ns(const struct timespec *ts);

/* The body of a wrapper whose call returns -1 and sets errno on failure:
 * `ret` names the result variable (so `size` may use it: it is evaluated
 * after the call), `call` is the real call, `restartable` says whether an
 * EINTR of ours may be retried with the same arguments. */
#define SYSCALL_TIMED(type, ret, sys, fd, size, restartable, call)            \
	do {                                                                  \
		struct syscall_span span_;                                    \
		if (!syscall_begin(&span_))                                   \
			return call;                                          \
		type ret;                                                     \
		do                                                            \
			ret = call;                                           \
		while ((restartable) &&                                       \
		       syscall_restart(&span_, ret == -1 && errno == EINTR)); \
		int32_t err_ = ret == -1 ? errno : 0;                         \
		syscall_end(&span_, sys, fd, size, (int64_t)ret, err_);       \
		return ret;                                                   \
	} while (0)

#endif
