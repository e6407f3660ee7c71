/*
 * Blame for a slow instance (analysis.h): over each span of thread time
 * the instance covers, which threads it waited for (and what they were
 * doing), which threads held the CPUs while it was runnable, which calls
 * it was in.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"

#define BLAME_MAX_SPANS 256

static uint64_t overlap(uint64_t b1, uint64_t e1, uint64_t b2, uint64_t e2)
{
	uint64_t b = b1 > b2 ? b1 : b2, e = e1 < e2 ? e1 : e2;
	return e > b ? e - b : 0;
}

/* First index in the thread's list (sorted by end) whose item ends after ts. */
static size_t first_ending_after(const struct analysis_index *ix, uint32_t thread, uint64_t ts,
				 uint64_t (*end_of)(const struct model *, uint32_t),
				 const struct model *m)
{
	size_t lo = ix->off[thread], hi = ix->off[thread + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (end_of(m, ix->idx[mid]) <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t wait_end(const struct model *m, uint32_t i) { return m->waits[i].end; }
static uint64_t syscall_end(const struct model *m, uint32_t i) { return m->syscalls[i].end; }

static int blocker_cmp(const void *x, const void *y)
{
	const struct analysis_blocker *a = x, *b = y;
	return a->wait_ns > b->wait_ns ? -1 : a->wait_ns < b->wait_ns;
}

/* What the blocker was doing during wait w: its region, and the stack of
 * the unlock that ended the wait, else its latest sample. */
static void blocker_context(const struct analysis *a, struct analysis_blocker *bl,
			    const struct model_wait *w)
{
	bl->region = MODEL_NONE;
	bl->stack = w->release_stack;
	bl->stack_sampled = false;
	if (bl->thread == MODEL_NONE)
		return;
	/* Its region when the wait began; else the first it entered while
	 * the waiter waited; else the one it was in when it let go. */
	bl->region = analysis_region_at(a, bl->thread, w->begin);
	uint64_t until = w->release_ts != MODEL_NO_TS ? w->release_ts : w->end;
	if (bl->region == MODEL_NONE)
		bl->region = analysis_region_begun_in(a, bl->thread, w->begin, until);
	if (bl->region == MODEL_NONE)
		bl->region = analysis_region_at(a, bl->thread, until);
	if (bl->stack == MODEL_NONE) {
		uint64_t at = w->release_ts != MODEL_NO_TS ? w->release_ts : w->end;
		uint32_t s = analysis_sample_before(a, bl->thread, at);
		if (s != MODEL_NONE) {
			bl->stack = a->m->samples[s].stack;
			bl->stack_sampled = true;
		}
	}
}

size_t analysis_blame_waits(const struct analysis *a, uint8_t kind, uint32_t instance,
			    struct analysis_blocker *out, size_t max)
{
	const struct model *m = a->m;
	struct analysis_span spans[BLAME_MAX_SPANS];
	size_t nspans = analysis_spans(a, kind, instance, spans, BLAME_MAX_SPANS);
	size_t n = 0;
	uint64_t longest[64];
	if (max > 64)
		max = 64;
	for (size_t s = 0; s < nspans; s++) {
		const struct analysis_index *ix = &a->thread_waits;
		uint32_t th = spans[s].thread;
		for (size_t k = first_ending_after(ix, th, spans[s].begin, wait_end, m);
		     k < ix->off[th + 1]; k++) {
			uint32_t wi = ix->idx[k];
			const struct model_wait *w = &m->waits[wi];
			if (w->begin >= spans[s].end)
				break;
			uint64_t ns = overlap(w->begin, w->end, spans[s].begin, spans[s].end);
			if (!ns)
				continue;
			size_t j = 0;
			while (j < n && !(out[j].thread == w->blocker && out[j].lock == w->lock &&
					  out[j].kind == w->kind))
				j++;
			if (j == n) {
				if (n == max)
					continue;
				out[n] = (struct analysis_blocker){ .thread = w->blocker, .lock = w->lock,
								    .kind = w->kind, .wait = wi };
				longest[n++] = 0;
			}
			out[j].wait_ns += ns;
			if (ns > longest[j]) {
				longest[j] = ns;
				out[j].wait = wi;
			}
		}
	}
	for (size_t j = 0; j < n; j++)
		blocker_context(a, &out[j], &m->waits[out[j].wait]);
	qsort(out, n, sizeof *out, blocker_cmp);
	return n;
}

static int holder_cmp(const void *x, const void *y)
{
	const struct analysis_cpu_holder *a = x, *b = y;
	return a->ns > b->ns ? -1 : a->ns < b->ns;
}

/* Adds who ran on each CPU during [b, e) to out. */
static size_t cpus_during(const struct model *m, uint32_t self, uint64_t b, uint64_t e,
			  struct analysis_cpu_holder *out, size_t n, size_t max)
{
	for (size_t c = 0; c < m->n_cpus; c++) {
		const struct model_cpu *cpu = &m->cpus[c];
		size_t lo = 0, hi = cpu->n;   /* first slice starting after b */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cpu->v[mid].start <= b)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo ? lo - 1 : 0; k < cpu->n && cpu->v[k].start < e; k++) {
			uint64_t se = k + 1 < cpu->n ? cpu->v[k + 1].start : m->end_ns;
			uint64_t ns = overlap(cpu->v[k].start, se, b, e);
			uint32_t th = cpu->v[k].thread;
			if (!ns || th == self)
				continue;
			size_t j = 0;
			while (j < n && out[j].thread != th)
				j++;
			if (j == n) {
				if (n == max)
					continue;
				out[n++] = (struct analysis_cpu_holder){ .thread = th };
			}
			out[j].ns += ns;
		}
	}
	return n;
}

size_t analysis_blame_cpus(const struct analysis *a, uint8_t kind, uint32_t instance,
			   struct analysis_cpu_holder *out, size_t max)
{
	const struct model *m = a->m;
	struct analysis_span spans[BLAME_MAX_SPANS];
	size_t nspans = analysis_spans(a, kind, instance, spans, BLAME_MAX_SPANS);
	size_t n = 0;
	for (size_t s = 0; s < nspans; s++) {
		const struct model_thread *t = &m->threads[spans[s].thread];
		uint32_t i = model_interval_at(t, spans[s].begin);
		for (size_t k = i == MODEL_NONE ? t->niv : i; k < t->niv; k++) {
			uint64_t b = t->iv[k].start, e = model_interval_end(t, k);
			if (b >= spans[s].end)
				break;
			if (t->iv[k].state != MODEL_RUNNABLE)
				continue;
			b = b > spans[s].begin ? b : spans[s].begin;
			e = e < spans[s].end ? e : spans[s].end;
			n = cpus_during(m, spans[s].thread, b, e, out, n, max);
		}
	}
	qsort(out, n, sizeof *out, holder_cmp);
	return n;
}

struct sys_rank {
	uint32_t idx;
	uint64_t ns;
};

static int rank_cmp(const void *x, const void *y)
{
	const struct sys_rank *a = x, *b = y;
	return a->ns > b->ns ? -1 : a->ns < b->ns;
}

size_t analysis_blame_syscalls(const struct analysis *a, uint8_t kind, uint32_t instance,
			       uint32_t *out, size_t max)
{
	const struct model *m = a->m;
	struct analysis_span spans[BLAME_MAX_SPANS];
	size_t nspans = analysis_spans(a, kind, instance, spans, BLAME_MAX_SPANS);
	struct sys_rank best[64];
	size_t n = 0;
	if (max > 64)
		max = 64;
	for (size_t s = 0; s < nspans; s++) {
		const struct analysis_index *ix = &a->thread_syscalls;
		uint32_t th = spans[s].thread;
		for (size_t k = first_ending_after(ix, th, spans[s].begin, syscall_end, m);
		     k < ix->off[th + 1]; k++) {
			const struct model_syscall *sc = &m->syscalls[ix->idx[k]];
			if (sc->begin >= spans[s].end)
				break;
			uint64_t ns = overlap(sc->begin, sc->end, spans[s].begin, spans[s].end);
			if (!ns)
				continue;
			/* Keep the max longest: replace the shortest when full. */
			size_t slot = n;
			if (n == max) {
				slot = 0;
				for (size_t j = 1; j < n; j++)
					if (best[j].ns < best[slot].ns)
						slot = j;
				if (best[slot].ns >= ns)
					continue;
			} else {
				n++;
			}
			best[slot] = (struct sys_rank){ ix->idx[k], ns };
		}
	}
	qsort(best, n, sizeof *best, rank_cmp);
	for (size_t j = 0; j < n; j++)
		out[j] = best[j].idx;
	return n;
}
