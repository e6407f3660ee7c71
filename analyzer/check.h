/*
 * Latency budgets: "NAME=DURATION[@pNN]" checked against a trace's
 * analysis, for `ctrace check`, `ctrace record --check` and anything else
 * that wants a yes/no answer with the offending instances.
 *
 * A budget names a region or a task (a name used for both is checked as
 * both, unless the name is written "region:NAME" or "task:NAME"). Without @pNN it bounds every instance's duration (the max); with
 * it, the nearest-rank percentile of the closed instances, as `ctrace
 * analyze` computes p50/p90/p99 (pNN may have one decimal: p99.9). A
 * budget is exceeded when the value is strictly above the limit. For a
 * max budget, an instance never closed (the thread or the program ended
 * inside it, e.g. a test killed while hung) counts too when it was open
 * longer than the limit: that is a lower bound of its duration.
 *
 * Evaluation only reads the analysis; printing is the caller's (the
 * offenders' breakdowns and blame come from the analyzer's reports).
 */
#ifndef ANALYZER_CHECK_H
#define ANALYZER_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

#define CHECK_NAME_MAX 256

struct check_budget {
	char name[CHECK_NAME_MAX];     /* region or task name */
	int kind;                      /* -1: both; ANALYSIS_REGION or _TASK */
	uint64_t limit_ns;
	unsigned permille;             /* 0: the max; else the percentile x10 (p99 = 990) */
};

/* Parses spec ("request=5ms", "request=2ms@p99", "task:request=5ms",
 * "a=b=1s@p99.9": the name is everything before the last '=') into *out. 0, or -1 with a
 * one-line reason in msg (without the spec itself). A duration needs a
 * unit (ns, us, ms, s); 0 is allowed. */
int check_budget_parse(const char *spec, struct check_budget *out, char *msg, size_t size);

/* "max" or "p99", "p99.9" into buf. */
const char *check_budget_stat(const struct check_budget *b, char *buf, size_t size);

/* One budget checked against the instances of one kind with its name. */
struct check_result {
	size_t budget;                 /* index in the budgets given */
	bool found;                    /* false: no region or task has the name
					* (kind and the rest are then 0) */
	uint8_t kind;                  /* enum analysis_kind */
	uint64_t count;                /* closed instances (in the window) */
	uint64_t unclosed;             /* instances never closed */
	uint64_t value_ns;             /* the max (unclosed included) or percentile */
	bool exceeded;                 /* value_ns > limit */
	/* Instances longer than the limit (unclosed ones open longer than
	 * it), longest first; over[] keeps the first n_kept of n_over. */
	uint64_t n_over;
	uint32_t *over;
	size_t n_kept;
};

struct check_outcome {
	struct check_result *results;  /* in budget order, region before task */
	size_t n_results;
	size_t n_exceeded, n_absent;   /* results exceeded; budgets naming nothing */
};

/* Checks the n budgets against a, keeping up to keep offenders per
 * result. 0, or -1 when memory ran out (*out is then empty). Free with
 * check_outcome_free. */
int check_evaluate(const struct analysis *a, const struct check_budget *budgets, size_t n,
		   size_t keep, struct check_outcome *out);
void check_outcome_free(struct check_outcome *o);

/* Duration of a region / task instance: end - begin (for an unclosed one,
 * up to where it was cut off). */
uint64_t check_instance_duration(const struct analysis *a, uint8_t kind, uint32_t instance);
/* Whether the instance was never closed. */
bool check_instance_unclosed(const struct analysis *a, uint8_t kind, uint32_t instance);

#endif
