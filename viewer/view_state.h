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
		      VIEW_ITEM_MARK };

/* Something under the cursor: an interval of thread `owner`, a slice of
 * CPU `owner`, a region or a marker (index into model / data arrays). */
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
	/* "/" starts a search of region names and log messages; Return
	 * shows the next match. */
	bool searching;
	char query[64];
	size_t match;               /* last match: region index + 1, 0: none yet */
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

/* Shows the next region (after the last match, in time order) whose
 * name contains s->query, framed and selected. False when none does. */
bool view_state_search_next(struct view_state *s, const struct view_data *d);

/* Applies one input event. */
void view_state_handle(struct view_state *s, const struct view_data *d, const SDL_Event *e);

/* The item at window (x, y), kind VIEW_ITEM_NONE when none. */
struct view_item view_state_item_at(const struct view_state *s, const struct view_data *d, int x, int y);

#endif
