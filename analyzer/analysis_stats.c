/*
 * Latency statistics per region and task name, and the spikes among their
 * instances (rules in analysis.h).
 *
 * Memory is 4 to 8 bytes per instance, briefly: the durations, grouped by
 * name (two passes: count per name, then fill each name's slice, 4-byte
 * keys when the name's longest fits) and sorted slice by slice, so
 * percentiles are read off directly (nearest rank: the smallest duration
 * with at least q of the instances at or below it). Breakdowns are summed
 * on the way and kept per instance only on request.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "model_store.h"

static int stats_cmp(const void *x, const void *y)
{
	const struct analysis_name_stats *a = x, *b = y;
	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* LSD radix sort of n keys of w bytes (4 or 8) at v, skipping the bytes
 * all keys share (durations rarely use their top bytes), through tmp (n
 * keys); a radix pass costs a few ns per key where a comparison sort
 * costs ~100 ns per key for millions of instances. */
static uint64_t key_at(const void *v, unsigned w, size_t i)
{
	return w == 4 ? ((const uint32_t *)v)[i] : ((const uint64_t *)v)[i];
}

static void key_set(void *v, unsigned w, size_t i, uint64_t k)
{
	if (w == 4)
		((uint32_t *)v)[i] = (uint32_t)k;
	else
		((uint64_t *)v)[i] = k;
}

static void sort_keys(void *v, size_t n, unsigned w, void *tmp)
{
	uint64_t all_or = 0, all_and = UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		all_or |= key_at(v, w, i);
		all_and &= key_at(v, w, i);
	}
	void *src = v, *dst = tmp;
	for (unsigned shift = 0; shift < 8 * w; shift += 8) {
		if (((all_or ^ all_and) >> shift & 0xff) == 0)
			continue;   /* every key has the same byte here */
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(key_at(src, w, i) >> shift & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++) {
			uint64_t k = key_at(src, w, i);
			key_set(dst, w, count[k >> shift & 0xff]++, k);
		}
		void *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * w);
}

/* Nearest-rank percentile q/100 of the n sorted keys, n > 0. */
static uint64_t percentile(const void *v, unsigned w, size_t n, unsigned q)
{
	size_t rank = (n * q + 99) / 100;
	return key_at(v, w, rank ? rank - 1 : 0);
}

/* floor(log2(ns)), capped at the last bucket; 0 for 0 and 1. */
static unsigned log2_bucket(uint64_t ns)
{
	unsigned k = ns > 1 ? 63u - (unsigned)__builtin_clzll(ns) : 0u;
	return k < ANALYSIS_HIST_BUCKETS - 1 ? k : ANALYSIS_HIST_BUCKETS - 1;
}

/* An instance as this file sees it: whether it counts (in the window),
 * whether it never closed, its name and duration. */
struct inst {
	bool counted, unclosed;
	uint32_t name;
	uint64_t dur;
};

static struct inst instance(const struct analysis *a, enum analysis_kind kind, size_t i)
{
	const struct model *m = a->m;
	if (kind == ANALYSIS_REGION) {
		const struct model_region *r = &m->regions[i];
		return (struct inst){ analysis_in_window(a, r->begin, r->end),
				      r->flags & (MODEL_RG_UNCLOSED | MODEL_RG_LOST_END), r->name,
				      r->end - r->begin };
	}
	const struct model_task *t = &m->tasks[i];
	return (struct inst){ analysis_in_window(a, t->begin, t->end), t->flags & MODEL_TK_UNCLOSED,
			      t->name, t->end - t->begin };
}

uint32_t analysis_stats_of(const struct analysis *a, uint8_t kind, uint32_t instance_idx)
{
	const uint32_t *of = kind == ANALYSIS_REGION ? a->region_stats_of : a->task_stats_of;
	if (of)
		return of[instance_idx];
	struct inst it = instance(a, (enum analysis_kind)kind, instance_idx);
	const uint32_t *by_name = kind == ANALYSIS_REGION ? a->region_stats_by_name
							  : a->task_stats_by_name;
	return it.counted && !it.unclosed && by_name ? by_name[it.name] : MODEL_NONE;
}

/* One name's durations while they are gathered: where its slice is in the
 * buffer and how wide its keys are (4 bytes when they all fit). */
struct slice {
	size_t off, fill;
	unsigned w;
};

/* Sorts a name's durations and fills its figures. */
static void stats_finish(struct analysis_name_stats *s, void *v, unsigned w, void *tmp)
{
	size_t n = s->count;
	s->max_ns = 0;
	if (!n)
		return;
	sort_keys(v, n, w, tmp);
	s->min_ns = key_at(v, w, 0);
	s->max_ns = key_at(v, w, n - 1);
	s->p50_ns = percentile(v, w, n, 50);
	s->p90_ns = percentile(v, w, n, 90);
	s->p99_ns = percentile(v, w, n, 99);
	for (size_t i = 0; i < n; i++) {
		uint64_t d = key_at(v, w, i);
		s->total_ns += d;
		s->hist[log2_bucket(d)]++;
	}
}

/* Second pass: each counted instance's duration into its name's slice,
 * its breakdown and allocations into its name's sums. */
static int stats_fill(struct analysis *a, enum analysis_kind kind, struct analysis_name_stats *stats,
		      const uint32_t *by_name, struct slice *sl, uint8_t *buf, uint32_t *of, size_t n)
{
	const struct model *m = a->m;
	struct analysis_scratch scratch = { 0 };
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct inst it = instance(a, kind, i);
		if (!it.counted || it.unclosed)
			continue;
		uint32_t k = by_name[it.name];
		if (of)
			of[i] = k;
		key_set(buf + sl[k].off, sl[k].w, sl[k].fill++, it.dur);
		struct model_breakdown bd;
		rc = analysis_instance_breakdown_with(a, (uint8_t)kind, (uint32_t)i, &bd, &scratch);
		for (int s = 0; s < MODEL_NSTATES; s++)
			stats[k].bd.ns[s] += bd.ns[s];
		if (kind == ANALYSIS_REGION) {
			stats[k].alloc_bytes += m->regions[i].alloc_bytes;
			stats[k].alloc_count += m->regions[i].alloc_count;
		}
	}
	free(scratch.v);
	return rc;
}

int analysis_name_stats(struct analysis *a, enum analysis_kind kind)
{
	const struct model *m = a->m;
	size_t n = kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
	size_t nstr = m->n_str_off ? m->n_str_off : 1;
	uint32_t *of = a->opt.keep_instance_breakdowns ? malloc((n ? n : 1) * sizeof *of) : NULL;
	uint32_t *by_name = malloc(nstr * sizeof *by_name);
	struct analysis_name_stats *stats = NULL;
	size_t nstats = 0, cap = 0;
	struct slice *sl = NULL;
	uint8_t *buf = NULL, *tmp = NULL;
	if ((a->opt.keep_instance_breakdowns && !of) || !by_name)
		goto oom;
	for (size_t s = 0; s < nstr; s++)
		by_name[s] = MODEL_NONE;
	/* First pass: the names, their counts and longest (in max_ns). */
	for (size_t i = 0; i < n; i++) {
		if (of)
			of[i] = MODEL_NONE;
		struct inst it = instance(a, kind, i);
		if (!it.counted)
			continue;
		uint32_t k = by_name[it.name];
		if (k == MODEL_NONE) {
			struct analysis_name_stats *s = MODEL_VEC_PUSH(stats, nstats, cap);
			if (!s)
				goto oom;
			s->name = it.name;
			k = by_name[it.name] = (uint32_t)(nstats - 1);
		}
		if (it.unclosed) {
			stats[k].unclosed++;
		} else {
			stats[k].count++;
			if (it.dur > stats[k].max_ns)
				stats[k].max_ns = it.dur;
		}
	}
	sl = malloc((nstats ? nstats : 1) * sizeof *sl);
	if (!sl)
		goto oom;
	size_t bytes = 0, largest = 0;
	for (size_t k = 0; k < nstats; k++) {
		sl[k] = (struct slice){ .off = bytes, .w = stats[k].max_ns <= UINT32_MAX ? 4 : 8 };
		bytes += (stats[k].count * sl[k].w + 7) & ~(size_t)7;
		if (stats[k].count * sl[k].w > largest)
			largest = stats[k].count * sl[k].w;
	}
	buf = malloc(bytes ? bytes : 1);
	tmp = malloc(largest ? largest : 1);
	if (!buf || !tmp || stats_fill(a, kind, stats, by_name, sl, buf, of, n) != 0)
		goto oom;
	for (size_t k = 0; k < nstats; k++)
		stats_finish(&stats[k], buf + sl[k].off, sl[k].w, tmp);
	free(tmp);
	free(buf);
	free(sl);
	tmp = buf = NULL;
	sl = NULL;
	/* Largest total first; instances follow their name's new place. */
	if (nstats)
		qsort(stats, nstats, sizeof *stats, stats_cmp);
	for (size_t k = 0; k < nstats; k++)
		by_name[stats[k].name] = (uint32_t)k;
	for (size_t i = 0; of && i < n; i++)
		if (of[i] != MODEL_NONE)
			of[i] = by_name[instance(a, kind, i).name];
	if (kind == ANALYSIS_REGION) {
		a->region_stats = stats;
		a->n_region_stats = nstats;
		a->region_stats_of = of;
		a->region_stats_by_name = by_name;
	} else {
		a->task_stats = stats;
		a->n_task_stats = nstats;
		a->task_stats_of = of;
		a->task_stats_by_name = by_name;
	}
	return 0;
oom:
	free(tmp);
	free(buf);
	free(sl);
	free(by_name);
	free(stats);
	free(of);
	return -1;
}

/* The state whose time exceeds the name's mean the most; when nothing
 * stands out (no excess of a tenth of the instance: it is long like all
 * its name's), the state it spent most time in. */
static uint8_t spike_cause(const struct model_breakdown *bd, const struct analysis_name_stats *s)
{
	int best = MODEL_RUNNING, largest = MODEL_RUNNING;
	double best_excess = -1e300;
	for (int k = 0; k < MODEL_NSTATES; k++) {
		double excess = (double)bd->ns[k] - (double)s->bd.ns[k] / (double)s->count;
		if (excess > best_excess) {
			best_excess = excess;
			best = k;
		}
		if (bd->ns[k] > bd->ns[largest])
			largest = k;
	}
	if (best_excess < 0.1 * (double)model_breakdown_total(bd))
		best = largest;
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
	struct analysis_scratch scratch = { 0 };
	int rc = 0;
	for (int kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK && rc == 0; kind++) {
		size_t n = kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
		const struct analysis_name_stats *stats = kind == ANALYSIS_REGION ? a->region_stats
										  : a->task_stats;
		for (size_t i = 0; i < n && rc == 0; i++) {
			uint32_t of = analysis_stats_of(a, (uint8_t)kind, (uint32_t)i);
			if (of == MODEL_NONE)
				continue;
			const struct analysis_name_stats *s = &stats[of];
			uint64_t dur = instance(a, (enum analysis_kind)kind, i).dur;
			if (!is_spike(a, s, dur))
				continue;
			struct model_breakdown bd;
			struct analysis_spike *sp = MODEL_VEC_PUSH(a->spikes, a->n_spikes, cap);
			if (!sp ||
			    analysis_instance_breakdown_with(a, (uint8_t)kind, (uint32_t)i, &bd, &scratch) != 0) {
				rc = -1;
				break;
			}
			*sp = (struct analysis_spike){
				.kind = (uint8_t)kind, .cause = spike_cause(&bd, s),
				.instance = (uint32_t)i, .stats = of, .duration_ns = dur,
			};
		}
	}
	free(scratch.v);
	if (rc == 0 && a->n_spikes)
		qsort(a->spikes, a->n_spikes, sizeof *a->spikes, spike_cmp);
	return rc;
}
