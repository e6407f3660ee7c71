/*
 * Programs that close every descriptor (daemons, test harnesses) must not
 * close the tracer's.
 *
 * LTTng-UST's sockets and shared memory: liblttng-ust-fd (2.13) guards
 * close() and fclose() only; glibc's closefrom and close_range reach the
 * kernel directly, after which LTTng reuses descriptors it still believes
 * are its own and aborts on an assertion (measured: progs/close_all_fds
 * died with SIGABRT under ctrace record). closefrom and close_range here
 * close through LTTng's own helper, which skips the descriptors its
 * tracker holds.
 *
 * libunwind's pipe: it checks that an address is readable by writing a
 * byte of it into a pipe it opens once (pipe2, O_NONBLOCK). Once a program
 * closed that pipe and reused the numbers for a pipe of its own, an
 * unwind blocked reading the program's pipe (measured: close_all_fds hung)
 * and could write into it. The pipe2 libunwind makes while this thread
 * unwinds (in_unwind) is remembered, and close, closefrom and close_range
 * leave its two descriptors open (close says EBADF, as LTTng's does).
 */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preload.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* liblttng-ust-common's helpers (no public header in 2.13): close each
 * descriptor (from lowfd on) with close_cb unless the tracker holds it. */
typedef int (*fd_close_cb)(int fd);
typedef int (*fd_safe_closefrom_fn)(int lowfd, fd_close_cb cb);
typedef int (*fd_safe_close_fn)(int fd, fd_close_cb cb);

int preload_unwinder_fds[2] = { -1, -1 };

PRELOAD_EXPORT int pipe2(int fds[2], int flags)
{
	PRELOAD_REAL(pipe2);
	int r = real_pipe2(fds, flags);
	if (PRELOAD_UNLIKELY(preload_tls.in_unwind) && r == 0) {
		__atomic_store_n(&preload_unwinder_fds[0], fds[0], __ATOMIC_RELAXED);
		__atomic_store_n(&preload_unwinder_fds[1], fds[1], __ATOMIC_RELAXED);
	}
	return r;
}

/* The kernel's close, not libc's nor any interposer's: LTTng's helper
 * already decided this descriptor is not LTTng's; libunwind's stay. */
static int fd_close_direct(int fd)
{
	if (preload_fd_reserved(fd))
		return 0;
	return (int)syscall(SYS_close, fd);
}

static void *fd_lttng_helper(const char *name)
{
	return dlsym(RTLD_DEFAULT, name);
}

/* The highest descriptor number a loop needs to visit. */
static unsigned fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20))
		return 1u << 20;
	return (unsigned)rl.rlim_cur;
}

PRELOAD_EXPORT void closefrom(int lowfd)
{
	PRELOAD_REAL(closefrom);
	fd_safe_closefrom_fn safe = (fd_safe_closefrom_fn)fd_lttng_helper("lttng_ust_safe_closefrom_fd");
	if (!safe) {
		/* No LTTng helper: still keep libunwind's pipe. */
		int saved = errno;
		for (unsigned fd = lowfd < 0 ? 0u : (unsigned)lowfd, n = fd_limit(); fd < n; fd++)
			fd_close_direct((int)fd);
		errno = saved;
		return;
	}
	int saved = errno;
	(void)safe(lowfd, fd_close_direct);
	errno = saved;   /* closefrom returns nothing and reports nothing */
}

PRELOAD_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	PRELOAD_REAL(close_range);
	/* Marking descriptors close-on-exec closes nothing now; after an exec
	 * the new program's LTTng-UST starts afresh. Bad arguments fail the
	 * same way as without us. */
	if ((flags & CLOSE_RANGE_CLOEXEC) || (flags & ~(int)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) ||
	    first > last)
		return real_close_range(first, last, flags);
	fd_safe_closefrom_fn safe_from =
		(fd_safe_closefrom_fn)fd_lttng_helper("lttng_ust_safe_closefrom_fd");
	fd_safe_close_fn safe_one = (fd_safe_close_fn)fd_lttng_helper("lttng_ust_safe_close_fd");
	if (!safe_from || !safe_one)
		return real_close_range(first, last, flags);
	if ((flags & CLOSE_RANGE_UNSHARE) && unshare(CLONE_FILES) != 0)
		return -1;
	int saved = errno;
	unsigned limit = fd_limit();
	if (last >= limit && first <= (unsigned)INT32_MAX) {
		(void)safe_from((int)first, fd_close_direct);
	} else {
		for (unsigned fd = first; fd <= last && fd < limit; fd++)
			(void)safe_one((int)fd, fd_close_direct);
	}
	errno = saved;   /* descriptors already closed are not an error */
	return 0;
}
