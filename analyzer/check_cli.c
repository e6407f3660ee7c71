/*
 * `ctrace check` (check_cli.h): latency budgets over a recorded trace, for
 * tests. Loads the trace like `ctrace analyze`, evaluates the budgets
 * (check.c) and prints one line per budget, and for each exceeded one its
 * longest offending instances with their breakdown and the analyzer's
 * blame (report_blame_text / report_blame_json: the same words and
 * numbers as the spikes of `ctrace analyze`).
 */
#include "check_cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli_common.h"
#include "json_writer.h"
#include "analysis_cache.h"
#include "model_load.h"
#include "report.h"
#include "report_units.h"

#define CHECK_DEFAULT_TOP 3
#define CHECK_BUDGETS_MAX 64
#define D(ns) units_duration((ns), (char[24]){ 0 }, 24)

static const char check_usage[] =
"usage: ctrace check --budget NAME=DURATION[@pNN] [--budget ...] [options] DIR\n"
"\n"
"Checks latency budgets against the trace `ctrace record` wrote in DIR, for\n"
"tests: NAME is a region or task name (a name used for both is checked as\n"
"both; region:NAME or task:NAME checks one). Without @pNN the budget bounds\n"
"every instance (the max; an instance never closed counts when it was open\n"
"longer than the budget); with @p99, @p50, @p99.9... it bounds that\n"
"nearest-rank percentile, as `ctrace analyze` computes it. A budget is\n"
"exceeded when the value is above DURATION.\n"
"\n"
"Prints one line per budget; for an exceeded one, its longest instances over\n"
"the budget with where their time went (running, runnable, lock_wait,\n"
"syscall, other) and what they waited for (which lock held by which thread\n"
"in which region, which calls on which fd, which threads held the CPUs).\n"
"\n"
"options:\n"
"  -b, --budget NAME=DUR[@pNN]  a budget (DUR with a unit: 500us, 5ms, 1.5s)\n"
"      --top N              offending instances shown per budget (default 3)\n"
"      --allow-missing      a budget naming no region or task in the trace\n"
"                           holds (default: it is an error, exit 2)\n"
"      --json               the outcome as JSON (all times in integer ns)\n"
"      --no-cache           do not use DIR/ctrace-model.cache (`ctrace analyze`'s)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 every budget holds; 1 a budget is exceeded; 2 bad usage, an\n"
"unusable trace, or a budget naming no region or task in it (a typo must not\n"
"pass silently; see --allow-missing).\n";

struct check_args {
	struct check_budget budgets[CHECK_BUDGETS_MAX];
	const char *specs[CHECK_BUDGETS_MAX];
	size_t n_budgets, top;
	bool json, allow_missing, no_cache;
	const char *dir;
};

static int parse_args(int argc, char **argv, struct check_args *a)
{
	enum { OPT_TOP = 256, OPT_ALLOW_MISSING, OPT_JSON, OPT_NO_CACHE };
	static const struct option longopts[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "allow-missing", no_argument, NULL, OPT_ALLOW_MISSING },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	a->n_budgets = 0;
	a->top = CHECK_DEFAULT_TOP;
	a->json = a->allow_missing = a->no_cache = false;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': {
			char msg[200];
			if (a->n_budgets == CHECK_BUDGETS_MAX) {
				fprintf(stderr, "ctrace check: at most %d budgets\n", CHECK_BUDGETS_MAX);
				return -1;
			}
			if (check_budget_parse(optarg, &a->budgets[a->n_budgets], msg, sizeof msg) != 0) {
				fprintf(stderr, "ctrace check: --budget '%s': %s\n", optarg, msg);
				return -1;
			}
			a->specs[a->n_budgets++] = optarg;
			break;
		}
		case OPT_TOP: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || v > 1000) {
				fprintf(stderr, "ctrace check: --top '%s': expected a number of instances (0 to 1000)\n",
					optarg);
				return -1;
			}
			a->top = v;
			break;
		}
		case OPT_ALLOW_MISSING: a->allow_missing = true; break;
		case OPT_JSON: a->json = true; break;
		case OPT_NO_CACHE: a->no_cache = true; break;
		case 'h': return 1;
		case ':':
			fprintf(stderr, "ctrace check: option '%s' needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "ctrace check: unknown option '%s' (try 'ctrace check --help')\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (!(a->dir = cli_trace_dir_arg("check", argc, argv)))
		return -1;
	if (!a->n_budgets) {
		fprintf(stderr, "ctrace check: no budget given (--budget NAME=DURATION[@pNN])\n");
		return -1;
	}
	return 0;
}

static const char *kind_name(uint8_t kind)
{
	return kind == ANALYSIS_REGION ? "region" : "task";
}

/* What a budget may name: "region or task", "region", "task". */
static const char *budget_kinds(const struct check_budget *b)
{
	return b->kind < 0 ? "region or task" : kind_name((uint8_t)b->kind);
}

/* The names the trace has, for a budget that names none of them. */
static void say_absent(const struct check_args *args, const struct analysis *a,
		       const struct check_budget *b)
{
	fprintf(stderr, "ctrace check: no %s named '%s' in %s (it has", budget_kinds(b), b->name,
		args->dir);
	size_t shown = 0, total = a->n_region_stats + a->n_task_stats;
	for (size_t i = 0; i < total && shown < 8; i++, shown++) {
		bool region = i < a->n_region_stats;
		const struct analysis_name_stats *s = region ? &a->region_stats[i]
							     : &a->task_stats[i - a->n_region_stats];
		fprintf(stderr, "%s %s %s", shown ? "," : "", region ? "region" : "task",
			model_str(a->m, s->name));
	}
	fprintf(stderr, "%s%s)\n", total > shown ? ", ..." : "", total ? "" : " none");
}

/* One instance over its budget: when, how long, where its time went, and
 * the analyzer's blame. */
static void offender_text(FILE *out, const struct report_context *c, const struct check_result *r,
			  const struct check_budget *b, uint32_t instance)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	uint32_t th = report_instance_thread(a, r->kind, instance);
	uint64_t d = check_instance_duration(a, r->kind, instance);
	bool unclosed = check_instance_unclosed(a, r->kind, instance);
	fprintf(out, "  %s %s on %d at +%s: %s%s", kind_name(r->kind),
		report_instance_name(a, r->kind, instance), th < m->n_threads ? m->threads[th].tid : 0,
		D(report_instance_begin(a, r->kind, instance) - m->start_ns), unclosed ? "at least " : "",
		D(d));
	if (b->limit_ns)
		fprintf(out, " (%.1fx the budget)", (double)d / (double)b->limit_ns);
	fprintf(out, "%s\n", unclosed ? ", never closed" : "");
	struct model_breakdown bd = report_instance_bd(a, r->kind, instance);
	fputs("      ", out);
	for (int s = 0; s < MODEL_NSTATES; s++)
		if (s != MODEL_UNKNOWN || bd.ns[s])
			fprintf(out, "%s%s %s", s ? ", " : "", model_state_name(s), D(bd.ns[s]));
	fputc('\n', out);
	report_blame_text(out, c, r->kind, instance);
}

static void outcome_text(FILE *out, const struct check_args *args, const struct report_context *c,
			 const struct check_outcome *o)
{
	for (size_t i = 0; i < o->n_results; i++) {
		const struct check_result *r = &o->results[i];
		const struct check_budget *b = &args->budgets[r->budget];
		char stat[16];
		check_budget_stat(b, stat, sizeof stat);
		if (!r->found) {
			fprintf(out, "%-5s %s <= %s (%s): no %s has this name%s\n",
				args->allow_missing ? "ok" : "ERROR", b->name, D(b->limit_ns), stat,
				budget_kinds(b), args->allow_missing ? " (--allow-missing)" : "");
			continue;
		}
		fprintf(out, "%-5s %s %s <= %s (%s): %" PRIu64 " instance%s, %s %s",
			r->exceeded ? "FAIL" : "ok", kind_name(r->kind), b->name, D(b->limit_ns), stat,
			r->count, r->count == 1 ? "" : "s", stat, D(r->value_ns));
		if (r->unclosed)
			fprintf(out, ", %" PRIu64 " never closed", r->unclosed);
		if (r->n_over)
			fprintf(out, "; %" PRIu64 " over the budget", r->n_over);
		fputc('\n', out);
		if (!r->exceeded)
			continue;
		for (size_t k = 0; k < r->n_kept; k++)
			offender_text(out, c, r, b, r->over[k]);
		if (r->n_over > r->n_kept)
			fprintf(out, "  ... %" PRIu64 " more over the budget (--top)\n", r->n_over - r->n_kept);
	}
	size_t n_ok = o->n_results - o->n_exceeded - o->n_absent;
	fprintf(out, "ctrace check: %zu exceeded, %zu held", o->n_exceeded, n_ok);
	if (o->n_absent)
		fprintf(out, ", %zu naming nothing%s", o->n_absent, args->allow_missing ? " (allowed)" : "");
	fputc('\n', out);
}

static void outcome_json(FILE *out, const struct check_args *args, const struct report_context *c,
			 const struct check_outcome *o, int status)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	struct json_writer j;
	json_init(&j, out, true);
	json_object_begin(&j);
	json_kv_string(&j, "trace", args->dir);
	json_kv_int(&j, "exit_status", status);
	json_key(&j, "budgets");
	json_array_begin(&j);
	for (size_t i = 0; i < o->n_results; i++) {
		const struct check_result *r = &o->results[i];
		const struct check_budget *b = &args->budgets[r->budget];
		char stat[16];
		json_object_begin(&j);
		json_kv_string(&j, "spec", args->specs[r->budget]);
		json_kv_string(&j, "name", b->name);
		json_kv_string(&j, "kind", r->found ? kind_name(r->kind) : NULL);
		json_kv_string(&j, "stat", check_budget_stat(b, stat, sizeof stat));
		json_kv_uint(&j, "limit_ns", b->limit_ns);
		json_kv_bool(&j, "found", r->found);
		json_kv_uint(&j, "count", r->count);
		json_kv_uint(&j, "unclosed", r->unclosed);
		json_kv_uint(&j, "value_ns", r->value_ns);
		json_kv_bool(&j, "exceeded", r->exceeded);
		json_kv_uint(&j, "over_count", r->n_over);
		json_key(&j, "offenders");
		json_array_begin(&j);
		for (size_t k = 0; r->exceeded && k < r->n_kept; k++) {
			uint32_t inst = r->over[k];
			uint32_t th = report_instance_thread(a, r->kind, inst);
			json_object_begin(&j);
			json_kv_uint_or_null(&j, "tid", th < m->n_threads ? (uint64_t)m->threads[th].tid : 0,
					     th < m->n_threads);
			json_kv_uint(&j, "start_ns", report_instance_begin(a, r->kind, inst));
			json_kv_uint(&j, "duration_ns", check_instance_duration(a, r->kind, inst));
			json_kv_bool(&j, "unclosed", check_instance_unclosed(a, r->kind, inst));
			struct model_breakdown bd = report_instance_bd(a, r->kind, inst);
			report_breakdown_json(&j, "breakdown", &bd);
			report_blame_json(&j, c, r->kind, inst);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', out);
}

/* Budgets checked against a loaded model; returns the exit status. */
static int check_model(const struct check_args *args, const struct model *m,
		       const struct model_load_info *info)
{
	struct analysis_options opt = analysis_default_options();
	opt.keep_instance_breakdowns = false;   /* computed for the offenders only */
	struct analysis a;
	if (analysis_run_cached(args->dir, m, info, &opt, &a) != 0) {
		fprintf(stderr, "ctrace check: out of memory while analyzing %s\n", args->dir);
		return 2;
	}
	struct check_outcome o;
	if (check_evaluate(&a, args->budgets, args->n_budgets, args->top, &o) != 0) {
		fprintf(stderr, "ctrace check: out of memory while checking %s\n", args->dir);
		analysis_free(&a);
		return 2;
	}
	int status = o.n_absent && !args->allow_missing ? 2 : o.n_exceeded ? 1 : 0;
	struct report_context c = {
		.trace_dir = args->dir, .load = info, .a = &a, .top = args->top,
		/* Stacks are named only for offenders: loading symbols costs. */
		.symbols = o.n_exceeded ? report_symbols_create(m) : NULL,
	};
	if (args->json)
		outcome_json(stdout, args, &c, &o, status);
	else
		outcome_text(stdout, args, &c, &o);
	for (size_t i = 0; i < o.n_results && !args->allow_missing; i++)
		if (!o.results[i].found)
			say_absent(args, &a, &args->budgets[o.results[i].budget]);
	report_symbols_destroy(c.symbols);
	check_outcome_free(&o);
	analysis_free(&a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ctrace check: writing the outcome failed\n");
		return 2;
	}
	return status;
}

int check_main(int argc, char **argv)
{
	static struct check_args args;   /* budgets are large-ish: not on the stack */
	int rc = parse_args(argc, argv, &args);
	if (rc > 0) {
		fputs(check_usage, stdout);
		return 0;
	}
	if (rc < 0)
		return 2;
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	struct model_load_options lopt = { .cache = !args.no_cache };
	if (model_load_opts(args.dir, &lopt, &m, &info, &err) != 0) {
		cli_load_failed("check", &err);
		return 2;
	}
	cli_warn_damaged("check", &info, "the budgets are checked against what could be read");
	/* A lost region end or begin changes what the budgets see. */
	if (m.discarded_events)
		fprintf(stderr, "ctrace check: warning: %" PRId64 " events were lost while recording; "
			"the budgets are checked against the events kept\n", m.discarded_events);
	int status = check_model(&args, &m, &info);
	model_free(&m);
	return status;
}
