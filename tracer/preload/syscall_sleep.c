/*
 * Sleep interposers: nanosleep, clock_nanosleep, usleep, sleep. Each needs
 * its own: libc's usleep and sleep reach the kernel through an internal
 * alias, never through the exported nanosleep.
 *
 * The kernel never restarts a sleep after a signal handler, so a sleep our
 * sampling signal interrupted is resumed here for the time left
 * (syscall_span.h): nanosleep and relative clock_nanosleep from the
 * remaining time the kernel reports, absolute clock_nanosleep with the same
 * deadline, usleep and sleep (which report no remaining time) by a
 * nanosleep for the rest of their duration measured on the clock.
 */
#include <unistd.h>

#include "syscall_span.h"

PRELOAD_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	PRELOAD_REAL(nanosleep);
	struct syscall_span s;
	if (!syscall_begin(&s))
		return real_nanosleep(req, rem);
	struct timespec left, *out = rem ? rem : &left;
	const struct timespec *ask = req;
	int r;
	while ((r = real_nanosleep(ask, out)) == -1 && syscall_restart(&s, errno == EINTR)) {
		left = *out;
		ask = &left;
	}
	int err = r == -1 ? errno : 0;
	syscall_end(&s, CTRACE_SYS_NANOSLEEP, -1, err == EFAULT ? -1 : syscall_ts_ns(req),
		    r, err);
	return r;
}

/* The length of a sleep until an absolute deadline on clock: from the
 * span's start to the deadline, at least 0. */
static int64_t sleep_abs_ns(const struct syscall_span *s, clockid_t clock,
			    const struct timespec *deadline)
{
	struct timespec now;
	if (clock_gettime(clock, &now) != 0)
		return -1;
	int64_t ns = syscall_ts_ns(deadline) -
		     ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec) +
		     (int64_t)(tracer_now_ns() - s->begin_ns);
	return ns < 0 ? 0 : ns;
}

/* Returns an error number and leaves errno alone, unlike the others. */
PRELOAD_EXPORT int clock_nanosleep(clockid_t clock, int flags,
				   const struct timespec *req, struct timespec *rem)
{
	PRELOAD_REAL(clock_nanosleep);
	struct syscall_span s;
	if (!syscall_begin(&s))
		return real_clock_nanosleep(clock, flags, req, rem);
	bool absolute = flags & TIMER_ABSTIME;
	/* Read req only after the kernel has accepted it (no EFAULT). */
	struct timespec left, *out = rem ? rem : &left;
	const struct timespec *ask = req;
	int r;
	while ((r = real_clock_nanosleep(clock, flags, ask, out)) == EINTR &&
	       syscall_restart(&s, true)) {
		if (!absolute) {
			left = *out;
			ask = &left;
		}
	}
	int64_t size = -1;
	if (r != EFAULT && r != EINVAL)
		size = absolute ? sleep_abs_ns(&s, clock, req) : syscall_ts_ns(req);
	syscall_end(&s, CTRACE_SYS_CLOCK_NANOSLEEP, -1, size, r, r);
	return r;
}

/* Sleeps until total_ns after the span began, resuming after our own
 * signal. Returns 0, or -1 with errno EINTR and *rem set when a program
 * signal interrupted it. */
static int sleep_rest(struct syscall_span *s, uint64_t total_ns, struct timespec *rem)
{
	PRELOAD_REAL(nanosleep);
	struct timespec whole = { (time_t)(total_ns / 1000000000u),
				  (long)(total_ns % 1000000000u) };
	int r;
	do {
		struct timespec left;
		r = real_nanosleep(syscall_left_ts(s, &whole, &left), rem);
	} while (r == -1 && syscall_restart(s, errno == EINTR));
	return r;
}

PRELOAD_EXPORT int usleep(useconds_t us)
{
	PRELOAD_REAL(usleep);
	struct syscall_span s;
	if (!syscall_begin(&s))
		return real_usleep(us);
	uint64_t total = (uint64_t)us * 1000u;
	int r = real_usleep(us);
	if (r == -1 && syscall_restart(&s, errno == EINTR)) {
		struct timespec rem;
		r = sleep_rest(&s, total, &rem);
	}
	syscall_end(&s, CTRACE_SYS_USLEEP, -1, (int64_t)total, r, r == -1 ? errno : 0);
	return r;
}

/* Returns the seconds not slept (as glibc does: the remaining time cut to
 * whole seconds) when a signal interrupted it. */
PRELOAD_EXPORT unsigned int sleep(unsigned int sec)
{
	PRELOAD_REAL(sleep);
	struct syscall_span s;
	if (!syscall_begin(&s))
		return real_sleep(sec);
	uint64_t total = (uint64_t)sec * 1000000000u;
	/* glibc's sleep returns the time left cut to whole seconds, so 0 can
	 * still mean interrupted; it leaves errno at EINTR then and restores
	 * it otherwise, which tells the cases apart once errno starts at 0. */
	errno = 0;
	unsigned int r = real_sleep(sec);
	bool interrupted = errno == EINTR;
	if (!interrupted)
		errno = s.errno0;
	if (interrupted && syscall_restart(&s, true)) {
		struct timespec rem;
		interrupted = sleep_rest(&s, total, &rem) != 0;
		r = interrupted ? (unsigned int)rem.tv_sec : 0;
	}
	syscall_end(&s, CTRACE_SYS_SLEEP, -1, (int64_t)total, r, interrupted ? EINTR : 0);
	return r;
}
