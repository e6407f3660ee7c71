/*
 * The viewer as a running program: an SDL window (or, headless, a
 * software renderer on a surface), the view state, and the event loop
 * that turns input into state changes and frames. Tests drive the same
 * loop with pushed events (SDL_VIDEODRIVER=dummy).
 */
#ifndef VIEW_APP_H
#define VIEW_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <SDL.h>

#include "view_data.h"
#include "view_render.h"
#include "view_state.h"
#include "view_text.h"

#define VIEW_FONT_PT 11

struct view_app {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Surface *surface;       /* headless target, else NULL */
	struct view_text *text;
	struct view_painter *painter;
	struct view_data *d;        /* borrowed; input may lay it out again */
	struct view_state st;
	const char *export_dir;     /* where E writes profiles (default ".") */
	unsigned exports;
	size_t frames, last_rects;
	double last_frame_ms;
};

/* A window of w x h. -1 with err filled (no display, ...). */
int view_app_open_window(struct view_app *a, struct view_data *d, const char *font, int w, int h,
			 char *err, size_t errsz);
/* A w x h software-rendered surface: no display needed, same pixels on
 * every run. -1 with err filled. */
int view_app_open_surface(struct view_app *a, struct view_data *d, const char *font, int w, int h,
			  char *err, size_t errsz);
void view_app_close(struct view_app *a);

/* Draws the frame for the current state (and presents it in a window). */
void view_app_frame(struct view_app *a);
/* Handles every pending event, waiting up to wait_ms for the first, and
 * draws a frame if anything changed. False once the user quit. */
bool view_app_step(struct view_app *a, int wait_ms);
/* Steps until the user quits. */
void view_app_run(struct view_app *a);

/* Saves the last frame of a surface app as PNG. -1 with err filled. */
int view_app_save_png(struct view_app *a, const char *path, char *err, size_t errsz);

#endif
