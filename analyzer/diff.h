/*
 * Comparing two runs (`ctrace diff OLD NEW`): from the analyses of two
 * traces, per region and task name, what changed and why.
 *
 * Names are matched by kind and string (the two models intern strings
 * separately). For a name in both runs: count and percentiles before and
 * after, and the change of its breakdown per state, both as totals and as
 * means per instance (run lengths differ, so the mean says what one
 * instance lost; the total what the run lost). A state whose time grew is
 * explained from the run where it is larger (NEW when it grew, OLD when it
 * shrank): lock_wait by the locks and the threads that held them
 * (analysis_blame_waits), syscall by the calls, runnable by the threads
 * that held the CPUs (analysis_blame_cpus). Names in one run only have
 * appeared or vanished.
 *
 * Entries are sorted by significance: the largest absolute change of the
 * name's total or p99 (for a name in one run only, its total or p99 there),
 * largest first.
 */
#ifndef ANALYZER_DIFF_H
#define ANALYZER_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

#define DIFF_BLAME_MAX 4     /* blamed items kept per state change */

enum diff_status {
	DIFF_BOTH = 0,       /* the name is in both runs */
	DIFF_APPEARED,       /* only in NEW */
	DIFF_VANISHED,       /* only in OLD */
};

enum diff_run_side { DIFF_OLD = 0, DIFF_NEW = 1 };

/* One name in one run (all zero when absent there). */
struct diff_side {
	uint32_t stats;      /* its analysis_name_stats index, MODEL_NONE: absent */
	uint64_t count, unclosed;
	uint64_t total_ns, p50_ns, p90_ns, p99_ns, max_ns, mean_ns;
	struct model_breakdown bd;       /* summed over the instances */
};

/* Who a state's time went to, in the blamed run's model. */
struct diff_blame {
	/* lock_wait: the holder / waker / joined thread; runnable: the thread
	 * on the CPU (MODEL_CPU_IDLE: other programs, MODEL_CPU_UNKNOWN);
	 * MODEL_NONE when unknown or for syscalls. */
	uint32_t thread;
	uint32_t lock;       /* lock_wait: model lock, MODEL_NONE for joins */
	uint8_t kind;        /* lock_wait: model_wait kind; syscall: enum ctrace_sys */
	uint32_t region;     /* lock_wait: the holder's region during one of the
	                      * waits (analysis_blocker.region), else MODEL_NONE */
	uint64_t ns;         /* of the state's time in the blamed run */
};

struct diff_state_change {
	uint8_t state;       /* enum model_state */
	int64_t total_ns;    /* NEW's total minus OLD's */
	int64_t mean_ns;     /* NEW's mean per instance minus OLD's */
	/* Explanation, for lock_wait, syscall and runnable: from the run
	 * where the state is larger. blamed_ns is how much of the state's
	 * time there the blame covers (short waits and calls have no
	 * record); blame[] the largest items, largest first. */
	uint8_t blame_side;  /* enum diff_run_side */
	uint64_t blamed_ns;
	size_t n_blame;
	struct diff_blame blame[DIFF_BLAME_MAX];
};

struct diff_entry {
	uint8_t kind;        /* enum analysis_kind */
	uint8_t status;      /* enum diff_status */
	const char *name;    /* borrowed from one of the models */
	struct diff_side side[2];        /* [DIFF_OLD], [DIFF_NEW] */
	uint64_t significance_ns;
	/* States whose time changed, largest absolute change of the mean
	 * (of the total for a name in one run only) first. */
	size_t n_changes;
	struct diff_state_change changes[MODEL_NSTATES];
};

struct diff_options {
	const char *only;    /* compare only this region / task name; NULL: all */
};

struct diff {
	const struct analysis *a[2];     /* borrowed: [DIFF_OLD], [DIFF_NEW] */
	struct diff_entry *entries;
	size_t n_entries;
};

/* Compares old and new (which must outlive d). 0, or -1 when out of memory
 * (d is then empty). Free with diff_free. */
int diff_compute(const struct analysis *old, const struct analysis *new_,
		 const struct diff_options *opt, struct diff *d);
void diff_free(struct diff *d);

/* (new - old) / old in percent; false when old is 0. */
bool diff_percent(uint64_t old, uint64_t new_, double *pct);

/* Reports call a name unchanged when every figure is within 1 %. */
#define DIFF_UNCHANGED_REL 0.01

/* Whether an entry changed: a name in one run only, or a count,
 * percentile or total that differs by at least rel (a fraction). */
bool diff_entry_changed(const struct diff_entry *e, double rel);

/* How many entries changed (by DIFF_UNCHANGED_REL), appeared, vanished,
 * or stayed the same. */
struct diff_summary {
	size_t changed, appeared, vanished, unchanged;
};
struct diff_summary diff_summarize(const struct diff *d);

/* ---- reports (diff_text.c, diff_json.c) ---- */

#include <stdio.h>

#include "model_load.h"

struct diff_report {
	const struct diff *d;
	const char *dir[2];
	const struct model_load_info *load[2];
	size_t top;          /* changed entries to show in text */
};

void diff_report_text(FILE *out, const struct diff_report *r);
void diff_report_json(FILE *out, const struct diff_report *r);

#endif
