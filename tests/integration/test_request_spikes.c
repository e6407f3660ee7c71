/*
 * Annotated regions show the injected latency spikes of a request loop,
 * and the trace shows what each spike waited for.
 *
 * Records samples/request_loop once (200 requests of ~1.1 ms, every 50th
 * 20 ms slower, alternately sleeping and waiting on a lock the maintenance
 * thread holds) and checks:
 * - regions: one `request` region per request on the main thread, and the
 *   slow ones (longer than the median by SLOW_FRACTION of the spike) are
 *   the requests the program says it slowed down, plus on a busy machine
 *   those its own clock also saw slow; each task, label and spike log is
 *   there;
 * - causes: inside each lock spike's request, a mutex lock_wait of the
 *   main thread lasting at least SLOW_FRACTION of the spike whose holder
 *   is the maintenance thread; inside each sleep spike's request, a sleep
 *   syscall of at least SLOW_FRACTION of the spike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrace_schema.h"
#include "support.h"

#define REQUESTS 200
#define SLOW_FRACTION 0.75
#define MAX_WAITS 256

struct span {
	uint64_t begin, end;
	int32_t holder;   /* lock waits: holder_tid */
};

struct request_facts {
	int32_t pid;
	struct support_threads threads;
	struct span req[REQUESTS];
	size_t nbegin, nend;
	uint64_t tasks_begun, tasks_ended, labels, spike_logs, mismatches;
	struct span lock_waits[MAX_WAITS], sleeps[MAX_WAITS];
	size_t nlock_waits, nsleeps;
};

static struct request_facts f;
static struct support_recording rec;
static uint64_t spike_ns;

static bool is_sleep_call(uint64_t sys)
{
	return sys == CTRACE_SYS_NANOSLEEP || sys == CTRACE_SYS_CLOCK_NANOSLEEP ||
	       sys == CTRACE_SYS_USLEEP || sys == CTRACE_SYS_SLEEP;
}

static void note_wait(struct span *v, size_t *n, uint64_t begin, uint64_t end, int32_t holder)
{
	if (*n < MAX_WAITS)
		v[(*n)++] = (struct span){ begin, end, holder };
}

static int request_event(const struct analyzer_event *ev, void *user)
{
	struct request_facts *r = user;
	if (ev->vpid != r->pid)
		return 0;
	support_threads_note(&r->threads, ev);
	if (strncmp(ev->name, "ctrace:", 7) || ev->vtid != r->pid)
		return 0;
	const char *what = ev->name + 7;
	const char *name = analyzer_event_string(ev, "name");
	uint64_t v, begin;
	if (!strcmp(what, "region_begin") && name && !strcmp(name, "request")) {
		if (r->nbegin < REQUESTS)
			r->req[r->nbegin].begin = ev->ts_ns;
		r->nbegin++;
	} else if (!strcmp(what, "region_end") && name && !strcmp(name, "request")) {
		assert_true(analyzer_event_uint(ev, "duration_ns", &v));
		if (r->nend < REQUESTS)
			r->req[r->nend].end = r->req[r->nend].begin + v;
		r->nend++;
	} else if (!strcmp(what, "region_end")) {
		assert_true(analyzer_event_uint(ev, "mismatch", &v));
		r->mismatches += v != 0;
	} else if (!strcmp(what, "task_begin")) {
		r->tasks_begun++;
	} else if (!strcmp(what, "task_end")) {
		r->tasks_ended++;
	} else if (!strcmp(what, "label_push")) {
		const char *key = analyzer_event_string(ev, "key");
		r->labels += key && !strcmp(key, "route");
	} else if (!strcmp(what, "log")) {
		const char *cat = analyzer_event_string(ev, "category");
		r->spike_logs += cat && !strcmp(cat, "spike");
	} else if (!strcmp(what, "lock_wait")) {
		int64_t holder;
		assert_true(analyzer_event_uint(ev, "kind", &v));
		assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
		assert_true(analyzer_event_int(ev, "holder_tid", &holder));
		if (v == CTRACE_LOCK_MUTEX)
			note_wait(r->lock_waits, &r->nlock_waits, begin, ev->ts_ns, (int32_t)holder);
	} else if (!strcmp(what, "syscall")) {
		assert_true(analyzer_event_uint(ev, "sys", &v));
		assert_true(analyzer_event_uint(ev, "begin_ts", &begin));
		if (is_sleep_call(v))
			note_wait(r->sleeps, &r->nsleeps, begin, ev->ts_ns, 0);
	}
	return 0;
}

/* Index of the spike entry for request i in "49:sleep,99:lock,...", and its
 * kind; false when i is not a spike. */
static bool spike_of(const char *spikes, uint64_t i, char *kind, size_t size)
{
	for (const char *p = spikes; *p;) {
		char *end;
		unsigned long long idx = strtoull(p, &end, 10);
		assert_true(*end == ':');
		const char *k = end + 1;
		size_t len = strcspn(k, ",");
		if (idx == i) {
			snprintf(kind, size, "%.*s", (int)len, k);
			return true;
		}
		p = k + len + (k[len] == ',');
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static char spikes[1024];
static char program_slow[4096];   /* requests slow by the program's own clock */
static uint64_t nspikes;

/* Whether i is in a comma-separated list of indices. */
static bool listed(const char *list, uint64_t i)
{
	for (const char *p = list; *p;) {
		char *end;
		unsigned long long idx = strtoull(p, &end, 10);
		if (end == p)
			return false;
		if (idx == i)
			return true;
		p = end + (*end == ',');
	}
	return false;
}

static int record_once(void **state)
{
	(void)state;
	char n[16];
	snprintf(n, sizeof n, "%d", REQUESTS);
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), "-n", n, "-s", "50", "-d", "20", NULL };
	if (support_recording_make(&rec, NULL, argv, SUPPORT_TIMEOUT_S) != 0 || rec.run.status != 0)
		return -1;
	fputs(rec.run.out, stderr);
	uint64_t pid;
	if (!support_truth_u64(rec.run.out, "pid", 0, &pid) ||
	    !support_truth_u64(rec.run.out, "spike_ns", 0, &spike_ns) ||
	    !support_truth_u64(rec.run.out, "nspikes", 0, &nspikes) ||
	    !support_truth_str(rec.run.out, "spikes", 0, spikes, sizeof spikes) ||
	    !support_truth_str(rec.run.out, "slow", 0, program_slow, sizeof program_slow))
		return -1;
	f.pid = (int32_t)pid;
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	support_threads_free(&f.threads);
	support_recording_free(&rec);
	return 0;
}

static void read_once(void)
{
	static bool done;
	if (!done)
		support_read_trace(rec.trace_dir, request_event, &f, NULL);
	done = true;
}

static void test_request_regions(void **state)
{
	(void)state;
	read_once();
	fprintf(stderr, "ctrace test: %zu request regions begun, %zu ended; %llu tasks, "
		"%llu route labels, %llu spike logs\n", f.nbegin, f.nend,
		(unsigned long long)f.tasks_begun, (unsigned long long)f.labels,
		(unsigned long long)f.spike_logs);
	assert_int_equal(f.nbegin, REQUESTS);
	assert_int_equal(f.nend, REQUESTS);
	assert_int_equal(f.mismatches, 0);
	assert_int_equal(f.tasks_begun, REQUESTS);
	assert_int_equal(f.tasks_ended, REQUESTS);
	assert_int_equal(f.labels, REQUESTS);
	assert_int_equal(f.spike_logs, nspikes);

	uint64_t d[REQUESTS];
	for (size_t i = 0; i < REQUESTS; i++)
		d[i] = f.req[i].end - f.req[i].begin;
	qsort(d, REQUESTS, sizeof d[0], cmp_u64);
	uint64_t slow = d[REQUESTS / 2] + (uint64_t)(SLOW_FRACTION * (double)spike_ns);
	fprintf(stderr, "ctrace test: median request %llu ns, slow above %llu ns\n",
		(unsigned long long)d[REQUESTS / 2], (unsigned long long)slow);
	/* Every injected spike is slow in the trace; beyond them, a busy
	 * machine can make any request wait for a CPU that long, so the
	 * other slow ones must be those the program itself measured as slow
	 * (requests within 1 ms of the threshold may fall either way). */
	uint64_t found = 0, extra = 0;
	for (size_t i = 0; i < REQUESTS; i++) {
		char kind[16];
		uint64_t dur = f.req[i].end - f.req[i].begin;
		bool is_spike = spike_of(spikes, i, kind, sizeof kind);
		bool is_slow = dur >= slow;
		bool borderline = dur + 1000000 > slow && dur < slow + 1000000;
		if (is_spike && !is_slow)
			fail_msg("request %zu: spiked in the program, %llu ns in the trace", i,
				 (unsigned long long)dur);
		if (!is_spike && !borderline && is_slow != listed(program_slow, i))
			fail_msg("request %zu: %s by the program's clock, %llu ns in the trace", i,
				 is_slow ? "not slow" : "slow", (unsigned long long)dur);
		found += is_spike && is_slow;
		extra += !is_spike && is_slow;
	}
	fprintf(stderr, "ctrace test: %llu spikes found where injected, %llu other slow requests "
		"(the program saw slow: %s)\n", (unsigned long long)found, (unsigned long long)extra,
		program_slow);
	assert_int_equal(found, nspikes);
}

/* The longest wait of v inside [begin, end]; its holder in *holder. */
static uint64_t longest_inside(const struct span *v, size_t n, uint64_t begin, uint64_t end,
			       int32_t *holder)
{
	uint64_t best = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].begin >= begin && v[i].end <= end && v[i].end - v[i].begin > best) {
			best = v[i].end - v[i].begin;
			*holder = v[i].holder;
		}
	}
	return best;
}

static void test_spike_causes(void **state)
{
	(void)state;
	read_once();
	assert_int_equal(f.nend, REQUESTS);
	fprintf(stderr, "ctrace test: main thread: %zu mutex waits, %zu sleeps traced\n",
		f.nlock_waits, f.nsleeps);
	for (size_t i = 0; i < REQUESTS; i++) {
		char kind[16];
		if (!spike_of(spikes, i, kind, sizeof kind))
			continue;
		int32_t holder = 0;
		bool lock = !strcmp(kind, "lock");
		uint64_t w = lock ? longest_inside(f.lock_waits, f.nlock_waits, f.req[i].begin, f.req[i].end, &holder)
				  : longest_inside(f.sleeps, f.nsleeps, f.req[i].begin, f.req[i].end, &holder);
		fprintf(stderr, "ctrace test: request %zu (%s): longest %s %llu ns, holder %d\n", i,
			kind, lock ? "mutex wait" : "sleep", (unsigned long long)w, holder);
		if ((double)w < SLOW_FRACTION * (double)spike_ns)
			fail_msg("request %zu: no %s of at least %.0f ns inside it", i,
				 lock ? "mutex wait" : "sleep", SLOW_FRACTION * (double)spike_ns);
		if (lock && (holder == f.pid || !support_threads_known(&f.threads, f.pid, holder)))
			fail_msg("request %zu: holder %d is not the maintenance thread", i, holder);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_regions),
		cmocka_unit_test(test_spike_causes),
	};
	return cmocka_run_group_tests(tests, record_once, cleanup);
}
