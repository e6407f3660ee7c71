/*
 * Shared steps of the analyzer's end-to-end tests (analyze_test.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyze_test.h"

#include <stdio.h>
#include <string.h>

#include "model_check.h"

static void check_analysis(struct analyze_test *t)
{
	char msg[512];
	if (analysis_check(&t->a, msg, sizeof msg) != 0)
		fail_msg("analysis invariant broken: %s", msg);
}

void analyze_test_record(struct analyze_test *t, char *const record_opts[], char *const argv[],
			 const struct analysis_options *opt)
{
	memset(t, 0, sizeof *t);
	support_recording_make_ok(&t->rec, record_opts, argv);
	struct analyzer_error err;
	if (model_load(t->rec.trace_dir, &t->m, &t->info, NULL, NULL, &err) != 0)
		fail_msg("loading %s: %s", t->rec.trace_dir, err.msg);
	t->loaded = true;
	fprintf(stderr, "ctrace test: model of %llu events: %zu threads, %zu regions, %zu tasks, "
		"%zu waits, %zu syscalls, %zu samples; %lld discarded%s\n",
		(unsigned long long)t->m.events, t->m.n_threads, t->m.n_regions, t->m.n_tasks,
		t->m.n_waits, t->m.n_syscalls, t->m.n_samples, (long long)t->m.discarded_events,
		t->info.damaged ? " (damaged)" : "");
	assert_false(t->info.damaged);
	assert_int_equal(t->m.discarded_events, 0);
	char msg[512];
	if (model_check(&t->m, msg, sizeof msg) != 0)
		fail_msg("model invariant broken: %s", msg);
	struct analysis_options def = analysis_default_options();
	assert_int_equal(analysis_run(&t->m, opt ? opt : &def, &t->a), 0);
	t->analyzed = true;
	check_analysis(t);
}

void analyze_test_reanalyze(struct analyze_test *t, const struct analysis_options *opt)
{
	analysis_free(&t->a);
	assert_int_equal(analysis_run(&t->m, opt, &t->a), 0);
	check_analysis(t);
}

void analyze_test_free(struct analyze_test *t)
{
	if (t->analyzed)
		analysis_free(&t->a);
	if (t->loaded)
		model_free(&t->m);
	support_recording_free(&t->rec);
	memset(t, 0, sizeof *t);
}

uint32_t analyze_test_thread(const struct model *m, int32_t tid)
{
	for (size_t i = m->n_threads; i-- > 0;)
		if (m->threads[i].tid == tid)
			return (uint32_t)i;
	fail_msg("no thread %d in the model", tid);
	return MODEL_NONE;
}

const struct analysis_name_stats *analyze_test_region(const struct analysis *a, const char *name)
{
	for (size_t i = 0; i < a->n_region_stats; i++)
		if (!strcmp(model_str(a->m, a->region_stats[i].name), name))
			return &a->region_stats[i];
	return NULL;
}

uint64_t analyze_test_truth(const struct analyze_test *t, const char *key, unsigned nth)
{
	uint64_t v = 0;
	if (!support_truth_u64(t->rec.run.out, key, nth, &v))
		fail_msg("no truth line %u with %s", nth, key);
	return v;
}

double analyze_test_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}
