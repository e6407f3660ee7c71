/*
 * Row sources (view_rows.h).
 */
#include "view_rows.h"

#include "view_palette.h"

/* ---- thread state intervals ---- */

static const struct model_thread *ctx_thread(const void *c)
{
	const struct view_row_ctx *x = c;
	return &x->d->m.threads[x->row->index];
}

static uint64_t iv_start(const void *c, size_t i)
{
	return ctx_thread(c)->iv[i].start;
}

static uint64_t iv_end(const void *c, size_t i)
{
	return model_interval_end(ctx_thread(c), i);
}

static uint32_t iv_key(const void *c, size_t i)
{
	return ctx_thread(c)->iv[i].state;
}

/* A handful of intervals are summed exactly; more go to the pyramid. */
#define ROWS_EXACT_MAX 32
#define ROWS_CPU_VOTES 16

static uint32_t iv_mixed(const void *c, size_t first, size_t last, uint64_t ta, uint64_t tb)
{
	const struct view_row_ctx *x = c;
	if (last - first <= ROWS_EXACT_MAX)
		return view_lod_dominant_exact(ctx_thread(c), first, last, ta, tb);
	return view_lod_dominant(&x->d->lod[x->row->index], ta, tb);
}

static uint32_t iv_column(const void *c, uint64_t ta, uint64_t tb)
{
	const struct view_row_ctx *x = c;
	const struct model_thread *t = ctx_thread(c);
	if (t->niv == 0 || tb <= t->iv[0].start || ta >= t->tl_end)
		return VIEW_KEY_NONE;
	return view_lod_dominant(&x->d->lod[x->row->index], ta, tb);
}


/* ---- CPU slices ---- */

static const struct model_cpu *ctx_cpu(const void *c)
{
	const struct view_row_ctx *x = c;
	return &x->d->m.cpus[x->row->index];
}

static uint64_t cpu_start(const void *c, size_t i)
{
	return ctx_cpu(c)->v[i].start;
}

static uint64_t cpu_end(const void *c, size_t i)
{
	const struct model_cpu *cpu = ctx_cpu(c);
	const struct view_row_ctx *x = c;
	return i + 1 < cpu->n ? cpu->v[i + 1].start : view_data_end(x->d);
}

static uint32_t cpu_thread_key(uint32_t t);

static uint32_t cpu_key(const void *c, size_t i)
{
	return cpu_thread_key(ctx_cpu(c)->v[i].thread);
}

/* The thread with the most time in the column; when the column holds
 * many slices, the slices at ROWS_CPU_VOTES evenly spaced instants vote. */
static uint32_t cpu_mixed(const void *c, size_t first, size_t last, uint64_t ta, uint64_t tb)
{
	uint32_t key[ROWS_EXACT_MAX];
	uint64_t ns[ROWS_EXACT_MAX];
	size_t nk = 0;
	const struct model_cpu *cpu = ctx_cpu(c);
	bool exact = last - first <= ROWS_EXACT_MAX;
	size_t votes = exact ? ROWS_EXACT_MAX : ROWS_CPU_VOTES;
	for (size_t k = 0; k < votes; k++) {
		size_t i;
		uint64_t w;
		if (exact) {
			i = first + k;
			if (i >= last)
				break;
			uint64_t a = cpu_start(c, i), b = cpu_end(c, i);
			w = (b < tb ? b : tb) - (a > ta ? a : ta);
		} else {
			uint64_t t = ta + (tb - ta) * k / ROWS_CPU_VOTES;
			size_t lo = first, hi = last;   /* last slice starting at or before t */
			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;
				if (cpu->v[mid].start <= t)
					lo = mid;
				else
					hi = mid;
			}
			i = lo;
			w = 1;
		}
		uint32_t kk = cpu_key(c, i);
		size_t j = 0;
		while (j < nk && key[j] != kk)
			j++;
		if (j == nk) {
			key[nk] = kk;
			ns[nk++] = 0;
		}
		ns[j] += w;
	}
	size_t best = 0;
	for (size_t j = 1; j < nk; j++)
		if (ns[j] > ns[best])
			best = j;
	return nk ? key[best] : VIEW_KEY_NONE;
}

static uint32_t cpu_thread_key(uint32_t t)
{
	if (t == MODEL_CPU_IDLE)
		return VIEW_KEY_NONE;
	if (t == MODEL_CPU_UNKNOWN)
		return MODEL_UNKNOWN;
	return view_key_thread(t);
}

static uint32_t cpu_column(const void *c, uint64_t ta, uint64_t tb)
{
	const struct view_row_ctx *x = c;
	return cpu_thread_key(view_cpu_lod_dominant(&x->d->cpu_lod[x->row->index], ta, tb));
}

/* ---- regions of one depth ---- */

static const struct model_region *ctx_region(const void *c, size_t i)
{
	const struct view_row_ctx *x = c;
	return &x->d->m.regions[x->d->reg_idx[x->row->off + i]];
}

static uint64_t rg_start(const void *c, size_t i)
{
	const struct view_row_ctx *x = c;
	return x->row->span ? x->row->span[2 * i] : ctx_region(c, i)->begin;
}

static uint64_t rg_end(const void *c, size_t i)
{
	const struct view_row_ctx *x = c;
	if (x->row->span)
		return x->row->span[2 * i + 1];
	const struct model_region *r = ctx_region(c, i);
	return r->end > r->begin ? r->end : r->begin + 1;
}

static uint32_t rg_key(const void *c, size_t i)
{
	return view_key_region(ctx_region(c, i)->name);
}

/* Regions of a row lie scattered in the model's array: seeking bisects
 * the begin of every VIEW_REG_SAMPLE-th one (reg_sample, contiguous),
 * then bisects the few regions between two samples. */
static size_t rg_seek(const void *c, size_t from, uint64_t t)
{
	const struct view_row_ctx *x = c;
	const struct view_data *d = x->d;
	size_t p0 = x->row->off + from, pe = x->row->off + x->row->n;
	if (p0 >= pe)
		return x->row->n;
	size_t klo = (p0 + VIEW_REG_SAMPLE - 1) / VIEW_REG_SAMPLE, khi = (pe - 1) / VIEW_REG_SAMPLE + 1;
	/* Gallop from klo (the walk seeks a little ahead each time), then bisect. */
	size_t lo = klo, hi = klo, step = 1;
	while (hi < khi && d->reg_sample[hi] < t) {
		lo = hi + 1;
		hi += step;
		step *= 2;
	}
	if (hi > khi)
		hi = khi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->reg_sample[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The answer is after sample lo - 1 (or p0) and at or before sample lo (or pe). */
	size_t p = lo > klo ? (lo - 1) * VIEW_REG_SAMPLE + 1 : p0;
	size_t end = lo < khi ? lo * VIEW_REG_SAMPLE : pe;
	while (p < end) {
		size_t mid = p + (end - p) / 2;
		if (d->m.regions[d->reg_idx[mid]].begin < t)
			p = mid + 1;
		else
			end = mid;
	}
	return p - x->row->off;
}

static uint32_t rg_mixed(const void *c, size_t first, size_t last, uint64_t ta, uint64_t tb)
{
	(void)c, (void)first, (void)last, (void)ta, (void)tb;
	return VIEW_K_MERGED;
}

/* ---- task spans of one thread ---- */

static const struct model_task_attach *ctx_attach(const void *c, size_t i)
{
	const struct view_row_ctx *x = c;
	return &x->d->m.attaches[x->d->att_idx[x->row->off + i]];
}

static uint64_t tk_start(const void *c, size_t i)
{
	return ctx_attach(c, i)->from;
}

static uint64_t tk_end(const void *c, size_t i)
{
	const struct model_task_attach *a = ctx_attach(c, i);
	return a->to > a->from ? a->to : a->from + 1;
}

static uint32_t tk_key(const void *c, size_t i)
{
	const struct view_row_ctx *x = c;
	return view_key_region(x->d->m.tasks[ctx_attach(c, i)->task].name);
}

bool view_row_source(const struct view_data *d, const struct view_row *row, struct view_row_ctx *ctx,
		     struct view_span_src *src)
{
	*ctx = (struct view_row_ctx){ d, row };
	switch (row->kind) {
	case VIEW_ROW_STATE:
		*src = (struct view_span_src){ ctx, d->m.threads[row->index].niv, iv_start, iv_end, iv_key,
					       iv_mixed, NULL };
		return true;
	case VIEW_ROW_CPU:
		*src = (struct view_span_src){ ctx, d->m.cpus[row->index].n, cpu_start, cpu_end, cpu_key,
					       cpu_mixed, NULL };
		return true;
	case VIEW_ROW_REGION:
		*src = (struct view_span_src){ ctx, row->n, rg_start, rg_end, rg_key, rg_mixed,
					       row->span ? NULL : rg_seek };
		return true;
	case VIEW_ROW_TASK:
		*src = (struct view_span_src){ ctx, row->n, tk_start, tk_end, tk_key, rg_mixed, NULL };
		return true;
	default:
		return false;
	}
}

view_column_key_fn view_row_column_key(const struct view_data *d, const struct view_row *row,
				       double ns_per_px)
{
	const struct view_lod_levels *lv;
	view_column_key_fn fn;
	if (row->kind == VIEW_ROW_STATE && d->lod[row->index].cells) {
		lv = &d->lod[row->index].lv;
		fn = iv_column;
	} else if (row->kind == VIEW_ROW_CPU && d->cpu_lod[row->index].cells) {
		lv = &d->cpu_lod[row->index].lv;
		fn = cpu_column;
	} else {
		return NULL;
	}
	return (double)(2ull << lv->shift0) <= ns_per_px ? fn : NULL;
}

size_t view_row_piece_index(const struct view_data *d, const struct view_row *row, size_t i)
{
	if (row->kind == VIEW_ROW_TASK)
		return d->att_idx[row->off + i];
	return row->kind == VIEW_ROW_REGION ? d->reg_idx[row->off + i] : i;
}

uint32_t view_row_piece_name(const struct view_data *d, const struct view_row *row, size_t i)
{
	if (row->kind == VIEW_ROW_TASK)
		return d->m.tasks[d->m.attaches[d->att_idx[row->off + i]].task].name;
	if (row->kind == VIEW_ROW_REGION)
		return d->m.regions[d->reg_idx[row->off + i]].name;
	return MODEL_NONE;
}
