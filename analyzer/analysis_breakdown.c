/*
 * Breakdowns of wall time into states (analysis.h): regions and threads
 * read their thread's timeline; tasks merge the timelines of the threads
 * attached to them with a sweep over interval boundaries.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "model_store.h"

/* Most active first: which state a task is in when several threads work
 * for it at once. */
static const uint8_t task_priority[MODEL_NSTATES] = {
	MODEL_RUNNING, MODEL_RUNNABLE, MODEL_SYSCALL, MODEL_LOCK_WAIT, MODEL_OTHER, MODEL_UNKNOWN,
};

struct boundary {
	uint64_t ts;
	int32_t delta;
	uint8_t state;
};

/* The scratch memory of analysis_internal.h, typed. */
struct sweep {
	struct boundary *v;
	size_t n, cap;
};
_Static_assert(sizeof(struct sweep) == sizeof(struct analysis_scratch), "sweep is the scratch");

static int boundary_cmp(const void *x, const void *y)
{
	const struct boundary *a = x, *b = y;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* Adds the boundaries of thread t's intervals within [from, to). */
static int sweep_add_thread(struct sweep *s, const struct model_thread *t, uint64_t from,
			    uint64_t to)
{
	uint32_t i = model_interval_at(t, from > t->tl_begin ? from : t->tl_begin);
	for (size_t k = i == MODEL_NONE ? t->niv : i; k < t->niv; k++) {
		uint64_t b = t->iv[k].start, e = model_interval_end(t, k);
		if (b >= to)
			break;
		if (b < from)
			b = from;
		if (e > to)
			e = to;
		if (e <= b)
			continue;
		if (!model_vec_reserve(&s->v, &s->cap, s->n + 2, sizeof *s->v))
			return -1;
		s->v[s->n++] = (struct boundary){ b, +1, t->iv[k].state };
		s->v[s->n++] = (struct boundary){ e, -1, t->iv[k].state };
	}
	return 0;
}

static uint8_t sweep_state(const int32_t count[MODEL_NSTATES])
{
	for (int p = 0; p < MODEL_NSTATES; p++)
		if (count[task_priority[p]] > 0)
			return task_priority[p];
	return MODEL_OTHER;   /* no thread works for the task */
}

static int task_breakdown(const struct analysis *a, struct sweep *s, uint32_t task,
			  struct model_breakdown *out)
{
	const struct model *m = a->m;
	const struct model_task *t = &m->tasks[task];
	*out = (struct model_breakdown){ 0 };
	s->n = 0;
	const struct analysis_index *ix = &a->task_attaches;
	for (size_t k = ix->off[task]; k < ix->off[task + 1]; k++) {
		const struct model_task_attach *at = &m->attaches[ix->idx[k]];
		uint64_t from = at->from > t->begin ? at->from : t->begin;
		uint64_t to = at->to < t->end ? at->to : t->end;
		if (to > from && sweep_add_thread(s, &m->threads[at->thread], from, to) != 0)
			return -1;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, boundary_cmp);
	int32_t count[MODEL_NSTATES] = { 0 };
	uint64_t cur = t->begin;
	for (size_t i = 0; i < s->n;) {
		uint64_t ts = s->v[i].ts;
		if (ts > cur) {
			out->ns[sweep_state(count)] += ts - cur;
			cur = ts;
		}
		for (; i < s->n && s->v[i].ts == ts; i++)
			count[s->v[i].state] += s->v[i].delta;
	}
	if (t->end > cur)
		out->ns[sweep_state(count)] += t->end - cur;
	return 0;
}

static void region_breakdown(const struct analysis *a, uint32_t region, struct model_breakdown *out)
{
	const struct model *m = a->m;
	const struct model_region *r = &m->regions[region];
	*out = (struct model_breakdown){ 0 };
	model_thread_breakdown(&m->threads[r->thread], r->begin, r->end, out);
	/* Time outside the thread's timeline (a region reaching past a thread
	 * the trace lost track of) is not known. */
	out->ns[MODEL_UNKNOWN] += (r->end - r->begin) - model_breakdown_total(out);
}

int analysis_instance_breakdown_with(const struct analysis *a, uint8_t kind, uint32_t instance,
				     struct model_breakdown *out, struct analysis_scratch *scratch)
{
	if (kind == ANALYSIS_REGION) {
		if (a->region_bd)
			*out = a->region_bd[instance];
		else
			region_breakdown(a, instance, out);
		return 0;
	}
	if (a->task_bd) {
		*out = a->task_bd[instance];
		return 0;
	}
	struct sweep s;
	memcpy(&s, scratch, sizeof s);
	int rc = task_breakdown(a, &s, instance, out);
	memcpy(scratch, &s, sizeof s);
	return rc;
}

int analysis_instance_breakdown(const struct analysis *a, uint8_t kind, uint32_t instance,
				struct model_breakdown *out)
{
	struct analysis_scratch scratch = { 0 };
	int rc = analysis_instance_breakdown_with(a, kind, instance, out, &scratch);
	free(scratch.v);
	return rc;
}

int analysis_breakdowns(struct analysis *a)
{
	const struct model *m = a->m;
	a->thread_bd = calloc(m->n_threads ? m->n_threads : 1, sizeof *a->thread_bd);
	if (!a->thread_bd)
		return -1;
	if (a->opt.keep_instance_breakdowns) {
		a->region_bd = calloc(m->n_regions ? m->n_regions : 1, sizeof *a->region_bd);
		a->task_bd = calloc(m->n_tasks ? m->n_tasks : 1, sizeof *a->task_bd);
		if (!a->region_bd || !a->task_bd)
			return -1;
		for (size_t i = 0; i < m->n_regions; i++)
			region_breakdown(a, (uint32_t)i, &a->region_bd[i]);
		struct sweep s = { 0 };
		for (size_t i = 0; i < m->n_tasks; i++) {
			if (task_breakdown(a, &s, (uint32_t)i, &a->task_bd[i]) != 0) {
				free(s.v);
				return -1;
			}
		}
		free(s.v);
	}
	for (size_t i = 0; i < m->n_threads; i++) {
		const struct model_thread *t = &m->threads[i];
		uint64_t from = t->tl_begin > a->opt.from_ns ? t->tl_begin : a->opt.from_ns;
		uint64_t to = t->tl_end < a->opt.to_ns ? t->tl_end : a->opt.to_ns;
		model_thread_breakdown(t, from, to, &a->thread_bd[i]);
	}
	return 0;
}
