/*
 * Child-wait interposers: waitpid and wait4 (wait and waitid are left
 * alone: libc's wait is a wait4 through an internal alias, and neither is
 * in the schema). With SA_RESTART the kernel restarts these after our
 * sampling signal; the retry in SYSCALL_TIMED covers the rest.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include "syscall_span.h"

PRELOAD_EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
	PRELOAD_REAL(waitpid);
	SYSCALL_TIMED(pid_t, r, CTRACE_SYS_WAITPID, -1, -1, true,
		      real_waitpid(pid, status, options));
}

PRELOAD_EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
	PRELOAD_REAL(wait4);
	SYSCALL_TIMED(pid_t, r, CTRACE_SYS_WAIT4, -1, -1, true,
		      real_wait4(pid, status, options, usage));
}
