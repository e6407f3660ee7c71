/*
 * Window, surface and event loop (view_app.h).
 */
#include "view_app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view_export.h"
#include "view_png.h"

static int app_finish_open(struct view_app *a, struct view_data *d, const char *font, int w, int h,
			   char *err, size_t errsz)
{
	a->d = d;
	a->text = view_text_open(a->ren, font, VIEW_FONT_PT, err, errsz);
	if (!a->text)
		return -1;
	a->painter = view_painter_create(a->ren, a->text);
	if (!a->painter) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	view_state_init(&a->st, d, w, h);
	return 0;
}

int view_app_open_window(struct view_app *a, struct view_data *d, const char *font, int w, int h,
			 char *err, size_t errsz)
{
	*a = (struct view_app){ 0 };
	/* Without a display SDL falls back to an invisible offscreen window
	 * and the viewer would wait forever for input no one can give: only
	 * a driver asked for by name may be a headless one. */
	const char *asked = getenv("SDL_VIDEODRIVER");
	if (!asked && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
		snprintf(err, errsz, "cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset)");
		return -1;
	}
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(err, errsz, "cannot open a window: %s", SDL_GetError());
		return -1;
	}
	const char *drv = SDL_GetCurrentVideoDriver();
	if (!asked && drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy"))) {
		snprintf(err, errsz, "cannot open a window: no display (SDL chose its %s driver)", drv);
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
		return -1;
	}
	a->win = SDL_CreateWindow("ctrace view", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h,
				  SDL_WINDOW_RESIZABLE);
	if (a->win)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_PRESENTVSYNC);
	if (a->win && !a->ren)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->win || !a->ren) {
		snprintf(err, errsz, "cannot open a window: %s", SDL_GetError());
		view_app_close(a);
		return -1;
	}
	if (app_finish_open(a, d, font, w, h, err, errsz) != 0) {
		view_app_close(a);
		return -1;
	}
	return 0;
}

int view_app_open_surface(struct view_app *a, struct view_data *d, const char *font, int w, int h,
			  char *err, size_t errsz)
{
	*a = (struct view_app){ 0 };
	if (SDL_InitSubSystem(SDL_INIT_EVENTS) != 0) {
		snprintf(err, errsz, "cannot start SDL: %s", SDL_GetError());
		return -1;
	}
	a->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (a->surface)
		a->ren = SDL_CreateSoftwareRenderer(a->surface);
	if (!a->surface || !a->ren) {
		snprintf(err, errsz, "cannot create a %dx%d software renderer: %s", w, h, SDL_GetError());
		view_app_close(a);
		return -1;
	}
	if (app_finish_open(a, d, font, w, h, err, errsz) != 0) {
		view_app_close(a);
		return -1;
	}
	return 0;
}

void view_app_close(struct view_app *a)
{
	view_painter_destroy(a->painter);
	view_text_close(a->text);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	if (a->surface)
		SDL_FreeSurface(a->surface);
	*a = (struct view_app){ 0 };
}

void view_app_frame(struct view_app *a)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a->last_rects = view_render(a->painter, a->d, &a->st);
	if (a->win)
		SDL_RenderPresent(a->ren);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->last_frame_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	a->frames++;
	a->st.dirty = false;
}

bool view_app_step(struct view_app *a, int wait_ms)
{
	SDL_Event e;
	if (SDL_WaitEventTimeout(&e, wait_ms)) {
		do
			view_state_handle(&a->st, a->d, &e);
		while (!a->st.quit && SDL_PollEvent(&e));
	}
	if (a->st.quit)
		return false;
	if (a->st.export_requested) {
		char path[4096];
		snprintf(path, sizeof path, "%s/ctrace-view-%u.pb.gz", a->export_dir ? a->export_dir : ".",
			 ++a->exports);
		view_export_pprof(a->d, &a->st, path, a->st.status, sizeof a->st.status);
		a->st.export_requested = false;
		a->st.dirty = true;
	}
	if (a->st.dirty)
		view_app_frame(a);
	return true;
}

void view_app_run(struct view_app *a)
{
	view_app_frame(a);
	while (view_app_step(a, 100))
		;
}

int view_app_save_png(struct view_app *a, const char *path, char *err, size_t errsz)
{
	if (!a->surface) {
		snprintf(err, errsz, "no image to save");
		return -1;
	}
	SDL_Surface *s = a->surface;
	if (SDL_MUSTLOCK(s))
		SDL_LockSurface(s);
	int rc = view_png_write(path, s->pixels, s->w, s->h, s->pitch, err, errsz);
	if (SDL_MUSTLOCK(s))
		SDL_UnlockSurface(s);
	return rc;
}
