/*
 * The state summary pyramid (view_lod.h).
 */
#include "view_lod.h"

#include <assert.h>
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

int view_lod_build(const struct model_thread *t, struct view_lod *lod)
{
	*lod = (struct view_lod){ 0 };
	if (t->niv == 0 || t->tl_end <= t->iv[0].start)
		return 0;
	lod->origin = t->iv[0].start;
	uint64_t span = t->tl_end - lod->origin;
	lod->shift0 = lod_shift_for(span, t->niv);
	size_t total = 0;
	unsigned levels = 0;
	for (unsigned s = lod->shift0; levels < 48; s++, levels++) {
		size_t n = (size_t)((span + (1ull << s) - 1) >> s);
		lod->off[levels] = total;
		lod->n[levels] = n;
		total += n;
		if (n <= 1)
			break;
	}
	lod->nlevels = levels + 1;
	lod->cells = calloc(total, sizeof *lod->cells);
	if (!lod->cells)
		return -1;
	unsigned sh = lod->shift0;
	for (size_t i = 0; i < t->niv; i++) {
		uint64_t a = t->iv[i].start - lod->origin, b = model_interval_end(t, i) - lod->origin;
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
	for (unsigned l = 1; l < lod->nlevels; l++) {
		struct view_lod_cell *up = lod->cells + lod->off[l];
		const struct view_lod_cell *dn = lod->cells + lod->off[l - 1];
		for (size_t k = 0; k < lod->n[l]; k++)
			for (unsigned s = 0; s < MODEL_NSTATES; s++) {
				unsigned v = dn[2 * k].share[s];
				if (2 * k + 1 < lod->n[l - 1])
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
	if (!lod->cells || tb <= lod->origin)
		return MODEL_OTHER;
	uint64_t a = ta > lod->origin ? ta - lod->origin : 0, b = tb - lod->origin;
	unsigned l = 0;
	while (l + 1 < lod->nlevels && (1ull << (lod->shift0 + l + 1)) * 4 <= b - a)
		l++;
	unsigned sh = lod->shift0 + l;
	uint64_t sum[MODEL_NSTATES] = { 0 };
	const struct view_lod_cell *c = lod->cells + lod->off[l];
	for (uint64_t k = a >> sh; k <= (b - 1) >> sh && k < lod->n[l]; k++)
		for (unsigned s = 0; s < MODEL_NSTATES; s++)
			sum[s] += c[k].share[s];
	return lod_argmax(sum);
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
