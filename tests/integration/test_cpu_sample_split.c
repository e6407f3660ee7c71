/*
 * CPU samples land in the functions that burn the CPU, in the right
 * proportion, with stacks unwound through code without frame pointers.
 *
 * Records samples/cpu_bound (hot_a ~70 %, hot_b ~30 % of its CPU time,
 * -O2, no frame pointers) at SAMPLE_HZ and symbolizes each sample's stack
 * against the executable's symbol table, at the load address the
 * statedump's bin_info reports (the binary is PIE). Checks:
 * - at least MIN_HOT_SAMPLES samples contain hot_a or hot_b, and both
 *   functions appear (so the unwinder reached through them);
 * - at least MIN_MAIN_FRACTION of the main thread's samples are in one
 *   of them (the rest is start-up, calibration and clock reads);
 * - hot_a's share of those samples matches the program's own
 *   CLOCK_THREAD_CPUTIME_ID split within SPLIT_TOL_POINTS percentage points.
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

#include "support.h"
#include "symbolize.h"

#define SAMPLE_HZ "250"
#define MIN_HOT_SAMPLES 50
#define MIN_MAIN_FRACTION 0.90
#define SPLIT_TOL_POINTS 5.0
#define MAX_SAMPLES 4096
#define MAX_FRAMES 64

struct cpu_facts {
	int32_t pid;
	char exe[PATH_MAX];
	uint64_t exe_base;
	bool have_base;
	/* Stacks are kept until the end: the statedump naming the executable's
	 * load address may come after the first samples. */
	uint64_t frames[MAX_SAMPLES][MAX_FRAMES];
	uint16_t nframes[MAX_SAMPLES];
	size_t nsamples;
	uint64_t dropped;
};

static struct cpu_facts f;
static struct support_recording rec;
static struct analyzer_symbolizer *sym;

static int cpu_event(const struct analyzer_event *ev, void *user)
{
	struct cpu_facts *c = user;
	if (ev->vpid != c->pid)
		return 0;
	if (!strcmp(ev->name, "lttng_ust_statedump:bin_info")) {
		const char *path = analyzer_event_string(ev, "path");
		uint64_t base;
		if (path && !strcmp(path, c->exe) && analyzer_event_uint(ev, "baddr", &base)) {
			c->exe_base = base;
			c->have_base = true;
		}
	} else if (!strcmp(ev->name, "ctrace:cpu_sample") && ev->vtid == c->pid) {
		if (c->nsamples == MAX_SAMPLES) {
			c->dropped++;
			return 0;
		}
		ssize_t n = analyzer_event_uint_seq(ev, "stack", c->frames[c->nsamples], MAX_FRAMES);
		assert_true(n >= 0);
		c->nframes[c->nsamples++] = (uint16_t)(n < MAX_FRAMES ? n : MAX_FRAMES);
	}
	return 0;
}

/* Which hot function a stack is in: 'a', 'b' or 0 (innermost wins). */
static char stack_hot(const uint64_t *frames, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		/* Frames after the first are return addresses: look up the call.
		 * The last frame is the function the code belongs to. */
		struct analyzer_location loc;
		analyzer_symbolizer_lookup(sym, f.pid, 0, frames[i], i > 0, &loc);
		const char *fn = loc.status == ANALYZER_SYM_OK ? loc.frames[loc.nframes - 1].function : NULL;
		if (fn && !strcmp(fn, "hot_a"))
			return 'a';
		if (fn && !strcmp(fn, "hot_b"))
			return 'b';
	}
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	analyzer_symbolizer_destroy(sym);
	sym = NULL;
	support_recording_free(&rec);
	return 0;
}

static void test_cpu_split(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("cpu_bound"), "-n", "20", NULL };
	char *opts[] = { "--sample-hz", SAMPLE_HZ, NULL };
	support_recording_make_ok(&rec, opts, argv);
	uint64_t pid;
	double program_a_pct;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	assert_true(support_truth_double(rec.run.out, "a_pct", 0, &program_a_pct));
	f.pid = (int32_t)pid;
	assert_non_null(realpath(argv[0], f.exe));

	support_read_trace(rec.trace_dir, cpu_event, &f, NULL);
	fprintf(stderr, "ctrace test: %zu main-thread samples (%llu over the test's limit)\n",
		f.nsamples, (unsigned long long)f.dropped);
	if (!f.have_base)
		fail_msg("no lttng_ust_statedump:bin_info for %s in pid %d", f.exe, f.pid);

	struct analyzer_error err;
	sym = analyzer_symbolizer_create(&err);
	assert_non_null(sym);
	struct analyzer_module_seen exe = { .pid = f.pid, .path = f.exe, .baddr = f.exe_base };
	if (analyzer_symbolizer_add_module(sym, &exe, &err) != 0)
		fail_msg("%s", err.msg);
	size_t a = 0, b = 0, deepest = 0;
	for (size_t i = 0; i < f.nsamples; i++) {
		char hot = stack_hot(f.frames[i], f.nframes[i]);
		a += hot == 'a';
		b += hot == 'b';
		if (f.nframes[i] > deepest)
			deepest = f.nframes[i];
	}
	fprintf(stderr, "ctrace test: samples in hot_a %zu, hot_b %zu, elsewhere %zu (deepest stack %zu)\n",
		a, b, f.nsamples - a - b, deepest);
	assert_true(a + b >= MIN_HOT_SAMPLES);
	assert_true(a > 0 && b > 0);
	assert_true((double)(a + b) >= MIN_MAIN_FRACTION * (double)f.nsamples);
	assert_true(support_near("hot_a share (percent)", 100.0 * (double)a / (double)(a + b),
				 program_a_pct, 0, SPLIT_TOL_POINTS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cpu_split, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
