/*
 * Building a model (model.h) from a stream of events in time order.
 *
 * The builder takes one model_event at a time (model_event.h), so it can
 * be fed from a trace (model_load.h) or directly by a test. It never
 * fails on odd input: events out of order, unknown threads, unmatched
 * region ends and the like are repaired as well as the trace allows and
 * counted in model.warnings. It fails only when memory runs out.
 */
#ifndef ANALYZER_MODEL_BUILDER_H
#define ANALYZER_MODEL_BUILDER_H

#include <stdbool.h>

#include "model.h"
#include "model_event.h"

struct model_builder_options {
	/* Scheduling data (context switches) is part of the trace. Without
	 * it, on-CPU time is derived and flagged MODEL_IV_ESTIMATED. */
	bool sched;
	/* A flight-recorder snapshot keeps the lifecycle of every thread but
	 * the rest only from here on (model_run_info.h): threads' states
	 * before it are unknown, whatever the few events kept from then
	 * suggest. 0: the trace covers the whole run. */
	uint64_t history_begin_ns;
	/* The recorded program's pid (model_run_info.h): events of processes
	 * that are neither it nor its descendants are left out, counted as
	 * MODEL_W_FOREIGN. A user's session daemon serves every recording made
	 * at the same time, and each session gets every traced program's
	 * events. Descendants are known from the kernel's fork records (the
	 * scheduling trace follows only the program's tree) and from
	 * process_start's parent. 0: keep everything. */
	int32_t root_pid;
};

struct model_builder;

/* NULL when out of memory. Free with model_builder_destroy. */
struct model_builder *model_builder_create(const struct model_builder_options *opt);

/* Takes one event. 0, or -1 when out of memory (the builder is then
 * unusable: only destroy is allowed). */
int model_builder_feed(struct model_builder *b, const struct model_event *ev);

/* Closes what is still open at the trace's end and moves the model into
 * *out (the caller frees it with model_free). 0, or -1 when out of memory
 * or after a failed feed. The builder is left empty either way. */
int model_builder_finish(struct model_builder *b, struct model *out);

void model_builder_destroy(struct model_builder *b);

#endif
