/*
 * View state and input (view_state.h). Zoom keeps the instant under the
 * cursor in place; the window never shows less than 0.01 ns per pixel or
 * more than ten times the trace, and never scrolls rows past their end.
 */
#include "view_state.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pprof_export.h"
#include "report_units.h"
#include "view_detail.h"
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
	*s = (struct view_state){ .w = w, .h = h,
				  .export_type = d->m.n_samples ? PPROF_EXPORT_CPU : PPROF_EXPORT_LOCK };
	if (d->thread_filter)
		snprintf(s->filter, sizeof s->filter, "%s", d->thread_filter);
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

static uint32_t task_first_attach(const struct view_data *d, uint32_t k);

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
	if (sp->kind == ANALYSIS_REGION) {
		const struct model_region *r = &d->m.regions[sp->instance];
		a = r->begin, b = r->end;
		s->selected = (struct view_item){ VIEW_ITEM_REGION, r->thread, sp->instance };
	} else {
		const struct model_task *t = &d->m.tasks[sp->instance];
		a = t->begin, b = t->end;
		uint32_t at = task_first_attach(d, sp->instance);
		s->selected = at == MODEL_NONE ? (struct view_item){ 0 }
					       : (struct view_item){ VIEW_ITEM_TASK, d->m.attaches[at].thread, at };
	}
	state_frame(s, d, a, b);
	int n = snprintf(s->status, sizeof s->status, "spike %zu/%zu: ", k + 1, an->n_spikes);
	view_detail_spike(d, an, k, s->status + n, sizeof s->status - (size_t)n);
	s->spike = k + 1;
}

/* Scrolls so that thread t's state row is on screen, expanding its
 * process when collapsed. */
static void state_reveal_thread(struct view_state *s, struct view_data *d, uint32_t t)
{
	if (t >= d->m.n_threads)
		return;
	uint32_t p = d->m.threads[t].process;
	if (d->collapsed[p]) {
		d->collapsed[p] = false;
		view_data_layout(d);
	}
	if (d->thread_row[t] == SIZE_MAX)
		return;   /* filtered out */
	const struct view_row *row = &d->rows[d->thread_row[t]];
	int h = state_rows_h(s);
	if (row->y < s->scroll_y || row->y + 3 * row->h > s->scroll_y + h)
		s->scroll_y = row->y - h / 3;
	state_clamp(s, d);
}

/* Centres instant t at the current zoom. */
static void state_center(struct view_state *s, const struct view_data *d, uint64_t t)
{
	double half = s->ns_per_px * view_state_timeline_w(s) / 2;
	s->t0 = (double)t > half ? (uint64_t)((double)t - half) : 0;
	state_clamp(s, d);
}

/* The first span of task k on any thread, MODEL_NONE. */
static uint32_t task_first_attach(const struct view_data *d, uint32_t k)
{
	for (size_t i = 0; i < d->m.n_attaches; i++)
		if (d->m.attaches[d->att_by_from[i]].task == k)
			return d->att_by_from[i];
	return MODEL_NONE;
}

/* Whether string id sid contains the query; answers cached per string
 * (regions repeat a few names millions of times). */
static bool search_hit(const struct view_data *d, const char *q, uint8_t *memo, uint32_t sid)
{
	if (sid >= d->m.n_str_off)
		return false;
	if (!memo[sid])
		memo[sid] = strstr(model_str(&d->m, sid), q) ? 2 : 1;
	return memo[sid] == 2;
}

/* Selects and shows search position k (see view_state_search_next). */
static void search_show(struct view_state *s, struct view_data *d, size_t k)
{
	const struct model *m = &d->m;
	char *st = s->status;
	size_t sz = sizeof s->status;
	int n = snprintf(st, sz, "search \"%.40s\": ", s->query);
	st += n, sz -= (size_t)n;
	if (k < m->n_threads) {
		const struct model_thread *t = &m->threads[k];
		s->selected = (struct view_item){ VIEW_ITEM_THREAD, (uint32_t)k, k };
		state_frame(s, d, t->tl_begin, t->tl_end > t->tl_begin ? t->tl_end : t->tl_begin + 1);
		state_reveal_thread(s, d, (uint32_t)k);
		snprintf(st, sz, "thread %s (tid %d)", model_thread_name(m, (uint32_t)k), t->tid);
		return;
	}
	k -= m->n_threads;
	if (k < m->n_tasks) {
		const struct model_task *tk = &m->tasks[k];
		uint32_t a = task_first_attach(d, (uint32_t)k);
		s->selected = a == MODEL_NONE ? (struct view_item){ 0 }
					      : (struct view_item){ VIEW_ITEM_TASK, m->attaches[a].thread, a };
		state_frame(s, d, tk->begin, tk->end > tk->begin && tk->end != MODEL_NO_TS ? tk->end : tk->begin + 1);
		state_reveal_thread(s, d, tk->begin_thread);
		snprintf(st, sz, "task %s (id %" PRIu64 ")", model_str(m, tk->name), tk->id);
		return;
	}
	k -= m->n_tasks;
	if (k < m->n_regions) {
		const struct model_region *r = &m->regions[k];
		s->selected = (struct view_item){ VIEW_ITEM_REGION, r->thread, k };
		state_frame(s, d, r->begin, r->end);
		state_reveal_thread(s, d, r->thread);
		snprintf(st, sz, "region %s on tid %d", model_str(m, r->name), m->threads[r->thread].tid);
		return;
	}
	k -= m->n_regions;
	const struct model_log *g = &m->logs[k];
	s->selected = (struct view_item){ 0 };
	for (size_t i = 0; i < d->nmarks; i++)
		if (d->marks[i].kind == VIEW_MARK_LOG && d->marks[i].item == k)
			s->selected = (struct view_item){ VIEW_ITEM_MARK, g->thread, i };
	state_center(s, d, g->ts);
	state_reveal_thread(s, d, g->thread);
	snprintf(st, sz, "log [%s] %s on tid %d", model_str(m, g->category), model_str(m, g->message),
		 m->threads[g->thread].tid);
}

bool view_state_search_next(struct view_state *s, struct view_data *d)
{
	const struct model *m = &d->m;
	s->dirty = true;
	size_t n = m->n_threads + m->n_tasks + m->n_regions + m->n_logs;
	uint8_t *memo = calloc(m->n_str_off + 1, 1);
	if (!memo) {
		snprintf(s->status, sizeof s->status, "search: out of memory");
		return false;
	}
	bool found = false;
	for (size_t k = 0; k < n && s->query[0] && !found; k++) {
		size_t i = (s->match + k) % n;   /* s->match is the last match + 1 */
		size_t j = i;
		if (j < m->n_threads) {
			found = view_data_thread_shown(d, j) &&
				strstr(model_thread_name(m, (uint32_t)j), s->query) != NULL;
		} else if ((j -= m->n_threads) < m->n_tasks) {
			found = search_hit(d, s->query, memo, m->tasks[j].name);
		} else if ((j -= m->n_tasks) < m->n_regions) {
			found = search_hit(d, s->query, memo, m->regions[j].name);
		} else {
			j -= m->n_regions;
			found = search_hit(d, s->query, memo, m->logs[j].message) ||
				search_hit(d, s->query, memo, m->logs[j].category);
		}
		if (found) {
			s->match = i + 1;
			search_show(s, d, i);
		}
	}
	free(memo);
	if (!found)
		snprintf(s->status, sizeof s->status, "search \"%.40s\": nothing matches", s->query);
	return found;
}

/* The input line being typed (search or thread filter), NULL when none. */
static char *state_input(struct view_state *s, size_t *size)
{
	*size = s->searching ? sizeof s->query : sizeof s->filter;
	return s->searching ? s->query : s->filtering ? s->filter : NULL;
}

static void state_filter_apply(struct view_state *s, struct view_data *d)
{
	long n = view_data_filter_threads(d, s->filter[0] ? s->filter : NULL);
	if (n < 0)
		snprintf(s->status, sizeof s->status, "filter: out of memory");
	else if (s->filtering)
		snprintf(s->status, sizeof s->status, "filter threads: %s_ (%ld shown; Return keeps, Esc clears)",
			 s->filter, n);
	else if (s->filter[0])
		snprintf(s->status, sizeof s->status, "threads filtered by \"%s\": %ld shown", s->filter, n);
	else
		snprintf(s->status, sizeof s->status, "all %ld threads shown", n);
	s->hover = (struct view_item){ 0 };
	state_clamp(s, d);
}

/* Keys while typing a search or a filter: the line takes text, Return
 * searches (or keeps the filter), Esc cancels (or clears the filter). */
static bool state_input_key(struct view_state *s, struct view_data *d, SDL_Keycode k)
{
	size_t size;
	char *line = state_input(s, &size);
	if (!line)
		return false;
	size_t n = strlen(line);
	bool filter = s->filtering;
	if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
		s->searching = s->filtering = false;
		if (filter)
			state_filter_apply(s, d);
		else
			view_state_search_next(s, d);
	} else if (k == SDLK_ESCAPE) {
		s->searching = s->filtering = false;
		s->status[0] = 0;
		if (filter) {
			s->filter[0] = 0;
			state_filter_apply(s, d);
		}
	} else if (k == SDLK_BACKSPACE && n) {
		line[n - 1] = 0;
		if (filter)
			state_filter_apply(s, d);
	}
	if (s->searching)
		snprintf(s->status, sizeof s->status, "search: %s_", s->query);
	s->dirty = true;
	return true;
}

/* Typed text goes to the open line, except the opening key's own. */
static void state_text(struct view_state *s, struct view_data *d, const char *text)
{
	size_t size;
	char *line = state_input(s, &size);
	bool opener = s->swallow && (text[0] == s->swallow || text[0] == (s->swallow ^ 0x20)) && !text[1];
	s->swallow = 0;
	if (!line || opener)
		return;
	size_t n = strlen(line), add = strlen(text);
	if (n + add < size)
		memcpy(line + n, text, add + 1);
	if (s->filtering)
		state_filter_apply(s, d);
	else
		snprintf(s->status, sizeof s->status, "search: %s_", s->query);
	s->dirty = true;
}

/* The span of item it, for F. False when it has none. */
static bool state_item_span(const struct view_data *d, struct view_item it, uint64_t *a, uint64_t *b)
{
	const struct model *m = &d->m;
	switch (it.kind) {
	case VIEW_ITEM_INTERVAL:
		*a = m->threads[it.owner].iv[it.index].start;
		*b = model_interval_end(&m->threads[it.owner], it.index);
		return true;
	case VIEW_ITEM_REGION:
		*a = m->regions[it.index].begin, *b = m->regions[it.index].end;
		return true;
	case VIEW_ITEM_TASK:
		*a = m->attaches[it.index].from, *b = m->attaches[it.index].to;
		return true;
	case VIEW_ITEM_THREAD:
		*a = m->threads[it.owner].tl_begin, *b = m->threads[it.owner].tl_end;
		return true;
	case VIEW_ITEM_CPU_SLICE: {
		const struct model_cpu *c = &m->cpus[it.owner];
		*a = c->v[it.index].start;
		*b = it.index + 1 < c->n ? c->v[it.index + 1].start : view_data_end(d);
		return true;
	}
	default:
		return false;
	}
}

/* F: the selection (else the chosen range) fills the view. */
static void state_zoom_selection(struct view_state *s, const struct view_data *d)
{
	uint64_t a, b;
	if (state_item_span(d, s->selected, &a, &b)) {
		state_frame(s, d, a, b > a ? b : a + 1);
	} else if (s->range_on) {
		a = s->range_a < s->range_b ? s->range_a : s->range_b;
		b = s->range_a < s->range_b ? s->range_b : s->range_a;
		view_state_show(s, a, b);
		state_clamp(s, d);
	}
}

const char *const view_help_lines[] = {
	"keys\t(? or Esc closes this)",
	"wheel, W / S\tzoom at the cursor",
	"drag, A / D\tpan",
	"0\tfit the whole run",
	"F\tzoom to the selection (or the range)",
	"click\tdetails; on a process header: collapse or expand",
	"right-drag\ta time range's totals (Esc closes them)",
	"/ or Ctrl-F\tsearch threads, tasks, regions, logs",
	"Return\tnext match",
	"N / P\tnext / previous spike",
	"K\tthe spike list; 1-9 shows one of it",
	"L\tflow arrows: lock hand-overs, task hand-offs",
	"O\tsort threads: start time, name, time blocked",
	"T\tfilter threads by name (Esc clears)",
	"E\texport pprof: every instance of the selected region",
	"\tor task, else the range, else the window",
	"Shift-E\texport type: cpu, lock, syscall, sched, mutex, alloc",
	"Q\tquit",
};
const size_t view_help_count = sizeof view_help_lines / sizeof view_help_lines[0];

static void state_open_input(struct view_state *s, bool search, char opener)
{
	s->searching = search;
	s->filtering = !search;
	s->swallow = opener;
	if (search) {
		s->query[0] = 0;
		s->match = 0;
		snprintf(s->status, sizeof s->status, "search: _");
	} else {
		snprintf(s->status, sizeof s->status, "filter threads: %s_", s->filter);
	}
	s->dirty = true;
}

static void state_key(struct view_state *s, struct view_data *d, SDL_Keysym ks)
{
	SDL_Keycode k = ks.sym;
	bool shift = ks.mod & KMOD_SHIFT, ctrl = ks.mod & KMOD_CTRL;
	int cx = s->mouse_in ? s->mouse_x : VIEW_LABEL_W + view_state_timeline_w(s) / 2;
	int step = (int)(view_state_timeline_w(s) * STATE_KEY_PAN_FRACTION);
	if (k == SDLK_QUESTION || (k == SDLK_SLASH && shift) || k == SDLK_F1) {
		s->help = !s->help;
		s->dirty = true;
		return;
	}
	if (s->spike_list && k >= SDLK_1 && k <= SDLK_9) {
		s->spike_list = false;
		view_state_show_spike(s, d, view_state_spike_page(s) + (size_t)(k - SDLK_1));
		return;
	}
	switch (k) {
	case SDLK_w: view_state_zoom(s, d, STATE_ZOOM_STEP * STATE_ZOOM_STEP, cx); break;
	case SDLK_s: view_state_zoom(s, d, 1 / (STATE_ZOOM_STEP * STATE_ZOOM_STEP), cx); break;
	case SDLK_a: view_state_pan(s, d, step, 0); break;
	case SDLK_d: view_state_pan(s, d, -step, 0); break;
	case SDLK_0: view_state_fit(s, d); break;
	case SDLK_k:
		s->spike_list = !s->spike_list;
		s->dirty = true;
		break;
	case SDLK_ESCAPE:
		if (s->help || s->spike_list) {
			s->help = s->spike_list = false;
		} else {
			s->selected = (struct view_item){ 0 };
			s->range_on = s->ranging = false;
		}
		s->dirty = true;
		break;
	case SDLK_q: s->quit = true; break;
	case SDLK_e:
		if (shift) {
			s->export_type = (uint8_t)((s->export_type + 1) % PPROF_EXPORT_NTYPES);
			snprintf(s->status, sizeof s->status, "export type: %s (E writes it)",
				 pprof_export_type_name((enum pprof_export_type)s->export_type));
			s->dirty = true;
		} else {
			s->export_requested = true;
		}
		break;
	case SDLK_f:
		if (ctrl)
			state_open_input(s, true, 0);
		else
			state_zoom_selection(s, d);
		break;
	case SDLK_SLASH: state_open_input(s, true, '/'); break;
	case SDLK_t: state_open_input(s, false, 't'); break;
	case SDLK_l:
		s->flows = !s->flows;
		snprintf(s->status, sizeof s->status, s->flows ? "flow arrows: lock hand-overs, task hand-offs"
							      : "flow arrows off");
		s->dirty = true;
		break;
	case SDLK_o:
		d->sort = (uint8_t)((d->sort + 1) % VIEW_SORT_COUNT);
		view_data_layout(d);
		snprintf(s->status, sizeof s->status, "threads sorted by %s", view_sort_name(d->sort));
		s->hover = (struct view_item){ 0 };
		state_clamp(s, d);
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

/* A click: a process header collapses or expands its threads, anything
 * else is selected. */
static void state_click(struct view_state *s, struct view_data *d, int x, int y)
{
	int top = VIEW_HEADER_H + VIEW_AXIS_H;
	size_t r = y >= top && y < s->h - VIEW_LEGEND_H ? view_data_row_at(d, y - top + s->scroll_y) : SIZE_MAX;
	if (r != SIZE_MAX && d->rows[r].kind == VIEW_ROW_PROCESS) {
		uint32_t p = d->rows[r].index;
		d->collapsed[p] = !d->collapsed[p];
		view_data_layout(d);
		snprintf(s->status, sizeof s->status, "%s %s (pid %d)", d->collapsed[p] ? "collapsed" : "expanded",
			 model_str(&d->m, d->m.processes[p].name), d->m.processes[p].pid);
		s->hover = (struct view_item){ 0 };
		state_clamp(s, d);
		return;
	}
	s->selected = view_state_item_at(s, d, x, y);
	s->dirty = true;
}

size_t view_state_spike_page(const struct view_state *s)
{
	size_t cur = s->spike ? s->spike - 1 : 0;
	return cur / VIEW_SPIKE_PAGE * VIEW_SPIKE_PAGE;
}

void view_state_handle(struct view_state *s, struct view_data *d, const SDL_Event *e)
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
			if (s->drag_x == e->button.x && s->drag_y == e->button.y && !s->drag_moved)
				state_click(s, d, e->button.x, e->button.y);
		}
		break;
	case SDL_KEYDOWN:
		if (!state_input_key(s, d, e->key.keysym.sym))
			state_key(s, d, e->key.keysym);
		else if (e->key.keysym.sym != (SDL_Keycode)s->swallow)
			s->swallow = 0;
		state_hover(s, d);
		break;
	case SDL_TEXTINPUT:
		state_text(s, d, e->text.text);
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
					 [VIEW_ROW_REGION] = VIEW_ITEM_REGION,
					 [VIEW_ROW_TASK] = VIEW_ITEM_TASK };
	return (struct view_item){ kinds[row->kind], row->index, view_row_piece_index(d, row, i) };
}
