/*
 * Running programs for the integration tests (see support.h): untraced, or
 * under `ctrace record` with a private session daemon that the recording
 * starts and stops itself.
 */
#define _GNU_SOURCE
#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t support_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static char *support_file_read(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	rewind(f);
	do {
		if (cap - n < 4096) {
			char *grown = realloc(buf, cap = cap * 2 + 8192);
			if (!grown) {
				free(buf);
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Waits for pid, killing its process group once the deadline passed
 * (SIGTERM first so a recorder can stop its daemon, then SIGKILL). */
static int support_wait(pid_t pid, unsigned timeout_s)
{
	uint64_t deadline = support_now_ns() + (uint64_t)timeout_s * 1000000000u;
	int signalled = 0, status;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (support_now_ns() > deadline && signalled < 2) {
			fprintf(stderr, "ctrace test: pid %d still running after %us, killing it\n",
				(int)pid, timeout_s);
			kill(-pid, signalled ? SIGKILL : SIGTERM);
			signalled++;
			deadline += 5000000000u;
		}
		struct timespec nap = { 0, 5000000 };
		nanosleep(&nap, NULL);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int support_run(char *const argv[], unsigned timeout_s, struct support_run *r)
{
	*r = (struct support_run){ .status = -1 };
	FILE *out = tmpfile();
	if (!out) {
		perror("ctrace test: tmpfile");
		return -1;
	}
	fflush(stdout);
	uint64_t t0 = support_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("ctrace test: fork");
		fclose(out);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fileno(out), STDOUT_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "ctrace test: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	r->status = support_wait(pid, timeout_s);
	r->wall_ns = support_now_ns() - t0;
	r->out = support_file_read(out, &r->out_len);
	fclose(out);
	return r->status < 0 || !r->out ? -1 : 0;
}

int support_record(const char *trace_dir, char *const record_opts[], char *const argv[],
		   unsigned timeout_s, struct support_run *r)
{
	size_t n = 0, nopts = 0;
	while (argv[n])
		n++;
	while (record_opts && record_opts[nopts])
		nopts++;
	char **cmd = calloc(n + nopts + 8, sizeof *cmd);
	if (!cmd)
		return -1;
	size_t k = 0;
	cmd[k++] = CTRACE_TEST_CTRACE;
	cmd[k++] = "record";
	cmd[k++] = "--private-daemon";
	cmd[k++] = "-o";
	cmd[k++] = (char *)trace_dir;
	for (size_t i = 0; i < nopts; i++)
		cmd[k++] = record_opts[i];
	cmd[k++] = "--";
	for (size_t i = 0; i < n; i++)
		cmd[k++] = argv[i];
	int rc = support_run(cmd, timeout_s, r);
	free(cmd);
	return rc;
}

void support_run_free(struct support_run *r)
{
	free(r->out);
	*r = (struct support_run){ .status = -1 };
}
