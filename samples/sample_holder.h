/*
 * The samples' injected lock wait: a thread that, when asked, takes a
 * mutex and holds it for a set time while the asking thread waits for it
 * (request_loop's maintenance thread, rare_spikes' holder).
 *
 * Holds are counted rather than flagged, and a hold starts only once the
 * asker has seen it taken and is on its way to block on the mutex: on a
 * busy machine the asker may run late, and a flag set and cleared again
 * before it looked left it waiting forever, or an early release left it
 * no wait at all. So the asker's wait lasts the whole hold.
 */
#ifndef SAMPLE_HOLDER_H
#define SAMPLE_HOLDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <ctrace/ctrace.h>

#include "sample_util.h"

struct sample_holder {
	pthread_t thread;
	pthread_mutex_t *lock;         /* the mutex held */
	uint64_t hold_ns;
	const char *name;              /* the thread's name, NULL: inherited */
	const char *region;            /* a ctrace region around each hold, or NULL */
	pthread_mutex_t ctl;
	pthread_cond_t cond;
	bool requested, quit;
	uint64_t taken, seen;          /* holds taken, and seen by the asker */
};

static void *sample_holder_main(void *arg)
{
	struct sample_holder *h = arg;
	if (h->name)
		pthread_setname_np(pthread_self(), h->name);
	pthread_mutex_lock(&h->ctl);
	for (;;) {
		while (!h->requested && !h->quit)
			pthread_cond_wait(&h->cond, &h->ctl);
		if (h->quit)
			break;
		h->requested = false;
		pthread_mutex_lock(h->lock);
		h->taken++;
		pthread_cond_broadcast(&h->cond);
		while (h->seen != h->taken)
			pthread_cond_wait(&h->cond, &h->ctl);
		pthread_mutex_unlock(&h->ctl);
		if (h->region)
			ctrace_region_begin(h->region);
		sample_sleep_ns(h->hold_ns);
		if (h->region)
			ctrace_region_end(h->region);
		pthread_mutex_unlock(h->lock);
		pthread_mutex_lock(&h->ctl);
	}
	pthread_mutex_unlock(&h->ctl);
	return NULL;
}

static inline void sample_holder_start(struct sample_holder *h, pthread_mutex_t *lock,
				       uint64_t hold_ns, const char *name, const char *region)
{
	*h = (struct sample_holder){ .lock = lock, .hold_ns = hold_ns, .name = name,
				     .region = region };
	pthread_mutex_init(&h->ctl, NULL);
	pthread_cond_init(&h->cond, NULL);
	pthread_create(&h->thread, NULL, sample_holder_main, h);
}

/* Returns once the holder has taken its mutex and will hold it for
 * hold_ns from now on: the caller's next lock of it waits that long. */
static inline void sample_holder_take(struct sample_holder *h)
{
	pthread_mutex_lock(&h->ctl);
	uint64_t before = h->taken;
	h->requested = true;
	pthread_cond_broadcast(&h->cond);
	while (h->taken == before)
		pthread_cond_wait(&h->cond, &h->ctl);
	h->seen = h->taken;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->ctl);
}

static inline void sample_holder_stop(struct sample_holder *h)
{
	pthread_mutex_lock(&h->ctl);
	h->quit = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->ctl);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->ctl);
}

#endif
