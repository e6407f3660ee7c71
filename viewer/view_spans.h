/*
 * Level of detail for one timeline row: turns a row's pieces (state
 * intervals, CPU slices, regions of one depth; sorted by start, never
 * overlapping) into coloured runs of whole pixel columns.
 *
 * A column wholly inside one piece takes that piece's colour and runs
 * merge while the piece lasts, so a long piece costs one rectangle. A
 * column holding several pieces is summarised by the source's `mixed`
 * callback (the dominant state, the busiest thread, ...). Adjacent runs of
 * one colour merge. The walk therefore emits at most one run per pixel
 * column and costs O(columns x log pieces), whatever the zoom.
 */
#ifndef VIEW_SPANS_H
#define VIEW_SPANS_H

#include <stddef.h>
#include <stdint.h>

struct view_span_src {
	const void *ctx;
	size_t n;
	uint64_t (*start)(const void *ctx, size_t i);
	uint64_t (*end)(const void *ctx, size_t i);
	/* Colour key of piece i, VIEW_KEY_NONE to leave it undrawn. */
	uint32_t (*key)(const void *ctx, size_t i);
	/* Colour key summarising pieces [first, last) within [ta, tb). */
	uint32_t (*mixed)(const void *ctx, size_t first, size_t last, uint64_t ta, uint64_t tb);
	/* Optional: the first piece at or after from starting at or after t,
	 * for sources whose pieces are costly to visit one by one. */
	size_t (*seek)(const void *ctx, size_t from, uint64_t t);
};

/* A run [x0, x1) of key; piece is the one piece it shows, or SIZE_MAX
 * for a summary. */
typedef void (*view_run_fn)(void *user, int x0, int x1, uint32_t key, size_t piece);

/* Pixel x covers [t0 + x*ns_per_px, t0 + (x+1)*ns_per_px). */
void view_spans_walk(const struct view_span_src *s, uint64_t t0, double ns_per_px, int width,
		     view_run_fn emit, void *user);

/* Runs from a key computed per column, for rows so dense that the
 * pieces themselves are not worth visiting (see view_row_column_key). */
typedef uint32_t (*view_column_key_fn)(const void *ctx, uint64_t ta, uint64_t tb);
void view_spans_columns(view_column_key_fn key, const void *ctx, uint64_t t0, double ns_per_px,
			int width, view_run_fn emit, void *user);

/* First piece whose end is after t (n when none). */
size_t view_spans_first_ending_after(const struct view_span_src *s, size_t from, uint64_t t);
/* First piece at or after from whose start is at or after t (n when none). */
size_t view_spans_first_starting_at(const struct view_span_src *s, size_t from, uint64_t t);

#endif
