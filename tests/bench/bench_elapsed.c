/*
 * Times one program run for run_overhead.sh: forks, execs PROGRAM and
 * appends "LABEL WALL_S CPU_S STATUS" to OUT when it ends. It runs *inside*
 * the tracer being measured (ctrace record -- bench_elapsed ...), so the
 * wall time covers the program's whole process (its constructors, LTTng-UST
 * registration, run and exit) but not the tracer's own set-up and teardown
 * (session daemon, sessions, trace finishing). CPU_S is the child's user +
 * system time, to tell work the tracer adds from waiting it causes.
 *
 * usage: bench_elapsed OUT LABEL PROGRAM [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s OUT LABEL PROGRAM [ARGS...]\n", argv[0]);
		return 2;
	}
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("wait4");
		return 125;
	}
	double wall = now_s() - t0;
	FILE *out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 125;
	}
	fprintf(out, "%s %.6f %.6f %d\n", argv[2], wall, tv_s(ru.ru_utime) + tv_s(ru.ru_stime),
		status);
	fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
