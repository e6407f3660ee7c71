/*
 * `ctrace check` passes and fails on either side of a threshold, and its
 * message names the cause.
 *
 * Records samples/request_loop once (100 requests of ~1.1 ms; requests 24,
 * 49, 74 and 99 are 20 ms slower, alternately sleeping and waiting on a
 * mutex the maintenance thread holds in its `maintenance` region). The
 * thresholds come from the raw trace (the `request` regions' begin/end
 * events on the main thread, read without the analyzer's model) and from
 * what the program printed (which requests it slowed and how):
 * - max: a budget 1 us above the longest request holds (exit 0, the value
 *   reported is that longest request exactly), 1 us below it fails (exit 1,
 *   one offender);
 * - a budget of 3/4 of the injected delay fails with the requests the raw
 *   trace has over it (the slowed ones, and on a loaded machine some that
 *   waited for a CPU); the text names the slowed ones' lock_wait with the
 *   maintenance thread's tid as the holder and its region, or nanosleep;
 * - percentiles: p50 on either side of the raw median; the raw p90 as a
 *   budget holds at p90 and fails at p99 (a slowed request at rank 99);
 * - bad arguments: exit 2 with one line on stderr and nothing on stdout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define REQUESTS 100

static struct support_recording rec;
static int32_t pid, maint_tid;
/* The requests' regions and tasks, from their begin and end events. */
struct spans {
	uint64_t begin[REQUESTS], dur[REQUESTS], sorted[REQUESTS];
	size_t nbegin, nend;
};
static struct spans regions, tasks;
static uint64_t spike_ns, nspikes;

static void span_note(struct spans *s, bool begin, uint64_t ts)
{
	if (begin && s->nbegin < REQUESTS)
		s->begin[s->nbegin++] = ts;
	else if (!begin && s->nend < s->nbegin)
		s->dur[s->nend] = ts - s->begin[s->nend], s->nend++;
}

static int request_event(const struct analyzer_event *ev, void *user)
{
	(void)user;
	if (ev->vpid != pid)
		return 0;
	/* One task at a time, on the main thread: ends pair with begins. */
	if (!strcmp(ev->name, "ctrace:task_begin") || !strcmp(ev->name, "ctrace:task_end"))
		span_note(&tasks, !strcmp(ev->name, "ctrace:task_begin"), ev->ts_ns);
	if (strncmp(ev->name, "ctrace:region_", 14))
		return 0;
	const char *name = analyzer_event_string(ev, "name");
	if (!name)
		return 0;
	bool begin = !strcmp(ev->name + 14, "begin");
	if (begin && !strcmp(name, "maintenance"))
		maint_tid = ev->vtid;
	if (strcmp(name, "request") || ev->vtid != pid)
		return 0;
	span_note(&regions, begin, ev->ts_ns);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int record_once(void **state)
{
	(void)state;
	char n[16];
	snprintf(n, sizeof n, "%d", REQUESTS);
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), "-n", n, "-s", "25", "-d", "20", NULL };
	if (support_recording_make(&rec, NULL, argv, SUPPORT_TIMEOUT_S) != 0 || rec.run.status != 0)
		return -1;
	fputs(rec.run.out, stderr);
	uint64_t p;
	if (!support_truth_u64(rec.run.out, "pid", 0, &p) ||
	    !support_truth_u64(rec.run.out, "spike_ns", 0, &spike_ns) ||
	    !support_truth_u64(rec.run.out, "nspikes", 0, &nspikes))
		return -1;
	pid = (int32_t)p;
	support_read_trace(rec.trace_dir, request_event, NULL, NULL);
	if (regions.nend != REQUESTS || tasks.nend != REQUESTS || !maint_tid)
		return -1;
	struct spans *both[] = { &regions, &tasks };
	for (int k = 0; k < 2; k++) {
		struct spans *sp = both[k];
		memcpy(sp->sorted, sp->dur, sizeof sp->sorted);
		qsort(sp->sorted, REQUESTS, sizeof sp->sorted[0], cmp_u64);
		fprintf(stderr, "ctrace test: request %s p50 %llu ns, p90 %llu, p99 %llu, max %llu\n",
			k ? "tasks" : "regions", (unsigned long long)sp->sorted[REQUESTS / 2 - 1],
			(unsigned long long)sp->sorted[89], (unsigned long long)sp->sorted[98],
			(unsigned long long)sp->sorted[REQUESTS - 1]);
	}
	fprintf(stderr, "ctrace test: maintenance thread %d\n", maint_tid);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

/* Runs `ctrace check ARGS... [DIR]` with stderr merged into the captured
 * output when merge; returns its exit status, output in *out (free it). */
static int run_check(const char *const *args, bool with_dir, bool merge, char **out)
{
	char *argv[32];
	size_t n = 0;
	if (merge) {
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = "exec \"$@\" 2>&1";
		argv[n++] = "sh";
	}
	argv[n++] = CTRACE_TEST_CTRACE;
	argv[n++] = "check";
	for (size_t i = 0; args[i]; i++)
		argv[n++] = (char *)args[i];
	if (with_dir)
		argv[n++] = rec.trace_dir;
	argv[n] = NULL;
	struct support_run r;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &r), 0);
	fprintf(stderr, "---- ctrace check (exit %d):\n%s", r.status, r.out);
	*out = r.out;
	return r.status;
}

/* The value of the nth (0-based) `"key": N` of a JSON text. */
static uint64_t json_nth(const char *json, const char *key, unsigned nth)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	const char *p = json;
	for (unsigned i = 0; i <= nth; i++) {
		p = strstr(p, pat);
		assert_non_null(p);
		p += strlen(pat);
	}
	return strtoull(p, NULL, 10);
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Lines where what is followed by a duration ("20.3 ms") of at least ns
 * and that also hold also1 and also2 (when not NULL). */
static size_t count_lines(const char *s, const char *what, uint64_t ns, const char *also1,
			  const char *also2)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ " ns", 1 }, { " us", 1e3 }, { " ms", 1e6 }, { " s", 1e9 },
	};
	size_t n = 0;
	for (const char *line = s; *line; ) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		line += len + (eol != NULL);
		const char *p = strstr(buf, what);
		if (!p || (also1 && !strstr(buf, also1)) || (also2 && !strstr(buf, also2)))
			continue;
		char *end;
		double v = strtod(p + strlen(what), &end);
		for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
			if (!strncmp(end, units[u].unit, strlen(units[u].unit)) &&
			    v * units[u].ns >= (double)ns)
				n++;
	}
	return n;
}

static void budget(char *buf, size_t size, uint64_t ns, const char *stat)
{
	snprintf(buf, size, "request=%lluns%s", (unsigned long long)ns, stat);
}

static size_t over(const struct spans *sp, uint64_t limit)
{
	size_t n = 0;
	for (size_t i = 0; i < REQUESTS; i++)
		n += sp->dur[i] > limit;
	return n;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* "request" names both a region and a task (results in that order). */
static void test_max_either_side(void **state)
{
	(void)state;
	uint64_t rmax = regions.sorted[REQUESTS - 1], tmax = tasks.sorted[REQUESTS - 1];
	uint64_t max = max_u64(rmax, tmax);
	char b[64], *out;
	budget(b, sizeof b, max + 1000, "");
	const char *pass[] = { "--json", "-b", b, NULL };
	assert_int_equal(run_check(pass, true, false, &out), 0);
	/* The values are the raw trace's longest region and task exactly. */
	assert_int_equal(json_nth(out, "value_ns", 0), rmax);
	assert_int_equal(json_nth(out, "value_ns", 1), tmax);
	assert_int_equal(json_nth(out, "over_count", 0), 0);
	assert_int_equal(json_nth(out, "over_count", 1), 0);
	free(out);
	budget(b, sizeof b, max - 1000, "");
	const char *fail[] = { "--json", "-b", b, NULL };
	assert_int_equal(run_check(fail, true, false, &out), 1);
	assert_int_equal(json_nth(out, "over_count", 0), over(&regions, max - 1000));
	assert_int_equal(json_nth(out, "over_count", 1), over(&tasks, max - 1000));
	free(out);
}

static void test_cause_named(void **state)
{
	(void)state;
	uint64_t limit = spike_ns * 3 / 4;
	char b[64], top[16], *out;
	budget(b, sizeof b, limit, "");
	snprintf(top, sizeof top, "%d", REQUESTS);
	const char *args[] = { "-b", b, "--top", top, NULL };
	assert_int_equal(run_check(args, true, false, &out), 1);
	/* The slowed requests at least; on a loaded machine others may wait
	 * that long for a CPU: the raw trace says how many. */
	size_t r_over = over(&regions, limit), t_over = over(&tasks, limit);
	assert_true(r_over >= nspikes && t_over >= nspikes);
	char want[160];
	snprintf(want, sizeof want, "FAIL  region request <= 15.0 ms (max): 100 instances, max ");
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof want, "; %zu over the budget\n", r_over);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof want, "; %zu over the budget\n", t_over);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "FAIL  task request"));
	/* Lock spikes: lock_wait most of the request, on the mutex held by
	 * the maintenance thread in its region; sleep spikes: the nanosleep.
	 * Each of the nspikes/2 per kind, twice (region and task). Other,
	 * shorter waits may be listed too under load. */
	snprintf(want, sizeof want, "held by %d ", maint_tid);
	assert_int_equal(count_lines(out, "      waited ", limit, want, ", in region maintenance"),
			 nspikes);
	assert_int_equal(count_lines(out, "      in nanosleep for ", limit, NULL, NULL), nspikes);
	assert_int_equal(count_lines(out, ", lock_wait ", limit, NULL, NULL), nspikes);
	assert_int_equal(count_lines(out, ", syscall ", limit, NULL, NULL), nspikes);
	assert_non_null(strstr(out, "ctrace check: 2 exceeded, 0 held\n"));
	free(out);
}

static void test_percentiles(void **state)
{
	(void)state;
	/* Nearest rank 50 of 100. */
	uint64_t rp50 = regions.sorted[REQUESTS / 2 - 1], tp50 = tasks.sorted[REQUESTS / 2 - 1];
	char b1[64], b2[64], *out;
	budget(b1, sizeof b1, max_u64(rp50, tp50), "@p50");   /* equal is not above: holds */
	const char *hold[] = { "--json", "-b", b1, NULL };
	assert_int_equal(run_check(hold, true, false, &out), 0);
	assert_int_equal(json_nth(out, "value_ns", 0), rp50);
	assert_int_equal(json_nth(out, "value_ns", 1), tp50);
	free(out);
	budget(b1, sizeof b1, rp50 - 1, "@p50");
	const char *fail[] = { "-b", b1, NULL };
	assert_int_equal(run_check(fail, true, false, &out), 1);
	assert_non_null(strstr(out, "FAIL  region request"));
	free(out);
	/* One budget, two percentiles: the raw p90 itself holds at p90 (not
	 * above) and fails at p99 (4 requests in 100 were slowed by 20 ms). */
	uint64_t p90 = regions.sorted[89], p99 = regions.sorted[98];
	assert_true(p99 > p90);
	snprintf(b1, sizeof b1, "region:request=%lluns@p90", (unsigned long long)p90);
	snprintf(b2, sizeof b2, "region:request=%lluns@p99", (unsigned long long)p90);
	const char *both[] = { "--json", "-b", b1, "-b", b2, NULL };
	assert_int_equal(run_check(both, true, false, &out), 1);
	assert_int_equal(json_nth(out, "value_ns", 0), p90);
	assert_int_equal(json_nth(out, "value_ns", 1), p99);
	assert_non_null(strstr(out, "\"exceeded\": false"));
	assert_non_null(strstr(out, "\"exceeded\": true"));
	assert_null(strstr(out, "\"kind\": \"task\""));
	free(out);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	static const char *const cases[][6] = {
		{ "-b", "request", NULL },            /* no duration */
		{ "-b", "request=5", NULL },          /* no unit */
		{ "-b", "=5ms", NULL },               /* no name */
		{ "-b", "request=5ms@p0", NULL },     /* no such percentile */
		{ "-b", "request=5ms@q9", NULL },
		{ "--frobnicate", "-b", "request=5ms", NULL },
		{ NULL },                             /* no budget */
		{ "-b", "nosuch=5ms", NULL },         /* names nothing in the trace */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out;
		const char *args[8] = { 0 };
		for (size_t k = 0; cases[i][k]; k++)
			args[k] = cases[i][k];
		/* Merged: the only output is stderr's one line (the name that
		 * is absent also gets its status line and summary). */
		int status = run_check(args, true, true, &out);
		assert_int_equal(status, 2);
		if (i < 7)
			assert_int_equal(count_of(out, "\n"), 1);
		assert_non_null(strstr(out, "ctrace check: "));
		free(out);
	}
	char *out;
	const char *missing_dir[] = { "-b", "request=5ms", "/nonexistent/trace", NULL };
	assert_int_equal(run_check(missing_dir, false, true, &out), 2);
	assert_int_equal(count_of(out, "\n"), 1);
	free(out);
	const char *allowed[] = { "-b", "nosuch=5ms", "--allow-missing", NULL };
	assert_int_equal(run_check(allowed, true, false, &out), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_either_side),
		cmocka_unit_test(test_cause_named),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, record_once, cleanup);
}
