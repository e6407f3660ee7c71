/*
 * What the user is looking at: the visible time window, the vertical
 * scroll, the cursor, the hovered and the selected item, and how input
 * events change them. Pure state: drawing reads it (view_render.h), the
 * event loop feeds it (view_app.h), tests drive it with synthetic events.
 *
 * Screen layout, top to bottom: a header line (trace start, window), the
 * time axis, the rows (scrolled), the legend. Left of the rows, a label
 * column names them.
 */
#ifndef VIEW_STATE_H
#define VIEW_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>

#include "view_data.h"

#define VIEW_LABEL_W 200
#define VIEW_HEADER_H 20
#define VIEW_AXIS_H 20
#define VIEW_LEGEND_H 22
#define VIEW_DETAILS_W 420       /* the details panel, when open */

enum view_item_kind { VIEW_ITEM_NONE, VIEW_ITEM_INTERVAL, VIEW_ITEM_CPU_SLICE, VIEW_ITEM_REGION,
		      VIEW_ITEM_MARK, VIEW_ITEM_TASK, VIEW_ITEM_THREAD };

/* Something under the cursor: an interval of thread `owner`, a slice of
 * CPU `owner`, a region, a marker, a task span of thread `owner` (index
 * into model / data arrays: the attach for a task span), or thread
 * `owner` itself (found by search). */
struct view_item {
	uint8_t kind;
	uint32_t owner;
	size_t index;
};

struct view_state {
	int w, h;                   /* window (or image) size */
	uint64_t t0;                /* time at the left edge of the rows */
	double ns_per_px;
	int scroll_y;
	int mouse_x, mouse_y;       /* tracked from events, not SDL_GetMouseState */
	bool mouse_in;
	bool dragging, drag_moved;
	int drag_x, drag_y;         /* where the last drag motion was */
	struct view_item hover, selected;
	/* A time range chosen by dragging with the right button: its totals
	 * are shown. range_on once the button is released over a span. */
	bool ranging, range_on;
	uint64_t range_a, range_b;  /* range_a: where the drag began */
	bool quit;
	bool dirty;                 /* needs a new frame */
	bool export_requested;      /* E: the app writes a pprof profile */
	size_t spike;               /* N / P: the spike shown, 1-based; 0: none yet */
	/* "/" or Ctrl-F starts a search of thread, task and region names and
	 * log messages; Return shows the next match. */
	bool searching;
	char query[64];
	size_t match;               /* last match: search position + 1, 0: none yet */
	/* T types a thread name filter (Esc clears it). */
	bool filtering;
	char filter[64];
	char swallow;               /* the key that opened the line: its text is dropped */
	bool flows;                 /* L: flow arrows */
	bool help;                  /* ?: the key help */
	bool spike_list;            /* K: the spike list */
	uint8_t export_type;        /* enum pprof_export_type, Shift-E cycles */
	char status[256];           /* last action's outcome, shown in the header */
};

/* Fits the whole trace into a w x h view. */
void view_state_init(struct view_state *s, const struct view_data *d, int w, int h);
void view_state_fit(struct view_state *s, const struct view_data *d);
/* Sets the visible window to [from, to) (absolute times). */
void view_state_show(struct view_state *s, uint64_t from, uint64_t to);
/* Width in pixels of the timeline area. */
int view_state_timeline_w(const struct view_state *s);
/* Zooms by factor (>1 zooms in) keeping the time under window x fixed. */
void view_state_zoom(struct view_state *s, const struct view_data *d, double factor, int x);
/* Moves the view by dx pixels right (the time window moves left). */
void view_state_pan(struct view_state *s, const struct view_data *d, int dx, int dy);
/* Time at window x. */
uint64_t view_state_time_at(const struct view_state *s, int x);

/* Shows spike k (0-based, in the analysis' order: longest first): its
 * instance with half its duration either side, selected when a region. */
void view_state_show_spike(struct view_state *s, const struct view_data *d, size_t k);

/* Shows the next match of s->query after the last one: threads, then
 * tasks, regions and log messages, each in their order, their name (or
 * message) containing the query; framed, scrolled to and selected. False
 * when nothing matches. */
bool view_state_search_next(struct view_state *s, struct view_data *d);

/* The spike list shows VIEW_SPIKE_PAGE spikes from this one (0-based):
 * the page of the spike shown last. */
#define VIEW_SPIKE_PAGE 9
size_t view_state_spike_page(const struct view_state *s);

/* Applies one input event. d is not const: collapsing a process, sorting
 * and filtering threads lay the rows out again. */
void view_state_handle(struct view_state *s, struct view_data *d, const SDL_Event *e);

/* The key help, one line per key: the key, a tab, what it does. */
extern const char *const view_help_lines[];
extern const size_t view_help_count;

/* The item at window (x, y), kind VIEW_ITEM_NONE when none. */
struct view_item view_state_item_at(const struct view_state *s, const struct view_data *d, int x, int y);

#endif
