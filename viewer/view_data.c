/*
 * Preparing a model for display (view_data.h).
 */
#include "view_data.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis_cache.h"
#include "model_run_info.h"
#include "model_symbols.h"

static int rows_push(struct view_data *d, size_t *cap, struct view_row r)
{
	if (d->nrows == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct view_row *v = realloc(d->rows, nc * sizeof *v);
		if (!v)
			return -1;
		d->rows = v;
		*cap = nc;
	}
	r.y = d->rows_h;
	d->rows[d->nrows++] = r;
	d->rows_h += r.h;
	return 0;
}

static const struct model *sort_model;

static int cmp_region(const void *a, const void *b)
{
	const struct model_region *x = &sort_model->regions[*(const uint32_t *)a];
	const struct model_region *y = &sort_model->regions[*(const uint32_t *)b];
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	return 0;
}

/* The row bucket of a region: deeper ones than are drawn share one. */
static size_t region_bucket(const struct model_region *r)
{
	size_t depth = r->depth <= VIEW_MAX_DEPTH ? r->depth : VIEW_MAX_DEPTH + 1;
	return (size_t)r->thread * (VIEW_MAX_DEPTH + 2) + depth;
}

/* Region indices by (thread, depth, begin). The builder appends regions
 * at their begin, in time order, so a stable counting sort by (thread,
 * depth) is the whole sort: O(n) instead of qsort's O(n log n) compares,
 * which took a third of the time to the first frame on 5M regions. A
 * model out of that order (checked) still gets the full sort. */
static int sort_regions(const struct model *m, uint32_t *idx)
{
	size_t nb = m->n_threads * (VIEW_MAX_DEPTH + 2) + 1;
	size_t *count = calloc(nb + 1, sizeof *count);
	if (!count)
		return -1;
	bool ordered = true;
	for (size_t i = 0; i < m->n_regions; i++) {
		count[region_bucket(&m->regions[i]) + 1]++;
		ordered &= i == 0 || m->regions[i].begin >= m->regions[i - 1].begin;
	}
	for (size_t k = 1; k <= nb; k++)
		count[k] += count[k - 1];
	for (size_t i = 0; i < m->n_regions; i++)
		idx[count[region_bucket(&m->regions[i])]++] = (uint32_t)i;
	free(count);
	if (!ordered) {
		/* qsort has no context argument in C11; the viewer loads one model at a time. */
		sort_model = m;
		qsort(idx, m->n_regions, sizeof *idx, cmp_region);
		sort_model = NULL;
	}
	return 0;
}

static uint32_t mark_thread(const struct model *m, const struct view_mark *k)
{
	switch (k->kind) {
	case VIEW_MARK_LOG: return m->logs[k->item].thread;
	case VIEW_MARK_BURST: return m->bursts[k->item].thread;
	default: return m->samples[k->item].thread;
	}
}

static int cmp_mark(const void *a, const void *b)
{
	const struct view_mark *x = a, *y = b;
	uint32_t tx = mark_thread(sort_model, x), ty = mark_thread(sort_model, y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static int cmp_attach_from(const void *a, const void *b)
{
	const struct model_task_attach *x = &sort_model->attaches[*(const uint32_t *)a];
	const struct model_task_attach *y = &sort_model->attaches[*(const uint32_t *)b];
	return x->from < y->from ? -1 : x->from > y->from;
}

static int cmp_attach_thread(const void *a, const void *b)
{
	const struct model_task_attach *x = &sort_model->attaches[*(const uint32_t *)a];
	const struct model_task_attach *y = &sort_model->attaches[*(const uint32_t *)b];
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

static int cmp_wait_end(const void *a, const void *b)
{
	const struct model_wait *x = &sort_model->waits[*(const uint32_t *)a];
	const struct model_wait *y = &sort_model->waits[*(const uint32_t *)b];
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Indices 0..n-1 sorted with cmp; the builder appends attaches and waits
 * in time order, so the sort is usually a check. */
static uint32_t *index_sorted(const struct model *m, size_t n, int (*cmp)(const void *, const void *))
{
	uint32_t *v = malloc((n + 1) * sizeof *v);
	if (!v)
		return NULL;
	bool sorted = true;
	sort_model = m;
	for (size_t i = 0; i < n; i++) {
		v[i] = (uint32_t)i;
		sorted &= i == 0 || cmp(&v[i - 1], &v[i]) <= 0;
	}
	if (!sorted)
		qsort(v, n, sizeof *v, cmp);
	sort_model = NULL;
	return v;
}

/* Task spans per thread and in time order, waits by end: what task rows
 * and flow arrows walk. */
static int data_index_tasks_waits(struct view_data *d)
{
	const struct model *m = &d->m;
	d->att_idx = index_sorted(m, m->n_attaches, cmp_attach_thread);
	d->att_by_from = index_sorted(m, m->n_attaches, cmp_attach_from);
	d->wait_by_end = index_sorted(m, m->n_waits, cmp_wait_end);
	d->collapsed = calloc(m->n_processes + 1, sizeof *d->collapsed);
	d->thread_row = malloc((m->n_threads + 1) * sizeof *d->thread_row);
	return d->att_idx && d->att_by_from && d->wait_by_end && d->collapsed && d->thread_row ? 0 : -1;
}


/* ---- bisection over the sorted indices ---- */

/* The first i in [lo, hi) for which below(d, i, key) is false; below
 * must hold on a prefix of [lo, hi) and not after it. */
static size_t data_bisect(const struct view_data *d, size_t lo, size_t hi,
			  bool (*below)(const struct view_data *, size_t, uint64_t), uint64_t key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (below(d, mid, key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool region_thread_below(const struct view_data *d, size_t i, uint64_t t)
{
	return d->m.regions[d->reg_idx[i]].thread < t;
}

/* The row bucket of reg_idx[i] (thread, depth) is at most key. */
static bool region_bucket_within(const struct view_data *d, size_t i, uint64_t key)
{
	return region_bucket(&d->m.regions[d->reg_idx[i]]) <= key;
}

static bool mark_thread_below(const struct view_data *d, size_t i, uint64_t t)
{
	return mark_thread(&d->m, &d->marks[i]) < t;
}

static bool attach_thread_below(const struct view_data *d, size_t i, uint64_t t)
{
	return d->m.attaches[d->att_idx[i]].thread < t;
}

static bool span_below(const struct view_data *d, size_t i, uint64_t off)
{
	return d->spans[i].off < off;
}

/* The end of the run of reg_idx[i]'s row bucket: found by bisection, not
 * by walking millions of scattered regions. */
static size_t end_of_bucket(const struct view_data *d, size_t i)
{
	return data_bisect(d, i + 1, d->m.n_regions, region_bucket_within,
			   region_bucket(&d->m.regions[d->reg_idx[i]]));
}

#define SPAN_MIN_REGIONS 4096   /* smaller rows are cheap to walk anyway */
#define SPAN_MIN_STRIDE 8       /* regions apart in the model: 8 x 48 bytes */

/* Copies begin and end of the rows whose regions are scattered (see
 * struct view_region_span). */
static int data_region_spans(struct view_data *d)
{
	const struct model *m = &d->m;
	for (size_t b0 = 0, b1; b0 < m->n_regions; b0 = b1) {
		b1 = end_of_bucket(d, b0);
		size_t n = b1 - b0, stride = (d->reg_idx[b1 - 1] - d->reg_idx[b0]) / n;
		if (n < SPAN_MIN_REGIONS || stride < SPAN_MIN_STRIDE)
			continue;
		struct view_region_span *v = realloc(d->spans, (d->nspans + 1) * sizeof *v);
		if (!v)
			return -1;
		d->spans = v;
		struct view_region_span *sp = &d->spans[d->nspans];
		*sp = (struct view_region_span){ b0, n, malloc(2 * n * sizeof *sp->v) };
		if (!sp->v)
			return -1;
		d->nspans++;
		for (size_t i = 0; i < n; i++) {
			const struct model_region *r = &m->regions[d->reg_idx[b0 + i]];
			sp->v[2 * i] = r->begin;
			sp->v[2 * i + 1] = r->end > r->begin ? r->end : r->begin + 1;
		}
	}
	return 0;
}

/* The copied span of the region row starting at off, or NULL. */
static const uint64_t *span_of(const struct view_data *d, size_t off)
{
	size_t k = data_bisect(d, 0, d->nspans, span_below, off);
	return k < d->nspans && d->spans[k].off == off ? d->spans[k].v : NULL;
}

static int data_index(struct view_data *d)
{
	const struct model *m = &d->m;
	d->reg_idx = malloc((m->n_regions + 1) * sizeof *d->reg_idx);
	size_t nm = m->n_logs + m->n_bursts + m->n_samples;
	d->marks = malloc((nm + 1) * sizeof *d->marks);
	d->lod = calloc(m->n_threads + 1, sizeof *d->lod);
	if (!d->reg_idx || !d->marks || !d->lod)
		return -1;
	for (size_t i = 0; i < m->n_logs; i++)
		d->marks[d->nmarks++] = (struct view_mark){ m->logs[i].ts, (uint32_t)i, VIEW_MARK_LOG };
	for (size_t i = 0; i < m->n_bursts; i++)
		d->marks[d->nmarks++] = (struct view_mark){ m->bursts[i].begin, (uint32_t)i, VIEW_MARK_BURST };
	for (size_t i = 0; i < m->n_samples; i++)
		d->marks[d->nmarks++] = (struct view_mark){ m->samples[i].ts, (uint32_t)i, VIEW_MARK_SAMPLE };
	/* qsort has no context argument in C11; the viewer loads one model at a time. */
	if (sort_regions(m, d->reg_idx) != 0)
		return -1;
	sort_model = m;
	qsort(d->marks, d->nmarks, sizeof *d->marks, cmp_mark);
	sort_model = NULL;
	d->reg_sample = malloc((m->n_regions / VIEW_REG_SAMPLE + 1) * sizeof *d->reg_sample);
	if (!d->reg_sample)
		return -1;
	for (size_t k = 0; k * VIEW_REG_SAMPLE < m->n_regions; k++)
		d->reg_sample[k] = m->regions[d->reg_idx[k * VIEW_REG_SAMPLE]].begin;
	if (data_region_spans(d) != 0)
		return -1;
	for (size_t t = 0; t < m->n_threads; t++)
		if (view_lod_build(&m->threads[t], &d->lod[t]) != 0)
			return -1;
	if (data_index_tasks_waits(d) != 0)
		return -1;
	d->cpu_lod = calloc(m->n_cpus + 1, sizeof *d->cpu_lod);
	if (!d->cpu_lod)
		return -1;
	for (size_t c = 0; c < m->n_cpus; c++)
		if (view_cpu_lod_build(&m->cpus[c], view_data_end(d), &d->cpu_lod[c]) != 0)
			return -1;
	return 0;
}


static int data_layout_thread(struct view_data *d, size_t *cap, uint32_t t, size_t *ri, size_t *mi)
{
	const struct model *m = &d->m;
	d->thread_row[t] = d->nrows;
	if (rows_push(d, cap, (struct view_row){ .kind = VIEW_ROW_STATE, .index = t, .h = VIEW_ROW_H }))
		return -1;
	size_t m0 = *mi;
	while (*mi < d->nmarks && mark_thread(m, &d->marks[*mi]) == t)
		(*mi)++;
	if (*mi > m0 && rows_push(d, cap, (struct view_row){ .kind = VIEW_ROW_MARKS, .index = t,
			.h = VIEW_MARKS_H, .off = m0, .n = *mi - m0 }))
		return -1;
	while (*ri < m->n_regions && m->regions[d->reg_idx[*ri]].thread == t) {
		uint16_t depth = m->regions[d->reg_idx[*ri]].depth;
		size_t r0 = *ri;
		*ri = end_of_bucket(d, *ri);
		if (depth >= 1 && depth <= VIEW_MAX_DEPTH &&
		    rows_push(d, cap, (struct view_row){ .kind = VIEW_ROW_REGION, .index = t,
				.depth = depth, .h = VIEW_ROW_H, .off = r0, .n = *ri - r0,
				.span = span_of(d, r0) }))
			return -1;
	}
	size_t a0 = data_bisect(d, 0, m->n_attaches, attach_thread_below, t), a1 = a0;
	while (a1 < m->n_attaches && m->attaches[d->att_idx[a1]].thread == t)
		a1++;
	if (a1 > a0 && rows_push(d, cap, (struct view_row){ .kind = VIEW_ROW_TASK, .index = t,
			.h = VIEW_ROW_H, .off = a0, .n = a1 - a0 }))
		return -1;
	return 0;
}

bool view_data_thread_shown(const struct view_data *d, size_t t)
{
	const char *f = d->thread_filter;
	if (!f || !*f)
		return !d->tracer[t];
	char tid[16];
	snprintf(tid, sizeof tid, "%d", d->m.threads[t].tid);
	return !strcmp(tid, f) || strstr(model_thread_name(&d->m, (uint32_t)t), f);
}

/* Time a thread spent blocked: in traced waits and calls, and off CPU
 * for reasons the trace does not show. */
static uint64_t thread_blocked(const struct model_thread *t)
{
	struct model_breakdown bd = { 0 };
	model_thread_breakdown(t, t->tl_begin, t->tl_end, &bd);
	return bd.ns[MODEL_LOCK_WAIT] + bd.ns[MODEL_SYSCALL] + bd.ns[MODEL_OTHER];
}

struct sort_key {
	uint32_t thread, process;
	uint64_t v;
	const char *name;
};

static int cmp_sort_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	if (x->process != y->process)
		return x->process < y->process ? -1 : 1;
	if (x->name || y->name) {
		int c = strcmp(x->name, y->name);
		if (c)
			return c;
	} else if (x->v != y->v) {
		return x->v < y->v ? -1 : 1;
	}
	return x->thread < y->thread ? -1 : x->thread > y->thread;
}

/* The threads in display order: by process, then by the chosen key. */
static struct sort_key *data_thread_order(const struct view_data *d)
{
	const struct model *m = &d->m;
	struct sort_key *k = malloc((m->n_threads + 1) * sizeof *k);
	if (!k)
		return NULL;
	for (size_t t = 0; t < m->n_threads; t++) {
		const struct model_thread *th = &m->threads[t];
		k[t] = (struct sort_key){ (uint32_t)t, th->process, 0, NULL };
		if (d->sort == VIEW_SORT_NAME)
			k[t].name = model_thread_name(m, (uint32_t)t);
		else if (d->sort == VIEW_SORT_BLOCKED)
			k[t].v = UINT64_MAX - thread_blocked(th);   /* most blocked first */
		else
			k[t].v = th->tl_begin;
	}
	qsort(k, m->n_threads, sizeof *k, cmp_sort_key);
	return k;
}

static int data_layout(struct view_data *d)
{
	const struct model *m = &d->m;
	size_t cap = 0;
	free(d->rows);
	d->rows = NULL;
	d->nrows = 0;
	d->rows_h = 0;
	for (size_t t = 0; t < m->n_threads; t++)
		d->thread_row[t] = SIZE_MAX;
	for (size_t c = 0; c < m->n_cpus; c++)
		if (m->cpus[c].n &&
		    rows_push(d, &cap, (struct view_row){ .kind = VIEW_ROW_CPU, .index = (uint32_t)c, .h = VIEW_ROW_H }))
			return -1;
	struct sort_key *order = data_thread_order(d);
	if (!order)
		return -1;
	/* Region, mark and task rows come from arrays sorted by thread: each
	 * thread's part is found by bisection. */
	size_t header = SIZE_MAX;
	uint32_t cur = MODEL_NONE;
	for (size_t k = 0; k < m->n_threads; k++) {
		uint32_t t = order[k].thread, p = order[k].process;
		if (m->threads[t].niv == 0 || !view_data_thread_shown(d, t))
			continue;
		if (p != cur) {
			cur = p;
			header = d->nrows;
			if (rows_push(d, &cap, (struct view_row){ .kind = VIEW_ROW_PROCESS, .index = p,
					.h = VIEW_PROCESS_H }))
				goto oom;
		}
		d->rows[header].n++;
		if (d->collapsed[p])
			continue;
		size_t ri = data_bisect(d, 0, m->n_regions, region_thread_below, t);
		size_t mi = data_bisect(d, 0, d->nmarks, mark_thread_below, t);
		if (data_layout_thread(d, &cap, t, &ri, &mi))
			goto oom;
	}
	free(order);
	return 0;
oom:
	free(order);
	return -1;
}

int view_data_layout(struct view_data *d)
{
	return data_layout(d);
}

const char *view_sort_name(uint8_t sort)
{
	static const char *const names[VIEW_SORT_COUNT] = { "start time", "name", "time blocked" };
	return sort < VIEW_SORT_COUNT ? names[sort] : "?";
}

/* The background analysis. It writes only d->an, which nothing reads
 * before view_data_analysis has joined the thread. */
struct view_data_job {
	pthread_mutex_t mu;
	pthread_t thread;
	bool started, done;
	int rc;
	struct view_data *d;
	const char *cache_dir;             /* NULL: no analysis cache */
	struct model_load_info cache_info;
	struct analyzer_symbolizer *sym;   /* view_data_symbolizer's */
	bool sym_made;
};

static void *job_main(void *arg)
{
	struct view_data_job *j = arg;
	struct analysis_options opt = analysis_default_options();
	/* Breakdowns of the one instance shown are computed when shown: kept
	 * for every instance they cost 48 bytes a region. */
	opt.keep_instance_breakdowns = false;
	j->rc = j->cache_dir ? analysis_run_cached(j->cache_dir, &j->d->m, &j->cache_info, &opt, &j->d->an)
			     : analysis_run(&j->d->m, &opt, &j->d->an);
	return NULL;
}

static int job_start(struct view_data *d, const char *cache_dir, const struct model_load_info *info)
{
	struct view_data_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	pthread_mutex_init(&j->mu, NULL);
	j->d = d;
	if (cache_dir && info) {
		j->cache_dir = cache_dir;
		j->cache_info = *info;
	}
	d->job = j;
	j->started = pthread_create(&j->thread, NULL, job_main, j) == 0;
	if (!j->started)   /* no thread: analyse now */
		job_main(j);
	return 0;
}

const struct analysis *view_data_analysis(const struct view_data *d)
{
	struct view_data_job *j = d->job;
	if (!j)
		return NULL;
	pthread_mutex_lock(&j->mu);
	if (j->started && !j->done)
		pthread_join(j->thread, NULL);
	j->done = true;
	pthread_mutex_unlock(&j->mu);
	return j->rc == 0 ? &d->an : NULL;
}

struct analyzer_symbolizer *view_data_symbolizer(const struct view_data *d)
{
	struct view_data_job *j = d->job;
	if (!j)
		return NULL;
	if (!j->sym_made) {
		j->sym = model_symbolizer_create(&d->m);
		j->sym_made = true;
	}
	return j->sym;
}

int view_data_init(struct view_data *d, struct model *m)
{
	return view_data_init_cached(d, m, NULL, NULL);
}

int view_data_init_cached(struct view_data *d, struct model *m, const char *dir,
			  const struct model_load_info *info)
{
	*d = (struct view_data){ .m = *m };
	*m = (struct model){ 0 };
	if (job_start(d, dir, info) != 0)
		return -1;
	d->tracer = analysis_tracer_threads(&d->m, NULL);
	if (!d->tracer || data_index(d) != 0 || data_layout(d) != 0)
		return -1;
	return 0;
}

long view_data_filter_threads(struct view_data *d, const char *pattern)
{
	d->thread_filter = pattern;
	if (data_layout(d) != 0)
		return -1;
	long n = 0;
	for (size_t r = 0; r < d->nrows; r++)
		n += d->rows[r].kind == VIEW_ROW_PROCESS ? (long)d->rows[r].n : 0;
	return n;
}

void view_data_free(struct view_data *d)
{
	if (d->lod)
		for (size_t t = 0; t < d->m.n_threads; t++)
			view_lod_free(&d->lod[t]);
	free(d->lod);
	if (d->cpu_lod)
		for (size_t c = 0; c < d->m.n_cpus; c++)
			view_cpu_lod_free(&d->cpu_lod[c]);
	free(d->cpu_lod);
	free(d->rows);
	free(d->tracer);
	free(d->reg_idx);
	free(d->reg_sample);
	for (size_t i = 0; i < d->nspans; i++)
		free(d->spans[i].v);
	free(d->spans);
	free(d->marks);
	free(d->att_idx);
	free(d->att_by_from);
	free(d->wait_by_end);
	free(d->collapsed);
	free(d->thread_row);
	if (d->job) {
		view_data_analysis(d);
		if (d->job->sym)
			analyzer_symbolizer_destroy(d->job->sym);
		pthread_mutex_destroy(&d->job->mu);
		free(d->job);
		analysis_free(&d->an);
	}
	model_free(&d->m);
	*d = (struct view_data){ 0 };
}

void view_data_read_wall_start(struct view_data *d, const char *dir)
{
	struct analyzer_run_info run;
	analyzer_run_info_read(dir, &run);
	if (run.clock_offset_ns && d->m.start_ns != MODEL_NO_TS)
		d->wall_start_ns = (uint64_t)((int64_t)d->m.start_ns + run.clock_offset_ns);
}

size_t view_data_row_at(const struct view_data *d, int y)
{
	size_t lo = 0, hi = d->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->rows[mid].y + d->rows[mid].h <= y)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nrows && d->rows[lo].y <= y ? lo : SIZE_MAX;
}

uint64_t view_data_end(const struct view_data *d)
{
	if (d->m.start_ns == MODEL_NO_TS)
		return 1;
	return d->m.end_ns > d->m.start_ns ? d->m.end_ns : d->m.start_ns + 1;
}
