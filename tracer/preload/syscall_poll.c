/*
 * Readiness-wait interposers: poll, ppoll, select, pselect, epoll_wait,
 * epoll_pwait (and the fortified __poll_chk/__ppoll_chk).
 *
 * The kernel never restarts these after a signal handler, so an EINTR our
 * sampling signal caused is retried here with the time left of the
 * program's timeout, measured from the span's start (syscall_span.h).
 * select is the exception: Linux writes the time left back into its
 * timeval, so it is retried with the same arguments. Each wrapper packs its
 * arguments and hands a small call function to one of two timing loops,
 * one per timeout type.
 */
#undef _FORTIFY_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "syscall_span.h"

int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
		const sigset_t *mask, size_t fdslen);

/* The size field of a wait with a millisecond timeout: ns, -1 = infinite. */
static int64_t poll_ms_ns(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000;
}

/* ---- millisecond timeouts: poll, epoll_wait, epoll_pwait ---------------- */

typedef int (*poll_ms_call)(const void *args, int timeout_ms);

static int poll_timed_ms(uint8_t sys, int32_t fd, int timeout_ms,
			 poll_ms_call call, const void *args)
{
	struct syscall_span s;
	if (!syscall_begin(&s))
		return call(args, timeout_ms);
	int r, left = timeout_ms;
	while ((r = call(args, left)) == -1 && syscall_restart(&s, errno == EINTR))
		left = syscall_left_ms(&s, timeout_ms);
	syscall_end(&s, sys, fd, poll_ms_ns(timeout_ms), r, r == -1 ? errno : 0);
	return r;
}

struct poll_args {
	struct pollfd *fds;
	nfds_t n;
	size_t fdslen;          /* __poll_chk only */
};

static int poll_call(const void *p, int timeout_ms)
{
	PRELOAD_REAL(poll);
	const struct poll_args *a = p;
	return real_poll(a->fds, a->n, timeout_ms);
}

static int poll_chk_call(const void *p, int timeout_ms)
{
	PRELOAD_REAL(__poll_chk);
	const struct poll_args *a = p;
	return real___poll_chk(a->fds, a->n, timeout_ms, a->fdslen);
}

PRELOAD_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct poll_args a = { fds, n, 0 };
	return poll_timed_ms(CTRACE_SYS_POLL, -1, timeout, poll_call, &a);
}

PRELOAD_EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	struct poll_args a = { fds, n, fdslen };
	return poll_timed_ms(CTRACE_SYS_POLL, -1, timeout, poll_chk_call, &a);
}

struct epoll_args {
	int epfd;
	struct epoll_event *events;
	int max;
	const sigset_t *mask;   /* epoll_pwait only */
};

static int epoll_wait_call(const void *p, int timeout_ms)
{
	PRELOAD_REAL(epoll_wait);
	const struct epoll_args *a = p;
	return real_epoll_wait(a->epfd, a->events, a->max, timeout_ms);
}

static int epoll_pwait_call(const void *p, int timeout_ms)
{
	PRELOAD_REAL(epoll_pwait);
	const struct epoll_args *a = p;
	return real_epoll_pwait(a->epfd, a->events, a->max, timeout_ms, a->mask);
}

PRELOAD_EXPORT int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout)
{
	struct epoll_args a = { epfd, events, max, NULL };
	return poll_timed_ms(CTRACE_SYS_EPOLL_WAIT, epfd, timeout, epoll_wait_call, &a);
}

PRELOAD_EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max,
			       int timeout, const sigset_t *mask)
{
	struct epoll_args a = { epfd, events, max, mask };
	return poll_timed_ms(CTRACE_SYS_EPOLL_PWAIT, epfd, timeout, epoll_pwait_call, &a);
}

/* ---- timespec timeouts: ppoll, pselect ---------------------------------- */

typedef int (*poll_ts_call)(const void *args, const struct timespec *timeout);

/* The program's timeout is only read after the first call returned EINTR
 * (the kernel has then validated the pointer) or to fill the event. */
static int poll_timed_ts(uint8_t sys, const struct timespec *timeout,
			 poll_ts_call call, const void *args)
{
	struct syscall_span s;
	if (!syscall_begin(&s))
		return call(args, timeout);
	int r;
	const struct timespec *left = timeout;
	struct timespec buf;
	while ((r = call(args, left)) == -1 && syscall_restart(&s, errno == EINTR))
		left = syscall_left_ts(&s, timeout, &buf);
	int err = r == -1 ? errno : 0;
	int64_t size = err == EFAULT ? -1 : syscall_ts_ns(timeout);
	syscall_end(&s, sys, -1, size, r, err);
	return r;
}

struct ppoll_args {
	struct pollfd *fds;
	nfds_t n;
	const sigset_t *mask;
	size_t fdslen;          /* __ppoll_chk only */
};

static int ppoll_call(const void *p, const struct timespec *timeout)
{
	PRELOAD_REAL(ppoll);
	const struct ppoll_args *a = p;
	return real_ppoll(a->fds, a->n, timeout, a->mask);
}

static int ppoll_chk_call(const void *p, const struct timespec *timeout)
{
	PRELOAD_REAL(__ppoll_chk);
	const struct ppoll_args *a = p;
	return real___ppoll_chk(a->fds, a->n, timeout, a->mask, a->fdslen);
}

PRELOAD_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
			 const sigset_t *mask)
{
	struct ppoll_args a = { fds, n, mask, 0 };
	return poll_timed_ts(CTRACE_SYS_PPOLL, timeout, ppoll_call, &a);
}

PRELOAD_EXPORT int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
			       const sigset_t *mask, size_t fdslen)
{
	struct ppoll_args a = { fds, n, mask, fdslen };
	return poll_timed_ts(CTRACE_SYS_PPOLL, timeout, ppoll_chk_call, &a);
}

struct pselect_args {
	int nfds;
	fd_set *r, *w, *e;
	const sigset_t *mask;
};

static int pselect_call(const void *p, const struct timespec *timeout)
{
	PRELOAD_REAL(pselect);
	const struct pselect_args *a = p;
	return real_pselect(a->nfds, a->r, a->w, a->e, timeout, a->mask);
}

PRELOAD_EXPORT int pselect(int nfds, fd_set *restrict r, fd_set *restrict w,
			   fd_set *restrict e, const struct timespec *restrict timeout,
			   const sigset_t *restrict mask)
{
	struct pselect_args a = { nfds, r, w, e, mask };
	return poll_timed_ts(CTRACE_SYS_PSELECT, timeout, pselect_call, &a);
}

/* ---- select ------------------------------------------------------------- */

/* The size field is the timeout asked for, read before the call overwrites
 * it with the time left; that write is also why a retry reuses it as is. */
PRELOAD_EXPORT int select(int nfds, fd_set *restrict r, fd_set *restrict w,
			  fd_set *restrict e, struct timeval *restrict timeout)
{
	PRELOAD_REAL(select);
	struct syscall_span s;
	if (!syscall_begin(&s))
		return real_select(nfds, r, w, e, timeout);
	int64_t size = timeout ? (int64_t)timeout->tv_sec * 1000000000 +
					 (int64_t)timeout->tv_usec * 1000
			       : -1;
	int ret;
	while ((ret = real_select(nfds, r, w, e, timeout)) == -1 &&
	       syscall_restart(&s, errno == EINTR))
		;
	syscall_end(&s, CTRACE_SYS_SELECT, -1, size, ret, ret == -1 ? errno : 0);
	return ret;
}
