/*
 * The file format shared by the caches kept next to a trace (the model's,
 * model_cache.h, and the analysis', analysis_cache.h): records written as
 * they are in memory, arrays as a count and their bytes, a checksum of
 * everything at the end, written to a temporary file renamed into place.
 * A failure anywhere (short read, bad count, wrong checksum) just makes
 * the cache unusable: the caller recomputes.
 */
#ifndef ANALYZER_MODEL_CACHE_IO_H
#define ANALYZER_MODEL_CACHE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reader.h"

/* FNV-1a, for fingerprints. */
uint64_t cache_fnv(uint64_t h, const void *p, size_t n);

/* True for the caches' file names and their temporary files: they are not
 * part of the trace they describe (model_cache_fingerprint skips them). */
bool cache_is_cache_file(const char *name);

struct cache_out {
	FILE *f;
	uint64_t sum;
	bool failed;
	char path[4200], tmp[4200];
};

/* Starts DIR/NAME (through a temporary file). 0, or -1 with err. */
int cache_out_open(struct cache_out *o, const char *dir, const char *name, struct analyzer_error *err);
void cache_put(struct cache_out *o, const void *p, size_t n);
void cache_put_u64(struct cache_out *o, uint64_t v);
/* count records of elem bytes at p, as count then bytes. */
void cache_put_array(struct cache_out *o, const void *p, size_t count, size_t elem);
/* Appends the checksum and renames the file into place; on any failure
 * removes it. 0, or -1 with err. */
int cache_out_commit(struct cache_out *o, struct analyzer_error *err);

struct cache_in {
	FILE *f;
	uint64_t sum;
	bool failed;
	size_t max;        /* the file's size: no array can be larger */
};

/* Opens DIR/NAME; false when there is none. */
bool cache_in_open(struct cache_in *in, const char *dir, const char *name);
bool cache_get(struct cache_in *in, void *p, size_t n);
/* An array written by cache_put_array: malloc'd (NULL when empty), its
 * length in *count. On failure in->failed is set. */
void *cache_get_array(struct cache_in *in, size_t elem, size_t *count);
/* Reads and checks the checksum, that nothing follows, and closes the
 * file. True when everything read was intact. */
bool cache_in_finish(struct cache_in *in);

#endif
