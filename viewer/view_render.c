/*
 * The frame (view_render.h): grid, rows, labels, header, axis, legend,
 * then the tooltip and the details panel on top.
 */
#include "view_render.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view_axis.h"
#include "view_detail.h"
#include "view_rows.h"

#define RENDER_LABEL_MIN_W 24     /* narrower slices get no name */
#define RENDER_MARKS_PER_COL 16   /* markers scanned per column before jumping */
#define RENDER_TICK_PX 110
#define VIEW_MAX_ARROWS 400       /* per kind and frame */

struct rect_batch {
	SDL_Rect *v;
	size_t n, cap;
};

struct region_label {
	int x, y, w;
	uint32_t name;              /* string */
};

struct view_painter {
	SDL_Renderer *r;
	struct view_text *text;
	struct rect_batch batch[VIEW_K_COUNT];
	struct region_label *labels;
	size_t nlabels, caplabels;
	bool oom;
	size_t arrows;              /* flow arrows of the last frame */
	/* Set for the row being walked. */
	int row_y, row_h;
	const struct view_data *d;
	const struct view_row *row;
};

struct view_painter *view_painter_create(SDL_Renderer *r, struct view_text *text)
{
	struct view_painter *p = calloc(1, sizeof *p);
	if (p) {
		p->r = r;
		p->text = text;
	}
	return p;
}

void view_painter_destroy(struct view_painter *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < VIEW_K_COUNT; k++)
		free(p->batch[k].v);
	free(p->labels);
	free(p);
}

static void paint_rect(struct view_painter *p, uint32_t key, int x, int y, int w, int h)
{
	if (key >= VIEW_K_COUNT || w <= 0 || h <= 0)
		return;
	struct rect_batch *b = &p->batch[key];
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		SDL_Rect *v = realloc(b->v, nc * sizeof *v);
		if (!v) {
			p->oom = true;
			return;
		}
		b->v = v;
		b->cap = nc;
	}
	b->v[b->n++] = (SDL_Rect){ x, y, w, h };
}

/* Draws every batch, in key order, and empties them. */
static size_t paint_flush(struct view_painter *p)
{
	size_t total = 0;
	for (size_t k = 0; k < VIEW_K_COUNT; k++) {
		struct rect_batch *b = &p->batch[k];
		if (!b->n)
			continue;
		struct view_rgb c = view_palette[k];
		SDL_SetRenderDrawColor(p->r, c.r, c.g, c.b, 255);
		SDL_RenderFillRects(p->r, b->v, (int)b->n);
		total += b->n;
		b->n = 0;
	}
	return total;
}

static void fill(struct view_painter *p, uint32_t key, int x, int y, int w, int h)
{
	struct view_rgb c = view_palette[key];
	SDL_SetRenderDrawColor(p->r, c.r, c.g, c.b, 255);
	SDL_RenderFillRect(p->r, &(SDL_Rect){ x, y, w, h });
}

static void text(struct view_painter *p, const char *s, int x, int y, int max_w)
{
	view_text_draw(p->text, s, x, y, max_w, (struct view_rgb){ 0xE8, 0xE8, 0xE8 });
}

/* ---- rows ---- */

static void row_run(void *user, int x0, int x1, uint32_t key, size_t piece)
{
	struct view_painter *p = user;
	int x = VIEW_LABEL_W + x0, w = x1 - x0;
	paint_rect(p, key, x, p->row_y, w, p->row_h);
	bool named = p->row->kind == VIEW_ROW_REGION || p->row->kind == VIEW_ROW_TASK;
	if (named && piece != SIZE_MAX && w >= 4)
		paint_rect(p, VIEW_K_BG, x, p->row_y, 1, p->row_h);   /* where one instance begins */
	if (named && piece != SIZE_MAX && w >= RENDER_LABEL_MIN_W) {
		if (p->nlabels == p->caplabels) {
			size_t nc = p->caplabels ? p->caplabels * 2 : 256;
			struct region_label *v = realloc(p->labels, nc * sizeof *v);
			if (!v) {
				p->oom = true;
				return;
			}
			p->labels = v;
			p->caplabels = nc;
		}
		p->labels[p->nlabels++] = (struct region_label){ x, p->row_y, w,
			view_row_piece_name(p->d, p->row, piece) };
	}
}

static uint32_t mark_key(uint8_t kind)
{
	return kind == VIEW_MARK_LOG ? VIEW_K_LOG : kind == VIEW_MARK_BURST ? VIEW_K_BURST : VIEW_K_SAMPLE;
}

/* Markers: logs as full-height ticks, samples as short ones, bursts as
 * bars over their span; per column a few are drawn, then the walk jumps
 * to the next column. */
static void paint_marks(struct view_painter *p, const struct view_state *s, const struct view_row *row,
			int y)
{
	const struct view_data *d = p->d;
	int tw = view_state_timeline_w(s);
	size_t lo = row->off, hi = row->off + row->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->marks[mid].ts < s->t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = row->off + row->n;
	size_t i = lo;
	while (i < end) {
		int x = (int)floor((double)(d->marks[i].ts - s->t0) / s->ns_per_px);
		if (x >= tw)
			break;
		size_t k = 0;
		for (; i < end && k < RENDER_MARKS_PER_COL; i++, k++) {
			const struct view_mark *mk = &d->marks[i];
			int xi = (int)floor((double)(mk->ts - s->t0) / s->ns_per_px);
			if (xi != x)
				break;
			int X = VIEW_LABEL_W + x;
			if (mk->kind == VIEW_MARK_BURST) {
				const struct model_burst *b = &d->m.bursts[mk->item];
				int w = (int)ceil((double)(b->end - b->begin) / s->ns_per_px);
				paint_rect(p, VIEW_K_BURST, X, y, w < 2 ? 2 : w, 2);
			} else if (mk->kind == VIEW_MARK_LOG) {
				paint_rect(p, mark_key(mk->kind), X, y, 1, VIEW_MARKS_H);
			} else {
				paint_rect(p, mark_key(mk->kind), X, y + 2, 1, VIEW_MARKS_H - 2);
			}
		}
		if (k == RENDER_MARKS_PER_COL) {   /* skip the rest of this column */
			uint64_t next = s->t0 + (uint64_t)ceil((double)(x + 1) * s->ns_per_px);
			size_t a = i, b = end;
			while (a < b) {
				size_t mid = a + (b - a) / 2;
				if (d->marks[mid].ts < next)
					a = mid + 1;
				else
					b = mid;
			}
			i = a;
		}
	}
}

static size_t paint_rows(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	int top = VIEW_HEADER_H + VIEW_AXIS_H, bottom = s->h - VIEW_LEGEND_H;
	int tw = view_state_timeline_w(s);
	p->nlabels = 0;
	size_t first = view_data_row_at(d, s->scroll_y);
	for (size_t r = first; r < d->nrows; r++) {
		const struct view_row *row = &d->rows[r];
		int y = top + row->y - s->scroll_y;
		if (y >= bottom)
			break;
		if (row->kind == VIEW_ROW_PROCESS) {
			paint_rect(p, VIEW_K_PANEL, VIEW_LABEL_W, y, tw, row->h);
			continue;
		}
		if (row->kind == VIEW_ROW_MARKS) {
			paint_marks(p, s, row, y);
			continue;
		}
		paint_rect(p, VIEW_K_ROWSEP, VIEW_LABEL_W, y + row->h - 1, tw, 1);
		struct view_row_ctx ctx;
		struct view_span_src src;
		if (!view_row_source(d, row, &ctx, &src))
			continue;
		p->row = row;
		p->row_y = y + 1;
		p->row_h = row->h - 2;
		view_column_key_fn dense = view_row_column_key(d, row, s->ns_per_px);
		if (dense)
			view_spans_columns(dense, &ctx, s->t0, s->ns_per_px, tw, row_run, p);
		else
			view_spans_walk(&src, s->t0, s->ns_per_px, tw, row_run, p);
	}
	return paint_flush(p);
}

static void paint_region_labels(struct view_painter *p)
{
	int th = view_text_height(p->text);
	for (size_t i = 0; i < p->nlabels; i++) {
		const struct region_label *l = &p->labels[i];
		const char *name = model_str(&p->d->m, l->name);
		text(p, name, l->x + 3, l->y + (VIEW_ROW_H - 2 - th) / 2, l->w - 5);
	}
}

static void paint_row_labels(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	int top = VIEW_HEADER_H + VIEW_AXIS_H, bottom = s->h - VIEW_LEGEND_H;
	int th = view_text_height(p->text);
	fill(p, VIEW_K_PANEL, 0, top, VIEW_LABEL_W, bottom - top);
	for (size_t r = view_data_row_at(d, s->scroll_y); r < d->nrows; r++) {
		const struct view_row *row = &d->rows[r];
		int y = top + row->y - s->scroll_y;
		if (y >= bottom)
			break;
		char buf[160];
		int x = 6;
		switch (row->kind) {
		case VIEW_ROW_CPU:
			snprintf(buf, sizeof buf, "CPU %u", row->index);
			break;
		case VIEW_ROW_PROCESS: {
			const struct model_process *pr = &d->m.processes[row->index];
			bool closed = d->collapsed[row->index];
			snprintf(buf, sizeof buf, "%s %s (pid %d)", closed ? "\u25B8" : "\u25BE",
				 model_str(&d->m, pr->name), pr->pid);
			x = 4;
			char info[160];
			snprintf(info, sizeof info, "%zu thread%s%s, sorted by %s%s%s", row->n, row->n == 1 ? "" : "s",
				 closed ? " hidden" : "", view_sort_name(d->sort),
				 d->thread_filter && *d->thread_filter ? ", name filter: " : "",
				 d->thread_filter ? d->thread_filter : "");
			text(p, info, VIEW_LABEL_W + 6, y + (row->h - th) / 2, 0);
			break;
		}
		case VIEW_ROW_STATE: {
			const struct model_thread *t = &d->m.threads[row->index];
			snprintf(buf, sizeof buf, "%s  %d", model_thread_name(&d->m, row->index), t->tid);
			x = 14;
			break;
		}
		case VIEW_ROW_REGION:
			if (row->depth != 1)
				continue;
			snprintf(buf, sizeof buf, "regions");
			x = 24;
			break;
		case VIEW_ROW_TASK:
			snprintf(buf, sizeof buf, "tasks");
			x = 24;
			break;
		default:
			continue;
		}
		text(p, buf, x, y + (row->h - th) / 2, VIEW_LABEL_W - x - 4);
	}
}

static void paint_grid_and_axis(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	uint64_t start = d->m.start_ns == MODEL_NO_TS ? 0 : d->m.start_ns;
	uint64_t step = view_axis_step(s->ns_per_px, RENDER_TICK_PX);
	int tw = view_state_timeline_w(s), y0 = VIEW_HEADER_H, th = view_text_height(p->text);
	fill(p, VIEW_K_PANEL, 0, y0, s->w, VIEW_AXIS_H);
	uint64_t rel0 = s->t0 > start ? s->t0 - start : 0;
	uint64_t tick = (rel0 + step - 1) / step * step;
	for (int guard = 0; guard < 1000; guard++, tick += step) {
		double x = ((double)(start + tick) - (double)s->t0) / s->ns_per_px;
		if (x >= tw)
			break;
		int X = VIEW_LABEL_W + (int)floor(x);
		paint_rect(p, VIEW_K_GRID, X, y0 + VIEW_AXIS_H, 1, s->h - VIEW_LEGEND_H - y0 - VIEW_AXIS_H);
		paint_rect(p, VIEW_K_HOVER, X, y0 + VIEW_AXIS_H - 5, 1, 5);
		char buf[48];
		text(p, view_axis_label(tick, step, buf, sizeof buf), X + 3, y0 + (VIEW_AXIS_H - th) / 2, 0);
	}
	paint_flush(p);
}

static void paint_header(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	fill(p, VIEW_K_BG, 0, 0, s->w, VIEW_HEADER_H);
	char wall[64] = "unknown";
	if (d->wall_start_ns) {
		time_t sec = (time_t)(d->wall_start_ns / 1000000000u);
		struct tm tm;
		gmtime_r(&sec, &tm);
		char ymd[40];
		strftime(ymd, sizeof ymd, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(wall, sizeof wall, "%s.%06u UTC", ymd, (unsigned)(d->wall_start_ns % 1000000000u / 1000));
	}
	uint64_t start = d->m.start_ns == MODEL_NO_TS ? 0 : d->m.start_ns;
	uint64_t a = s->t0 > start ? s->t0 - start : 0;
	uint64_t span = (uint64_t)(s->ns_per_px * view_state_timeline_w(s));
	uint64_t step = view_axis_step(s->ns_per_px, 1);
	char l1[48], l2[48], l3[48], buf[320];
	view_axis_label(a, step, l1, sizeof l1);
	view_axis_label(a + span, step, l2, sizeof l2);
	view_axis_label(span, step, l3, sizeof l3);
	snprintf(buf, sizeof buf, "trace start %s    showing %s – %s (%s)    %zu threads, %" PRIu64 " events",
		 wall, l1, l2, l3, d->m.n_threads, d->m.events);
	text(p, buf, 6, (VIEW_HEADER_H - view_text_height(p->text)) / 2, 0);
	if (s->status[0]) {
		int w = view_text_width(p->text, s->status);
		text(p, s->status, s->w - w - 8, (VIEW_HEADER_H - view_text_height(p->text)) / 2, 0);
	}
}

static void paint_legend(struct view_painter *p, const struct view_state *s)
{
	int y = s->h - VIEW_LEGEND_H, th = view_text_height(p->text);
	fill(p, VIEW_K_PANEL, 0, y, s->w, VIEW_LEGEND_H);
	static const struct { uint32_t key; const char *name; } items[] = {
		{ MODEL_RUNNING, "running" }, { MODEL_RUNNABLE, "runnable" }, { MODEL_LOCK_WAIT, "lock wait" },
		{ MODEL_SYSCALL, "syscall" }, { MODEL_OTHER, "other" }, { MODEL_UNKNOWN, "unknown" },
		{ VIEW_K_LOG, "log" }, { VIEW_K_BURST, "alloc burst" }, { VIEW_K_SAMPLE, "CPU sample" },
	};
	int x = 8;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		fill(p, items[i].key, x, y + 6, 12, 10);
		text(p, items[i].name, x + 16, y + (VIEW_LEGEND_H - th) / 2, 0);
		x += 16 + view_text_width(p->text, items[i].name) + 18;
	}
}

/* A box of text lines with its top-left at (x, y), kept inside the view. */
static void paint_box(struct view_painter *p, const struct view_state *s, char (*lines)[VIEW_LINE_MAX],
		      size_t n, int x, int y, int min_w)
{
	if (!n)
		return;
	int th = view_text_height(p->text), w = min_w;
	for (size_t i = 0; i < n; i++) {
		int lw = view_text_width(p->text, lines[i]) + 12;
		if (lw > w)
			w = lw;
	}
	int h = (int)n * th + 8;
	if (x + w > s->w)
		x = s->w - w;
	if (y + h > s->h)
		y = s->h - h;
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	fill(p, VIEW_K_HOVER, x - 1, y - 1, w + 2, h + 2);
	fill(p, VIEW_K_PANEL, x, y, w, h);
	for (size_t i = 0; i < n; i++)
		text(p, lines[i], x + 6, y + 4 + (int)i * th, 0);
}

/* ?: the keys in one column, what they do in the next. */
static void paint_help(struct view_painter *p, const struct view_state *s)
{
	int th = view_text_height(p->text), kw = 0, dw = 0;
	char key[VIEW_LINE_MAX];
	for (size_t i = 0; i < view_help_count; i++) {
		const char *tab = strchr(view_help_lines[i], '\t');
		snprintf(key, sizeof key, "%.*s", (int)(tab - view_help_lines[i]), view_help_lines[i]);
		int w1 = view_text_width(p->text, key), w2 = view_text_width(p->text, tab + 1);
		kw = w1 > kw ? w1 : kw;
		dw = w2 > dw ? w2 : dw;
	}
	int x = VIEW_LABEL_W + 40, y = VIEW_HEADER_H + VIEW_AXIS_H + 8;
	int w = kw + dw + 36, h = (int)view_help_count * th + 8;
	if (x + w > s->w)
		x = s->w > w ? s->w - w : 0;
	fill(p, VIEW_K_HOVER, x - 1, y - 1, w + 2, h + 2);
	fill(p, VIEW_K_PANEL, x, y, w, h);
	for (size_t i = 0; i < view_help_count; i++) {
		const char *tab = strchr(view_help_lines[i], '\t');
		snprintf(key, sizeof key, "%.*s", (int)(tab - view_help_lines[i]), view_help_lines[i]);
		text(p, key, x + 8, y + 4 + (int)i * th, 0);
		text(p, tab + 1, x + 8 + kw + 20, y + 4 + (int)i * th, 0);
	}
}

/* The chosen time range: shaded over the rows, its totals in a box at
 * the bottom left of the rows. */
static void paint_range(struct view_painter *p, const struct view_state *s, const SDL_Rect *rows,
			char (*lines)[VIEW_LINE_MAX])
{
	uint64_t a = s->range_a < s->range_b ? s->range_a : s->range_b;
	uint64_t b = s->range_a < s->range_b ? s->range_b : s->range_a;
	double xa = ((double)a - (double)s->t0) / s->ns_per_px, xb = ((double)b - (double)s->t0) / s->ns_per_px;
	if (xa < 0)
		xa = 0;
	if (xb > rows->w)
		xb = rows->w;
	if (xb > xa) {
		SDL_SetRenderDrawBlendMode(p->r, SDL_BLENDMODE_BLEND);
		SDL_SetRenderDrawColor(p->r, 255, 255, 255, 48);
		SDL_RenderFillRect(p->r, &(SDL_Rect){ rows->x + (int)xa, rows->y, (int)(xb - xa) + 1, rows->h });
		SDL_SetRenderDrawBlendMode(p->r, SDL_BLENDMODE_NONE);
	}
	if (!s->range_on)
		return;
	size_t n = view_detail_range_lines(p->d, a, b, lines, 24);
	paint_box(p, s, lines, n, rows->x + 8, rows->y + rows->h - 8 - (int)n * view_text_height(p->text) - 8, 0);
}

/* The state row of thread t on screen: its centre y, or -1 when none is
 * visible. */
static int thread_row_y(const struct view_data *d, const struct view_state *s, uint32_t t)
{
	if (t >= d->m.n_threads || d->thread_row[t] == SIZE_MAX)
		return -1;
	const struct view_row *row = &d->rows[d->thread_row[t]];
	int y = VIEW_HEADER_H + VIEW_AXIS_H + row->y - s->scroll_y + row->h / 2;
	return y >= VIEW_HEADER_H + VIEW_AXIS_H && y < s->h - VIEW_LEGEND_H ? y : -1;
}

static int time_x(const struct view_state *s, uint64_t t)
{
	double x = ((double)t - (double)s->t0) / s->ns_per_px;
	if (x < -1e6)
		x = -1e6;
	if (x > 1e6)
		x = 1e6;
	return VIEW_LABEL_W + (int)floor(x);
}

/* An arrow from (x0, y0) to (x1, y1), its tail a small square. */
static void paint_arrow(struct view_painter *p, uint32_t key, int x0, int y0, int x1, int y1)
{
	struct view_rgb c = view_palette[key];
	SDL_SetRenderDrawColor(p->r, c.r, c.g, c.b, 255);
	SDL_RenderDrawLine(p->r, x0, y0, x1, y1);
	SDL_RenderDrawLine(p->r, x0 + 1, y0, x1 + 1, y1);
	int dir = y1 > y0 ? -1 : 1;
	SDL_RenderDrawLine(p->r, x1, y1, x1 - 4, y1 + 6 * dir);
	SDL_RenderDrawLine(p->r, x1, y1, x1 + 4, y1 + 6 * dir);
	SDL_RenderFillRect(p->r, &(SDL_Rect){ x0 - 2, y0 - 2, 5, 5 });
}

/* The arrow of lock wait w: from its holder's release (or the wait's end
 * when the release is unknown) to where the waiter resumed. False when
 * an end is not on screen. */
static bool paint_wait_arrow(struct view_painter *p, const struct view_state *s, uint32_t w, uint32_t key,
			     bool need_release)
{
	const struct model_wait *wt = &p->d->m.waits[w];
	if (wt->blocker >= p->d->m.n_threads || (need_release && wt->release_ts == MODEL_NO_TS))
		return false;
	int y0 = thread_row_y(p->d, s, wt->blocker), y1 = thread_row_y(p->d, s, wt->thread);
	if (y0 < 0 || y1 < 0)
		return false;
	paint_arrow(p, key, time_x(s, wt->release_ts != MODEL_NO_TS ? wt->release_ts : wt->end), y0,
		    time_x(s, wt->end), y1);
	return true;
}

/* For a selected lock wait: its arrow, so the cause of the wait is one
 * glance away. */
static void paint_flow(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	const struct view_item *it = &s->selected;
	if (it->kind != VIEW_ITEM_INTERVAL)
		return;
	const struct model_interval *iv = &d->m.threads[it->owner].iv[it->index];
	if (iv->state == MODEL_LOCK_WAIT && iv->aux < d->m.n_waits)
		paint_wait_arrow(p, s, iv->aux, VIEW_K_SELECT, false);
}

/* First of n indexed items whose time (at(i)) is at or after t. */
static size_t first_at(const struct view_data *d, const uint32_t *idx, size_t n, uint64_t t,
		       uint64_t (*at)(const struct view_data *, uint32_t))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (at(d, idx[mid]) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t wait_end(const struct view_data *d, uint32_t i)
{
	return d->m.waits[i].end;
}

static uint64_t attach_from(const struct view_data *d, uint32_t i)
{
	return d->m.attaches[i].from;
}

/* A task's hand-off to another thread: from where the task began to
 * where this thread started working for it. */
static bool paint_task_arrow(struct view_painter *p, const struct view_state *s, uint32_t a, uint64_t t0)
{
	const struct model_task_attach *at = &p->d->m.attaches[a];
	const struct model_task *tk = &p->d->m.tasks[at->task];
	if (at->thread == tk->begin_thread || tk->begin < t0)
		return false;
	int y0 = thread_row_y(p->d, s, tk->begin_thread), y1 = thread_row_y(p->d, s, at->thread);
	if (y0 < 0 || y1 < 0)
		return false;
	paint_arrow(p, VIEW_K_FLOW_TASK, time_x(s, tk->begin), y0, time_x(s, at->from), y1);
	return true;
}

/* L: every lock hand-over (holder's release to the waiter's wake-up) and
 * task hand-off whose both ends are in the window, at most
 * VIEW_MAX_ARROWS of each, spread evenly over the window when more. */
static void paint_flows(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	uint64_t t0 = s->t0, t1 = s->t0 + (uint64_t)(s->ns_per_px * view_state_timeline_w(s));
	p->arrows = 0;
	size_t a = first_at(d, d->wait_by_end, d->m.n_waits, t0, wait_end);
	size_t b = first_at(d, d->wait_by_end, d->m.n_waits, t1 + 1, wait_end);
	size_t step = (b - a) / VIEW_MAX_ARROWS + 1;
	for (size_t i = a; i < b; i += step) {
		const struct model_wait *w = &d->m.waits[d->wait_by_end[i]];
		if (w->release_ts != MODEL_NO_TS && w->release_ts >= t0)
			p->arrows += paint_wait_arrow(p, s, d->wait_by_end[i], VIEW_K_FLOW_LOCK, true);
	}
	a = first_at(d, d->att_by_from, d->m.n_attaches, t0, attach_from);
	b = first_at(d, d->att_by_from, d->m.n_attaches, t1 + 1, attach_from);
	step = (b - a) / VIEW_MAX_ARROWS + 1;
	for (size_t i = a; i < b; i += step)
		p->arrows += paint_task_arrow(p, s, d->att_by_from[i], t0);
}

/* A frame around the selected piece, so the details panel's subject shows. */
static void paint_selected(struct view_painter *p, const struct view_state *s)
{
	const struct view_data *d = p->d;
	const struct view_item *it = &s->selected;
	uint64_t a, b;
	uint32_t thread;
	uint16_t depth = 0;
	uint8_t kind = VIEW_ROW_STATE;
	if (it->kind == VIEW_ITEM_INTERVAL) {
		const struct model_thread *t = &d->m.threads[it->owner];
		a = t->iv[it->index].start;
		b = model_interval_end(t, it->index);
		thread = it->owner;
	} else if (it->kind == VIEW_ITEM_REGION) {
		a = d->m.regions[it->index].begin;
		b = d->m.regions[it->index].end;
		thread = d->m.regions[it->index].thread;
		depth = d->m.regions[it->index].depth;
		kind = VIEW_ROW_REGION;
	} else if (it->kind == VIEW_ITEM_THREAD) {
		a = d->m.threads[it->owner].tl_begin;
		b = d->m.threads[it->owner].tl_end;
		thread = it->owner;
	} else if (it->kind == VIEW_ITEM_TASK) {
		a = d->m.attaches[it->index].from;
		b = d->m.attaches[it->index].to;
		thread = d->m.attaches[it->index].thread;
		kind = VIEW_ROW_TASK;
	} else {
		return;
	}
	for (size_t r = 0; r < d->nrows; r++) {
		const struct view_row *row = &d->rows[r];
		if (row->index != thread || row->kind != kind || (depth && row->depth != depth))
			continue;
		int x0 = time_x(s, a), x1 = time_x(s, b);
		int y = VIEW_HEADER_H + VIEW_AXIS_H + row->y - s->scroll_y;
		struct view_rgb c = view_palette[VIEW_K_SELECT];
		SDL_SetRenderDrawColor(p->r, c.r, c.g, c.b, 255);
		SDL_RenderDrawRect(p->r, &(SDL_Rect){ x0 - 1, y, x1 - x0 + 3, row->h });
		return;
	}
}

size_t view_painter_arrows(const struct view_painter *p)
{
	return p->arrows;
}

size_t view_render(struct view_painter *p, const struct view_data *d, const struct view_state *s)
{
	p->d = d;
	struct view_rgb bg = view_palette[VIEW_K_BG];
	SDL_SetRenderDrawColor(p->r, bg.r, bg.g, bg.b, 255);
	SDL_RenderSetClipRect(p->r, NULL);
	SDL_RenderClear(p->r);
	paint_grid_and_axis(p, s);
	SDL_Rect rows = { VIEW_LABEL_W, VIEW_HEADER_H + VIEW_AXIS_H, view_state_timeline_w(s),
			  s->h - VIEW_HEADER_H - VIEW_AXIS_H - VIEW_LEGEND_H };
	SDL_RenderSetClipRect(p->r, &rows);
	size_t rects = paint_rows(p, s);
	paint_region_labels(p);
	paint_selected(p, s);
	if (s->flows)
		paint_flows(p, s);
	paint_flow(p, s);
	SDL_RenderSetClipRect(p->r, NULL);
	paint_row_labels(p, s);
	paint_header(p, s);
	paint_legend(p, s);
	char lines[24][VIEW_LINE_MAX];
	if (s->ranging || s->range_on)
		paint_range(p, s, &rows, lines);
	if (s->selected.kind != VIEW_ITEM_NONE) {
		size_t n = view_detail_lines(d, s->selected, true, lines, 24);
		paint_box(p, s, lines, n, s->w - VIEW_DETAILS_W - 8, VIEW_HEADER_H + VIEW_AXIS_H + 8, VIEW_DETAILS_W);
	}
	if (s->help) {
		paint_help(p, s);
		return rects;
	}
	if (s->spike_list) {
		size_t n = view_detail_spike_lines(d, view_state_spike_page(s), lines, VIEW_SPIKE_PAGE + 1);
		paint_box(p, s, lines, n, VIEW_LABEL_W + 40, VIEW_HEADER_H + VIEW_AXIS_H + 8, 0);
		return rects;
	}
	if (s->hover.kind != VIEW_ITEM_NONE && s->mouse_in) {
		size_t n = view_detail_lines(d, s->hover, false, lines, 6);
		paint_box(p, s, lines, n, s->mouse_x + 14, s->mouse_y + 14, 0);
	}
	return rects;
}
