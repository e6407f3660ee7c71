/*
 * Tooltip and details panel text (view_detail.h). Times are shown from
 * the trace's start, as on the axis; durations in human units.
 */
#include "view_detail.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model_symbols.h"
#include "report_units.h"

struct lines {
	char (*v)[VIEW_LINE_MAX];
	size_t n, max;
};

static void line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct lines *l, const char *fmt, ...)
{
	if (l->n >= l->max)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->v[l->n++], VIEW_LINE_MAX, fmt, ap);
	va_end(ap);
}

static const char *rel(const struct view_data *d, uint64_t ts, char *buf, size_t size)
{
	return units_duration(ts - d->m.start_ns, buf, size);
}

static void thread_line(const struct view_data *d, struct lines *l, const char *what, uint32_t t)
{
	if (t >= d->m.n_threads) {
		line(l, "%s: unknown", what);
		return;
	}
	line(l, "%s: %s (tid %d)", what, model_thread_name(&d->m, t), d->m.threads[t].tid);
}

static void span_line(const struct view_data *d, struct lines *l, uint64_t a, uint64_t b)
{
	char s1[32], s2[32];
	line(l, "start %s, duration %s", rel(d, a, s1, sizeof s1), units_duration(b - a, s2, sizeof s2));
}

static void region_of(const struct view_data *d, struct lines *l, const char *what, uint32_t thread,
		      uint64_t ts)
{
	if (thread >= d->m.n_threads)
		return;
	const struct analysis *an = view_data_analysis(d);
	uint32_t r = an ? analysis_region_at(an, thread, ts) : MODEL_NONE;
	if (r != MODEL_NONE)
		line(l, "%s: %s", what, model_str(&d->m, d->m.regions[r].name));
}

static void wait_detail(const struct view_data *d, struct lines *l, uint32_t w, bool full)
{
	const struct model_wait *wt = &d->m.waits[w];
	line(l, "%s 0x%" PRIx64, model_wait_kind_name(wt->kind), wt->addr);
	thread_line(d, l, wt->kind == MODEL_WAIT_JOIN ? "joined" : "holder", wt->blocker);
	if (full) {
		region_of(d, l, "holder's region", wt->blocker, wt->begin);
		region_of(d, l, "waiter's region", wt->thread, wt->begin);
		char b[32];
		line(l, "waited %s, result %d", units_duration(wt->end - wt->begin, b, sizeof b), wt->result);
	}
}

static void syscall_detail(const struct view_data *d, struct lines *l, uint32_t k)
{
	const struct model_syscall *sc = &d->m.syscalls[k];
	line(l, "%s(fd %d) = %" PRId64 "%s", model_sys_name(sc->sys), sc->fd, sc->result,
	     sc->err ? " (error)" : "");
	if (sc->size)
		line(l, "size %" PRId64 " bytes", sc->size);
}

static void interval_detail(const struct view_data *d, struct lines *l, struct view_item it, bool full)
{
	const struct model_thread *t = &d->m.threads[it.owner];
	const struct model_interval *iv = &t->iv[it.index];
	line(l, "%s%s%s", model_state_name((enum model_state)iv->state),
	     iv->flags & MODEL_IV_SHORT ? " (short waits, placed)" : "",
	     iv->flags & MODEL_IV_ESTIMATED ? " (estimated)" : "");
	span_line(d, l, iv->start, model_interval_end(t, it.index));
	thread_line(d, l, "thread", it.owner);
	if (iv->state == MODEL_LOCK_WAIT && iv->aux < d->m.n_waits)
		wait_detail(d, l, iv->aux, full);
	else if (iv->state == MODEL_SYSCALL && iv->aux < d->m.n_syscalls)
		syscall_detail(d, l, iv->aux);
	else if (iv->state == MODEL_RUNNING && iv->aux != MODEL_NONE && !(iv->flags & MODEL_IV_ESTIMATED))
		line(l, "on CPU %u", iv->aux);
	if (full && !(iv->state == MODEL_LOCK_WAIT && iv->aux < d->m.n_waits))   /* that one names it */
		region_of(d, l, "region", it.owner, iv->start);
}

static void breakdown_lines(struct lines *l, const struct model_breakdown *bd);

static void region_detail(const struct view_data *d, struct lines *l, size_t r, bool full)
{
	const struct model_region *rg = &d->m.regions[r];
	line(l, "%s%s", model_str(&d->m, rg->name), rg->flags & MODEL_RG_UNCLOSED ? " (unclosed)" : "");
	span_line(d, l, rg->begin, rg->end);
	thread_line(d, l, "thread", rg->thread);
	struct model_breakdown bdv;
	const struct analysis *an = full ? view_data_analysis(d) : NULL;
	if (!an || analysis_instance_breakdown(an, ANALYSIS_REGION, (uint32_t)r, &bdv) != 0)
		return;
	breakdown_lines(l, &bdv);
	if (rg->alloc_count) {
		char b[32];
		line(l, "allocated %s in %" PRIu64 " calls", units_bytes(rg->alloc_bytes, b, sizeof b),
		     rg->alloc_count);
	}
	struct analysis_blocker bl[3];
	size_t nb = analysis_blame_waits(an, ANALYSIS_REGION, (uint32_t)r, bl, 3);
	for (size_t i = 0; i < nb; i++) {
		char b[32];
		const char *who = bl[i].thread < d->m.n_threads ? model_thread_name(&d->m, bl[i].thread) : "?";
		line(l, "waited %s on %s held by %s%s%s", units_duration(bl[i].wait_ns, b, sizeof b),
		     model_wait_kind_name(bl[i].kind), who, bl[i].region != MODEL_NONE ? " in " : "",
		     bl[i].region != MODEL_NONE ? model_str(&d->m, d->m.regions[bl[i].region].name) : "");
	}
}

static void cpu_detail(const struct view_data *d, struct lines *l, struct view_item it)
{
	const struct model_cpu *c = &d->m.cpus[it.owner];
	uint64_t a = c->v[it.index].start;
	uint64_t b = it.index + 1 < c->n ? c->v[it.index + 1].start : view_data_end(d);
	uint32_t t = c->v[it.index].thread;
	if (t == MODEL_CPU_UNKNOWN)
		line(l, "CPU %u: unknown (after a gap)", it.owner);
	else
		line(l, "CPU %u: %s (tid %d)", it.owner, model_thread_name(&d->m, t), d->m.threads[t].tid);
	span_line(d, l, a, b);
}

static void mark_detail(const struct view_data *d, struct lines *l, size_t k)
{
	const struct view_mark *mk = &d->marks[k];
	char s1[32], s2[32];
	switch (mk->kind) {
	case VIEW_MARK_LOG: {
		const struct model_log *g = &d->m.logs[mk->item];
		line(l, "log [%s] at %s", model_str(&d->m, g->category), rel(d, g->ts, s1, sizeof s1));
		line(l, "%s", model_str(&d->m, g->message));
		break;
	}
	case VIEW_MARK_BURST: {
		const struct model_burst *b = &d->m.bursts[mk->item];
		line(l, "allocation burst: %s in %" PRIu64 " allocations", units_bytes(b->bytes, s2, sizeof s2),
		     b->count);
		span_line(d, l, b->begin, b->end);
		break;
	}
	default: {
		const struct model_sample *sm = &d->m.samples[mk->item];
		uint32_t n = 0;
		model_stack_frames(&d->m, sm->stack, &n);
		line(l, "CPU sample at %s, %u frames", rel(d, sm->ts, s1, sizeof s1), n);
		if (sm->region != MODEL_NONE)
			line(l, "in region %s", model_str(&d->m, d->m.regions[sm->region].name));
		break;
	}
	}
}

static void breakdown_lines(struct lines *l, const struct model_breakdown *bd)
{
	uint64_t total = model_breakdown_total(bd);
	for (unsigned s = 0; s < MODEL_NSTATES; s++) {
		if (!bd->ns[s])
			continue;
		char b[32];
		line(l, "  %-10s %10s  %5.1f%%", model_state_name((enum model_state)s),
		     units_duration(bd->ns[s], b, sizeof b), total ? 100.0 * (double)bd->ns[s] / (double)total : 0);
	}
}

/* A task span: the task, this thread's part, and with full the task's
 * breakdown and every thread that worked for it. */
static void task_detail(const struct view_data *d, struct lines *l, size_t a, bool full)
{
	const struct model_task_attach *at = &d->m.attaches[a];
	const struct model_task *tk = &d->m.tasks[at->task];
	line(l, "task %s (id %" PRIu64 ")%s", model_str(&d->m, tk->name), tk->id,
	     tk->flags & MODEL_TK_UNCLOSED ? " (unclosed)" : "");
	char s1[32], s2[32];
	line(l, "worked on here from %s for %s", rel(d, at->from, s1, sizeof s1),
	     units_duration(at->to - at->from, s2, sizeof s2));
	thread_line(d, l, "thread", at->thread);
	if (!full)
		return;
	line(l, "task: start %s, duration %s", rel(d, tk->begin, s1, sizeof s1),
	     units_duration(tk->end - tk->begin, s2, sizeof s2));
	thread_line(d, l, "begun by", tk->begin_thread);
	const struct analysis *an = view_data_analysis(d);
	struct model_breakdown bd;
	if (an && analysis_instance_breakdown(an, ANALYSIS_TASK, at->task, &bd) == 0)
		breakdown_lines(l, &bd);
	size_t spans = 0;
	uint32_t other = MODEL_NONE;
	for (size_t i = 0; i < d->m.n_attaches; i++)
		if (d->m.attaches[i].task == at->task) {
			spans++;
			if (d->m.attaches[i].thread != tk->begin_thread)
				other = d->m.attaches[i].thread;
		}
	line(l, "%zu span%s of work%s", spans, spans == 1 ? "" : "s", other != MODEL_NONE ? ", handed off to:" : "");
	if (other != MODEL_NONE)
		thread_line(d, l, "  e.g.", other);
}

/* A thread (found by search): its life and where its time went. */
static void thread_detail(const struct view_data *d, struct lines *l, uint32_t t, bool full)
{
	const struct model_thread *th = &d->m.threads[t];
	thread_line(d, l, "thread", t);
	span_line(d, l, th->tl_begin, th->tl_end);
	if (!full)
		return;
	line(l, "process %s (pid %d)", model_str(&d->m, d->m.processes[th->process].name), th->pid);
	struct model_breakdown bd = { 0 };
	model_thread_breakdown(th, th->tl_begin, th->tl_end, &bd);
	breakdown_lines(l, &bd);
}

size_t view_detail_lines(const struct view_data *d, struct view_item it, bool full,
			 char (*v)[VIEW_LINE_MAX], size_t max)
{
	struct lines l = { v, 0, max };
	switch (it.kind) {
	case VIEW_ITEM_INTERVAL: interval_detail(d, &l, it, full); break;
	case VIEW_ITEM_REGION: region_detail(d, &l, it.index, full); break;
	case VIEW_ITEM_CPU_SLICE: cpu_detail(d, &l, it); break;
	case VIEW_ITEM_MARK: mark_detail(d, &l, it.index); break;
	case VIEW_ITEM_TASK: task_detail(d, &l, it.index, full); break;
	case VIEW_ITEM_THREAD: thread_detail(d, &l, it.owner, full); break;
	default: break;
	}
	return l.n;
}

#define RANGE_MAX_SYMBOLIZED 20000   /* samples looked up per frame, spread over the range */
#define RANGE_FUNCTIONS 32           /* distinct functions counted */

/* The function a CPU sample was in: its innermost frame that is not
 * ctrace's own (the signal handler's frames). */
static const char *sample_function(const struct view_data *d, struct analyzer_symbolizer *sym,
				   const struct model_sample *sm)
{
	uint32_t n = 0;
	const uint64_t *fr = model_stack_frames(&d->m, sm->stack, &n);
	int32_t pid = d->m.threads[sm->thread].pid;
	for (uint32_t i = 0; i < n; i++) {
		struct analyzer_location loc;
		if (analyzer_symbolizer_lookup(sym, pid, sm->ts, fr[i], i > 0, &loc) != 0)
			return NULL;
		if (!model_symbols_is_tracer_frame(&loc))
			return loc.frames[0].function;
	}
	return NULL;
}

static bool in_range(const struct view_data *d, const struct model_sample *sm, uint64_t a, uint64_t b)
{
	return sm->ts >= a && sm->ts < b && view_data_thread_shown(d, sm->thread);
}

/* The functions the CPU samples inside [a, b) were in, most first. */
static void range_functions(const struct view_data *d, struct lines *l, uint64_t a, uint64_t b)
{
	size_t n = 0;
	for (size_t i = 0; i < d->m.n_samples; i++)
		n += in_range(d, &d->m.samples[i], a, b);
	if (!n)
		return;
	struct analyzer_symbolizer *sym = view_data_symbolizer(d);
	if (!sym)
		return;
	struct { char name[64]; size_t count; } fn[RANGE_FUNCTIONS];
	size_t nfn = 0, looked = 0, every = n / RANGE_MAX_SYMBOLIZED + 1, k = 0;
	for (size_t i = 0; i < d->m.n_samples; i++) {
		const struct model_sample *sm = &d->m.samples[i];
		if (!in_range(d, sm, a, b) || k++ % every)
			continue;
		looked += model_sample_weight(sm);   /* shares of CPU time */
		const char *f = sample_function(d, sym, sm);
		if (!f)
			f = "[no stack]";
		size_t j = 0;
		while (j < nfn && strncmp(fn[j].name, f, sizeof fn[j].name - 1))
			j++;
		if (j == nfn && nfn == RANGE_FUNCTIONS)
			continue;   /* counted in looked: the shares stay shares of all */
		if (j == nfn) {
			snprintf(fn[nfn].name, sizeof fn[nfn].name, "%s", f);
			fn[nfn++].count = 0;
		}
		fn[j].count += model_sample_weight(sm);
	}
	line(l, "%zu CPU samples, top functions:", n);
	for (size_t shown = 0; shown < 3; shown++) {
		size_t best = SIZE_MAX;
		for (size_t j = 0; j < nfn; j++)
			if (fn[j].count && (best == SIZE_MAX || fn[j].count > fn[best].count))
				best = j;
		if (best == SIZE_MAX)
			break;
		line(l, "  %5.1f%%  %s", 100.0 * (double)fn[best].count / (double)looked, fn[best].name);
		fn[best].count = 0;
	}
}

size_t view_detail_range_lines(const struct view_data *d, uint64_t a, uint64_t b,
			       char (*v)[VIEW_LINE_MAX], size_t max)
{
	struct lines l = { v, 0, max };
	if (b < a) {
		uint64_t t = a;
		a = b;
		b = t;
	}
	span_line(d, &l, a, b);
	struct model_breakdown all = { 0 };
	for (size_t t = 0; t < d->m.n_threads; t++)
		if (view_data_thread_shown(d, t))   /* not LTTng's, nor filtered out */
			model_thread_breakdown(&d->m.threads[t], a, b, &all);
	uint64_t total = model_breakdown_total(&all);
	line(&l, "all threads, summed:");
	for (unsigned s = 0; s < MODEL_NSTATES; s++) {
		if (!all.ns[s])
			continue;
		char buf[32];
		line(&l, "  %-10s %10s  %5.1f%%", model_state_name((enum model_state)s),
		     units_duration(all.ns[s], buf, sizeof buf), 100.0 * (double)all.ns[s] / (double)total);
	}
	/* The threads that waited most (lock_wait + syscall + runnable). */
	uint32_t pick[4];
	size_t npick = 0;
	for (size_t k = 0; k < 4 && k < d->m.n_threads; k++) {
		uint64_t best = 0;
		size_t bi = SIZE_MAX;
		for (size_t t = 0; t < d->m.n_threads; t++) {
			bool used = !view_data_thread_shown(d, t);
			for (size_t j = 0; j < npick; j++)
				used |= pick[j] == t;
			if (used)
				continue;
			struct model_breakdown bd = { 0 };
			model_thread_breakdown(&d->m.threads[t], a, b, &bd);
			uint64_t waited = bd.ns[MODEL_LOCK_WAIT] + bd.ns[MODEL_SYSCALL] + bd.ns[MODEL_RUNNABLE];
			if (waited > best) {
				best = waited;
				bi = t;
			}
		}
		if (bi == SIZE_MAX)
			break;
		pick[npick++] = (uint32_t)bi;
		char w1[32], w2[32], w3[32];
		struct model_breakdown bd = { 0 };
		model_thread_breakdown(&d->m.threads[bi], a, b, &bd);
		line(&l, "%s (tid %d): lock_wait %s, syscall %s, runnable %s", model_thread_name(&d->m, (uint32_t)bi),
		     d->m.threads[bi].tid, units_duration(bd.ns[MODEL_LOCK_WAIT], w1, sizeof w1),
		     units_duration(bd.ns[MODEL_SYSCALL], w2, sizeof w2),
		     units_duration(bd.ns[MODEL_RUNNABLE], w3, sizeof w3));
	}
	range_functions(d, &l, a, b);
	return l.n;
}

void view_detail_spike(const struct view_data *d, const struct analysis *an, size_t k, char *buf,
		       size_t size)
{
	const struct analysis_spike *sp = &an->spikes[k];
	bool region = sp->kind == ANALYSIS_REGION;
	uint32_t name = region ? d->m.regions[sp->instance].name : d->m.tasks[sp->instance].name;
	uint64_t begin = region ? d->m.regions[sp->instance].begin : d->m.tasks[sp->instance].begin;
	const struct analysis_name_stats *st = region ? &an->region_stats[sp->stats] : &an->task_stats[sp->stats];
	char dur[32], at[32];
	snprintf(buf, size, "%s %s %s at %s, %.1fx its median, cause %s", region ? "region" : "task",
		 model_str(&d->m, name), units_duration(sp->duration_ns, dur, sizeof dur),
		 rel(d, begin, at, sizeof at), st->p50_ns ? (double)sp->duration_ns / (double)st->p50_ns : 0.0,
		 model_state_name((enum model_state)sp->cause));
}

size_t view_detail_spike_lines(const struct view_data *d, size_t first, char (*v)[VIEW_LINE_MAX],
			       size_t max)
{
	struct lines l = { v, 0, max };
	const struct analysis *an = view_data_analysis(d);
	if (!an || !an->n_spikes) {
		line(&l, an ? "no spikes in this trace" : "out of memory analysing the trace");
		return l.n;
	}
	line(&l, "spikes %zu-%zu of %zu, slowest first (1-9 shows one, K closes)", first + 1,
	     first + max - 1 < an->n_spikes ? first + max - 1 : an->n_spikes, an->n_spikes);
	for (size_t k = first; k < an->n_spikes && l.n < max; k++) {
		char buf[VIEW_LINE_MAX];
		view_detail_spike(d, an, k, buf, sizeof buf);
		line(&l, "%zu  %s", k - first + 1, buf);
	}
	return l.n;
}
