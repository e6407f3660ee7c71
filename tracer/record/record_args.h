/*
 * Command line of `ctrace record`: options and the program to run. The
 * tracer settings map one to one onto the preload library's CTRACE_*
 * environment variables (tracer/preload/init.c), with the same defaults.
 */
#ifndef RECORD_ARGS_H
#define RECORD_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record_util.h"

#define RECORD_CHECKS_MAX 64
#define RECORD_SPIKES_MAX 32

struct record_options {
	const char *output;            /* -o DIR; NULL: a name in the cwd */
	bool force;                    /* replace an existing trace directory */
	bool private_daemon;           /* never use the user's session daemon */
	bool discard;                  /* drop events instead of blocking */
	bool sched;                    /* capture context switches */
	bool quiet;                    /* no summary */
	uint64_t buffer_bytes;         /* UST ring buffer per CPU */
	uint32_t sample_hz;            /* CPU-time samples/s per thread, 0 = off */
	uint64_t lock_threshold_ns;
	uint64_t syscall_threshold_ns;
	uint64_t alloc_sample_bytes;   /* 0 = off */
	/* --check NAME=DURATION[@pNN], as given: latency budgets checked on
	 * the trace once the program ended. The CLI layer checks them (it
	 * links the analyzer; record does not). */
	const char *checks[RECORD_CHECKS_MAX];
	size_t n_checks;
	/* Flight recorder (record_flight.h): --flight[=DUR] (0: off),
	 * --spike NAME=DUR as given (validated), --spike-on-signal (0: none),
	 * --snapshot-interval. buffer_set: --buffer-size was given. */
	uint64_t flight_ns;
	const char *spikes[RECORD_SPIKES_MAX];
	size_t n_spikes;
	int spike_signal;
	uint64_t snapshot_interval_ns;
	uint32_t max_snapshots;        /* --max-snapshots: then the trigger goes */
	bool buffer_set;
	int prog_argc;                 /* the program and its arguments, */
	char **prog_argv;              /* borrowed from main's argv */
};

#define RECORD_SUBBUF_COUNT 4u
#define RECORD_SAMPLE_HZ_MAX 250u  /* CPU-time timers fire on kernel ticks */

enum record_args_result { RECORD_ARGS_RUN, RECORD_ARGS_HELP, RECORD_ARGS_ERROR };

/* Parses argv (argv[0] is "record") into o. Returns RECORD_ARGS_ERROR with
 * a message in e for anything malformed. */
enum record_args_result record_args_parse(int argc, char **argv, struct record_options *o,
					  struct record_err *e);

void record_args_usage(FILE *out);

/* "10us", "1.5ms", "2s", "0" -> nanoseconds. Returns -1 when malformed. */
int record_parse_duration(const char *s, uint64_t *ns);
/* "4M", "512K", "65536" -> bytes (binary units). Returns -1 when malformed. */
int record_parse_size(const char *s, uint64_t *bytes);

#endif
