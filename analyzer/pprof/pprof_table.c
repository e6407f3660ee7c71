/* Open-addressing hash index of the builder's flat arrays (see pprof_table.h). */
#include "pprof_table.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static uint64_t pprof_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

uint64_t pprof_hash(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);
	uint64_t w;
	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ pprof_mix(w)) * 0x9e3779b97f4a7c15ull;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ pprof_mix(w)) * 0x9e3779b97f4a7c15ull;
	}
	return pprof_mix(h);
}

/* The slot stores 32 bits of the hash; the probe starts from the same 32
 * bits so that growing can place entries from the stored hash alone. */
static uint32_t pprof_hash32(uint64_t hash)
{
	return (uint32_t)(hash ^ (hash >> 32));
}

static void pprof_table_place(struct pprof_slot *slots, size_t mask, struct pprof_slot s)
{
	size_t i = s.hash & mask;
	while (slots[i].ref)
		i = (i + 1) & mask;
	slots[i] = s;
}

int pprof_table_reserve(struct pprof_table *t)
{
	size_t cap = t->slots ? t->mask + 1 : 0;
	if (2 * (t->n + 1) <= cap)
		return 0;
	size_t ncap = cap ? 2 * cap : 64;
	if (t->n + 1 >= UINT32_MAX || ncap > SIZE_MAX / sizeof(struct pprof_slot))
		return -1;
	struct pprof_slot *slots = calloc(ncap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < cap; i++)
		if (t->slots[i].ref)
			pprof_table_place(slots, ncap - 1, t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->mask = ncap - 1;
	return 0;
}

uint32_t pprof_table_find(const struct pprof_table *t, uint64_t hash, pprof_table_eq_fn eq,
			  const void *ctx, size_t *pos)
{
	assert(t->slots && t->n < t->mask + 1);
	uint32_t h = pprof_hash32(hash);
	size_t i = h & t->mask;
	for (; t->slots[i].ref; i = (i + 1) & t->mask) {
		const struct pprof_slot *s = &t->slots[i];
		if (s->hash == h && eq(ctx, s->ref - 1))
			return s->ref - 1;
	}
	*pos = i;
	return UINT32_MAX;
}

void pprof_table_put(struct pprof_table *t, size_t pos, uint64_t hash, uint32_t index)
{
	assert(pos <= t->mask && !t->slots[pos].ref && index < UINT32_MAX);
	t->slots[pos] = (struct pprof_slot){ .hash = pprof_hash32(hash), .ref = index + 1 };
	t->n++;
}

void pprof_table_free(struct pprof_table *t)
{
	free(t->slots);
	*t = (struct pprof_table){ 0 };
}
