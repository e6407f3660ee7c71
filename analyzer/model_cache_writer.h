/*
 * Writing the model cache in a thread of its own, beside whatever the
 * command does with the model next (analyze's analysis, the viewer's
 * layout): both only read the model. Used when the model was read from
 * the trace with the cache on; a read-only trace directory just gets no
 * cache.
 */
#ifndef ANALYZER_MODEL_CACHE_WRITER_H
#define ANALYZER_MODEL_CACHE_WRITER_H

#include <pthread.h>
#include <stdbool.h>

#include "model.h"
#include "model_load.h"

struct model_cache_writer {
	pthread_t thread;
	bool started;
	const char *dir;
	const struct model *m;
	const struct model_load_info *info;
};

/* Starts writing m (loaded from dir as info says) when it came from the
 * trace and was fingerprinted; otherwise does nothing. dir, m and info
 * must stay valid until model_cache_writer_join. */
void model_cache_writer_start(struct model_cache_writer *w, const char *dir, const struct model *m,
			      const struct model_load_info *info);
/* Waits for the write, if one was started; again is harmless. */
void model_cache_writer_join(struct model_cache_writer *w);

#endif
