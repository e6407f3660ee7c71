/*
 * Per-thread time indexes of the analysis and the lookups on them: which
 * region a thread was in at an instant, its latest CPU sample.
 *
 * The model appends regions at their begin, samples, waits and syscalls
 * at their event, attachments at their start: each array is already in
 * time order, so a stable counting sort by thread gives per-thread lists
 * in time order, in two passes and no comparison sort.
 */
#include <stdlib.h>

#include "analysis_internal.h"

typedef uint32_t (*group_fn)(const struct model *m, size_t i);

static uint32_t region_thread(const struct model *m, size_t i) { return m->regions[i].thread; }
static uint32_t sample_thread(const struct model *m, size_t i) { return m->samples[i].thread; }
static uint32_t wait_thread(const struct model *m, size_t i) { return m->waits[i].thread; }
static uint32_t syscall_thread(const struct model *m, size_t i) { return m->syscalls[i].thread; }
static uint32_t attach_task(const struct model *m, size_t i) { return m->attaches[i].task; }

static int index_build(const struct model *m, struct analysis_index *ix, size_t ngroups,
		       size_t nitems, group_fn group)
{
	ix->off = calloc(ngroups + 1, sizeof *ix->off);
	ix->idx = malloc((nitems ? nitems : 1) * sizeof *ix->idx);
	if (!ix->off || !ix->idx)
		return -1;
	for (size_t i = 0; i < nitems; i++) {
		uint32_t g = group(m, i);
		if (g < ngroups)
			ix->off[g + 1]++;
	}
	for (size_t g = 0; g < ngroups; g++)
		ix->off[g + 1] += ix->off[g];
	size_t *fill = malloc((ngroups ? ngroups : 1) * sizeof *fill);
	if (!fill)
		return -1;
	for (size_t g = 0; g < ngroups; g++)
		fill[g] = ix->off[g];
	for (size_t i = 0; i < nitems; i++) {
		uint32_t g = group(m, i);
		if (g < ngroups)
			ix->idx[fill[g]++] = (uint32_t)i;
	}
	free(fill);
	return 0;
}

int analysis_indexes_build(struct analysis *a)
{
	const struct model *m = a->m;
	size_t nt = m->n_threads;
	if (index_build(m, &a->thread_regions, nt, m->n_regions, region_thread) != 0 ||
	    index_build(m, &a->thread_samples, nt, m->n_samples, sample_thread) != 0 ||
	    index_build(m, &a->thread_waits, nt, m->n_waits, wait_thread) != 0 ||
	    index_build(m, &a->thread_syscalls, nt, m->n_syscalls, syscall_thread) != 0 ||
	    index_build(m, &a->task_attaches, m->n_tasks, m->n_attaches, attach_task) != 0)
		return -1;
	return 0;
}

void analysis_indexes_free(struct analysis *a)
{
	struct analysis_index *ix[] = { &a->thread_regions, &a->thread_samples, &a->thread_waits,
					&a->thread_syscalls, &a->task_attaches };
	for (size_t i = 0; i < sizeof ix / sizeof ix[0]; i++) {
		free(ix[i]->idx);
		free(ix[i]->off);
		*ix[i] = (struct analysis_index){ 0 };
	}
}

/* Position after the last item of [lo, hi) whose key is <= ts. */
typedef uint64_t (*key_fn)(const struct model *m, uint32_t item);

static uint64_t region_begin(const struct model *m, uint32_t i) { return m->regions[i].begin; }
static uint64_t sample_ts(const struct model *m, uint32_t i) { return m->samples[i].ts; }

static size_t upper_bound(const struct model *m, const uint32_t *idx, size_t lo, size_t hi,
			  uint64_t ts, key_fn key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key(m, idx[mid]) <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t analysis_region_at(const struct analysis *a, uint32_t thread, uint64_t ts)
{
	const struct model *m = a->m;
	if (thread >= m->n_threads)
		return MODEL_NONE;
	const struct analysis_index *ix = &a->thread_regions;
	size_t lo = ix->off[thread], hi = ix->off[thread + 1];
	size_t pos = upper_bound(m, ix->idx, lo, hi, ts, region_begin);
	if (pos == lo)
		return MODEL_NONE;
	/* Regions nest: the one open at ts is the latest begun or one of its
	 * ancestors. */
	uint32_t r = ix->idx[pos - 1];
	while (r != MODEL_NONE && !(m->regions[r].begin <= ts && ts < m->regions[r].end))
		r = m->regions[r].parent;
	return r;
}

uint32_t analysis_region_begun_in(const struct analysis *a, uint32_t thread, uint64_t from,
				  uint64_t to)
{
	const struct model *m = a->m;
	if (thread >= m->n_threads)
		return MODEL_NONE;
	const struct analysis_index *ix = &a->thread_regions;
	size_t lo = ix->off[thread], hi = ix->off[thread + 1];
	size_t pos = from ? upper_bound(m, ix->idx, lo, hi, from - 1, region_begin) : lo;
	if (pos < hi && m->regions[ix->idx[pos]].begin < to)
		return ix->idx[pos];
	return MODEL_NONE;
}

uint32_t analysis_sample_before(const struct analysis *a, uint32_t thread, uint64_t ts)
{
	const struct model *m = a->m;
	if (thread >= m->n_threads)
		return MODEL_NONE;
	const struct analysis_index *ix = &a->thread_samples;
	size_t lo = ix->off[thread], hi = ix->off[thread + 1];
	size_t pos = upper_bound(m, ix->idx, lo, hi, ts, sample_ts);
	return pos == lo ? MODEL_NONE : ix->idx[pos - 1];
}

size_t analysis_spans(const struct analysis *a, uint8_t kind, uint32_t instance,
		      struct analysis_span *out, size_t max)
{
	const struct model *m = a->m;
	if (kind == ANALYSIS_REGION) {
		if (instance >= m->n_regions || max == 0)
			return 0;
		const struct model_region *r = &m->regions[instance];
		out[0] = (struct analysis_span){ r->thread, r->begin, r->end };
		return 1;
	}
	if (instance >= m->n_tasks)
		return 0;
	const struct model_task *t = &m->tasks[instance];
	const struct analysis_index *ix = &a->task_attaches;
	size_t n = 0;
	for (size_t k = ix->off[instance]; k < ix->off[instance + 1] && n < max; k++) {
		const struct model_task_attach *at = &m->attaches[ix->idx[k]];
		uint64_t b = at->from > t->begin ? at->from : t->begin;
		uint64_t e = at->to < t->end ? at->to : t->end;
		if (e > b)
			out[n++] = (struct analysis_span){ at->thread, b, e };
	}
	return n;
}
