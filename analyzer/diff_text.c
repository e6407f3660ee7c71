/*
 * `ctrace diff`'s text report: a page read in half a minute. Both runs in
 * one line each, then the names that changed, most significant first, each
 * with its figures before and after and where the change went (mean per
 * instance first, since run lengths differ, then the run's total), named
 * down to the lock and its holder, the call, or who had the CPUs; then the
 * names that appeared or vanished, and how many stayed the same.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctrace_schema.h"
#include "diff.h"
#include "report.h"
#include "report_units.h"

#define D(ns) units_duration((ns), (char[24]){ 0 }, 24)
#define SD(ns) signed_duration((ns), (char[24]){ 0 }, 24)

static const char *signed_duration(int64_t ns, char *buf, size_t size)
{
	char d[24];
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	snprintf(buf, size, "%s%s", ns < 0 ? "-" : "+", units_duration(a, d, sizeof d));
	return buf;
}

/* "+1.79 ms (+289%)", "+0", "n/a" style change of a duration. */
static const char *change(uint64_t old, uint64_t new_, char *buf, size_t size)
{
	if (old == new_) {
		snprintf(buf, size, "0");
		return buf;
	}
	double pct;
	char d[24];
	if (diff_percent(old, new_, &pct))
		snprintf(buf, size, "%s (%+.0f%%)", signed_duration((int64_t)new_ - (int64_t)old, d, sizeof d),
			 pct);
	else
		snprintf(buf, size, "%s", signed_duration((int64_t)new_ - (int64_t)old, d, sizeof d));
	return buf;
}

#define CH(o, n) change((o), (n), (char[48]){ 0 }, 48)

static void run_line(FILE *out, const char *which, const struct diff_report *r, int side)
{
	const struct model *m = r->d->a[side]->m;
	const char *name = m->n_processes ? model_str(m, m->processes[0].name) : "";
	char n1[32];
	fprintf(out, "%s  %s  %s (pid %d), %s, %zu threads, %s events\n", which, r->dir[side],
		*name ? name : "?", m->n_processes ? m->processes[0].pid : 0,
		D(m->end_ns > m->start_ns && m->end_ns != MODEL_NO_TS ? m->end_ns - m->start_ns : 0),
		m->n_threads, units_count(m->events, n1, sizeof n1));
	struct report_context c = { .trace_dir = r->dir[side], .load = r->load[side], .a = r->d->a[side] };
	const char *missing[4];
	size_t nm = report_missing(&c, missing, 4);
	for (size_t i = 0; i < nm; i++)
		fprintf(out, "     missing: %s\n", missing[i]);
	uint64_t w = report_warning_total(&c);
	if (w)
		fprintf(out, "     %" PRIu64 " warnings (see ctrace analyze %s)\n", w, r->dir[side]);
}

static const char *kind_name(uint8_t kind)
{
	return kind == ANALYSIS_REGION ? "region" : "task";
}

/* ", on mutex 0x... held by 1234 worker (62%), ..." */
static void blame_text(FILE *out, const struct diff_report *r, const struct diff_state_change *c)
{
	const struct model *m = r->d->a[c->blame_side]->m;
	if (!c->n_blame)
		return;
	fprintf(out, "\n    %10s in %s:", "", c->blame_side == DIFF_OLD ? "OLD" : "NEW");
	for (size_t i = 0; i < c->n_blame; i++) {
		const struct diff_blame *b = &c->blame[i];
		fputs(i ? "," : "", out);
		if (c->state == MODEL_LOCK_WAIT) {
			/* The lock named once for its holders in a row. */
			bool same = i && b->lock == c->blame[i - 1].lock && b->kind == c->blame[i - 1].kind;
			if (same)
				;
			else if (b->kind == MODEL_WAIT_JOIN)
				fputs(" joining", out);
			else if (b->lock != MODEL_NONE)
				fprintf(out, " %s 0x%" PRIx64, model_wait_kind_name(b->kind),
					m->locks[b->lock].addr);
			else
				fprintf(out, " a %s", model_wait_kind_name(b->kind));
			if (b->thread < m->n_threads)
				fprintf(out, " %s%d %s", same ? "" : b->kind == MODEL_WAIT_JOIN ? "thread "
					: b->kind == CTRACE_LOCK_COND || b->kind == CTRACE_LOCK_SEM ? "woken by "
					: "held by ",
					m->threads[b->thread].tid, model_thread_name(m, b->thread));
			else
				fputs(" (holder unknown)", out);
			if (b->region != MODEL_NONE)
				fprintf(out, " in region %s", model_str(m, m->regions[b->region].name));
		} else if (c->state == MODEL_SYSCALL) {
			fprintf(out, " %s", model_sys_name(b->kind));
		} else {
			if (!i)
				fputs(" the CPUs ran", out);
			if (b->thread < m->n_threads)
				fprintf(out, " %d %s", m->threads[b->thread].tid,
					model_thread_name(m, b->thread));
			else
				fputs(b->thread == MODEL_CPU_IDLE ? " other programs" : " unknown", out);
		}
		/* CPU holders overlap (several CPUs): their shares say more. */
		if (c->state == MODEL_RUNNABLE)
			fprintf(out, " (%.0f%%)", c->blamed_ns ? 100.0 * (double)b->ns / (double)c->blamed_ns : 0.0);
		else
			fprintf(out, " (%s)", D(b->ns));
	}
}

static void changes_text(FILE *out, const struct diff_report *r, const struct diff_entry *e)
{
	unsigned shown = 0;
	for (size_t k = 0; k < e->n_changes && shown < 4; k++) {
		const struct diff_state_change *c = &e->changes[k];
		if (e->status == DIFF_BOTH) {
			/* Below 1 % of the instance's mean in both runs: noise. */
			uint64_t ref = e->side[DIFF_NEW].mean_ns > e->side[DIFF_OLD].mean_ns
				       ? e->side[DIFF_NEW].mean_ns : e->side[DIFF_OLD].mean_ns;
			uint64_t a = c->mean_ns < 0 ? (uint64_t)-c->mean_ns : (uint64_t)c->mean_ns;
			if (shown && a * 100 < ref)
				break;
			fprintf(out, "    %10s %-9s per instance, %s in total", SD(c->mean_ns),
				model_state_name(c->state), SD(c->total_ns));
		} else {
			fprintf(out, "    %10s %-9s", SD(c->total_ns), model_state_name(c->state));
		}
		blame_text(out, r, c);
		fputc('\n', out);
		shown++;
	}
}

static void entry_text(FILE *out, const struct diff_report *r, const struct diff_entry *e)
{
	const struct diff_side *o = &e->side[DIFF_OLD], *n = &e->side[DIFF_NEW];
	fprintf(out, "\n%s %s\n", kind_name(e->kind), e->name);
	fprintf(out, "    %-8s %10s %10s   %s\n", "", "old", "new", "change");
	char c1[32], c2[32];
	double pct;
	char c3[32];
	fprintf(out, "    %-8s %10s %10s   %s%s", "count", units_count(o->count, c1, sizeof c1),
		units_count(n->count, c2, sizeof c2), n->count < o->count ? "-" : "+",
		units_count(n->count < o->count ? o->count - n->count : n->count - o->count, c3, sizeof c3));
	if (o->count != n->count && diff_percent(o->count, n->count, &pct))
		fprintf(out, " (%+.0f%%)", pct);
	fputc('\n', out);
	const char *label[] = { "p50", "p90", "p99", "max", "mean", "total" };
	const uint64_t ov[] = { o->p50_ns, o->p90_ns, o->p99_ns, o->max_ns, o->mean_ns, o->total_ns };
	const uint64_t nv[] = { n->p50_ns, n->p90_ns, n->p99_ns, n->max_ns, n->mean_ns, n->total_ns };
	for (size_t i = 0; i < sizeof ov / sizeof ov[0]; i++)
		fprintf(out, "    %-8s %10s %10s   %s\n", label[i], D(ov[i]), D(nv[i]), CH(ov[i], nv[i]));
	if (e->n_changes)
		fprintf(out, "  where it changed:\n");
	changes_text(out, r, e);
}

static void one_sided_text(FILE *out, const struct diff_report *r, const struct diff_entry *e)
{
	const struct diff_side *s = &e->side[e->status == DIFF_APPEARED ? DIFF_NEW : DIFF_OLD];
	char c1[32];
	fprintf(out, "  %-8s %-6s %-24s %8s  p50 %9s  p99 %9s  total %9s\n",
		e->status == DIFF_APPEARED ? "appeared" : "vanished", kind_name(e->kind), e->name,
		units_count(s->count, c1, sizeof c1), D(s->p50_ns), D(s->p99_ns), D(s->total_ns));
	(void)r;
}

void diff_report_text(FILE *out, const struct diff_report *r)
{
	const struct diff *d = r->d;
	fprintf(out, "ctrace diff: %s -> %s\n", r->dir[DIFF_OLD], r->dir[DIFF_NEW]);
	run_line(out, "old", r, DIFF_OLD);
	run_line(out, "new", r, DIFF_NEW);
	struct diff_summary sum = diff_summarize(d);
	size_t changed = sum.changed, appeared = sum.appeared, vanished = sum.vanished;
	fprintf(out, "%zu names: %zu changed, %zu appeared, %zu vanished, %zu unchanged (all figures "
		"within 1%%)\n", d->n_entries, changed, appeared, vanished, sum.unchanged);
	size_t shown = 0;
	for (size_t i = 0; i < d->n_entries && shown < r->top; i++) {
		const struct diff_entry *e = &d->entries[i];
		if (e->status != DIFF_BOTH || !diff_entry_changed(e, DIFF_UNCHANGED_REL))
			continue;
		entry_text(out, r, e);
		shown++;
	}
	if (changed > shown)
		fprintf(out, "\n... %zu more changed names (--top)\n", changed - shown);
	if (appeared + vanished) {
		fprintf(out, "\nappeared / vanished (count, p50, p99, total in the run that has them):\n");
		size_t listed = 0;
		for (size_t i = 0; i < d->n_entries && listed < r->top; i++) {
			if (d->entries[i].status == DIFF_BOTH)
				continue;
			one_sided_text(out, r, &d->entries[i]);
			listed++;
		}
		if (appeared + vanished > listed)
			fprintf(out, "  ... %zu more (--top)\n", appeared + vanished - listed);
	}
}
