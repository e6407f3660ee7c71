/*
 * diff_compute (analyzer/diff.h) on two hand-made models fed straight to
 * the builder, with exact expected figures:
 * - names are matched across the runs by kind and string; a name in one
 *   run only appeared or vanished;
 * - entries come most significant first (largest change of total or p99);
 * - a state change is given per instance and in total, and lock_wait that
 *   grew is blamed, from NEW, on the lock and the thread that held it;
 * - a name whose figures did not move is unchanged and has no state change;
 * - --region's filter keeps one name; diff_percent refuses a zero base.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analysis.h"
#include "diff.h"
#include "model_builder.h"
#include "model_check.h"

#define PID 100
#define HOLDER 12
#define LOCK_ADDR 0x10

struct run {
	struct model_builder *b;
	struct model m;
	struct analysis a;
};

static struct run old_run, new_run;
static const struct ctrace_counters no_counters;

static void feed(struct run *r, struct model_event ev)
{
	ev.pid = PID;
	assert_int_equal(model_builder_feed(r->b, &ev), 0);
}

static struct model_event ev(enum model_ev type, uint64_t ts, int32_t tid)
{
	return (struct model_event){ .type = type, .ts = ts, .tid = tid, .pid = PID, .cpu = 0 };
}

static void region(struct run *r, uint64_t begin, uint64_t end, const char *name)
{
	struct model_event e = ev(MEV_REGION_BEGIN, begin, PID);
	e.u.region_begin.name = name;
	e.u.region_begin.depth = 1;
	e.has_counters = true;
	e.counters = no_counters;
	feed(r, e);
	e = ev(MEV_REGION_END, end, PID);
	e.u.region_end.name = name;
	e.u.region_end.depth = 1;
	e.has_counters = true;
	feed(r, e);
}

/* A region `name` of [begin, end) holding a lock wait [wb, we) on
 * LOCK_ADDR held by HOLDER. */
static void region_waiting(struct run *r, uint64_t begin, uint64_t end, const char *name,
			   uint64_t wb, uint64_t we)
{
	struct model_event e = ev(MEV_REGION_BEGIN, begin, PID);
	e.u.region_begin.name = name;
	e.u.region_begin.depth = 1;
	e.has_counters = true;
	feed(r, e);
	struct model_event w = ev(MEV_LOCK_WAIT, we, PID);
	w.u.lock_wait.begin_ts = wb;
	w.u.lock_wait.addr = LOCK_ADDR;
	w.u.lock_wait.holder_tid = HOLDER;
	feed(r, w);
	e = ev(MEV_REGION_END, end, PID);
	e.u.region_end.name = name;
	e.u.region_end.depth = 1;
	e.has_counters = true;
	feed(r, e);
}

static void start(struct run *r)
{
	struct model_builder_options opt = { .sched = false };
	r->b = model_builder_create(&opt);
	assert_non_null(r->b);
	struct model_event t = ev(MEV_THREAD_START, 1, HOLDER);
	t.u.thread_start.parent_tid = PID;
	feed(r, t);
	/* "a": 4 x 100 ns in both runs. */
	for (uint64_t i = 0; i < 4; i++)
		region(r, 1000 + i * 1000, 1100 + i * 1000, "a");
}

static void finish(struct run *r)
{
	feed(r, ev(MEV_THREAD_EXIT, 90000, HOLDER));
	feed(r, ev(MEV_THREAD_EXIT, 100000, PID));
	assert_int_equal(model_builder_finish(r->b, &r->m), 0);
	model_builder_destroy(r->b);
	char msg[256];
	if (model_check(&r->m, msg, sizeof msg) != 0)
		fail_msg("%s", msg);
	struct analysis_options opt = analysis_default_options();
	assert_int_equal(analysis_run(&r->m, &opt, &r->a), 0);
}

/* OLD: a, b (2 x 1000 ns, all running), gone (50 ns).
 * NEW: a, b (2 x 3000 ns, each with a 2000 ns lock wait held by HOLDER),
 * came (500 ns). */
static int setup(void **state)
{
	(void)state;
	start(&old_run);
	region(&old_run, 10000, 11000, "b");
	region(&old_run, 20000, 21000, "b");
	region(&old_run, 30000, 30050, "gone");
	finish(&old_run);
	start(&new_run);
	region_waiting(&new_run, 10000, 13000, "b", 10500, 12500);
	region_waiting(&new_run, 20000, 23000, "b", 20500, 22500);
	region(&new_run, 30000, 30500, "came");
	finish(&new_run);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&old_run.a);
	model_free(&old_run.m);
	analysis_free(&new_run.a);
	model_free(&new_run.m);
	return 0;
}

static void test_matching_and_order(void **state)
{
	(void)state;
	struct diff d;
	assert_int_equal(diff_compute(&old_run.a, &new_run.a, NULL, &d), 0);
	assert_int_equal(d.n_entries, 4);
	const char *order[] = { "b", "came", "gone", "a" };
	const uint8_t status[] = { DIFF_BOTH, DIFF_APPEARED, DIFF_VANISHED, DIFF_BOTH };
	const uint64_t significance[] = { 4000, 500, 50, 0 };
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(d.entries[i].name, order[i]);
		assert_int_equal(d.entries[i].kind, ANALYSIS_REGION);
		assert_int_equal(d.entries[i].status, status[i]);
		assert_int_equal(d.entries[i].significance_ns, significance[i]);
	}
	const struct diff_entry *gone = &d.entries[2];
	assert_int_equal(gone->side[DIFF_NEW].stats, MODEL_NONE);
	assert_int_equal(gone->side[DIFF_OLD].count, 1);
	assert_int_equal(gone->side[DIFF_OLD].total_ns, 50);
	const struct diff_entry *a = &d.entries[3];
	assert_false(diff_entry_changed(a, DIFF_UNCHANGED_REL));
	assert_int_equal(a->n_changes, 0);
	assert_int_equal(a->side[DIFF_OLD].p50_ns, 100);
	assert_int_equal(a->side[DIFF_NEW].count, 4);
	struct diff_summary s = diff_summarize(&d);
	assert_int_equal(s.changed, 1);
	assert_int_equal(s.appeared, 1);
	assert_int_equal(s.vanished, 1);
	assert_int_equal(s.unchanged, 1);
	diff_free(&d);
}

static void test_lock_wait_blamed(void **state)
{
	(void)state;
	struct diff d;
	struct diff_options opt = { .only = "b" };
	assert_int_equal(diff_compute(&old_run.a, &new_run.a, &opt, &d), 0);
	assert_int_equal(d.n_entries, 1);
	const struct diff_entry *b = &d.entries[0];
	assert_true(diff_entry_changed(b, DIFF_UNCHANGED_REL));
	assert_int_equal(b->side[DIFF_OLD].mean_ns, 1000);
	assert_int_equal(b->side[DIFF_NEW].mean_ns, 3000);
	assert_int_equal(b->side[DIFF_NEW].p99_ns, 3000);
	/* Running stayed 1000 ns per instance: lock_wait is the only change. */
	assert_int_equal(b->n_changes, 1);
	const struct diff_state_change *c = &b->changes[0];
	assert_int_equal(c->state, MODEL_LOCK_WAIT);
	assert_int_equal(c->mean_ns, 2000);
	assert_int_equal(c->total_ns, 4000);
	assert_int_equal(c->blame_side, DIFF_NEW);
	assert_int_equal(c->blamed_ns, 4000);
	assert_int_equal(c->n_blame, 1);
	const struct model *m = &new_run.m;
	assert_true(c->blame[0].thread < m->n_threads);
	assert_int_equal(m->threads[c->blame[0].thread].tid, HOLDER);
	assert_true(c->blame[0].lock < m->n_locks);
	assert_int_equal(m->locks[c->blame[0].lock].addr, LOCK_ADDR);
	assert_int_equal(c->blame[0].ns, 4000);
	diff_free(&d);

	/* The other way round, the wait is explained from the OLD side. */
	assert_int_equal(diff_compute(&new_run.a, &old_run.a, &opt, &d), 0);
	assert_int_equal(d.entries[0].changes[0].mean_ns, -2000);
	assert_int_equal(d.entries[0].changes[0].blame_side, DIFF_OLD);
	assert_int_equal(d.entries[0].changes[0].blamed_ns, 4000);
	diff_free(&d);
}

static void test_self_and_percent(void **state)
{
	(void)state;
	struct diff d;
	assert_int_equal(diff_compute(&new_run.a, &new_run.a, NULL, &d), 0);
	for (size_t i = 0; i < d.n_entries; i++) {
		assert_int_equal(d.entries[i].status, DIFF_BOTH);
		assert_int_equal(d.entries[i].significance_ns, 0);
		assert_int_equal(d.entries[i].n_changes, 0);
	}
	assert_int_equal(diff_summarize(&d).unchanged, d.n_entries);
	diff_free(&d);
	struct diff_options none = { .only = "nothing" };
	assert_int_equal(diff_compute(&old_run.a, &new_run.a, &none, &d), 0);
	assert_int_equal(d.n_entries, 0);
	diff_free(&d);
	double pct;
	assert_false(diff_percent(0, 10, &pct));
	assert_true(diff_percent(200, 300, &pct));
	assert_true(pct > 49.999 && pct < 50.001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching_and_order),
		cmocka_unit_test(test_lock_wait_blamed),
		cmocka_unit_test(test_self_and_percent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
