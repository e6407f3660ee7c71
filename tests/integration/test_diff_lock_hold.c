/*
 * `ctrace diff` reports an injected change: samples/contention -r (each
 * iteration a region `iteration`) recorded twice, the second time holding
 * the lock 4x longer. From the diff's JSON:
 * - the region's p50, lock wait and total before and after match what the
 *   program measured itself (truth: iteration_median_ns,
 *   iteration_total_ns), and so does their change;
 * - lock_wait is the breakdown change with the largest growth per
 *   instance, and its per-instance change matches the workers' own timed
 *   pthread_mutex_lock totals (truth: lock_wait_ns);
 * - it is blamed, from NEW, on NEW's mutex (truth: lock_addr) held by
 *   NEW's workers (truth: tids, pid);
 * - a trace diffed against itself shows no change at all; against a run
 *   without -r, the region vanished (and appeared the other way round);
 * - --pprof cpu writes two profiles `go tool pprof -top -diff_base` reads;
 * - bad arguments and unusable traces exit 2 with one line on stderr.
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

#include "pprof_test.h"
#include "support.h"

#define PYTHON "/usr/bin/python3"
#define WORKERS "7"   /* 7 x 31 iterations: an odd count, see change_check */
#define ITERATIONS "31"
#define OUTSIDE_US "100"
#define OLD_HOLD_US "200"
#define NEW_HOLD_US "800"

static struct support_recording old_rec, new_rec, plain_rec;
static char scratch[4200];

static void record(struct support_recording *rec, const char *hold_us)
{
	char *argv[] = { SUPPORT_SAMPLE("contention"), "-w", WORKERS, "-n", ITERATIONS, "-H",
			 (char *)hold_us, "-o", OUTSIDE_US, "-r", NULL };
	/* Every tick, so the short OLD run has CPU samples for --pprof cpu. */
	char *opts[] = { "--sample-hz", "250", NULL };
	support_recording_make_ok(rec, opts, argv);
}

static int setup(void **state)
{
	(void)state;
	record(&old_rec, OLD_HOLD_US);
	record(&new_rec, NEW_HOLD_US);
	/* No -r: no region at all. */
	char *plain[] = { SUPPORT_SAMPLE("contention"), "-w", "2", "-n", "10", "-H", "100", NULL };
	support_recording_make_ok(&plain_rec, NULL, plain);
	snprintf(scratch, sizeof scratch, "%s/scratch", new_rec.tmpdir);
	return mkdir(scratch, 0700);
}

static int teardown(void **state)
{
	(void)state;
	support_recording_free(&old_rec);
	support_recording_free(&new_rec);
	support_recording_free(&plain_rec);
	return 0;
}

/* Runs `ctrace diff ARGS...` (NULL-terminated); its status, output in r. */
static int diff_run(struct support_run *r, const char *const args[])
{
	char *argv[16] = { CTRACE_TEST_CTRACE, "diff" };
	size_t n = 2;
	for (size_t i = 0; args[i]; i++) {
		assert_true(n < 15);
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
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

/* Runs a Python check on the JSON in r (argv[1]) with more arguments;
 * fails the test unless it exits 0. Skipped without Python. */
static void python_check(const struct support_run *r, const char *name, const char *script,
			 char *const extra[])
{
	if (access(PYTHON, X_OK) != 0) {
		fprintf(stderr, "diff test: no %s: JSON not checked\n", PYTHON);
		return;
	}
	char path[4400];
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	write_file(path, r->out, r->out_len);
	char *argv[24] = { PYTHON, "-c", (char *)script, path };
	size_t n = 4;
	for (size_t i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	struct support_run p;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &p), 0);
	fputs(p.out, stderr);
	assert_int_equal(p.status, 0);
	support_run_free(&p);
}

/* argv: json, then old and new truth as key=value words. The instance
 * count is odd, so the analyzer's nearest-rank p50 and the program's
 * median v[n/2] are the same instance: with 7 workers an iteration either
 * got the lock at once or waited for several holders, and the middle of
 * that spread is sparse enough for neighbouring ranks to be 30 % apart. */
static const char change_check[] =
"import json, sys\n"
"d = json.load(open(sys.argv[1]))\n"
"truth = [dict(w.split('=', 1) for w in a.split()) for a in sys.argv[2:4]]\n"
"def near(what, got, want, rel, abs_ns):\n"
"    ok = abs(got - want) <= max(rel * abs(want), abs_ns)\n"
"    print('%-34s %10.3f ms, expected %10.3f ms (+-%.0f%% or %.2f ms): %s' % (what, got / 1e6, want / 1e6, rel * 100, abs_ns / 1e6, 'ok' if ok else 'FAIL'))\n"
"    return ok\n"
"e = [x for x in d['entries'] if x['kind'] == 'region' and x['name'] == 'iteration']\n"
"assert len(e) == 1, 'no region iteration in the diff'\n"
"e = e[0]\n"
"assert e['status'] == 'both' and e['changed'], e['status']\n"
"assert d['entries'][0] is not None and d['entries'][0]['name'] == 'iteration', 'not the most significant'\n"
"n = [int(t['iterations_timed']) for t in truth]\n"
"ok = True\n"
"for i, side in enumerate(('old', 'new')):\n"
"    s = e[side]\n"
"    assert s['count'] == n[i], '%s count %d != %d' % (side, s['count'], n[i])\n"
"    for k, v in list(s.items()) + list(s['breakdown'].items()):\n"
"        if k.endswith('_ns'): assert isinstance(v, int), k\n"
"    assert sum(s['breakdown'].values()) == s['total_ns'], side + ' breakdown'\n"
"    ok &= near(side + ' total', s['total_ns'], int(truth[i]['iteration_total_ns']), 0.03, 2e6)\n"
"    ok &= near(side + ' p50', s['p50_ns'], int(truth[i]['iteration_median_ns']), 0.05, 0.05e6)\n"
"    ok &= near(side + ' mean lock_wait', s['mean_breakdown']['lock_wait_ns'], int(truth[i]['lock_wait_ns']) / n[i], 0.10, 0.1e6)\n"
"c = e['change']\n"
"ok &= near('change of total', c['total_ns'], int(truth[1]['iteration_total_ns']) - int(truth[0]['iteration_total_ns']), 0.05, 3e6)\n"
"ok &= near('change of p50', c['p50_ns'], int(truth[1]['iteration_median_ns']) - int(truth[0]['iteration_median_ns']), 0.05, 0.1e6)\n"
"assert c['p50_ns'] > 0 and c['total_ns'] > 0, 'the region did not get slower'\n"
"bc = e['breakdown_change']\n"
"grown = sorted((b for b in bc if b['mean_ns'] > 0), key=lambda b: -b['mean_ns'])\n"
"print('breakdown change per instance:', ', '.join('%s %+.3f ms' % (b['state'], b['mean_ns'] / 1e6) for b in bc))\n"
"assert grown and grown[0]['state'] == 'lock_wait', 'lock_wait is not the largest growth'\n"
"lw = grown[0]\n"
"want = (int(truth[1]['lock_wait_ns']) - int(truth[0]['lock_wait_ns'])) / n[0]\n"
"ok &= near('change of mean lock_wait', lw['mean_ns'], want, 0.15, 0.1e6)\n"
"assert lw['blame_run'] == 'new', lw['blame_run']\n"
"assert lw['blame'], 'lock_wait change not blamed'\n"
"tids = set(int(t) for t in truth[1]['tids'].split(','))\n"
"new_lw = e['new']['breakdown']['lock_wait_ns']\n"
"print('blamed %.3f ms of NEW lock_wait %.3f ms on %s' % (lw['blamed_ns'] / 1e6, new_lw / 1e6, [(b['tid'], b['lock_addr'], b['ns']) for b in lw['blame']]))\n"
"assert lw['blamed_ns'] >= 0.8 * new_lw, 'most of the lock wait is not blamed'\n"
"for b in lw['blame']:\n"
"    assert b['lock_kind'] == 'mutex' and int(b['lock_addr'], 16) == int(truth[1]['lock_addr'], 16), b\n"
"    assert b['tid'] in tids and b['pid'] == int(truth[1]['pid']), 'holder %s is not a worker of NEW %s' % (b['tid'], tids)\n"
"assert d['new']['pid'] == int(truth[1]['pid']) and d['old']['pid'] == int(truth[0]['pid'])\n"
"assert ok, 'a figure is off (see above)'\n";

/* Both runs' truth lines as one "key=value ..." string each. */
static void truth_words(const struct support_recording *rec, char *buf, size_t size)
{
	const char *keys[] = { "pid", "tids", "lock_addr", "lock_wait_ns", "iterations_timed",
			       "iteration_total_ns", "iteration_median_ns" };
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char v[512];
		assert_true(support_truth_str(rec->run.out, keys[i], 0, v, sizeof v));
		len += (size_t)snprintf(buf + len, size - len, "%s%s=%s", i ? " " : "", keys[i], v);
		assert_true(len < size);
	}
}

static void test_injected_change(void **state)
{
	(void)state;
	struct support_run r;
	const char *args[] = { "--json", old_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, args), 0);
	char t_old[2048], t_new[2048];
	truth_words(&old_rec, t_old, sizeof t_old);
	truth_words(&new_rec, t_new, sizeof t_new);
	char *extra[] = { t_old, t_new, NULL };
	python_check(&r, "diff.json", change_check, extra);
	support_run_free(&r);

	/* The text says the same, naming the lock and a holder. */
	const char *targs[] = { old_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, targs), 0);
	fputs(r.out, stderr);
	assert_non_null(strstr(r.out, "region iteration"));
	assert_non_null(strstr(r.out, "lock_wait per instance"));
	assert_non_null(strstr(r.out, "held by"));
	support_run_free(&r);
}

static const char same_check[] =
"import json, sys\n"
"d = json.load(open(sys.argv[1]))\n"
"s = d['summary']\n"
"assert s['changed'] == 0 and s['appeared'] == 0 and s['vanished'] == 0, s\n"
"assert s['unchanged'] == s['names'] and s['names'] >= 1, s\n"
"for e in d['entries']:\n"
"    assert not e['changed'] and e['significance_ns'] == 0, e['name']\n"
"    assert all(v == 0 for k, v in e['change'].items() if not k.endswith('_pct')), e['change']\n"
"    assert e['breakdown_change'] == [], e['breakdown_change']\n"
"print('self diff: %d names, no change' % s['names'])\n";

static void test_same_trace(void **state)
{
	(void)state;
	struct support_run r;
	const char *args[] = { "--json", new_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, args), 0);
	python_check(&r, "same.json", same_check, NULL);
	support_run_free(&r);
}

/* argv: json, the status the region must have, the side it is in, the
 * other side, its instance count. */
static const char one_sided_check[] =
"import json, sys\n"
"d = json.load(open(sys.argv[1]))\n"
"status, has, lacks, count = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])\n"
"assert d['summary'][status] == 1 and d['summary']['changed'] == 0, d['summary']\n"
"e = d['entries'][0]\n"
"assert e['name'] == 'iteration' and e['status'] == status and e['changed'], e\n"
"assert e[lacks] is None and e[has]['count'] == count, e[has]\n"
"assert e['significance_ns'] >= e[has]['total_ns'], e['significance_ns']\n"
"print('iteration %s: %d instances' % (status, e[has]['count']))\n";

static void test_appeared_vanished(void **state)
{
	(void)state;
	struct support_run r;
	char count[32];
	snprintf(count, sizeof count, "%d", atoi(WORKERS) * atoi(ITERATIONS));
	const char *gone[] = { "--json", new_rec.trace_dir, plain_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, gone), 0);
	char *v[] = { "vanished", "old", "new", count, NULL };
	python_check(&r, "vanished.json", one_sided_check, v);
	support_run_free(&r);
	const char *came[] = { "--json", plain_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, came), 0);
	char *a[] = { "appeared", "new", "old", count, NULL };
	python_check(&r, "appeared.json", one_sided_check, a);
	support_run_free(&r);
	const char *text[] = { plain_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, text), 0);
	assert_non_null(strstr(r.out, "appeared region iteration"));
	support_run_free(&r);
}

static void test_pprof_profiles(void **state)
{
	(void)state;
	char prefix[4400], old_pb[4500], new_pb[4500];
	snprintf(prefix, sizeof prefix, "%s/prof", scratch);
	snprintf(old_pb, sizeof old_pb, "%s-old.pb.gz", prefix);
	snprintf(new_pb, sizeof new_pb, "%s-new.pb.gz", prefix);
	struct support_run r;
	const char *args[] = { "--pprof", "cpu", "-o", prefix, "--region", "iteration",
			       old_rec.trace_dir, new_rec.trace_dir, NULL };
	assert_int_equal(diff_run(&r, args), 0);
	char cmd[9200];
	snprintf(cmd, sizeof cmd, "go tool pprof -diff_base=%s %s", old_pb, new_pb);
	assert_non_null(strstr(r.out, cmd));
	support_run_free(&r);
	assert_int_equal(access(old_pb, R_OK), 0);
	assert_int_equal(access(new_pb, R_OK), 0);
	if (!pprof_test_have_go())
		return;
	char base[4600];
	snprintf(base, sizeof base, "-diff_base=%s", old_pb);
	const char *top[] = { "-top", base, new_pb, NULL };
	char *out = pprof_test_go_pprof(scratch, top);
	fprintf(stderr, "%s", out);
	/* The samples are the workers' (worker_main spins in both runs). */
	assert_non_null(strstr(out, "worker_main"));
	free(out);
}

static void expect_usage(const char *const args[], int status)
{
	struct support_run r;
	assert_int_equal(diff_run(&r, args), status);
	assert_int_equal(r.out_len, 0);
	support_run_free(&r);
}

static void test_bad_input(void **state)
{
	(void)state;
	const char *o = old_rec.trace_dir, *n = new_rec.trace_dir;
	char missing[4400];
	snprintf(missing, sizeof missing, "%s/none/prof", scratch);
	const char *none[] = { NULL };
	const char *one[] = { o, NULL };
	const char *three[] = { o, n, o, NULL };
	const char *type[] = { "--pprof", "bogus", o, n, NULL };
	const char *top[] = { "--top", "0", o, n, NULL };
	const char *prefix_alone[] = { "-o", "x", o, n, NULL };
	const char *bad_dir[] = { "--pprof", "cpu", "-o", missing, o, n, NULL };
	const char *unknown[] = { "--frobnicate", o, n, NULL };
	const char *no_trace[] = { o, scratch, NULL };
	const char *not_dir[] = { "/nonexistent/trace", n, NULL };
	const char *region[] = { "--region", "no_such_region", o, n, NULL };
	expect_usage(none, 2);
	expect_usage(one, 2);
	expect_usage(three, 2);
	expect_usage(type, 2);
	expect_usage(top, 2);
	expect_usage(prefix_alone, 2);
	expect_usage(bad_dir, 2);
	expect_usage(unknown, 2);
	expect_usage(no_trace, 2);
	expect_usage(not_dir, 2);
	expect_usage(region, 2);
	assert_int_equal(access(missing, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_injected_change),
		cmocka_unit_test(test_same_trace),
		cmocka_unit_test(test_appeared_vanished),
		cmocka_unit_test(test_pprof_profiles),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
