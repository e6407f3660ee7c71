/*
 * Invariants of a finished model (model_check.h):
 * - every thread's timeline starts at tl_begin, its intervals are ordered
 *   with positive lengths and end by tl_end, so the thread is in exactly
 *   one state at every instant of [tl_begin, tl_end) and its breakdown
 *   sums to tl_end - tl_begin;
 * - wait and syscall intervals point at records of the same thread;
 * - regions end after they begin, nested inside their parent on the same
 *   thread; tasks, attachments and waits end after they begin;
 * - CPU timelines are ordered.
 */
#include "model_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static int fail(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_thread(const struct model *m, size_t i, char *msg, size_t size)
{
	const struct model_thread *t = &m->threads[i];
	if (t->tl_end == MODEL_NO_TS || t->tl_end < t->tl_begin)
		return fail(msg, size, "thread %zu (tid %d): timeline [%" PRIu64 ", %" PRIu64 "]",
			    i, t->tid, t->tl_begin, t->tl_end);
	if (t->niv == 0) {
		if (t->tl_end != t->tl_begin)
			return fail(msg, size, "thread %zu: no interval over %" PRIu64 " ns", i,
				    t->tl_end - t->tl_begin);
		return 0;
	}
	if (t->iv[0].start != t->tl_begin)
		return fail(msg, size, "thread %zu: first interval at %" PRIu64 ", timeline at %" PRIu64,
			    i, t->iv[0].start, t->tl_begin);
	for (size_t k = 0; k < t->niv; k++) {
		const struct model_interval *iv = &t->iv[k];
		uint64_t end = model_interval_end(t, k);
		if (end <= iv->start)
			return fail(msg, size, "thread %zu interval %zu: [%" PRIu64 ", %" PRIu64 ")",
				    i, k, iv->start, end);
		if (iv->state >= MODEL_NSTATES)
			return fail(msg, size, "thread %zu interval %zu: state %u", i, k, iv->state);
		if (iv->state == MODEL_LOCK_WAIT && iv->aux != MODEL_NONE &&
		    (iv->aux >= m->n_waits || m->waits[iv->aux].thread != i))
			return fail(msg, size, "thread %zu interval %zu: wait %u", i, k, iv->aux);
		if (iv->state == MODEL_SYSCALL && iv->aux != MODEL_NONE &&
		    (iv->aux >= m->n_syscalls || m->syscalls[iv->aux].thread != i))
			return fail(msg, size, "thread %zu interval %zu: syscall %u", i, k, iv->aux);
	}
	struct model_breakdown bd = { 0 };
	model_thread_breakdown(t, t->tl_begin, t->tl_end, &bd);
	if (model_breakdown_total(&bd) != t->tl_end - t->tl_begin)
		return fail(msg, size, "thread %zu: breakdown %" PRIu64 " ns, timeline %" PRIu64 " ns",
			    i, model_breakdown_total(&bd), t->tl_end - t->tl_begin);
	return 0;
}

static int check_region(const struct model *m, size_t i, char *msg, size_t size)
{
	const struct model_region *r = &m->regions[i];
	if (r->end == MODEL_NO_TS || r->end < r->begin || r->thread >= m->n_threads ||
	    r->name >= m->n_str_off)
		return fail(msg, size, "region %zu: [%" PRIu64 ", %" PRIu64 "] thread %u", i,
			    r->begin, r->end, r->thread);
	if (r->parent != MODEL_NONE) {
		if (r->parent >= i)
			return fail(msg, size, "region %zu: parent %u after it", i, r->parent);
		const struct model_region *p = &m->regions[r->parent];
		if (p->thread != r->thread || p->begin > r->begin || p->end < r->end)
			return fail(msg, size, "region %zu [%" PRIu64 ", %" PRIu64 "] outside parent %u [%"
				    PRIu64 ", %" PRIu64 "]", i, r->begin, r->end, r->parent, p->begin, p->end);
	}
	return 0;
}

int model_check(const struct model *m, char *msg, size_t size)
{
	for (size_t i = 0; i < m->n_threads; i++)
		if (check_thread(m, i, msg, size) != 0)
			return -1;
	for (size_t i = 0; i < m->n_regions; i++)
		if (check_region(m, i, msg, size) != 0)
			return -1;
	for (size_t i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].end == MODEL_NO_TS || m->tasks[i].end < m->tasks[i].begin)
			return fail(msg, size, "task %zu: [%" PRIu64 ", %" PRIu64 "]", i,
				    m->tasks[i].begin, m->tasks[i].end);
	for (size_t i = 0; i < m->n_attaches; i++) {
		const struct model_task_attach *a = &m->attaches[i];
		if (a->to == MODEL_NO_TS || a->to < a->from || a->task >= m->n_tasks ||
		    a->thread >= m->n_threads)
			return fail(msg, size, "attachment %zu: [%" PRIu64 ", %" PRIu64 "]", i, a->from, a->to);
	}
	for (size_t i = 0; i < m->n_waits; i++)
		if (m->waits[i].end < m->waits[i].begin || m->waits[i].thread >= m->n_threads)
			return fail(msg, size, "wait %zu: [%" PRIu64 ", %" PRIu64 "]", i,
				    m->waits[i].begin, m->waits[i].end);
	for (size_t i = 0; i < m->n_syscalls; i++)
		if (m->syscalls[i].end < m->syscalls[i].begin)
			return fail(msg, size, "syscall %zu ends before it begins", i);
	for (size_t c = 0; c < m->n_cpus; c++)
		for (size_t k = 1; k < m->cpus[c].n; k++)
			if (m->cpus[c].v[k].start <= m->cpus[c].v[k - 1].start)
				return fail(msg, size, "cpu %zu slice %zu out of order", c, k);
	return 0;
}
