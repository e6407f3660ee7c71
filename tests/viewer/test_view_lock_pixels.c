/*
 * What the viewer draws agrees with the model on a real recording:
 * samples/contention is recorded with `ctrace record --private-daemon`,
 * loaded like `ctrace view` does, and for the longest lock waits of the
 * workers a frame around each wait (rendered headless) shows the
 * lock-wait colour on the waiter's state row at 25 %, 50 % and 75 % of
 * the wait; and the waiter's row shows the running colour where the model
 * says it ran for at least a few pixels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_load.h"
#include "support.h"
#include "view_app.h"
#include "view_synth.h"

#define W 1200
#define WAITS_CHECKED 5

static struct support_recording rec;

static uint32_t pixel(const struct view_app *a, int x, int y)
{
	const uint8_t *row = (const uint8_t *)a->surface->pixels + (size_t)y * (size_t)a->surface->pitch;
	return ((const uint32_t *)row)[x] & 0xFFFFFFu;
}

static uint32_t rgb(uint32_t key)
{
	struct view_rgb c = view_palette[key];
	return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

static int x_of(const struct view_app *a, uint64_t t)
{
	return VIEW_LABEL_W + (int)floor(((double)t - (double)a->st.t0) / a->st.ns_per_px);
}

static void test_lock_wait_colour(void **state)
{
	(void)state;
	char *const argv[] = { SUPPORT_SAMPLE("contention"), "-n", "30", NULL };
	support_recording_make_ok(&rec, NULL, argv);
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	if (model_load(rec.trace_dir, &m, &info, NULL, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	struct view_data d;
	assert_int_equal(view_data_init(&d, &m), 0);
	struct view_app app;
	char msg[256];
	int h = VIEW_HEADER_H + VIEW_AXIS_H + d.rows_h + VIEW_LEGEND_H;
	if (view_app_open_surface(&app, &d, CTRACE_FONT, W, h < 200 ? 200 : h, msg, sizeof msg) != 0)
		fail_msg("%s", msg);

	/* The longest waits on a mutex. */
	size_t checked = 0;
	bool used[65536] = { false };
	for (; checked < WAITS_CHECKED; checked++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < d.m.n_waits && i < 65536; i++)
			if (!used[i] && d.m.waits[i].kind != MODEL_WAIT_JOIN &&
			    (best == SIZE_MAX || d.m.waits[i].end - d.m.waits[i].begin >
						 d.m.waits[best].end - d.m.waits[best].begin))
				best = i;
		if (best == SIZE_MAX)
			break;
		used[best] = true;
		const struct model_wait *w = &d.m.waits[best];
		uint64_t dur = w->end - w->begin;
		view_state_show(&app.st, w->begin - dur, w->end + dur);
		view_app_frame(&app);
		const struct view_row *row = &d.rows[view_synth_row(&d, VIEW_ROW_STATE, w->thread, 0)];
		int y = VIEW_HEADER_H + VIEW_AXIS_H + row->y + row->h / 2;
		for (int q = 1; q <= 3; q++) {
			uint64_t t = w->begin + dur * (uint64_t)q / 4;
			int x = x_of(&app, t);
			print_message("wait %zu of tid %d: %.3f ms, pixel (%d,%d) = %06x\n", best,
				      d.m.threads[w->thread].tid, (double)dur / 1e6, x, y, pixel(&app, x, y));
			assert_int_equal(pixel(&app, x, y), rgb(MODEL_LOCK_WAIT));
		}
		/* A running stretch of the waiter, wide enough to see. */
		const struct model_thread *th = &d.m.threads[w->thread];
		for (size_t i = 0; i < th->niv; i++) {
			uint64_t a = th->iv[i].start, b = model_interval_end(th, i);
			if (th->iv[i].state != MODEL_RUNNING || a < app.st.t0 ||
			    (double)(b - a) < 6 * app.st.ns_per_px ||
			    b > app.st.t0 + (uint64_t)(app.st.ns_per_px * view_state_timeline_w(&app.st)))
				continue;
			assert_int_equal(pixel(&app, x_of(&app, a + (b - a) / 2), y), rgb(MODEL_RUNNING));
			break;
		}
	}
	assert_true(checked >= 3);
	view_app_close(&app);
	view_data_free(&d);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_wait_colour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
