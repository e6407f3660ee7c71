/*
 * Task spans and flow arrows, driven through the event loop (pushed SDL
 * events, software renderer on a surface) on the hand-made trace, where
 * main begins task "order" and hands it to the worker, and the worker
 * waits for a lock main releases:
 * - each thread that worked for the task has a "tasks" row whose pixels
 *   have the task's colour over its span; clicking it selects the span,
 *   whose details name the task and the thread that began it;
 * - L draws two arrows (the lock hand-over, the task hand-off), their
 *   pixels between the two rows in the flow colours; L again removes them;
 * - arrows with an end outside the window are not drawn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view_app.h"
#include "view_detail.h"
#include "view_drive.h"
#include "view_rows.h"
#include "view_synth.h"

#define W 1000
#define H 400

static struct view_data d;
static struct view_app app;

static int setup(void **state)
{
	(void)state;
	drive_open(&d, &app, true, W, H);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	drive_close(&d, &app);
	return 0;
}

static void pump(void) { drive_pump(&app); }
static void key(SDL_Keycode k) { drive_key(k, 0); }
static void click(int x, int y) { drive_click(x, y); }

static int row_mid(uint8_t kind, uint32_t thread) { return drive_row_y(&app, kind, thread, 1); }

static int time_x(uint64_t t) { return drive_time_x(&app, t); }

static struct view_rgb pixel(int x, int y)
{
	const uint32_t *row = (const uint32_t *)((const uint8_t *)app.surface->pixels + (size_t)y * app.surface->pitch);
	uint32_t p = row[x];
	return (struct view_rgb){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p };
}

static bool same(struct view_rgb a, struct view_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Whether a pixel of colour key lies within 2 pixels of (x, y). */
static bool near(int x, int y, uint32_t key)
{
	for (int dy = -2; dy <= 2; dy++)
		for (int dx = -2; dx <= 2; dx++)
			if (same(pixel(x + dx, y + dy), view_palette[key]))
				return true;
	return false;
}

static void test_task_rows(void **state)
{
	(void)state;
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID), worker = view_synth_thread(&d, SYNTH_WORKER);
	const struct view_row *mr = &d.rows[view_synth_row(&d, VIEW_ROW_TASK, main_t, 0)];
	const struct view_row *wr = &d.rows[view_synth_row(&d, VIEW_ROW_TASK, worker, 0)];
	assert_int_equal(mr->n, 1);
	assert_int_equal(wr->n, 1);
	uint32_t name = d.m.tasks[0].name;
	struct view_rgb c = view_palette[view_key_region(name)];
	int y = row_mid(VIEW_ROW_TASK, worker);
	/* Inside the worker's span, and outside it (before the hand-off). */
	assert_true(same(pixel(time_x(400000), y), c));
	assert_false(same(pixel(time_x(SYNTH_TASK_HANDOFF - 5000), y), c));
	assert_false(same(pixel(time_x(SYNTH_TASK_END + 5000), y), c));
	/* Main's short span carries the name: its colour shows around it. */
	assert_true(near(time_x(SYNTH_TASK_BEGIN) + 3, row_mid(VIEW_ROW_TASK, main_t), view_key_region(name)));
	assert_false(near(time_x(SYNTH_TASK_HANDOFF) + 4, row_mid(VIEW_ROW_TASK, main_t), view_key_region(name)));

	click(time_x(400000), y);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_TASK);
	assert_int_equal(app.st.selected.owner, worker);
	const struct model_task_attach *a = &d.m.attaches[app.st.selected.index];
	assert_int_equal(a->from, SYNTH_TASK_HANDOFF);
	assert_int_equal(a->to, SYNTH_TASK_END);
	char lines[24][VIEW_LINE_MAX];
	size_t n = view_detail_lines(&d, app.st.selected, true, lines, 24);
	bool named = false, begun = false;
	for (size_t i = 0; i < n; i++) {
		named |= strstr(lines[i], "task order (id 7)") != NULL;
		begun |= strstr(lines[i], "begun by: main (tid 100)") != NULL;
	}
	assert_true(named);
	assert_true(begun);
	key(SDLK_ESCAPE);
	pump();
}

static void test_flow_arrows(void **state)
{
	(void)state;
	key(SDLK_0);
	pump();
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID), worker = view_synth_thread(&d, SYNTH_WORKER);
	int ym = row_mid(VIEW_ROW_STATE, main_t), yw = row_mid(VIEW_ROW_STATE, worker);
	/* Midpoints of the two arrows. */
	int tx = (time_x(SYNTH_TASK_BEGIN) + time_x(SYNTH_TASK_HANDOFF)) / 2;
	int lx = (time_x(SYNTH_RELEASE) + time_x(SYNTH_WAIT_END)) / 2, ly = (ym + yw) / 2;
	assert_false(near(tx, ly, VIEW_K_FLOW_TASK));
	assert_false(near(lx, ly, VIEW_K_FLOW_LOCK));

	key(SDLK_l);
	pump();
	assert_true(app.st.flows);
	assert_int_equal(view_painter_arrows(app.painter), 2);
	assert_true(near(tx, ly, VIEW_K_FLOW_TASK));
	assert_true(near(lx, ly, VIEW_K_FLOW_LOCK));
	assert_non_null(strstr(app.st.status, "flow arrows"));

	/* The release is left of this window: no lock arrow; the task began
	 * before it: no task arrow. */
	view_state_show(&app.st, SYNTH_RELEASE + 5000, SYNTH_WAIT_END + 100000);
	view_app_frame(&app);
	assert_int_equal(view_painter_arrows(app.painter), 0);

	key(SDLK_0);
	key(SDLK_l);
	pump();
	assert_false(app.st.flows);
	assert_false(near(tx, ly, VIEW_K_FLOW_TASK));
	assert_false(near(lx, ly, VIEW_K_FLOW_LOCK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_rows),
		cmocka_unit_test(test_flow_arrows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
