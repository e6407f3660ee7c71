/*
 * Allocation-burst detection, per thread, without a clock read per malloc.
 *
 * The malloc fast path only adds to counters; every `check_bytes` of
 * allocation (weighted so that many tiny allocations count too) the slow
 * path reads the clock and calls burst_check with the thread's running
 * totals. An interval between two checks is hot when its rate reaches
 * `rate_bytes_per_ms`; consecutive hot intervals form a burst, reported when
 * the first cold check (or burst_finish) ends it, if it reached `min_bytes`.
 * A burst therefore starts at most one check interval early and its end is
 * the last hot check.
 */
#ifndef TRACER_BURST_H
#define TRACER_BURST_H

#include <stdbool.h>
#include <stdint.h>

struct burst_config {
	uint64_t rate_bytes_per_ms;
	uint64_t min_bytes;
};

struct burst_state {
	uint64_t last_ns, last_bytes, last_count;     /* previous check */
	bool active;
	uint64_t begin_ns, begin_bytes, begin_count;  /* burst start */
	uint64_t hot_ns, hot_bytes, hot_count;        /* last hot check */
};

struct burst_event {
	uint64_t begin_ns, end_ns, bytes, count;
};

/* total_bytes/total_count are the thread's running totals (never reset).
 * Returns true and fills *ev when this check ends a burst worth reporting. */
bool burst_check(struct burst_state *s, const struct burst_config *cfg,
		 uint64_t now_ns, uint64_t total_bytes, uint64_t total_count,
		 struct burst_event *ev);

/* Ends a burst in progress (thread exit, region end). Same return as above. */
bool burst_finish(struct burst_state *s, const struct burst_config *cfg,
		  struct burst_event *ev);

#endif
