/* The model cache written in a thread (model_cache_writer.h). */
#include "model_cache_writer.h"

#include "model_cache.h"

static void *writer_main(void *arg)
{
	struct model_cache_writer *w = arg;
	struct analyzer_error err;
	model_cache_write(w->dir, w->m, w->info, w->info->cache_fingerprint, &err);
	return NULL;
}

void model_cache_writer_start(struct model_cache_writer *w, const char *dir, const struct model *m,
			      const struct model_load_info *info)
{
	*w = (struct model_cache_writer){ .dir = dir, .m = m, .info = info };
	if (!info->from_cache && info->cache_fingerprinted)
		w->started = pthread_create(&w->thread, NULL, writer_main, w) == 0;
}

void model_cache_writer_join(struct model_cache_writer *w)
{
	if (w->started)
		pthread_join(w->thread, NULL);
	w->started = false;
}
