/* Command-line parsing and help of `ctrace record` (see record_args.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record_args.h"
#include "record_flight.h"

void record_args_usage(FILE *out)
{
	fputs(
"usage: ctrace record [-o DIR] [options] [--] PROGRAM [ARGS...]\n"
"\n"
"Runs PROGRAM with ctrace's instrumentation (LD_PRELOAD into LTTng-UST) and\n"
"captures its threads' context switches (perf), then leaves one trace\n"
"directory: DIR/ust (program events), DIR/sched (context switches) and\n"
"DIR/ctrace-run.json (what ran, how it ended, settings, lost events).\n"
"Read it with `babeltrace2 DIR`. Needs no set-up: uses your running LTTng\n"
"session daemon, or starts a private one and stops it afterwards.\n"
"\n"
"options:\n"
"  -o, --output DIR           trace directory (default: ./ctrace-PROGRAM-YYYYmmdd-HHMMSS)\n"
"  -f, --force                replace DIR if it holds an earlier ctrace trace\n"
"      --discard              when buffers are full drop events instead of making\n"
"                             the program wait (long runs; drops are reported)\n"
"      --buffer-size SIZE     event buffer per CPU, 4 sub-buffers (default 4M)\n"
"      --sample-hz N          CPU-time samples per second per thread, 0 = off\n"
"                             (default 100, at most 250: timers fire on ticks)\n"
"      --lock-threshold DUR   lock waits this long get their own event; shorter\n"
"                             ones are summed in counters (default 10us)\n"
"      --syscall-threshold DUR  the same for blocking calls (default 10us)\n"
"      --alloc-sample SIZE    mean bytes between sampled allocations, 0 = off\n"
"                             (default 512K)\n"
"      --no-sched             do not capture context switches\n"
"      --private-daemon       always start a private session daemon\n"
"      --flight[=DUR]         flight recorder: keep about DUR (default 10s) of\n"
"                             history in memory and write a snapshot directory\n"
"                             DIR/snapshot-*/ only when a spike happens\n"
"                             (--buffer-size default 16M; a snapshot covering\n"
"                             less than DUR is warned about); no sched data\n"
"      --spike NAME=DUR       with --flight: a region or task NAME lasting more\n"
"                             than DUR is a spike (repeatable); programs can\n"
"                             also call ctrace_snapshot(reason)\n"
"      --spike-on-signal SIG  with --flight: snapshot when ctrace record gets\n"
"                             SIG (e.g. USR1; not passed to PROGRAM)\n"
"      --snapshot-interval DUR  at most one spike snapshot per DUR per process\n"
"                             (default 1s); a crash also takes a snapshot\n"
"      --max-snapshots N      stop taking snapshots after N (default 100), so\n"
"                             the disk used stays bounded too\n"
"      --check NAME=DUR[@pNN]  after the run, check this latency budget on the\n"
"                             trace as `ctrace check --budget` does (repeatable)\n"
"  -q, --quiet                no summary on stderr\n"
"  -h, --help                 this help\n"
"\n"
"DUR is a number with a unit: ns, us, ms or s.  SIZE is bytes, optionally with\n"
"K, M or G (binary).\n"
"\n"
"PROGRAM's stdin, stdout, stderr, environment, working directory and signals\n"
"are its own; Ctrl-C reaches it, and the trace is still completed.\n"
"A statically linked PROGRAM cannot be instrumented: only its context\n"
"switches are recorded.\n"
"\n"
"exit status: PROGRAM's (128+N if signal N killed it); 2 for bad usage or a\n"
"PROGRAM that cannot be run; 125 when recording cannot be set up (LTTng or\n"
"perf missing or unusable, output directory not writable). With --check, when\n"
"PROGRAM exited 0: 1 if a budget is exceeded, 2 if the budgets cannot be\n"
"checked (unusable trace, a name no region or task has); PROGRAM's own failure\n"
"wins over the budgets (they are still checked and printed).\n",
	      out);
}

int record_parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return -1;
	if (*end == '\0') {
		if (v != 0)
			return -1;   /* a bare number is ambiguous, except 0 */
		*ns = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double r = v * units[i].ns;
			if (r > 1e18)
				return -1;
			*ns = (uint64_t)(r + 0.5);
			return 0;
		}
	}
	return -1;
}

int record_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	uint64_t mul = 1;
	switch (*end) {
	case 'K': case 'k': mul = 1ull << 10; end++; break;
	case 'M': case 'm': mul = 1ull << 20; end++; break;
	case 'G': case 'g': mul = 1ull << 30; end++; break;
	default: break;
	}
	if (mul > 1 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0))
		end += strlen(end);
	if (*end != '\0' || v > UINT64_MAX / mul)
		return -1;
	*bytes = v * mul;
	return 0;
}

static uint64_t round_up_pow2(uint64_t v)
{
	uint64_t p = 1;
	while (p < v)
		p <<= 1;
	return p;
}

enum {
	OPT_DISCARD = 256, OPT_BUFFER_SIZE, OPT_SAMPLE_HZ, OPT_LOCK_THRESHOLD,
	OPT_SYSCALL_THRESHOLD, OPT_ALLOC_SAMPLE, OPT_NO_SCHED, OPT_PRIVATE_DAEMON,
	OPT_CHECK, OPT_FLIGHT, OPT_SPIKE, OPT_SPIKE_SIGNAL, OPT_SNAPSHOT_INTERVAL,
	OPT_MAX_SNAPSHOTS,
};

static int parse_option(int c, const char *arg, struct record_options *o, struct record_err *e)
{
	uint64_t v;
	switch (c) {
	case 'o':
		if (!*arg)
			return record_err_set(e, "--output: empty directory name");
		o->output = arg;
		return 0;
	case 'f': o->force = true; return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_DISCARD: o->discard = true; return 0;
	case OPT_NO_SCHED: o->sched = false; return 0;
	case OPT_PRIVATE_DAEMON: o->private_daemon = true; return 0;
	case OPT_CHECK:
		if (o->n_checks == RECORD_CHECKS_MAX)
			return record_err_set(e, "--check: at most %d budgets", RECORD_CHECKS_MAX);
		o->checks[o->n_checks++] = arg;
		return 0;
	case OPT_BUFFER_SIZE:
		if (record_parse_size(arg, &v) < 0)
			return record_err_set(e, "--buffer-size '%s': expected a size such as 4M", arg);
		/* LTTng wants power-of-two sub-buffers of at least a page. */
		if (v < RECORD_SUBBUF_COUNT * 4096u || v > (1ull << 32))
			return record_err_set(e, "--buffer-size '%s': expected 16K to 4G", arg);
		o->buffer_bytes = round_up_pow2(v);
		o->buffer_set = true;
		return 0;
	case OPT_FLIGHT:
		o->flight_ns = FLIGHT_DEFAULT_NS;
		if (arg && (record_parse_duration(arg, &o->flight_ns) < 0 || o->flight_ns == 0))
			return record_err_set(e, "--flight=%s: expected a duration such as 10s", arg);
		return 0;
	case OPT_SPIKE: {
		char name[128];
		if (o->n_spikes == RECORD_SPIKES_MAX)
			return record_err_set(e, "--spike: at most %d rules", RECORD_SPIKES_MAX);
		if (record_flight_parse_spike(arg, name, &v, e) < 0)
			return -1;
		o->spikes[o->n_spikes++] = arg;
		return 0;
	}
	case OPT_SPIKE_SIGNAL:
		return record_flight_parse_signal(arg, &o->spike_signal, e);
	case OPT_MAX_SNAPSHOTS: {
		char *end;
		errno = 0;
		unsigned long n = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno || n == 0 || n > 100000)
			return record_err_set(e, "--max-snapshots '%s': expected a number from 1 to 100000", arg);
		o->max_snapshots = (uint32_t)n;
		return 0;
	}
	case OPT_SNAPSHOT_INTERVAL:
		if (record_parse_duration(arg, &o->snapshot_interval_ns) < 0)
			return record_err_set(e, "--snapshot-interval '%s': expected a duration such as 1s", arg);
		return 0;
	case OPT_SAMPLE_HZ: {
		char *end;
		errno = 0;
		unsigned long hz = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno)
			return record_err_set(e, "--sample-hz '%s': expected a number of samples per second", arg);
		if (hz > RECORD_SAMPLE_HZ_MAX)
			return record_err_set(e, "--sample-hz %lu: at most %u (CPU-time timers fire on kernel ticks)",
					      hz, RECORD_SAMPLE_HZ_MAX);
		o->sample_hz = (uint32_t)hz;
		return 0;
	}
	case OPT_LOCK_THRESHOLD:
	case OPT_SYSCALL_THRESHOLD:
		if (record_parse_duration(arg, &v) < 0)
			return record_err_set(e, "%s '%s': expected a duration such as 10us (units ns, us, ms, s)",
					      c == OPT_LOCK_THRESHOLD ? "--lock-threshold" : "--syscall-threshold", arg);
		*(c == OPT_LOCK_THRESHOLD ? &o->lock_threshold_ns : &o->syscall_threshold_ns) = v;
		return 0;
	case OPT_ALLOC_SAMPLE:
		if (record_parse_size(arg, &v) < 0)
			return record_err_set(e, "--alloc-sample '%s': expected a size such as 512K", arg);
		o->alloc_sample_bytes = v;
		return 0;
	default:
		return record_err_set(e, "unknown option (try 'ctrace record --help')");
	}
}

enum record_args_result record_args_parse(int argc, char **argv, struct record_options *o,
					  struct record_err *e)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "discard", no_argument, NULL, OPT_DISCARD },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
		{ "sample-hz", required_argument, NULL, OPT_SAMPLE_HZ },
		{ "lock-threshold", required_argument, NULL, OPT_LOCK_THRESHOLD },
		{ "syscall-threshold", required_argument, NULL, OPT_SYSCALL_THRESHOLD },
		{ "alloc-sample", required_argument, NULL, OPT_ALLOC_SAMPLE },
		{ "no-sched", no_argument, NULL, OPT_NO_SCHED },
		{ "private-daemon", no_argument, NULL, OPT_PRIVATE_DAEMON },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "flight", optional_argument, NULL, OPT_FLIGHT },
		{ "spike", required_argument, NULL, OPT_SPIKE },
		{ "spike-on-signal", required_argument, NULL, OPT_SPIKE_SIGNAL },
		{ "snapshot-interval", required_argument, NULL, OPT_SNAPSHOT_INTERVAL },
		{ "max-snapshots", required_argument, NULL, OPT_MAX_SNAPSHOTS },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct record_options){
		.sched = true,
		.buffer_bytes = 4u << 20,
		.sample_hz = 100,
		.lock_threshold_ns = 10000,
		.syscall_threshold_ns = 10000,
		.alloc_sample_bytes = 512u << 10,
		.snapshot_interval_ns = FLIGHT_DEFAULT_INTERVAL_NS,
		.max_snapshots = FLIGHT_DEFAULT_MAX_SNAPSHOTS,
	};
	/* "+": options stop at the program name, whose own options follow.
	 * Errors are reported by us, in one line. */
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:o:fqh", longopts, NULL)) != -1) {
		if (c == 'h')
			return RECORD_ARGS_HELP;
		if (c == '?') {
			const char *bad = argv[optind - 1];
			record_err_set(e, "unknown option '%s' (try 'ctrace record --help')", bad);
			return RECORD_ARGS_ERROR;
		}
		if (c == ':') {
			record_err_set(e, "option '%s' needs a value", argv[optind - 1]);
			return RECORD_ARGS_ERROR;
		}
		if (parse_option(c, optarg, o, e) < 0)
			return RECORD_ARGS_ERROR;
	}
	if (optind >= argc) {
		record_err_set(e, "no program to run (usage: ctrace record [-o DIR] [options] -- PROGRAM [ARGS...])");
		return RECORD_ARGS_ERROR;
	}
	if (!o->flight_ns && (o->n_spikes || o->spike_signal)) {
		record_err_set(e, "--spike and --spike-on-signal need --flight");
		return RECORD_ARGS_ERROR;
	}
	if (o->flight_ns && o->n_checks) {
		record_err_set(e, "--check cannot be combined with --flight (check a snapshot with ctrace check)");
		return RECORD_ARGS_ERROR;
	}
	if (o->flight_ns && !o->buffer_set)
		o->buffer_bytes = FLIGHT_DEFAULT_BUFFER;
	o->prog_argc = argc - optind;
	o->prog_argv = argv + optind;
	return RECORD_ARGS_RUN;
}
