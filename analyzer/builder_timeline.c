/*
 * State timelines and CPU timelines in the builder (derivation rules in
 * model.h).
 *
 * A thread's timeline only grows at its tail, with one exception: a traced
 * wait arrives when it ends, carrying its begin, so it rewrites the tail
 * back to its begin (the scheduler's view of that span — off CPU, maybe
 * briefly on it spinning — gives way to the wait). `freeze` bounds how far
 * back a rewrite may go: past the previous wait's end and the previous
 * counter flush the timeline is final, which keeps the work per event
 * proportional to what changed since.
 */
#include <assert.h>
#include <string.h>

#include "builder_internal.h"

static bool iv_same(const struct model_interval *a, const struct model_interval *b)
{
	return a->state == b->state && a->aux == b->aux && a->flags == b->flags;
}

static int iv_append(struct model_builder *b, struct model_thread *t, struct model_interval iv)
{
	/* One state at every instant: intervals start strictly in order. */
	assert(t->niv == 0 || iv.start > t->iv[t->niv - 1].start);
	assert(iv.state < MODEL_NSTATES);
	if (!model_vec_reserve(&t->iv, &t->ivcap, t->niv + 1, sizeof *t->iv))
		return builder_oom(b);
	t->iv[t->niv++] = iv;
	return 0;
}

int builder_tl_push(struct model_builder *b, uint32_t th, uint64_t ts, uint8_t state,
		    uint32_t aux, uint8_t flags)
{
	struct model_thread *t = &b->m.threads[th];
	struct model_interval iv = { .start = ts, .aux = aux, .state = state, .flags = flags };
	if (t->niv == 0) {
		if (iv.start < t->tl_begin)
			iv.start = t->tl_begin;
		t->tl_begin = iv.start;
		return iv_append(b, t, iv);
	}
	struct model_interval *last = &t->iv[t->niv - 1];
	if (iv.start < last->start)
		iv.start = last->start;
	if (iv_same(last, &iv))
		return 0;
	if (iv.start == last->start) {
		/* The last state lasted no time: replace it. */
		*last = iv;
		if (t->niv >= 2 && iv_same(&t->iv[t->niv - 2], last))
			t->niv--;
		return 0;
	}
	return iv_append(b, t, iv);
}

static uint8_t base_flags(const struct model_builder *b, uint32_t th, uint8_t state)
{
	if (state == MODEL_UNKNOWN)
		return 0;
	return b->m.threads[th].flags & MODEL_TH_SCHED ? 0 : MODEL_IV_ESTIMATED;
}

int builder_tl_base(struct model_builder *b, uint32_t th, uint64_t ts, uint8_t state,
		    uint32_t aux)
{
	struct bthread *bt = &b->bt[th];
	bt->base_state = state;
	bt->base_aux = aux;
	return builder_tl_push(b, th, ts, state, aux, base_flags(b, th, state));
}

int builder_tl_own_event(struct model_builder *b, uint32_t th, uint64_t ts, int32_t cpu)
{
	struct bthread *bt = &b->bt[th];
	if (bt->base_state == MODEL_RUNNING)
		return 0;
	const struct model_thread *t = &b->m.threads[th];
	if ((t->flags & MODEL_TH_SCHED) && bt->base_state != MODEL_UNKNOWN &&
	    bt->base_state != BUILDER_NO_STATE)
		builder_warn(b, MODEL_W_SCHED_MISMATCH);
	uint32_t aux = (t->flags & MODEL_TH_SCHED) && cpu >= 0 ? (uint32_t)cpu : MODEL_NONE;
	return builder_tl_base(b, th, ts, MODEL_RUNNING, aux);
}

int builder_tl_wait(struct model_builder *b, uint32_t th, uint64_t from, uint64_t to,
		    uint8_t state, uint32_t aux)
{
	struct model_thread *t = &b->m.threads[th];
	struct bthread *bt = &b->bt[th];
	uint64_t lo = bt->freeze > t->tl_begin ? bt->freeze : t->tl_begin;
	if (from > to)
		from = to;
	if (from < lo) {
		builder_warn(b, MODEL_W_WAIT_CLAMPED);
		from = lo;
	}
	if (to <= from)
		return 0;
	while (t->niv > 0 && t->iv[t->niv - 1].start >= from)
		t->niv--;
	if (builder_tl_push(b, th, from, state, aux, 0) != 0)
		return -1;
	uint8_t base = bt->base_state == BUILDER_NO_STATE ? MODEL_UNKNOWN : bt->base_state;
	if (builder_tl_push(b, th, to, base, bt->base_aux, base_flags(b, th, base)) != 0)
		return -1;
	bt->freeze = to;
	return 0;
}

/* Inserts iv at index i of t's timeline. */
static int iv_insert(struct model_builder *b, struct model_thread *t, size_t i,
		     struct model_interval iv)
{
	if (!model_vec_reserve(&t->iv, &t->ivcap, t->niv + 1, sizeof *t->iv))
		return builder_oom(b);
	memmove(&t->iv[i + 1], &t->iv[i], (t->niv - i) * sizeof *t->iv);
	t->iv[i] = iv;
	t->niv++;
	assert(i == 0 || t->iv[i - 1].start < iv.start);
	assert(i + 1 == t->niv || iv.start < t->iv[i + 1].start);
	return 0;
}

/* Merges equal neighbours from index first on. */
static void iv_compact(struct model_thread *t, size_t first)
{
	if (t->niv == 0)
		return;
	size_t j = first;
	for (size_t i = first + 1; i < t->niv; i++) {
		if (iv_same(&t->iv[j], &t->iv[i]))
			continue;
		t->iv[++j] = t->iv[i];
	}
	t->niv = j + 1;
}

int64_t builder_tl_short(struct model_builder *b, uint32_t th, uint64_t from, uint64_t to,
			 uint64_t amount, uint8_t state)
{
	struct model_thread *t = &b->m.threads[th];
	if (from < t->tl_begin)
		from = t->tl_begin;
	if (amount == 0 || t->niv == 0 || to <= from)
		return 0;
	/* A boundary at `to`, so the pieces converted end there at the latest. */
	struct model_interval last = t->iv[t->niv - 1];
	if (last.start > to)
		return 0;
	if (last.start < to) {
		last.start = to;
		if (iv_append(b, t, last) != 0)
			return -1;
	}
	size_t e = t->niv - 1;   /* t->iv[e].start == to */
	uint64_t remaining = amount;
	static const uint8_t order[] = { MODEL_OTHER, MODEL_RUNNING, MODEL_RUNNABLE };
	size_t lowest = e;
	for (size_t p = 0; p < sizeof order && remaining; p++) {
		for (size_t i = e; i-- > 0 && remaining;) {
			uint64_t s = t->iv[i].start, en = t->iv[i + 1].start;
			if (en <= from)
				break;
			if (t->iv[i].state != order[p])
				continue;
			uint64_t ps = s > from ? s : from;
			uint64_t take = en - ps < remaining ? en - ps : remaining;
			struct model_interval iv = { .start = en - take, .aux = MODEL_NONE,
						     .state = state, .flags = MODEL_IV_SHORT };
			if (iv.start == s) {
				t->iv[i] = iv;
			} else {
				if (iv_insert(b, t, i + 1, iv) != 0)
					return -1;
				e++;
			}
			remaining -= take;
			if (i < lowest)
				lowest = i;
		}
	}
	iv_compact(t, lowest > 0 ? lowest - 1 : 0);
	return (int64_t)(amount - remaining);
}

int builder_cpu_set(struct model_builder *b, int32_t cpu, uint64_t ts, uint32_t thread)
{
	if (cpu < 0 || cpu >= 4096)
		return 0;
	struct model *m = &b->m;
	while (m->n_cpus <= (size_t)cpu)
		if (!MODEL_PUSH(m, cpus))
			return builder_oom(b);
	struct model_cpu *c = &m->cpus[cpu];
	if (c->n > 0) {
		struct model_cpu_slice *last = &c->v[c->n - 1];
		if (ts < last->start)
			ts = last->start;
		if (last->thread == thread)
			return 0;
		if (last->start == ts) {
			last->thread = thread;
			if (c->n >= 2 && c->v[c->n - 2].thread == thread)
				c->n--;
			return 0;
		}
	}
	struct model_cpu_slice *s = MODEL_VEC_PUSH(c->v, c->n, c->cap);
	if (!s)
		return builder_oom(b);
	s->start = ts;
	s->thread = thread;
	return 0;
}

int builder_on_sched_switch(struct model_builder *b, const struct model_event *ev)
{
	uint32_t th = builder_thread(b, ev->pid, ev->tid, ev->ts, BUILDER_SEEN_OTHER, ev->cpu);
	if (th == MODEL_NONE)
		return -1;
	b->m.threads[th].flags |= MODEL_TH_SCHED;
	if (!ev->u.sched_switch.out) {
		uint32_t aux = ev->cpu >= 0 ? (uint32_t)ev->cpu : MODEL_NONE;
		if (builder_tl_base(b, th, ev->ts, MODEL_RUNNING, aux) != 0)
			return -1;
		return builder_cpu_set(b, ev->cpu, ev->ts, th);
	}
	uint8_t state = ev->u.sched_switch.preempted ? MODEL_RUNNABLE : MODEL_OTHER;
	if (builder_tl_base(b, th, ev->ts, state, MODEL_NONE) != 0)
		return -1;
	if (ev->cpu >= 0 && (size_t)ev->cpu < b->m.n_cpus) {
		const struct model_cpu *c = &b->m.cpus[ev->cpu];
		uint32_t cur = c->n ? c->v[c->n - 1].thread : MODEL_CPU_UNKNOWN;
		if (cur == th || cur == MODEL_CPU_UNKNOWN)
			return builder_cpu_set(b, ev->cpu, ev->ts, MODEL_CPU_IDLE);
	}
	return 0;
}

int builder_on_gap(struct model_builder *b, const struct model_event *ev)
{
	b->m.gaps++;
	b->m.discarded_events += ev->u.gap.count;
	builder_warn(b, MODEL_W_GAP);
	for (size_t i = 0; i < b->m.n_threads; i++)
		if (b->bt[i].alive &&
		    builder_tl_base(b, (uint32_t)i, ev->ts, MODEL_UNKNOWN, MODEL_NONE) != 0)
			return -1;
	for (size_t c = 0; c < b->m.n_cpus; c++)
		if (builder_cpu_set(b, (int32_t)c, ev->ts, MODEL_CPU_UNKNOWN) != 0)
			return -1;
	return 0;
}
