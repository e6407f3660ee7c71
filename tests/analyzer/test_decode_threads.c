/*
 * Decoding a trace in two threads gives the model one thread gives
 * (analyzer/model_load_parallel.c). On recordings with several stream
 * files (samples/request_loop: tasks, locks, logs, stacks; progs/event_flood
 * on 4 threads: many events, so equal timestamps across streams happen):
 * - the parts' merged events come in exactly the order of one read (type,
 *   time, process, thread, CPU and strings of every event and gap);
 * - model_load with CTRACE_DECODE_THREADS=2 really reads in 2 parts, with
 *   =1 in one, and the two models agree (counts, interned strings, stacks
 *   and labels byte for byte);
 * - `ctrace analyze --no-cache` prints byte-identical JSON and text
 *   reports either way;
 * - so do gaps (a recording with --discard and small buffers);
 * - a damaged copy (a stream file cut short) falls back to the one-thread
 *   read with salvage and reports the same damage either way.
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

#include "analyze_test.h"
#include "model_load_internal.h"

static struct support_recording rec_loop, rec_flood, rec_lossy;

static int setup(void **state)
{
	(void)state;
	char *loop[] = { SUPPORT_SAMPLE("request_loop"), "-n", "60", "-s", "20", "-d", "5", NULL };
	char *flood[] = { ANALYZE_TEST_PROG("event_flood"), "-n", "40000", "-t", "4", NULL };
	/* Small buffers that drop events: gaps in the order too. */
	char *lossy_opts[] = { "--discard", "--buffer-size", "64K", NULL };
	char *lossy[] = { ANALYZE_TEST_PROG("event_flood"), "-n", "100000", "-t", "2", NULL };
	if (support_recording_make(&rec_loop, NULL, loop, SUPPORT_TIMEOUT_S) != 0 ||
	    rec_loop.run.status != 0 ||
	    support_recording_make(&rec_flood, NULL, flood, SUPPORT_TIMEOUT_S) != 0 ||
	    rec_flood.run.status != 0 ||
	    support_recording_make(&rec_lossy, lossy_opts, lossy, SUPPORT_TIMEOUT_S) != 0 ||
	    rec_lossy.run.status != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	support_recording_free(&rec_loop);
	support_recording_free(&rec_flood);
	support_recording_free(&rec_lossy);
	return 0;
}

static void load_with(const char *dir, const char *threads, struct model *m,
		      struct model_load_info *info)
{
	struct analyzer_error err = { "" };
	assert_int_equal(setenv("CTRACE_DECODE_THREADS", threads, 1), 0);
	if (model_load(dir, m, info, NULL, NULL, &err) != 0)
		fail_msg("model_load %s: %s", dir, err.msg);
}

/* `ctrace analyze --no-cache [--json] dir` with CTRACE_DECODE_THREADS. */
static char *analyze_with(const char *dir, const char *threads, bool json)
{
	assert_int_equal(setenv("CTRACE_DECODE_THREADS", threads, 1), 0);
	char *argv[] = { CTRACE_TEST_CTRACE, "analyze", "--no-cache", json ? "--json" : (char *)dir,
			 json ? (char *)dir : NULL, NULL };
	struct support_run r;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &r), 0);
	assert_int_equal(r.status, 0);
	char *out = r.out;
	r.out = NULL;
	support_run_free(&r);
	return out;
}

/* What identifies an event in the order check. */
struct seq_ev {
	uint64_t ts, extra;
	int32_t pid, tid, cpu;
	uint32_t type;
};

struct seq {
	struct seq_ev *v;
	size_t n, cap;
	struct model_decoder dec;
};

static uint64_t hash_str(uint64_t h, const char *s)
{
	while (s && *s)
		h = (h ^ (uint8_t)*s++) * 1099511628211u;
	return h;
}

static int seq_push(struct seq *q, const struct model_event *me)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 65536;
		q->v = realloc(q->v, q->cap * sizeof *q->v);
		assert_non_null(q->v);
	}
	uint64_t extra = 14695981039346656037u;
	switch (me->type) {
	case MEV_REGION_BEGIN: extra = hash_str(extra, me->u.region_begin.name); break;
	case MEV_REGION_END: extra = hash_str(extra, me->u.region_end.name); break;
	case MEV_LOG: extra = hash_str(hash_str(extra, me->u.log.category), me->u.log.message); break;
	case MEV_LABEL_PUSH: extra = hash_str(hash_str(extra, me->u.label_push.key), me->u.label_push.value); break;
	case MEV_GAP: extra = (uint64_t)me->u.gap.count ^ me->u.gap.begin_ns; break;
	default: break;
	}
	for (uint32_t i = 0; i < me->nframes; i++)
		extra = (extra ^ me->frames[i]) * 1099511628211u;
	q->v[q->n++] = (struct seq_ev){ .ts = me->type == MEV_GAP ? 0 : me->ts, .extra = extra,
					.pid = me->pid, .tid = me->tid, .cpu = me->cpu,
					.type = me->type };
	return 0;
}

static int seq_sink_event(void *user, const struct model_event *me)
{
	return seq_push(user, me);
}

static int seq_sink_gap(void *user, int64_t count, uint64_t begin_ns, uint64_t end_ns)
{
	(void)end_ns;
	struct model_event me = { .type = MEV_GAP, .cpu = -1 };
	me.u.gap.count = count;
	me.u.gap.begin_ns = begin_ns;
	return seq_push(user, &me);
}

static int seq_read_event(const struct analyzer_event *ev, void *user)
{
	struct seq *q = user;
	struct model_event me;
	assert_int_equal(model_decode(&q->dec, ev, &me), 0);
	return seq_push(q, &me);
}

static int seq_read_gap(const struct analyzer_gap *gap, void *user)
{
	return seq_sink_gap(user, gap->count, gap->begin_ns, gap->end_ns);
}

/* The merged order of 2 parts is the order of one read; returns the
 * number of gaps. */
static size_t same_order(const char *dir)
{
	struct seq one = { 0 }, two = { 0 };
	struct analyzer_error err = { "" };
	struct analyzer_read_stats st1, st2 = { 0 };
	model_decoder_init(&one.dec);
	struct analyzer_read_options opt = { .event = seq_read_event, .gap = seq_read_gap, .user = &one };
	assert_int_equal(analyzer_read_trace_opts(dir, &opt, &st1, &err), 0);
	model_decoder_free(&one.dec);
	struct load_sink sink = { seq_sink_event, seq_sink_gap, &two };
	bool refeed;
	unsigned parts;
	assert_int_equal(load_parallel(dir, 2, &sink, &st2, &refeed, &parts), 0);
	assert_int_equal(parts, 2);
	assert_int_equal(st1.events, st2.events);
	assert_int_equal(one.n, two.n);
	size_t ties = 0, gaps = 0;
	for (size_t i = 0; i < one.n; i++) {
		const struct seq_ev *a = &one.v[i], *b = &two.v[i];
		gaps += a->type == MEV_GAP;
		if (i && a->ts && a->ts == one.v[i - 1].ts)
			ties++;
		if (memcmp(a, b, sizeof *a) != 0)
			fail_msg("%s: event %zu of %zu differs: one read type %u ts %llu tid %d, "
				 "2 parts type %u ts %llu tid %d", dir, i, one.n, a->type,
				 (unsigned long long)a->ts, a->tid, b->type, (unsigned long long)b->ts, b->tid);
	}
	fprintf(stderr, "%s: %zu events and gaps in the same order (%zu gaps), %zu events at the "
		"previous one's time\n", dir, one.n, gaps, ties);
	free(one.v);
	free(two.v);
	return gaps;
}

static void same_reports(const char *dir)
{
	for (int json = 0; json < 2; json++) {
		char *one = analyze_with(dir, "1", json);
		char *two = analyze_with(dir, "2", json);
		if (strcmp(one, two) != 0) {
			size_t i = 0;
			while (one[i] && one[i] == two[i])
				i++;
			fail_msg("%s report of %s differs at byte %zu: 1 thread '%.80s', 2 threads '%.80s'",
				 json ? "JSON" : "text", dir, i, one + i, two + i);
		}
		free(one);
		free(two);
	}
}

static void same_models(const char *dir)
{
	struct model m1, m2;
	struct model_load_info i1, i2;
	load_with(dir, "2", &m2, &i2);
	load_with(dir, "1", &m1, &i1);
	assert_int_equal(i2.decode_threads, 2);
	assert_int_equal(i1.decode_threads, 1);
	assert_false(i1.damaged);
	assert_false(i2.damaged);
	assert_true(m1.events > 500);
	assert_int_equal(i1.stats.events, i2.stats.events);
	assert_int_equal(i1.stats.discarded_events, i2.stats.discarded_events);
	assert_int_equal(i1.stats.trace_dirs, i2.stats.trace_dirs);
	assert_int_equal(m1.events, m2.events);
	assert_int_equal(m1.ctrace_events, m2.ctrace_events);
	assert_int_equal(m1.sched_events, m2.sched_events);
	assert_int_equal(m1.start_ns, m2.start_ns);
	assert_int_equal(m1.end_ns, m2.end_ns);
	assert_int_equal(m1.other_events, m2.other_events);
	assert_int_equal(m1.gaps, m2.gaps);
	assert_memory_equal(m1.warnings, m2.warnings, sizeof m1.warnings);
	/* Record arrays by count (their padding is not comparable), arrays of
	 * plain values byte for byte: strings, stacks and labels are interned
	 * in the order first seen, so these also check the events' order. */
#define SAME_COUNT(name) assert_int_equal(m1.n_##name, m2.n_##name);
	SAME_COUNT(processes) SAME_COUNT(threads) SAME_COUNT(name_changes) SAME_COUNT(cpus)
	SAME_COUNT(regions) SAME_COUNT(tasks) SAME_COUNT(attaches) SAME_COUNT(label_changes)
	SAME_COUNT(logs) SAME_COUNT(locks) SAME_COUNT(waits) SAME_COUNT(syscalls)
	SAME_COUNT(samples) SAME_COUNT(alloc_samples) SAME_COUNT(bursts) SAME_COUNT(mmaps)
	SAME_COUNT(modules) SAME_COUNT(stacks) SAME_COUNT(labelsets)
#undef SAME_COUNT
#define SAME_BYTES(name)                                                      \
	assert_int_equal(m1.n_##name, m2.n_##name);                           \
	if (m1.n_##name)                                                      \
		assert_memory_equal(m1.name, m2.name, m1.n_##name * sizeof *m1.name);
	SAME_BYTES(str_data) SAME_BYTES(str_off) SAME_BYTES(frames) SAME_BYTES(label_kv)
	SAME_BYTES(blob)
#undef SAME_BYTES
	model_free(&m1);
	model_free(&m2);
}

static void test_request_loop(void **state)
{
	(void)state;
	same_order(rec_loop.trace_dir);
	same_models(rec_loop.trace_dir);
	same_reports(rec_loop.trace_dir);
}

static void test_event_flood(void **state)
{
	(void)state;
	same_order(rec_flood.trace_dir);
	same_models(rec_flood.trace_dir);
	same_reports(rec_flood.trace_dir);
}

static void test_lossy(void **state)
{
	(void)state;
	assert_true(same_order(rec_lossy.trace_dir) > 0);
	same_models(rec_lossy.trace_dir);
	same_reports(rec_lossy.trace_dir);
}

static void test_damaged(void **state)
{
	(void)state;
	char copy[4200], stream[4400];
	snprintf(copy, sizeof copy, "%s/damaged", rec_loop.tmpdir);
	char *cp[] = { "/bin/cp", "-r", rec_loop.trace_dir, copy, NULL };
	struct support_run r;
	assert_int_equal(support_run(cp, SUPPORT_TIMEOUT_S, &r), 0);
	assert_int_equal(r.status, 0);
	support_run_free(&r);
	snprintf(stream, sizeof stream, "%s/ust/uid/0/64-bit/ctrace_0", copy);
	struct stat st;
	if (stat(stream, &st) != 0 || st.st_size < 8192) {
		snprintf(stream, sizeof stream, "%s/ust/uid/0/64-bit/ctrace_1", copy);
		assert_int_equal(stat(stream, &st), 0);
	}
	assert_int_equal(truncate(stream, st.st_size / 2 + 7), 0);
	struct model m;
	struct model_load_info info;
	load_with(copy, "2", &m, &info);
	assert_true(info.damaged);
	assert_int_equal(info.decode_threads, 1);
	model_free(&m);
	same_reports(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_loop),
		cmocka_unit_test(test_event_flood),
		cmocka_unit_test(test_lossy),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
