/*
 * The pieces of each kind of timeline row, as view_spans sources: a
 * thread's state intervals, a CPU's slices, a thread's regions of one
 * depth, the spans where a thread worked for a task. Drawing and hit testing read rows through these, so both agree
 * on what is where.
 */
#ifndef VIEW_ROWS_H
#define VIEW_ROWS_H

#include "view_data.h"
#include "view_spans.h"

struct view_row_ctx {
	const struct view_data *d;
	const struct view_row *row;
};

/* Fills src for row (ctx must outlive src). False for rows without
 * pieces (process headers, marker lanes). */
bool view_row_source(const struct view_data *d, const struct view_row *row, struct view_row_ctx *ctx,
		     struct view_span_src *src);

/* For a state or CPU row with on average two or more pieces per pixel
 * column: a per-column key read from the row's summary pyramid alone
 * (view_lod.h), cheaper than visiting the pieces. NULL otherwise. */
view_column_key_fn view_row_column_key(const struct view_data *d, const struct view_row *row,
				       double ns_per_px);

/* Model index of piece i of row: interval, CPU slice, region or task
 * attach index. */
size_t view_row_piece_index(const struct view_data *d, const struct view_row *row, size_t i);
/* The name drawn on piece i of a region or task row, else MODEL_NONE. */
uint32_t view_row_piece_name(const struct view_data *d, const struct view_row *row, size_t i);

#endif
