/*
 * The per-row level-of-detail walk (view_spans.h).
 */
#include "view_spans.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>

#include "view_palette.h"

/* The walk moves forward a column at a time, so the answer is usually
 * close to `from`: gallop (1, 2, 4, ... ahead) before bisecting, which
 * costs O(log distance) and touches few pieces far away. */
static size_t spans_gallop(const struct view_span_src *s, size_t from, uint64_t t,
			   uint64_t (*at)(const void *, size_t), bool strict)
{
	size_t lo = from, step = 1, hi = from;
	for (;;) {
		if (hi >= s->n) {
			hi = s->n;
			break;
		}
		uint64_t v = at(s->ctx, hi);
		if (strict ? v > t : v >= t)
			break;
		lo = hi + 1;
		hi += step;
		step *= 2;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t v = at(s->ctx, mid);
		if (strict ? v > t : v >= t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

size_t view_spans_first_ending_after(const struct view_span_src *s, size_t from, uint64_t t)
{
	if (!s->seek || t == UINT64_MAX)
		return spans_gallop(s, from, t, s->end, true);
	/* Pieces never overlap, so ends are in order too: the answer is the
	 * first piece starting after t or the one before it. */
	size_t j = s->seek(s->ctx, from, t + 1);
	return j > from && s->end(s->ctx, j - 1) > t ? j - 1 : j;
}

size_t view_spans_first_starting_at(const struct view_span_src *s, size_t from, uint64_t t)
{
	if (s->seek)
		return s->seek(s->ctx, from, t);
	return spans_gallop(s, from, t, s->start, false);
}

/* Pending run, so adjacent runs of one key leave as one. */
struct run_merge {
	view_run_fn emit;
	void *user;
	int x0, x1;
	uint32_t key;
	size_t piece;
};

static void run_flush(struct run_merge *r)
{
	if (r->x1 > r->x0 && r->key != VIEW_KEY_NONE)
		r->emit(r->user, r->x0, r->x1, r->key, r->piece);
	r->x0 = r->x1;
}

static void run_add(struct run_merge *r, int x0, int x1, uint32_t key, size_t piece)
{
	assert(x0 >= r->x1);
	if (x0 == r->x1 && key == r->key && piece == r->piece) {
		r->x1 = x1;
		return;
	}
	/* Narrow pieces of one colour merge into a summary; wide ones stay
	 * apart so their boundaries and names can show. */
	bool narrow = x1 - x0 <= 2 && (r->piece == SIZE_MAX || r->x1 - r->x0 <= 2);
	if (x0 == r->x1 && key == r->key && key != VIEW_KEY_NONE && narrow) {
		r->x1 = x1;
		r->piece = SIZE_MAX;
		return;
	}
	run_flush(r);
	*r = (struct run_merge){ r->emit, r->user, x0, x1, key, piece };
}

static uint64_t col_time(uint64_t t0, double ns_per_px, int x)
{
	return t0 + (uint64_t)llround((double)x * ns_per_px);
}

/* The column holding instant t (t >= t0). */
static int time_col(uint64_t t0, double ns_per_px, uint64_t t)
{
	double x = floor((double)(t - t0) / ns_per_px);
	return x > (double)INT32_MAX / 2 ? INT32_MAX / 2 : (int)x;
}

void view_spans_walk(const struct view_span_src *s, uint64_t t0, double ns_per_px, int width,
		     view_run_fn emit, void *user)
{
	assert(ns_per_px > 0);
	struct run_merge r = { emit, user, 0, 0, VIEW_KEY_NONE, SIZE_MAX };
	size_t i = view_spans_first_ending_after(s, 0, t0);
	int x = 0;
	while (x < width && i < s->n) {
		uint64_t ta = col_time(t0, ns_per_px, x), tb = col_time(t0, ns_per_px, x + 1);
		if (tb <= ta)
			tb = ta + 1;
		uint64_t si = s->start(s->ctx, i), ei = s->end(s->ctx, i);
		if (ei <= ta) {
			i = view_spans_first_ending_after(s, i, ta);
			continue;
		}
		if (si >= tb) {   /* a gap: jump to the piece's column */
			int c = time_col(t0, ns_per_px, si);
			x = c > x ? c : x + 1;
			continue;
		}
		if (si <= ta && ei >= tb) {   /* whole columns inside piece i */
			int xe = time_col(t0, ns_per_px, ei);
			if (xe > width)
				xe = width;
			if (xe <= x)
				xe = x + 1;
			run_add(&r, x, xe, s->key(s->ctx, i), i);
			x = xe;
			continue;
		}
		size_t j = view_spans_first_starting_at(s, i, tb);
		uint32_t key = j - i == 1 ? s->key(s->ctx, i) : s->mixed(s->ctx, i, j, ta, tb);
		run_add(&r, x, x + 1, key, j - i == 1 ? i : SIZE_MAX);
		x++;
		/* The last piece of the column may go on into the next. */
		i = j - 1;
		if (s->end(s->ctx, i) <= tb)
			i = j;
	}
	run_flush(&r);
}

void view_spans_columns(view_column_key_fn key, const void *ctx, uint64_t t0, double ns_per_px,
			int width, view_run_fn emit, void *user)
{
	struct run_merge r = { emit, user, 0, 0, VIEW_KEY_NONE, SIZE_MAX };
	for (int x = 0; x < width; x++) {
		uint64_t ta = col_time(t0, ns_per_px, x), tb = col_time(t0, ns_per_px, x + 1);
		run_add(&r, x, x + 1, key(ctx, ta, tb > ta ? tb : ta + 1), SIZE_MAX);
	}
	run_flush(&r);
}
