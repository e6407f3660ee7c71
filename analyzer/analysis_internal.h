/*
 * Inside the analysis: the steps analysis_run chains (analysis.c), each in
 * its own file.
 */
#ifndef ANALYZER_ANALYSIS_INTERNAL_H
#define ANALYZER_ANALYSIS_INTERNAL_H

#include "analysis.h"

/* analysis_lookup.c: the per-thread (and per-task) time indexes. */
int analysis_indexes_build(struct analysis *a);
void analysis_indexes_free(struct analysis *a);

/* analysis_breakdown.c: region, task and thread breakdowns. */
int analysis_breakdowns(struct analysis *a);

/* Reusable memory for computing task breakdowns. */
struct analysis_scratch {
	void *v;
	size_t n, cap;
};

/* analysis_instance_breakdown with caller-kept scratch memory (free its
 * v when done), for loops over many instances. */
int analysis_instance_breakdown_with(const struct analysis *a, uint8_t kind, uint32_t instance,
				     struct model_breakdown *out, struct analysis_scratch *scratch);

/* analysis_stats.c: per-name statistics, then spikes. */
int analysis_name_stats(struct analysis *a, enum analysis_kind kind);
int analysis_spikes(struct analysis *a);

/* analysis_sync.c: lock and syscall totals. */
int analysis_locks(struct analysis *a);
int analysis_syscall_totals(struct analysis *a);

/* One stretch of one thread's time an instance covers. */
struct analysis_span {
	uint32_t thread;
	uint64_t begin, end;
};

/* The spans of a region (one) or task (one per attachment) instance,
 * clipped to the instance; returns how many (at most max). */
size_t analysis_spans(const struct analysis *a, uint8_t kind, uint32_t instance,
		      struct analysis_span *out, size_t max);

#endif
