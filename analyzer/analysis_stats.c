/*
 * Latency statistics per region and task name, and the spikes among their
 * instances (rules in analysis.h).
 *
 * Instances are sorted once by (name, duration): percentiles are then
 * read off each name's run directly (nearest rank: the smallest duration
 * with at least q of the instances at or below it).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "model_store.h"

struct inst {
	uint32_t name, idx;
	uint64_t dur;
};

static int inst_cmp(const void *x, const void *y)
{
	const struct inst *a = x, *b = y;
	if (a->name != b->name)
		return a->name < b->name ? -1 : 1;
	if (a->dur != b->dur)
		return a->dur < b->dur ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int stats_cmp(const void *x, const void *y)
{
	const struct analysis_name_stats *a = x, *b = y;
	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* Nearest-rank percentile q/100 of sorted v[0..n), n > 0. */
static uint64_t percentile(const struct inst *v, size_t n, unsigned q)
{
	size_t rank = (n * q + 99) / 100;
	return v[rank ? rank - 1 : 0].dur;
}

static unsigned log2_bucket(uint64_t ns)
{
	unsigned k = 0;
	while (ns > 1 && k < ANALYSIS_HIST_BUCKETS - 1) {
		ns >>= 1;
		k++;
	}
	return k;
}

/* What one kind of instance looks like to this file. */
struct kind_view {
	size_t n;
	uint32_t (*name)(const struct model *m, size_t i);
	bool (*counted)(const struct analysis *a, size_t i, bool *unclosed);
	uint64_t (*dur)(const struct model *m, size_t i);
};

static uint32_t region_name(const struct model *m, size_t i) { return m->regions[i].name; }
static uint32_t task_name(const struct model *m, size_t i) { return m->tasks[i].name; }
static uint64_t region_dur(const struct model *m, size_t i) { return m->regions[i].end - m->regions[i].begin; }
static uint64_t task_dur(const struct model *m, size_t i) { return m->tasks[i].end - m->tasks[i].begin; }

static bool region_counted(const struct analysis *a, size_t i, bool *unclosed)
{
	const struct model_region *r = &a->m->regions[i];
	*unclosed = r->flags & (MODEL_RG_UNCLOSED | MODEL_RG_LOST_END);
	return analysis_in_window(a, r->begin, r->end);
}

static bool task_counted(const struct analysis *a, size_t i, bool *unclosed)
{
	const struct model_task *t = &a->m->tasks[i];
	*unclosed = t->flags & MODEL_TK_UNCLOSED;
	return analysis_in_window(a, t->begin, t->end);
}

static void stats_fill(struct analysis *a, enum analysis_kind kind, struct analysis_name_stats *s,
		       const struct inst *v, size_t n)
{
	const struct model *m = a->m;
	s->name = v[0].name;
	s->count = n;
	s->min_ns = v[0].dur;
	s->max_ns = v[n - 1].dur;
	s->p50_ns = percentile(v, n, 50);
	s->p90_ns = percentile(v, n, 90);
	s->p99_ns = percentile(v, n, 99);
	for (size_t i = 0; i < n; i++) {
		s->total_ns += v[i].dur;
		s->hist[log2_bucket(v[i].dur)]++;
		const struct model_breakdown *bd = kind == ANALYSIS_REGION ? &a->region_bd[v[i].idx]
									   : &a->task_bd[v[i].idx];
		for (int k = 0; k < MODEL_NSTATES; k++)
			s->bd.ns[k] += bd->ns[k];
		if (kind == ANALYSIS_REGION) {
			s->alloc_bytes += m->regions[v[i].idx].alloc_bytes;
			s->alloc_count += m->regions[v[i].idx].alloc_count;
		}
	}
}

int analysis_name_stats(struct analysis *a, enum analysis_kind kind)
{
	const struct model *m = a->m;
	struct kind_view kv = kind == ANALYSIS_REGION
		? (struct kind_view){ m->n_regions, region_name, region_counted, region_dur }
		: (struct kind_view){ m->n_tasks, task_name, task_counted, task_dur };
	uint32_t *of = malloc((kv.n ? kv.n : 1) * sizeof *of);
	struct inst *v = malloc((kv.n ? kv.n : 1) * sizeof *v);
	/* Unclosed instances only add to their name's count of them. */
	struct inst *open = malloc((kv.n ? kv.n : 1) * sizeof *open);
	if (!of || !v || !open) {
		free(of);
		free(v);
		free(open);
		return -1;
	}
	size_t n = 0, nopen = 0;
	for (size_t i = 0; i < kv.n; i++) {
		of[i] = MODEL_NONE;
		bool unclosed;
		if (!kv.counted(a, i, &unclosed))
			continue;
		struct inst it = { kv.name(m, i), (uint32_t)i, kv.dur(m, i) };
		if (unclosed)
			open[nopen++] = it;
		else
			v[n++] = it;
	}
	qsort(v, n, sizeof *v, inst_cmp);
	struct analysis_name_stats *stats = NULL;
	size_t nstats = 0, cap = 0;
	/* name (string id) → its stats, while they are built and once sorted */
	uint32_t *by_name = malloc((m->n_str_off ? m->n_str_off : 1) * sizeof *by_name);
	if (!by_name)
		goto oom;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].name == v[i].name)
			j++;
		struct analysis_name_stats *s = MODEL_VEC_PUSH(stats, nstats, cap);
		if (!s)
			goto oom;
		stats_fill(a, kind, s, v + i, j - i);
		i = j;
	}
	for (size_t k = 0; k < m->n_str_off; k++)
		by_name[k] = MODEL_NONE;
	for (size_t k = 0; k < nstats; k++)
		by_name[stats[k].name] = (uint32_t)k;
	for (size_t i = 0; i < nopen; i++) {
		uint32_t k = by_name[open[i].name];
		if (k == MODEL_NONE) {
			struct analysis_name_stats *s = MODEL_VEC_PUSH(stats, nstats, cap);
			if (!s)
				goto oom;
			s->name = open[i].name;
			k = by_name[open[i].name] = (uint32_t)(nstats - 1);
		}
		stats[k].unclosed++;
	}
	if (nstats)
		qsort(stats, nstats, sizeof *stats, stats_cmp);
	for (size_t k = 0; k < nstats; k++)
		by_name[stats[k].name] = (uint32_t)k;
	for (size_t i = 0; i < n; i++)
		of[v[i].idx] = by_name[v[i].name];
	free(by_name);
	free(v);
	free(open);
	if (kind == ANALYSIS_REGION) {
		a->region_stats = stats;
		a->n_region_stats = nstats;
		a->region_stats_of = of;
	} else {
		a->task_stats = stats;
		a->n_task_stats = nstats;
		a->task_stats_of = of;
	}
	return 0;
oom:
	free(by_name);
	free(stats);
	free(of);
	free(v);
	free(open);
	return -1;
}

/* The state whose time exceeds the name's mean the most. */
static uint8_t spike_cause(const struct model_breakdown *bd, const struct analysis_name_stats *s)
{
	int best = MODEL_RUNNING;
	double best_excess = -1e300;
	for (int k = 0; k < MODEL_NSTATES; k++) {
		double excess = (double)bd->ns[k] - (double)s->bd.ns[k] / (double)s->count;
		if (excess > best_excess) {
			best_excess = excess;
			best = k;
		}
	}
	return (uint8_t)best;
}

static bool is_spike(const struct analysis *a, const struct analysis_name_stats *s, uint64_t dur)
{
	if (a->opt.spike_threshold_ns)
		return dur >= a->opt.spike_threshold_ns;
	return s->count >= ANALYSIS_SPIKE_MIN_COUNT && dur >= s->p99_ns && dur > s->p50_ns &&
	       dur / 3 >= s->p50_ns;
}

static int spike_cmp(const void *x, const void *y)
{
	const struct analysis_spike *a = x, *b = y;
	if (a->duration_ns != b->duration_ns)
		return a->duration_ns > b->duration_ns ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->instance < b->instance ? -1 : a->instance > b->instance;
}

int analysis_spikes(struct analysis *a)
{
	const struct model *m = a->m;
	size_t cap = 0;
	for (int kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK; kind++) {
		size_t n = kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
		const uint32_t *of = kind == ANALYSIS_REGION ? a->region_stats_of : a->task_stats_of;
		const struct analysis_name_stats *stats = kind == ANALYSIS_REGION ? a->region_stats
										  : a->task_stats;
		for (size_t i = 0; i < n; i++) {
			if (of[i] == MODEL_NONE)
				continue;
			const struct analysis_name_stats *s = &stats[of[i]];
			uint64_t dur = kind == ANALYSIS_REGION ? region_dur(m, i) : task_dur(m, i);
			if (!is_spike(a, s, dur))
				continue;
			struct analysis_spike *sp = MODEL_VEC_PUSH(a->spikes, a->n_spikes, cap);
			if (!sp)
				return -1;
			const struct model_breakdown *bd = kind == ANALYSIS_REGION ? &a->region_bd[i]
										   : &a->task_bd[i];
			*sp = (struct analysis_spike){
				.kind = (uint8_t)kind, .cause = spike_cause(bd, s),
				.instance = (uint32_t)i, .stats = of[i], .duration_ns = dur,
			};
		}
	}
	if (a->n_spikes)
		qsort(a->spikes, a->n_spikes, sizeof *a->spikes, spike_cmp);
	return 0;
}
