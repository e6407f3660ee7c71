/*
 * Reports of an analysis: the last stage of the pipeline. report_text is
 * for a person (a page readable in half a minute, human units),
 * report_json for programs (the schema is a contract: all times integer
 * nanoseconds; see report_json.c). Both print the same numbers.
 */
#ifndef ANALYZER_REPORT_H
#define ANALYZER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis.h"
#include "model_load.h"
#include "report_symbols.h"

struct report_context {
	const char *trace_dir;
	const struct model_load_info *load;
	const struct analysis *a;
	struct report_symbols *symbols;  /* NULL: addresses only */
	size_t top;                      /* rows per table */
	const char *focus;               /* region/task name to detail, or NULL */
	bool has_at;
	uint64_t at_ns;                  /* absolute: the --at snapshot instant */
};

/* The whole report; with has_at, the text report is the header and the
 * snapshot at at_ns, and the JSON report gains an "at" object. */
void report_text(FILE *out, const struct report_context *c);
void report_json(FILE *out, const struct report_context *c);

struct json_writer;

/* The --at snapshot (report_at.c). */
void report_at_text(FILE *out, const struct report_context *c);
void report_at_json(struct json_writer *j, const struct report_context *c);

/* ---- pieces other commands print too (`ctrace check`) ---- */

/* What a region (kind ANALYSIS_REGION) or task instance waited for, as
 * indented lines: the locks and their holders (thread, region, stack),
 * who held the CPUs while it was runnable, its longest calls and fds
 * (report_text.c); the same as "blocked_by", "cpu_holders" and
 * "syscalls" keys of the open JSON object (report_json.c). */
void report_blame_text(FILE *out, const struct report_context *c, uint8_t kind, uint32_t instance);
void report_blame_json(struct json_writer *j, const struct report_context *c, uint8_t kind,
		       uint32_t instance);
/* key: {"running_ns": ..., ...} for every state. */
void report_breakdown_json(struct json_writer *j, const char *key,
			   const struct model_breakdown *bd);

/* ---- shared by both (report_common.c) ---- */

/* What the trace lacks, as sentences ("no scheduling data: ..."); returns
 * how many (at most max). */
size_t report_missing(const struct report_context *c, const char **out, size_t max);
/* Total of the model's warnings, plus one for a damaged trace. */
uint64_t report_warning_total(const struct report_context *c);
/* Display name of a region / task / spike instance's name. */
const char *report_instance_name(const struct analysis *a, uint8_t kind, uint32_t instance);
/* The thread a region instance ran on / a task instance began on. */
uint32_t report_instance_thread(const struct analysis *a, uint8_t kind, uint32_t instance);
uint64_t report_instance_begin(const struct analysis *a, uint8_t kind, uint32_t instance);
/* Its breakdown (all zero if memory runs out computing it). */
struct model_breakdown report_instance_bd(const struct analysis *a, uint8_t kind, uint32_t instance);
const struct analysis_name_stats *report_spike_stats(const struct analysis *a,
						     const struct analysis_spike *s);
/* A thread's JSON-style start and end: known only when its creation (or
 * start) and its end are in the trace. */
bool report_thread_start_known(const struct model_thread *t);
bool report_thread_end_known(const struct model_thread *t);

#endif
