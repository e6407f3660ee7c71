/*
 * The hand-made trace of the viewer tests (view_synth.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_builder.h"
#include "view_synth.h"

static struct model_builder *b;

static struct model_event ev(enum model_ev type, uint64_t ts, int32_t tid)
{
	return (struct model_event){ .type = type, .ts = ts, .tid = tid, .pid = SYNTH_PID, .cpu = 0 };
}

static void feed(struct model_event e)
{
	assert_int_equal(model_builder_feed(b, &e), 0);
}

static void sw(uint64_t ts, int32_t tid, bool out, bool preempted, int32_t cpu)
{
	struct model_event e = ev(MEV_SCHED_SWITCH, ts, tid);
	e.cpu = cpu;
	e.u.sched_switch.out = out;
	e.u.sched_switch.preempted = preempted;
	feed(e);
}

static void region(uint64_t ts, int32_t tid, const char *name, bool begin, uint16_t depth)
{
	struct model_event e = ev(begin ? MEV_REGION_BEGIN : MEV_REGION_END, ts, tid);
	if (begin) {
		e.u.region_begin.name = name;
		e.u.region_begin.depth = depth;
	} else {
		e.u.region_end.name = name;
		e.u.region_end.depth = depth;
	}
	feed(e);
}

static void name(uint64_t ts, int32_t tid, const char *n)
{
	struct model_event e = ev(MEV_THREAD_NAME, ts, tid);
	e.u.thread_name.tid = tid;
	e.u.thread_name.name = n;
	feed(e);
}

/* A CPU sample of main with a one-frame stack (no module: its function
 * reads "[unknown 0x...]"). */
static void sample(uint64_t ts, uint64_t ip)
{
	static uint64_t frames[1];
	frames[0] = ip;
	struct model_event e = ev(MEV_CPU_SAMPLE, ts, SYNTH_PID);
	e.frames = frames;
	e.nframes = 1;
	feed(e);
}

void view_synth_data(struct view_data *d)
{
	struct model_builder_options opt = { .sched = true };
	b = model_builder_create(&opt);
	assert_non_null(b);
	struct model_event ps = ev(MEV_PROCESS_START, SYNTH_T0, SYNTH_PID);
	ps.u.process_start.exe = "/usr/bin/synth";
	feed(ps);
	name(SYNTH_T0, SYNTH_PID, "main");
	sw(SYNTH_T0 + 1, SYNTH_PID, false, false, 0);
	struct model_event f = ev(MEV_SCHED_FORK, 2000, SYNTH_WORKER);
	f.u.sched_task.ppid = SYNTH_PID;
	f.u.sched_task.ptid = SYNTH_PID;
	feed(f);
	sw(50000, SYNTH_WORKER, false, false, 1);
	name(50001, SYNTH_WORKER, "worker");
	region(100000, SYNTH_PID, "request", true, 1);
	struct model_event tb = ev(MEV_TASK_BEGIN, SYNTH_TASK_BEGIN, SYNTH_PID);
	tb.u.task_begin.id = 7;
	tb.u.task_begin.name = "order";
	feed(tb);
	region(120000, SYNTH_PID, "parse", true, 2);
	struct model_event ta = ev(MEV_TASK_ATTACH, 140000, SYNTH_PID);   /* main lets go of it */
	feed(ta);
	region(150000, SYNTH_WORKER, "job", true, 1);
	ta = ev(MEV_TASK_ATTACH, SYNTH_TASK_HANDOFF, SYNTH_WORKER);
	ta.u.task.id = 7;
	feed(ta);
	sw(210000, SYNTH_WORKER, true, false, 1);
	struct model_event lg = ev(MEV_LOG, 250000, SYNTH_PID);
	lg.u.log.category = "net";
	lg.u.log.message = "parsed";
	feed(lg);
	sample(SYNTH_SAMPLE_A1, 0x401000);
	sample(SYNTH_SAMPLE_A2, 0x401000);
	region(300000, SYNTH_PID, "parse", false, 2);
	region(320000, SYNTH_PID, "compute", true, 2);
	sample(SYNTH_SAMPLE_B, 0x402000);
	sw(400000, SYNTH_PID, true, false, 0);
	sw(500000, SYNTH_PID, false, false, 0);
	struct model_event sc = ev(MEV_SYSCALL, 500001, SYNTH_PID);
	sc.u.syscall.begin_ts = 400000;
	sc.u.syscall.sys = CTRACE_SYS_READ;
	sc.u.syscall.fd = 3;
	sc.u.syscall.result = 64;
	sc.u.syscall.size = 64;
	feed(sc);
	struct model_event rl = ev(MEV_LOCK_RELEASE, 590000, SYNTH_PID);
	rl.u.lock_release.addr = 0x40;
	feed(rl);
	sw(595000, SYNTH_WORKER, false, false, 1);
	struct model_event w = ev(MEV_LOCK_WAIT, SYNTH_WAIT_END, SYNTH_WORKER);
	w.u.lock_wait.addr = 0x40;
	w.u.lock_wait.begin_ts = SYNTH_WAIT_BEGIN;
	w.u.lock_wait.holder_tid = SYNTH_PID;
	feed(w);
	struct model_event te = ev(MEV_TASK_END, SYNTH_TASK_END, SYNTH_WORKER);
	te.u.task.id = 7;
	feed(te);
	region(700000, SYNTH_WORKER, "job", false, 1);
	region(780000, SYNTH_PID, "compute", false, 2);
	region(800000, SYNTH_PID, "request", false, 1);
	sw(900000, SYNTH_WORKER, true, true, 1);
	sw(950000, SYNTH_WORKER, false, false, 1);
	sw(SYNTH_END, SYNTH_PID, true, false, 0);
	sw(SYNTH_END, SYNTH_WORKER, true, false, 1);
	struct model m;
	assert_int_equal(model_builder_finish(b, &m), 0);
	model_builder_destroy(b);
	assert_int_equal(view_data_init(d, &m), 0);
}

uint32_t view_synth_thread(const struct view_data *d, int32_t tid)
{
	for (size_t i = 0; i < d->m.n_threads; i++)
		if (d->m.threads[i].tid == tid)
			return (uint32_t)i;
	fail_msg("no thread %d", tid);
	return 0;
}

size_t view_synth_row(const struct view_data *d, uint8_t kind, uint32_t index, uint16_t depth)
{
	for (size_t r = 0; r < d->nrows; r++)
		if (d->rows[r].kind == kind && d->rows[r].index == index &&
		    (kind != VIEW_ROW_REGION || d->rows[r].depth == depth))
			return r;
	fail_msg("no row of kind %u for %u", kind, index);
	return 0;
}
