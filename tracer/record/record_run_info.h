/*
 * DIR/ctrace-run.json: what was recorded and how it went, for the analyzer
 * and for people. Written once when the program starts ("state":
 * "recording": a crash of the recorder leaves that behind) and again at the
 * end ("complete", or "incomplete" when finishing the trace failed).
 *
 * Keys: format (1), state, command [argv], program (resolved path), cwd,
 * pid, start/end {utc, monotonic_ns} (monotonic = the trace clock),
 * exit {code, signal|null} (code is 128+signal when killed),
 * instrumented + instrumentation_note, daemon ("user"/"private"/"none"),
 * scheduling {captured, note, events, discarded, reordered, reader_cpu_ns},
 * ust {discarded_events, note}, discarded_events (total), recorder_cpu_ns
 * (ctrace record's own CPU time, reader thread included), settings {...},
 * errors (teardown problems, "" if none), flight (with --flight only: see
 * record_flight.h).
 */
#ifndef RECORD_RUN_INFO_H
#define RECORD_RUN_INFO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "record_args.h"
#include "record_util.h"

struct record_run_info {
	const struct record_options *opts;
	const char *state;
	const char *program;
	pid_t pid;
	uint64_t start_real_ns, start_mono_ns;
	uint64_t end_real_ns, end_mono_ns;     /* 0 while recording */
	bool ended;
	int wait_status;
	bool instrumented;
	const char *instrumentation_note;
	const char *daemon;
	bool sched_captured;
	const char *sched_note;
	uint64_t sched_events;
	uint64_t sched_discarded;
	uint64_t sched_reordered;
	uint64_t reader_cpu_ns;
	uint64_t recorder_cpu_ns;         /* all of ctrace record's own CPU time */
	int64_t ust_discarded;
	const char *ust_note;          /* why there are no program events, or NULL */
	const char *errors;
	const char *flight_json;       /* "flight" object (record_flight.h), or NULL */
};

/* Appends s as a JSON string (quoted, escaped) to b. */
void record_run_info_json_string(struct record_buf *b, const char *s);

/* Writes DIR/ctrace-run.json (replacing it atomically). */
int record_run_info_write(const char *trace_dir, const struct record_run_info *ri,
			  struct record_err *e);

#endif
