/*
 * `ctrace pprof` totals against the model they come from:
 *   request_loop: `-tagfocus=region=R` selects exactly the CPU-sample time
 *     the model has inside R (innermost), for every region name; the
 *     --region and --label filters give the same totals as go's tag
 *     filters; the syscall and lock profiles total the model's syscall
 *     and lock-wait time;
 *   contention: the lock profile totals the model's lock-wait time; the
 *     mutex profile (sampled unlock stacks, scaled) is exactly the scaled
 *     sum of the sampled waits, and within 4 standard errors of that
 *     sampling (+5%) of the program's own measured wait;
 *   alloc_burst (sampled every 64 KiB): the scaled alloc_space total is
 *     within 25% of the bytes the counters say were allocated.
 * Every profile written survives go's -raw and -proto.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pprof_export_test.h"
#include "ctrace_schema.h"
#include "pprof_test.h"

/* Writes TYPE's profile of rec into rec->tmpdir/NAME.pb.gz (path in file)
 * with the extra filter arguments; returns ctrace's exit status. */
static int write_profile(const struct support_recording *rec, const char *type, const char *name,
			 const char *const extra[], char *file, size_t size)
{
	snprintf(file, size, "%s/%s.pb.gz", rec->tmpdir, name);
	const char *args[20] = { "--type", type, "-o", file };
	size_t n = 4;
	for (size_t i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n++] = rec->trace_dir;
	args[n] = NULL;
	return pet_ctrace_pprof(args);
}

static double cpu_in_region(const struct model *m, const char *region)
{
	double ns = 0;
	for (size_t i = 0; i < m->n_samples; i++) {
		const struct model_sample *s = &m->samples[i];
		if (s->region == MODEL_NONE || strcmp(model_str(m, m->regions[s->region].name), region))
			continue;
		const struct model_process *p = &m->processes[m->threads[s->thread].process];
		ns += (double)p->settings.sample_period_ns;
	}
	return ns;
}

static void request_loop(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct model m;
	pet_model_load(rec.trace_dir, &m);

	char cpu[4200], f[4200];
	assert_int_equal(write_profile(&rec, "cpu", "cpu", NULL, cpu, sizeof cpu), 0);
	/* Every region name, once. */
	for (size_t r = 0; r < m.n_regions; r++) {
		const char *name = model_str(&m, m.regions[r].name);
		bool seen = false;
		for (size_t q = 0; q < r && !seen; q++)
			seen = m.regions[q].name == m.regions[r].name;
		double want = cpu_in_region(&m, name);
		if (seen || want == 0)
			continue;
		char focus[300];
		snprintf(focus, sizeof focus, "-tagfocus=region=%s", name);
		const char *extra[] = { focus, NULL };
		double got = pet_go_total(rec.tmpdir, cpu, extra, NULL);
		assert_true(support_near(focus, got, want, 0.05, 0));
	}
	/* --region parse keeps what -tagfocus=region=parse shows (parse has
	 * no nested region), --label what -tagfocus=route=... does. */
	const char *by_region[] = { "--region", "parse", NULL };
	if (write_profile(&rec, "cpu", "cpu-parse", by_region, f, sizeof f) == 0) {
		const char *focus[] = { "-tagfocus=region=parse", NULL };
		assert_true(support_near("--region parse", pet_go_total(rec.tmpdir, f, NULL, NULL),
					 pet_go_total(rec.tmpdir, cpu, focus, NULL), 0, 0.5));
	}
	const char *by_label[] = { "--label", "route=/items", NULL };
	assert_int_equal(write_profile(&rec, "cpu", "cpu-items", by_label, f, sizeof f), 0);
	const char *items[] = { "-tagfocus=route=/items", NULL };
	assert_true(support_near("--label route=/items", pet_go_total(rec.tmpdir, f, NULL, NULL),
				 pet_go_total(rec.tmpdir, cpu, items, NULL), 0, 0.5));
	pet_round_trip(rec.tmpdir, cpu);

	assert_int_equal(write_profile(&rec, "syscall", "syscall", NULL, f, sizeof f), 0);
	assert_true(support_near("syscall delay", pet_go_total(rec.tmpdir, f, NULL, NULL),
				 (double)pet_state_ns(&m, MODEL_SYSCALL), 0.001, 0));
	pet_round_trip(rec.tmpdir, f);
	assert_int_equal(write_profile(&rec, "lock", "lock", NULL, f, sizeof f), 0);
	assert_true(support_near("lock delay", pet_go_total(rec.tmpdir, f, NULL, NULL),
				 (double)pet_state_ns(&m, MODEL_LOCK_WAIT), 0.001, 0));
	pet_round_trip(rec.tmpdir, f);
	assert_int_equal(write_profile(&rec, "sched", "sched", NULL, f, sizeof f), 0);
	assert_true(support_near("runnable delay", pet_go_total(rec.tmpdir, f, NULL, NULL),
				 (double)pet_state_ns(&m, MODEL_RUNNABLE), 0.001, 0));
	pet_round_trip(rec.tmpdir, f);
	model_free(&m);
	support_recording_free(&rec);
}

/* The waits the mutex profile estimates from (ended by an unlock the
 * tracer saw): how many, how many kept the unlock's stack, their total and
 * the standard error of the scaled estimate (sampling n of N waits without
 * replacement: N * sqrt((1 - n/N) * variance / n)). Under load the waits
 * vary more, so the estimate's error grows, and the check with it. */
struct sampled_waits {
	double ended, sampled, total_ns, sampled_ns, stderr_ns;
};

static struct sampled_waits sampled_waits(const struct model *m)
{
	struct sampled_waits r = { 0 };
	double sq = 0;
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *w = &m->waits[i];
		if (w->release_ts == MODEL_NO_TS || w->kind == CTRACE_LOCK_COND ||
		    w->kind == CTRACE_LOCK_SEM || w->kind == MODEL_WAIT_JOIN)
			continue;
		double d = (double)(w->end - w->begin);
		r.ended++;
		r.total_ns += d;
		sq += d * d;
		if (w->release_stack != MODEL_NONE) {
			r.sampled++;
			r.sampled_ns += d;
		}
	}
	assert_true(r.sampled > 0);
	double mean = r.total_ns / r.ended, var = sq / r.ended - mean * mean;
	r.stderr_ns = r.ended * sqrt((1 - r.sampled / r.ended) * (var > 0 ? var : 0) / r.sampled);
	return r;
}

static void contention(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("contention"), NULL };
	/* 1 unlock stack in 2 (default 16): ~100 of ~200 waits instead of
	 * 3-15, enough for the statistical check below to mean something. */
	assert_int_equal(setenv("CTRACE_RELEASE_STACK_EVERY", "2", 1), 0);
	support_recording_make_ok(&rec, NULL, argv);
	assert_int_equal(unsetenv("CTRACE_RELEASE_STACK_EVERY"), 0);
	uint64_t wait_ns;
	assert_true(support_truth_u64(rec.run.out, "lock_wait_ns", 0, &wait_ns));
	struct model m;
	pet_model_load(rec.trace_dir, &m);
	char f[4200];
	assert_int_equal(write_profile(&rec, "lock", "lock", NULL, f, sizeof f), 0);
	assert_true(support_near("lock delay", pet_go_total(rec.tmpdir, f, NULL, NULL),
				 (double)pet_state_ns(&m, MODEL_LOCK_WAIT), 0.001, 0));
	pet_round_trip(rec.tmpdir, f);
	assert_int_equal(write_profile(&rec, "mutex", "mutex", NULL, f, sizeof f), 0);
	struct sampled_waits sw = sampled_waits(&m);
	double mutex = pet_go_total(rec.tmpdir, f, NULL, NULL);
	assert_true(support_near("mutex delay vs the sampled waits, scaled", mutex,
				 sw.sampled_ns * sw.ended / sw.sampled, 0.001, 0));
	double tol = 4 * sw.stderr_ns + 0.05 * sw.total_ns;
	fprintf(stderr, "ctrace test: %.0f of %.0f unlock-ended waits sampled, %.1f ms; 4 standard "
		"errors + 5%%: %.1f ms\n", sw.sampled, sw.ended, sw.total_ns / 1e6, tol / 1e6);
	assert_true(support_near("mutex delay (scaled) vs program's wait", mutex, (double)wait_ns,
				 0, tol));
	pet_round_trip(rec.tmpdir, f);
	model_free(&m);
	support_recording_free(&rec);
}

static void alloc_burst(void **state)
{
	(void)state;
	if (!pprof_test_have_go())
		skip();
	struct support_recording rec;
	char *argv[] = { SUPPORT_SAMPLE("alloc_burst"), NULL };
	/* ~400 samples instead of ~50: the scaled total's noise ~5%. */
	char *opts[] = { "--alloc-sample", "64K", NULL };
	support_recording_make_ok(&rec, opts, argv);
	struct model m;
	pet_model_load(rec.trace_dir, &m);
	uint64_t bytes = 0;
	for (size_t t = 0; t < m.n_threads; t++)
		bytes += m.threads[t].alloc_bytes;
	char f[4200];
	assert_int_equal(write_profile(&rec, "alloc", "alloc", NULL, f, sizeof f), 0);
	assert_true(support_near("alloc_space (scaled samples) vs counted bytes",
				 pet_go_total(rec.tmpdir, f, NULL, NULL), (double)bytes, 0.25, 0));
	pet_round_trip(rec.tmpdir, f);
	model_free(&m);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_loop),
		cmocka_unit_test(contention),
		cmocka_unit_test(alloc_burst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
