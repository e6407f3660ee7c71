/*
 * The lock and syscall profiles carry the stack where the wait or call
 * happened (lock_wait and syscall events record it), under the synthetic
 * leaf frames naming what was waited on:
 *   contention: `go tool pprof -focus=^worker_main$` keeps (nearly) all of
 *     the traced mutex-wait time: every long wait was in the workers; the
 *     main thread's joins have a stack too;
 *   pipe_io: `-focus=^main$` keeps (nearly) all of the main thread's traced
 *     read time, and the writer's sleeps are under writer_main; with
 *     -lines, main's frame under a read is the line of the read() call
 *     (event stacks hold return addresses even in frame 0: looked up
 *     exactly, it named the statement after the call).
 * The synthetic leaf frames are still there (-focus on them keeps the same
 * time), so -top keeps showing the lock and the fd. Expected times are the
 * model's timeline intervals of the records concerned (what the profile is
 * made of), so the 1% tolerance only absorbs go's rounding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctrace_schema.h"
#include "pprof_export_test.h"
#include "pprof_test.h"

/* Timeline time in state s whose record (aux) `keep` accepts. */
static double state_ns(const struct model *m, enum model_state s,
		       bool (*keep)(const struct model *m, uint32_t aux))
{
	double sum = 0;
	for (size_t t = 0; t < m->n_threads; t++) {
		const struct model_thread *th = &m->threads[t];
		for (size_t i = 0; i < th->niv; i++)
			if (th->iv[i].state == s && th->iv[i].aux != MODEL_NONE &&
			    keep(m, th->iv[i].aux))
				sum += (double)(model_interval_end(th, i) - th->iv[i].start);
	}
	return sum;
}

static bool is_mutex_wait(const struct model *m, uint32_t w)
{
	return w < m->n_waits && m->waits[w].kind == CTRACE_LOCK_MUTEX;
}

static bool is_main_read(const struct model *m, uint32_t c)
{
	if (c >= m->n_syscalls)
		return false;
	const struct model_thread *t = &m->threads[m->syscalls[c].thread];
	return t->tid == t->pid && !strcmp(model_sys_name(m->syscalls[c].sys), "read");
}

/* Writes TYPE's profile of rec into rec->tmpdir/TYPE.pb.gz (path in file). */
static void write_profile(const struct support_recording *rec, const char *type, char *file,
			  size_t size)
{
	snprintf(file, size, "%s/%s.pb.gz", rec->tmpdir, type);
	const char *args[] = { "--type", type, "-o", file, rec->trace_dir, NULL };
	assert_int_equal(pet_ctrace_pprof(args), 0);
}

/* `go tool pprof -top` total of file with one -focus regexp. */
static double focused(const struct support_recording *rec, const char *file, const char *re)
{
	char focus[200];
	snprintf(focus, sizeof focus, "-focus=%s", re);
	const char *extra[] = { focus, NULL };
	return pet_go_total(rec->tmpdir, file, extra, NULL);
}

static void contention(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("contention"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct model m;
	pet_model_load(rec.trace_dir, &m);
	size_t with_stack = 0, mutex_waits = 0;
	for (uint32_t i = 0; i < m.n_waits; i++) {
		if (m.waits[i].kind == MODEL_WAIT_JOIN)
			assert_int_not_equal(m.waits[i].stack, MODEL_NONE);
		if (!is_mutex_wait(&m, i))
			continue;
		mutex_waits++;
		with_stack += m.waits[i].stack != MODEL_NONE;
	}
	double traced = state_ns(&m, MODEL_LOCK_WAIT, is_mutex_wait);
	print_message("mutex waits %zu, with a stack %zu, %.0f ns\n", mutex_waits, with_stack,
		      traced);
	assert_true(mutex_waits > 0);
	assert_int_equal(with_stack, mutex_waits);
	char f[4200];
	write_profile(&rec, "lock", f, sizeof f);
	assert_true(support_near("lock delay under worker_main", focused(&rec, f, "^worker_main$"),
				 traced, 0.01, 0));
	assert_true(support_near("lock delay under the mutex leaf frames",
				 focused(&rec, f, "^mutex 0x"), traced, 0.01, 0));
	model_free(&m);
	support_recording_free(&rec);
}

/* The source line `where` ("path:line") names holds a call to fn. */
static bool line_calls(const char *where, const char *fn)
{
	char path[4096];
	const char *colon = strrchr(where, ':');
	assert_non_null(colon);
	snprintf(path, sizeof path, "%.*s", (int)(colon - where), where);
	long want = strtol(colon + 1, NULL, 10);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	bool calls = false;
	for (long n = 1; fgets(line, sizeof line, f); n++)
		if (n == want)
			calls = strstr(line, fn) != NULL;
	fclose(f);
	print_message("%s: %s\n", where, calls ? "calls it" : "does not call it");
	return calls;
}

/* In `go tool pprof -traces -lines` of the syscall profile, every read
 * trace (pipe_io's main thread is its only reader) has main's frame right
 * under "[syscall]", on the line that calls read(). Returns how many
 * traces were checked. */
static size_t check_read_lines(const struct support_recording *rec, const char *file)
{
	const char *args[] = { "-traces", "-lines", file, NULL };
	char *text = pprof_test_go_pprof(rec->tmpdir, args);
	size_t checked = 0;
	for (char *block = strstr(text, "read(fd "); block; block = strstr(block + 1, "read(fd ")) {
		char *sys = strstr(block, "[syscall]\n");
		assert_non_null(sys);
		char frame[4200];
		assert_int_equal(sscanf(sys + strlen("[syscall]\n"), " %4199[^\n]", frame), 1);
		print_message("under read: %s\n", frame);
		assert_int_equal(strncmp(frame, "main ", 5), 0); /* only main reads */
		char *where = frame + 5;
		where[strcspn(where, " ")] = 0;
		assert_true(line_calls(where, "read("));
		checked++;
	}
	free(text);
	return checked;
}

static void pipe_io(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("pipe_io"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct model m;
	pet_model_load(rec.trace_dir, &m);
	for (uint32_t i = 0; i < m.n_syscalls; i++)
		if (is_main_read(&m, i))
			assert_int_not_equal(m.syscalls[i].stack, MODEL_NONE);
	double reads = state_ns(&m, MODEL_SYSCALL, is_main_read);
	print_message("main's traced reads: %.0f ns\n", reads);
	assert_true(reads > 0);
	char f[4200];
	write_profile(&rec, "syscall", f, sizeof f);
	double in_main = focused(&rec, f, "^main$");
	assert_true(support_near("read time under main", in_main, reads, 0.01, 0));
	/* The writer's sleeps are under writer_main, never under main. */
	assert_true(focused(&rec, f, "^writer_main$") > 0);
	assert_true(support_near("reads named as read(fd N)", focused(&rec, f, "^read\\(fd [0-9]+\\)$"),
				 reads, 0.01, 0));
	assert_true(check_read_lines(&rec, f) > 0);
	model_free(&m);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contention),
		cmocka_unit_test(pipe_io),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
