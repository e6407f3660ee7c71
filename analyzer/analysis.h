/*
 * The analysis of a model: the third stage of the pipeline (read → model →
 * analysis → output). Everything the reports print is computed here, from
 * the finished model only, so text and JSON say the same thing.
 *
 * - Breakdowns: for every region instance, task instance and thread, the
 *   wall time split into the model's states, non-overlapping, summing
 *   exactly to the wall time (analysis_check asserts it).
 *   A region's is its thread's timeline over [begin, end). A task's is,
 *   at each instant, the state of the thread working for it (task_begin
 *   and task_attach attach a thread; when several do, the most active
 *   state wins: running > runnable > syscall > lock_wait > other >
 *   unknown); instants when no thread works for it count as other.
 * - Per region and task name: count, total, min, p50/p90/p99 (nearest
 *   rank), max, a log2 latency histogram, the summed breakdown and
 *   allocations. Instances still open at the end are counted apart.
 * - Spikes: instances whose duration is an outlier for their name: by
 *   default at or above its p99 and at least 3x its median, for names
 *   with at least ANALYSIS_SPIKE_MIN_COUNT instances; with a threshold,
 *   every instance at least that long. Cause: the state whose time
 *   exceeds the name's mean the most (or, when none exceeds it by a
 *   tenth of the instance, the state it spent most time in).
 * - Locks and syscalls: totals per lock address and per call.
 *
 * An optional window [from, to] restricts all of it: instances and waits
 * count when they lie inside it, thread breakdowns are clipped to it.
 */
#ifndef ANALYZER_ANALYSIS_H
#define ANALYZER_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define ANALYSIS_HIST_BUCKETS 64       /* bucket k: [2^k, 2^(k+1)) ns */
#define ANALYSIS_SPIKE_MIN_COUNT 10

struct analysis_options {
	uint64_t from_ns, to_ns;       /* absolute; 0 and UINT64_MAX: all */
	uint64_t spike_threshold_ns;   /* 0: the default rule */
	/* Keep every region and task instance's breakdown in region_bd and
	 * task_bd (48 bytes each) and its stats index in *_stats_of. Without,
	 * those are NULL and analysis_instance_breakdown / analysis_stats_of
	 * compute one when asked. */
	bool keep_instance_breakdowns;
};

struct analysis_options analysis_default_options(void);

enum analysis_kind { ANALYSIS_REGION = 0, ANALYSIS_TASK = 1 };

/* Latency statistics of one region or task name. */
struct analysis_name_stats {
	uint32_t name;                 /* string */
	uint64_t count;                /* closed instances in the window */
	uint64_t unclosed;             /* instances still open at the end */
	uint64_t total_ns, min_ns, p50_ns, p90_ns, p99_ns, max_ns;
	uint64_t hist[ANALYSIS_HIST_BUCKETS];
	struct model_breakdown bd;     /* summed over the counted instances */
	uint64_t alloc_bytes, alloc_count;
};

struct analysis_spike {
	uint8_t kind;                  /* enum analysis_kind */
	uint8_t cause;                 /* enum model_state */
	uint32_t instance;             /* region or task index */
	uint32_t stats;                /* its name's analysis_name_stats */
	uint64_t duration_ns;
};

struct analysis_lock_stats {
	uint32_t lock;                 /* model lock index */
	uint64_t contentions, wait_ns, max_wait_ns, hold_ns;
	size_t first, n;               /* its rows in analysis.lock_threads */
};

/* One thread's share of one lock: as a waiter and as a holder. */
struct analysis_lock_thread {
	uint32_t lock, thread;
	uint64_t waits, wait_ns, hold_ns;
	uint64_t wakes;                /* cond, sem: waits it ended by waking */
};

struct analysis_syscall_stats {
	uint8_t sys;                   /* enum ctrace_sys */
	bool short_calls;              /* the calls below the threshold, all kinds */
	uint64_t count, total_ns, max_ns;
};

/* Indices of one kind of item per thread, in time order: items of thread
 * t are idx[off[t] .. off[t+1]). */
struct analysis_index {
	uint32_t *idx;
	size_t *off;
};

struct analysis {
	const struct model *m;         /* borrowed: must outlive the analysis */
	struct analysis_options opt;

	/* Per region / task instance, when keep_instance_breakdowns (else
	 * NULL: use analysis_instance_breakdown). */
	struct model_breakdown *region_bd;
	struct model_breakdown *task_bd;
	struct model_breakdown *thread_bd;   /* per thread, within the window */

	/* Sorted by total time, largest first. */
	struct analysis_name_stats *region_stats, *task_stats;
	size_t n_region_stats, n_task_stats;
	/* Per region / task instance: its stats index (MODEL_NONE when not
	 * counted), kept only with keep_instance_breakdowns; else NULL: use
	 * analysis_stats_of. */
	uint32_t *region_stats_of;
	uint32_t *task_stats_of;
	/* Per string id: the stats of the region / task name, MODEL_NONE. */
	uint32_t *region_stats_by_name, *task_stats_by_name;

	struct analysis_spike *spikes; /* longest first */
	size_t n_spikes;

	struct analysis_lock_stats *locks;   /* most waited-on first */
	size_t n_locks;
	struct analysis_lock_thread *lock_threads;
	size_t n_lock_threads;

	struct analysis_syscall_stats *syscalls;  /* most time first */
	size_t n_syscalls;

	/* Time lookups. */
	struct analysis_index thread_regions;  /* by begin */
	struct analysis_index thread_samples;
	struct analysis_index thread_waits;    /* by end */
	struct analysis_index thread_syscalls; /* by end */
	struct analysis_index task_attaches;   /* per task, by from */
};

/* Analyses m (which must outlive a). 0, or -1 when out of memory (a is
 * then empty). Free with analysis_free. */
int analysis_run(const struct model *m, const struct analysis_options *opt, struct analysis *a);
void analysis_free(struct analysis *a);

/* The breakdown of a region (kind ANALYSIS_REGION) or task instance into
 * *out: stored or computed. 0, or -1 when out of memory. */
int analysis_instance_breakdown(const struct analysis *a, uint8_t kind, uint32_t instance,
				struct model_breakdown *out);

/* The stats index of a region / task instance, MODEL_NONE when it does
 * not count (outside the window, never closed). */
uint32_t analysis_stats_of(const struct analysis *a, uint8_t kind, uint32_t instance);

/* 0 when every breakdown sums to its wall time; -1 with msg otherwise. */
int analysis_check(const struct analysis *a, char *msg, size_t size);

/* Whether instance [begin, end] counts in the window. */
bool analysis_in_window(const struct analysis *a, uint64_t begin, uint64_t end);

/* ---- time lookups (analysis_lookup.c) ---- */

/* The innermost region instance of thread open at ts, MODEL_NONE. */
uint32_t analysis_region_at(const struct analysis *a, uint32_t thread, uint64_t ts);
/* The first region instance of thread begun within [from, to), MODEL_NONE. */
uint32_t analysis_region_begun_in(const struct analysis *a, uint32_t thread, uint64_t from,
				  uint64_t to);
/* The latest CPU sample of thread at or before ts, MODEL_NONE. */
uint32_t analysis_sample_before(const struct analysis *a, uint32_t thread, uint64_t ts);

/* ---- the tracer's own threads (analysis_tracer.c) ---- */

/* Per thread of m, whether it is LTTng-UST's listener thread rather than
 * the program's (reports and the viewer hide those; JSON flags them); the
 * count in *n_tracer when not NULL. Free with free(); NULL on OOM. */
bool *analysis_tracer_threads(const struct model *m, size_t *n_tracer);

/* ---- blame (analysis_blame.c): what a slow instance waited for ---- */

/* A thread that made another wait on a lock (or wake, or join). */
struct analysis_blocker {
	uint32_t thread;               /* the holder / waker / joined; NONE */
	uint32_t lock;                 /* model lock, NONE for joins */
	uint8_t kind;                  /* model_wait kind */
	uint64_t wait_ns;              /* waited on it inside the span */
	uint32_t region;               /* its innermost region at the wait */
	uint32_t stack;                /* release stack, else its latest sample's */
	bool stack_sampled;            /* stack is a CPU sample's (frame 0 exact) */
	uint32_t wait;                 /* the longest of these waits */
};

/* Who held CPUs while a thread was runnable (thread MODEL_CPU_IDLE: none
 * of ours, i.e. other programs; MODEL_CPU_UNKNOWN: not known). */
struct analysis_cpu_holder {
	uint32_t thread;
	uint64_t ns;
};

/* The span's blame, for a region instance (its thread over its span) or
 * a task instance (each attached thread over its attachment). Results are
 * merged and sorted, largest first; each returns how many it wrote. */
size_t analysis_blame_waits(const struct analysis *a, uint8_t kind, uint32_t instance,
			    struct analysis_blocker *out, size_t max);
size_t analysis_blame_cpus(const struct analysis *a, uint8_t kind, uint32_t instance,
			   struct analysis_cpu_holder *out, size_t max);
/* Syscall record indices overlapping the span, longest first. */
size_t analysis_blame_syscalls(const struct analysis *a, uint8_t kind, uint32_t instance,
			       uint32_t *out, size_t max);

#endif
