/*
 * The symbolizer's memory (see symbolize_internal.h). Results are handed
 * out as borrowed pointers that must survive later lookups, so names,
 * frames and modules live in an arena that never moves; names repeat a lot
 * (a file name per frame), so they are interned.
 */
#include "symbolize_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYMBOLIZE_BLOCK_BYTES (64 * 1024)

struct symbolize_block {
	struct symbolize_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *symbolize_arena_alloc(struct symbolize_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct symbolize_block *b = a->head;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > SYMBOLIZE_BLOCK_BYTES ? size : SYMBOLIZE_BLOCK_BYTES;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		/* A big allocation gets its own block behind the current one,
		 * so the current block's free space is not wasted. */
		if (a->head && size == cap) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void symbolize_arena_free(struct symbolize_arena *a)
{
	struct symbolize_block *b = a->head;
	while (b) {
		struct symbolize_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* FNV-1a: strings and small keys, no adversary. */
uint64_t symbolize_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *c = p;
	uint64_t h = 14695981039346656037ull ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int symbolize_strings_grow(struct symbolize_strings *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	const char **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i])
			continue;
		size_t j = symbolize_hash(t->slots[i], strlen(t->slots[i]), 0) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

const char *symbolize_intern(struct symbolize_strings *t, const char *str)
{
	if (!str)
		return NULL;
	if (2 * (t->n + 1) > t->cap && symbolize_strings_grow(t) < 0)
		return NULL;
	size_t len = strlen(str);
	size_t j = symbolize_hash(str, len, 0) & (t->cap - 1);
	while (t->slots[j]) {
		if (!strcmp(t->slots[j], str))
			return t->slots[j];
		j = (j + 1) & (t->cap - 1);
	}
	char *copy = symbolize_arena_alloc(t->arena, len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, str, len + 1);
	t->slots[j] = copy;
	t->n++;
	return copy;
}

const char *symbolize_internf(struct symbolize_strings *t, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return symbolize_intern(t, buf);
}

void symbolize_strings_free(struct symbolize_strings *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}
