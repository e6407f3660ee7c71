/*
 * Symbolizing a real recording in two passes, as the analyzer does.
 *
 * Records sym_prog (see sym_prog.c: an always-inlined function inside
 * outer_hot, a shared library's lib_spin, run in the original process, an
 * exec'd fork child and a plain fork child) at SAMPLE_HZ, built as a PIE
 * and as a non-PIE executable (fixed addresses), feeds every event
 * to analyzer_symbolizer_note_event, then symbolizes each CPU sample's
 * stack. Per process it checks:
 * - at least MIN_INLINED samples are in inl_mix, shown as two frames
 *   (inl_mix, then outer_hot) with lines inside each function's source
 *   lines and inl_mix's declaration line as start line;
 * - at least MIN_LIB samples are in lib_spin, in sym_lib.c, in libsymlib.so
 *   (MIN_LIB_ALL over the three processes);
 * - the return addresses of those stacks reach main, inside main's lines;
 * - the executable's file offsets are the addresses minus its load address
 *   (PIE) or the addresses themselves (non-PIE);
 * - no sample's pc is outside every module (the exec'd child's statedump
 *   comes before its first event, the fork child has the parent's maps).
 * Line ranges come from the sym: markers in the sources. It also prints
 * how long the lookups took, cold and warm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support.h"
#include "symbolize.h"

#define SAMPLE_HZ "250"
#define BURN_MS "400"
#define MIN_INLINED 10
/* lib_spin's share of a process's samples swung from 35% to 3% under two
 * busy loops (the sampling tick locks onto the hot loop's phase), so each
 * process must only show some; together they must show MIN_LIB_ALL. */
#define MIN_LIB 1
#define MIN_LIB_ALL 8
#define MIN_MAIN_FRACTION 0.8
#define MAX_FRAMES 64

struct lines {
	int begin, end; /* marker lines: the function is strictly between */
};

struct sample {
	int32_t pid;
	uint64_t ts;
	uint32_t first, n; /* into frames */
};

struct recorded {
	struct analyzer_symbolizer *sym;
	struct sample *samples;
	size_t nsamples, cap_samples;
	uint64_t *frames;
	size_t nframes, cap_frames;
};

static struct recorded r;
static struct support_recording rec;

static struct lines marker_lines(const char *file, const char *name)
{
	char path[4096], begin[128], end[128], line[512];
	snprintf(path, sizeof path, "%s/%s", SYM_SRC_DIR, file);
	snprintf(begin, sizeof begin, "sym:%s:begin", name);
	snprintf(end, sizeof end, "sym:%s:end", name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct lines l = { 0, 0 };
	for (int n = 1; fgets(line, sizeof line, f); n++) {
		if (strstr(line, begin))
			l.begin = n;
		if (strstr(line, end))
			l.end = n;
	}
	fclose(f);
	assert_true(l.begin > 0 && l.end > l.begin);
	return l;
}

static bool in(const struct lines *l, uint32_t line)
{
	return (int)line > l->begin && (int)line < l->end;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = s ? strlen(s) : 0, b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static int on_event(const struct analyzer_event *ev, void *user)
{
	struct recorded *rr = user;
	struct analyzer_error err;
	if (analyzer_symbolizer_note_event(rr->sym, ev, &err) != 0)
		fail_msg("%s", err.msg);
	if (strcmp(ev->name, "ctrace:cpu_sample") != 0)
		return 0;
	if (rr->nframes + MAX_FRAMES > rr->cap_frames) {
		rr->cap_frames = rr->cap_frames ? 2 * rr->cap_frames : 65536;
		rr->frames = realloc(rr->frames, rr->cap_frames * sizeof *rr->frames);
		assert_non_null(rr->frames);
	}
	if (rr->nsamples == rr->cap_samples) {
		rr->cap_samples = rr->cap_samples ? 2 * rr->cap_samples : 1024;
		rr->samples = realloc(rr->samples, rr->cap_samples * sizeof *rr->samples);
		assert_non_null(rr->samples);
	}
	ssize_t n = analyzer_event_uint_seq(ev, "stack", rr->frames + rr->nframes, MAX_FRAMES);
	assert_true(n >= 0);
	if (n > MAX_FRAMES)
		n = MAX_FRAMES;
	rr->samples[rr->nsamples++] = (struct sample){ ev->vpid, ev->ts_ns, (uint32_t)rr->nframes,
						       (uint32_t)n };
	rr->nframes += (size_t)n;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Symbolizes every sample once; returns the seconds it took. */
static double symbolize_all(size_t *lookups)
{
	struct analyzer_location locs[MAX_FRAMES];
	double t0 = now_s();
	*lookups = 0;
	for (size_t i = 0; i < r.nsamples; i++) {
		const struct sample *sm = &r.samples[i];
		assert_int_equal(analyzer_symbolizer_stack(r.sym, sm->pid, sm->ts,
							   r.frames + sm->first, sm->n,
							   ANALYZER_STACK_SAMPLE, locs), 0);
		*lookups += sm->n;
	}
	return now_s() - t0;
}

struct verdict {
	size_t samples, inlined, outer_own, lib, reach_main, no_module;
};

static const struct analyzer_frame *find_frame(const struct analyzer_location *locs, size_t n,
					       size_t from, const char *fn)
{
	for (size_t i = from; i < n; i++)
		for (uint32_t j = 0; j < locs[i].nframes; j++)
			if (!strcmp(locs[i].frames[j].function, fn))
				return &locs[i].frames[j];
	return NULL;
}

static struct verdict check_process(int32_t pid, bool pie)
{
	struct lines inl = marker_lines("sym_prog.c", "inl_mix");
	struct lines outer = marker_lines("sym_prog.c", "outer_hot");
	struct lines mainl = marker_lines("sym_prog.c", "main");
	struct lines lib = marker_lines("sym_lib.c", "lib_spin");
	struct verdict v = { 0 };
	struct analyzer_location locs[MAX_FRAMES];
	size_t hot = 0;
	for (size_t i = 0; i < r.nsamples; i++) {
		const struct sample *sm = &r.samples[i];
		if (sm->pid != pid || !sm->n)
			continue;
		v.samples++;
		assert_int_equal(analyzer_symbolizer_stack(r.sym, pid, sm->ts, r.frames + sm->first,
							   sm->n, ANALYZER_STACK_SAMPLE, locs), 0);
		const struct analyzer_location *pc = &locs[0];
		v.no_module += pc->status == ANALYZER_SYM_NO_MODULE;
		/* The vDSO (clock reads) has no file: offsets within its mapping. */
		if (pc->module && pc->module->path[0] == '[')
			assert_true(pc->offset < pc->module->limit - pc->module->start);
		const struct analyzer_frame *f0 = &pc->frames[0];
		bool is_hot = false;
		if (!strcmp(f0->function, "inl_mix")) {
			assert_true(pc->nframes >= 2);
			assert_string_equal(pc->frames[1].function, "outer_hot");
			assert_true(ends_with(f0->file, "/sym_prog.c"));
			assert_true(in(&inl, f0->line));
			assert_int_equal(f0->start_line, inl.begin + 1);
			assert_true(in(&outer, pc->frames[1].line));
			assert_int_equal(pc->frames[1].start_line, outer.begin + 1);
			uint64_t addr = r.frames[sm->first];
			assert_int_equal(pc->offset, pie ? addr - pc->module->start : addr);
			v.inlined++;
			is_hot = true;
		} else if (!strcmp(f0->function, "outer_hot")) {
			assert_true(in(&outer, f0->line));
			v.outer_own++;
			is_hot = true;
		} else if (!strcmp(f0->function, "lib_spin")) {
			assert_true(ends_with(f0->file, "/sym_lib.c"));
			assert_true(in(&lib, f0->line));
			assert_true(ends_with(pc->module->path, "/libsymlib.so"));
			assert_true(pc->module->has_lines);
			assert_int_equal(strlen(pc->module->build_id), 40);
			assert_true(pc->module->start <= r.frames[sm->first] &&
				    r.frames[sm->first] < pc->module->limit);
			v.lib++;
			is_hot = true;
		}
		if (!is_hot)
			continue;
		hot++;
		const struct analyzer_frame *m = find_frame(locs, sm->n, 1, "main");
		if (m && in(&mainl, m->line))
			v.reach_main++;
	}
	fprintf(stderr, "ctrace test: pid %d: %zu samples, inl_mix %zu, outer_hot %zu, lib_spin %zu, "
			"reaching main %zu of %zu, pc in no module %zu\n",
		pid, v.samples, v.inlined, v.outer_own, v.lib, v.reach_main, hot, v.no_module);
	assert_true(v.inlined >= MIN_INLINED);
	assert_true(v.lib >= MIN_LIB);
	assert_true((double)v.reach_main >= MIN_MAIN_FRACTION * (double)hot);
	assert_int_equal(v.no_module, 0);
	return v;
}

static int cleanup(void **state)
{
	(void)state;
	analyzer_symbolizer_destroy(r.sym);
	free(r.samples);
	free(r.frames);
	memset(&r, 0, sizeof r);
	support_recording_free(&rec);
	return 0;
}

static void record_and_check(char *prog, bool pie)
{
	char *argv[] = { prog, "parent", BURN_MS, NULL };
	char *opts[] = { "--sample-hz", SAMPLE_HZ, NULL };
	support_recording_make_ok(&rec, opts, argv);
	char role[16];
	uint64_t pids[3];
	const char *roles[3] = { "parent", "exec", "fork" };
	for (unsigned i = 0; i < 3; i++) {
		bool found = false;
		for (unsigned nth = 0; nth < 3 && !found; nth++)
			found = support_truth_str(rec.run.out, "role", nth, role, sizeof role) &&
				!strcmp(role, roles[i]) &&
				support_truth_u64(rec.run.out, "pid", nth, &pids[i]);
		if (!found)
			fail_msg("no truth line for role %s", roles[i]);
	}

	struct analyzer_error err;
	r.sym = analyzer_symbolizer_create(&err);
	assert_non_null(r.sym);
	double t0 = now_s();
	support_read_trace(rec.trace_dir, on_event, &r, NULL);
	double read_s = now_s() - t0;

	size_t lookups;
	double cold = symbolize_all(&lookups);
	struct analyzer_symbolizer_stats st;
	analyzer_symbolizer_stats(r.sym, &st);
	double warm = symbolize_all(&lookups);
	fprintf(stderr, "ctrace test: read+note %.3f s; %zu samples, %zu addresses: first pass %.3f s "
			"(%llu distinct, %.1f us each incl. opening %u files, %u unusable), "
			"cached pass %.1f ns per address; %u modules\n",
		read_s, r.nsamples, lookups, cold, (unsigned long long)st.cache_misses,
		cold * 1e6 / (double)st.cache_misses, st.files, st.files_unusable,
		warm * 1e9 / (double)lookups, st.modules);

	size_t lib = 0;
	for (unsigned i = 0; i < 3; i++)
		lib += check_process((int32_t)pids[i], pie).lib;
	assert_true(lib >= MIN_LIB_ALL);
}

static void test_pie(void **state)
{
	(void)state;
	record_and_check(SYM_PROG, true);
}

static void test_no_pie(void **state)
{
	(void)state;
	record_and_check(SYM_PROG_NOPIE, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pie, cleanup),
		cmocka_unit_test_teardown(test_no_pie, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
