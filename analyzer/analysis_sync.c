/*
 * Lock and syscall totals of the analysis window.
 *
 * Per lock: contentions (traced waits), wait time (clipped to the window),
 * longest wait, and per thread its waits and its hold time (the credit the
 * builder gave it, see builder_sync.c). Per call: count, total, longest;
 * plus one row for the short calls the counters summed (whole trace: they
 * carry no timestamps of their own).
 */
#include <stdlib.h>

#include "analysis_internal.h"
#include "ctrace_schema.h"
#include "model_store.h"

static uint64_t overlap(const struct analysis *a, uint64_t begin, uint64_t end)
{
	if (begin < a->opt.from_ns)
		begin = a->opt.from_ns;
	if (end > a->opt.to_ns)
		end = a->opt.to_ns;
	return end > begin ? end - begin : 0;
}

static bool in_window(const struct analysis *a, uint64_t begin, uint64_t end)
{
	return end >= a->opt.from_ns && begin <= a->opt.to_ns;
}

static int row_cmp(const void *x, const void *y)
{
	const struct analysis_lock_thread *a = x, *b = y;
	if (a->lock != b->lock)
		return a->lock < b->lock ? -1 : 1;
	return a->thread < b->thread ? -1 : a->thread > b->thread;
}

static int lock_cmp(const void *x, const void *y)
{
	const struct analysis_lock_stats *a = x, *b = y;
	if (a->wait_ns != b->wait_ns)
		return a->wait_ns > b->wait_ns ? -1 : 1;
	return a->lock < b->lock ? -1 : a->lock > b->lock;
}

int analysis_locks(struct analysis *a)
{
	const struct model *m = a->m;
	size_t cap = 0;
	struct analysis_lock_thread *rows = NULL;
	size_t n = 0;
	/* One row per waiter and one per holder, merged after a sort. */
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *w = &m->waits[i];
		if (w->lock == MODEL_NONE || !in_window(a, w->begin, w->end))
			continue;
		if (!model_vec_reserve(&rows, &cap, n + 2, sizeof *rows)) {
			free(rows);
			return -1;
		}
		rows[n++] = (struct analysis_lock_thread){ w->lock, w->thread, 1,
							   overlap(a, w->begin, w->end), 0, 0 };
		bool woken = w->kind == CTRACE_LOCK_COND || w->kind == CTRACE_LOCK_SEM;
		if (w->blocker != MODEL_NONE)
			rows[n++] = (struct analysis_lock_thread){ w->lock, w->blocker, 0, 0,
								   w->hold_credit_ns, woken };
	}
	if (n)
		qsort(rows, n, sizeof *rows, row_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && rows[k - 1].lock == rows[i].lock && rows[k - 1].thread == rows[i].thread) {
			rows[k - 1].waits += rows[i].waits;
			rows[k - 1].wait_ns += rows[i].wait_ns;
			rows[k - 1].hold_ns += rows[i].hold_ns;
			rows[k - 1].wakes += rows[i].wakes;
		} else {
			rows[k++] = rows[i];
		}
	}
	a->lock_threads = rows;
	a->n_lock_threads = k;
	size_t lcap = 0;
	for (size_t i = 0; i < k;) {
		struct analysis_lock_stats *l = MODEL_VEC_PUSH(a->locks, a->n_locks, lcap);
		if (!l)
			return -1;
		l->lock = rows[i].lock;
		l->first = i;
		for (; i < k && rows[i].lock == l->lock; i++) {
			l->contentions += rows[i].waits;
			l->wait_ns += rows[i].wait_ns;
			l->hold_ns += rows[i].hold_ns;
		}
		l->n = i - l->first;
	}
	uint64_t *longest = calloc(m->n_locks ? m->n_locks : 1, sizeof *longest);
	if (!longest)
		return -1;
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *w = &m->waits[i];
		if (w->lock != MODEL_NONE && in_window(a, w->begin, w->end) &&
		    w->end - w->begin > longest[w->lock])
			longest[w->lock] = w->end - w->begin;
	}
	for (size_t j = 0; j < a->n_locks; j++)
		a->locks[j].max_wait_ns = longest[a->locks[j].lock];
	free(longest);
	if (a->n_locks)
		qsort(a->locks, a->n_locks, sizeof *a->locks, lock_cmp);
	return 0;
}

static int syscall_cmp(const void *x, const void *y)
{
	const struct analysis_syscall_stats *a = x, *b = y;
	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	return a->sys < b->sys ? -1 : a->sys > b->sys;
}

int analysis_syscall_totals(struct analysis *a)
{
	const struct model *m = a->m;
	struct analysis_syscall_stats per[257] = { 0 };
	for (size_t i = 0; i < m->n_syscalls; i++) {
		const struct model_syscall *s = &m->syscalls[i];
		if (!in_window(a, s->begin, s->end))
			continue;
		struct analysis_syscall_stats *p = &per[s->sys];
		p->sys = s->sys;
		p->count++;
		p->total_ns += overlap(a, s->begin, s->end);
		if (s->end - s->begin > p->max_ns)
			p->max_ns = s->end - s->begin;
	}
	struct analysis_syscall_stats *sh = &per[256];
	sh->short_calls = true;
	for (size_t i = 0; i < m->n_threads; i++) {
		sh->count += m->threads[i].sys_short_count;
		sh->total_ns += m->threads[i].sys_short_ns;
	}
	size_t n = 0;
	for (size_t i = 0; i < 257; i++)
		n += per[i].count > 0;
	a->syscalls = malloc((n ? n : 1) * sizeof *a->syscalls);
	if (!a->syscalls)
		return -1;
	for (size_t i = 0; i < 257; i++)
		if (per[i].count > 0)
			a->syscalls[a->n_syscalls++] = per[i];
	qsort(a->syscalls, a->n_syscalls, sizeof *a->syscalls, syscall_cmp);
	return 0;
}
