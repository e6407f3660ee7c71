/*
 * `ctrace diff` (diff.h): arguments → model_load and analysis_run of both
 * traces → diff_compute → the text or JSON report, and with --pprof the
 * same profile of both runs through pprof_export_build, for
 * `go tool pprof -diff_base`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis.h"
#include "cli_common.h"
#include "diff.h"
#include "diff_cli.h"
#include "model_cache.h"
#include "analysis_cache.h"
#include "model_load.h"
#include "model_run_info.h"
#include "model_symbols.h"
#include "pprof_builder.h"
#include "pprof_export.h"
#include "symbolize.h"

#define DIFF_DEFAULT_TOP 5

static const char diff_usage[] =
"usage: ctrace diff [options] OLD NEW\n"
"\n"
"Compares two traces `ctrace record` wrote (say, before and after a change):\n"
"per region and task name, count and percentiles before and after, where the\n"
"change went (the state whose time grew, per instance and in total, down to\n"
"the lock and the thread that held it, the call, or who had the CPUs), and\n"
"the names that appeared or vanished. Largest change of total or p99 first.\n"
"\n"
"options:\n"
"      --json          the comparison as one JSON document (times in integer ns)\n"
"      --region NAME   compare only this region or task name\n"
"      --top N         changed names to show in text (default 5)\n"
"      --pprof TYPE    also write the TYPE profile (cpu, lock, syscall, sched,\n"
"                      mutex, alloc; see ctrace pprof --help) of both runs and\n"
"                      print the go tool pprof -diff_base command comparing them\n"
"  -o, --output PREFIX the profiles' names: PREFIX-old.pb.gz, PREFIX-new.pb.gz\n"
"                      (default ./diff-TYPE)\n"
"      --no-cache      neither read nor write the traces' model caches (by\n"
"                      default both models are built at once, in two processes,\n"
"                      and kept in DIR/ctrace-model.cache as ctrace analyze\n"
"                      keeps them)\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 compared (a difference is not an error), 2 bad usage, an\n"
"unusable trace or a --pprof type a trace has no data for, 1 out of memory or\n"
"a failed write.\n";

struct diff_args {
	bool json, no_cache, has_pprof;
	size_t top;
	const char *region;
	const char *prefix;
	enum pprof_export_type type;
	const char *dir[2];
};

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "ctrace diff: %s%s%s (try 'ctrace diff --help')\n", what, arg ? " " : "",
		arg ? arg : "");
	return -1;
}

/* 0 parsed, 1 help shown, -1 error (said on stderr). */
static int parse_args(int argc, char **argv, struct diff_args *a)
{
	enum { OPT_JSON = 256, OPT_REGION, OPT_TOP, OPT_PPROF, OPT_NO_CACHE };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "pprof", required_argument, NULL, OPT_PPROF },
		{ "output", required_argument, NULL, 'o' },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct diff_args){ .top = DIFF_DEFAULT_TOP };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: a->json = true; break;
		case OPT_NO_CACHE: a->no_cache = true; break;
		case OPT_REGION: a->region = optarg; break;
		case 'o': a->prefix = optarg; break;
		case OPT_TOP: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (!*optarg || *end || v == 0 || v > 100000)
				return usage_error("--top: expected a number of names (1 or more), got", optarg);
			a->top = v;
			break;
		}
		case OPT_PPROF:
			if (pprof_export_type_parse(optarg, &a->type) != 0)
				return usage_error("--pprof: expected cpu, lock, syscall, sched, mutex or "
						   "alloc, got", optarg);
			a->has_pprof = true;
			break;
		case 'h':
			fputs(diff_usage, stdout);
			return 1;
		default:
			return usage_error("unknown or incomplete option", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return usage_error(argc - optind < 2 ? "expected two trace directories, OLD and NEW"
				   : "expected only two trace directories, OLD and NEW", NULL);
	if (a->prefix && !a->has_pprof)
		return usage_error("-o names the --pprof profiles: give --pprof TYPE too", NULL);
	a->dir[DIFF_OLD] = argv[optind];
	a->dir[DIFF_NEW] = argv[optind + 1];
	return 0;
}

/* One run: its model, load info and analysis. */
struct diff_run {
	struct model m;
	struct model_load_info info;
	struct analysis a;
	bool loaded, analyzed;
};

static void run_free(struct diff_run *r)
{
	if (r->analyzed)
		analysis_free(&r->a);
	if (r->loaded)
		model_free(&r->m);
	r->loaded = r->analyzed = false;
}

/* 0, or the exit status after saying why on stderr. */
static int run_load(struct diff_run *r, const char *dir, bool cache)
{
	struct analyzer_error err;
	struct model_load_options lopt = { .cache = cache };
	if (model_load_opts(dir, &lopt, &r->m, &r->info, &err) != 0)
		return cli_load_failed("diff", &err);
	r->loaded = true;
	cli_warn_damaged("diff", &r->info, "the comparison covers what could be read");
	struct analysis_options opt = analysis_default_options();
	opt.keep_instance_breakdowns = false;
	if (analysis_run_cached(dir, &r->m, &r->info, &opt, &r->a) != 0) {
		fprintf(stderr, "ctrace diff: out of memory while analyzing %s\n", dir);
		return 1;
	}
	r->analyzed = true;
	return 0;
}

/* Reading the traces is most of a diff's time, and they are independent.
 * With the model cache on, one child process per trace reads it and leaves
 * its model in the trace's cache (as `ctrace analyze` does), both at once;
 * this process then reads both models back from the caches, many times
 * faster than from the traces (and the next diff of either is fast too).
 * Processes rather than threads: babeltrace2 does not promise that two
 * graphs may run in two threads of one process. Whatever goes wrong in a
 * child (a read-only or unusable trace) only means this process reads
 * that trace itself afterwards and reports what it finds.
 * Returns the child's pid, or -1 when there is none. */
static pid_t cache_in_child(const char *dir)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	struct model_load_options lopt = { .cache = true };
	int rc = 1;
	if (model_load_opts(dir, &lopt, &m, &info, &err) == 0) {
		rc = 0;
		if (!info.from_cache && info.cache_fingerprinted)
			rc = model_cache_write(dir, &m, &info, info.cache_fingerprint, &err) != 0;
		/* The analysis too: it leaves its cache for the parent. */
		struct analysis_options opt = analysis_default_options();
		opt.keep_instance_breakdowns = false;
		struct analysis a;
		if (analysis_run_cached(dir, &m, &info, &opt, &a) == 0)
			analysis_free(&a);
		model_free(&m);
	}
	_exit(rc);
}

/* The profiles' directory must be writable: found before the traces are
 * read, as a usage error. */
static int check_prefix(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	if (access(dir, W_OK) == 0)
		return 0;
	fprintf(stderr, "ctrace diff: -o %s: directory %s is missing or not writable\n", path, dir);
	return -1;
}

/* Writes run's profile to out; 0, or the exit status after saying why. */
static int write_profile(const struct diff_run *r, const struct diff_args *args,
			 const struct diff *d, const char *dir, const char *out)
{
	struct analyzer_run_info run;   /* the profile's wall-clock time */
	analyzer_run_info_read(dir, &run);
	struct pprof_export_opts opts = { .type = args->type, .trace_name = dir,
					  .clock_offset_ns = run.clock_offset_ns,
					  .filter = { .from = MODEL_NO_TS, .to = MODEL_NO_TS } };
	/* --region: the same selection in both profiles, by what the name is. */
	if (args->region && d->n_entries) {
		if (d->entries[0].kind == ANALYSIS_REGION)
			opts.filter.region = args->region;
		else
			opts.filter.task = args->region;
	}
	struct analyzer_symbolizer *sym = model_symbolizer_create(&r->m);
	size_t kept;
	enum pprof_export_status st;
	struct analyzer_error err;
	struct pprof_builder *b = pprof_export_build(&r->m, sym, &opts, &kept, &st, &err);
	int rc = 0;
	if (!b) {
		fprintf(stderr, "ctrace diff: %s: %s\n", dir, err.msg);
		rc = st == PPROF_EXPORT_FAILED ? 1 : 2;
	} else {
		struct pprof_error perr;
		if (pprof_builder_write(b, out, &perr) != 0) {
			fprintf(stderr, "ctrace diff: %s\n", perr.msg);
			rc = 1;
		}
	}
	pprof_builder_destroy(b);
	analyzer_symbolizer_destroy(sym);
	return rc;
}

static int write_profiles(const struct diff_run *runs, const struct diff_args *args,
			  const struct diff *d, FILE *say)
{
	char path[2][4200];
	char prefix[4096];
	if (args->prefix)
		snprintf(prefix, sizeof prefix, "%s", args->prefix);
	else
		snprintf(prefix, sizeof prefix, "diff-%s", pprof_export_type_name(args->type));
	for (int side = DIFF_OLD; side <= DIFF_NEW; side++) {
		snprintf(path[side], sizeof path[side], "%s-%s.pb.gz", prefix,
			 side == DIFF_OLD ? "old" : "new");
		int rc = write_profile(&runs[side], args, d, args->dir[side], path[side]);
		if (rc)
			return rc;
	}
	fprintf(say, "\nwrote %s (OLD) and %s (NEW): %s profiles\n"
		"compare them with: go tool pprof -diff_base=%s %s   (or -http=:)\n",
		path[DIFF_OLD], path[DIFF_NEW], pprof_export_type_name(args->type), path[DIFF_OLD],
		path[DIFF_NEW]);
	return 0;
}

int diff_main(int argc, char **argv)
{
	struct diff_args args;
	int prc = parse_args(argc, argv, &args);
	if (prc)
		return prc > 0 ? 0 : 2;
	if (args.has_pprof && check_prefix(args.prefix ? args.prefix : "diff") != 0)
		return 2;
	struct diff_run runs[2] = { 0 };
	int rc = 0;
	pid_t child[2] = { -1, -1 };
	bool same = !strcmp(args.dir[DIFF_OLD], args.dir[DIFF_NEW]);
	for (int side = DIFF_OLD; side <= DIFF_NEW && !args.no_cache; side++)
		if (side == DIFF_OLD || !same)
			child[side] = cache_in_child(args.dir[side]);
	for (int side = DIFF_OLD; side <= DIFF_NEW; side++)
		if (child[side] > 0)
			while (waitpid(child[side], NULL, 0) < 0 && errno == EINTR)
				;
	for (int side = DIFF_OLD; side <= DIFF_NEW && !rc; side++)
		rc = run_load(&runs[side], args.dir[side], !args.no_cache);
	struct diff d = { 0 };
	struct diff_options dopt = { .only = args.region };
	if (!rc && diff_compute(&runs[DIFF_OLD].a, &runs[DIFF_NEW].a, &dopt, &d) != 0) {
		fprintf(stderr, "ctrace diff: out of memory while comparing the traces\n");
		rc = 1;
	}
	if (!rc && args.region && !d.n_entries) {
		fprintf(stderr, "ctrace diff: --region %s: no region or task of that name in either "
			"trace\n", args.region);
		rc = 2;
	}
	if (!rc) {
		struct diff_report rep = {
			.d = &d, .dir = { args.dir[DIFF_OLD], args.dir[DIFF_NEW] },
			.load = { &runs[DIFF_OLD].info, &runs[DIFF_NEW].info }, .top = args.top,
		};
		if (args.json)
			diff_report_json(stdout, &rep);
		else
			diff_report_text(stdout, &rep);
		/* stdout stays one JSON document. */
		if (args.has_pprof)
			rc = write_profiles(runs, &args, &d, args.json ? stderr : stdout);
	}
	diff_free(&d);
	run_free(&runs[DIFF_NEW]);
	run_free(&runs[DIFF_OLD]);
	if ((fflush(stdout) != 0 || ferror(stdout)) && !rc) {
		fprintf(stderr, "ctrace diff: writing the report failed\n");
		rc = 1;
	}
	return rc;
}
