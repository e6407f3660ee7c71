/*
 * The analysis cache (analysis_cache.h): the analysis' flat arrays in the
 * caches' file format (model_cache_io.h), checked against the model on
 * the way back so that no index can point outside it.
 */
#include "analysis_cache.h"

#include <string.h>

#include "analysis_internal.h"
#include "model_cache.h"
#include "model_cache_io.h"

#define ACACHE_MAGIC "CTRANALY"
#define ACACHE_VERSION 1u

struct acache_header {
	char magic[8];
	uint32_t version;
	uint32_t model_version;  /* the model's (MODEL_CACHE_VERSION) */
	uint32_t sizes[8];       /* record sizes and the constants results depend on */
	uint64_t fingerprint;
	uint64_t n_threads, n_regions, n_tasks, n_locks, n_str;
};

static void header_fill(struct acache_header *h, const struct model *m, uint64_t fingerprint)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, ACACHE_MAGIC, 8);
	h->version = ACACHE_VERSION;
	h->model_version = MODEL_CACHE_VERSION;
	uint32_t sizes[] = {
		sizeof(struct model_breakdown), sizeof(struct analysis_name_stats),
		sizeof(struct analysis_spike), sizeof(struct analysis_lock_stats),
		sizeof(struct analysis_lock_thread), sizeof(struct analysis_syscall_stats),
		ANALYSIS_HIST_BUCKETS, ANALYSIS_SPIKE_MIN_COUNT,
	};
	_Static_assert(sizeof sizes == sizeof h->sizes, "one size per slot");
	memcpy(h->sizes, sizes, sizeof sizes);
	h->fingerprint = fingerprint;
	h->n_threads = m->n_threads;
	h->n_regions = m->n_regions;
	h->n_tasks = m->n_tasks;
	h->n_locks = m->n_locks;
	h->n_str = m->n_str_off ? m->n_str_off : 1;
}

static bool cacheable(const struct analysis_options *opt)
{
	return opt->from_ns == 0 && opt->to_ns == UINT64_MAX && opt->spike_threshold_ns == 0 &&
	       !opt->keep_instance_breakdowns;
}

static void acache_write(const char *dir, const struct analysis *a, uint64_t fingerprint)
{
	struct analyzer_error err;
	struct cache_out o;
	if (cache_out_open(&o, dir, ANALYSIS_CACHE_FILE, &err) != 0)
		return;
	const struct model *m = a->m;
	struct acache_header h;
	header_fill(&h, m, fingerprint);
	cache_put(&o, &h, sizeof h);
	size_t nstr = (size_t)h.n_str;
	cache_put_array(&o, a->thread_bd, m->n_threads, sizeof *a->thread_bd);
	cache_put_array(&o, a->region_stats, a->n_region_stats, sizeof *a->region_stats);
	cache_put_array(&o, a->task_stats, a->n_task_stats, sizeof *a->task_stats);
	cache_put_array(&o, a->region_stats_by_name, nstr, sizeof *a->region_stats_by_name);
	cache_put_array(&o, a->task_stats_by_name, nstr, sizeof *a->task_stats_by_name);
	cache_put_array(&o, a->spikes, a->n_spikes, sizeof *a->spikes);
	cache_put_array(&o, a->locks, a->n_locks, sizeof *a->locks);
	cache_put_array(&o, a->lock_threads, a->n_lock_threads, sizeof *a->lock_threads);
	cache_put_array(&o, a->syscalls, a->n_syscalls, sizeof *a->syscalls);
	(void)cache_out_commit(&o, &err);   /* no cache is not an error */
}

static bool by_name_ok(const uint32_t *v, size_t n, size_t nstats)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != MODEL_NONE && v[i] >= nstats)
			return false;
	return true;
}

static bool stats_ok(const struct analysis_name_stats *s, size_t n, size_t nstr)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].name >= nstr)
			return false;
	return true;
}

/* Every index in the cached arrays points inside the model and the
 * analysis: a cache that passed its checksum but came from elsewhere must
 * not make a report read out of bounds. */
static bool acache_consistent(const struct analysis *a, size_t n_thread_bd, size_t nstr,
			      size_t n_rbn, size_t n_tbn)
{
	const struct model *m = a->m;
	if (n_thread_bd != m->n_threads || n_rbn != nstr || n_tbn != nstr ||
	    !by_name_ok(a->region_stats_by_name, nstr, a->n_region_stats) ||
	    !by_name_ok(a->task_stats_by_name, nstr, a->n_task_stats) ||
	    !stats_ok(a->region_stats, a->n_region_stats, nstr) ||
	    !stats_ok(a->task_stats, a->n_task_stats, nstr))
		return false;
	for (size_t i = 0; i < a->n_spikes; i++) {
		const struct analysis_spike *s = &a->spikes[i];
		bool region = s->kind == ANALYSIS_REGION;
		if (s->kind > ANALYSIS_TASK || s->cause >= MODEL_NSTATES ||
		    s->instance >= (region ? m->n_regions : m->n_tasks) ||
		    s->stats >= (region ? a->n_region_stats : a->n_task_stats))
			return false;
	}
	for (size_t i = 0; i < a->n_locks; i++)
		if (a->locks[i].lock >= m->n_locks || a->locks[i].first > a->n_lock_threads ||
		    a->locks[i].n > a->n_lock_threads - a->locks[i].first)
			return false;
	for (size_t i = 0; i < a->n_lock_threads; i++)
		if (a->lock_threads[i].lock >= m->n_locks || a->lock_threads[i].thread >= m->n_threads)
			return false;
	return true;
}

/* 1 with *a filled (indexes included), 0 when there is no usable cache. */
static int acache_read(const char *dir, const struct model *m, const struct analysis_options *opt,
		       uint64_t fingerprint, struct analysis *a)
{
	struct cache_in in;
	if (!cache_in_open(&in, dir, ANALYSIS_CACHE_FILE))
		return 0;
	struct acache_header h, want;
	header_fill(&want, m, fingerprint);
	*a = (struct analysis){ .m = m, .opt = *opt };
	size_t n_thread_bd = 0, n_rbn = 0, n_tbn = 0;
	if (cache_get(&in, &h, sizeof h) && memcmp(&h, &want, sizeof h) == 0) {
		a->thread_bd = cache_get_array(&in, sizeof *a->thread_bd, &n_thread_bd);
		a->region_stats = cache_get_array(&in, sizeof *a->region_stats, &a->n_region_stats);
		a->task_stats = cache_get_array(&in, sizeof *a->task_stats, &a->n_task_stats);
		a->region_stats_by_name = cache_get_array(&in, sizeof *a->region_stats_by_name, &n_rbn);
		a->task_stats_by_name = cache_get_array(&in, sizeof *a->task_stats_by_name, &n_tbn);
		a->spikes = cache_get_array(&in, sizeof *a->spikes, &a->n_spikes);
		a->locks = cache_get_array(&in, sizeof *a->locks, &a->n_locks);
		a->lock_threads = cache_get_array(&in, sizeof *a->lock_threads, &a->n_lock_threads);
		a->syscalls = cache_get_array(&in, sizeof *a->syscalls, &a->n_syscalls);
	} else {
		in.failed = true;
	}
	bool intact = !in.failed;
	intact = cache_in_finish(&in) && intact;
	if (!intact || !acache_consistent(a, n_thread_bd, (size_t)want.n_str, n_rbn, n_tbn) ||
	    analysis_indexes_build(a) != 0) {
		analysis_free(a);
		return 0;
	}
	return 1;
}

int analysis_run_cached(const char *dir, const struct model *m, const struct model_load_info *info,
			const struct analysis_options *opt, struct analysis *a)
{
	bool use = info->cache_fingerprinted && cacheable(opt);
	if (use && acache_read(dir, m, opt, info->cache_fingerprint, a) == 1)
		return 0;
	if (analysis_run(m, opt, a) != 0)
		return -1;
	if (use)
		acache_write(dir, a, info->cache_fingerprint);
	return 0;
}
