/*
 * The comparison of two analyses (diff.h): names matched by a merge of
 * both runs' name lists sorted by string, per-state changes, and their
 * blame summed over the instances of the name in the blamed run.
 */
#include "diff.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define DIFF_WORK_MAX 64     /* distinct blamed items gathered per change */
#define DIFF_PER_INSTANCE 16 /* blamed items asked for per instance */

/* The instances of each name of one kind in one run, grouped by stats
 * index: instances of stats s are idx[off[s] .. off[s+1]). */
struct diff_instances {
	uint32_t *idx;
	size_t *off;
};

static const struct analysis_name_stats *stats_array(const struct analysis *a, uint8_t kind,
						     size_t *n)
{
	*n = kind == ANALYSIS_REGION ? a->n_region_stats : a->n_task_stats;
	return kind == ANALYSIS_REGION ? a->region_stats : a->task_stats;
}

/* Sorting one run's stats by name: qsort has no context argument. */
static const struct analysis *sort_a;
static uint8_t sort_kind;

static int name_cmp(const void *x, const void *y)
{
	size_t n;
	const struct analysis_name_stats *v = stats_array(sort_a, sort_kind, &n);
	return strcmp(model_str(sort_a->m, v[*(const uint32_t *)x].name),
		      model_str(sort_a->m, v[*(const uint32_t *)y].name));
}

/* Stats indices of a's names of kind, sorted by name; NULL on OOM. */
static uint32_t *sorted_names(const struct analysis *a, uint8_t kind, size_t *n)
{
	stats_array(a, kind, n);
	uint32_t *order = malloc((*n ? *n : 1) * sizeof *order);
	if (!order)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		order[i] = (uint32_t)i;
	sort_a = a;
	sort_kind = kind;
	qsort(order, *n, sizeof *order, name_cmp);
	return order;
}

static void side_fill(struct diff_side *s, const struct analysis *a, uint8_t kind, uint32_t stats)
{
	*s = (struct diff_side){ .stats = stats };
	if (stats == MODEL_NONE)
		return;
	size_t n;
	const struct analysis_name_stats *v = &stats_array(a, kind, &n)[stats];
	s->count = v->count;
	s->unclosed = v->unclosed;
	s->total_ns = v->total_ns;
	s->p50_ns = v->p50_ns;
	s->p90_ns = v->p90_ns;
	s->p99_ns = v->p99_ns;
	s->max_ns = v->max_ns;
	s->mean_ns = v->count ? v->total_ns / v->count : 0;
	s->bd = v->bd;
}

static uint64_t abs_diff(uint64_t x, uint64_t y)
{
	return x > y ? x - y : y - x;
}

static uint64_t abs64(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static int64_t mean_of(uint64_t ns, uint64_t count)
{
	return count ? (int64_t)(ns / count) : 0;
}

static int change_cmp(const void *x, const void *y)
{
	const struct diff_state_change *p = x, *q = y;
	uint64_t a = abs64(p->mean_ns) ? abs64(p->mean_ns) : abs64(p->total_ns);
	uint64_t b = abs64(q->mean_ns) ? abs64(q->mean_ns) : abs64(q->total_ns);
	if (a != b)
		return a > b ? -1 : 1;
	return p->state < q->state ? -1 : 1;
}

/* Sides, state changes and significance of a matched (or one-sided) name. */
static void entry_fill(struct diff_entry *e, const struct diff *d, uint8_t kind, uint32_t old_stats,
		       uint32_t new_stats)
{
	side_fill(&e->side[DIFF_OLD], d->a[DIFF_OLD], kind, old_stats);
	side_fill(&e->side[DIFF_NEW], d->a[DIFF_NEW], kind, new_stats);
	const struct diff_side *o = &e->side[DIFF_OLD], *n = &e->side[DIFF_NEW];
	e->kind = kind;
	e->status = old_stats == MODEL_NONE ? DIFF_APPEARED : new_stats == MODEL_NONE ? DIFF_VANISHED
										    : DIFF_BOTH;
	uint64_t t = abs_diff(o->total_ns, n->total_ns), p = abs_diff(o->p99_ns, n->p99_ns);
	e->significance_ns = t > p ? t : p;
	e->n_changes = 0;
	for (int s = 0; s < MODEL_NSTATES; s++) {
		struct diff_state_change c = {
			.state = (uint8_t)s,
			.total_ns = (int64_t)n->bd.ns[s] - (int64_t)o->bd.ns[s],
			.mean_ns = mean_of(n->bd.ns[s], n->count) - mean_of(o->bd.ns[s], o->count),
		};
		if (!c.total_ns && !c.mean_ns)
			continue;
		/* Explained from the run where the state is larger. */
		int64_t sign = e->status == DIFF_BOTH && c.mean_ns ? c.mean_ns : c.total_ns;
		c.blame_side = sign > 0 ? DIFF_NEW : DIFF_OLD;
		e->changes[e->n_changes++] = c;
	}
	qsort(e->changes, e->n_changes, sizeof e->changes[0], change_cmp);
}

static int entry_cmp(const void *x, const void *y)
{
	const struct diff_entry *p = x, *q = y;
	if (p->significance_ns != q->significance_ns)
		return p->significance_ns > q->significance_ns ? -1 : 1;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* Appends the entries of one kind: a merge of both runs' sorted names. */
static int entries_of_kind(struct diff *d, uint8_t kind, const struct diff_options *opt,
			   size_t *cap)
{
	size_t n[2];
	uint32_t *order[2] = { sorted_names(d->a[DIFF_OLD], kind, &n[DIFF_OLD]),
			       sorted_names(d->a[DIFF_NEW], kind, &n[DIFF_NEW]) };
	int rc = -1;
	if (!order[0] || !order[1])
		goto out;
	size_t i = 0, k = 0;
	while (i < n[DIFF_OLD] || k < n[DIFF_NEW]) {
		size_t ns;
		const char *on = i < n[DIFF_OLD] ? model_str(d->a[DIFF_OLD]->m,
			stats_array(d->a[DIFF_OLD], kind, &ns)[order[DIFF_OLD][i]].name) : NULL;
		const char *nn = k < n[DIFF_NEW] ? model_str(d->a[DIFF_NEW]->m,
			stats_array(d->a[DIFF_NEW], kind, &ns)[order[DIFF_NEW][k]].name) : NULL;
		int c = !on ? 1 : !nn ? -1 : strcmp(on, nn);
		uint32_t os = c <= 0 ? order[DIFF_OLD][i++] : MODEL_NONE;
		uint32_t nws = c >= 0 ? order[DIFF_NEW][k++] : MODEL_NONE;
		const char *name = c <= 0 ? on : nn;
		if (opt && opt->only && strcmp(opt->only, name))
			continue;
		if (d->n_entries == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			struct diff_entry *v = realloc(d->entries, nc * sizeof *v);
			if (!v)
				goto out;
			d->entries = v;
			*cap = nc;
		}
		struct diff_entry *e = &d->entries[d->n_entries++];
		e->name = name;
		entry_fill(e, d, kind, os, nws);
	}
	rc = 0;
out:
	free(order[0]);
	free(order[1]);
	return rc;
}

/* ---- blame ---- */

static void instances_free(struct diff_instances *in)
{
	free(in->idx);
	free(in->off);
	*in = (struct diff_instances){ 0 };
}

/* Groups a's counted instances of kind by stats index (a counting sort). */
static int instances_build(const struct analysis *a, uint8_t kind, struct diff_instances *in)
{
	size_t nstats, ninst = kind == ANALYSIS_REGION ? a->m->n_regions : a->m->n_tasks;
	stats_array(a, kind, &nstats);
	in->off = calloc(nstats + 2, sizeof *in->off);
	in->idx = malloc((ninst ? ninst : 1) * sizeof *in->idx);
	if (!in->off || !in->idx) {
		instances_free(in);
		return -1;
	}
	for (size_t i = 0; i < ninst; i++) {
		uint32_t s = analysis_stats_of(a, kind, (uint32_t)i);
		if (s != MODEL_NONE)
			in->off[s + 2]++;
	}
	for (size_t s = 2; s < nstats + 2; s++)
		in->off[s] += in->off[s - 1];
	for (size_t i = 0; i < ninst; i++) {
		uint32_t s = analysis_stats_of(a, kind, (uint32_t)i);
		if (s != MODEL_NONE)
			in->idx[in->off[s + 1]++] = (uint32_t)i;
	}
	return 0;
}

/* Gathered blame of one change before the largest are kept. */
struct blame_work {
	struct diff_blame v[DIFF_WORK_MAX];
	size_t n;
	uint64_t total;
};

static void blame_add(struct blame_work *w, uint32_t thread, uint32_t lock, uint8_t kind,
		      uint32_t region, uint64_t ns)
{
	w->total += ns;
	size_t j = 0;
	while (j < w->n && !(w->v[j].thread == thread && w->v[j].lock == lock && w->v[j].kind == kind))
		j++;
	if (j == w->n) {
		if (w->n == DIFF_WORK_MAX)
			return;
		w->v[w->n++] = (struct diff_blame){ .thread = thread, .lock = lock, .kind = kind,
						    .region = MODEL_NONE };
	}
	if (w->v[j].region == MODEL_NONE)
		w->v[j].region = region;
	w->v[j].ns += ns;
}

static int blame_cmp(const void *x, const void *y)
{
	const struct diff_blame *p = x, *q = y;
	return p->ns > q->ns ? -1 : p->ns < q->ns;
}

/* What one instance's time in state went to. */
static void blame_instance(const struct analysis *a, uint8_t kind, uint32_t inst, uint8_t state,
			   struct blame_work *w)
{
	const struct model *m = a->m;
	if (state == MODEL_LOCK_WAIT) {
		struct analysis_blocker bl[DIFF_PER_INSTANCE];
		size_t n = analysis_blame_waits(a, kind, inst, bl, DIFF_PER_INSTANCE);
		for (size_t i = 0; i < n; i++)
			blame_add(w, bl[i].thread, bl[i].lock, bl[i].kind, bl[i].region, bl[i].wait_ns);
	} else if (state == MODEL_RUNNABLE) {
		struct analysis_cpu_holder ch[DIFF_PER_INSTANCE];
		size_t n = analysis_blame_cpus(a, kind, inst, ch, DIFF_PER_INSTANCE);
		for (size_t i = 0; i < n; i++)
			blame_add(w, ch[i].thread, MODEL_NONE, 0, MODEL_NONE, ch[i].ns);
	} else if (state == MODEL_SYSCALL) {
		uint32_t sc[DIFF_PER_INSTANCE];
		size_t n = analysis_blame_syscalls(a, kind, inst, sc, DIFF_PER_INSTANCE);
		uint64_t b = report_instance_begin(a, kind, inst);
		uint64_t e = kind == ANALYSIS_REGION ? m->regions[inst].end : m->tasks[inst].end;
		for (size_t i = 0; i < n; i++) {
			const struct model_syscall *s = &m->syscalls[sc[i]];
			uint64_t sb = s->begin > b ? s->begin : b, se = s->end < e ? s->end : e;
			if (se > sb)
				blame_add(w, MODEL_NONE, MODEL_NONE, s->sys, MODEL_NONE, se - sb);
		}
	}
}

static void blame_change(const struct analysis *a, uint8_t kind, const struct diff_instances *in,
			 uint32_t stats, struct diff_state_change *c)
{
	static struct blame_work zero;
	struct blame_work w = zero;
	for (size_t k = in->off[stats]; k < in->off[stats + 1]; k++)
		blame_instance(a, kind, in->idx[k], c->state, &w);
	qsort(w.v, w.n, sizeof w.v[0], blame_cmp);
	c->blamed_ns = w.total;
	c->n_blame = w.n < DIFF_BLAME_MAX ? w.n : DIFF_BLAME_MAX;
	memcpy(c->blame, w.v, c->n_blame * sizeof c->blame[0]);
}

static bool blamable(uint8_t state)
{
	return state == MODEL_LOCK_WAIT || state == MODEL_RUNNABLE || state == MODEL_SYSCALL;
}

/* Blames every entry's blamable changes, one run and kind at a time so
 * only one instance grouping is alive. */
static int blame_all(struct diff *d)
{
	for (int side = DIFF_OLD; side <= DIFF_NEW; side++) {
		for (uint8_t kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK; kind++) {
			struct diff_instances in = { 0 };
			bool built = false;
			for (size_t i = 0; i < d->n_entries; i++) {
				struct diff_entry *e = &d->entries[i];
				uint32_t stats = e->side[side].stats;
				if (e->kind != kind || stats == MODEL_NONE)
					continue;
				for (size_t k = 0; k < e->n_changes; k++) {
					struct diff_state_change *c = &e->changes[k];
					if (c->blame_side != side || !blamable(c->state))
						continue;
					if (!built && instances_build(d->a[side], kind, &in) != 0)
						return -1;
					built = true;
					blame_change(d->a[side], kind, &in, stats, c);
				}
			}
			instances_free(&in);
		}
	}
	return 0;
}

int diff_compute(const struct analysis *old, const struct analysis *new_,
		 const struct diff_options *opt, struct diff *d)
{
	*d = (struct diff){ .a = { old, new_ } };
	size_t cap = 0;
	if (entries_of_kind(d, ANALYSIS_REGION, opt, &cap) != 0 ||
	    entries_of_kind(d, ANALYSIS_TASK, opt, &cap) != 0 || blame_all(d) != 0) {
		diff_free(d);
		return -1;
	}
	if (d->n_entries)
		qsort(d->entries, d->n_entries, sizeof d->entries[0], entry_cmp);
	return 0;
}

void diff_free(struct diff *d)
{
	free(d->entries);
	d->entries = NULL;
	d->n_entries = 0;
}

bool diff_percent(uint64_t old, uint64_t new_, double *pct)
{
	if (!old)
		return false;
	*pct = 100.0 * ((double)new_ - (double)old) / (double)old;
	return true;
}

static bool differs(uint64_t old, uint64_t new_, double rel)
{
	if (old == new_)
		return false;
	double pct;
	return !diff_percent(old, new_, &pct) || pct >= 100.0 * rel || pct <= -100.0 * rel;
}

bool diff_entry_changed(const struct diff_entry *e, double rel)
{
	if (e->status != DIFF_BOTH)
		return true;
	const struct diff_side *o = &e->side[DIFF_OLD], *n = &e->side[DIFF_NEW];
	assert(o->stats != MODEL_NONE && n->stats != MODEL_NONE);
	return differs(o->count, n->count, rel) || differs(o->p50_ns, n->p50_ns, rel) ||
	       differs(o->p90_ns, n->p90_ns, rel) || differs(o->p99_ns, n->p99_ns, rel) ||
	       differs(o->max_ns, n->max_ns, rel) || differs(o->total_ns, n->total_ns, rel);
}

struct diff_summary diff_summarize(const struct diff *d)
{
	struct diff_summary s = { 0 };
	for (size_t i = 0; i < d->n_entries; i++) {
		const struct diff_entry *e = &d->entries[i];
		if (e->status == DIFF_APPEARED)
			s.appeared++;
		else if (e->status == DIFF_VANISHED)
			s.vanished++;
		else if (diff_entry_changed(e, DIFF_UNCHANGED_REL))
			s.changed++;
		else
			s.unchanged++;
	}
	return s;
}
