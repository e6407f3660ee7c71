/*
 * Thread groups in the event loop (pushed SDL events, dummy driver) on
 * the hand-made trace:
 * - a click on the process header collapses its threads (no thread rows
 *   left, the header counts them) and a second click expands them;
 * - O cycles the thread order: by start time (main, then the worker), by
 *   name, by time blocked (the worker's 400 us lock wait beats main's
 *   100 us read), and back;
 * - T types a name filter that applies as it is typed (the T itself is
 *   not typed), Return keeps it, Esc while typing clears it;
 * - ? shows the key help and Esc hides it; F frames the selection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_app.h"
#include "view_drive.h"
#include "view_synth.h"

static struct view_data d;
static struct view_app app;

static int setup(void **state)
{
	(void)state;
	drive_open(&d, &app, false, 1000, 400);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	drive_close(&d, &app);
	return 0;
}

static void pump(void) { drive_pump(&app); }
static void key(SDL_Keycode k, uint16_t mod) { drive_key(k, mod); }
static void text(const char *t) { drive_text(t); }
static void click(int x, int y) { drive_click(x, y); }

static size_t count_rows(uint8_t kind)
{
	size_t n = 0;
	for (size_t r = 0; r < d.nrows; r++)
		n += d.rows[r].kind == kind;
	return n;
}

static int header_y(void)
{
	const struct view_row *r = &d.rows[view_synth_row(&d, VIEW_ROW_PROCESS, 0, 0)];
	return VIEW_HEADER_H + VIEW_AXIS_H + r->y - app.st.scroll_y + r->h / 2;
}

static void test_collapse(void **state)
{
	(void)state;
	assert_int_equal(count_rows(VIEW_ROW_STATE), 2);
	click(60, header_y());          /* on its label */
	pump();
	assert_true(d.collapsed[0]);
	assert_int_equal(count_rows(VIEW_ROW_STATE), 0);
	assert_int_equal(count_rows(VIEW_ROW_REGION), 0);
	assert_int_equal(count_rows(VIEW_ROW_TASK), 0);
	assert_int_equal(d.rows[view_synth_row(&d, VIEW_ROW_PROCESS, 0, 0)].n, 2);
	assert_int_equal(d.thread_row[view_synth_thread(&d, SYNTH_WORKER)], SIZE_MAX);
	assert_non_null(strstr(app.st.status, "collapsed synth (pid 100)"));
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_NONE);
	click(VIEW_LABEL_W + 300, header_y());   /* on its timeline part */
	pump();
	assert_false(d.collapsed[0]);
	assert_int_equal(count_rows(VIEW_ROW_STATE), 2);
	assert_int_equal(count_rows(VIEW_ROW_TASK), 2);
}

static void test_sort(void **state)
{
	(void)state;
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID), worker = view_synth_thread(&d, SYNTH_WORKER);
	assert_true(d.thread_row[main_t] < d.thread_row[worker]);   /* by start */
	key(SDLK_o, 0);
	pump();
	assert_int_equal(d.sort, VIEW_SORT_NAME);
	assert_non_null(strstr(app.st.status, "sorted by name"));
	assert_true(d.thread_row[main_t] < d.thread_row[worker]);   /* "main" < "worker" */
	key(SDLK_o, 0);
	pump();
	assert_int_equal(d.sort, VIEW_SORT_BLOCKED);
	assert_non_null(strstr(app.st.status, "sorted by time blocked"));
	assert_true(d.thread_row[worker] < d.thread_row[main_t]);
	/* The worker's rows moved with it: its regions follow its state row. */
	assert_int_equal(d.rows[d.thread_row[worker] + 1].index, worker);
	key(SDLK_o, 0);
	pump();
	assert_int_equal(d.sort, VIEW_SORT_START);
	assert_true(d.thread_row[main_t] < d.thread_row[worker]);
}

static void test_filter(void **state)
{
	(void)state;
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID), worker = view_synth_thread(&d, SYNTH_WORKER);
	key(SDLK_t, 0);
	text("t");              /* the opening key's own text */
	text("wor");
	pump();
	assert_true(app.st.filtering);
	assert_string_equal(app.st.filter, "wor");
	assert_int_equal(count_rows(VIEW_ROW_STATE), 1);
	assert_int_equal(d.thread_row[main_t], SIZE_MAX);
	assert_true(d.thread_row[worker] != SIZE_MAX);
	key(SDLK_w, 0);         /* typed, not a zoom: no text event, no change */
	key(SDLK_RETURN, 0);
	pump();
	assert_false(app.st.filtering);
	assert_int_equal(count_rows(VIEW_ROW_STATE), 1);
	assert_non_null(strstr(app.st.status, "threads filtered by \"wor\": 1 shown"));

	key(SDLK_t, 0);         /* reopens with the filter, Esc clears it */
	key(SDLK_ESCAPE, 0);
	pump();
	assert_string_equal(app.st.filter, "");
	assert_int_equal(count_rows(VIEW_ROW_STATE), 2);

	key(SDLK_t, 0);
	text("tid");            /* a name starting with t stays typed */
	pump();
	assert_string_equal(app.st.filter, "tid");
	assert_int_equal(count_rows(VIEW_ROW_STATE), 0);
	key(SDLK_ESCAPE, 0);
	pump();
	assert_int_equal(count_rows(VIEW_ROW_STATE), 2);
}

static void test_help_and_f(void **state)
{
	(void)state;
	key(SDLK_SLASH, KMOD_LSHIFT);
	text("?");
	pump();
	assert_true(app.st.help);
	assert_false(app.st.searching);
	key(SDLK_ESCAPE, 0);
	pump();
	assert_false(app.st.help);
	bool listed = false;
	for (size_t i = 0; i < view_help_count; i++)
		listed |= strncmp(view_help_lines[i], "L\t", 2) == 0;
	assert_true(listed);

	/* Select the worker's lock wait, then F frames it. */
	uint32_t worker = view_synth_thread(&d, SYNTH_WORKER);
	const struct view_row *r = &d.rows[d.thread_row[worker]];
	int x = VIEW_LABEL_W + (int)(((double)(SYNTH_WAIT_BEGIN + SYNTH_WAIT_END) / 2 - (double)app.st.t0) /
				     app.st.ns_per_px);
	click(x, VIEW_HEADER_H + VIEW_AXIS_H + r->y - app.st.scroll_y + r->h / 2);
	key(SDLK_f, 0);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_INTERVAL);
	uint64_t right = app.st.t0 + (uint64_t)(app.st.ns_per_px * view_state_timeline_w(&app.st));
	assert_true(app.st.t0 <= SYNTH_WAIT_BEGIN && SYNTH_WAIT_END <= right);
	assert_true(right - app.st.t0 <= 2 * (SYNTH_WAIT_END - SYNTH_WAIT_BEGIN) + 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collapse),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_help_and_f),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
