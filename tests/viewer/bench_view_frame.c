/*
 * Frame time of the viewer on a large hand-made trace: N events (default
 * 10M) of context switches, regions and lock waits over 16 threads on 2
 * CPUs, fed to the model builder, then 1920x1080 frames rendered headless
 * at several zoom levels. Prints the time from a finished model to the
 * first frame (the viewer's preparation; the analysis runs beside it),
 * the mean and best frame time once the analysis is done, the
 * rectangles drawn and the level-of-detail memory per state interval.
 * Not a ctest: these machines are too noisy for timed assertions.
 *
 * usage: bench_view_frame [EVENTS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model_builder.h"
#include "view_app.h"

#define THREADS 16
#define PID 1000
#define FRAMES 10   /* per zoom level; BENCH_VIEW_FRAMES overrides (for profiling) */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void feed(struct model_builder *b, struct model_event e)
{
	if (model_builder_feed(b, &e) != 0) {
		fprintf(stderr, "bench_view_frame: out of memory\n");
		exit(1);
	}
}

static void build(struct model *m, uint64_t events)
{
	struct model_builder_options opt = { .sched = true };
	struct model_builder *b = model_builder_create(&opt);
	bool on[THREADS] = { false };
	unsigned region_open[THREADS] = { 0 };
	uint64_t seed = 88172645463325252ull;
	uint64_t ts = 1000;
	for (uint64_t k = 0; k < events; k++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		ts += 20 + seed % 200;
		int i = (int)(seed >> 32) % THREADS;
		struct model_event e = { .ts = ts, .pid = PID, .tid = PID + i, .cpu = i % 2 };
		unsigned what = (unsigned)(seed >> 20) % 8;
		if (what < 5) {
			e.type = MEV_SCHED_SWITCH;
			e.u.sched_switch.out = on[i];
			e.u.sched_switch.preempted = what & 1;
			on[i] = !on[i];
		} else if (what < 7) {
			e.type = region_open[i] ? MEV_REGION_END : MEV_REGION_BEGIN;
			e.u.region_begin.name = "work";
			e.u.region_begin.depth = 1;
			region_open[i] = !region_open[i];
		} else {
			e.type = MEV_LOCK_WAIT;
			e.u.lock_wait.addr = 0x40;
			e.u.lock_wait.begin_ts = ts - 15;
			e.u.lock_wait.holder_tid = PID + (i + 1) % THREADS;
		}
		feed(b, e);
	}
	if (model_builder_finish(b, m) != 0) {
		fprintf(stderr, "bench_view_frame: out of memory\n");
		exit(1);
	}
	model_builder_destroy(b);
}

static void bench(struct view_app *a, const char *what)
{
	double total = 0, best = 1e30;
	const char *env = getenv("BENCH_VIEW_FRAMES");
	int frames = env ? atoi(env) : FRAMES;
	if (frames < 1)
		frames = FRAMES;
	for (int f = 0; f < frames; f++) {
		view_app_frame(a);
		total += a->last_frame_ms;
		if (a->last_frame_ms < best)
			best = a->last_frame_ms;
	}
	printf("  %-28s %7.2f ms mean %7.2f ms best  %7zu rects (%.0f ns/px)\n", what, total / frames, best,
	       a->last_rects, a->st.ns_per_px);
}

int main(int argc, char **argv)
{
	uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
	double t = now_ms();
	struct model m;
	build(&m, events);
	double t_model = now_ms() - t;
	t = now_ms();
	struct view_data d;
	if (view_data_init(&d, &m) != 0) {
		fprintf(stderr, "bench_view_frame: out of memory\n");
		return 1;
	}
	double t_prep = now_ms() - t;
	struct view_app a;
	char err[256];
	if (view_app_open_surface(&a, &d, CTRACE_FONT, 1920, 1080, err, sizeof err) != 0) {
		fprintf(stderr, "bench_view_frame: %s\n", err);
		return 1;
	}
	view_app_frame(&a);
	double t_first = now_ms() - t;
	view_data_analysis(&d);   /* frames below are timed without it running beside them */
	double t_analysis = now_ms() - t;
	size_t niv = 0, cells = 0;
	for (size_t i = 0; i < d.m.n_threads; i++) {
		niv += d.m.threads[i].niv;
		const struct view_lod_levels *l = &d.lod[i].lv;
		if (l->nlevels)
			cells += l->off[l->nlevels - 1] + l->n[l->nlevels - 1];
	}
	printf("bench_view_frame: %llu events, %zu intervals, %zu regions; model %.0f ms\n",
	       (unsigned long long)events, niv, d.m.n_regions, t_model);
	printf("  from the model: viewer prep %.0f ms, first 1920x1080 frame at %.0f ms, analysis done at %.0f ms\n",
	       t_prep, t_first, t_analysis);
	size_t slices = 0, cpu_cells = 0;
	for (size_t c = 0; c < d.m.n_cpus; c++) {
		slices += d.m.cpus[c].n;
		const struct view_lod_levels *l = &d.cpu_lod[c].lv;
		if (l->nlevels)
			cpu_cells += l->off[l->nlevels - 1] + l->n[l->nlevels - 1];
	}
	printf("  level of detail: %.1f bytes per state interval, %.1f per CPU slice, %.1f overall\n",
	       niv ? (double)(cells * sizeof(struct view_lod_cell)) / (double)niv : 0,
	       slices ? (double)(cpu_cells * sizeof(struct view_cpu_lod_cell)) / (double)slices : 0,
	       (double)(cells * sizeof(struct view_lod_cell) + cpu_cells * sizeof(struct view_cpu_lod_cell)) /
		       (double)(niv + slices + 1));
	bench(&a, "whole trace");
	int mid = VIEW_LABEL_W + view_state_timeline_w(&a.st) / 2;
	view_state_zoom(&a.st, &d, 100, mid);
	bench(&a, "1/100 of it");
	view_state_zoom(&a.st, &d, 100, mid);
	bench(&a, "1/10000 of it");
	view_app_close(&a);
	view_data_free(&d);
	return 0;
}
