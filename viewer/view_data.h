/*
 * What the viewer shows, prepared once at load time from a finished model:
 * the model and its analysis (owned), the rows of the timeline in display
 * order, per-thread state summaries (view_lod.h), regions sorted per
 * (thread, depth) and markers per thread. Read-only while drawing.
 *
 * Rows, top to bottom: one per CPU (which of the traced threads ran), then
 * per process a header row and per thread its state row, a marker lane
 * (logs, allocation bursts, CPU samples), one row per region depth and a
 * row of the spans where it worked for a task. A process can be
 * collapsed to its header; threads are sorted and filtered by name.
 */
#ifndef VIEW_DATA_H
#define VIEW_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "model.h"
#include "model_load.h"
#include "view_lod.h"

enum view_row_kind { VIEW_ROW_CPU, VIEW_ROW_PROCESS, VIEW_ROW_STATE, VIEW_ROW_MARKS, VIEW_ROW_REGION,
		     VIEW_ROW_TASK };

/* The order of the threads of a process. */
enum view_sort { VIEW_SORT_START, VIEW_SORT_NAME, VIEW_SORT_BLOCKED, VIEW_SORT_COUNT };

#define VIEW_ROW_H 16           /* CPU, state and region rows */
#define VIEW_MARKS_H 6
#define VIEW_PROCESS_H 18
#define VIEW_MAX_DEPTH 12       /* deeper regions are not drawn */
#define VIEW_REG_SAMPLE 4        /* 2 bytes a region; see reg_sample */

struct view_row {
	uint8_t kind;               /* enum view_row_kind */
	uint16_t depth;             /* region rows: 1 = outermost */
	uint32_t index;             /* CPU, process or thread index */
	int y, h;                   /* in the scrolled row area */
	size_t off, n;              /* region rows: reg_idx; marks rows: marks;
				     * task rows: att_idx; process rows: n threads */
	const uint64_t *span;       /* region rows: begin, end of piece i at [2i],
				     * [2i+1] when copied (see view_region_span) */
};

/* A contiguous copy of the begin and end times of one region row's
 * regions. Only rows whose regions lie far apart in the model's array
 * (many threads interleaved) get one: there the walk's scattered reads
 * cost more than the copy's 16 bytes a region; rows of few threads read
 * the regions themselves, seeking through reg_sample. */
struct view_region_span {
	size_t off, n;              /* in reg_idx */
	uint64_t *v;
};

enum view_mark_kind { VIEW_MARK_LOG, VIEW_MARK_BURST, VIEW_MARK_SAMPLE };

struct view_mark {
	uint64_t ts;
	uint32_t item;              /* log, burst or sample index */
	uint8_t kind;               /* enum view_mark_kind */
};

struct view_data_job;

struct view_data {
	struct model m;
	/* Runs in a thread of its own from view_data_init on: the first
	 * frame needs none of it. Read it through view_data_analysis. */
	struct analysis an;
	struct view_data_job *job;
	uint64_t wall_start_ns;     /* UTC of m.start_ns, 0 when unknown */
	struct view_row *rows;
	size_t nrows;
	int rows_h;                 /* total height of all rows */
	struct view_lod *lod;       /* per thread */
	struct view_cpu_lod *cpu_lod;  /* per CPU */
	uint32_t *reg_idx;          /* region indices by (thread, depth, begin) */
	uint64_t *reg_sample;       /* begin of reg_idx[k * VIEW_REG_SAMPLE], for
				     * seeking in region rows (view_rows.c) */
	struct view_region_span *spans;  /* by off */
	size_t nspans;
	struct view_mark *marks;    /* by (thread, ts) */
	size_t nmarks;
	uint32_t *att_idx;          /* task attaches by (thread, from) */
	uint32_t *att_by_from;      /* task attaches by from */
	uint32_t *wait_by_end;      /* waits by end */
	/* Layout choices (view_data_layout applies them). */
	const char *thread_filter;  /* see view_data_filter_threads; borrowed */
	uint8_t sort;               /* enum view_sort */
	bool *collapsed;            /* per process */
	size_t *thread_row;         /* per thread: its state row, SIZE_MAX if none */
	bool *tracer;               /* per thread: LTTng's, no row unless a
	                             * filter names it (analysis_tracer_threads) */
};

/* Takes m over (it is zeroed), lays it out and starts analysing it in
 * the background. 0, or -1 when out of memory (m is freed either way by
 * view_data_free). */
int view_data_init(struct view_data *d, struct model *m);
/* view_data_init for a model loaded from dir (info: how), whose analysis
 * goes through dir's analysis cache (analysis_cache.h). */
int view_data_init_cached(struct view_data *d, struct model *m, const char *dir,
			  const struct model_load_info *info);
void view_data_free(struct view_data *d);

/* The analysis of the model, waiting for it when it is still running;
 * NULL when it ran out of memory. */
const struct analysis *view_data_analysis(const struct view_data *d);

/* A symbolizer of the model's modules, made on first use (reading the
 * binaries costs time the first frame does not need); NULL when out of
 * memory. For the drawing thread only. */
struct analyzer_symbolizer *view_data_symbolizer(const struct view_data *d);

/* Lays the rows out again showing only threads whose name contains
 * pattern or whose tid is pattern (NULL or "": all threads). Returns the
 * number of threads shown, or -1 when out of memory. */
long view_data_filter_threads(struct view_data *d, const char *pattern);

/* Whether thread t gets rows: LTTng's threads only when the filter names
 * them, the others when it matches them (or there is none). */
bool view_data_thread_shown(const struct view_data *d, size_t t);

/* Lays the rows out again after a change of sort or collapsed. 0, or -1
 * when out of memory. */
int view_data_layout(struct view_data *d);
const char *view_sort_name(uint8_t sort);

/* Reads the trace's wall-clock start from DIR/ctrace-run.json, if there. */
void view_data_read_wall_start(struct view_data *d, const char *dir);

/* The row at y (row area coordinates), or SIZE_MAX. */
size_t view_data_row_at(const struct view_data *d, int y);

/* Timeline end of the data: m.end_ns, or m.start_ns + 1 when empty. */
uint64_t view_data_end(const struct view_data *d);

#endif
