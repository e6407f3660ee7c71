/*
 * The state summary pyramid (view_lod.h).
 */
#include "view_lod.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#define LOD_MIN_SHIFT 6   /* 64 ns: finer buckets never pay for themselves */

static unsigned lod_shift_for(uint64_t span, size_t niv)
{
	unsigned s = LOD_MIN_SHIFT;
	while (s < 62 && (span >> s) > niv)
		s++;
	return s;
}

static void lod_add(struct view_lod_cell *c, unsigned state, uint64_t ns, unsigned shift)
{
	uint64_t v = c->share[state] + ((ns * 65535u) >> shift);
	c->share[state] = v > 65535u ? 65535u : (uint16_t)v;
}

/* Levels for [origin, origin + span) with about n level-0 buckets; returns
 * the total number of cells. */
static size_t lod_layout(struct view_lod_levels *lv, uint64_t origin, uint64_t span, size_t n)
{
	lv->origin = origin;
	lv->shift0 = lod_shift_for(span, n);
	size_t total = 0;
	unsigned levels = 0;
	for (unsigned s = lv->shift0; levels < 48; s++, levels++) {
		size_t k = (size_t)((span + (1ull << s) - 1) >> s);
		lv->off[levels] = total;
		lv->n[levels] = k;
		total += k;
		if (k <= 1)
			break;
	}
	lv->nlevels = levels + 1;
	return total;
}

/* The finest level whose buckets are at most a quarter of [ta, tb), and
 * that level's first and last bucket index in *k0, *k1. False when the
 * span lies outside the pyramid. */
static bool lod_level_for(const struct view_lod_levels *lv, uint64_t ta, uint64_t tb, unsigned *level,
			  size_t *k0, size_t *k1)
{
	if (!lv->nlevels || tb <= lv->origin)
		return false;
	uint64_t a = ta > lv->origin ? ta - lv->origin : 0, b = tb - lv->origin;
	unsigned l = 0;
	while (l + 1 < lv->nlevels && (1ull << (lv->shift0 + l + 1)) * 4 <= b - a)
		l++;
	unsigned sh = lv->shift0 + l;
	*level = l;
	*k0 = (size_t)(a >> sh);
	*k1 = (size_t)((b - 1) >> sh);
	if (*k1 >= lv->n[l])
		*k1 = lv->n[l] - 1;
	return *k0 <= *k1;
}

int view_lod_build(const struct model_thread *t, struct view_lod *lod)
{
	*lod = (struct view_lod){ 0 };
	if (t->niv == 0 || t->tl_end <= t->iv[0].start)
		return 0;
	size_t total = lod_layout(&lod->lv, t->iv[0].start, t->tl_end - t->iv[0].start, t->niv);
	lod->cells = calloc(total, sizeof *lod->cells);
	if (!lod->cells)
		return -1;
	unsigned sh = lod->lv.shift0;
	for (size_t i = 0; i < t->niv; i++) {
		uint64_t a = t->iv[i].start - lod->lv.origin, b = model_interval_end(t, i) - lod->lv.origin;
		unsigned st = t->iv[i].state;
		assert(st < MODEL_NSTATES);
		while (a < b) {
			size_t k = (size_t)(a >> sh);
			uint64_t kend = ((uint64_t)k + 1) << sh;
			uint64_t e = b < kend ? b : kend;
			lod_add(&lod->cells[k], st, e - a, sh);
			a = e;
		}
	}
	for (unsigned l = 1; l < lod->lv.nlevels; l++) {
		struct view_lod_cell *up = lod->cells + lod->lv.off[l];
		const struct view_lod_cell *dn = lod->cells + lod->lv.off[l - 1];
		for (size_t k = 0; k < lod->lv.n[l]; k++)
			for (unsigned s = 0; s < MODEL_NSTATES; s++) {
				unsigned v = dn[2 * k].share[s];
				if (2 * k + 1 < lod->lv.n[l - 1])
					v += dn[2 * k + 1].share[s];
				up[k].share[s] = (uint16_t)(v / 2);
			}
	}
	return 0;
}

void view_lod_free(struct view_lod *lod)
{
	free(lod->cells);
	*lod = (struct view_lod){ 0 };
}

static enum model_state lod_argmax(const uint64_t *sum)
{
	unsigned best = MODEL_OTHER;
	uint64_t bv = 0;
	for (unsigned s = 0; s < MODEL_NSTATES; s++)
		if (sum[s] > bv) {
			bv = sum[s];
			best = s;
		}
	return (enum model_state)best;
}

enum model_state view_lod_dominant(const struct view_lod *lod, uint64_t ta, uint64_t tb)
{
	unsigned l;
	size_t k0, k1;
	if (!lod->cells || !lod_level_for(&lod->lv, ta, tb, &l, &k0, &k1))
		return MODEL_OTHER;
	uint64_t sum[MODEL_NSTATES] = { 0 };
	const struct view_lod_cell *c = lod->cells + lod->lv.off[l];
	for (size_t k = k0; k <= k1; k++)
		for (unsigned s = 0; s < MODEL_NSTATES; s++)
			sum[s] += c[k].share[s];
	return lod_argmax(sum);
}

/* ---- CPU pyramids ---- */

int view_cpu_lod_build(const struct model_cpu *c, uint64_t end, struct view_cpu_lod *lod)
{
	*lod = (struct view_cpu_lod){ 0 };
	if (c->n == 0 || end <= c->v[0].start)
		return 0;
	size_t total = lod_layout(&lod->lv, c->v[0].start, end - c->v[0].start, c->n);
	lod->cells = calloc(total, sizeof *lod->cells);
	if (!lod->cells)
		return -1;
	unsigned sh = lod->lv.shift0;
	for (size_t i = 0; i < c->n; i++) {
		uint64_t a = c->v[i].start - lod->lv.origin;
		uint64_t b = (i + 1 < c->n ? c->v[i + 1].start : end) - lod->lv.origin;
		while (a < b) {
			size_t k = (size_t)(a >> sh);
			uint64_t kend = ((uint64_t)k + 1) << sh;
			uint64_t e = b < kend ? b : kend;
			uint64_t share = ((e - a) * 65535u) >> sh;
			struct view_cpu_lod_cell *cell = &lod->cells[k];
			if (share > cell->share || cell->share == 0) {
				cell->thread = c->v[i].thread;
				cell->share = (uint16_t)(share > 65535u ? 65535u : share);
			}
			a = e;
		}
	}
	for (unsigned l = 1; l < lod->lv.nlevels; l++) {
		struct view_cpu_lod_cell *up = lod->cells + lod->lv.off[l];
		const struct view_cpu_lod_cell *dn = lod->cells + lod->lv.off[l - 1];
		for (size_t k = 0; k < lod->lv.n[l]; k++) {
			const struct view_cpu_lod_cell *x = &dn[2 * k];
			const struct view_cpu_lod_cell *y = 2 * k + 1 < lod->lv.n[l - 1] ? &dn[2 * k + 1] : NULL;
			const struct view_cpu_lod_cell *best = y && y->share > x->share ? y : x;
			up[k] = (struct view_cpu_lod_cell){ best->thread, (uint16_t)(best->share / 2), 0 };
		}
	}
	return 0;
}

void view_cpu_lod_free(struct view_cpu_lod *lod)
{
	free(lod->cells);
	*lod = (struct view_cpu_lod){ 0 };
}

uint32_t view_cpu_lod_dominant(const struct view_cpu_lod *lod, uint64_t ta, uint64_t tb)
{
	unsigned l;
	size_t k0, k1;
	if (!lod->cells || !lod_level_for(&lod->lv, ta, tb, &l, &k0, &k1))
		return MODEL_CPU_IDLE;
	/* At most ~8 buckets: a small vote table is enough. */
	uint32_t th[16];
	uint64_t sum[16];
	size_t n = 0;
	const struct view_cpu_lod_cell *c = lod->cells + lod->lv.off[l];
	for (size_t k = k0; k <= k1; k++) {
		size_t j = 0;
		while (j < n && th[j] != c[k].thread)
			j++;
		if (j == n) {
			if (n == 16)
				continue;
			th[n] = c[k].thread;
			sum[n++] = 0;
		}
		sum[j] += c[k].share;
	}
	size_t best = 0;
	for (size_t j = 1; j < n; j++)
		if (sum[j] > sum[best])
			best = j;
	return n ? th[best] : MODEL_CPU_IDLE;
}

enum model_state view_lod_dominant_exact(const struct model_thread *t, size_t first, size_t last,
					 uint64_t ta, uint64_t tb)
{
	uint64_t sum[MODEL_NSTATES] = { 0 };
	for (size_t i = first; i < last && i < t->niv; i++) {
		uint64_t a = t->iv[i].start, b = model_interval_end(t, i);
		if (a < ta)
			a = ta;
		if (b > tb)
			b = tb;
		if (b > a)
			sum[t->iv[i].state] += b - a;
	}
	return lod_argmax(sum);
}
