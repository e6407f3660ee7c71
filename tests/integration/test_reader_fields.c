/*
 * The trace reader's event view on a real recording: timestamps are
 * CLOCK_MONOTONIC nanoseconds in order, contexts are decoded, fields of
 * every kind read by name (and refused when missing or of another type),
 * and a callback can stop the read with its own value.
 *
 * Records samples/pipe_io briefly; its ctrace events all come from the
 * program's process, between the clock readings taken around the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctrace_schema.h"
#include "support.h"

#define STOP_AFTER 10
#define STOP_VALUE 7

struct field_facts {
	int32_t pid;
	char exe[PATH_MAX];
	uint64_t run_begin, run_end, last_ts;
	uint64_t ctrace_events, process_starts, syscalls, build_ids, out_of_order;
	long ncpus;
};

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void check_process_start(const struct analyzer_event *ev, struct field_facts *f)
{
	uint64_t u;
	int64_t i;
	const char *exe = analyzer_event_string(ev, "exe");
	assert_non_null(exe);
	assert_string_equal(exe, f->exe);
	assert_true(analyzer_event_int(ev, "ppid", &i));
	assert_true(i > 0);
	assert_true(analyzer_event_uint(ev, "forked", &u));
	assert_int_equal(u, 0);
	assert_true(analyzer_event_uint(ev, "sample_period_ns", &u));
	/* Missing fields and wrong types are refused, not guessed. */
	assert_false(analyzer_event_uint(ev, "no_such_field", &u));
	assert_null(analyzer_event_string(ev, "no_such_field"));
	assert_null(analyzer_event_string(ev, "ppid"));
	assert_false(analyzer_event_uint(ev, "exe", &u));
	assert_int_equal(analyzer_event_uint_seq(ev, "exe", NULL, 0), -1);
	/* Context fields are fields too. */
	assert_true(analyzer_event_int(ev, "vtid", &i));
	assert_int_equal(i, ev->vtid);
	f->process_starts++;
}

static void check_syscall(const struct analyzer_event *ev, struct field_facts *f)
{
	uint64_t sys, begin;
	int64_t result;
	assert_true(analyzer_event_uint(ev, "sys", &sys)); /* an enumeration */
	assert_true(sys < CTRACE_SYS_COUNT);
	assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
	assert_true(begin <= ev->ts_ns && begin >= f->run_begin);
	assert_true(analyzer_event_int(ev, "result", &result));
	f->syscalls++;
}

static void check_build_id(const struct analyzer_event *ev, struct field_facts *f)
{
	uint64_t id[64];
	ssize_t n = analyzer_event_uint_seq(ev, "build_id", id, 64);
	assert_true(n > 0 && n <= 64);
	for (ssize_t i = 0; i < n; i++)
		assert_true(id[i] <= 0xff);
	/* A short buffer still gives the full length. */
	assert_int_equal(analyzer_event_uint_seq(ev, "build_id", id, 1), n);
	f->build_ids++;
}

static int field_event(const struct analyzer_event *ev, void *user)
{
	struct field_facts *f = user;
	f->out_of_order += ev->ts_ns < f->last_ts;
	f->last_ts = ev->ts_ns;
	assert_true(ev->cpu_id >= 0 && ev->cpu_id < f->ncpus);
	if (ev->vpid != f->pid)
		return 0;
	assert_true(ev->ts_ns >= f->run_begin && ev->ts_ns <= f->run_end);
	if (!strncmp(ev->name, "ctrace:", 7)) {
		assert_true(ev->vtid >= f->pid);
		f->ctrace_events++;
	}
	if (!strcmp(ev->name, "ctrace:process_start"))
		check_process_start(ev, f);
	else if (!strcmp(ev->name, "ctrace:syscall"))
		check_syscall(ev, f);
	else if (!strcmp(ev->name, "lttng_ust_statedump:build_id"))
		check_build_id(ev, f);
	return 0;
}

static int stop_early(const struct analyzer_event *ev, void *user)
{
	(void)ev;
	return ++*(int *)user == STOP_AFTER ? STOP_VALUE : 0;
}

static struct support_recording rec;
static struct field_facts f;

static int cleanup(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

static void test_fields(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("pipe_io"), "-n", "3", "-d", "5", NULL };
	f.run_begin = monotonic_ns();
	support_recording_make_ok(&rec, NULL, argv);
	f.run_end = monotonic_ns();
	f.ncpus = sysconf(_SC_NPROCESSORS_CONF);
	uint64_t pid;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	f.pid = (int32_t)pid;
	assert_non_null(realpath(argv[0], f.exe));

	struct analyzer_read_stats st;
	support_read_trace(rec.trace_dir, field_event, &f, &st);
	fprintf(stderr, "ctrace test: %llu ctrace events, %llu syscalls, %llu build ids, "
		"%llu out of order\n", (unsigned long long)f.ctrace_events,
		(unsigned long long)f.syscalls, (unsigned long long)f.build_ids,
		(unsigned long long)f.out_of_order);
	assert_int_equal(f.out_of_order, 0);
	assert_int_equal(f.process_starts, 1);
	assert_true(f.syscalls >= 3);   /* the blocking reads at least */
	assert_true(f.build_ids >= 1);
	assert_true(st.trace_dirs >= 1);

	int seen = 0;
	struct analyzer_error err;
	assert_int_equal(analyzer_read_trace(rec.trace_dir, stop_early, &seen, &st, &err), STOP_VALUE);
	assert_int_equal(seen, STOP_AFTER);
	assert_int_equal(st.events, STOP_AFTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fields, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
