/*
 * Drawing one frame of the timeline for a view state (view_state.h) with
 * any SDL renderer: a window's, or a software renderer on a surface for
 * --png and tests (byte-identical pixels on every run).
 *
 * Rows go through the level-of-detail walk (view_spans.h), so a frame
 * draws at most one rectangle per pixel column and row; rectangles are
 * collected per colour and drawn with one SDL_RenderFillRects per colour.
 */
#ifndef VIEW_RENDER_H
#define VIEW_RENDER_H

#include <SDL.h>

#include "view_data.h"
#include "view_palette.h"
#include "view_state.h"
#include "view_text.h"

struct view_painter;

/* NULL when out of memory. text is borrowed. */
struct view_painter *view_painter_create(SDL_Renderer *r, struct view_text *text);
void view_painter_destroy(struct view_painter *p);

/* Draws the frame (does not present it). Returns the number of
 * rectangles the rows took. */
size_t view_render(struct view_painter *p, const struct view_data *d, const struct view_state *s);

/* Flow arrows the last frame drew (L). */
size_t view_painter_arrows(const struct view_painter *p);

#endif
