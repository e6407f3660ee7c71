/*
 * Driving a viewer app (view_app.h) as a user would, for the tests: events
 * pushed with SDL_PushEvent (which, unlike a real device, do not update
 * SDL_GetMouseState: the view tracks the cursor from the events) and run
 * through view_app_step, the loop `ctrace view` runs.
 */
#ifndef VIEW_DRIVE_H
#define VIEW_DRIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>

#include "view_app.h"

/* The hand-made trace (view_synth.h) in an app of w x h: a window under
 * the dummy driver, or a software-rendered surface (pixels to read), its
 * first frame drawn. drive_close undoes it. */
void drive_open(struct view_data *d, struct view_app *app, bool surface, int w, int h);
void drive_close(struct view_data *d, struct view_app *app);

void drive_push(SDL_Event e);
/* Runs the loop until the queue is empty. */
void drive_pump(struct view_app *app);
void drive_motion(int x, int y);
void drive_key(SDL_Keycode k, uint16_t mod);
void drive_text(const char *t);
void drive_button(bool down, int x, int y);
/* A left click: press and release at one place. */
void drive_click(int x, int y);

/* Centre y of a row (view_synth_row's arguments) and x of instant t on screen. */
int drive_row_y(const struct view_app *app, uint8_t kind, uint32_t index, uint16_t depth);
int drive_time_x(const struct view_app *app, uint64_t t);

#endif
