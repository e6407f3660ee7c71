/*
 * The program test_symbolize_recorded.c records: CPU time in an always-
 * inlined function (inl_mix, inside outer_hot), in outer_hot's own code and
 * in a shared library's function (lib_spin), in three processes: the
 * original, a fork child that execs this program again ("child" mode, a
 * new address space whose statedump arrives before its first events), and
 * a fork child that does not exec (it keeps the parent's maps).
 *
 * Built -O2 -g as a PIE. The sym: markers delimit each function's lines
 * for the test; `truth:` lines give each process's pid and role.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sym_lib.h"

static volatile uint64_t sink;

/* sym:inl_mix:begin */
static inline __attribute__((always_inline)) uint64_t inl_mix(uint64_t x, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		x ^= x >> 29;
	}
	return x;
}
/* sym:inl_mix:end */

/* sym:outer_hot:begin */
__attribute__((noinline)) static uint64_t outer_hot(uint64_t x, uint64_t n)
{
	uint64_t y = inl_mix(x, n);
	for (uint64_t i = 0; i < n / 2; i++)
		y = (y >> 3) ^ (y * 0x9e3779b97f4a7c15ull) ^ i;
	return y;
}
/* sym:outer_hot:end */

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Alternates the two hot spots for ms milliseconds of CPU time. */
static void burn(unsigned ms)
{
	uint64_t end = cpu_ns() + (uint64_t)ms * 1000000u, x = 1;
	while (cpu_ns() < end) {
		x = outer_hot(x, 200000);
		x ^= lib_spin(x, 200000);
	}
	sink = x;
}

/* sym:main:begin */
int main(int argc, char **argv)
{
	unsigned ms = argc > 2 ? (unsigned)atoi(argv[2]) : 400;
	if (argc > 1 && !strcmp(argv[1], "child")) {
		printf("truth: pid=%d role=exec\n", (int)getpid());
		burn(ms);
		return 0;
	}
	printf("truth: pid=%d role=parent\n", (int)getpid());
	fflush(stdout);
	burn(ms);
	pid_t exec_child = fork();
	if (exec_child == 0) {
		char arg[16];
		snprintf(arg, sizeof arg, "%u", ms);
		execl("/proc/self/exe", argv[0], "child", arg, (char *)NULL);
		_exit(127);
	}
	pid_t fork_child = fork();
	if (fork_child == 0) {
		printf("truth: pid=%d role=fork\n", (int)getpid());
		burn(ms);
		fflush(stdout);
		_exit(0);
	}
	int st1 = 0, st2 = 0;
	waitpid(exec_child, &st1, 0);
	waitpid(fork_child, &st2, 0);
	return WIFEXITED(st1) && WEXITSTATUS(st1) == 0 && WIFEXITED(st2) && WEXITSTATUS(st2) == 0 ? 0 : 1;
}
/* sym:main:end */
