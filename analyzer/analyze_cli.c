/*
 * `ctrace analyze` (analyze.h): options, progress, and the pipeline
 * model_load → analysis_run → report_text / report_json.
 */
#include "analyze.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "analysis_cache.h"
#include "cli_common.h"
#include "model_cache_writer.h"
#include "model_check.h"
#include "model_load.h"
#include "report.h"
#include "report_units.h"

#define ANALYZE_DEFAULT_TOP 10

static const char analyze_usage[] =
"usage: ctrace analyze [options] DIR\n"
"\n"
"Reads the trace `ctrace record` wrote in DIR and reports where the time went:\n"
"threads and their states, regions and tasks with latency percentiles, the\n"
"locks and calls that cost most, and the slowest instances (spikes) with\n"
"what caused them.\n"
"\n"
"options:\n"
"      --json               the report as JSON (all times in integer ns)\n"
"      --top N              rows per table (default 10)\n"
"      --region NAME        also list the slowest instances of this region or task\n"
"      --from T, --to T     analyze only this window (T from the trace's start:\n"
"                           1.5s, 250ms, 20us, or ns)\n"
"      --at T               every thread's state, regions and stack at T\n"
"      --spike-threshold D  spikes: every instance at least D long (default: at or\n"
"                           above its name's p99 and 3x its median)\n"
"      --no-cache           neither read nor write DIR/ctrace-model.cache (the\n"
"                           model kept to analyze the same trace again faster)\n"
"      --check              also verify the model's invariants\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done, 2 bad usage or unusable trace, 1 out of memory.\n";

struct analyze_args {
	bool json, check, no_cache;
	size_t top;
	const char *focus;
	bool has_from, has_to, has_at;
	uint64_t from, to, at, spike;
	const char *dir;
};

static int parse_args(int argc, char **argv, struct analyze_args *a)
{
	enum { OPT_JSON = 256, OPT_TOP, OPT_REGION, OPT_FROM, OPT_TO, OPT_AT, OPT_SPIKE, OPT_CHECK,
	       OPT_NO_CACHE };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "at", required_argument, NULL, OPT_AT },
		{ "spike-threshold", required_argument, NULL, OPT_SPIKE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct analyze_args){ .top = ANALYZE_DEFAULT_TOP };
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: a->json = true; break;
		case OPT_CHECK: a->check = true; break;
		case OPT_NO_CACHE: a->no_cache = true; break;
		case OPT_REGION: a->focus = optarg; break;
		case OPT_TOP: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (!*optarg || *end || v == 0 || v > 100000) {
				fprintf(stderr, "ctrace analyze: --top '%s': expected a number of rows (1 or more)\n", optarg);
				return -1;
			}
			a->top = v;
			break;
		}
		case OPT_FROM:
			a->has_from = true;
			if (cli_parse_duration("analyze", "--from", optarg, &a->from) != 0)
				return -1;
			break;
		case OPT_TO:
			a->has_to = true;
			if (cli_parse_duration("analyze", "--to", optarg, &a->to) != 0)
				return -1;
			break;
		case OPT_AT:
			a->has_at = true;
			if (cli_parse_duration("analyze", "--at", optarg, &a->at) != 0)
				return -1;
			break;
		case OPT_SPIKE:
			if (cli_parse_duration("analyze", "--spike-threshold", optarg, &a->spike) != 0)
				return -1;
			if (a->spike == 0) {
				fprintf(stderr, "ctrace analyze: --spike-threshold must be above 0\n");
				return -1;
			}
			break;
		case 'h': fputs(analyze_usage, stdout); exit(0);
		default:
			fprintf(stderr, "ctrace analyze: unknown option (try 'ctrace analyze --help')\n");
			return -1;
		}
	}
	if (!(a->dir = cli_trace_dir_arg("analyze", argc, argv)))
		return -1;
	if (a->has_from && a->has_to && a->to < a->from) {
		fprintf(stderr, "ctrace analyze: --to is before --from\n");
		return -1;
	}
	return 0;
}

/* Progress goes to a terminal only, and only once reading takes a while. */
struct progress {
	bool tty, shown;
	struct timespec start;
};

static double elapsed_s(const struct progress *p)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) + (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

static void progress_note(uint64_t events, void *user)
{
	struct progress *p = user;
	if (!p->tty)
		return;
	double s = elapsed_s(p);
	if (s < 1.0)
		return;
	char n[32];
	fprintf(stderr, "\rctrace analyze: %s events read (%.0f s)   ", units_count(events, n, sizeof n), s);
	p->shown = true;
}


int analyze_main(int argc, char **argv)
{
	struct analyze_args args;
	if (parse_args(argc, argv, &args) != 0)
		return 2;
	struct progress prog = { .tty = isatty(STDERR_FILENO) };
	clock_gettime(CLOCK_MONOTONIC, &prog.start);

	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	struct model_load_options lopt = { .progress = progress_note, .progress_user = &prog,
					   .cache = !args.no_cache };
	int rc = model_load_opts(args.dir, &lopt, &m, &info, &err);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	/* CTRACE_ANALYZE_TIMING=1: where the time goes, for benchmarks. */
	bool timing = getenv("CTRACE_ANALYZE_TIMING") != NULL;
	if (timing)
		fprintf(stderr, "ctrace analyze: %s: %.2f s, peak %.0f MiB\n",
			info.from_cache ? "model from cache" : "read and model", elapsed_s(&prog), cli_peak_mib());
	if (rc != 0)
		return cli_load_failed("analyze", &err);
	struct model_cache_writer writer;
	model_cache_writer_start(&writer, args.dir, &m, &info);
	cli_warn_damaged("analyze", &info, "the report covers what could be read");
	if (args.check) {
		char msg[512];
		if (model_check(&m, msg, sizeof msg) != 0) {
			fprintf(stderr, "ctrace analyze: model invariant broken: %s\n", msg);
			model_cache_writer_join(&writer);
			model_free(&m);
			return 1;
		}
	}

	struct analysis_options opt = analysis_default_options();
	opt.spike_threshold_ns = args.spike;
	opt.keep_instance_breakdowns = false;   /* computed when printed */
	if (args.has_from)
		opt.from_ns = m.start_ns + args.from;
	if (args.has_to)
		opt.to_ns = m.start_ns + args.to;
	struct analysis a;
	if (analysis_run_cached(args.dir, &m, &info, &opt, &a) != 0) {
		fprintf(stderr, "ctrace analyze: out of memory while analyzing %s\n", args.dir);
		model_cache_writer_join(&writer);
		model_free(&m);
		return 1;
	}
	if (timing)
		fprintf(stderr, "ctrace analyze: analysis done: %.2f s, peak %.0f MiB\n", elapsed_s(&prog),
			cli_peak_mib());
	if (args.check) {
		char msg[512];
		if (analysis_check(&a, msg, sizeof msg) != 0) {
			fprintf(stderr, "ctrace analyze: analysis invariant broken: %s\n", msg);
			analysis_free(&a);
			model_cache_writer_join(&writer);
			model_free(&m);
			return 1;
		}
	}
	struct report_context c = {
		.trace_dir = args.dir, .load = &info, .a = &a, .symbols = report_symbols_create(&m),
		.top = args.top, .focus = args.focus, .has_at = args.has_at,
		.at_ns = m.start_ns + args.at,
	};
	if (args.json)
		report_json(stdout, &c);
	else
		report_text(stdout, &c);
	report_symbols_destroy(c.symbols);
	analysis_free(&a);
	model_cache_writer_join(&writer);
	model_free(&m);
	if (timing)
		fprintf(stderr, "ctrace analyze: report done: %.2f s\n", elapsed_s(&prog));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ctrace analyze: writing the report failed\n");
		return 1;
	}
	return 0;
}
