/* The recorded program's process (see record_child.h). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_child.h"
#include "record_signals.h"

/* In the child: wait for the go byte, then become the program. Only
 * async-signal-safe calls from here on, by habit. */
static void child_run(int go_fd, int err_fd, const char *path, char *const argv[],
		      char *const envp[])
{
	record_signals_restore();
	char b;
	ssize_t n;
	while ((n = read(go_fd, &b, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		_exit(127);   /* the recorder gave up */
	execve(path, argv, envp);
	int err = errno;
	(void)!write(err_fd, &err, sizeof err);
	_exit(127);
}

int record_child_spawn(struct record_child *c, const char *path, char *const argv[],
		       char *const envp[], struct record_err *e)
{
	int go[2], ex[2];
	*c = (struct record_child){ .pid = -1, .release_fd = -1, .exec_fd = -1 };
	if (pipe2(go, O_CLOEXEC) < 0)
		return record_err_set(e, "pipe: %s", strerror(errno));
	if (pipe2(ex, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return record_err_set(e, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(go[0]); close(go[1]); close(ex[0]); close(ex[1]);
		return record_err_set(e, "fork: %s", strerror(err));
	}
	if (pid == 0) {
		/* Our copies of the parent's ends would keep the pipes open:
		 * no EOF on go[0] if the recorder gives up. */
		close(go[1]);
		close(ex[0]);
		child_run(go[0], ex[1], path, argv, envp);
	}
	close(go[0]);
	close(ex[1]);
	c->pid = pid;
	c->release_fd = go[1];
	c->exec_fd = ex[0];
	return 0;
}

int record_child_release(struct record_child *c, struct record_err *e)
{
	char go = 'g';
	int rc = record_write_all(c->release_fd, &go, 1);
	close(c->release_fd);
	c->release_fd = -1;
	if (rc < 0)
		return record_err_set(e, "cannot start the program: %s", strerror(errno));
	int err = 0;
	ssize_t n;
	while ((n = read(c->exec_fd, &err, sizeof err)) < 0 && errno == EINTR)
		;
	close(c->exec_fd);
	c->exec_fd = -1;
	if (n == (ssize_t)sizeof err)
		return record_err_set(e, "cannot execute the program: %s", strerror(err));
	return 0;
}

int record_child_wait(struct record_child *c)
{
	int status = 0;
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

void record_child_abort(struct record_child *c)
{
	if (c->pid <= 0)
		return;
	assert(c->release_fd >= 0);   /* never released: it exits on EOF */
	if (c->release_fd >= 0)
		close(c->release_fd);   /* EOF: the child exits by itself */
	if (c->exec_fd >= 0)
		close(c->exec_fd);
	c->release_fd = c->exec_fd = -1;
	record_child_wait(c);
	c->pid = -1;
}

int record_child_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
