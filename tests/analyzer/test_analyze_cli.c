/*
 * `ctrace analyze` as a user runs it, on one recording of
 * samples/request_loop:
 * - --json prints the contract's schema (checked key by key with Python's
 *   json module): integer times, thread breakdowns summing to end - start
 *   when both are known, region and task breakdowns summing to their
 *   total, spikes with their blame;
 * - the text report, --region, --from/--to and --at work and exit 0;
 * - unusable input (not a directory, no trace, bad options) exits 2;
 * - a damaged copy (a stream file cut in half) still gets a report, with
 *   the damage and warnings counted; a trace without ctrace events (the
 *   scheduling trace alone) says what is missing;
 * - the model and analysis caches give the same report, survive their own
 *   damage and are not written with --no-cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define PYTHON "/usr/bin/python3"

static struct support_recording rec;
static char scratch[4200];

static int setup(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), "-n", "60", "-s", "20", "-d", "5", NULL };
	if (support_recording_make(&rec, NULL, argv, SUPPORT_TIMEOUT_S) != 0 || rec.run.status != 0)
		return -1;
	snprintf(scratch, sizeof scratch, "%s/scratch", rec.tmpdir);
	return mkdir(scratch, 0700);
}

static int teardown(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

/* Runs `ctrace analyze ARGS...`; returns its status, output in *r. */
static int analyze(struct support_run *r, const char *a1, const char *a2, const char *a3,
		   const char *a4)
{
	char *argv[] = { CTRACE_TEST_CTRACE, "analyze", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, r), 0);
	return r->status;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* The schema of analyzer/report_json.c, asserted. argv[1]: the report. */
static const char schema_check[] =
"import json, sys\n"
"d = json.load(open(sys.argv[1]))\n"
"def has(o, keys, what):\n"
"    for k in keys:\n"
"        assert k in o, '%s lacks %s' % (what, k)\n"
"        v = o[k]\n"
"        if k.endswith('_ns') and v is not None:\n"
"            assert isinstance(v, int), '%s.%s is not an integer' % (what, k)\n"
"states = ['running_ns', 'runnable_ns', 'lock_wait_ns', 'syscall_ns', 'other_ns']\n"
"has(d, ['trace', 'threads', 'regions', 'tasks', 'locks', 'syscalls', 'spikes'], 'report')\n"
"t = d['trace']\n"
"has(t, ['start_ns', 'end_ns', 'duration_ns', 'events', 'discarded_events', 'processes'], 'trace')\n"
"for p in t['processes']: has(p, ['pid', 'name'], 'process')\n"
"for th in d['threads']:\n"
"    has(th, ['tid', 'pid', 'name', 'parent_tid', 'start_ns', 'end_ns', 'alloc_bytes', 'alloc_count'] + states, 'thread')\n"
"    if th['start_ns'] is not None and th['end_ns'] is not None:\n"
"        s = sum(th[k] for k in states) + th.get('unknown_ns', 0)\n"
"        assert s == th['end_ns'] - th['start_ns'], 'thread %d: %d != %d' % (th['tid'], s, th['end_ns'] - th['start_ns'])\n"
"for kind in ('regions', 'tasks'):\n"
"    for r in d[kind]:\n"
"        has(r, ['name', 'count', 'total_ns', 'min_ns', 'p50_ns', 'p90_ns', 'p99_ns', 'max_ns', 'alloc_bytes', 'breakdown'], kind)\n"
"        has(r['breakdown'], states, kind + ' breakdown')\n"
"        assert sum(r['breakdown'].values()) == r['total_ns'], r['name']\n"
"        assert r['min_ns'] <= r['p50_ns'] <= r['p90_ns'] <= r['p99_ns'] <= r['max_ns']\n"
"for l in d['locks']:\n"
"    has(l, ['addr', 'kind', 'contentions', 'wait_ns', 'max_wait_ns', 'holders', 'waiters'], 'lock')\n"
"    for h in l['holders']: has(h, ['tid', 'hold_ns'], 'holder')\n"
"    for w in l['waiters']: has(w, ['tid', 'wait_ns'], 'waiter')\n"
"for s in d['syscalls']: has(s, ['name', 'count', 'total_ns', 'max_ns'], 'syscall')\n"
"assert d['spikes'], 'no spikes'\n"
"for s in d['spikes']:\n"
"    has(s, ['kind', 'name', 'tid', 'start_ns', 'duration_ns', 'cause', 'breakdown', 'blocked_by'], 'spike')\n"
"    assert s['kind'] in ('region', 'task')\n"
"    for b in s['blocked_by']: has(b, ['tid', 'lock', 'wait_ns', 'region'], 'blocked_by')\n"
"assert any(b['region'] == 'maintenance' for s in d['spikes'] for b in s['blocked_by']), 'no lock blame'\n"
"if len(sys.argv) > 2: assert eval(sys.argv[2]), sys.argv[2]\n"
"print('schema ok: %d threads, %d regions, %d spikes' % (len(d['threads']), len(d['regions']), len(d['spikes'])))\n";

/* Writes r's output to NAME in the scratch dir and checks it with the
 * schema script, plus an optional Python condition on d. */
static void check_json(const struct support_run *r, const char *name, const char *cond)
{
	if (access(PYTHON, X_OK) != 0) {
		fprintf(stderr, "ctrace test: no %s: JSON not checked\n", PYTHON);
		return;
	}
	char path[4400];
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	write_file(path, r->out, r->out_len);
	char *argv[] = { PYTHON, "-c", (char *)schema_check, path, (char *)cond, NULL };
	struct support_run p;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &p), 0);
	fputs(p.out, stderr);
	assert_int_equal(p.status, 0);
	support_run_free(&p);
}

static void test_json_schema(void **state)
{
	(void)state;
	struct support_run r;
	assert_int_equal(analyze(&r, "--json", "--spike-threshold", "4ms", rec.trace_dir), 0);
	check_json(&r, "report.json", "d['trace']['discarded_events'] == 0 and d['trace']['warnings'] == 0");
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--json", "--at", "100ms", "--spike-threshold=4ms"), 2);
	support_run_free(&r);
	char at[32] = "--at=40ms";
	assert_int_equal(analyze(&r, "--json", at, "--spike-threshold=4ms", rec.trace_dir), 0);
	check_json(&r, "at.json", "len(d['at']['threads']) >= 2");
	support_run_free(&r);
}

static void test_text_reports(void **state)
{
	(void)state;
	struct support_run r;
	assert_int_equal(analyze(&r, rec.trace_dir, NULL, NULL, NULL), 0);
	fputs(r.out, stderr);
	assert_non_null(strstr(r.out, "THREADS"));
	assert_non_null(strstr(r.out, "REGIONS"));
	assert_non_null(strstr(r.out, "request"));
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--region", "request", "--top=3", rec.trace_dir), 0);
	assert_non_null(strstr(r.out, "slowest instances"));
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--from", "20ms", "--to=60ms", rec.trace_dir), 0);
	assert_non_null(strstr(r.out, "window"));
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--at", "40ms", rec.trace_dir, NULL), 0);
	assert_non_null(strstr(r.out, "AT +"));
	support_run_free(&r);
}

static void test_unusable_input(void **state)
{
	(void)state;
	struct support_run r;
	char path[4400];
	snprintf(path, sizeof path, "%s/ctrace-run.json", rec.trace_dir);
	assert_int_equal(analyze(&r, path, NULL, NULL, NULL), 2);
	support_run_free(&r);
	assert_int_equal(analyze(&r, scratch, NULL, NULL, NULL), 2);   /* no CTF inside */
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--top", "zero", rec.trace_dir, NULL), 2);
	support_run_free(&r);
	assert_int_equal(analyze(&r, "--from", "soon", rec.trace_dir, NULL), 2);
	support_run_free(&r);
	assert_int_equal(analyze(&r, NULL, NULL, NULL, NULL), 2);
	support_run_free(&r);
}

static void copy_tree(const char *from, const char *to)
{
	char *argv[] = { "/bin/cp", "-r", (char *)from, (char *)to, NULL };
	struct support_run r;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &r), 0);
	assert_int_equal(r.status, 0);
	support_run_free(&r);
}

static void test_damaged_and_partial(void **state)
{
	(void)state;
	char copy[4400], stream[4500];
	snprintf(copy, sizeof copy, "%s/damaged", scratch);
	copy_tree(rec.trace_dir, copy);
	/* Cut the largest UST stream file in half. */
	snprintf(stream, sizeof stream, "%s/ust/uid/0/64-bit/ctrace_0", copy);
	struct stat st;
	if (stat(stream, &st) != 0 || st.st_size < 8192) {
		snprintf(stream, sizeof stream, "%s/ust/uid/0/64-bit/ctrace_1", copy);
		assert_int_equal(stat(stream, &st), 0);
	}
	assert_int_equal(truncate(stream, st.st_size / 2 + 7), 0);
	struct support_run r;
	assert_int_equal(analyze(&r, "--json", copy, NULL, NULL), 0);
	if (access(PYTHON, X_OK) == 0) {
		char path[4600];
		snprintf(path, sizeof path, "%s/damaged.json", scratch);
		write_file(path, r.out, r.out_len);
		char *argv[] = { PYTHON, "-c",
				 "import json,sys; d=json.load(open(sys.argv[1]))['trace']; "
				 "assert d['damaged'] and d['warnings'] >= 1, d; print('damage:', d['damaged'])",
				 path, NULL };
		struct support_run p;
		assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &p), 0);
		fputs(p.out, stderr);
		assert_int_equal(p.status, 0);
		support_run_free(&p);
	}
	support_run_free(&r);

	/* The scheduling trace alone: no ctrace events. */
	char sched_only[4400], from[4400];
	snprintf(sched_only, sizeof sched_only, "%s/sched-only", scratch);
	assert_int_equal(mkdir(sched_only, 0700), 0);
	snprintf(from, sizeof from, "%s/sched", rec.trace_dir);
	copy_tree(from, sched_only);
	assert_int_equal(analyze(&r, sched_only, NULL, NULL, NULL), 0);
	fputs(r.out, stderr);
	assert_non_null(strstr(r.out, "no ctrace events"));
	support_run_free(&r);
}

static void damage(const char *path, long offset)
{
	FILE *f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, offset, SEEK_SET), 0);
	fputs("garbage", f);
	fclose(f);
}

static struct timespec mtime_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mtim;
}

/* The model and analysis caches: written by the first analysis, read by
 * the next with the same report (the analysis cache does not make the
 * model's stale: the model cache is not rewritten), each ignored when
 * damaged, neither written with --no-cache. */
static void test_model_cache(void **state)
{
	(void)state;
	char copy[4400], cache[4500], acache[4500];
	snprintf(copy, sizeof copy, "%s/cached", scratch);
	copy_tree(rec.trace_dir, copy);
	snprintf(cache, sizeof cache, "%s/ctrace-model.cache", copy);
	snprintf(acache, sizeof acache, "%s/ctrace-analysis.cache", copy);
	unlink(cache);
	unlink(acache);
	struct support_run r1, r2;
	assert_int_equal(analyze(&r1, "--no-cache", copy, NULL, NULL), 0);
	assert_int_not_equal(access(cache, F_OK), 0);
	assert_int_not_equal(access(acache, F_OK), 0);
	support_run_free(&r1);
	assert_int_equal(analyze(&r1, "--json", copy, NULL, NULL), 0);
	assert_int_equal(access(cache, F_OK), 0);
	assert_int_equal(access(acache, F_OK), 0);
	struct timespec written = mtime_of(cache);
	assert_int_equal(analyze(&r2, "--json", copy, NULL, NULL), 0);
	assert_string_equal(r1.out, r2.out);
	struct timespec after = mtime_of(cache);
	assert_true(written.tv_sec == after.tv_sec && written.tv_nsec == after.tv_nsec);
	support_run_free(&r2);
	/* A damaged cache is ignored (and replaced). */
	damage(acache, 100);
	assert_int_equal(analyze(&r2, "--json", copy, NULL, NULL), 0);
	assert_string_equal(r1.out, r2.out);
	support_run_free(&r2);
	damage(cache, 4000);
	assert_int_equal(analyze(&r2, "--json", copy, NULL, NULL), 0);
	assert_string_equal(r1.out, r2.out);
	support_run_free(&r2);
	support_run_free(&r1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_schema),
		cmocka_unit_test(test_text_reports),
		cmocka_unit_test(test_unusable_input),
		cmocka_unit_test(test_damaged_and_partial),
		cmocka_unit_test(test_model_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
