/*
 * The model builder never crashes and never breaks the model's invariants,
 * whatever the event sequence: random events (every type, odd fields,
 * unknown threads, time going backward, gaps) are fed straight to the
 * builder, then the model and its analysis are checked (model_check.h,
 * analysis_check): exactly one state at every instant, ordered intervals,
 * breakdowns summing to wall time for every thread, region and task.
 *
 * Deterministic: seeds 1..RUNS; set CTRACE_FUZZ_RUNS for more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "model_builder.h"
#include "model_check.h"

#define RUNS 300
#define EVENTS 3000

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

static const char *const names[] = { "a", "b", "request", "parse", "", "x" };
static uint64_t frames[8];

static const char *any_name(void)
{
	return names[below(sizeof names / sizeof names[0])];
}

/* One random event at about *ts (which advances, sometimes backward). */
static void random_event(struct model_event *ev, uint64_t *ts)
{
	memset(ev, 0, sizeof *ev);
	ev->type = (enum model_ev)below(MEV_COUNT);
	uint64_t r = below(100);
	if (r < 2 && *ts > 5000)
		*ts -= below(5000);           /* time going backward */
	else
		*ts += below(2000);
	ev->ts = *ts;
	int32_t pid = below(10) ? 100 : 200;
	ev->pid = below(50) ? pid : (int32_t)below(3) - 1;
	ev->tid = pid + (int32_t)below(6);
	if (!below(40))
		ev->tid = (int32_t)below(3) - 1;
	ev->cpu = (int32_t)below(5) - 1;
	uint64_t back = below(8000);
	uint64_t begin = below(20) ? (*ts > back ? *ts - back : 0) : *ts + below(100);
	switch (ev->type) {
	case MEV_PROCESS_START:
		ev->u.process_start.exe = "/bin/prog";
		ev->u.process_start.ppid = (int32_t)below(3);
		break;
	case MEV_THREAD_CREATE:
		ev->u.thread_create.id = below(6);
		break;
	case MEV_THREAD_START:
		ev->u.thread_start.id = below(6);
		ev->u.thread_start.parent_tid = pid + (int32_t)below(6);
		ev->u.thread_start.pthread = below(4);
		break;
	case MEV_THREAD_NAME:
		ev->u.thread_name.tid = pid + (int32_t)below(7) - 1;
		ev->u.thread_name.name = any_name();
		break;
	case MEV_THREAD_JOIN:
		ev->u.thread_join.pthread = below(5);
		ev->u.thread_join.begin_ts = begin;
		break;
	case MEV_LOCK_WAIT:
		ev->u.lock_wait.addr = below(4);
		ev->u.lock_wait.kind = (uint8_t)below(7);
		ev->u.lock_wait.begin_ts = begin;
		ev->u.lock_wait.holder_tid = below(3) ? pid + (int32_t)below(8) : 0;
		break;
	case MEV_LOCK_RELEASE:
	case MEV_WAKE:
		ev->u.lock_release.addr = below(4);
		ev->u.lock_release.kind = (uint8_t)below(7);
		break;
	case MEV_SYSCALL:
		ev->u.syscall.sys = (uint8_t)below(40);
		ev->u.syscall.begin_ts = begin;
		ev->u.syscall.fd = (int32_t)below(5) - 1;
		break;
	case MEV_ALLOC_BURST:
		ev->u.alloc_burst.begin_ts = begin;
		ev->u.alloc_burst.end_ts = *ts;
		break;
	case MEV_REGION_BEGIN:
		ev->u.region_begin.name = any_name();
		ev->u.region_begin.depth = (uint16_t)below(5);
		break;
	case MEV_REGION_END:
		ev->u.region_end.name = any_name();
		ev->u.region_end.depth = (uint16_t)below(5);
		ev->u.region_end.mismatch = (uint8_t)below(3);
		break;
	case MEV_TASK_BEGIN:
		ev->u.task_begin.id = below(8);
		ev->u.task_begin.parent = below(8);
		ev->u.task_begin.name = any_name();
		break;
	case MEV_TASK_END:
	case MEV_TASK_ATTACH:
		ev->u.task.id = below(9);
		break;
	case MEV_LOG:
		ev->u.log.category = any_name();
		ev->u.log.message = any_name();
		break;
	case MEV_LABEL_PUSH:
		ev->u.label_push.key = any_name();
		ev->u.label_push.value = any_name();
		ev->u.label_push.depth = (uint16_t)below(5);
		break;
	case MEV_LABEL_POP:
		ev->u.label_pop.depth = (uint16_t)below(5);
		break;
	case MEV_SCHED_SWITCH:
		ev->u.sched_switch.out = below(2);
		ev->u.sched_switch.preempted = below(2);
		break;
	case MEV_SCHED_FORK:
	case MEV_SCHED_EXIT:
		ev->u.sched_task.ppid = below(4) ? pid : 1;
		ev->u.sched_task.ptid = pid + (int32_t)below(6);
		break;
	case MEV_SCHED_COMM:
		ev->u.sched_comm.comm = any_name();
		ev->u.sched_comm.exec = below(4) == 0;
		break;
	case MEV_PROCNAME:
		ev->u.procname.name = any_name();
		break;
	case MEV_MODULE_LOAD:
		ev->u.module.baddr = below(3) * 4096;
		ev->u.module.path = any_name();
		break;
	case MEV_MODULE_BUILD_ID:
		ev->u.build_id.baddr = below(3) * 4096;
		ev->u.build_id.bytes = (const uint8_t *)"0123456789";
		ev->u.build_id.len = (uint32_t)below(10);
		break;
	case MEV_GAP:
		ev->u.gap.count = (int64_t)below(100) - 10;
		break;
	default:
		break;
	}
	if (ev->type == MEV_LOCK_RELEASE || ev->type == MEV_CPU_SAMPLE || ev->type == MEV_ALLOC_SAMPLE) {
		ev->nframes = (uint32_t)below(9);
		for (uint32_t i = 0; i < ev->nframes; i++)
			frames[i] = below(4) * 16;
		ev->frames = frames;
	}
	if (ev->type == MEV_REGION_BEGIN || ev->type == MEV_REGION_END ||
	    ev->type == MEV_THREAD_EXIT || ev->type == MEV_COUNTERS) {
		ev->has_counters = true;
		ev->counters.alloc_bytes = below(1000);
		ev->counters.lock_short_ns = below(3) ? 0 : below(3000);
		ev->counters.sys_short_ns = below(3) ? 0 : below(3000);
	}
}

/* Blame and time lookups must cope with whatever the model holds. */
static void exercise_lookups(const struct analysis *a)
{
	const struct model *m = a->m;
	struct analysis_blocker bl[8];
	struct analysis_cpu_holder ch[8];
	uint32_t sc[8];
	for (size_t i = 0; i < m->n_regions + m->n_tasks; i += 3) {
		uint8_t kind = i < m->n_regions ? ANALYSIS_REGION : ANALYSIS_TASK;
		uint32_t inst = (uint32_t)(i < m->n_regions ? i : i - m->n_regions);
		assert_true(analysis_blame_waits(a, kind, inst, bl, 8) <= 8);
		assert_true(analysis_blame_cpus(a, kind, inst, ch, 8) <= 8);
		assert_true(analysis_blame_syscalls(a, kind, inst, sc, 8) <= 8);
	}
	for (size_t t = 0; t < m->n_threads; t++) {
		uint64_t ts = m->start_ns + below(m->end_ns - m->start_ns + 1);
		uint32_t r = analysis_region_at(a, (uint32_t)t, ts);
		if (r != MODEL_NONE)
			assert_true(m->regions[r].thread == t && m->regions[r].begin <= ts &&
				    ts < m->regions[r].end);
		uint32_t s = analysis_sample_before(a, (uint32_t)t, ts);
		if (s != MODEL_NONE)
			assert_true(m->samples[s].ts <= ts);
	}
}

static void fuzz_once(uint64_t seed, bool sched)
{
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	struct model_builder_options opt = { .sched = sched };
	struct model_builder *b = model_builder_create(&opt);
	assert_non_null(b);
	uint64_t ts = 1000000;
	for (int i = 0; i < EVENTS; i++) {
		struct model_event ev;
		random_event(&ev, &ts);
		assert_int_equal(model_builder_feed(b, &ev), 0);
	}
	struct model m;
	assert_int_equal(model_builder_finish(b, &m), 0);
	model_builder_destroy(b);
	char msg[512];
	if (model_check(&m, msg, sizeof msg) != 0)
		fail_msg("seed %llu (sched %d): %s", (unsigned long long)seed, sched, msg);
	struct analysis a;
	struct analysis_options aopt = analysis_default_options();
	assert_int_equal(analysis_run(&m, &aopt, &a), 0);
	if (analysis_check(&a, msg, sizeof msg) != 0)
		fail_msg("seed %llu (sched %d): %s", (unsigned long long)seed, sched, msg);
	exercise_lookups(&a);
	analysis_free(&a);
	model_free(&m);
}

static void test_random_sequences(void **state)
{
	(void)state;
	const char *env = getenv("CTRACE_FUZZ_RUNS");
	uint64_t runs = env ? strtoull(env, NULL, 10) : RUNS;
	for (uint64_t seed = 1; seed <= runs; seed++) {
		fuzz_once(seed, true);
		fuzz_once(seed, false);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
