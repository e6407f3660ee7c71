/*
 * Model → pprof profile (pprof_export.h): one emitter per profile type
 * walks the model items the type is made of, asks pprof_export_where.c
 * where each happened and whether the filters keep it, and adds it with
 * its stack (pprof_export_stack.c).
 */
#include "pprof_export.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_error.h"
#include "ctrace_schema.h"
#include "pprof_export_internal.h"

/* ---- CPU samples -------------------------------------------------------- */

static uint64_t process_period(const struct model *m, uint32_t thread)
{
	const struct model_process *p = &m->processes[m->threads[thread].process];
	return p->has_settings ? p->settings.sample_period_ns : 0;
}

static bool in_window(const struct pxp *x, uint64_t ts)
{
	return ts >= x->from && ts < x->to;
}

/* Locations of a stack, or of one synthetic frame when it has none. */
static int stack_or(struct pxp *x, uint32_t stack, enum analyzer_stack_kind kind, uint32_t thread,
		    uint64_t ts, const char *none)
{
	uint32_t n = 0;
	if (stack != MODEL_NONE)
		model_stack_frames(x->m, stack, &n);
	int k = n ? pxp_stack_locations(x, stack, kind, thread, ts) : 0;
	if (k != 0)
		return k;
	if (pxp_locs_reserve(x, 1) || !(x->locs[0] = pxp_synthetic_location(x, none)))
		return -1;
	return 1;
}

static int emit_cpu(struct pxp *x)
{
	const struct model *m = x->m;
	for (size_t i = 0; i < m->n_samples; i++) {
		const struct model_sample *s = &m->samples[i];
		if (!in_window(x, s->ts))
			continue;
		struct pxp_where w = { .ts = s->ts, .thread = s->thread, .region = s->region,
				       .task = s->task, .labels = s->labels };
		if (!pxp_where_accepts(x, &w))
			continue;
		int n = stack_or(x, s->stack, ANALYZER_STACK_SAMPLE, s->thread, s->ts,
				 "[no stack: unwinding was unsafe]");
		/* A sample stands for weight periods of CPU (model.h). */
		int64_t periods = model_sample_weight(s);
		int64_t v[2] = { periods, periods * (int64_t)process_period(m, s->thread) };
		if (n < 0 || pxp_sample_add(x, &w, x->locs, (size_t)n, v))
			return -1;
	}
	return 0;
}

/* ---- time in a state: lock, syscall, sched ------------------------------ */

/* Fills x->locs for one interval of a state and says whether it starts a
 * new item (count 1) or continues one already counted (0). */
typedef int (*interval_locs_fn)(struct pxp *x, uint32_t thread, const struct model_interval *iv,
				uint64_t ts, uint8_t *seen, int64_t *count);

/* Leaf-first synthetic frames of up to three names, on top of the real
 * stack `stack` (thread's, seen at ts; an event's, so every frame a return
 * address) when there is one: the names keep what was waited on visible
 * in -top, the stack says which code waited. */
static int synthetic_stack(struct pxp *x, uint32_t stack, uint32_t thread, uint64_t ts,
			   const char *leaf, const char *mid, const char *root)
{
	const char *names[3] = { leaf, mid, root };
	size_t ns = 0;
	for (int i = 0; i < 3; i++)
		ns += names[i] != NULL;
	int k = stack == MODEL_NONE ? 0
				     : pxp_stack_locations(x, stack, ANALYZER_STACK_CALLS, thread, ts);
	if (k < 0 || pxp_locs_reserve(x, (size_t)k + ns))
		return -1;
	memmove(x->locs + ns, x->locs, (size_t)k * sizeof *x->locs);
	int n = 0;
	for (int i = 0; i < 3; i++) {
		if (!names[i])
			continue;
		if (!(x->locs[n] = pxp_synthetic_location(x, names[i])))
			return -1;
		n++;
	}
	return n + k;
}

static int64_t first_time(uint8_t *seen, uint32_t item)
{
	if (seen[item])
		return 0;
	seen[item] = 1;
	return 1;
}

static int lock_locs(struct pxp *x, uint32_t thread, const struct model_interval *iv, uint64_t ts,
		     uint8_t *seen, int64_t *count)
{
	if (iv->aux == MODEL_NONE || iv->aux >= x->m->n_waits) {
		*count = 0;
		return synthetic_stack(x, MODEL_NONE, thread, ts,
				       "[short lock waits, below the tracer's threshold]", NULL,
				       "[lock wait]");
	}
	const struct model_wait *w = &x->m->waits[iv->aux];
	*count = first_time(seen, iv->aux);
	char leaf[96];
	const char *kind = model_wait_kind_name(w->kind);
	if (w->kind == MODEL_WAIT_JOIN)
		snprintf(leaf, sizeof leaf, "join tid %d", w->blocker_tid);
	else
		snprintf(leaf, sizeof leaf, "%s 0x%" PRIx64, kind, w->addr);
	return synthetic_stack(x, w->stack, thread, ts, leaf, kind, "[lock wait]");
}

static int syscall_locs(struct pxp *x, uint32_t thread, const struct model_interval *iv,
			uint64_t ts, uint8_t *seen, int64_t *count)
{
	if (iv->aux == MODEL_NONE || iv->aux >= x->m->n_syscalls) {
		*count = 0;
		return synthetic_stack(x, MODEL_NONE, thread, ts,
				       "[short syscalls, below the tracer's threshold]", NULL,
				       "[syscall]");
	}
	const struct model_syscall *c = &x->m->syscalls[iv->aux];
	*count = first_time(seen, iv->aux);
	const char *name = model_sys_name(c->sys);
	char leaf[96];
	if (c->fd >= 0)
		snprintf(leaf, sizeof leaf, "%s(fd %d)", name, c->fd);
	else
		snprintf(leaf, sizeof leaf, "%s()", name);
	return synthetic_stack(x, c->stack, thread, ts, leaf, name, "[syscall]");
}

/* Where a runnable thread was: its latest CPU sample before it was
 * preempted (it ran until then, so that is the best guess there is). */
static int sched_locs(struct pxp *x, uint32_t thread, const struct model_interval *iv,
		      uint64_t ts, uint8_t *seen, int64_t *count)
{
	(void)seen;
	*count = 1;
	uint32_t s = pxp_sample_before(x, thread, iv->start);
	if (s == MODEL_NONE)
		return synthetic_stack(x, MODEL_NONE, thread, ts, "[runnable, no CPU sample before]",
				       NULL, NULL);
	return stack_or(x, x->m->samples[s].stack, ANALYZER_STACK_SAMPLE, thread, x->m->samples[s].ts,
			"[runnable, sample without stack]");
}

static int emit_state(struct pxp *x, enum model_state state, size_t n_items, interval_locs_fn fn)
{
	const struct model *m = x->m;
	uint8_t *seen = calloc(n_items + 1, 1);
	if (!seen)
		return -1;
	int rc = 0;
	for (uint32_t t = 0; t < m->n_threads && !rc; t++) {
		const struct model_thread *th = &m->threads[t];
		for (size_t i = 0; i < th->niv && !rc; i++) {
			if (th->iv[i].state != state)
				continue;
			uint64_t b = th->iv[i].start, e = model_interval_end(th, i);
			b = b > x->from ? b : x->from;
			e = e < x->to ? e : x->to;
			if (b >= e)
				continue;
			/* The thread emits nothing while in this state, so the
			 * context at b holds for the whole interval. */
			struct pxp_where w;
			pxp_where_at(x, t, b, &w);
			if (!pxp_where_accepts(x, &w))
				continue;
			int64_t v[2];
			int n = fn(x, t, &th->iv[i], b, seen, &v[0]);
			v[1] = (int64_t)(e - b);
			rc = n < 0 || pxp_sample_add(x, &w, x->locs, (size_t)n, v);
		}
	}
	free(seen);
	return rc ? -1 : 0;
}

static int emit_lock(struct pxp *x)
{
	return emit_state(x, MODEL_LOCK_WAIT, x->m->n_waits, lock_locs);
}

static int emit_syscall(struct pxp *x)
{
	return emit_state(x, MODEL_SYSCALL, x->m->n_syscalls, syscall_locs);
}

static int emit_sched(struct pxp *x)
{
	return emit_state(x, MODEL_RUNNABLE, 0, sched_locs);
}

/* ---- mutex: waiters' delay at the holder's unlock ----------------------- */

/* Waits ended by an unlock the tracer saw (not a wake, not a join). */
static bool ended_by_unlock(const struct model_wait *w)
{
	return w->release_ts != MODEL_NO_TS && w->kind != CTRACE_LOCK_COND &&
	       w->kind != CTRACE_LOCK_SEM && w->kind != MODEL_WAIT_JOIN;
}

/* 1 in N unlock stacks is kept, N not in the trace: measure it. */
static double mutex_scale(const struct model *m)
{
	size_t ended = 0, with_stack = 0;
	for (size_t i = 0; i < m->n_waits; i++) {
		if (!ended_by_unlock(&m->waits[i]))
			continue;
		ended++;
		with_stack += m->waits[i].release_stack != MODEL_NONE;
	}
	return with_stack ? (double)ended / (double)with_stack : 0;
}

static int emit_mutex(struct pxp *x)
{
	const struct model *m = x->m;
	double scale = mutex_scale(m);
	for (size_t i = 0; i < m->n_waits; i++) {
		const struct model_wait *wt = &m->waits[i];
		if (!ended_by_unlock(wt) || wt->release_stack == MODEL_NONE)
			continue;
		uint64_t b = wt->begin > x->from ? wt->begin : x->from;
		uint64_t e = wt->end < x->to ? wt->end : x->to;
		if (b >= e)
			continue;
		/* Labels and filters are the holder's, where it unlocked. */
		uint32_t holder = wt->blocker != MODEL_NONE ? wt->blocker : wt->thread;
		struct pxp_where w;
		pxp_where_at(x, holder, wt->release_ts, &w);
		if (!pxp_where_accepts(x, &w))
			continue;
		int n = stack_or(x, wt->release_stack, ANALYZER_STACK_CALLS, holder, wt->release_ts,
				 "[unlock]");
		int64_t v[2] = { llround(scale), llround((double)(e - b) * scale) };
		if (n < 0 || pxp_sample_add(x, &w, x->locs, (size_t)n, v))
			return -1;
	}
	return 0;
}

/* ---- allocations -------------------------------------------------------- */

static int emit_alloc(struct pxp *x)
{
	const struct model *m = x->m;
	for (size_t i = 0; i < m->n_alloc_samples; i++) {
		const struct model_alloc_sample *a = &m->alloc_samples[i];
		if (!in_window(x, a->ts))
			continue;
		struct pxp_where w;
		pxp_where_at(x, a->thread, a->ts, &w);
		w.region = a->region;
		w.labels = a->labels;
		if (!pxp_where_accepts(x, &w))
			continue;
		const struct model_process *p = &m->processes[m->threads[a->thread].process];
		double rate = p->has_settings ? (double)p->settings.alloc_sample_bytes : 0;
		/* As Go's scaleHeapSample: a sample of size s at mean spacing r
		 * stands for 1 / (1 - e^(-s/r)) allocations of that size. */
		double scale = rate > 1 && a->size ? 1 / (1 - exp(-(double)a->size / rate)) : 1;
		int n = stack_or(x, a->stack, ANALYZER_STACK_CALLS, a->thread, a->ts, "[no stack]");
		int64_t v[2] = { llround(scale), llround((double)a->size * scale) };
		if (n < 0 || pxp_sample_add(x, &w, x->locs, (size_t)n, v))
			return -1;
	}
	return 0;
}

/* ---- types -------------------------------------------------------------- */

static bool has_state(const struct model *m, enum model_state s)
{
	for (size_t t = 0; t < m->n_threads; t++)
		for (size_t i = 0; i < m->threads[t].niv; i++)
			if (m->threads[t].iv[i].state == s)
				return true;
	return false;
}

/* Why the trace cannot give this type of profile, NULL when it can. */
static const char *no_data(const struct model *m, enum pprof_export_type t)
{
	switch (t) {
	case PPROF_EXPORT_CPU:
		return m->n_samples ? NULL : "the trace has no CPU samples (recorded with sampling off?)";
	case PPROF_EXPORT_LOCK:
		return has_state(m, MODEL_LOCK_WAIT) ? NULL : "the trace has no lock waits";
	case PPROF_EXPORT_SYSCALL:
		return has_state(m, MODEL_SYSCALL) ? NULL : "the trace has no timed syscalls";
	case PPROF_EXPORT_SCHED:
		if (!m->has_sched)
			return "the trace has no scheduling data (recorded with --no-sched or without perf)";
		return has_state(m, MODEL_RUNNABLE) ? NULL : "no thread of the trace was ever runnable";
	case PPROF_EXPORT_MUTEX:
		return mutex_scale(m) > 0 ? NULL
					  : "the trace has no contended unlock with a recorded stack";
	case PPROF_EXPORT_ALLOC:
		return m->n_alloc_samples ? NULL : "the trace has no allocation samples";
	default:
		return "unknown profile type";
	}
}

struct type_desc {
	const char *name;
	struct pprof_value_type values[2];
	struct pprof_value_type period_type;
	int (*emit)(struct pxp *x);
	const char *what;
};

static const struct type_desc type_descs[PPROF_EXPORT_NTYPES] = {
	[PPROF_EXPORT_CPU] = { "cpu", { { "samples", "count" }, { "cpu", "nanoseconds" } },
			       { "cpu", "nanoseconds" }, emit_cpu, "CPU samples" },
	[PPROF_EXPORT_LOCK] = { "lock", { { "contentions", "count" }, { "delay", "nanoseconds" } },
				{ "contentions", "count" }, emit_lock,
				"lock wait time where the waiter blocked (leaf frames name the lock)" },
	[PPROF_EXPORT_SYSCALL] = { "syscall", { { "calls", "count" }, { "delay", "nanoseconds" } },
				   { "calls", "count" }, emit_syscall,
				   "time in timed syscalls at the call (leaf frames name the call)" },
	[PPROF_EXPORT_SCHED] = { "sched", { { "runnable", "count" }, { "delay", "nanoseconds" } },
				 { "runnable", "count" }, emit_sched,
				 "runnable time, at each thread's last CPU sample before it" },
	[PPROF_EXPORT_MUTEX] = { "mutex", { { "contentions", "count" }, { "delay", "nanoseconds" } },
				 { "contentions", "count" }, emit_mutex,
				 "waiters' delay at the holder's sampled unlock stacks" },
	[PPROF_EXPORT_ALLOC] = { "alloc", { { "alloc_objects", "count" }, { "alloc_space", "bytes" } },
				 { "space", "bytes" }, emit_alloc, "sampled allocations, scaled" },
};

const char *pprof_export_type_name(enum pprof_export_type t)
{
	return (unsigned)t < PPROF_EXPORT_NTYPES ? type_descs[t].name : "?";
}

int pprof_export_type_parse(const char *name, enum pprof_export_type *out)
{
	for (int t = 0; t < PPROF_EXPORT_NTYPES; t++)
		if (!strcmp(name, type_descs[t].name)) {
			*out = (enum pprof_export_type)t;
			return 0;
		}
	return -1;
}

static int64_t profile_period(const struct model *m, enum pprof_export_type t, double mutex)
{
	for (size_t i = 0; i < m->n_processes; i++) {
		const struct model_process *p = &m->processes[i];
		if (!p->has_settings)
			continue;
		if (t == PPROF_EXPORT_CPU)
			return (int64_t)p->settings.sample_period_ns;
		if (t == PPROF_EXPORT_ALLOC)
			return (int64_t)p->settings.alloc_sample_bytes;
	}
	return t == PPROF_EXPORT_MUTEX ? llround(mutex) : 1;
}

/* Period, time, comments and label keys. */
static int describe(struct pxp *x, const struct type_desc *d)
{
	const struct model *m = x->m;
	enum pprof_export_type t = x->opts->type;
	double mscale = t == PPROF_EXPORT_MUTEX ? mutex_scale(m) : 0;
	pprof_builder_set_time(x->b, (int64_t)x->from + x->opts->clock_offset_ns,
			       (int64_t)(x->to - x->from));
	char line[512];
	snprintf(line, sizeof line, "ctrace %s profile of %s: %s", d->name,
		 x->opts->trace_name ? x->opts->trace_name : "a trace", d->what);
	if (pprof_builder_set_period(x->b, d->period_type, profile_period(m, t, mscale)) ||
	    pprof_builder_add_comment(x->b, line) ||
	    pprof_builder_set_default_sample_type(x->b, d->values[1].type))
		return -1;
	if (t == PPROF_EXPORT_MUTEX) {
		snprintf(line, sizeof line,
			 "unlock stacks sampled: each stands for %.2f waits (measured in the trace)",
			 mscale);
		if (pprof_builder_add_comment(x->b, line))
			return -1;
	}
	x->k_thread = pprof_string_intern(x->b, "thread");
	x->k_tid = pprof_string_intern(x->b, "tid");
	x->k_region = pprof_string_intern(x->b, "region");
	x->k_regions = pprof_string_intern(x->b, "regions");
	x->k_task = pprof_string_intern(x->b, "task");
	return x->k_thread < 0 || x->k_tid < 0 || x->k_region < 0 || x->k_regions < 0 ||
	       x->k_task < 0 ? -1 : 0;
}

static void pxp_free(struct pxp *x)
{
	pxp_where_free(x);
	free(x->region_path);
	free(x->mapping_of);
	free(x->locs);
	free(x->sym_locs);
}

static struct pprof_builder *fail(struct pxp *x, enum pprof_export_status *status,
				  enum pprof_export_status st)
{
	*status = st;
	pprof_builder_destroy(x->b);
	pxp_free(x);
	return NULL;
}

struct pprof_builder *pprof_export_build(const struct model *m, struct analyzer_symbolizer *sym,
					 const struct pprof_export_opts *opts, size_t *samples_kept,
					 enum pprof_export_status *status, struct analyzer_error *err)
{
	struct pxp x = { .m = m, .sym = sym, .opts = opts };
	*samples_kept = 0;
	if ((unsigned)opts->type >= PPROF_EXPORT_NTYPES) {
		analyzer_error_set(err, "unknown profile type");
		return fail(&x, status, PPROF_EXPORT_BAD_FILTER);
	}
	const struct type_desc *d = &type_descs[opts->type];
	if (m->start_ns == MODEL_NO_TS) {
		analyzer_error_set(err, "the trace has no events");
		return fail(&x, status, PPROF_EXPORT_NO_DATA);
	}
	const char *why = no_data(m, opts->type);
	if (why) {
		analyzer_error_set(err, "%s profile: %s", d->name, why);
		return fail(&x, status, PPROF_EXPORT_NO_DATA);
	}
	if (pxp_filter_check(&x, err))
		return fail(&x, status, PPROF_EXPORT_BAD_FILTER);
	const struct pprof_export_filter *f = &opts->filter;
	x.from = m->start_ns + (f->from != MODEL_NO_TS ? f->from : 0);
	x.to = f->to != MODEL_NO_TS && f->to <= m->end_ns - m->start_ns ? m->start_ns + f->to
									 : m->end_ns + 1;
	struct pprof_error perr;
	x.b = pprof_builder_create(d->values, 2, &perr);
	x.region_path = malloc((m->n_regions ? m->n_regions : 1) * sizeof *x.region_path);
	if (!x.b || !x.region_path || pxp_where_init(&x)) {
		analyzer_error_set(err, "out of memory building the profile");
		return fail(&x, status, PPROF_EXPORT_FAILED);
	}
	for (size_t i = 0; i < m->n_regions; i++)
		x.region_path[i] = -1;
	if (describe(&x, d) || pxp_mappings_add(&x) || d->emit(&x)) {
		const char *e = pprof_builder_error(x.b);
		analyzer_error_set(err, "building the profile: %s", e ? e : "out of memory");
		return fail(&x, status, PPROF_EXPORT_FAILED);
	}
	if (!x.kept) {
		analyzer_error_set(err, "%s profile: no sample is left after the filters", d->name);
		return fail(&x, status, PPROF_EXPORT_EMPTY);
	}
	*samples_kept = x.kept;
	*status = PPROF_EXPORT_OK;
	struct pprof_builder *b = x.b;
	x.b = NULL;
	pxp_free(&x);
	return b;
}
