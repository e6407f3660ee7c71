/*
 * The interactive viewer's event loop, driven headless: events are pushed
 * with SDL_PushEvent under the dummy video driver and run through
 * view_app_step (the loop `ctrace view` runs), then the view state is
 * checked:
 * - the wheel and W/S zoom around the cursor (the instant under it stays);
 * - D/A and dragging pan by the expected time; 0 fits the whole trace;
 * - hovering finds the item under the cursor; clicking the worker's lock
 *   wait selects it and its details name the holder; clicking a region
 *   selects it and its details show its state breakdown;
 * - dragging with the right button chooses a time range whose totals
 *   include the worker's lock wait and the functions of the CPU samples
 *   inside it;
 * - "/" then typed text and Return finds a region by name, frames and
 *   selects it; Return again moves to the next match; Ctrl-F opens it
 *   too, and threads, tasks and log messages match as well;
 * - E writes a pprof profile of the visible window (CPU samples, the
 *   default) and says so in the header; Shift-E changes the type; with a
 *   region selected, E exports every instance of its name;
 * - a quit event ends the loop.
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

#include <unistd.h>

#include "pprof_export.h"
#include "support.h"
#include "view_app.h"
#include "view_detail.h"
#include "view_drive.h"
#include "view_synth.h"

#define W 1000
#define H 400

static struct view_data d;
static struct view_app app;

static int setup(void **state)
{
	(void)state;
	drive_open(&d, &app, false, W, H);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	drive_close(&d, &app);
	return 0;
}

static void push(SDL_Event e) { drive_push(e); }
static void pump(void) { drive_pump(&app); }
static void motion(int x, int y) { drive_motion(x, y); }
static void key(SDL_Keycode k) { drive_key(k, 0); }
static void button(bool down, int x, int y) { drive_button(down, x, y); }
static void text(const char *t) { drive_text(t); }
static int row_y(uint8_t kind, uint32_t index, uint16_t depth) { return drive_row_y(&app, kind, index, depth); }
static int time_x(uint64_t t) { return drive_time_x(&app, t); }

static void test_zoom_pan_fit(void **state)
{
	(void)state;
	double fit = app.st.ns_per_px;
	assert_int_equal(app.st.t0, d.m.start_ns);
	assert_true(fabs(fit * view_state_timeline_w(&app.st) - (double)(d.m.end_ns - d.m.start_ns)) < 2);

	int x = VIEW_LABEL_W + 300, y = row_y(VIEW_ROW_STATE, 0, 0);
	motion(x, y);
	pump();
	uint64_t under = view_state_time_at(&app.st, x);
	push((SDL_Event){ .wheel = { .type = SDL_MOUSEWHEEL, .y = 1, .direction = SDL_MOUSEWHEEL_NORMAL } });
	pump();
	assert_true(fabs(app.st.ns_per_px - fit / 1.25) < 1e-6);
	assert_true(llabs((long long)view_state_time_at(&app.st, x) - (long long)under) <= 1);

	key(SDLK_w);
	pump();
	assert_true(fabs(app.st.ns_per_px - fit / 1.25 / 1.5625) < 1e-6);
	assert_true(llabs((long long)view_state_time_at(&app.st, x) - (long long)under) <= 1);
	key(SDLK_s);
	pump();
	assert_true(fabs(app.st.ns_per_px - fit / 1.25) < 1e-6);

	uint64_t t0 = app.st.t0;
	double npp = app.st.ns_per_px;
	key(SDLK_d);
	pump();
	double moved = (double)app.st.t0 - (double)t0;
	assert_true(fabs(moved - (int)(view_state_timeline_w(&app.st) * 0.2) * npp) < 2);

	t0 = app.st.t0;
	button(true, x, y);
	motion(x + 40, y);
	motion(x + 100, y);
	button(false, x + 100, y);
	pump();
	assert_true(fabs(((double)t0 - (double)app.st.t0) - 100 * npp) < 2);
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_NONE);   /* a drag is no click */

	key(SDLK_0);
	pump();
	assert_int_equal(app.st.t0, d.m.start_ns);
	assert_true(fabs(app.st.ns_per_px - fit) < 1e-6);
	assert_true(app.frames > 1);
}

static void test_hover_and_click(void **state)
{
	(void)state;
	key(SDLK_0);
	pump();
	uint32_t worker = view_synth_thread(&d, SYNTH_WORKER), main_t = view_synth_thread(&d, SYNTH_PID);
	int x = time_x((SYNTH_WAIT_BEGIN + SYNTH_WAIT_END) / 2), y = row_y(VIEW_ROW_STATE, worker, 0);

	motion(x, y);
	pump();
	assert_int_equal(app.st.hover.kind, VIEW_ITEM_INTERVAL);
	assert_int_equal(app.st.hover.owner, worker);

	button(true, x, y);
	button(false, x, y);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_INTERVAL);
	const struct model_thread *t = &d.m.threads[worker];
	assert_int_equal(t->iv[app.st.selected.index].state, MODEL_LOCK_WAIT);
	char lines[24][VIEW_LINE_MAX];
	size_t n = view_detail_lines(&d, app.st.selected, true, lines, 24);
	bool holder = false;
	for (size_t i = 0; i < n; i++)
		holder |= strstr(lines[i], "holder: main (tid 100)") != NULL;
	assert_true(holder);

	int rx = time_x(700000), ry = row_y(VIEW_ROW_REGION, main_t, 1);
	button(true, rx, ry);
	button(false, rx, ry);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_REGION);
	assert_string_equal(model_str(&d.m, d.m.regions[app.st.selected.index].name), "request");
	n = view_detail_lines(&d, app.st.selected, true, lines, 24);
	bool running = false;
	for (size_t i = 0; i < n; i++)
		running |= strstr(lines[i], "running") != NULL;
	assert_true(running);

	key(SDLK_ESCAPE);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_NONE);
}

static void test_range_totals(void **state)
{
	(void)state;
	key(SDLK_0);
	pump();
	int xa = time_x(SYNTH_WAIT_BEGIN), xb = time_x(SYNTH_WAIT_END), y = row_y(VIEW_ROW_STATE, 0, 0);
	push((SDL_Event){ .button = { .type = SDL_MOUSEBUTTONDOWN, .button = SDL_BUTTON_RIGHT,
				      .state = SDL_PRESSED, .x = xa, .y = y } });
	motion((xa + xb) / 2, y);
	push((SDL_Event){ .button = { .type = SDL_MOUSEBUTTONUP, .button = SDL_BUTTON_RIGHT,
				      .state = SDL_RELEASED, .x = xb, .y = y } });
	pump();
	assert_true(app.st.range_on);
	assert_int_equal(app.st.range_a, view_state_time_at(&app.st, xa));
	assert_int_equal(app.st.range_b, view_state_time_at(&app.st, xb));
	char lines[24][VIEW_LINE_MAX];
	size_t n = view_detail_range_lines(&d, app.st.range_a, app.st.range_b, lines, 24);
	bool worker = false, samples = false, top = false;
	for (size_t i = 0; i < n; i++) {
		worker |= strstr(lines[i], "worker (tid 101): lock_wait") != NULL;
		samples |= strstr(lines[i], "3 CPU samples, top functions:") != NULL;
		top |= strstr(lines[i], "66.7%  [unknown 0x401000]") != NULL;
	}
	assert_true(worker);
	assert_true(samples);   /* main's three samples fall in the range */
	assert_true(top);
	key(SDLK_ESCAPE);
	pump();
	assert_false(app.st.range_on);
}

static void test_search(void **state)
{
	(void)state;
	key(SDLK_SLASH);
	text("/");
	text("co");
	text("mp");
	key(SDLK_w);            /* typed into the query, not a zoom */
	text("x");
	key(SDLK_BACKSPACE);
	double npp = app.st.ns_per_px;
	pump();
	assert_true(app.st.searching);
	assert_string_equal(app.st.query, "comp");
	assert_true(app.st.ns_per_px == npp);
	key(SDLK_RETURN);
	pump();
	assert_false(app.st.searching);
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_REGION);
	const struct model_region *r = &d.m.regions[app.st.selected.index];
	assert_string_equal(model_str(&d.m, r->name), "compute");
	uint64_t right = app.st.t0 + (uint64_t)(app.st.ns_per_px * view_state_timeline_w(&app.st));
	assert_true(app.st.t0 <= r->begin && r->end <= right);
	size_t first = app.st.selected.index;
	key(SDLK_RETURN);        /* the only match: found again */
	pump();
	assert_int_equal(app.st.selected.index, first);
	key(SDLK_SLASH);
	text("nothing");
	key(SDLK_RETURN);
	pump();
	assert_non_null(strstr(app.st.status, "nothing matches"));
	key(SDLK_ESCAPE);
	pump();
}

/* Search covers threads, tasks and logs too, opens with Ctrl-F as well,
 * and Return walks the matches, selecting each and scrolling to its row. */
static void test_search_kinds(void **state)
{
	(void)state;
	push((SDL_Event){ .key = { .type = SDL_KEYDOWN, .state = SDL_PRESSED,
				   .keysym = { .sym = SDLK_f, .mod = KMOD_LCTRL } } });
	text("work");
	key(SDLK_RETURN);
	pump();
	uint32_t worker = view_synth_thread(&d, SYNTH_WORKER);
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_THREAD);
	assert_int_equal(app.st.selected.owner, worker);
	assert_non_null(strstr(app.st.status, "thread worker (tid 101)"));
	char lines[24][VIEW_LINE_MAX];
	size_t n = view_detail_lines(&d, app.st.selected, true, lines, 24);
	assert_true(n >= 3);
	assert_non_null(strstr(lines[0], "worker (tid 101)"));

	key(SDLK_SLASH);
	text("/");
	text("ord");
	key(SDLK_RETURN);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_TASK);
	assert_int_equal(d.m.attaches[app.st.selected.index].from, SYNTH_TASK_BEGIN);
	assert_non_null(strstr(app.st.status, "task order (id 7)"));
	uint64_t right = app.st.t0 + (uint64_t)(app.st.ns_per_px * view_state_timeline_w(&app.st));
	assert_true(app.st.t0 <= SYNTH_TASK_BEGIN && SYNTH_TASK_END <= right);

	key(SDLK_SLASH);
	text("/");
	text("parsed");     /* the log's message (and no region's name) */
	key(SDLK_RETURN);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_MARK);
	assert_int_equal(d.marks[app.st.selected.index].kind, VIEW_MARK_LOG);
	assert_non_null(strstr(app.st.status, "log [net] parsed on tid 100"));
	right = app.st.t0 + (uint64_t)(app.st.ns_per_px * view_state_timeline_w(&app.st));
	assert_true(app.st.t0 <= 250000 && 250000 <= right);

	key(SDLK_SLASH);
	text("/");
	text("r");          /* threads first, then the task, regions, logs */
	key(SDLK_RETURN);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_THREAD);   /* worker */
	key(SDLK_RETURN);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_TASK);     /* order */
	key(SDLK_RETURN);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_REGION);   /* request */
	assert_string_equal(model_str(&d.m, d.m.regions[app.st.selected.index].name), "request");
	key(SDLK_ESCAPE);
	pump();
}

static int exists(const char *dir, unsigned k)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/ctrace-view-%u.pb.gz", dir, k);
	return access(path, R_OK);
}

/* E writes the window's profile; with a region selected, every instance
 * of its name over the whole trace; Shift-E chooses the type. The header
 * names the file. */
static void test_export(void **state)
{
	(void)state;
	char *dir = support_tmpdir_create();
	assert_non_null(dir);
	app.export_dir = dir;
	key(SDLK_ESCAPE);
	key(SDLK_0);
	key(SDLK_e);
	pump();
	print_message("%s\n", app.st.status);
	assert_non_null(strstr(app.st.status, "exported cpu profile of the window (3 samples)"));
	assert_non_null(strstr(app.st.status, "ctrace-view-1.pb.gz"));
	assert_int_equal(exists(dir, 1), 0);
	push((SDL_Event){ .key = { .type = SDL_KEYDOWN, .state = SDL_PRESSED,
				   .keysym = { .sym = SDLK_e, .mod = KMOD_LSHIFT } } });
	pump();
	assert_non_null(strstr(app.st.status, "export type: lock"));

	/* The worker's region "job" holds its lock wait. Zoomed far from it,
	 * its export still covers it: every instance, not the window. */
	uint32_t worker = view_synth_thread(&d, SYNTH_WORKER);
	int x = time_x(650000), y = row_y(VIEW_ROW_REGION, worker, 1);
	button(true, x, y);
	button(false, x, y);
	pump();
	assert_int_equal(app.st.selected.kind, VIEW_ITEM_REGION);
	view_state_show(&app.st, SYNTH_END - 1000, SYNTH_END);
	key(SDLK_e);
	pump();
	print_message("%s\n", app.st.status);
	assert_non_null(strstr(app.st.status, "exported lock profile of every 'job' region (1 samples)"));
	assert_int_equal(exists(dir, 2), 0);

	push((SDL_Event){ .key = { .type = SDL_KEYDOWN, .state = SDL_PRESSED,
				   .keysym = { .sym = SDLK_e, .mod = KMOD_LSHIFT } } });
	pump();
	assert_non_null(strstr(app.st.status, "export type: syscall"));
	key(SDLK_e);        /* the worker made no syscall in "job" */
	pump();
	print_message("%s\n", app.st.status);
	assert_null(strstr(app.st.status, "exported"));
	assert_int_equal(app.st.export_type, PPROF_EXPORT_SYSCALL);

	key(SDLK_0);
	pump();
	uint32_t main_t = view_synth_thread(&d, SYNTH_PID);
	x = time_x(700000), y = row_y(VIEW_ROW_REGION, main_t, 1);
	button(true, x, y);
	button(false, x, y);
	key(SDLK_e);        /* main's read is in "request" */
	pump();
	print_message("%s\n", app.st.status);
	assert_non_null(strstr(app.st.status, "exported syscall profile of every 'request' region (1 samples)"));
	key(SDLK_ESCAPE);
	pump();
	app.export_dir = NULL;
	support_tree_remove(dir);
	free(dir);
}

static void test_quit(void **state)
{
	(void)state;
	push((SDL_Event){ .type = SDL_QUIT });
	assert_false(view_app_step(&app, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zoom_pan_fit),
		cmocka_unit_test(test_hover_and_click),
		cmocka_unit_test(test_range_totals),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_kinds),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_quit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
