/*
 * Text on the timeline: one SDL_ttf font, rendered strings cached as
 * textures (a frame draws the same labels again and again).
 */
#ifndef VIEW_TEXT_H
#define VIEW_TEXT_H

#include <stddef.h>
#include <SDL.h>

#include "view_palette.h"

struct view_text;

/* Opens font_path at size pt for renderer r. NULL with err filled. */
struct view_text *view_text_open(SDL_Renderer *r, const char *font_path, int size, char *err,
				 size_t errsz);
void view_text_close(struct view_text *t);

/* Width in pixels of s. */
int view_text_width(struct view_text *t, const char *s);
int view_text_height(const struct view_text *t);
/* Draws s with its top-left at (x, y), clipped to max_w pixels (0: no clip). */
void view_text_draw(struct view_text *t, const char *s, int x, int y, int max_w, struct view_rgb c);

#endif
