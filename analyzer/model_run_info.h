/*
 * What `ctrace record` wrote about a run beside its trace
 * (DIR/ctrace-run.json) that reading the trace needs: the wall-clock time
 * of the trace clock, and for a flight-recorder snapshot where its history
 * begins. One reader for every command, tolerant of anything missing.
 */
#ifndef ANALYZER_MODEL_RUN_INFO_H
#define ANALYZER_MODEL_RUN_INFO_H

#include <stdbool.h>
#include <stdint.h>

struct analyzer_run_info {
	bool found;                 /* the file exists and was read */
	/* UTC ns minus trace-clock (CLOCK_MONOTONIC) ns at the run's start;
	 * 0 when unknown. */
	int64_t clock_offset_ns;
	/* A flight snapshot: before this instant (trace clock) some CPU's ring
	 * had already been overwritten, so threads' states are not known;
	 * 0 for a whole run. */
	uint64_t history_begin_ns;
	/* The program ctrace record ran; 0 when unknown. */
	int32_t root_pid;
};

/* Fills *out from DIR/ctrace-run.json; fields it cannot find stay 0. */
void analyzer_run_info_read(const char *dir, struct analyzer_run_info *out);

#endif
