/*
 * `ctrace pprof` (pprof_cli.h): arguments → model_load → pprof_export_build
 * → one gzipped profile.proto file, written whole or not at all.
 */
#include "pprof_cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_common.h"
#include "model_load.h"
#include "model_run_info.h"
#include "model_symbols.h"
#include "pprof_builder.h"
#include "pprof_export.h"
#include "report_units.h"
#include "symbolize.h"

static const char pprof_usage_text[] =
"usage: ctrace pprof --type TYPE [-o FILE] [filters] DIR\n"
"\n"
"Writes a pprof profile (gzipped profile.proto) of the trace in DIR, for\n"
"`go tool pprof -http=: FILE` or `go tool pprof -top FILE`.\n"
"\n"
"types:\n"
"  cpu      CPU samples (samples/count, cpu/nanoseconds)\n"
"  lock     lock wait time (contentions/count, delay/nanoseconds) at the\n"
"           stack where the waiter blocked; leaf frames name the lock kind\n"
"           and address\n"
"  syscall  time in timed syscalls (calls/count, delay/nanoseconds) at the\n"
"           stack of the call; leaf frames name the call and fd\n"
"  sched    runnable time (preempted, waiting for a CPU), at each thread's\n"
"           last CPU sample before it\n"
"  mutex    as Go's mutex profile: waiters' delay at the holder's unlock\n"
"           stack (sampled; scaled by the sampling ratio seen in the trace)\n"
"  alloc    sampled allocations scaled as Go does (alloc_objects, alloc_space)\n"
"\n"
"options:\n"
"  -o, --output FILE    where to write (default: ./TRACE-TYPE.pb.gz, TRACE\n"
"                       being DIR's last component)\n"
"  --region NAME        only inside a region NAME (at any nesting depth)\n"
"  --task NAME          only while working for a task NAME\n"
"  --thread TID|NAME    only this thread\n"
"  --label K=V          only while user label K has value V\n"
"  --from T, --to T     only this window, T from the trace's start with a\n"
"                       unit: 250ms, 1.5s, 20us, 300ns\n"
"\n"
"Every sample is labelled thread, tid, region (innermost), regions\n"
"(\"outer/inner\"), task and the program's own labels: try\n"
"`go tool pprof -tags FILE`, `-tagfocus=region=NAME` (samples whose innermost\n"
"region is NAME) or `-tagfocus=regions=NAME` (inside NAME at any depth; pprof\n"
"matches values as unanchored regexps, so `regions=^outer/inner$` is exact).\n";

struct pprof_args {
	struct pprof_export_opts opts;
	const char *output;
	const char *dir;
	bool has_type;
};

enum { OPT_TYPE = 256, OPT_REGION, OPT_TASK, OPT_THREAD, OPT_LABEL, OPT_FROM, OPT_TO };

static int usage_error(const char *fmt, const char *arg)
{
	fputs("ctrace pprof: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (try 'ctrace pprof --help')\n", stderr);
	return -1;
}

static int parse_time(const char *opt, const char *s, uint64_t *ns)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s: expected a time like 250ms, 1.5s, 20us, got '%%s'", opt);
	return units_parse_duration(s, ns) ? 0 : usage_error(buf, s);
}

/* 0 parsed, 1 help shown, -1 error (message printed). */
static int parse_args(int argc, char **argv, struct pprof_args *a)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "output", required_argument, NULL, 'o' },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "task", required_argument, NULL, OPT_TASK },
		{ "thread", required_argument, NULL, OPT_THREAD },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct pprof_args){ .opts.filter = { .from = MODEL_NO_TS, .to = MODEL_NO_TS } };
	struct pprof_export_filter *f = &a->opts.filter;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "o:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TYPE:
		case 't':
			if (pprof_export_type_parse(optarg, &a->opts.type) != 0)
				return usage_error("unknown profile type '%s' (cpu, lock, syscall, "
						   "sched, mutex, alloc)", optarg);
			a->has_type = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_REGION:
			f->region = optarg;
			break;
		case OPT_TASK:
			f->task = optarg;
			break;
		case OPT_THREAD:
			f->thread = optarg;
			break;
		case OPT_LABEL: {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return usage_error("--label: expected KEY=VALUE, got '%s'", optarg);
			*eq = 0;
			f->label_key = optarg;
			f->label_value = eq + 1;
			break;
		}
		case OPT_FROM:
			if (parse_time("--from", optarg, &f->from))
				return -1;
			break;
		case OPT_TO:
			if (parse_time("--to", optarg, &f->to))
				return -1;
			break;
		case 'h':
			fputs(pprof_usage_text, stdout);
			return 1;
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (!a->has_type)
		return usage_error("%s--type is required", "");
	if (optind != argc - 1)
		return usage_error("%sexpected one trace directory", "");
	a->dir = argv[optind];
	if (f->from != MODEL_NO_TS && f->to != MODEL_NO_TS && f->to <= f->from)
		return usage_error("%s--to must be after --from", "");
	return 0;
}

/* The trace's name: DIR's last component ("trace" for "runs/trace/"). */
static void trace_name(const char *dir, char *out, size_t size)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", dir);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = 0;
	char *base = basename(buf);
	snprintf(out, size, "%s", !strcmp(base, "/") || !strcmp(base, ".") ? "ctrace" : base);
}


/* The output's directory must exist and be writable: a usage error,
 * found before the (possibly long) read of the trace. */
static int check_output(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	const char *dir = dirname(buf);
	if (access(dir, W_OK) == 0)
		return 0;
	fprintf(stderr, "ctrace pprof: -o %s: directory %s is missing or not writable\n", path, dir);
	return -1;
}

int pprof_main(int argc, char **argv)
{
	struct pprof_args args;
	int prc = parse_args(argc, argv, &args);
	if (prc)
		return prc > 0 ? 0 : 2;
	char name[256];
	trace_name(args.dir, name, sizeof name);
	char out[4096];
	if (args.output)
		snprintf(out, sizeof out, "%s", args.output);
	else
		snprintf(out, sizeof out, "%s-%s.pb.gz", name,
			 pprof_export_type_name(args.opts.type));
	if (check_output(out))
		return 2;
	args.opts.trace_name = name;
	struct analyzer_run_info run;
	analyzer_run_info_read(args.dir, &run);
	args.opts.clock_offset_ns = run.clock_offset_ns;

	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	if (model_load(args.dir, &m, &info, NULL, NULL, &err) != 0)
		return cli_load_failed("pprof", &err);
	cli_warn_damaged("pprof", &info, "the profile covers what could be read");
	struct analyzer_symbolizer *sym = model_symbolizer_create(&m);
	size_t kept;
	enum pprof_export_status st;
	struct pprof_builder *b = pprof_export_build(&m, sym, &args.opts, &kept, &st, &err);
	int rc = 0;
	if (!b) {
		fprintf(stderr, "ctrace pprof: %s\n", err.msg);
		rc = st == PPROF_EXPORT_FAILED ? 1 : 2;
	} else {
		struct pprof_error perr;
		if (pprof_builder_write(b, out, &perr) != 0) {
			fprintf(stderr, "ctrace pprof: %s\n", perr.msg);
			rc = 1;
		} else {
			printf("wrote %s: %s profile, %zu samples (%zu distinct)\n"
			       "open it with: go tool pprof -http=: %s   (or -top, -tags)\n",
			       out, pprof_export_type_name(args.opts.type), kept,
			       pprof_builder_sample_count(b), out);
		}
	}
	pprof_builder_destroy(b);
	analyzer_symbolizer_destroy(sym);
	model_free(&m);
	return rc;
}
