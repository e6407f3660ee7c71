/*
 * pprof_export_build on a hand-made model (no recording, no go): the
 * labels of each sample (thread, tid, region innermost, regions nesting,
 * task, user labels), the filters (region at any depth, task, thread by
 * tid or name, label, time window) and the clipping of lock-wait time to
 * the window, read back by decoding the profile with protobuf-c.
 *
 * One thread (tid 100, "worker"): task "job" from 1500; region "outer"
 * 2000..5000 with "inner" 3000..4000 nested; label k=v 2500..5500; CPU
 * samples at 3500 (inner), 4500 (outer), 6000 (none); a lock wait
 * 4200..4400 inside outer. Times in ns; the trace starts at 1000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "model_builder.h"
#include "pprof_builder.h"
#include "pprof_export.h"
#include "profile.pb-c.h"

#define PID 100
#define PERIOD 10000000

static struct model m;

static void feed(struct model_builder *b, struct model_event e)
{
	e.pid = PID;
	e.tid = PID;
	assert_int_equal(model_builder_feed(b, &e), 0);
}

static struct model_event ev(enum model_ev type, uint64_t ts)
{
	return (struct model_event){ .type = type, .ts = ts };
}

static int build_model(void **state)
{
	(void)state;
	struct model_builder_options opt = { .sched = false };
	struct model_builder *b = model_builder_create(&opt);
	assert_non_null(b);
	struct model_event e = ev(MEV_PROCESS_START, 1000);
	e.u.process_start.exe = "/bin/worker";
	e.u.process_start.settings.sample_period_ns = PERIOD;
	feed(b, e);
	e = ev(MEV_THREAD_NAME, 1100);
	e.u.thread_name.tid = PID;
	e.u.thread_name.name = "worker";
	feed(b, e);
	e = ev(MEV_TASK_BEGIN, 1500);
	e.u.task_begin.id = 1;
	e.u.task_begin.name = "job";
	feed(b, e);
	e = ev(MEV_REGION_BEGIN, 2000);
	e.u.region_begin.name = "outer";
	e.u.region_begin.depth = 1;
	feed(b, e);
	e = ev(MEV_LABEL_PUSH, 2500);
	e.u.label_push.key = "k";
	e.u.label_push.value = "v";
	e.u.label_push.depth = 1;
	feed(b, e);
	e = ev(MEV_REGION_BEGIN, 3000);
	e.u.region_begin.name = "inner";
	e.u.region_begin.depth = 2;
	feed(b, e);
	static const uint64_t frames[] = { 0x401000, 0x402000 };
	uint64_t sample_ts[] = { 3500, 4500, 6000 };
	for (int i = 0; i < 3; i++) {
		if (sample_ts[i] == 4500) {
			e = ev(MEV_LOCK_WAIT, 4400);
			e.u.lock_wait.begin_ts = 4200;
			e.u.lock_wait.addr = 0xabc;
			feed(b, e);
		}
		e = ev(MEV_CPU_SAMPLE, sample_ts[i]);
		e.frames = frames;
		e.nframes = 2;
		feed(b, e);
		if (sample_ts[i] == 3500) {
			e = ev(MEV_REGION_END, 4000);
			e.u.region_end.name = "inner";
			e.u.region_end.depth = 2;
			feed(b, e);
		}
		if (sample_ts[i] == 4500) {
			e = ev(MEV_REGION_END, 5000);
			e.u.region_end.name = "outer";
			e.u.region_end.depth = 1;
			feed(b, e);
			e = ev(MEV_LABEL_POP, 5500);
			e.u.label_pop.depth = 1;
			feed(b, e);
		}
	}
	assert_int_equal(model_builder_finish(b, &m), 0);
	model_builder_destroy(b);
	return 0;
}

static int free_model(void **state)
{
	(void)state;
	model_free(&m);
	return 0;
}

/* The profile for type and filter, decoded; NULL when refused (then
 * *status says why). */
static Perftools__Profiles__Profile *export(enum pprof_export_type type,
					     struct pprof_export_filter f, size_t *kept,
					     enum pprof_export_status *status)
{
	struct pprof_export_opts o = { .type = type, .filter = f, .trace_name = "hand-made" };
	struct analyzer_error err;
	struct pprof_builder *b = pprof_export_build(&m, NULL, &o, kept, status, &err);
	if (!b) {
		fprintf(stderr, "refused: %s\n", err.msg);
		return NULL;
	}
	unsigned char *gz;
	size_t len;
	struct pprof_error perr;
	assert_int_equal(pprof_builder_encode(b, &gz, &len, &perr), 0);
	pprof_builder_destroy(b);
	size_t cap = 1 << 20;
	unsigned char *raw = malloc(cap);
	z_stream z = { .next_in = gz, .avail_in = (uInt)len, .next_out = raw, .avail_out = (uInt)cap };
	assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	Perftools__Profiles__Profile *p =
		perftools__profiles__profile__unpack(NULL, z.total_out, raw);
	inflateEnd(&z);
	free(raw);
	free(gz);
	assert_non_null(p);
	return p;
}

static struct pprof_export_filter nofilter(void)
{
	return (struct pprof_export_filter){ .from = MODEL_NO_TS, .to = MODEL_NO_TS };
}

/* Sum of value[vi] over the samples. */
static int64_t total(const Perftools__Profiles__Profile *p, size_t vi)
{
	int64_t sum = 0;
	for (size_t i = 0; i < p->n_sample; i++)
		sum += p->sample[i]->value[vi];
	return sum;
}

/* Some sample has label key=val (a numeric label's val is "#N"). */
static bool has_label(const Perftools__Profiles__Profile *p, const char *key, const char *val)
{
	for (size_t i = 0; i < p->n_sample; i++)
		for (size_t j = 0; j < p->sample[i]->n_label; j++) {
			const Perftools__Profiles__Label *l = p->sample[i]->label[j];
			if (strcmp(p->string_table[l->key], key))
				continue;
			char num[32];
			snprintf(num, sizeof num, "#%lld", (long long)l->num);
			if (!strcmp(l->str ? p->string_table[l->str] : num, val))
				return true;
		}
	return false;
}

static void cpu_labels(void **state)
{
	(void)state;
	size_t kept;
	enum pprof_export_status st;
	Perftools__Profiles__Profile *p = export(PPROF_EXPORT_CPU, nofilter(), &kept, &st);
	assert_non_null(p);
	assert_int_equal(kept, 3);
	assert_int_equal(total(p, 0), 3);
	assert_int_equal(total(p, 1), 3 * PERIOD);
	assert_int_equal(p->period, PERIOD);
	assert_true(has_label(p, "region", "inner"));
	assert_true(has_label(p, "regions", "outer/inner"));
	assert_true(has_label(p, "regions", "outer"));
	assert_true(has_label(p, "task", "job"));
	assert_true(has_label(p, "k", "v"));
	assert_true(has_label(p, "thread", "worker"));
	assert_true(has_label(p, "tid", "#100"));
	assert_true(p->n_comment == 1 && strstr(p->string_table[p->comment[0]], "hand-made"));
	perftools__profiles__profile__free_unpacked(p, NULL);
}

static void filters(void **state)
{
	(void)state;
	struct { struct pprof_export_filter f; size_t kept; } cases[] = {
		{ { .region = "outer", .from = MODEL_NO_TS, .to = MODEL_NO_TS }, 2 },
		{ { .region = "inner", .from = MODEL_NO_TS, .to = MODEL_NO_TS }, 1 },
		{ { .task = "job", .from = MODEL_NO_TS, .to = MODEL_NO_TS }, 3 },
		{ { .thread = "100", .from = MODEL_NO_TS, .to = MODEL_NO_TS }, 3 },
		{ { .thread = "worker", .label_key = "k", .label_value = "v",
		    .from = MODEL_NO_TS, .to = MODEL_NO_TS }, 2 },
		{ { .from = 3000, .to = MODEL_NO_TS }, 2 },        /* 4500, 6000 */
		{ { .from = MODEL_NO_TS, .to = 3000 }, 1 },        /* 3500 */
		{ { .region = "outer", .label_key = "k", .label_value = "v", .from = 3000,
		    .to = MODEL_NO_TS }, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t kept;
		enum pprof_export_status st;
		Perftools__Profiles__Profile *p = export(PPROF_EXPORT_CPU, cases[i].f, &kept, &st);
		assert_non_null(p);
		fprintf(stderr, "case %zu: %zu samples\n", i, kept);
		assert_int_equal(kept, cases[i].kept);
		assert_int_equal(total(p, 0), (int64_t)cases[i].kept);
		perftools__profiles__profile__free_unpacked(p, NULL);
	}
}

static void refusals(void **state)
{
	(void)state;
	size_t kept;
	enum pprof_export_status st;
	struct pprof_export_filter f = nofilter();
	f.region = "nowhere";
	assert_null(export(PPROF_EXPORT_CPU, f, &kept, &st));
	assert_int_equal(st, PPROF_EXPORT_BAD_FILTER);
	f = nofilter();
	f.from = 1000000;   /* the trace lasts 5 us */
	assert_null(export(PPROF_EXPORT_CPU, f, &kept, &st));
	assert_int_equal(st, PPROF_EXPORT_BAD_FILTER);
	f = nofilter();
	f.from = 200;
	f.to = 300;
	assert_null(export(PPROF_EXPORT_CPU, f, &kept, &st));
	assert_int_equal(st, PPROF_EXPORT_EMPTY);
	assert_null(export(PPROF_EXPORT_ALLOC, nofilter(), &kept, &st));
	assert_int_equal(st, PPROF_EXPORT_NO_DATA);
	assert_null(export(PPROF_EXPORT_SCHED, nofilter(), &kept, &st));
	assert_int_equal(st, PPROF_EXPORT_NO_DATA);
}

static void lock_window(void **state)
{
	(void)state;
	size_t kept;
	enum pprof_export_status st;
	Perftools__Profiles__Profile *p = export(PPROF_EXPORT_LOCK, nofilter(), &kept, &st);
	assert_non_null(p);
	assert_int_equal(total(p, 0), 1);
	assert_int_equal(total(p, 1), 200);
	assert_true(has_label(p, "region", "outer"));
	assert_true(has_label(p, "k", "v"));
	perftools__profiles__profile__free_unpacked(p, NULL);
	struct pprof_export_filter f = nofilter();
	f.from = 4300 - 1000;  /* half the wait */
	p = export(PPROF_EXPORT_LOCK, f, &kept, &st);
	assert_non_null(p);
	assert_int_equal(total(p, 1), 100);
	perftools__profiles__profile__free_unpacked(p, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpu_labels),
		cmocka_unit_test(filters),
		cmocka_unit_test(refusals),
		cmocka_unit_test(lock_window),
	};
	return cmocka_run_group_tests(tests, build_model, free_model);
}
