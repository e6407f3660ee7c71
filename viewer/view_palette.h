/*
 * The viewer's colours, as one table indexed by a colour key. Rectangles
 * are batched per key (one SDL_RenderFillRects call per key and frame),
 * so every colour the timeline draws must be a key here.
 *
 * Thread states use the Okabe-Ito palette, which stays distinguishable
 * for the common forms of colour blindness. Thread colours (CPU rows)
 * avoid the pinks and greys, which would read as the `unknown` and
 * `other` states.
 */
#ifndef VIEW_PALETTE_H
#define VIEW_PALETTE_H

#include <stdint.h>

#include "model.h"

enum view_key {
	/* States: key = enum model_state. */
	VIEW_K_STATE0 = 0,
	VIEW_K_THREAD0 = MODEL_NSTATES,           /* thread colours (CPU rows) */
	VIEW_K_NTHREAD = 12,
	VIEW_K_REGION0 = VIEW_K_THREAD0 + VIEW_K_NTHREAD,  /* region name colours */
	VIEW_K_NREGION = 8,
	VIEW_K_MERGED = VIEW_K_REGION0 + VIEW_K_NREGION,   /* many regions in one pixel */
	VIEW_K_LOG,
	VIEW_K_BURST,
	VIEW_K_SAMPLE,
	VIEW_K_BG,
	VIEW_K_PANEL,       /* label column, header, legend */
	VIEW_K_GRID,
	VIEW_K_ROWSEP,
	VIEW_K_HOVER,
	VIEW_K_SELECT,
	VIEW_K_FLOW_LOCK,   /* L: a lock hand-over */
	VIEW_K_FLOW_TASK,   /* L: a task hand-off */
	VIEW_K_COUNT
};

#define VIEW_KEY_NONE UINT32_MAX   /* nothing drawn (an idle CPU) */

struct view_rgb {
	uint8_t r, g, b;
};

extern const struct view_rgb view_palette[VIEW_K_COUNT];

/* The colour key of thread index t on CPU rows, and of region name s. */
static inline uint32_t view_key_thread(uint32_t t)
{
	return VIEW_K_THREAD0 + (t * 7u) % VIEW_K_NTHREAD;
}
static inline uint32_t view_key_region(uint32_t name)
{
	return VIEW_K_REGION0 + (name * 5u) % VIEW_K_NREGION;
}

#endif
