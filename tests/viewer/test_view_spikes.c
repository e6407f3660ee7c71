/*
 * N walks the analysis' spikes on a real recording: samples/request_loop
 * (every 50th request 20 ms slow) is recorded, and pressing N in the
 * viewer (pushed key events, dummy video driver) shows the slowest
 * instance first: the view holds it, a region spike is selected, and the
 * header says which spike it is; N again moves to the next, P back; K
 * lists them and 3 shows the third.
 * `ctrace view --png --select NAME` on that recording renders when NAME
 * matches and exits 2 when not; the first view writes the model cache
 * and the next one reads it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model_load.h"
#include "support.h"
#include "view_app.h"
#include "view_detail.h"

static struct support_recording rec;

static void press(struct view_app *app, SDL_Keycode k)
{
	SDL_Event e = { .key = { .type = SDL_KEYDOWN, .state = SDL_PRESSED, .keysym = { .sym = k } } };
	assert_int_equal(SDL_PushEvent(&e), 1);
	assert_true(view_app_step(app, 100));
}

static void expect_spike(const struct view_app *app, const struct view_data *d, size_t k)
{
	assert_int_equal(app->st.spike, k + 1);
	const struct analysis *an = view_data_analysis(d);
	const struct analysis_spike *sp = &an->spikes[k];
	print_message("%s\n", app->st.status);
	char want[32];
	snprintf(want, sizeof want, "spike %zu/%zu", k + 1, an->n_spikes);
	assert_non_null(strstr(app->st.status, want));
	if (sp->kind != ANALYSIS_REGION)
		return;
	const struct model_region *r = &d->m.regions[sp->instance];
	assert_int_equal(app->st.selected.kind, VIEW_ITEM_REGION);
	assert_int_equal(app->st.selected.index, sp->instance);
	uint64_t right = app->st.t0 + (uint64_t)(app->st.ns_per_px * view_state_timeline_w(&app->st));
	assert_true(app->st.t0 <= r->begin && r->end <= right);
}

static void test_next_spike(void **state)
{
	(void)state;
	struct model m;
	struct model_load_info info;
	struct analyzer_error err;
	if (model_load(rec.trace_dir, &m, &info, NULL, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	struct view_data d;
	assert_int_equal(view_data_init(&d, &m), 0);
	assert_non_null(view_data_analysis(&d));
	assert_true(view_data_analysis(&d)->n_spikes >= 3);
	struct view_app app;
	char msg[256];
	if (view_app_open_window(&app, &d, CTRACE_FONT, 1200, 500, msg, sizeof msg) != 0)
		fail_msg("%s", msg);
	press(&app, SDLK_n);
	expect_spike(&app, &d, 0);
	press(&app, SDLK_n);
	expect_spike(&app, &d, 1);
	press(&app, SDLK_p);
	expect_spike(&app, &d, 0);
	/* K lists the spikes; 3 shows the third. */
	press(&app, SDLK_k);
	assert_true(app.st.spike_list);
	char lines[VIEW_SPIKE_PAGE + 1][VIEW_LINE_MAX];
	size_t n = view_detail_spike_lines(&d, view_state_spike_page(&app.st), lines, VIEW_SPIKE_PAGE + 1);
	assert_true(n >= 4);
	char want[VIEW_LINE_MAX];
	view_detail_spike(&d, view_data_analysis(&d), 2, want, sizeof want);
	assert_non_null(strstr(lines[3], want));
	press(&app, SDLK_3);
	assert_false(app.st.spike_list);
	expect_spike(&app, &d, 2);
	view_app_close(&app);
	view_data_free(&d);
	SDL_Quit();
}

static int run_view(const char *png, const char *select)
{
	char *const argv[] = { CTRACE_TEST_CTRACE, "view", "--png", (char *)png, "--size", "900x300",
			       "--select", (char *)select, rec.trace_dir, NULL };
	struct support_run r;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &r), 0);
	int status = r.status;
	support_run_free(&r);
	return status;
}

static struct timespec cache_mtime(void)
{
	char path[8192];
	snprintf(path, sizeof path, "%s/ctrace-model.cache", rec.trace_dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mtim;
}

/* `ctrace view --png --select`: a name that matches renders (exit 0), one
 * that does not is a usage error (exit 2, no image). The first view
 * writes the model cache, the second reads it (the file stays as it was). */
static void test_cli_select_and_cache(void **state)
{
	(void)state;
	char png[8192];
	snprintf(png, sizeof png, "%s/frame.png", rec.tmpdir);
	assert_int_equal(run_view(png, "request"), 0);
	assert_int_equal(access(png, R_OK), 0);
	struct timespec t1 = cache_mtime();
	unlink(png);
	assert_int_equal(run_view(png, "no such name"), 2);
	assert_int_equal(access(png, F_OK), -1);
	struct timespec t2 = cache_mtime();
	assert_true(t1.tv_sec == t2.tv_sec && t1.tv_nsec == t2.tv_nsec);
}

static int setup(void **state)
{
	(void)state;
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	char *const argv[] = { SUPPORT_SAMPLE("request_loop"), NULL };
	support_recording_make_ok(&rec, NULL, argv);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	support_recording_free(&rec);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_spike),
		cmocka_unit_test(test_cli_select_and_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
