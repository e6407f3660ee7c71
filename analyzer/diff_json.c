/*
 * `ctrace diff --json`: one JSON document, all times integer nanoseconds
 * (changes are signed), percentages as numbers (null when the old value
 * is 0). The schema is a contract:
 *
 * {
 *   "old": RUN, "new": RUN,
 *   "summary": { "names": N, "changed": N, "appeared": N, "vanished": N,
 *                "unchanged": N },          (unchanged: every figure within 1 %)
 *   "entries": [ ENTRY, ... ]               (most significant first)
 * }
 * RUN = { "dir": "...", "process": "name", "pid": N, "duration_ns": N,
 *         "events": N, "threads": N, "sched": bool, "damaged": bool }
 * ENTRY = {
 *   "kind": "region" | "task", "name": "...",
 *   "status": "both" | "appeared" | "vanished",
 *   "changed": bool,                          (as "summary" counts it)
 *   "significance_ns": N,                     (max |change| of total and p99)
 *   "old": SIDE | null, "new": SIDE | null,   (null: not in that run)
 *   "change": { "count": ±N, "p50_ns": ±N, "p90_ns": ±N, "p99_ns": ±N,
 *               "max_ns": ±N, "mean_ns": ±N, "total_ns": ±N,
 *               "p50_pct": x|null, "p99_pct": x|null, "total_pct": x|null },
 *   "breakdown_change": [                     (largest |mean| change first)
 *     { "state": "lock_wait", "mean_ns": ±N, "total_ns": ±N,
 *       "blame_run": "new" | "old",           (the run the blame is from: where
 *                                              the state is larger)
 *       "blamed_ns": N,                       (of that run's state time, how
 *                                              much the items below cover)
 *       "blame": [ BLAME, ... ] }, ... ]      (lock_wait, syscall, runnable)
 * }
 * SIDE = { "count": N, "unclosed": N, "total_ns": N, "mean_ns": N,
 *          "p50_ns": N, "p90_ns": N, "p99_ns": N, "max_ns": N,
 *          "breakdown": BD,                   (summed over the instances)
 *          "mean_breakdown": BD }             (per instance)
 * BD = { "running_ns": N, "runnable_ns": N, "lock_wait_ns": N, "syscall_ns": N,
 *        "other_ns": N, "unknown_ns": N }     (as in ctrace analyze --json)
 * BLAME = lock_wait: { "ns": N, "lock_kind": "mutex", "lock_addr": "0x..."
 *                      (absent for joins), "tid": N|null, "thread": "name"|null,
 *                      "pid": N|null,          (tid: the holder, waker or joined)
 *                      "region": "name"|null } (the holder's region then)
 *         syscall:   { "ns": N, "call": "read" }
 *         runnable:  { "ns": N, "tid": N|null, "thread": "name"|null,
 *                      "other": "other programs" | "unknown" | null }
 */
#include <inttypes.h>
#include <stdio.h>

#include "diff.h"
#include "json_writer.h"
#include "report.h"

static void run_json(struct json_writer *j, const struct diff_report *r, int side)
{
	const struct model *m = r->d->a[side]->m;
	json_object_begin(j);
	json_kv_string(j, "dir", r->dir[side]);
	json_kv_string(j, "process", m->n_processes ? model_str(m, m->processes[0].name) : NULL);
	json_kv_int(j, "pid", m->n_processes ? m->processes[0].pid : 0);
	json_kv_uint(j, "duration_ns",
		     m->end_ns != MODEL_NO_TS && m->end_ns > m->start_ns ? m->end_ns - m->start_ns : 0);
	json_kv_uint(j, "events", m->events);
	json_kv_uint(j, "threads", m->n_threads);
	json_kv_bool(j, "sched", m->has_sched);
	json_kv_bool(j, "damaged", r->load[side] && r->load[side]->damaged);
	json_object_end(j);
}

/* Per instance: the summed breakdown divided by the count. */
static struct model_breakdown mean_breakdown(const struct model_breakdown *bd, uint64_t count)
{
	struct model_breakdown mean = { 0 };
	for (int st = 0; st < MODEL_NSTATES && count; st++)
		mean.ns[st] = bd->ns[st] / count;
	return mean;
}

static void side_json(struct json_writer *j, const char *key, const struct diff_side *s)
{
	json_key(j, key);
	if (s->stats == MODEL_NONE) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_uint(j, "count", s->count);
	json_kv_uint(j, "unclosed", s->unclosed);
	json_kv_uint(j, "total_ns", s->total_ns);
	json_kv_uint(j, "mean_ns", s->mean_ns);
	json_kv_uint(j, "p50_ns", s->p50_ns);
	json_kv_uint(j, "p90_ns", s->p90_ns);
	json_kv_uint(j, "p99_ns", s->p99_ns);
	json_kv_uint(j, "max_ns", s->max_ns);
	report_breakdown_json(j, "breakdown", &s->bd);
	struct model_breakdown mean = mean_breakdown(&s->bd, s->count);
	report_breakdown_json(j, "mean_breakdown", &mean);
	json_object_end(j);
}

static void pct_json(struct json_writer *j, const char *key, uint64_t old, uint64_t new_)
{
	double pct;
	json_key(j, key);
	if (diff_percent(old, new_, &pct))
		json_double(j, pct);
	else
		json_null(j);
}

static int64_t delta(uint64_t old, uint64_t new_)
{
	return (int64_t)new_ - (int64_t)old;
}

static void thread_json(struct json_writer *j, const struct model *m, uint32_t thread)
{
	bool known = thread < m->n_threads;
	json_key(j, "tid");
	if (known)
		json_int(j, m->threads[thread].tid);
	else
		json_null(j);
	json_kv_string(j, "thread", known ? model_thread_name(m, thread) : NULL);
}

static void blame_json(struct json_writer *j, const struct model *m, uint8_t state,
		       const struct diff_blame *b)
{
	json_object_begin(j);
	json_kv_uint(j, "ns", b->ns);
	if (state == MODEL_LOCK_WAIT) {
		json_kv_string(j, "lock_kind", model_wait_kind_name(b->kind));
		if (b->lock != MODEL_NONE) {
			char addr[32];
			snprintf(addr, sizeof addr, "0x%" PRIx64, m->locks[b->lock].addr);
			json_kv_string(j, "lock_addr", addr);
		}
		thread_json(j, m, b->thread);
		json_kv_string(j, "region", b->region != MODEL_NONE
			       ? model_str(m, m->regions[b->region].name) : NULL);
		json_key(j, "pid");
		if (b->thread < m->n_threads)
			json_int(j, m->threads[b->thread].pid);
		else
			json_null(j);
	} else if (state == MODEL_SYSCALL) {
		json_kv_string(j, "call", model_sys_name(b->kind));
	} else {
		thread_json(j, m, b->thread);
		json_kv_string(j, "other", b->thread < m->n_threads ? NULL
			       : b->thread == MODEL_CPU_IDLE ? "other programs" : "unknown");
	}
	json_object_end(j);
}

static void entry_json(struct json_writer *j, const struct diff_report *r, const struct diff_entry *e)
{
	static const char *const status[] = { "both", "appeared", "vanished" };
	const struct diff_side *o = &e->side[DIFF_OLD], *n = &e->side[DIFF_NEW];
	json_object_begin(j);
	json_kv_string(j, "kind", e->kind == ANALYSIS_REGION ? "region" : "task");
	json_kv_string(j, "name", e->name);
	json_kv_string(j, "status", status[e->status]);
	json_kv_bool(j, "changed", diff_entry_changed(e, DIFF_UNCHANGED_REL));
	json_kv_uint(j, "significance_ns", e->significance_ns);
	side_json(j, "old", o);
	side_json(j, "new", n);
	json_key(j, "change");
	json_object_begin(j);
	json_kv_int(j, "count", delta(o->count, n->count));
	json_kv_int(j, "p50_ns", delta(o->p50_ns, n->p50_ns));
	json_kv_int(j, "p90_ns", delta(o->p90_ns, n->p90_ns));
	json_kv_int(j, "p99_ns", delta(o->p99_ns, n->p99_ns));
	json_kv_int(j, "max_ns", delta(o->max_ns, n->max_ns));
	json_kv_int(j, "mean_ns", delta(o->mean_ns, n->mean_ns));
	json_kv_int(j, "total_ns", delta(o->total_ns, n->total_ns));
	pct_json(j, "p50_pct", o->p50_ns, n->p50_ns);
	pct_json(j, "p99_pct", o->p99_ns, n->p99_ns);
	pct_json(j, "total_pct", o->total_ns, n->total_ns);
	json_object_end(j);
	json_key(j, "breakdown_change");
	json_array_begin(j);
	for (size_t k = 0; k < e->n_changes; k++) {
		const struct diff_state_change *c = &e->changes[k];
		json_object_begin(j);
		json_kv_string(j, "state", model_state_name(c->state));
		json_kv_int(j, "mean_ns", c->mean_ns);
		json_kv_int(j, "total_ns", c->total_ns);
		json_kv_string(j, "blame_run", c->blame_side == DIFF_NEW ? "new" : "old");
		json_kv_uint(j, "blamed_ns", c->blamed_ns);
		json_key(j, "blame");
		json_array_begin(j);
		for (size_t b = 0; b < c->n_blame; b++)
			blame_json(j, r->d->a[c->blame_side]->m, c->state, &c->blame[b]);
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

void diff_report_json(FILE *out, const struct diff_report *r)
{
	const struct diff *d = r->d;
	struct json_writer j;
	json_init(&j, out, true);
	json_object_begin(&j);
	json_key(&j, "old");
	run_json(&j, r, DIFF_OLD);
	json_key(&j, "new");
	run_json(&j, r, DIFF_NEW);
	struct diff_summary sum = diff_summarize(d);
	json_key(&j, "summary");
	json_object_begin(&j);
	json_kv_uint(&j, "names", d->n_entries);
	json_kv_uint(&j, "changed", sum.changed);
	json_kv_uint(&j, "appeared", sum.appeared);
	json_kv_uint(&j, "vanished", sum.vanished);
	json_kv_uint(&j, "unchanged", sum.unchanged);
	json_object_end(&j);
	json_key(&j, "entries");
	json_array_begin(&j);
	for (size_t i = 0; i < d->n_entries; i++)
		entry_json(&j, r, &d->entries[i]);
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', out);
}
