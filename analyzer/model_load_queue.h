/*
 * The hand-over between a decoding thread and the thread that builds the
 * model (model_load_parallel.c): decoded events in chunks, each holding
 * its events' strings, frames and build-id bytes in an arena of its own
 * (a model_event only borrows them), passed through a queue with a fixed
 * number of chunks so memory stays bounded whatever the trace's size: the
 * decoder waits for a free chunk when the builder falls behind.
 *
 * One producer and one consumer per queue.
 */
#ifndef ANALYZER_MODEL_LOAD_QUEUE_H
#define ANALYZER_MODEL_LOAD_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model_event.h"

/* One decoded event or gap and where it goes in the merged order. */
struct load_record {
	int64_t order_ns;           /* analyzer_event.order_ns */
	uint32_t stream;            /* the producer's stream number */
	struct model_event ev;      /* MEV_GAP: u.gap (its ts is set when fed) */
};

struct load_chunk {
	struct load_record *recs;
	size_t n, cap;
	char *arena;                /* what recs' pointers point to */
	size_t used, arena_cap;
	struct load_chunk *next;
};

/* Copies ev into chunk with its strings, frames and bytes. Returns false
 * when it does not fit: push the chunk and retry in an empty one (an
 * empty chunk grows to fit; false there means out of memory). */
bool load_chunk_add(struct load_chunk *c, int64_t order_ns, uint32_t stream,
		    const struct model_event *ev);

struct load_queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct load_chunk *full, *full_tail;  /* filled, oldest first */
	struct load_chunk *empty;             /* to be filled */
	bool done;                            /* the producer pushed its last */
	bool cancelled;                       /* the consumer wants no more */
	struct load_chunk *all;               /* every chunk, for freeing */
	size_t nall;
};

/* A queue of nchunks chunks; -1 when out of memory (then free it). */
int load_queue_init(struct load_queue *q, size_t nchunks);
void load_queue_free(struct load_queue *q);

/* Producer: an empty chunk, waiting for one; NULL once cancelled. */
struct load_chunk *load_queue_take_empty(struct load_queue *q);
/* Producer: hands a filled chunk over (an empty one is taken back). */
void load_queue_push(struct load_queue *q, struct load_chunk *c);
/* Producer: no more chunks. */
void load_queue_finish(struct load_queue *q);

/* Consumer: the oldest filled chunk, waiting for one; NULL when the
 * producer finished and all was taken. */
struct load_chunk *load_queue_pop(struct load_queue *q);
/* Consumer: gives a chunk back once its events were used. */
void load_queue_recycle(struct load_queue *q, struct load_chunk *c);
/* Consumer: stops the producer (take_empty returns NULL from now on). */
void load_queue_cancel(struct load_queue *q);

#endif
