/*
 * The state derivation rules of model.h, on hand-made event sequences fed
 * straight to the builder, with exact expected breakdowns:
 * - traced waits take precedence over what the scheduler said, and the
 *   scheduler's state resumes after them;
 * - preempted switch-outs are runnable, others are other; a forked thread
 *   is runnable until it first runs;
 * - without scheduling data everything outside waits is running, flagged
 *   estimated;
 * - short-wait counters move exactly their time into lock_wait / syscall
 *   inside their flush period, taken from `other` first;
 * - after a gap the state is unknown until an event re-establishes it;
 * - a task's breakdown follows the threads attached to it, `other` when
 *   none is; lock waits are linked to their holder and its region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "model_builder.h"
#include "model_check.h"

#define PID 100

static struct model_builder *b;
static struct model m;
static struct analysis an;

static void start(bool sched)
{
	struct model_builder_options opt = { .sched = sched };
	b = model_builder_create(&opt);
	assert_non_null(b);
}

static void feed(struct model_event ev)
{
	if (!ev.pid)
		ev.pid = PID;
	assert_int_equal(model_builder_feed(b, &ev), 0);
}

static struct model_event ev(enum model_ev type, uint64_t ts, int32_t tid)
{
	return (struct model_event){ .type = type, .ts = ts, .tid = tid, .pid = PID, .cpu = 0 };
}

static void sw(uint64_t ts, int32_t tid, bool out, bool preempted, int32_t cpu)
{
	struct model_event e = ev(MEV_SCHED_SWITCH, ts, tid);
	e.cpu = cpu;
	e.u.sched_switch.out = out;
	e.u.sched_switch.preempted = preempted;
	feed(e);
}

static void region(uint64_t ts, int32_t tid, const char *name, bool begin, uint16_t depth,
		   struct ctrace_counters c)
{
	struct model_event e = ev(begin ? MEV_REGION_BEGIN : MEV_REGION_END, ts, tid);
	if (begin) {
		e.u.region_begin.name = name;
		e.u.region_begin.depth = depth;
	} else {
		e.u.region_end.name = name;
		e.u.region_end.depth = depth;
	}
	e.has_counters = true;
	e.counters = c;
	feed(e);
}

static void finish(void)
{
	assert_int_equal(model_builder_finish(b, &m), 0);
	model_builder_destroy(b);
	char msg[256];
	if (model_check(&m, msg, sizeof msg) != 0)
		fail_msg("%s", msg);
	struct analysis_options opt = analysis_default_options();
	assert_int_equal(analysis_run(&m, &opt, &an), 0);
	if (analysis_check(&an, msg, sizeof msg) != 0)
		fail_msg("%s", msg);
}

static void done(void)
{
	analysis_free(&an);
	model_free(&m);
}

static uint32_t thread_of(int32_t tid)
{
	for (size_t i = 0; i < m.n_threads; i++)
		if (m.threads[i].tid == tid)
			return (uint32_t)i;
	fail_msg("no thread %d", tid);
	return 0;
}

static void expect_bd(const struct model_breakdown *bd, uint64_t running, uint64_t runnable,
		      uint64_t lock, uint64_t sys, uint64_t other, uint64_t unknown)
{
	uint64_t want[MODEL_NSTATES] = { running, runnable, lock, sys, other, unknown };
	for (int s = 0; s < MODEL_NSTATES; s++)
		if (bd->ns[s] != want[s])
			fail_msg("%s: %llu ns, expected %llu", model_state_name(s),
				 (unsigned long long)bd->ns[s], (unsigned long long)want[s]);
}

static const struct ctrace_counters none;

/* A wait rewrites what the scheduler said during it. */
static void test_wait_precedence(void **state)
{
	(void)state;
	start(true);
	struct model_event f = ev(MEV_SCHED_FORK, 100, 11);
	f.u.sched_task.ppid = PID;
	f.u.sched_task.ptid = PID;
	feed(f);
	sw(150, 11, false, false, 0);
	region(200, 11, "r", true, 1, none);
	sw(260, 11, true, false, 0);            /* blocks in the lock */
	sw(390, 11, false, false, 1);           /* woken */
	struct model_event w = ev(MEV_LOCK_WAIT, 400, 11);
	w.u.lock_wait.begin_ts = 250;
	w.u.lock_wait.addr = 0x10;
	w.u.lock_wait.holder_tid = 12;
	feed(w);
	region(500, 11, "r", false, 1, none);
	sw(600, 11, true, true, 1);             /* preempted */
	sw(700, 11, false, false, 1);
	struct model_event x = ev(MEV_SCHED_EXIT, 800, 11);
	feed(x);
	finish();
	const struct model_thread *t = &m.threads[thread_of(11)];
	assert_int_equal(t->create_ns, 100);
	assert_int_equal(t->end_ns, 800);
	assert_int_equal(t->tl_begin, 100);
	expect_bd(&an.thread_bd[thread_of(11)], 100 + 200 + 100, 50 + 100, 150, 0, 0, 0);
	expect_bd(&an.region_bd[0], 150, 0, 150, 0, 0, 0);
	assert_int_equal(m.n_waits, 1);
	assert_int_equal(m.waits[0].blocker_tid, 12);
	done();
}

/* Without scheduling data: running (estimated) outside waits. */
static void test_no_sched_estimated(void **state)
{
	(void)state;
	start(false);
	region(1000, PID, "r", true, 1, none);
	struct model_event s = ev(MEV_SYSCALL, 1500, PID);
	s.u.syscall.begin_ts = 1200;
	s.u.syscall.sys = CTRACE_SYS_READ;
	s.u.syscall.fd = 3;
	feed(s);
	region(2000, PID, "r", false, 1, none);
	struct model_event e = ev(MEV_THREAD_EXIT, 2100, PID);
	feed(e);
	finish();
	uint32_t th = thread_of(PID);
	expect_bd(&an.thread_bd[th], 800, 0, 0, 300, 0, 0);
	expect_bd(&an.region_bd[0], 700, 0, 0, 300, 0, 0);
	assert_true(m.threads[th].iv[0].flags & MODEL_IV_ESTIMATED);
	done();
}

/* Short waits land inside their flush period, other first, then running. */
static void test_short_waits(void **state)
{
	(void)state;
	start(true);
	sw(0, PID, false, false, 0);
	region(10, PID, "outer", true, 1, none);
	sw(100, PID, true, false, 0);
	sw(300, PID, false, false, 0);
	/* 150 ns of short lock waits, 120 of short syscalls since t=10 */
	region(400, PID, "outer", false, 1, (struct ctrace_counters){ .lock_short_ns = 150, .sys_short_ns = 120 });
	sw(1000, PID, true, false, 0);
	finish();
	/* region [10, 400): running 90 + 100 = 190, other 200; the lock's 150
	 * come from other (latest first: [150, 300)), the syscalls' 120 take
	 * the other 50 left and 70 of running. */
	expect_bd(&an.region_bd[0], 120, 0, 150, 120, 0, 0);
	done();
}

/* After a gap, unknown until a switch or an own event says otherwise. */
static void test_gap_unknown(void **state)
{
	(void)state;
	start(true);
	sw(0, PID, false, false, 0);
	struct model_event g = { .type = MEV_GAP, .ts = 100, .cpu = -1 };
	g.u.gap.count = 5;
	feed(g);
	struct model_event l = ev(MEV_LOG, 250, PID);
	l.u.log.category = "c";
	l.u.log.message = "m";
	feed(l);
	sw(300, PID, true, false, 0);
	sw(400, PID, false, false, 0);
	finish();
	assert_int_equal(m.discarded_events, 5);
	expect_bd(&an.thread_bd[thread_of(PID)], 100 + 50, 0, 0, 0, 100, 150);
	done();
}

/* A task handed from one thread to another: other while nobody works for it. */
static void test_task_across_threads(void **state)
{
	(void)state;
	start(false);
	struct model_event tb = ev(MEV_TASK_BEGIN, 100, PID);
	tb.u.task_begin.id = 7;
	tb.u.task_begin.name = "job";
	feed(tb);
	struct model_event d = ev(MEV_TASK_ATTACH, 150, PID);
	d.u.task.id = 0;
	feed(d);
	struct model_event a = ev(MEV_TASK_ATTACH, 200, PID + 1);
	a.u.task.id = 7;
	feed(a);
	struct model_event s = ev(MEV_SYSCALL, 260, PID + 1);
	s.u.syscall.begin_ts = 220;
	feed(s);
	struct model_event te = ev(MEV_TASK_END, 300, PID + 1);
	te.u.task.id = 7;
	feed(te);
	finish();
	assert_int_equal(m.n_tasks, 1);
	expect_bd(&an.task_bd[0], 50 + 60, 0, 0, 40, 50, 0);
	done();
}

/* A lock wait names its holder, the holder's region and the release stack. */
static void test_lock_blame(void **state)
{
	(void)state;
	start(false);
	int32_t holder = PID + 1;
	region(100, holder, "maintenance", true, 1, none);
	region(110, PID, "request", true, 1, none);
	struct model_event r = ev(MEV_LOCK_RELEASE, 500, holder);
	static const uint64_t frames[] = { 0x1234, 0x5678 };
	r.u.lock_release.addr = 0x40;
	r.frames = frames;
	r.nframes = 2;
	feed(r);
	struct model_event w = ev(MEV_LOCK_WAIT, 510, PID);
	w.u.lock_wait.addr = 0x40;
	w.u.lock_wait.begin_ts = 200;
	w.u.lock_wait.holder_tid = holder;
	feed(w);
	region(600, holder, "maintenance", false, 1, none);
	region(700, PID, "request", false, 1, none);
	finish();
	struct analysis_blocker bl[4];
	uint32_t req = !strcmp(model_str(&m, m.regions[0].name), "request") ? 0 : 1;
	size_t n = analysis_blame_waits(&an, ANALYSIS_REGION, req, bl, 4);
	assert_int_equal(n, 1);
	assert_int_equal(m.threads[bl[0].thread].tid, holder);
	assert_int_equal(bl[0].wait_ns, 310);
	assert_string_equal(model_str(&m, m.regions[bl[0].region].name), "maintenance");
	uint32_t nf;
	const uint64_t *f = model_stack_frames(&m, bl[0].stack, &nf);
	assert_int_equal(nf, 2);
	assert_int_equal(f[0], 0x1234);
	assert_int_equal(an.n_locks, 1);
	assert_int_equal(an.locks[0].hold_ns, 300);   /* [wait begin, release] */
	done();
}

/* The holder releases and exits before the waiter's event (which comes at
 * the wait's end): the wait names the ended holder, no second thread. */
static void test_holder_exited(void **state)
{
	(void)state;
	start(true);
	for (int32_t tid = 11; tid <= 12; tid++) {
		struct model_event f = ev(MEV_SCHED_FORK, 100, tid);
		f.u.sched_task.ppid = PID;
		f.u.sched_task.ptid = PID;
		feed(f);
	}
	sw(150, 12, false, false, 0);
	sw(160, 11, false, false, 1);
	sw(200, 11, true, false, 1);            /* blocks in the lock */
	struct model_event r = ev(MEV_LOCK_RELEASE, 300, 12);
	r.u.lock_release.addr = 0x10;
	feed(r);
	feed(ev(MEV_THREAD_EXIT, 310, 12));
	feed(ev(MEV_SCHED_EXIT, 320, 12));
	sw(350, 11, false, false, 0);
	struct model_event w = ev(MEV_LOCK_WAIT, 360, 11);
	w.u.lock_wait.begin_ts = 190;
	w.u.lock_wait.addr = 0x10;
	w.u.lock_wait.holder_tid = 12;
	feed(w);
	feed(ev(MEV_SCHED_EXIT, 400, 11));
	finish();
	size_t n12 = 0;
	for (size_t i = 0; i < m.n_threads; i++)
		n12 += m.threads[i].tid == 12;
	assert_int_equal(n12, 1);
	assert_int_equal(m.n_waits, 1);
	assert_int_equal(m.waits[0].blocker, thread_of(12));
	assert_int_equal(m.waits[0].release_ts, 300);
	assert_int_equal(m.threads[thread_of(12)].end_ns, 320);
	expect_bd(&an.thread_bd[thread_of(11)], 30 + 40, 60, 170, 0, 0, 0);
	done();
}

/* LTTng-UST's listener threads ("<comm>-ust", scheduler events only, in a
 * traced process) are the tracer's; a program thread is not, whatever its
 * name, nor is a silent thread named otherwise. */
static void test_tracer_threads(void **state)
{
	(void)state;
	start(true);
	region(100, PID, "r", true, 1, none);
	static const struct { int32_t tid; const char *name; bool own_event; } th[] = {
		{ 101, "prog-ust", false }, { 102, "worker", false }, { 103, "a-ust", true },
	};
	for (size_t i = 0; i < 3; i++) {
		struct model_event f = ev(MEV_SCHED_FORK, 110, th[i].tid);
		f.u.sched_task.ppid = PID;
		f.u.sched_task.ptid = PID;
		feed(f);
		struct model_event c = ev(MEV_SCHED_COMM, 120, th[i].tid);
		c.u.sched_comm.comm = th[i].name;
		feed(c);
		sw(130 + i, th[i].tid, false, false, 1);
		if (th[i].own_event)
			region(140, th[i].tid, "r", true, 1, none);
	}
	region(200, PID, "r", false, 1, none);
	finish();
	size_t n = 0;
	bool *tracer = analysis_tracer_threads(&m, &n);
	assert_non_null(tracer);
	assert_int_equal(n, 1);
	assert_true(tracer[thread_of(101)]);
	assert_false(tracer[thread_of(102)] || tracer[thread_of(103)] || tracer[thread_of(PID)]);
	free(tracer);
	done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_precedence),
		cmocka_unit_test(test_no_sched_estimated),
		cmocka_unit_test(test_short_waits),
		cmocka_unit_test(test_gap_unknown),
		cmocka_unit_test(test_task_across_threads),
		cmocka_unit_test(test_lock_blame),
		cmocka_unit_test(test_holder_exited),
		cmocka_unit_test(test_tracer_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
