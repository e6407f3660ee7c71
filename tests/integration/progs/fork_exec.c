/*
 * Robustness program: forks children that exec another program (this one,
 * in "child" mode), and a child that forks again without exec. Prints only
 * deterministic lines and exits with a status derived from the children's,
 * so a traced run can be compared byte for byte with an untraced one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int child_mode(int n)
{
	/* A little work with a thread and a lock, so the exec'd process has
	 * events of its own. */
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	long sum = 0;
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&m);
		sum += i;
		pthread_mutex_unlock(&m);
	}
	printf("child %d sum %ld\n", n, sum);
	return 10 + n;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "child"))
		return child_mode(atoi(argv[2]));
	int total = 0;
	for (int n = 0; n < 3; n++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			char num[16];
			snprintf(num, sizeof num, "%d", n);
			execl("/proc/self/exe", argv[0], "child", num, (char *)NULL);
			perror("execl");
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return 1;
		printf("parent: child %d exited %d\n", n, WEXITSTATUS(status));
		total += WEXITSTATUS(status);
	}
	/* fork without exec: the child keeps running this program's code. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("forked child without exec\n");
		fflush(stdout);
		_exit(7);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent: plain fork child exited %d\n", WEXITSTATUS(status));
	printf("total %d\n", total + WEXITSTATUS(status));
	return 3;
}
