/*
 * What a thread was inside at an instant (innermost region, task, user
 * labels) and whether the export's filters accept it. Waits, syscalls and
 * runnable time carry no region of their own in the model, so they are
 * looked up here: per-thread time-sorted index lists and binary searches,
 * O(log n) per lookup plus the region nesting depth.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer_error.h"
#include "pprof_export_internal.h"

/* Sort keys for the per-thread lists (what the binary searches look at). */
static uint64_t region_ts(const struct model *m, uint32_t i) { return m->regions[i].begin; }
static uint64_t attach_ts(const struct model *m, uint32_t i) { return m->attaches[i].from; }
static uint64_t label_ts(const struct model *m, uint32_t i) { return m->label_changes[i].ts; }
static uint64_t sample_ts(const struct model *m, uint32_t i) { return m->samples[i].ts; }

typedef uint64_t (*ts_fn)(const struct model *m, uint32_t i);

/* Insertion sort of one thread's list: the model appends items in event
 * order, so a list is already sorted except for rare reordering. */
static void sort_by_ts(const struct model *m, uint32_t *v, size_t n, ts_fn ts)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t e = v[i];
		size_t j = i;
		for (; j > 0 && ts(m, v[j - 1]) > ts(m, e); j--)
			v[j] = v[j - 1];
		v[j] = e;
	}
}

/* Counting sort of n items by thread (thread_of(i)), each thread's items
 * then sorted by time. */
static int index_build(const struct model *m, struct pxp_index *ix, size_t n,
		       uint32_t (*thread_of)(const struct model *, size_t), ts_fn ts)
{
	size_t nt = m->n_threads;
	ix->off = calloc(nt + 2, sizeof *ix->off);
	ix->idx = malloc((n ? n : 1) * sizeof *ix->idx);
	if (!ix->off || !ix->idx)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = thread_of(m, i);
		if (t < nt)
			ix->off[t + 2]++;
	}
	for (size_t t = 0; t < nt; t++)
		ix->off[t + 2] += ix->off[t + 1];
	for (size_t i = 0; i < n; i++) {
		uint32_t t = thread_of(m, i);
		if (t < nt)
			ix->idx[ix->off[t + 1]++] = (uint32_t)i;
	}
	for (size_t t = 0; t < nt; t++)
		sort_by_ts(m, ix->idx + ix->off[t], ix->off[t + 1] - ix->off[t], ts);
	return 0;
}

static uint32_t region_thread(const struct model *m, size_t i) { return m->regions[i].thread; }
static uint32_t attach_thread(const struct model *m, size_t i) { return m->attaches[i].thread; }
static uint32_t label_thread(const struct model *m, size_t i) { return m->label_changes[i].thread; }
static uint32_t sample_thread(const struct model *m, size_t i) { return m->samples[i].thread; }

int pxp_where_init(struct pxp *x)
{
	const struct model *m = x->m;
	if (index_build(m, &x->regions, m->n_regions, region_thread, region_ts) ||
	    index_build(m, &x->attaches, m->n_attaches, attach_thread, attach_ts) ||
	    index_build(m, &x->labels, m->n_label_changes, label_thread, label_ts) ||
	    index_build(m, &x->samples, m->n_samples, sample_thread, sample_ts))
		return -1;
	return 0;
}

static void index_free(struct pxp_index *ix)
{
	free(ix->off);
	free(ix->idx);
}

void pxp_where_free(struct pxp *x)
{
	index_free(&x->regions);
	index_free(&x->attaches);
	index_free(&x->labels);
	index_free(&x->samples);
}

/* The last item of thread's list with ts(item) <= t, MODEL_NONE if none. */
static uint32_t last_at_or_before(const struct model *m, const struct pxp_index *ix,
				  uint32_t thread, uint64_t t, ts_fn ts)
{
	if (thread >= m->n_threads)
		return MODEL_NONE;
	size_t lo = ix->off[thread], hi = ix->off[thread + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts(m, ix->idx[mid]) <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > ix->off[thread] ? ix->idx[lo - 1] : MODEL_NONE;
}

void pxp_where_at(const struct pxp *x, uint32_t thread, uint64_t ts, struct pxp_where *w)
{
	const struct model *m = x->m;
	*w = (struct pxp_where){ .ts = ts, .thread = thread, .region = MODEL_NONE,
				 .task = MODEL_NONE, .labels = 0 };
	/* The latest region begun at or before ts, or the first of its
	 * enclosing ones still open at ts: enclosing regions began earlier,
	 * so whichever contains ts is on that chain. */
	uint32_t r = last_at_or_before(m, &x->regions, thread, ts, region_ts);
	while (r != MODEL_NONE && m->regions[r].end <= ts)
		r = m->regions[r].parent;
	w->region = r;
	uint32_t a = last_at_or_before(m, &x->attaches, thread, ts, attach_ts);
	if (a != MODEL_NONE && ts < m->attaches[a].to)
		w->task = m->attaches[a].task;
	uint32_t l = last_at_or_before(m, &x->labels, thread, ts, label_ts);
	if (l != MODEL_NONE)
		w->labels = m->label_changes[l].labels;
}

uint32_t pxp_sample_before(const struct pxp *x, uint32_t thread, uint64_t ts)
{
	return last_at_or_before(x->m, &x->samples, thread, ts, sample_ts);
}

static bool name_is(const struct model *m, uint32_t s, const char *name)
{
	return s != MODEL_NONE && !strcmp(model_str(m, s), name);
}

static bool region_chain_has(const struct model *m, uint32_t r, const char *name)
{
	for (; r != MODEL_NONE; r = m->regions[r].parent)
		if (name_is(m, m->regions[r].name, name))
			return true;
	return false;
}

static bool labelset_has(const struct model *m, uint32_t ls, const char *k, const char *v)
{
	if (ls >= m->n_labelsets)
		return false;
	const struct model_labelset *s = &m->labelsets[ls];
	for (uint32_t i = 0; i < s->n; i++)
		if (name_is(m, m->label_kv[s->off + 2 * i], k) &&
		    name_is(m, m->label_kv[s->off + 2 * i + 1], v))
			return true;
	return false;
}

static bool thread_is(const struct model *m, uint32_t th, const char *spec)
{
	char *end;
	long tid = strtol(spec, &end, 10);
	if (*spec && !*end)
		return m->threads[th].tid == tid;
	return !strcmp(model_thread_name(m, th), spec);
}

bool pxp_where_accepts(const struct pxp *x, const struct pxp_where *w)
{
	const struct model *m = x->m;
	const struct pprof_export_filter *f = &x->opts->filter;
	if (f->thread && !thread_is(m, w->thread, f->thread))
		return false;
	if (f->region && !region_chain_has(m, w->region, f->region))
		return false;
	if (f->task && (w->task == MODEL_NONE || !name_is(m, m->tasks[w->task].name, f->task)))
		return false;
	if (f->label_key && !labelset_has(m, w->labels, f->label_key, f->label_value))
		return false;
	return true;
}

int pxp_filter_check(const struct pxp *x, struct analyzer_error *err)
{
	const struct model *m = x->m;
	const struct pprof_export_filter *f = &x->opts->filter;
	bool found = !f->region;
	for (size_t i = 0; !found && i < m->n_regions; i++)
		found = name_is(m, m->regions[i].name, f->region);
	if (!found)
		return analyzer_error_set(err, "--region %s: the trace has no region of that name",
					  f->region);
	found = !f->task;
	for (size_t i = 0; !found && i < m->n_tasks; i++)
		found = name_is(m, m->tasks[i].name, f->task);
	if (!found)
		return analyzer_error_set(err, "--task %s: the trace has no task of that name", f->task);
	found = !f->thread;
	for (size_t i = 0; !found && i < m->n_threads; i++)
		found = thread_is(m, (uint32_t)i, f->thread);
	if (!found)
		return analyzer_error_set(err, "--thread %s: the trace has no thread with that tid or name",
					  f->thread);
	found = !f->label_key;
	for (size_t i = 0; !found && i < m->n_labelsets; i++)
		found = labelset_has(m, (uint32_t)i, f->label_key, f->label_value);
	if (!found)
		return analyzer_error_set(err, "--label %s=%s: no such label in the trace",
					  f->label_key, f->label_value);
	uint64_t span = m->end_ns - m->start_ns;
	if (f->from != MODEL_NO_TS && f->from >= span)
		return analyzer_error_set(err, "--from: after the trace's end (it lasts %.6f s)",
					  (double)span / 1e9);
	if (f->to != MODEL_NO_TS && f->from != MODEL_NO_TS && f->to <= f->from)
		return analyzer_error_set(err, "--to must be after --from");
	if (f->to == 0)
		return analyzer_error_set(err, "--to 0: an empty time range");
	return 0;
}
