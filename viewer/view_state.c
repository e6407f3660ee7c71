/*
 * View state and input (view_state.h). Zoom keeps the instant under the
 * cursor in place; the window never shows less than 0.01 ns per pixel or
 * more than ten times the trace, and never scrolls rows past their end.
 */
#include "view_state.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_units.h"
#include "view_palette.h"
#include "view_rows.h"

#define STATE_MIN_NS_PER_PX 0.01
#define STATE_ZOOM_STEP 1.25
#define STATE_KEY_PAN_FRACTION 0.2

int view_state_timeline_w(const struct view_state *s)
{
	int w = s->w - VIEW_LABEL_W;
	return w > 1 ? w : 1;
}

static int state_rows_h(const struct view_state *s)
{
	int h = s->h - VIEW_HEADER_H - VIEW_AXIS_H - VIEW_LEGEND_H;
	return h > 1 ? h : 1;
}

static void state_clamp(struct view_state *s, const struct view_data *d)
{
	uint64_t start = d->m.start_ns == MODEL_NO_TS ? 0 : d->m.start_ns, end = view_data_end(d);
	double span = (double)(end - start);
	double maxnpp = span * 10 / view_state_timeline_w(s);
	if (s->ns_per_px > maxnpp)
		s->ns_per_px = maxnpp;
	if (s->ns_per_px < STATE_MIN_NS_PER_PX)
		s->ns_per_px = STATE_MIN_NS_PER_PX;
	/* Keep some of the trace in view. */
	double vis = s->ns_per_px * view_state_timeline_w(s);
	if ((double)s->t0 + vis < (double)start + vis / 10)
		s->t0 = (uint64_t)fmax(0, (double)start - vis * 0.9);
	if (s->t0 > end)
		s->t0 = end;
	int maxy = d->rows_h - state_rows_h(s);
	if (s->scroll_y > maxy)
		s->scroll_y = maxy;
	if (s->scroll_y < 0)
		s->scroll_y = 0;
	s->dirty = true;
}

void view_state_show(struct view_state *s, uint64_t from, uint64_t to)
{
	if (to <= from)
		to = from + 1;
	s->t0 = from;
	s->ns_per_px = (double)(to - from) / view_state_timeline_w(s);
	s->dirty = true;
}

void view_state_fit(struct view_state *s, const struct view_data *d)
{
	uint64_t start = d->m.start_ns == MODEL_NO_TS ? 0 : d->m.start_ns, end = view_data_end(d);
	view_state_show(s, start, end);
	state_clamp(s, d);
}

void view_state_init(struct view_state *s, const struct view_data *d, int w, int h)
{
	*s = (struct view_state){ .w = w, .h = h };
	view_state_fit(s, d);
}

uint64_t view_state_time_at(const struct view_state *s, int x)
{
	double t = (double)s->t0 + (double)(x - VIEW_LABEL_W) * s->ns_per_px;
	return t < 0 ? 0 : (uint64_t)llround(t);
}

void view_state_zoom(struct view_state *s, const struct view_data *d, double factor, int x)
{
	if (x < VIEW_LABEL_W)
		x = VIEW_LABEL_W;
	double at = (double)s->t0 + (double)(x - VIEW_LABEL_W) * s->ns_per_px;
	s->ns_per_px /= factor;
	if (s->ns_per_px < STATE_MIN_NS_PER_PX)
		s->ns_per_px = STATE_MIN_NS_PER_PX;
	double t0 = at - (double)(x - VIEW_LABEL_W) * s->ns_per_px;
	s->t0 = t0 < 0 ? 0 : (uint64_t)llround(t0);
	state_clamp(s, d);
}

void view_state_pan(struct view_state *s, const struct view_data *d, int dx, int dy)
{
	double t0 = (double)s->t0 - dx * s->ns_per_px;
	s->t0 = t0 < 0 ? 0 : (uint64_t)llround(t0);
	s->scroll_y -= dy;
	state_clamp(s, d);
}

static bool item_same(struct view_item a, struct view_item b)
{
	return a.kind == b.kind && a.owner == b.owner && a.index == b.index;
}

static void state_hover(struct view_state *s, const struct view_data *d)
{
	struct view_item it = s->mouse_in ? view_state_item_at(s, d, s->mouse_x, s->mouse_y)
					  : (struct view_item){ 0 };
	if (!item_same(it, s->hover)) {
		s->hover = it;
		s->dirty = true;
	}
}

/* Frames [a, b) with half its duration either side. */
static void state_frame(struct view_state *s, const struct view_data *d, uint64_t a, uint64_t b)
{
	uint64_t pad = (b - a) / 2 + 1;
	view_state_show(s, a > pad ? a - pad : 0, b + pad);
	state_clamp(s, d);
}

void view_state_show_spike(struct view_state *s, const struct view_data *d, size_t k)
{
	const struct analysis *an = view_data_analysis(d);
	if (!an || k >= an->n_spikes) {
		snprintf(s->status, sizeof s->status, an ? "no spikes in this trace" : "out of memory analysing the trace");
		s->dirty = true;
		return;
	}
	const struct analysis_spike *sp = &an->spikes[k];
	uint64_t a, b;
	uint32_t name;
	if (sp->kind == ANALYSIS_REGION) {
		const struct model_region *r = &d->m.regions[sp->instance];
		a = r->begin, b = r->end, name = r->name;
		s->selected = (struct view_item){ VIEW_ITEM_REGION, r->thread, sp->instance };
	} else {
		const struct model_task *t = &d->m.tasks[sp->instance];
		a = t->begin, b = t->end, name = t->name;
		s->selected = (struct view_item){ 0 };
	}
	state_frame(s, d, a, b);
	char dur[32];
	const struct analysis_name_stats *st = sp->kind == ANALYSIS_REGION ? &an->region_stats[sp->stats]
									  : &an->task_stats[sp->stats];
	snprintf(s->status, sizeof s->status, "spike %zu/%zu: %s %s %s, %.1fx its median, cause %s", k + 1,
		 an->n_spikes, sp->kind == ANALYSIS_REGION ? "region" : "task", model_str(&d->m, name),
		 units_duration(sp->duration_ns, dur, sizeof dur),
		 st->p50_ns ? (double)sp->duration_ns / (double)st->p50_ns : 0.0,
		 model_state_name((enum model_state)sp->cause));
	s->spike = k + 1;
}

bool view_state_search_next(struct view_state *s, const struct view_data *d)
{
	s->dirty = true;
	size_t n = d->m.n_regions;
	for (size_t k = 0; k < n && s->query[0]; k++) {
		size_t i = (s->match + k) % n;   /* s->match is the last match + 1 */
		const struct model_region *r = &d->m.regions[i];
		if (!strstr(model_str(&d->m, r->name), s->query))
			continue;
		s->match = i + 1;
		s->selected = (struct view_item){ VIEW_ITEM_REGION, r->thread, i };
		state_frame(s, d, r->begin, r->end);
		snprintf(s->status, sizeof s->status, "search \"%s\": region %s on tid %d", s->query,
			 model_str(&d->m, r->name), d->m.threads[r->thread].tid);
		return true;
	}
	snprintf(s->status, sizeof s->status, "search \"%s\": no region matches", s->query);
	return false;
}

/* Keys while typing a search: the query takes text, Return searches. */
static bool state_search_key(struct view_state *s, const struct view_data *d, SDL_Keycode k)
{
	if (!s->searching)
		return false;
	size_t n = strlen(s->query);
	if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
		view_state_search_next(s, d);
		s->searching = false;
	} else if (k == SDLK_ESCAPE) {
		s->searching = false;
		s->status[0] = 0;
	} else if (k == SDLK_BACKSPACE && n) {
		s->query[n - 1] = 0;
	}
	if (s->searching)
		snprintf(s->status, sizeof s->status, "search: %s_", s->query);
	s->dirty = true;
	return true;
}

static void state_key(struct view_state *s, const struct view_data *d, SDL_Keycode k)
{
	int cx = s->mouse_in ? s->mouse_x : VIEW_LABEL_W + view_state_timeline_w(s) / 2;
	int step = (int)(view_state_timeline_w(s) * STATE_KEY_PAN_FRACTION);
	switch (k) {
	case SDLK_w: view_state_zoom(s, d, STATE_ZOOM_STEP * STATE_ZOOM_STEP, cx); break;
	case SDLK_s: view_state_zoom(s, d, 1 / (STATE_ZOOM_STEP * STATE_ZOOM_STEP), cx); break;
	case SDLK_a: view_state_pan(s, d, step, 0); break;
	case SDLK_d: view_state_pan(s, d, -step, 0); break;
	case SDLK_0: view_state_fit(s, d); break;
	case SDLK_ESCAPE:
		s->selected = (struct view_item){ 0 };
		s->range_on = s->ranging = false;
		s->dirty = true;
		break;
	case SDLK_q: s->quit = true; break;
	case SDLK_e: s->export_requested = true; break;
	case SDLK_SLASH:
		s->searching = true;
		s->query[0] = 0;
		s->match = 0;
		snprintf(s->status, sizeof s->status, "search: _");
		s->dirty = true;
		break;
	case SDLK_RETURN:
		if (s->query[0])
			view_state_search_next(s, d);
		break;
	case SDLK_n:
	case SDLK_p: {
		const struct analysis *an = view_data_analysis(d);
		size_t n = an ? an->n_spikes : 0;
		if (k == SDLK_n)
			view_state_show_spike(s, d, s->spike < n ? s->spike : 0);
		else
			view_state_show_spike(s, d, s->spike > 1 ? s->spike - 2 : (n ? n - 1 : 0));
		break;
	}
	default: break;
	}
}

void view_state_handle(struct view_state *s, const struct view_data *d, const SDL_Event *e)
{
	switch (e->type) {
	case SDL_QUIT:
		s->quit = true;
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			s->w = e->window.data1;
			s->h = e->window.data2;
			state_clamp(s, d);
		} else if (e->window.event == SDL_WINDOWEVENT_LEAVE) {
			s->mouse_in = false;
			state_hover(s, d);
		} else {
			s->dirty = true;
		}
		break;
	case SDL_MOUSEMOTION:
		s->mouse_x = e->motion.x;
		s->mouse_y = e->motion.y;
		s->mouse_in = true;
		if (s->ranging) {
			s->range_b = view_state_time_at(s, e->motion.x);
			s->dirty = true;
		}
		if (s->dragging) {
			view_state_pan(s, d, e->motion.x - s->drag_x, e->motion.y - s->drag_y);
			s->drag_x = e->motion.x;
			s->drag_y = e->motion.y;
		}
		state_hover(s, d);
		break;
	case SDL_MOUSEWHEEL: {
		int y = e->wheel.y;
		if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
			y = -y;
		if (y)
			view_state_zoom(s, d, pow(STATE_ZOOM_STEP, y), s->mouse_x);
		state_hover(s, d);
		break;
	}
	case SDL_MOUSEBUTTONDOWN:
		s->mouse_x = e->button.x;
		s->mouse_y = e->button.y;
		s->mouse_in = true;
		if (e->button.button == SDL_BUTTON_RIGHT) {
			s->ranging = true;
			s->range_on = false;
			s->range_a = s->range_b = view_state_time_at(s, e->button.x);
			s->dirty = true;
		}
		if (e->button.button == SDL_BUTTON_LEFT) {
			s->dragging = true;
			s->drag_x = s->mouse_x;
			s->drag_y = s->mouse_y;
			s->drag_moved = false;
		}
		break;
	case SDL_MOUSEBUTTONUP:
		s->mouse_x = e->button.x;
		s->mouse_y = e->button.y;
		if (e->button.button == SDL_BUTTON_RIGHT && s->ranging) {
			s->ranging = false;
			s->range_b = view_state_time_at(s, e->button.x);
			s->range_on = s->range_b != s->range_a;
			s->dirty = true;
		}
		if (e->button.button == SDL_BUTTON_LEFT && s->dragging) {
			s->dragging = false;
			/* A click (no motion while down) selects. */
			if (s->drag_x == e->button.x && s->drag_y == e->button.y && !s->drag_moved) {
				s->selected = view_state_item_at(s, d, e->button.x, e->button.y);
				s->dirty = true;
			}
		}
		break;
	case SDL_KEYDOWN:
		if (!state_search_key(s, d, e->key.keysym.sym))
			state_key(s, d, e->key.keysym.sym);
		state_hover(s, d);
		break;
	case SDL_TEXTINPUT:
		if (s->searching && !(s->query[0] == 0 && !strcmp(e->text.text, "/"))) {
			size_t n = strlen(s->query), add = strlen(e->text.text);
			if (n + add < sizeof s->query)
				memcpy(s->query + n, e->text.text, add + 1);
			snprintf(s->status, sizeof s->status, "search: %s_", s->query);
			s->dirty = true;
		}
		break;
	default:
		break;
	}
	if (e->type == SDL_MOUSEMOTION && s->dragging)
		s->drag_moved = true;
}

/* ---- hit testing ---- */

static struct view_item hit_marks(const struct view_state *s, const struct view_data *d,
				  const struct view_row *row, uint64_t t)
{
	double tol = 3 * s->ns_per_px;
	uint64_t lo = t > tol ? t - (uint64_t)tol : 0;
	size_t a = row->off, b = row->off + row->n, best = SIZE_MAX;
	while (a < b) {   /* first mark at or after lo */
		size_t mid = a + (b - a) / 2;
		if (d->marks[mid].ts < lo)
			a = mid + 1;
		else
			b = mid;
	}
	double bestd = tol + 1;
	for (size_t i = a; i < row->off + row->n && (double)d->marks[i].ts <= (double)t + tol; i++) {
		double dist = fabs((double)d->marks[i].ts - (double)t);
		if (dist < bestd) {
			bestd = dist;
			best = i;
		}
	}
	if (best == SIZE_MAX)
		return (struct view_item){ 0 };
	return (struct view_item){ VIEW_ITEM_MARK, row->index, best };
}

struct view_item view_state_item_at(const struct view_state *s, const struct view_data *d, int x, int y)
{
	int top = VIEW_HEADER_H + VIEW_AXIS_H;
	if (x < VIEW_LABEL_W || y < top || y >= s->h - VIEW_LEGEND_H)
		return (struct view_item){ 0 };
	size_t r = view_data_row_at(d, y - top + s->scroll_y);
	if (r == SIZE_MAX)
		return (struct view_item){ 0 };
	const struct view_row *row = &d->rows[r];
	uint64_t t = view_state_time_at(s, x);
	if (row->kind == VIEW_ROW_MARKS)
		return hit_marks(s, d, row, t);
	struct view_row_ctx ctx;
	struct view_span_src src;
	if (!view_row_source(d, row, &ctx, &src))
		return (struct view_item){ 0 };
	/* The piece under t, else one within a pixel (tiny pieces stay clickable). */
	uint64_t tol = (uint64_t)s->ns_per_px;
	size_t i = view_spans_first_ending_after(&src, 0, t > tol ? t - tol : 0);
	if (i >= src.n || src.start(src.ctx, i) > t + tol)
		return (struct view_item){ 0 };
	if (src.key(src.ctx, i) == VIEW_KEY_NONE)
		return (struct view_item){ 0 };
	static const uint8_t kinds[] = { [VIEW_ROW_CPU] = VIEW_ITEM_CPU_SLICE,
					 [VIEW_ROW_STATE] = VIEW_ITEM_INTERVAL,
					 [VIEW_ROW_REGION] = VIEW_ITEM_REGION };
	return (struct view_item){ kinds[row->kind], row->index, view_row_piece_index(d, row, i) };
}
