/*
 * A cache of the model next to the trace it was built from
 * (DIR/ctrace-model.cache), so analyzing a trace again skips reading it:
 * the flat arrays of the model are written and read back as they are.
 *
 * A cache is used only when it was written by this build's layout for the
 * trace exactly as it is now (the fingerprint covers every file's path,
 * size and modification time); anything else makes it stale and the trace
 * is read again. The cache is trusted like the trace beside it: it is
 * checksummed and its model checked (model_check.h), not validated field
 * by field.
 */
#ifndef ANALYZER_MODEL_CACHE_H
#define ANALYZER_MODEL_CACHE_H

#include <stdint.h>

#include "model.h"
#include "model_load.h"

#define MODEL_CACHE_FILE "ctrace-model.cache"
/* Bumped whenever the model's layout or how it is built from a trace
 * changes: caches of another version are stale (the analysis cache is
 * keyed by it too). 5: states before a flight snapshot's history unknown; 6: only the
 * recorded program's process tree; 7: CPU samples' weight. */
#define MODEL_CACHE_VERSION 7u

/* A hash of every file under dir except the cache itself; -1 when dir
 * cannot be listed. */
int model_cache_fingerprint(const char *dir, uint64_t *out);

/* Writes m and info to DIR/ctrace-model.cache (through a temporary file
 * renamed into place). 0, or -1 with err (e.g. DIR is read-only). */
int model_cache_write(const char *dir, const struct model *m, const struct model_load_info *info,
		      uint64_t fingerprint, struct analyzer_error *err);

/* 1 with *out and *info filled from a cache matching fingerprint; 0 when
 * there is none usable (missing, stale, damaged: *out untouched). */
int model_cache_read(const char *dir, uint64_t fingerprint, struct model *out,
		     struct model_load_info *info);

#endif
