/*
 * Tracing does not change what a program does: for each robustness
 * program (fork + exec, a signal storm during syscalls, 1000 short-lived
 * threads, dlopen/dlclose of a library) the traced run exits with the same
 * status and prints exactly the same output as the untraced run, and the
 * trace holds what that program is about:
 * - fork_exec: a process_start for the parent and each of its 4 children
 *   (3 exec'd, 1 plain fork marked forked=1);
 * - signal_storm: the program itself reports 5000 SIGUSR1s handled and no
 *   EINTR on its SA_RESTART calls (part of the compared output);
 * - many_threads: 1000 thread_starts, each with its thread_exit;
 * - dlopen_loop: the plugin's 100 threads started and exited, and the
 *   plugin's dlopen announced in the trace;
 * - spawn_variants: posix_spawn and vfork children (one writing after a
 *   failed exec) behave the same, and the exec'd ones are traced;
 * - close_all_fds: closes every descriptor but 0-2 three ways and goes on;
 *   the threads and pipe reads after each are in the trace;
 * - main_exit: main calls pthread_exit before its 3 workers end; the
 *   traced process still ends (status 0) after the last of them, although
 *   LTTng-UST's listener threads never exit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ctrace_schema.h"
#include "support.h"

#define FORK_EXEC_PROCESSES 5
#define MANY_THREADS 1000
#define DLOPEN_ROUNDS 100

static struct support_recording rec;
static struct support_run plain;
static struct support_threads threads;

static int cleanup(void **state)
{
	(void)state;
	support_run_free(&plain);
	support_threads_free(&threads);
	support_recording_free(&rec);
	return 0;
}

/* Runs argv untraced and traced; fails unless status and output agree. */
static void run_both(char *const argv[])
{
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &plain), 0);
	assert_int_equal(support_recording_make(&rec, NULL, argv, SUPPORT_TIMEOUT_S), 0);
	fprintf(stderr, "ctrace test: %s: untraced status %d in %.2f s, traced status %d in %.2f s\n",
		argv[0], plain.status, (double)plain.wall_ns / 1e9, rec.run.status,
		(double)rec.run.wall_ns / 1e9);
	if (strcmp(plain.out, rec.run.out) != 0)
		fail_msg("output differs\n--- untraced:\n%s--- traced:\n%s", plain.out, rec.run.out);
	assert_int_equal(rec.run.status, plain.status);
}

struct process_facts {
	struct support_threads *threads;
	int32_t pids[64];
	size_t npids, forked;
	uint64_t plugin_dlopens;
};

static int process_event(const struct analyzer_event *ev, void *user)
{
	struct process_facts *p = user;
	support_threads_note(p->threads, ev);
	if (!strcmp(ev->name, "ctrace:process_start")) {
		uint64_t forked;
		assert_true(analyzer_event_uint(ev, "forked", &forked));
		p->forked += forked != 0;
		size_t i = 0;
		while (i < p->npids && p->pids[i] != ev->vpid)
			i++;
		if (i == p->npids && p->npids < sizeof p->pids / sizeof p->pids[0])
			p->pids[p->npids++] = ev->vpid;
	} else if (!strcmp(ev->name, "lttng_ust_dl:dlopen")) {
		const char *path = analyzer_event_string(ev, "path");
		p->plugin_dlopens += path && strstr(path, "dlopen_plugin.so");
	}
	return 0;
}

static void read_processes(struct process_facts *p)
{
	*p = (struct process_facts){ .threads = &threads };
	support_read_trace(rec.trace_dir, process_event, p, NULL);
}

static void test_fork_exec(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("fork_exec"), NULL };
	run_both(argv);
	struct process_facts p;
	read_processes(&p);
	fprintf(stderr, "ctrace test: %zu processes started, %zu after a fork\n", p.npids, p.forked);
	assert_int_equal(p.npids, FORK_EXEC_PROCESSES);
	assert_true(p.forked >= 1);
}

static void test_signal_storm(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("signal_storm"), NULL };
	run_both(argv);
	assert_non_null(strstr(plain.out, "usr1 handled 5000\n"));
	assert_non_null(strstr(plain.out, "EINTR on restartable calls: read 0 write 0\n"));
	struct process_facts p;
	read_processes(&p);
	assert_int_equal(p.npids, 1);
}

static void test_many_threads(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("many_threads"), NULL };
	run_both(argv);
	struct process_facts p;
	read_processes(&p);
	assert_int_equal(p.npids, 1);
	fprintf(stderr, "ctrace test: %zu threads started\n", support_threads_started(&threads, p.pids[0]));
	assert_int_equal(support_threads_started(&threads, p.pids[0]), MANY_THREADS);
	assert_int_equal(support_threads_unmatched(&threads, p.pids[0]), 0);
}

/* posix_spawn and vfork children run on the parent's memory until they
 * exec (one writes an error after a failed exec): the traced run behaves
 * as untraced, and the two exec'd children are traced processes too. */
static void test_spawn_vfork(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("spawn_variants"), NULL };
	run_both(argv);
	assert_non_null(strstr(plain.out, "statuses: spawned 7 vforked 7 failed exec 42\n"));
	struct process_facts p;
	read_processes(&p);
	fprintf(stderr, "ctrace test: %zu processes started\n", p.npids);
	assert_int_equal(p.npids, 3);
}

struct pipe_reads {
	uint64_t long_reads;   /* reads of 1 byte that waited 10 ms or more */
	uint64_t thread_starts;
};

static int pipe_read_event(const struct analyzer_event *ev, void *user)
{
	struct pipe_reads *p = user;
	uint64_t sys, begin, size;
	if (!strcmp(ev->name, "ctrace:thread_start"))
		p->thread_starts++;
	else if (!strcmp(ev->name, "ctrace:syscall") && analyzer_event_uint(ev, "sys", &sys) &&
		 sys == CTRACE_SYS_READ && analyzer_event_uint(ev, "begin_ts", &begin) &&
		 analyzer_event_uint(ev, "size", &size) && size == 1 && ev->ts_ns - begin >= 10000000)
		p->long_reads++;
	return 0;
}

/* A program that closes every descriptor but 0-2 (close loop, closefrom,
 * close_range) keeps working traced, and the trace keeps recording after
 * each: the 3 writer threads and the 15 pipe reads that waited ~20 ms,
 * with and without CPU sampling (libunwind's pipe is opened at start-up
 * in one case, at the first stack in the other). */
static void test_close_all_fds(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("close_all_fds"), NULL };
	char *no_samples[] = { "--sample-hz", "0", NULL };
	for (int round = 0; round < 2; round++) {
		assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &plain), 0);
		assert_int_equal(support_recording_make(&rec, round ? no_samples : NULL, argv,
							SUPPORT_TIMEOUT_S), 0);
		if (strcmp(plain.out, rec.run.out) != 0)
			fail_msg("output differs\n--- untraced:\n%s--- traced:\n%s", plain.out, rec.run.out);
		assert_int_equal(rec.run.status, 0);
		assert_int_equal(plain.status, 0);
		struct pipe_reads p = { 0 };
		support_read_trace(rec.trace_dir, pipe_read_event, &p, NULL);
		fprintf(stderr, "ctrace test: close_all_fds%s: %llu threads, %llu long pipe reads\n",
			round ? " --sample-hz 0" : "", (unsigned long long)p.thread_starts,
			(unsigned long long)p.long_reads);
		assert_int_equal(p.thread_starts, 3);
		assert_int_equal(p.long_reads, 15);
		support_run_free(&plain);
		support_recording_free(&rec);
	}
}

static void test_dlopen(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("dlopen_loop"), SUPPORT_PROG("dlopen_plugin.so"), NULL };
	run_both(argv);
	struct process_facts p;
	read_processes(&p);
	assert_int_equal(p.npids, 1);
	fprintf(stderr, "ctrace test: %zu threads started, %llu plugin dlopens\n",
		support_threads_started(&threads, p.pids[0]), (unsigned long long)p.plugin_dlopens);
	assert_int_equal(support_threads_started(&threads, p.pids[0]), DLOPEN_ROUNDS);
	assert_int_equal(support_threads_unmatched(&threads, p.pids[0]), 0);
	assert_true(p.plugin_dlopens >= 1);
}

static void test_main_pthread_exit(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_PROG("main_exit"), NULL };
	run_both(argv);
	assert_int_equal(rec.run.status, 0);
	struct process_facts p;
	read_processes(&p);
	assert_int_equal(p.npids, 1);
	assert_int_equal(support_threads_started(&threads, p.pids[0]), 3);
	assert_int_equal(support_threads_unmatched(&threads, p.pids[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fork_exec, cleanup),
		cmocka_unit_test_teardown(test_signal_storm, cleanup),
		cmocka_unit_test_teardown(test_many_threads, cleanup),
		cmocka_unit_test_teardown(test_spawn_vfork, cleanup),
		cmocka_unit_test_teardown(test_close_all_fds, cleanup),
		cmocka_unit_test_teardown(test_dlopen, cleanup),
		cmocka_unit_test_teardown(test_main_pthread_exit, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
