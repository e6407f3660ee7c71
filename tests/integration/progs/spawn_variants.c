/*
 * Robustness program: children started the ways that share the parent's
 * memory until exec: posix_spawn (glibc clones with CLONE_VM|CLONE_VFORK),
 * vfork + execv, and a vfork child whose exec fails and that writes an
 * error message before _exit, running interposed code (write) on its
 * parent's memory and thread state. The parent waits for each and prints
 * their statuses; each exec'd child prints a line of its own.
 *
 * usage: spawn_variants            (the parent)
 *        spawn_variants child TAG  (what the children run)
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int status_of(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "child")) {
		printf("child %s says hello\n", argv[2]);
		return 7;
	}
	char *spawn_argv[] = { argv[0], "child", "spawned", NULL };
	pid_t pid;
	if (posix_spawn(&pid, argv[0], NULL, NULL, spawn_argv, environ) != 0)
		return 1;
	int spawned = status_of(pid);
	fflush(stdout);

	char *vfork_argv[] = { argv[0], "child", "vforked", NULL };
	pid = vfork();
	if (pid == 0) {
		execv(argv[0], vfork_argv);
		_exit(127);
	}
	int vforked = status_of(pid);

	pid = vfork();
	if (pid == 0) {
		static const char msg[] = "vfork child: exec failed as planned\n";
		execv("/nonexistent/ctrace-spawn-target", vfork_argv);
		(void)!write(1, msg, sizeof msg - 1);
		_exit(42);
	}
	int failed = status_of(pid);
	printf("statuses: spawned %d vforked %d failed exec %d\n", spawned, vforked, failed);
	return spawned == 7 && vforked == 7 && failed == 42 ? 0 : 1;
}
