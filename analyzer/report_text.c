/*
 * The text report: one page a person reads in half a minute. Times are
 * relative to the trace's start ("+250 ms"), durations in human units,
 * tables cut to --top rows with a count of what was left out.
 *
 * Order: what was traced and what is missing; threads with their
 * lifecycles and where their time went; regions and tasks with
 * percentiles and a histogram; the locks and calls that cost most; the
 * spikes, each with its cause and who caused it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrace_schema.h"
#include "report.h"
#include "report_units.h"

#define D(ns) units_duration((ns), (char[24]){ 0 }, 24)
#define TEXT_BLAME_MAX 4

static const char *rel(const struct model *m, uint64_t ts, char *buf, size_t size)
{
	if (ts == MODEL_NO_TS) {
		snprintf(buf, size, "?");
		return buf;
	}
	char d[24];
	snprintf(buf, size, "+%s", units_duration(ts - m->start_ns, d, sizeof d));
	return buf;
}

#define REL(m, ts) rel((m), (ts), (char[32]){ 0 }, 32)

/* "running 85%, lock_wait 8%" for the states above 0.5 % of total. */
static const char *shares(const struct model_breakdown *bd, char *buf, size_t size)
{
	uint64_t total = model_breakdown_total(bd);
	size_t len = 0;
	buf[0] = 0;
	if (!total)
		return buf;
	for (int s = 0; s < MODEL_NSTATES && len + 1 < size; s++) {
		double pct = 100.0 * (double)bd->ns[s] / (double)total;
		if (pct < 0.5)
			continue;
		int w = snprintf(buf + len, size - len, "%s%s %.0f%%", len ? ", " : "",
				 model_state_name(s), pct);
		if (w < 0)
			break;
		len += (size_t)w < size - len ? (size_t)w : size - len - 1;
	}
	return buf;
}

static void header(FILE *out, const struct report_context *c)
{
	const struct model *m = c->a->m;
	char n1[32], n2[32];
	fprintf(out, "ctrace analyze: %s\n", c->trace_dir);
	const char *name = "?";
	int32_t pid = 0;
	if (m->n_processes) {
		name = model_str(m, m->processes[0].name);
		pid = m->processes[0].pid;
	}
	fprintf(out, "run        %s (pid %d%s), %s, %zu threads, %s events, %" PRId64 " discarded\n",
		*name ? name : "?", pid, m->n_processes > 1 ? " and children" : "",
		D(m->end_ns - m->start_ns), m->n_threads, units_count(m->events, n1, sizeof n1),
		m->discarded_events);
	fprintf(out, "scheduling %s\n", m->has_sched ? "captured (context switches from perf)"
		: "not captured: running time is estimated");
	uint64_t bytes = 0, calls = 0;
	for (size_t i = 0; i < m->n_threads; i++) {
		bytes += m->threads[i].alloc_bytes;
		calls += m->threads[i].alloc_count;
	}
	if (calls)
		fprintf(out, "allocation %s in %s calls, %zu bursts, %zu sampled stacks\n",
			units_bytes(bytes, n2, sizeof n2), units_count(calls, n1, sizeof n1), m->n_bursts,
			m->n_alloc_samples);
	if (c->a->opt.from_ns > 0 || c->a->opt.to_ns < UINT64_MAX)
		fprintf(out, "window     %s .. %s\n", REL(m, c->a->opt.from_ns > m->start_ns ? c->a->opt.from_ns : m->start_ns),
			REL(m, c->a->opt.to_ns < m->end_ns ? c->a->opt.to_ns : m->end_ns));
	const char *missing[4];
	size_t nm = report_missing(c, missing, 4);
	for (size_t i = 0; i < nm; i++)
		fprintf(out, "missing    %s\n", missing[i]);
	if (c->load && c->load->damaged)
		fprintf(out, "DAMAGED    %s; this report covers what could be read\n", c->load->damage);
	for (int w = 0; w < MODEL_W_COUNT; w++)
		if (m->warnings[w])
			fprintf(out, "warning    %s %s\n", units_count(m->warnings[w], n2, sizeof n2),
				model_warning_text(w));
	if (m->short_unplaced_ns)
		fprintf(out, "warning    %s of short waits did not fit their flush period\n",
			D(m->short_unplaced_ns));
}

static const char *thread_relation(const struct model *m, const struct model_thread *t,
				   char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	if (t->flags & MODEL_TH_MAIN)
		len += (size_t)snprintf(buf + len, size - len, "main thread");
	else if (t->parent_tid > 0)
		len += (size_t)snprintf(buf + len, size - len, "child of %d", t->parent_tid);
	if (t->joined_by != MODEL_NONE && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%sjoined by %d at %s", len ? ", " : "",
					m->threads[t->joined_by].tid, REL(m, t->join_ns));
	if (!(t->flags & MODEL_TH_TRACED) && len < size)
		snprintf(buf + len, size - len, "%sno ctrace events (LTTng's or untraced)", len ? ", " : "");
	return buf;
}

static const struct model *order_m;

/* Per process: the main thread, the program's threads by start, then
 * LTTng's and other untraced ones. */
static int thread_order_cmp(const void *x, const void *y)
{
	const struct model_thread *a = &order_m->threads[*(const uint32_t *)x];
	const struct model_thread *b = &order_m->threads[*(const uint32_t *)y];
	if (a->process != b->process)
		return a->process < b->process ? -1 : 1;
	int ra = a->flags & MODEL_TH_MAIN ? 0 : a->flags & MODEL_TH_TRACED ? 1 : 2;
	int rb = b->flags & MODEL_TH_MAIN ? 0 : b->flags & MODEL_TH_TRACED ? 1 : 2;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->tl_begin != b->tl_begin)
		return a->tl_begin < b->tl_begin ? -1 : 1;
	return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static void threads_table(FILE *out, const struct report_context *c)
{
	const struct model *m = c->a->m;
	size_t n_tracer = 0;
	bool *tracer = analysis_tracer_threads(m, &n_tracer);
	uint32_t *order = malloc((m->n_threads ? m->n_threads : 1) * sizeof *order);
	if (!order || !tracer) {
		free(order);
		free(tracer);
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->n_threads; i++)
		if (!tracer[i])
			order[n++] = (uint32_t)i;
	fprintf(out, "\nTHREADS (%zu)%*s %9s %9s %9s %9s %9s %9s\n", n, 33, "", "wall",
		"running", "runnable", "lock_wait", "syscall", "other");
	order_m = m;
	qsort(order, n, sizeof *order, thread_order_cmp);
	size_t shown = 0;
	for (size_t k = 0; k < n && shown < c->top; k++, shown++) {
		size_t i = order[k];
		const struct model_thread *t = &m->threads[i];
		const struct model_breakdown *bd = &c->a->thread_bd[i];
		char life[72], rel1[32], rel2[32];
		snprintf(life, sizeof life, "%s..%s",
			 report_thread_start_known(t) ? rel(m, t->tl_begin, rel1, sizeof rel1) : "?",
			 report_thread_end_known(t) ? rel(m, t->tl_end, rel2, sizeof rel2) : "end");
		fprintf(out, "  %7d %-16.16s %-22s %9s %9s %9s %9s %9s %9s\n", t->tid,
			model_thread_name(m, (uint32_t)i), life, D(model_breakdown_total(bd)),
			D(bd->ns[MODEL_RUNNING]), D(bd->ns[MODEL_RUNNABLE]), D(bd->ns[MODEL_LOCK_WAIT]),
			D(bd->ns[MODEL_SYSCALL]), D(bd->ns[MODEL_OTHER]));
		char rel_buf[160];
		const char *r = thread_relation(m, t, rel_buf, sizeof rel_buf);
		if (bd->ns[MODEL_UNKNOWN])
			fprintf(out, "  %7s %s%sunknown for %s (lost in a gap, or before a snapshot's history)\n",
				"", r, *r ? "; " : "", D(bd->ns[MODEL_UNKNOWN]));
		else if (*r)
			fprintf(out, "  %7s %s\n", "", r);
	}
	if (n > shown)
		fprintf(out, "  ... %zu more (--top)\n", n - shown);
	if (n_tracer)
		fprintf(out, "  (%zu LTTng-UST listener thread%s not listed: the tracer's, not the "
			"program's; in --json as tracer_thread)\n", n_tracer, n_tracer == 1 ? "" : "s");
	free(order);
	free(tracer);
}

static unsigned bit_length(uint64_t v)
{
	unsigned n = 0;
	while (v) {
		v >>= 1;
		n++;
	}
	return n;
}

/* A log2 histogram as one line of block characters (heights on a log
 * scale too, so a lone outlier still shows), with its range. */
static void histogram_line(FILE *out, const struct analysis_name_stats *s)
{
	static const char *const level[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	unsigned lo = 0, hi = 0;
	uint64_t top = 0;
	bool any = false;
	for (unsigned k = 0; k < ANALYSIS_HIST_BUCKETS; k++) {
		if (!s->hist[k])
			continue;
		if (!any)
			lo = k;
		hi = k;
		any = true;
		if (s->hist[k] > top)
			top = s->hist[k];
	}
	if (!any)
		return;
	fprintf(out, "  %-22s ", "");
	for (unsigned k = lo; k <= hi; k++) {
		unsigned l = 0;
		if (s->hist[k])
			l = 1 + 7 * bit_length(s->hist[k]) / bit_length(top);
		fputs(level[l > 8 ? 8 : l], out);
	}
	fprintf(out, "  %s .. %s per bar (log2 buckets)\n", D(lo ? (uint64_t)1 << lo : 0),
		D((uint64_t)1 << (hi + 1)));
}

static void stats_table(FILE *out, const struct report_context *c, const char *title,
			const struct analysis_name_stats *v, size_t n)
{
	const struct model *m = c->a->m;
	if (!n)
		return;
	fprintf(out, "\n%-24s %7s %9s %9s %9s %9s %9s  %s\n", title, "count", "p50", "p90", "p99", "max",
		"total", "where the time went");
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < c->top; i++) {
		const struct analysis_name_stats *s = &v[i];
		char sh[160];
		if (!s->count) {
			fprintf(out, "  %-22.22s %7s  (%" PRIu64 " never closed)\n", model_str(m, s->name), "0",
				s->unclosed);
			shown++;
			continue;
		}
		fprintf(out, "  %-22.22s %7" PRIu64 " %9s %9s %9s %9s %9s  %s", model_str(m, s->name),
			s->count, D(s->p50_ns), D(s->p90_ns), D(s->p99_ns), D(s->max_ns), D(s->total_ns),
			shares(&s->bd, sh, sizeof sh));
		if (s->unclosed)
			fprintf(out, " (+%" PRIu64 " never closed)", s->unclosed);
		fputc('\n', out);
		histogram_line(out, s);
		shown++;
	}
	if (n > shown)
		fprintf(out, "  ... %zu more names (--top)\n", n - shown);
}

static void locks_table(FILE *out, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	if (!a->n_locks)
		return;
	fprintf(out, "\n%-32s %7s %9s %9s  %s\n", "LOCKS (most waited on)", "waits", "waited", "longest",
		"who made them wait / who waited");
	for (size_t i = 0; i < a->n_locks && i < c->top; i++) {
		const struct analysis_lock_stats *l = &a->locks[i];
		const struct model_lock *ml = &m->locks[l->lock];
		char what[40];
		snprintf(what, sizeof what, "%s 0x%" PRIx64, model_wait_kind_name(ml->kind), ml->addr);
		bool woken = ml->kind == CTRACE_LOCK_COND || ml->kind == CTRACE_LOCK_SEM;
		fprintf(out, "  %-30s %7" PRIu64 " %9s %9s ", what, l->contentions, D(l->wait_ns),
			D(l->max_wait_ns));
		/* Holders (or, for conditions, wakers), then waiters. */
		for (int role = 0; role < 2; role++) {
			fputs(role ? "  / waited by" : woken ? "woken by" : "held by", out);
			unsigned shown = 0;
			for (size_t k = l->first; k < l->first + l->n && shown < 3; k++) {
				const struct analysis_lock_thread *r = &a->lock_threads[k];
				uint64_t v = role ? r->wait_ns : woken ? r->wakes : r->hold_ns;
				if (!v)
					continue;
				if (!role && woken)
					fprintf(out, " %d (%" PRIu64 "x)", m->threads[r->thread].tid, v);
				else
					fprintf(out, " %d (%s)", m->threads[r->thread].tid, D(v));
				shown++;
			}
			if (!shown)
				fputs(" ?", out);
		}
		fputc('\n', out);
	}
	if (a->n_locks > c->top)
		fprintf(out, "  ... %zu more locks (--top)\n", a->n_locks - c->top);
}

static void syscalls_table(FILE *out, const struct report_context *c)
{
	const struct analysis *a = c->a;
	if (!a->n_syscalls)
		return;
	fprintf(out, "\n%-24s %7s %9s %9s\n", "SYSCALLS (most time)", "calls", "total", "longest");
	for (size_t i = 0; i < a->n_syscalls && i < c->top; i++) {
		const struct analysis_syscall_stats *s = &a->syscalls[i];
		fprintf(out, "  %-22s %7" PRIu64 " %9s %9s\n",
			s->short_calls ? "(short, below threshold)" : model_sys_name(s->sys), s->count,
			D(s->total_ns), s->short_calls ? "-" : D(s->max_ns));
	}
}

static uint64_t instance_end(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	return kind == ANALYSIS_REGION ? a->m->regions[instance].end : a->m->tasks[instance].end;
}

/* Program text on one line: control characters become spaces, at most max
 * bytes. */
static void put_clean(FILE *out, const char *s, size_t max)
{
	size_t n = strlen(s);
	while (n > 0 && (unsigned char)s[n - 1] < 0x20)
		n--;
	for (size_t i = 0; i < n && i < max; i++)
		fputc((unsigned char)s[i] < 0x20 ? ' ' : s[i], out);
	if (n > max)
		fputs("...", out);
}

/* The program's own log lines during the spike, on its thread. */
static void spike_logs(FILE *out, const struct analysis *a, const struct analysis_spike *sp)
{
	const struct model *m = a->m;
	uint32_t th = report_instance_thread(a, sp->kind, sp->instance);
	uint64_t begin = report_instance_begin(a, sp->kind, sp->instance);
	uint64_t end = instance_end(a, sp->kind, sp->instance);
	size_t lo = 0, hi = m->n_logs;   /* first log at or after begin */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->logs[mid].ts < begin)
			lo = mid + 1;
		else
			hi = mid;
	}
	unsigned shown = 0;
	for (size_t i = lo; i < m->n_logs && m->logs[i].ts <= end && shown < 3; i++) {
		const struct model_log *l = &m->logs[i];
		if (l->thread != th)
			continue;
		fprintf(out, "      log at %s: [%s] ", REL(m, l->ts), model_str(m, l->category));
		put_clean(out, model_str(m, l->message), 100);
		fputc('\n', out);
		shown++;
	}
}

/* " from f", f being the innermost program frame of a waiter's or caller's
 * stack (where it blocked: an event stack, all return addresses); nothing
 * when the trace has no stack there. */
static void put_from(FILE *out, const struct report_context *c, uint32_t stack, uint32_t thread,
		     uint64_t ts)
{
	const struct model *m = c->a->m;
	char top[256];
	if (stack != MODEL_NONE &&
	    *report_symbols_stack(c->symbols, m, stack, ANALYZER_STACK_CALLS, m->threads[thread].pid,
				  ts, 1, top, sizeof top))
		fprintf(out, " from %s", top);
}

void report_blame_text(FILE *out, const struct report_context *c, uint8_t kind, uint32_t instance)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	struct analysis_blocker bl[TEXT_BLAME_MAX];
	size_t n = analysis_blame_waits(a, kind, instance, bl, TEXT_BLAME_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct model_wait *w = &m->waits[bl[i].wait];
		fprintf(out, "      waited %s ", D(bl[i].wait_ns));
		if (bl[i].kind == MODEL_WAIT_JOIN)
			fputs("joining", out);
		else
			fprintf(out, "on %s 0x%" PRIx64, model_wait_kind_name(bl[i].kind), w->addr);
		put_from(out, c, w->stack, w->thread, w->end);
		if (bl[i].thread == MODEL_NONE) {
			fputs(" (holder unknown)\n", out);
			continue;
		}
		const struct model_thread *h = &m->threads[bl[i].thread];
		fprintf(out, " %s %d %s", bl[i].kind == CTRACE_LOCK_COND || bl[i].kind == CTRACE_LOCK_SEM
			? "until woken by" : bl[i].kind == MODEL_WAIT_JOIN ? "thread" : "held by",
			h->tid, model_thread_name(m, bl[i].thread));
		if (bl[i].region != MODEL_NONE)
			fprintf(out, ", in region %s", model_str(m, m->regions[bl[i].region].name));
		char stack[512];
		if (bl[i].stack != MODEL_NONE &&
		    *report_symbols_stack(c->symbols, m, bl[i].stack,
					  bl[i].stack_sampled ? ANALYZER_STACK_SAMPLE : ANALYZER_STACK_CALLS,
					  h->pid, w->end, 4, stack, sizeof stack))
			fprintf(out, ", at %s", stack);
		fputc('\n', out);
	}
	struct analysis_cpu_holder ch[TEXT_BLAME_MAX];
	n = analysis_blame_cpus(a, kind, instance, ch, TEXT_BLAME_MAX);
	if (n) {
		fprintf(out, "      while runnable, the %zu CPUs ran:", m->n_cpus);
		for (size_t i = 0; i < n; i++) {
			if (ch[i].thread < m->n_threads)
				fprintf(out, " %d %s (%s)", m->threads[ch[i].thread].tid,
					model_thread_name(m, ch[i].thread), D(ch[i].ns));
			else
				fprintf(out, " %s (%s)", ch[i].thread == MODEL_CPU_IDLE ? "other programs"
					: "unknown", D(ch[i].ns));
		}
		fputc('\n', out);
	}
	uint32_t sc[TEXT_BLAME_MAX];
	n = analysis_blame_syscalls(a, kind, instance, sc, TEXT_BLAME_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct model_syscall *s = &m->syscalls[sc[i]];
		fprintf(out, "      in %s", model_sys_name(s->sys));
		if (s->fd >= 0)
			fprintf(out, " on fd %d", s->fd);
		fprintf(out, " for %s", D(s->end - s->begin));
		put_from(out, c, s->stack, s->thread, s->end);
		fputc('\n', out);
	}
}


/* Spikes in (thread, begin, longest first, listed first) order. */
static const struct analysis *group_a;

static int group_cmp(const void *x, const void *y)
{
	const struct analysis *a = group_a;
	const struct analysis_spike *p = &a->spikes[*(const uint32_t *)x];
	const struct analysis_spike *q = &a->spikes[*(const uint32_t *)y];
	uint32_t tp = report_instance_thread(a, p->kind, p->instance);
	uint32_t tq = report_instance_thread(a, q->kind, q->instance);
	if (tp != tq)
		return tp < tq ? -1 : 1;
	uint64_t bp = report_instance_begin(a, p->kind, p->instance);
	uint64_t bq = report_instance_begin(a, q->kind, q->instance);
	if (bp != bq)
		return bp < bq ? -1 : 1;
	uint64_t ep = instance_end(a, p->kind, p->instance), eq = instance_end(a, q->kind, q->instance);
	if (ep != eq)
		return ep > eq ? -1 : 1;
	return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

/* head[i]: the outermost spike on the same thread whose span holds spike
 * i's (i itself when none). One sort and a sweep with a stack of the
 * spans still open. Returns the number of heads. */
static size_t spike_groups(const struct analysis *a, uint32_t *head, uint32_t *order)
{
	size_t n = a->n_spikes, groups = 0;
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	group_a = a;
	qsort(order, n, sizeof *order, group_cmp);
	/* The stack reuses the start of order[]: it never outgrows the part
	 * of the sweep already done. */
	size_t depth = 0;
	uint32_t thread = MODEL_NONE;
	for (size_t k = 0; k < n; k++) {
		uint32_t i = order[k];
		const struct analysis_spike *s = &a->spikes[i];
		uint32_t th = report_instance_thread(a, s->kind, s->instance);
		uint64_t end = instance_end(a, s->kind, s->instance);
		if (th != thread)
			depth = 0;
		thread = th;
		while (depth > 0) {
			const struct analysis_spike *top = &a->spikes[order[depth - 1]];
			if (instance_end(a, top->kind, top->instance) >= end)
				break;
			depth--;
		}
		head[i] = depth > 0 ? head[order[depth - 1]] : i;
		groups += head[i] == i;
		order[depth++] = i;
	}
	return groups;
}

static void spike_head(FILE *out, const struct report_context *c, const struct analysis_spike *sp)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	const struct analysis_name_stats *s = report_spike_stats(a, sp);
	struct model_breakdown bdv = report_instance_bd(a, sp->kind, sp->instance);
	const struct model_breakdown *bd = &bdv;
	uint32_t th = report_instance_thread(a, sp->kind, sp->instance);
	char sh[160];
	fprintf(out, "  %s %s on %d at %s: %s, %.1fx its median %s; cause %s (%s)\n",
		sp->kind == ANALYSIS_REGION ? "region" : "task",
		report_instance_name(a, sp->kind, sp->instance),
		th < m->n_threads ? m->threads[th].tid : 0,
		REL(m, report_instance_begin(a, sp->kind, sp->instance)), D(sp->duration_ns),
		s->p50_ns ? (double)sp->duration_ns / (double)s->p50_ns : 0.0, D(s->p50_ns),
		model_state_name(sp->cause), D(bd->ns[sp->cause]));
	fprintf(out, "      %s\n", shares(bd, sh, sizeof sh));
}

/* Spikes inside a longer spike on the same thread (the task and region of
 * one slow request, a slow inner region) are one event: they print as one
 * entry, the outermost with the blame, the others named under it. */
static void spikes_list(FILE *out, const struct report_context *c)
{
	const struct analysis *a = c->a;
	size_t n = a->n_spikes;
	if (!n)
		return;
	uint32_t *head = malloc(n * sizeof *head);
	uint32_t *order = malloc(n * sizeof *order);
	if (!head || !order) {
		free(head);
		free(order);
		return;
	}
	size_t groups = spike_groups(a, head, order);
	free(order);
	if (a->opt.spike_threshold_ns)
		fprintf(out, "\nSPIKES (%zu instances of at least %s", n, D(a->opt.spike_threshold_ns));
	else
		fprintf(out, "\nSPIKES (%zu instances at or above their name's p99 and 3x its median", n);
	fprintf(out, ", in %zu places)\n", groups);
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < c->top; i++) {
		if (head[i] != i)
			continue;
		spike_head(out, c, &a->spikes[i]);
		bool any = false;
		for (size_t k = i + 1; k < n; k++) {
			if (head[k] != i)
				continue;
			const struct analysis_spike *sp = &a->spikes[k];
			fprintf(out, "%s %s %s (%s)", any ? "," : "      inside it, also slow:",
				sp->kind == ANALYSIS_REGION ? "region" : "task",
				report_instance_name(a, sp->kind, sp->instance), D(sp->duration_ns));
			any = true;
		}
		if (any)
			fputc('\n', out);
		report_blame_text(out, c, a->spikes[i].kind, a->spikes[i].instance);
		spike_logs(out, a, &a->spikes[i]);
		shown++;
	}
	if (groups > shown)
		fprintf(out, "  ... %zu more (--top)\n", groups - shown);
	free(head);
}

/* --region NAME: its slowest instances with their breakdowns. */
static void focus(FILE *out, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	bool found = false;
	for (int kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK; kind++) {
		size_t n = kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
		/* The top slowest, by repeated selection: top is small. */
		uint32_t best[64];
		size_t nb = 0, want = c->top < 64 ? c->top : 64;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(report_instance_name(a, (uint8_t)kind, (uint32_t)i), c->focus) ||
			    analysis_stats_of(a, (uint8_t)kind, (uint32_t)i) == MODEL_NONE)
				continue;
			found = true;
			uint64_t d = instance_end(a, (uint8_t)kind, (uint32_t)i) -
				     report_instance_begin(a, (uint8_t)kind, (uint32_t)i);
			size_t pos = nb;
			while (pos > 0 && instance_end(a, (uint8_t)kind, best[pos - 1]) -
						  report_instance_begin(a, (uint8_t)kind, best[pos - 1]) < d)
				pos--;
			if (pos >= want)
				continue;
			if (nb < want)
				nb++;
			memmove(&best[pos + 1], &best[pos], (nb - 1 - pos) * sizeof best[0]);
			best[pos] = (uint32_t)i;
		}
		if (!nb)
			continue;
		fprintf(out, "\n%s %s: slowest instances\n", kind == ANALYSIS_REGION ? "REGION" : "TASK",
			c->focus);
		for (size_t i = 0; i < nb; i++) {
			struct model_breakdown bdv = report_instance_bd(a, (uint8_t)kind, best[i]);
			const struct model_breakdown *bd = &bdv;
			uint32_t th = report_instance_thread(a, (uint8_t)kind, best[i]);
			char sh[160];
			fprintf(out, "  %9s on %d at %-12s %s\n", D(model_breakdown_total(bd)),
				th < m->n_threads ? m->threads[th].tid : 0,
				REL(m, report_instance_begin(a, (uint8_t)kind, best[i])), shares(bd, sh, sizeof sh));
		}
	}
	if (!found)
		fprintf(out, "\nno region or task named '%s' in the window\n", c->focus);
}

void report_text(FILE *out, const struct report_context *c)
{
	header(out, c);
	if (c->has_at) {
		report_at_text(out, c);
		return;
	}
	threads_table(out, c);
	stats_table(out, c, "REGIONS", c->a->region_stats, c->a->n_region_stats);
	stats_table(out, c, "TASKS", c->a->task_stats, c->a->n_task_stats);
	locks_table(out, c);
	syscalls_table(out, c);
	spikes_list(out, c);
	if (c->focus)
		focus(out, c);
}
