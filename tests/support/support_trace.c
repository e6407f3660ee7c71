/*
 * Recording a sample into a temporary directory and the bookkeeping most
 * integration tests share when reading its trace back (see support.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int support_recording_make(struct support_recording *rec, char *const record_opts[],
			   char *const argv[], unsigned timeout_s)
{
	*rec = (struct support_recording){ .run.status = -1 };
	rec->tmpdir = support_tmpdir_create();
	if (!rec->tmpdir)
		return -1;
	snprintf(rec->trace_dir, sizeof rec->trace_dir, "%s/trace", rec->tmpdir);
	return support_record(rec->trace_dir, record_opts, argv, timeout_s, &rec->run);
}

void support_recording_make_ok(struct support_recording *rec, char *const record_opts[],
			       char *const argv[])
{
	assert_int_equal(support_recording_make(rec, record_opts, argv, SUPPORT_TIMEOUT_S), 0);
	fputs(rec->run.out, stderr);
	fprintf(stderr, "ctrace test: recorded %s in %.2f s, exit status %d\n", argv[0],
		(double)rec->run.wall_ns / 1e9, rec->run.status);
	assert_int_equal(rec->run.status, 0);
}

void support_recording_free(struct support_recording *rec)
{
	const char *keep = getenv("CTRACE_TEST_KEEP");
	if (rec->tmpdir && keep && *keep)
		fprintf(stderr, "ctrace test: kept %s\n", rec->tmpdir);
	else
		support_tree_remove(rec->tmpdir);
	free(rec->tmpdir);
	support_run_free(&rec->run);
	*rec = (struct support_recording){ .run.status = -1 };
}

void support_read_trace(const char *dir, analyzer_event_fn fn, void *user,
			struct analyzer_read_stats *stats)
{
	struct analyzer_error err;
	struct analyzer_read_stats local;
	if (!stats)
		stats = &local;
	int rc = analyzer_read_trace(dir, fn, user, stats, &err);
	if (rc != 0)
		fail_msg("%s", rc < 0 ? err.msg : "reading stopped early");
	fprintf(stderr, "ctrace test: %llu events in %u CTF traces, %lld events and %llu packets discarded\n",
		(unsigned long long)stats->events, stats->trace_dirs,
		(long long)stats->discarded_events, (unsigned long long)stats->discarded_packets);
	assert_int_equal(stats->discarded_events, 0);
	assert_int_equal(stats->discarded_packets, 0);
}

static struct support_thread *threads_find(struct support_threads *ts, int32_t pid,
					   int32_t tid, bool add)
{
	for (size_t i = ts->n; i-- > 0;)
		if (ts->v[i].pid == pid && ts->v[i].tid == tid)
			return &ts->v[i];
	if (!add)
		return NULL;
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct support_thread *v = realloc(ts->v, cap * sizeof *v);
		if (!v)
			abort();
		ts->v = v;
		ts->cap = cap;
	}
	ts->v[ts->n] = (struct support_thread){ .pid = pid, .tid = tid, .is_main = pid == tid };
	return &ts->v[ts->n++];
}

void support_threads_note(struct support_threads *ts, const struct analyzer_event *ev)
{
	if (strncmp(ev->name, "ctrace:", 7))
		return;
	const char *what = ev->name + 7;
	if (!strcmp(what, "process_start"))
		threads_find(ts, ev->vpid, ev->vtid, true);
	else if (!strcmp(what, "thread_start"))
		threads_find(ts, ev->vpid, ev->vtid, true)->starts++;
	else if (!strcmp(what, "thread_exit"))
		threads_find(ts, ev->vpid, ev->vtid, true)->exits++;
}

bool support_threads_known(const struct support_threads *ts, int32_t pid, int32_t tid)
{
	const struct support_thread *t = threads_find((struct support_threads *)ts, pid, tid, false);
	return t && (t->is_main || t->starts > 0);
}

size_t support_threads_unmatched(const struct support_threads *ts, int32_t pid)
{
	size_t bad = 0;
	for (size_t i = 0; i < ts->n; i++) {
		const struct support_thread *t = &ts->v[i];
		if ((pid && t->pid != pid) || t->is_main)
			continue;
		if (t->starts != 1 || t->exits != 1) {
			fprintf(stderr, "ctrace test: pid %d tid %d: %u thread_start, %u thread_exit\n",
				t->pid, t->tid, t->starts, t->exits);
			bad++;
		}
	}
	return bad;
}

size_t support_threads_started(const struct support_threads *ts, int32_t pid)
{
	size_t n = 0;
	for (size_t i = 0; i < ts->n; i++)
		n += ts->v[i].pid == pid && !ts->v[i].is_main && ts->v[i].starts > 0;
	return n;
}

void support_threads_free(struct support_threads *ts)
{
	free(ts->v);
	*ts = (struct support_threads){ 0 };
}
