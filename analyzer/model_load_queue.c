/*
 * Chunks of decoded events and their bounded queue (model_load_queue.h).
 */
#include "model_load_queue.h"

#include <stdlib.h>
#include <string.h>

#define LOAD_CHUNK_EVENTS 2048
#define LOAD_CHUNK_ARENA (64 * 1024)

/* Copies n bytes into the arena (aligned for uint64_t); NULL when full. */
static void *chunk_copy(struct load_chunk *c, const void *p, size_t n)
{
	size_t at = (c->used + 7) & ~(size_t)7;
	if (at + n > c->arena_cap)
		return NULL;
	memcpy(c->arena + at, p, n);
	c->used = at + n;
	return c->arena + at;
}

static bool chunk_string(struct load_chunk *c, const char **s)
{
	if (!*s)
		return true;
	const char *copy = chunk_copy(c, *s, strlen(*s) + 1);
	if (copy)
		*s = copy;
	return copy != NULL;
}

/* The bytes ev borrows, to size an arena that must hold them. */
static size_t event_borrowed_bytes(const struct model_event *ev)
{
	const char *s[2] = { NULL, NULL };
	size_t n = ev->nframes * sizeof *ev->frames + 64;
	switch (ev->type) {
	case MEV_PROCESS_START: s[0] = ev->u.process_start.exe; break;
	case MEV_THREAD_NAME: s[0] = ev->u.thread_name.name; break;
	case MEV_REGION_BEGIN: s[0] = ev->u.region_begin.name; break;
	case MEV_REGION_END: s[0] = ev->u.region_end.name; break;
	case MEV_TASK_BEGIN: s[0] = ev->u.task_begin.name; break;
	case MEV_LOG: s[0] = ev->u.log.category; s[1] = ev->u.log.message; break;
	case MEV_LABEL_PUSH: s[0] = ev->u.label_push.key; s[1] = ev->u.label_push.value; break;
	case MEV_SCHED_COMM: s[0] = ev->u.sched_comm.comm; break;
	case MEV_PROCNAME: s[0] = ev->u.procname.name; break;
	case MEV_MODULE_LOAD: s[0] = ev->u.module.path; break;
	case MEV_MODULE_BUILD_ID: n += ev->u.build_id.len; break;
	default: break;
	}
	for (int i = 0; i < 2; i++)
		n += s[i] ? strlen(s[i]) + 8 : 0;
	return n;
}

/* Points the copy's borrowed members at copies in the arena. */
static bool chunk_own(struct load_chunk *c, struct model_event *e)
{
	bool ok = true;
	if (e->nframes) {
		const uint64_t *f = chunk_copy(c, e->frames, e->nframes * sizeof *e->frames);
		ok = f != NULL;
		e->frames = f;
	}
	switch (e->type) {
	case MEV_PROCESS_START: ok = ok && chunk_string(c, &e->u.process_start.exe); break;
	case MEV_THREAD_NAME: ok = ok && chunk_string(c, &e->u.thread_name.name); break;
	case MEV_REGION_BEGIN: ok = ok && chunk_string(c, &e->u.region_begin.name); break;
	case MEV_REGION_END: ok = ok && chunk_string(c, &e->u.region_end.name); break;
	case MEV_TASK_BEGIN: ok = ok && chunk_string(c, &e->u.task_begin.name); break;
	case MEV_LOG:
		ok = ok && chunk_string(c, &e->u.log.category) && chunk_string(c, &e->u.log.message);
		break;
	case MEV_LABEL_PUSH:
		ok = ok && chunk_string(c, &e->u.label_push.key) && chunk_string(c, &e->u.label_push.value);
		break;
	case MEV_SCHED_COMM: ok = ok && chunk_string(c, &e->u.sched_comm.comm); break;
	case MEV_PROCNAME: ok = ok && chunk_string(c, &e->u.procname.name); break;
	case MEV_MODULE_LOAD: ok = ok && chunk_string(c, &e->u.module.path); break;
	case MEV_MODULE_BUILD_ID:
		if (e->u.build_id.len) {
			const uint8_t *b = chunk_copy(c, e->u.build_id.bytes, e->u.build_id.len);
			ok = ok && b;
			e->u.build_id.bytes = b;
		}
		break;
	default: break;
	}
	return ok;
}

bool load_chunk_add(struct load_chunk *c, int64_t order_ns, uint32_t stream,
		    const struct model_event *ev)
{
	if (c->n == c->cap)
		return false;
	if (c->n == 0) {
		size_t need = event_borrowed_bytes(ev);
		if (need > c->arena_cap) {
			char *grown = realloc(c->arena, need);
			if (!grown)
				return false;
			c->arena = grown;
			c->arena_cap = need;
		}
	}
	struct load_record *r = &c->recs[c->n];
	size_t used = c->used;
	r->order_ns = order_ns;
	r->stream = stream;
	r->ev = *ev;
	if (!chunk_own(c, &r->ev)) {
		c->used = used;
		return false;
	}
	c->n++;
	return true;
}

int load_queue_init(struct load_queue *q, size_t nchunks)
{
	*q = (struct load_queue){ 0 };
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->all = calloc(nchunks, sizeof *q->all);
	if (!q->all)
		return -1;
	q->nall = nchunks;
	for (size_t i = 0; i < nchunks; i++) {
		struct load_chunk *c = &q->all[i];
		c->recs = malloc(LOAD_CHUNK_EVENTS * sizeof *c->recs);
		c->arena = malloc(LOAD_CHUNK_ARENA);
		if (!c->recs || !c->arena)
			return -1;
		c->cap = LOAD_CHUNK_EVENTS;
		c->arena_cap = LOAD_CHUNK_ARENA;
		c->next = q->empty;
		q->empty = c;
	}
	return 0;
}

void load_queue_free(struct load_queue *q)
{
	for (size_t i = 0; q->all && i < q->nall; i++) {
		free(q->all[i].recs);
		free(q->all[i].arena);
	}
	free(q->all);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	*q = (struct load_queue){ 0 };
}

struct load_chunk *load_queue_take_empty(struct load_queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->empty && !q->cancelled)
		pthread_cond_wait(&q->cv, &q->mu);
	struct load_chunk *c = NULL;
	if (!q->cancelled) {
		c = q->empty;
		q->empty = c->next;
		c->next = NULL;
		c->n = 0;
		c->used = 0;
	}
	pthread_mutex_unlock(&q->mu);
	return c;
}

void load_queue_push(struct load_queue *q, struct load_chunk *c)
{
	pthread_mutex_lock(&q->mu);
	c->next = NULL;
	if (q->full_tail)
		q->full_tail->next = c;
	else
		q->full = c;
	q->full_tail = c;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

void load_queue_finish(struct load_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->done = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

struct load_chunk *load_queue_pop(struct load_queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->full && !q->done)
		pthread_cond_wait(&q->cv, &q->mu);
	struct load_chunk *c = q->full;
	if (c) {
		q->full = c->next;
		if (!q->full)
			q->full_tail = NULL;
		c->next = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return c;
}

void load_queue_recycle(struct load_queue *q, struct load_chunk *c)
{
	pthread_mutex_lock(&q->mu);
	c->next = q->empty;
	q->empty = c;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

void load_queue_cancel(struct load_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->cancelled = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}
