/*
 * A frame of the hand-made trace, rendered headless (software renderer on
 * a surface), is byte-identical to the committed golden PNG, and two
 * renders of the same state give the same pixels. The frame shows a
 * selected lock wait's details panel, frame and arrow from the holder's
 * release, a hover tooltip over a region and a chosen time
 * range with its totals, task spans and the flow arrows (L), so text,
 * panels and blending are covered too.
 *
 * An empty model (a trace without events) renders too, without items.
 * Filtering threads by name or tid lays out only their rows.
 *
 * After an intended change of the drawing, regenerate the golden image
 * with CTRACE_UPDATE_GOLDEN=1 and look at it before committing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_builder.h"
#include "support.h"
#include "view_app.h"
#include "view_synth.h"

#define W 1400
#define H 360
#define GOLDEN VIEW_GOLDEN_DIR "/synthetic_1400x360.png"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		size_t got = fread(buf + *n, 1, cap - *n, f);
		if (!got)
			break;
		*n += got;
	}
	fclose(f);
	return buf;
}

static void test_golden_frame(void **state)
{
	(void)state;
	struct view_data d;
	view_synth_data(&d);
	struct view_app app;
	char err[256];
	if (view_app_open_surface(&app, &d, CTRACE_FONT, W, H, err, sizeof err) != 0)
		fail_msg("%s", err);
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID);
	size_t r = view_synth_row(&d, VIEW_ROW_REGION, main_t, 1);
	/* The worker's lock wait, selected: details, frame and the arrow
	 * from the holder's release. */
	const struct view_row *wr = &d.rows[view_synth_row(&d, VIEW_ROW_STATE,
		view_synth_thread(&d, SYNTH_WORKER), 0)];
	int wx = VIEW_LABEL_W + (int)(((double)(SYNTH_WAIT_BEGIN + SYNTH_WAIT_END) / 2 - (double)app.st.t0) /
				      app.st.ns_per_px);
	app.st.selected = view_state_item_at(&app.st, &d, wx, VIEW_HEADER_H + VIEW_AXIS_H + wr->y + 4);
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_INTERVAL);
	app.st.mouse_in = true;
	app.st.mouse_x = VIEW_LABEL_W + 200;
	app.st.mouse_y = VIEW_HEADER_H + VIEW_AXIS_H + d.rows[r].y + 4;
	app.st.hover = view_state_item_at(&app.st, &d, app.st.mouse_x, app.st.mouse_y);
	assert_int_equal(app.st.hover.kind, VIEW_ITEM_REGION);
	app.st.range_on = true;
	app.st.range_a = SYNTH_WAIT_BEGIN;
	app.st.range_b = SYNTH_WAIT_END;
	app.st.flows = true;   /* L: the task hand-off and lock hand-over arrows */

	view_app_frame(&app);
	size_t bytes = (size_t)app.surface->pitch * H;
	void *first = malloc(bytes);
	assert_non_null(first);
	memcpy(first, app.surface->pixels, bytes);
	view_app_frame(&app);
	assert_memory_equal(first, app.surface->pixels, bytes);
	free(first);

	if (getenv("CTRACE_UPDATE_GOLDEN")) {
		assert_int_equal(view_app_save_png(&app, GOLDEN, err, sizeof err), 0);
		fprintf(stderr, "wrote %s\n", GOLDEN);
	}
	char *dir = support_tmpdir_create();
	assert_non_null(dir);
	char path[4096];
	snprintf(path, sizeof path, "%s/frame.png", dir);
	if (view_app_save_png(&app, path, err, sizeof err) != 0)
		fail_msg("%s", err);
	size_t n1, n2;
	char *got = slurp(path, &n1), *want = slurp(GOLDEN, &n2);
	assert_non_null(got);
	if (!want)
		fail_msg("no golden image %s (CTRACE_UPDATE_GOLDEN=1 writes it)", GOLDEN);
	if (n1 != n2 || memcmp(got, want, n1) != 0)
		fail_msg("frame differs from %s: see %s", GOLDEN, path);
	free(got);
	free(want);
	support_tree_remove(dir);
	free(dir);
	view_app_close(&app);
	view_data_free(&d);
}

static void test_empty_model(void **state)
{
	(void)state;
	struct model_builder_options opt = { .sched = false };
	struct model_builder *b = model_builder_create(&opt);
	assert_non_null(b);
	struct model m;
	assert_int_equal(model_builder_finish(b, &m), 0);
	model_builder_destroy(b);
	struct view_data d;
	assert_int_equal(view_data_init(&d, &m), 0);
	struct view_app app;
	char err[256];
	if (view_app_open_surface(&app, &d, CTRACE_FONT, 640, 240, err, sizeof err) != 0)
		fail_msg("%s", err);
	view_app_frame(&app);
	view_state_zoom(&app.st, &d, 4, 400);
	view_state_pan(&app.st, &d, 100, 10);
	view_app_frame(&app);
	assert_int_equal(view_state_item_at(&app.st, &d, 400, 100).kind, VIEW_ITEM_NONE);
	view_app_close(&app);
	view_data_free(&d);
}

static void test_thread_filter(void **state)
{
	(void)state;
	struct view_data d;
	view_synth_data(&d);
	uint32_t worker = view_synth_thread(&d, SYNTH_WORKER);
	assert_int_equal(view_data_filter_threads(&d, "work"), 1);
	for (size_t r = 0; r < d.nrows; r++)
		if (d.rows[r].kind != VIEW_ROW_CPU && d.rows[r].kind != VIEW_ROW_PROCESS)
			assert_int_equal(d.rows[r].index, worker);
	assert_int_equal(view_data_filter_threads(&d, "100"), 1);
	assert_int_equal(view_data_filter_threads(&d, "nosuch"), 0);
	assert_int_equal(view_data_filter_threads(&d, NULL), 2);
	view_data_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_frame),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_thread_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
