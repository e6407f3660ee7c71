/* Running helper processes (see record_proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_proc.h"

/* Reads what the helper writes until it exits and the pipe is empty. A
 * daemonizing helper may leave a descendant holding the pipe open, so EOF
 * alone is not the end: the helper's own exit is. */
static void collect_output(int fd, pid_t pid, struct record_buf *out, int *status)
{
	bool exited = false;
	for (;;) {
		if (!exited) {
			pid_t r = waitpid(pid, status, WNOHANG);
			if (r == pid)
				exited = true;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, exited ? 0 : 20);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			if (exited)
				return;
			continue;
		}
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* EOF: the helper is gone or about to be. */
			while (!exited && waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return;
		}
		if (out)
			record_buf_append(out, chunk, (size_t)n);
	}
}

int record_proc_run(const char *path, char *const argv[], char *const envp[],
		    struct record_buf *out, int *status, struct record_err *e)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return record_err_set(e, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawnattr_init(&attr);
	/* Own process group; default signal dispositions, empty mask. */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int rc = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return record_err_set(e, "cannot run %s: %s", path, strerror(rc));
	}
	collect_output(pipefd[0], pid, out, status);
	close(pipefd[0]);
	return 0;
}

const char *record_proc_describe(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	return buf;
}
