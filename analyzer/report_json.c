/*
 * The JSON report: the contract of `ctrace analyze --json`.
 *
 * {
 *  "trace": {start_ns, end_ns, duration_ns, events, discarded_events,
 *            processes: [{pid, name}], scheduling, warnings, missing, ...},
 *  "threads": [{tid, pid, name, parent_tid, start_ns, end_ns, running_ns,
 *               runnable_ns, lock_wait_ns, syscall_ns, other_ns,
 *               alloc_bytes, alloc_count, ...}],
 *  "regions": [{name, count, total_ns, min_ns, p50_ns, p90_ns, p99_ns,
 *               max_ns, alloc_bytes, breakdown: {running_ns, ...}, ...}],
 *  "tasks": [same shape as regions],
 *  "locks": [{addr, kind, contentions, wait_ns, max_wait_ns,
 *             holders: [{tid, hold_ns}], waiters: [{tid, wait_ns}]}],
 *  "syscalls": [{name, count, total_ns, max_ns}],
 *  "spikes": [{kind, name, tid, start_ns, duration_ns, cause, breakdown,
 *              blocked_by: [{tid, lock, wait_ns, region}]}]
 * }
 * All times are integer nanoseconds on the trace clock (CLOCK_MONOTONIC).
 * A thread's parent_tid, start_ns and end_ns are null when the trace does
 * not show them (the main thread's creation, a thread alive at the end);
 * when both are known its five state times (plus unknown_ns, the time
 * after gaps in the trace) sum exactly to end_ns - start_ns. Lock
 * addresses are hex strings. Keys beyond these are extras and may grow.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctrace_schema.h"
#include "json_writer.h"
#include "report.h"

#define JSON_BLAME_MAX 8

static void kv_ts(struct json_writer *j, const char *key, uint64_t ts)
{
	json_kv_uint_or_null(j, key, ts, ts != MODEL_NO_TS);
}

static void kv_hex(struct json_writer *j, const char *key, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%" PRIx64, v);
	json_kv_string(j, key, buf);
}

/* The five states of the contract as *_ns keys, and unknown_ns. */
static void states(struct json_writer *j, const struct model_breakdown *bd)
{
	char key[32];
	for (int s = 0; s < MODEL_NSTATES; s++) {
		snprintf(key, sizeof key, "%s_ns", model_state_name(s));
		json_kv_uint(j, key, bd->ns[s]);
	}
}

void report_breakdown_json(struct json_writer *j, const char *key,
			   const struct model_breakdown *bd)
{
	json_key(j, key);
	json_object_begin(j);
	states(j, bd);
	json_object_end(j);
}

static void trace_section(struct json_writer *j, const struct report_context *c)
{
	const struct model *m = c->a->m;
	json_key(j, "trace");
	json_object_begin(j);
	json_kv_string(j, "dir", c->trace_dir);
	json_kv_uint(j, "start_ns", m->start_ns);
	json_kv_uint(j, "end_ns", m->end_ns);
	json_kv_uint(j, "duration_ns", m->end_ns - m->start_ns);
	json_kv_uint(j, "events", m->events);
	json_kv_int(j, "discarded_events", m->discarded_events);
	json_kv_uint(j, "ctrace_events", m->ctrace_events);
	json_kv_uint(j, "sched_events", m->sched_events);
	json_kv_bool(j, "scheduling", m->has_sched);
	json_key(j, "processes");
	json_array_begin(j);
	for (size_t i = 0; i < m->n_processes; i++) {
		const struct model_process *p = &m->processes[i];
		json_object_begin(j);
		json_kv_int(j, "pid", p->pid);
		json_kv_string(j, "name", model_str(m, p->name));
		json_kv_string(j, "exe", p->exe != MODEL_NONE ? model_str(m, p->exe) : NULL);
		json_kv_uint_or_null(j, "ppid", (uint64_t)p->ppid, p->ppid > 0);
		kv_ts(j, "start_ns", p->start_ns);
		kv_ts(j, "exit_ns", p->exit_ns);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_uint(j, "warnings", report_warning_total(c));
	json_key(j, "warning_list");
	json_array_begin(j);
	for (int w = 0; w < MODEL_W_COUNT; w++) {
		if (!m->warnings[w])
			continue;
		json_object_begin(j);
		json_kv_string(j, "what", model_warning_text(w));
		json_kv_uint(j, "count", m->warnings[w]);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_string(j, "damaged", c->load && c->load->damaged ? c->load->damage : NULL);
	const char *missing[4];
	size_t nm = report_missing(c, missing, 4);
	json_key(j, "missing");
	json_array_begin(j);
	for (size_t i = 0; i < nm; i++)
		json_string(j, missing[i]);
	json_array_end(j);
	json_object_end(j);
}

/* Every name the thread had, in order (a scan of the renames: few). */
static void name_history(struct json_writer *j, const struct model *m, uint32_t thread)
{
	json_key(j, "names");
	json_array_begin(j);
	for (size_t k = 0; k < m->n_name_changes; k++) {
		const struct model_name_change *c = &m->name_changes[k];
		if (c->thread != thread)
			continue;
		json_object_begin(j);
		json_kv_uint(j, "ts_ns", c->ts);
		json_kv_string(j, "name", model_str(m, c->name));
		json_object_end(j);
	}
	json_array_end(j);
}

static void threads_section(struct json_writer *j, const struct report_context *c)
{
	const struct model *m = c->a->m;
	bool *tracer = analysis_tracer_threads(m, NULL);   /* NULL (OOM): none flagged */
	json_key(j, "threads");
	json_array_begin(j);
	for (size_t i = 0; i < m->n_threads; i++) {
		const struct model_thread *t = &m->threads[i];
		const struct model_breakdown *bd = &c->a->thread_bd[i];
		json_object_begin(j);
		json_kv_int(j, "tid", t->tid);
		json_kv_int(j, "pid", t->pid);
		json_kv_string(j, "name", model_thread_name(m, (uint32_t)i));
		name_history(j, m, (uint32_t)i);
		json_kv_uint_or_null(j, "parent_tid", (uint64_t)t->parent_tid, t->parent_tid > 0);
		json_kv_uint_or_null(j, "start_ns", t->tl_begin, report_thread_start_known(t));
		json_kv_uint_or_null(j, "end_ns", t->tl_end, report_thread_end_known(t));
		states(j, bd);
		json_kv_uint(j, "alloc_bytes", t->alloc_bytes);
		json_kv_uint(j, "alloc_count", t->alloc_count);
		json_kv_uint(j, "first_ns", t->tl_begin);
		json_kv_uint(j, "last_ns", t->tl_end);
		kv_ts(j, "create_ns", t->create_ns);
		kv_ts(j, "thread_start_ns", t->start_ns);
		kv_ts(j, "exit_ns", t->exit_ns);
		kv_ts(j, "join_ns", t->join_ns);
		json_kv_uint_or_null(j, "joined_by_tid",
				     t->joined_by != MODEL_NONE ? (uint64_t)m->threads[t->joined_by].tid : 0,
				     t->joined_by != MODEL_NONE);
		json_kv_bool(j, "main", t->flags & MODEL_TH_MAIN);
		json_kv_bool(j, "traced", t->flags & MODEL_TH_TRACED);
		json_kv_bool(j, "tracer_thread", tracer && tracer[i]);
		json_kv_bool(j, "estimated", !(t->flags & MODEL_TH_SCHED));
		json_kv_uint(j, "lock_short_ns", t->lock_short_ns);
		json_kv_uint(j, "syscall_short_ns", t->sys_short_ns);
		json_object_end(j);
	}
	json_array_end(j);
	free(tracer);
}

static void stats_object(struct json_writer *j, const struct model *m,
			 const struct analysis_name_stats *s)
{
	json_object_begin(j);
	json_kv_string(j, "name", model_str(m, s->name));
	json_kv_uint(j, "count", s->count);
	json_kv_uint(j, "total_ns", s->total_ns);
	json_kv_uint(j, "min_ns", s->min_ns);
	json_kv_uint(j, "p50_ns", s->p50_ns);
	json_kv_uint(j, "p90_ns", s->p90_ns);
	json_kv_uint(j, "p99_ns", s->p99_ns);
	json_kv_uint(j, "max_ns", s->max_ns);
	json_kv_uint(j, "alloc_bytes", s->alloc_bytes);
	json_kv_uint(j, "alloc_count", s->alloc_count);
	json_kv_uint(j, "unclosed", s->unclosed);
	report_breakdown_json(j, "breakdown", &s->bd);
	json_key(j, "histogram");
	json_array_begin(j);
	for (unsigned k = 0; k < ANALYSIS_HIST_BUCKETS; k++) {
		if (!s->hist[k])
			continue;
		json_object_begin(j);
		json_kv_uint(j, "from_ns", k ? (uint64_t)1 << k : 0);
		json_kv_uint(j, "to_ns", k + 1 < 64 ? (uint64_t)1 << (k + 1) : UINT64_MAX);
		json_kv_uint(j, "count", s->hist[k]);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void stats_section(struct json_writer *j, const struct model *m, const char *key,
			  const struct analysis_name_stats *v, size_t n)
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < n; i++)
		stats_object(j, m, &v[i]);
	json_array_end(j);
}

static void locks_section(struct json_writer *j, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	json_key(j, "locks");
	json_array_begin(j);
	for (size_t i = 0; i < a->n_locks; i++) {
		const struct analysis_lock_stats *l = &a->locks[i];
		const struct model_lock *ml = &m->locks[l->lock];
		json_object_begin(j);
		kv_hex(j, "addr", ml->addr);
		json_kv_int(j, "pid", ml->pid);
		json_kv_string(j, "kind", model_wait_kind_name(ml->kind));
		json_kv_uint(j, "contentions", l->contentions);
		json_kv_uint(j, "wait_ns", l->wait_ns);
		json_kv_uint(j, "max_wait_ns", l->max_wait_ns);
		json_key(j, "wakers");
		json_array_begin(j);
		for (size_t k = l->first; k < l->first + l->n; k++) {
			const struct analysis_lock_thread *r = &a->lock_threads[k];
			if (!r->wakes)
				continue;
			json_object_begin(j);
			json_kv_int(j, "tid", m->threads[r->thread].tid);
			json_kv_uint(j, "wakes", r->wakes);
			json_object_end(j);
		}
		json_array_end(j);
		for (int role = 0; role < 2; role++) {
			json_key(j, role ? "waiters" : "holders");
			json_array_begin(j);
			for (size_t k = l->first; k < l->first + l->n; k++) {
				const struct analysis_lock_thread *r = &a->lock_threads[k];
				uint64_t ns = role ? r->wait_ns : r->hold_ns;
				if (role ? !r->waits : !r->hold_ns)
					continue;
				json_object_begin(j);
				json_kv_int(j, "tid", m->threads[r->thread].tid);
				json_kv_uint(j, role ? "wait_ns" : "hold_ns", ns);
				if (role)
					json_kv_uint(j, "waits", r->waits);
				json_object_end(j);
			}
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

static void syscalls_section(struct json_writer *j, const struct report_context *c)
{
	json_key(j, "syscalls");
	json_array_begin(j);
	for (size_t i = 0; i < c->a->n_syscalls; i++) {
		const struct analysis_syscall_stats *s = &c->a->syscalls[i];
		json_object_begin(j);
		json_kv_string(j, "name", s->short_calls ? "(short calls)" : model_sys_name(s->sys));
		json_kv_uint(j, "count", s->count);
		json_kv_uint(j, "total_ns", s->total_ns);
		json_kv_uint(j, "max_ns", s->max_ns);
		json_kv_bool(j, "short", s->short_calls);
		json_object_end(j);
	}
	json_array_end(j);
}

void report_blame_json(struct json_writer *j, const struct report_context *c, uint8_t kind,
		       uint32_t instance)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	struct analysis_blocker bl[JSON_BLAME_MAX];
	size_t n = analysis_blame_waits(a, kind, instance, bl, JSON_BLAME_MAX);
	json_key(j, "blocked_by");
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		json_kv_uint_or_null(j, "tid", bl[i].thread != MODEL_NONE ? (uint64_t)m->threads[bl[i].thread].tid : 0,
				     bl[i].thread != MODEL_NONE);
		if (bl[i].lock != MODEL_NONE)
			kv_hex(j, "lock", m->locks[bl[i].lock].addr);
		else
			json_kv_string(j, "lock", NULL);
		json_kv_string(j, "kind", model_wait_kind_name(bl[i].kind));
		json_kv_uint(j, "wait_ns", bl[i].wait_ns);
		json_kv_string(j, "region", bl[i].region != MODEL_NONE
			       ? model_str(m, m->regions[bl[i].region].name) : NULL);
		char stack[512];
		const struct model_wait *w = &m->waits[bl[i].wait];
		json_kv_string(j, "stack", bl[i].stack != MODEL_NONE && bl[i].thread != MODEL_NONE
			       ? report_symbols_stack(c->symbols, m, bl[i].stack,
						      bl[i].stack_sampled ? ANALYZER_STACK_SAMPLE
									  : ANALYZER_STACK_CALLS,
						      m->threads[bl[i].thread].pid, w->end, 8, stack,
						      sizeof stack) : NULL);
		json_object_end(j);
	}
	json_array_end(j);
	struct analysis_cpu_holder ch[JSON_BLAME_MAX];
	n = analysis_blame_cpus(a, kind, instance, ch, JSON_BLAME_MAX);
	json_key(j, "cpu_holders");
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		bool ours = ch[i].thread < m->n_threads;
		json_kv_uint_or_null(j, "tid", ours ? (uint64_t)m->threads[ch[i].thread].tid : 0, ours);
		json_kv_uint(j, "ns", ch[i].ns);
		json_object_end(j);
	}
	json_array_end(j);
	uint32_t sc[JSON_BLAME_MAX];
	n = analysis_blame_syscalls(a, kind, instance, sc, JSON_BLAME_MAX);
	json_key(j, "syscalls");
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct model_syscall *s = &m->syscalls[sc[i]];
		json_object_begin(j);
		json_kv_string(j, "name", model_sys_name(s->sys));
		json_kv_int(j, "fd", s->fd);
		json_kv_uint(j, "ns", s->end - s->begin);
		json_object_end(j);
	}
	json_array_end(j);
}

static void spikes_section(struct json_writer *j, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	json_key(j, "spikes");
	json_array_begin(j);
	for (size_t i = 0; i < a->n_spikes; i++) {
		const struct analysis_spike *sp = &a->spikes[i];
		uint32_t th = report_instance_thread(a, sp->kind, sp->instance);
		json_object_begin(j);
		json_kv_string(j, "kind", sp->kind == ANALYSIS_REGION ? "region" : "task");
		json_kv_string(j, "name", report_instance_name(a, sp->kind, sp->instance));
		json_kv_uint_or_null(j, "tid", th != MODEL_NONE ? (uint64_t)m->threads[th].tid : 0,
				     th != MODEL_NONE);
		json_kv_uint(j, "start_ns", report_instance_begin(a, sp->kind, sp->instance));
		json_kv_uint(j, "duration_ns", sp->duration_ns);
		json_kv_uint(j, "median_ns", report_spike_stats(a, sp)->p50_ns);
		json_kv_string(j, "cause", model_state_name(sp->cause));
		struct model_breakdown bd = report_instance_bd(a, sp->kind, sp->instance);
		report_breakdown_json(j, "breakdown", &bd);
		report_blame_json(j, c, sp->kind, sp->instance);
		json_object_end(j);
	}
	json_array_end(j);
}

void report_json(FILE *out, const struct report_context *c)
{
	struct json_writer j;
	json_init(&j, out, true);
	json_object_begin(&j);
	trace_section(&j, c);
	threads_section(&j, c);
	stats_section(&j, c->a->m, "regions", c->a->region_stats, c->a->n_region_stats);
	stats_section(&j, c->a->m, "tasks", c->a->task_stats, c->a->n_task_stats);
	locks_section(&j, c);
	syscalls_section(&j, c);
	spikes_section(&j, c);
	if (c->has_at)
		report_at_json(&j, c);
	json_object_end(&j);
}
