/*
 * Loading a trace in several threads (model_load_internal.h): the stream
 * files are split into parts (reader_split.h), each part read and decoded
 * by a thread of its own into chunks of self-contained events
 * (model_load_queue.h), and the calling thread merges the parts' events
 * back into the order one babeltrace2 graph gives (by time from the clock
 * origin, ties by stream as the muxer breaks them, then by part) and
 * feeds the one model builder. The model is the same as a single read's.
 *
 * babeltrace2 decoding is most of a load's time, and it scales with the
 * parts; building the model stays on one thread.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "model_load_internal.h"
#include "model_load_queue.h"
#include "reader_split.h"

/* Per part: 8 chunks of 2048 events, ~3.5 MB. */
#define LOAD_QUEUE_CHUNKS 8
/* A part's streams (one per stream file). */
#define LOAD_MAX_STREAMS 256

struct load_worker {
	pthread_t thread;
	const char *label;
	const struct analyzer_trace_dirs *dirs;
	struct load_queue q;
	struct model_decoder dec;
	struct load_chunk *cur;     /* being filled */
	/* The part's streams: their ordering keys, numbered on first sight.
	 * Written before the chunks that refer to them are pushed. */
	const void *stream_ptr[LOAD_MAX_STREAMS];
	struct reader_stream_key keys[LOAD_MAX_STREAMS];
	uint32_t nstreams, last_stream;
	struct analyzer_read_stats stats;
	struct analyzer_error err;
	int rc;                     /* the read's result */
	int64_t last_order_ns;
	/* Time went backward: the muxer of a single read fails there (or
	 * the part's own muxer did), so the single read decides. */
	bool backward;
	bool oom, too_many_streams;
};

unsigned load_decode_threads(void)
{
	const char *env = getenv("CTRACE_DECODE_THREADS");
	if (env && *env) {
		char *end;
		unsigned long n = strtoul(env, &end, 10);
		if (!*end && n >= 1)
			return n > READER_SPLIT_MAX ? READER_SPLIT_MAX : (unsigned)n;
	}
	return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

static bool worker_stream(struct load_worker *w, const void *stream, uint32_t *out)
{
	if (w->nstreams && w->stream_ptr[w->last_stream] == stream) {
		*out = w->last_stream;
		return true;
	}
	uint32_t i = 0;
	while (i < w->nstreams && w->stream_ptr[i] != stream)
		i++;
	if (i == w->nstreams) {
		if (i == LOAD_MAX_STREAMS) {
			w->too_many_streams = true;
			return false;
		}
		w->stream_ptr[i] = stream;
		reader_stream_key_get(stream, &w->keys[i]);
		w->nstreams++;
	}
	*out = w->last_stream = i;
	return true;
}

/* Appends one record; non-zero stops the read (cancelled, out of memory). */
static int worker_add(struct load_worker *w, int64_t order_ns, const void *stream,
		      const struct model_event *me)
{
	uint32_t s;
	if (order_ns < w->last_order_ns) {
		w->backward = true;
		return 1;
	}
	w->last_order_ns = order_ns;
	if (!worker_stream(w, stream, &s))
		return 1;
	if (!w->cur && !(w->cur = load_queue_take_empty(&w->q)))
		return 1;
	if (load_chunk_add(w->cur, order_ns, s, me))
		return 0;
	if (w->cur->n > 0) {
		load_queue_push(&w->q, w->cur);
		if (!(w->cur = load_queue_take_empty(&w->q)))
			return 1;
		if (load_chunk_add(w->cur, order_ns, s, me))
			return 0;
	}
	w->oom = true;
	return 1;
}

static int worker_event(const struct analyzer_event *ev, void *user)
{
	struct load_worker *w = user;
	struct model_event me;
	if (model_decode(&w->dec, ev, &me) != 0) {
		w->oom = true;
		return 1;
	}
	return worker_add(w, ev->order_ns, ev->stream, &me);
}

static int worker_gap(const struct analyzer_gap *gap, void *user)
{
	struct model_event me = { .type = MEV_GAP, .cpu = -1 };
	me.u.gap.count = gap->count;
	me.u.gap.begin_ns = gap->begin_ns;
	me.u.gap.end_ns = gap->end_ns;
	return worker_add(user, gap->order_ns, gap->stream, &me);
}

static void *worker_main(void *arg)
{
	struct load_worker *w = arg;
	model_decoder_init(&w->dec);
	struct analyzer_read_options opt = { .event = worker_event, .gap = worker_gap, .user = w,
					     .unmuxed_single_stream = true };
	w->last_order_ns = INT64_MIN;
	int rc = analyzer_read_trace_dirs(w->label, w->dirs, &opt, &w->stats, &w->err);
	model_decoder_free(&w->dec);
	if (w->cur) {
		if (w->cur->n)
			load_queue_push(&w->q, w->cur);
		else
			load_queue_recycle(&w->q, w->cur);
		w->cur = NULL;
	}
	w->rc = rc;     /* published by load_queue_finish's lock */
	load_queue_finish(&w->q);
	return NULL;
}

/* The merge's view of one part: its current chunk and next record. */
struct load_head {
	struct load_chunk *c;
	size_t i;
};

/* Moves h to the part's next record; false when the part has no more. */
static bool head_next(struct load_worker *w, struct load_head *h)
{
	if (h->c && ++h->i < h->c->n)
		return true;
	if (h->c)
		load_queue_recycle(&w->q, h->c);
	h->i = 0;
	while ((h->c = load_queue_pop(&w->q)) && h->c->n == 0)
		load_queue_recycle(&w->q, h->c);
	return h->c != NULL;
}

/* Whether a finished part's read was not whole. */
static bool worker_failed(const struct load_worker *w)
{
	return w->rc != 0 || w->backward || w->oom || w->too_many_streams;
}

/* Whether part a's next record goes before part b's (a < b). */
static bool head_before(const struct load_worker *wa, const struct load_head *a,
			const struct load_worker *wb, const struct load_head *b)
{
	const struct load_record *ra = &a->c->recs[a->i], *rb = &b->c->recs[b->i];
	if (ra->order_ns != rb->order_ns)
		return ra->order_ns < rb->order_ns;
	return reader_stream_key_cmp(&wa->keys[ra->stream], &wb->keys[rb->stream]) < 0;
}

/* Merges the parts' records into sink until all are fed. Returns 0, 1
 * when a part failed (the others are cancelled), -1 when the sink
 * stopped. */
static int merge(struct load_worker *w, size_t n, const struct load_sink *sink)
{
	struct load_head heads[READER_SPLIT_MAX] = { 0 };
	int rc = 0;
	for (size_t p = 0; p < n; p++)
		if (!head_next(&w[p], &heads[p]) && worker_failed(&w[p]))
			rc = 1;
	while (rc == 0) {
		size_t best = n;
		for (size_t p = 0; p < n; p++)
			if (heads[p].c && (best == n || head_before(&w[p], &heads[p], &w[best], &heads[best])))
				best = p;
		if (best == n)
			break;
		const struct load_record *r = &heads[best].c->recs[heads[best].i];
		if ((r->ev.type == MEV_GAP
			     ? sink->gap(sink->user, r->ev.u.gap.count, r->ev.u.gap.begin_ns, r->ev.u.gap.end_ns)
			     : sink->event(sink->user, &r->ev)) != 0) {
			rc = -1;
			break;
		}
		if (!head_next(&w[best], &heads[best]) && worker_failed(&w[best]))
			rc = 1;
	}
	for (size_t p = 0; p < n; p++) {
		if (heads[p].c)
			load_queue_recycle(&w[p].q, heads[p].c);
		if (rc != 0)
			load_queue_cancel(&w[p].q);
	}
	return rc;
}

int load_parallel(const char *dir, unsigned nthreads, const struct load_sink *sink,
		  struct analyzer_read_stats *stats, bool *refeed, unsigned *parts)
{
	*refeed = false;
	*parts = 1;
	struct reader_split split;
	struct analyzer_error err;
	int rc = reader_split_create(dir, nthreads, &split, &err);
	if (rc != 0) {
		reader_split_free(&split);
		return 1;   /* the single read says what is wrong, if anything */
	}
	struct load_worker *w = calloc(split.nparts, sizeof *w);
	size_t started = 0;
	rc = w ? 0 : -1;
	for (size_t p = 0; p < split.nparts && rc == 0; p++) {
		w[p].label = dir;
		w[p].dirs = &split.parts[p];
		if (load_queue_init(&w[p].q, LOAD_QUEUE_CHUNKS) != 0) {
			load_queue_free(&w[p].q);
			rc = -1;
		} else if (pthread_create(&w[p].thread, NULL, worker_main, &w[p]) != 0) {
			load_queue_free(&w[p].q);
			rc = 1;
		} else {
			started++;
		}
	}
	if (rc == 0)
		rc = merge(w, started, sink);
	else
		for (size_t p = 0; p < started; p++)
			load_queue_cancel(&w[p].q);
	for (size_t p = 0; p < started; p++) {
		pthread_join(w[p].thread, NULL);
		if (rc == 0 && worker_failed(&w[p]))
			rc = 1;
		if (rc >= 0 && w[p].oom)
			rc = -1;
		stats->events += w[p].stats.events;
		stats->discarded_events += w[p].stats.discarded_events;
		stats->discarded_event_messages += w[p].stats.discarded_event_messages;
		stats->discarded_packets += w[p].stats.discarded_packets;
		load_queue_free(&w[p].q);
	}
	stats->trace_dirs = split.trace_dirs;
	free(w);
	reader_split_free(&split);
	if (rc == 0)
		*parts = (unsigned)started;
	if (rc == 1) {
		*refeed = started > 0;
		*stats = (struct analyzer_read_stats){ 0 };
	}
	return rc;
}
