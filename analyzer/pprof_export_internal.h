/*
 * Shared by pprof_export*.c: the export's working state. pprof_export.c
 * drives one profile type; pprof_export_where.c says what a thread was
 * inside at an instant (regions, task, labels) and applies the filters;
 * pprof_export_stack.c turns stacks and synthetic frames into pprof
 * locations and sample labels.
 */
#ifndef ANALYZER_PPROF_EXPORT_INTERNAL_H
#define ANALYZER_PPROF_EXPORT_INTERNAL_H

#include "pprof_builder.h"
#include "pprof_export.h"
#include "symbolize.h"

/* Per-thread lists of item indices sorted by time, in one flat array per
 * kind: items of thread t are idx[off[t] .. off[t + 1]). */
struct pxp_index {
	uint32_t *off;
	uint32_t *idx;
};

/* Where a sample happened. */
struct pxp_where {
	uint64_t ts;
	uint32_t thread;
	uint32_t region;   /* innermost open region instance, MODEL_NONE */
	uint32_t task;     /* MODEL_NONE */
	uint32_t labels;   /* label set, 0 = none */
};

struct pxp {
	const struct model *m;
	struct analyzer_symbolizer *sym;
	const struct pprof_export_opts *opts;
	struct pprof_builder *b;
	uint64_t from, to;            /* absolute window [from, to) */
	struct pxp_index regions, attaches, labels, samples;
	/* Label keys' string ids. */
	int64_t k_thread, k_tid, k_region, k_regions, k_task;
	int64_t *region_path;         /* per region instance: "outer/inner" id, -1 unset */
	uint64_t *mapping_of;         /* per symbolizer module id: pprof mapping id, 0 unset */
	size_t n_mapping_of;
	uint64_t *locs;               /* scratch: location ids of one stack */
	struct analyzer_location *sym_locs;
	size_t locs_cap;
	size_t kept;
	bool oom;
};

/* ---- pprof_export_where.c ---- */
int pxp_where_init(struct pxp *x);
void pxp_where_free(struct pxp *x);
/* Fills regions, task and labels of thread at ts. */
void pxp_where_at(const struct pxp *x, uint32_t thread, uint64_t ts, struct pxp_where *w);
/* The filters (except time) accept w. */
bool pxp_where_accepts(const struct pxp *x, const struct pxp_where *w);
/* The CPU sample of thread nearest before ts, MODEL_NONE when none. */
uint32_t pxp_sample_before(const struct pxp *x, uint32_t thread, uint64_t ts);
/* The filter names things the trace has; else fills err and returns -1. */
int pxp_filter_check(const struct pxp *x, struct analyzer_error *err);

/* ---- pprof_export_stack.c ---- */
/* Location ids (leaf first) of model stack `stack` seen in thread's
 * process at ts, into x->locs; tracer frames left out; kind says what its
 * frame 0 is (a sample's or an event's). Returns the count, or -1 on
 * failure. */
int pxp_stack_locations(struct pxp *x, uint32_t stack, enum analyzer_stack_kind kind,
			uint32_t thread, uint64_t ts);
/* A location naming a synthetic frame (e.g. "mutex 0x1234"); 0 on failure. */
uint64_t pxp_synthetic_location(struct pxp *x, const char *name);
/* Adds every module's mapping up front, the executables first. 0 or -1. */
int pxp_mappings_add(struct pxp *x);
/* Adds a sample at w with the n locations in locs and values. 0 or -1. */
int pxp_sample_add(struct pxp *x, const struct pxp_where *w, const uint64_t *locs, size_t n,
		   const int64_t *values);
/* Makes room for n location ids in x->locs. 0 or -1. */
int pxp_locs_reserve(struct pxp *x, size_t n);

#endif
