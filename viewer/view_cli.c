/*
 * `ctrace view` (view.h): options, loading the trace as `ctrace analyze`
 * does, then either one frame to PNG or the interactive window.
 */
#include "view.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_common.h"
#include "model_cache_writer.h"
#include "model_load.h"
#include "view_app.h"

#define VIEW_DEFAULT_W 1920
#define VIEW_DEFAULT_H 1080

static const char view_usage[] =
"usage: ctrace view [options] DIR\n"
"\n"
"Shows the trace `ctrace record` wrote in DIR as a timeline: CPUs, threads\n"
"and their states, regions, logs, allocation bursts and CPU samples.\n"
"In the window: wheel or W/S zoom at the cursor, drag or A/D pan, 0 fits,\n"
"F zooms to the selection, hover for a tooltip, click for details (a process\n"
"header collapses its threads), right-drag for a range's totals (Esc closes\n"
"them), L shows flow arrows (lock hand-overs, task hand-offs), O sorts threads\n"
"(start time, name, time blocked), T filters them by name, / or Ctrl-F\n"
"searches threads, tasks, regions and logs (Return: next match), N / P show\n"
"the next / previous spike, K lists them (1-9 shows one), E writes a pprof\n"
"profile to ./ctrace-view-N.pb.gz (every instance of the selected region or\n"
"task, else the range or the window; Shift-E chooses the type), ? lists the\n"
"keys, Q quits.\n"
"\n"
"options:\n"
"      --png FILE         render one frame to FILE instead (no display needed)\n"
"      --size WxH         frame or window size (default 1920x1080)\n"
"      --from T, --to T   show this window (T from the trace's start: 1.5s,\n"
"                         250ms, 20us, or ns)\n"
"      --threads P        only threads whose name contains P, or whose tid is P\n"
"      --select NAME      select and frame the first thread, task, region or log\n"
"                         whose name contains NAME, as / does (--from and --to\n"
"                         then choose the window)\n"
"      --time N           with --png: render N frames and print the time per frame\n"
"      --no-cache         neither read nor write DIR/ctrace-model.cache\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 done, 2 bad usage or unusable trace, 1 no window or failed output.\n";

struct view_args {
	const char *png, *dir, *threads, *select;
	int w, h;
	bool has_from, has_to, no_cache;
	uint64_t from, to;
	unsigned time_frames;
};

static int parse_args(int argc, char **argv, struct view_args *a)
{
	enum { OPT_PNG = 256, OPT_SIZE, OPT_FROM, OPT_TO, OPT_TIME, OPT_THREADS, OPT_NO_CACHE, OPT_SELECT };
	static const struct option longopts[] = {
		{ "png", required_argument, NULL, OPT_PNG },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "select", required_argument, NULL, OPT_SELECT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct view_args){ .w = VIEW_DEFAULT_W, .h = VIEW_DEFAULT_H };
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PNG: a->png = optarg; break;
		case OPT_THREADS: a->threads = optarg; break;
		case OPT_NO_CACHE: a->no_cache = true; break;
		case OPT_SELECT:
			if (!*optarg || strlen(optarg) >= sizeof ((struct view_state *)0)->query) {
				fprintf(stderr, "ctrace view: --select '%s': expected a name of at most 63 bytes\n",
					optarg);
				return -1;
			}
			a->select = optarg;
			break;
		case OPT_SIZE: {
			char x;
			if (sscanf(optarg, "%d%c%d", &a->w, &x, &a->h) != 3 || (x != 'x' && x != 'X') ||
			    a->w < VIEW_LABEL_W + 100 || a->h < 200 || a->w > 16384 || a->h > 16384) {
				fprintf(stderr, "ctrace view: --size '%s': expected WxH, at least %dx200\n", optarg,
					VIEW_LABEL_W + 100);
				return -1;
			}
			break;
		}
		case OPT_FROM:
		case OPT_TO: {
			uint64_t *v = c == OPT_FROM ? &a->from : &a->to;
			if (cli_parse_duration("view", c == OPT_FROM ? "--from" : "--to", optarg, v) != 0)
				return -1;
			*(c == OPT_FROM ? &a->has_from : &a->has_to) = true;
			break;
		}
		case OPT_TIME: {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || n == 0 || n > 10000) {
				fprintf(stderr, "ctrace view: --time '%s': expected a number of frames\n", optarg);
				return -1;
			}
			a->time_frames = (unsigned)n;
			break;
		}
		case 'h': fputs(view_usage, stdout); exit(0);
		default:
			fprintf(stderr, "ctrace view: unknown option (try 'ctrace view --help')\n");
			return -1;
		}
	}
	if (!(a->dir = cli_trace_dir_arg("view", argc, argv)))
		return -1;
	if (a->has_from && a->has_to && a->to <= a->from) {
		fprintf(stderr, "ctrace view: --to must be after --from\n");
		return -1;
	}
	if (a->time_frames && !a->png) {
		fprintf(stderr, "ctrace view: --time needs --png\n");
		return -1;
	}
	return 0;
}

/* --select, then --from / --to. -1 when --select matches nothing. */
static int apply_view(struct view_app *app, const struct view_args *args)
{
	if (args->select) {
		snprintf(app->st.query, sizeof app->st.query, "%s", args->select);
		if (!view_state_search_next(&app->st, app->d)) {
			fprintf(stderr, "ctrace view: --select '%s': no thread, task, region or log matches\n",
				args->select);
			return -1;
		}
	}
	const struct view_data *d = app->d;
	uint64_t start = d->m.start_ns == MODEL_NO_TS ? 0 : d->m.start_ns;
	if (!args->has_from && !args->has_to)
		return 0;
	uint64_t from = start + (args->has_from ? args->from : 0);
	uint64_t to = args->has_to ? start + args->to : view_data_end(d);
	view_state_show(&app->st, from, to > from ? to : from + 1);
	return 0;
}

/* CTRACE_VIEW_TIMING=1: where the time to the first frame goes, for
 * benchmarks (seconds since view_main began). */
struct view_timing {
	bool on;
	struct timespec start;
};

static struct view_timing timing;

static double timing_s(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - timing.start.tv_sec) + (double)(now.tv_nsec - timing.start.tv_nsec) / 1e9;
}

static void timing_note(const char *what)
{
	if (timing.on)
		fprintf(stderr, "ctrace view: %s: %.3f s, peak %.0f MiB\n", what, timing_s(), cli_peak_mib());
}

static int run_png(const struct view_args *args, struct view_data *d)
{
	struct view_app app;
	char err[512];
	if (view_app_open_surface(&app, d, CTRACE_FONT, args->w, args->h, err, sizeof err) != 0) {
		fprintf(stderr, "ctrace view: %s\n", err);
		return 1;
	}
	if (apply_view(&app, args) != 0) {
		view_app_close(&app);
		return 2;
	}
	view_app_frame(&app);
	timing_note("first frame");
	if (args->time_frames) {
		double total = 0, best = 1e30;
		for (unsigned i = 0; i < args->time_frames; i++) {
			view_app_frame(&app);
			total += app.last_frame_ms;
			if (app.last_frame_ms < best)
				best = app.last_frame_ms;
		}
		printf("frame %dx%d: %.2f ms mean, %.2f ms best over %u frames, %zu row rectangles\n", args->w,
		       args->h, total / args->time_frames, best, args->time_frames, app.last_rects);
	}
	int rc = view_app_save_png(&app, args->png, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "ctrace view: %s\n", err);
	view_app_close(&app);
	return rc ? 1 : 0;
}

static int run_window(const struct view_args *args, struct view_data *d)
{
	struct view_app app;
	char err[512];
	if (view_app_open_window(&app, d, CTRACE_FONT, args->w, args->h, err, sizeof err) != 0) {
		fprintf(stderr, "ctrace view: %s; use --png FILE to render an image instead\n", err);
		return 1;
	}
	if (apply_view(&app, args) != 0) {
		view_app_close(&app);
		return 2;
	}
	view_app_frame(&app);
	timing_note("first frame");
	view_app_run(&app);
	view_app_close(&app);
	return 0;
}


int view_main(int argc, char **argv)
{
	struct view_args args;
	if (parse_args(argc, argv, &args) != 0)
		return 2;
	timing.on = getenv("CTRACE_VIEW_TIMING") != NULL;
	clock_gettime(CLOCK_MONOTONIC, &timing.start);
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	struct model_load_options lopt = { .cache = !args.no_cache };
	if (model_load_opts(args.dir, &lopt, &m, &info, &err) != 0)
		return cli_load_failed("view", &err);
	timing_note(info.from_cache ? "model from cache" : "read and model");
	cli_warn_damaged("view", &info, "showing what could be read");
	struct view_data d;
	if (view_data_init_cached(&d, &m, args.dir, &info) != 0) {
		fprintf(stderr, "ctrace view: out of memory preparing the timeline\n");
		view_data_free(&d);
		return 1;
	}
	timing_note("timeline prepared");
	struct model_cache_writer writer;
	model_cache_writer_start(&writer, args.dir, &d.m, &info);
	view_data_read_wall_start(&d, args.dir);
	if (args.threads) {
		long shown = view_data_filter_threads(&d, args.threads);
		if (shown < 0) {
			fprintf(stderr, "ctrace view: out of memory preparing the timeline\n");
			model_cache_writer_join(&writer);
			view_data_free(&d);
			return 1;
		}
		if (shown == 0) {
			fprintf(stderr, "ctrace view: --threads '%s': no thread of the trace matches\n", args.threads);
			model_cache_writer_join(&writer);
			view_data_free(&d);
			return 2;
		}
	}
	int rc = args.png ? run_png(&args, &d) : run_window(&args, &d);
	model_cache_writer_join(&writer);
	view_data_free(&d);
	SDL_Quit();
	return rc;
}
