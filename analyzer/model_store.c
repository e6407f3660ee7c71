/*
 * Growable arrays, the integer-pair hash map and interning (model_store.h).
 *
 * The map and the intern tables use open addressing with linear probing
 * at most half full: lookups touch one or two cache lines, and there is no
 * per-entry allocation. Items are never removed, so no tombstones.
 */
#include "model_store.h"

#include <stdlib.h>
#include <string.h>

bool model_vec_reserve(void *arrp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return false;
		ncap *= 2;
	}
	void *arr;
	memcpy(&arr, arrp, sizeof arr);
	void *grown = realloc(arr, ncap * elem);
	if (!grown)
		return false;
	memcpy(arrp, &grown, sizeof grown);
	*cap = ncap;
	return true;
}

void model_vec_shrink(void *arrp, size_t *cap, size_t n, size_t elem)
{
	if (n == *cap || n == 0)
		return;
	void *arr;
	memcpy(&arr, arrp, sizeof arr);
	void *shrunk = realloc(arr, n * elem);
	if (!shrunk)
		return;
	memcpy(arrp, &shrunk, sizeof shrunk);
	*cap = n;
}

/* splitmix64's finalizer: good enough spreading for small integers. */
static uint64_t store_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t map_hash(uint64_t a, uint64_t b)
{
	return store_mix(a ^ store_mix(b + 0x9e3779b97f4a7c15ull));
}

uint32_t model_map_get(const struct model_map *map, uint64_t a, uint64_t b)
{
	if (!map->cap)
		return MODEL_NONE;
	size_t mask = map->cap - 1;
	for (size_t i = map_hash(a, b) & mask;; i = (i + 1) & mask) {
		const struct model_map_slot *s = &map->slots[i];
		if (!s->used)
			return MODEL_NONE;
		if (s->a == a && s->b == b)
			return s->value;
	}
}

static void map_insert(struct model_map_slot *slots, size_t cap, uint64_t a, uint64_t b,
		       uint32_t value, size_t *n)
{
	size_t mask = cap - 1;
	for (size_t i = map_hash(a, b) & mask;; i = (i + 1) & mask) {
		struct model_map_slot *s = &slots[i];
		if (!s->used) {
			*s = (struct model_map_slot){ .a = a, .b = b, .value = value, .used = 1 };
			(*n)++;
			return;
		}
		if (s->a == a && s->b == b) {
			s->value = value;
			return;
		}
	}
}

int model_map_put(struct model_map *map, uint64_t a, uint64_t b, uint32_t value)
{
	if ((map->n + 1) * 2 > map->cap) {
		size_t ncap = map->cap ? map->cap * 2 : 64;
		struct model_map_slot *slots = calloc(ncap, sizeof *slots);
		if (!slots)
			return -1;
		size_t n = 0;
		for (size_t i = 0; i < map->cap; i++)
			if (map->slots[i].used)
				map_insert(slots, ncap, map->slots[i].a, map->slots[i].b,
					   map->slots[i].value, &n);
		free(map->slots);
		map->slots = slots;
		map->cap = ncap;
		map->n = n;
	}
	map_insert(map->slots, map->cap, a, b, value, &map->n);
	return 0;
}

void model_map_free(struct model_map *map)
{
	free(map->slots);
	*map = (struct model_map){ 0 };
}

/* ---- interning ---------------------------------------------------------- */

static uint32_t hash_bytes(const void *p, size_t n)
{
	/* FNV-1a, then mixed: strings here are short names. */
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return (uint32_t)store_mix(h);
}

/* Equality of a candidate id with the item being looked up. */
typedef bool (*intern_eq_fn)(const struct model *m, uint32_t id, const void *key, uint32_t n);

static int intern_grow(struct model_intern *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 256;
	uint32_t *slots = calloc(ncap, sizeof *slots);
	uint32_t *hashes = calloc(ncap, sizeof *hashes);
	if (!slots || !hashes) {
		free(slots);
		free(hashes);
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i])
			continue;
		size_t j = t->hashes[i] & (ncap - 1);
		while (slots[j])
			j = (j + 1) & (ncap - 1);
		slots[j] = t->slots[i];
		hashes[j] = t->hashes[i];
	}
	free(t->slots);
	free(t->hashes);
	t->slots = slots;
	t->hashes = hashes;
	t->cap = ncap;
	return 0;
}

/* Finds the item (key, n) with hash h; returns its id, or MODEL_NONE with
 * *slot set to where a new id goes. -1 in *slot when out of memory. */
static uint32_t intern_find(struct model_intern *t, const struct model *m, uint32_t h,
			    const void *key, uint32_t n, intern_eq_fn eq, long *slot)
{
	if ((t->n + 1) * 2 > t->cap && intern_grow(t) != 0) {
		*slot = -1;
		return MODEL_NONE;
	}
	size_t mask = t->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!t->slots[i]) {
			*slot = (long)i;
			return MODEL_NONE;
		}
		if (t->hashes[i] == h && eq(m, t->slots[i] - 1, key, n))
			return t->slots[i] - 1;
	}
}

static void intern_set(struct model_intern *t, long slot, uint32_t h, uint32_t id)
{
	t->slots[slot] = id + 1;
	t->hashes[slot] = h;
	t->n++;
}

static bool string_eq(const struct model *m, uint32_t id, const void *key, uint32_t n)
{
	const char *s = m->str_data + m->str_off[id];
	return strlen(s) == n && !memcmp(s, key, n);
}

uint32_t model_intern_string(struct model_interns *in, struct model *m, const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (len > UINT32_MAX / 2)
		return MODEL_NONE;
	uint32_t h = hash_bytes(s, len);
	long slot;
	uint32_t id = intern_find(&in->strings, m, h, s, (uint32_t)len, string_eq, &slot);
	if (id != MODEL_NONE || slot < 0)
		return id;
	if (m->n_str_off >= MODEL_NONE - 2 || m->n_str_data + len + 1 > UINT32_MAX ||
	    !model_vec_reserve(&m->str_data, &m->cap_str_data, m->n_str_data + len + 1, 1))
		return MODEL_NONE;
	uint32_t *off = MODEL_PUSH(m, str_off);
	if (!off)
		return MODEL_NONE;
	*off = (uint32_t)m->n_str_data;
	memcpy(m->str_data + m->n_str_data, s, len + 1);
	m->n_str_data += len + 1;
	id = (uint32_t)(m->n_str_off - 1);
	intern_set(&in->strings, slot, h, id);
	return id;
}

static bool stack_eq(const struct model *m, uint32_t id, const void *key, uint32_t n)
{
	const struct model_stack *s = &m->stacks[id];
	return s->n == n && (n == 0 || !memcmp(m->frames + s->off, key, n * sizeof(uint64_t)));
}

uint32_t model_intern_stack(struct model_interns *in, struct model *m,
			    const uint64_t *frames, uint32_t n)
{
	uint32_t h = hash_bytes(frames, (size_t)n * sizeof *frames);
	long slot;
	uint32_t id = intern_find(&in->stacks, m, h, frames, n, stack_eq, &slot);
	if (id != MODEL_NONE || slot < 0)
		return id;
	if (m->n_stacks >= MODEL_NONE - 2 || m->n_frames + n > UINT32_MAX ||
	    !model_vec_reserve(&m->frames, &m->cap_frames, m->n_frames + n, sizeof *m->frames))
		return MODEL_NONE;
	struct model_stack *st = MODEL_PUSH(m, stacks);
	if (!st)
		return MODEL_NONE;
	st->off = (uint32_t)m->n_frames;
	st->n = n;
	if (n)
		memcpy(m->frames + m->n_frames, frames, n * sizeof *frames);
	m->n_frames += n;
	id = (uint32_t)(m->n_stacks - 1);
	intern_set(&in->stacks, slot, h, id);
	return id;
}

static bool labelset_eq(const struct model *m, uint32_t id, const void *key, uint32_t n)
{
	const struct model_labelset *l = &m->labelsets[id];
	return l->n == n && (n == 0 || !memcmp(m->label_kv + l->off, key, 2 * n * sizeof(uint32_t)));
}

uint32_t model_intern_labelset(struct model_interns *in, struct model *m,
			       const uint32_t *kv, uint32_t n)
{
	uint32_t h = hash_bytes(kv, 2 * (size_t)n * sizeof *kv);
	long slot;
	uint32_t id = intern_find(&in->labelsets, m, h, kv, n, labelset_eq, &slot);
	if (id != MODEL_NONE || slot < 0)
		return id;
	if (m->n_labelsets >= MODEL_NONE - 2 || m->n_label_kv + 2 * (size_t)n > UINT32_MAX ||
	    !model_vec_reserve(&m->label_kv, &m->cap_label_kv, m->n_label_kv + 2 * (size_t)n,
			       sizeof *m->label_kv))
		return MODEL_NONE;
	struct model_labelset *l = MODEL_PUSH(m, labelsets);
	if (!l)
		return MODEL_NONE;
	l->off = (uint32_t)m->n_label_kv;
	l->n = n;
	if (n)
		memcpy(m->label_kv + m->n_label_kv, kv, 2 * (size_t)n * sizeof *kv);
	m->n_label_kv += 2 * (size_t)n;
	id = (uint32_t)(m->n_labelsets - 1);
	intern_set(&in->labelsets, slot, h, id);
	return id;
}

int model_interns_init(struct model_interns *in, struct model *m)
{
	*in = (struct model_interns){ 0 };
	if (model_intern_string(in, m, "") != 0 || model_intern_stack(in, m, NULL, 0) != 0 ||
	    model_intern_labelset(in, m, NULL, 0) != 0)
		return -1;
	return 0;
}

void model_interns_free(struct model_interns *in)
{
	struct model_intern *t[] = { &in->strings, &in->stacks, &in->labelsets };
	for (size_t i = 0; i < 3; i++) {
		free(t[i]->slots);
		free(t[i]->hashes);
	}
	*in = (struct model_interns){ 0 };
}
