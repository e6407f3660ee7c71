/*
 * Pushed-event driving of the viewer (view_drive.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "view_drive.h"
#include "view_synth.h"

void drive_open(struct view_data *d, struct view_app *app, bool surface, int w, int h)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	view_synth_data(d);
	char err[256];
	int rc = surface ? view_app_open_surface(app, d, CTRACE_FONT, w, h, err, sizeof err)
			 : view_app_open_window(app, d, CTRACE_FONT, w, h, err, sizeof err);
	if (rc != 0)
		fail_msg("%s", err);
	view_app_frame(app);
}

void drive_close(struct view_data *d, struct view_app *app)
{
	view_app_close(app);
	view_data_free(d);
	SDL_Quit();
}

void drive_push(SDL_Event e)
{
	assert_int_equal(SDL_PushEvent(&e), 1);
}

void drive_pump(struct view_app *app)
{
	SDL_PumpEvents();
	while (SDL_PeepEvents(NULL, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0)
		assert_true(view_app_step(app, 0));
}

void drive_motion(int x, int y)
{
	drive_push((SDL_Event){ .motion = { .type = SDL_MOUSEMOTION, .x = x, .y = y } });
}

void drive_key(SDL_Keycode k, uint16_t mod)
{
	drive_push((SDL_Event){ .key = { .type = SDL_KEYDOWN, .state = SDL_PRESSED,
					 .keysym = { .sym = k, .mod = mod } } });
}

void drive_text(const char *t)
{
	SDL_Event e = { .text = { .type = SDL_TEXTINPUT } };
	snprintf(e.text.text, sizeof e.text.text, "%s", t);
	drive_push(e);
}

void drive_button(bool down, int x, int y)
{
	drive_push((SDL_Event){ .button = { .type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP,
					    .button = SDL_BUTTON_LEFT, .state = down ? SDL_PRESSED : SDL_RELEASED,
					    .clicks = 1, .x = x, .y = y } });
}

void drive_click(int x, int y)
{
	drive_button(true, x, y);
	drive_button(false, x, y);
}

int drive_row_y(const struct view_app *app, uint8_t kind, uint32_t index, uint16_t depth)
{
	const struct view_row *r = &app->d->rows[view_synth_row(app->d, kind, index, depth)];
	return VIEW_HEADER_H + VIEW_AXIS_H + r->y - app->st.scroll_y + r->h / 2;
}

int drive_time_x(const struct view_app *app, uint64_t t)
{
	return VIEW_LABEL_W + (int)floor(((double)t - (double)app->st.t0) / app->st.ns_per_px);
}
