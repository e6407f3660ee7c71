/*
 * The builder's deduplication index: an open-addressing hash table of
 * entry indices into one of the builder's flat arrays (strings, functions,
 * locations, samples). The table stores each entry's hash, so it grows
 * without rehashing the entries; equality is the caller's, through a
 * callback, because only the caller knows what an entry's key is.
 */
#ifndef PPROF_TABLE_H
#define PPROF_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pprof_slot {
	uint32_t hash;
	uint32_t ref;   /* entry index + 1; 0: empty */
};

struct pprof_table {
	struct pprof_slot *slots;
	size_t mask;    /* capacity - 1, capacity a power of two (or 0) */
	size_t n;
};

/* True when entry index of the caller's array equals the key in ctx. */
typedef bool (*pprof_table_eq_fn)(const void *ctx, uint32_t index);

/* Makes room for one more entry (load stays <= 1/2). 0, -1 out of memory. */
int pprof_table_reserve(struct pprof_table *t);

/* The index of the entry with this hash that eq accepts, or UINT32_MAX
 * with *pos set to the empty slot where it belongs (for pprof_table_put,
 * valid until the table changes). Call pprof_table_reserve first. */
uint32_t pprof_table_find(const struct pprof_table *t, uint64_t hash, pprof_table_eq_fn eq,
			  const void *ctx, size_t *pos);

void pprof_table_put(struct pprof_table *t, size_t pos, uint64_t hash, uint32_t index);

void pprof_table_free(struct pprof_table *t);

/* Hash of n bytes, chained through seed (hash one part, pass the result as
 * the next part's seed). Not cryptographic: keys are the caller's own. */
uint64_t pprof_hash(const void *data, size_t n, uint64_t seed);

#endif
