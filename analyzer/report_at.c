/*
 * The --at snapshot: every thread alive at an instant, its state (and what
 * it waited for), its region stack and its latest known stack.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ctrace_schema.h"
#include "json_writer.h"
#include "report.h"
#include "report_units.h"

#define AT_MAX_DEPTH 32

/* Region names open at ts on thread, outermost first; returns how many. */
static size_t region_stack(const struct analysis *a, uint32_t thread, uint64_t ts,
			   uint32_t *out, size_t max)
{
	uint32_t chain[AT_MAX_DEPTH];
	size_t n = 0;
	for (uint32_t r = analysis_region_at(a, thread, ts); r != MODEL_NONE && n < AT_MAX_DEPTH;
	     r = a->m->regions[r].parent)
		chain[n++] = r;
	size_t k = 0;
	for (size_t i = n; i-- > 0 && k < max;)
		out[k++] = chain[i];
	return k;
}

/* What a wait or call interval was about, as a phrase. */
static const char *interval_detail(const struct model *m, const struct model_interval *iv,
				   char *buf, size_t size)
{
	buf[0] = 0;
	if (iv->state == MODEL_LOCK_WAIT && iv->aux != MODEL_NONE) {
		const struct model_wait *w = &m->waits[iv->aux];
		if (w->kind == MODEL_WAIT_JOIN)
			snprintf(buf, size, "joining thread %d", w->blocker_tid);
		else if (w->blocker_tid)
			snprintf(buf, size, "%s 0x%" PRIx64 " %s %d", model_wait_kind_name(w->kind), w->addr,
				 w->kind == CTRACE_LOCK_COND || w->kind == CTRACE_LOCK_SEM ? "until woken by"
											   : "held by",
				 w->blocker_tid);
		else
			snprintf(buf, size, "%s 0x%" PRIx64, model_wait_kind_name(w->kind), w->addr);
	} else if (iv->state == MODEL_SYSCALL && iv->aux != MODEL_NONE) {
		const struct model_syscall *s = &m->syscalls[iv->aux];
		snprintf(buf, size, "%s fd %d", model_sys_name(s->sys), s->fd);
	} else if (iv->state == MODEL_RUNNING && iv->aux != MODEL_NONE) {
		snprintf(buf, size, "cpu %u", iv->aux);
	} else if (iv->flags & MODEL_IV_SHORT) {
		snprintf(buf, size, "short waits (placed from counters)");
	}
	return buf;
}

static bool alive_at(const struct model_thread *t, uint64_t ts)
{
	return t->niv && ts >= t->tl_begin && ts < t->tl_end;
}

void report_at_text(FILE *out, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	char d[24], rel[24];
	fprintf(out, "\nAT +%s (trace clock %" PRIu64 " ns)\n",
		units_duration(c->at_ns >= m->start_ns ? c->at_ns - m->start_ns : 0, rel, sizeof rel),
		c->at_ns);
	size_t alive = 0;
	for (size_t i = 0; i < m->n_threads; i++) {
		const struct model_thread *t = &m->threads[i];
		if (!alive_at(t, c->at_ns))
			continue;
		alive++;
		const struct model_interval *iv = &t->iv[model_interval_at(t, c->at_ns)];
		char detail[160];
		fprintf(out, "  %7d %-16.16s %-9s for %s%s%s\n", t->tid, model_thread_name(m, (uint32_t)i),
			model_state_name(iv->state), units_duration(c->at_ns - iv->start, d, sizeof d),
			*interval_detail(m, iv, detail, sizeof detail) ? ": " : "", detail);
		uint32_t rs[AT_MAX_DEPTH];
		size_t nr = region_stack(a, (uint32_t)i, c->at_ns, rs, AT_MAX_DEPTH);
		if (nr) {
			fprintf(out, "  %7s regions:", "");
			for (size_t k = 0; k < nr; k++)
				fprintf(out, "%s%s", k ? " > " : " ", model_str(m, m->regions[rs[k]].name));
			fputc('\n', out);
		}
		uint32_t s = analysis_sample_before(a, (uint32_t)i, c->at_ns);
		char stack[1024];
		if (s != MODEL_NONE &&
		    *report_symbols_stack(c->symbols, m, m->samples[s].stack, ANALYZER_STACK_SAMPLE,
					  t->pid, m->samples[s].ts, 8, stack, sizeof stack))
			fprintf(out, "  %7s stack (sampled %s before): %s\n", "",
				units_duration(c->at_ns - m->samples[s].ts, d, sizeof d), stack);
	}
	if (!alive)
		fprintf(out, "  no thread of the trace was alive then\n");
}

void report_at_json(struct json_writer *j, const struct report_context *c)
{
	const struct analysis *a = c->a;
	const struct model *m = a->m;
	json_key(j, "at");
	json_object_begin(j);
	json_kv_uint(j, "ts_ns", c->at_ns);
	json_key(j, "threads");
	json_array_begin(j);
	for (size_t i = 0; i < m->n_threads; i++) {
		const struct model_thread *t = &m->threads[i];
		if (!alive_at(t, c->at_ns))
			continue;
		const struct model_interval *iv = &t->iv[model_interval_at(t, c->at_ns)];
		char detail[160];
		json_object_begin(j);
		json_kv_int(j, "tid", t->tid);
		json_kv_string(j, "name", model_thread_name(m, (uint32_t)i));
		json_kv_string(j, "state", model_state_name(iv->state));
		json_kv_uint(j, "since_ns", iv->start);
		json_kv_string(j, "detail", interval_detail(m, iv, detail, sizeof detail));
		json_kv_bool(j, "estimated", iv->flags & MODEL_IV_ESTIMATED);
		uint32_t rs[AT_MAX_DEPTH];
		size_t nr = region_stack(a, (uint32_t)i, c->at_ns, rs, AT_MAX_DEPTH);
		json_key(j, "regions");
		json_array_begin(j);
		for (size_t k = 0; k < nr; k++)
			json_string(j, model_str(m, m->regions[rs[k]].name));
		json_array_end(j);
		uint32_t s = analysis_sample_before(a, (uint32_t)i, c->at_ns);
		char stack[2048];
		json_kv_uint_or_null(j, "stack_ts_ns", s != MODEL_NONE ? m->samples[s].ts : 0, s != MODEL_NONE);
		json_kv_string(j, "stack", s != MODEL_NONE
			       ? report_symbols_stack(c->symbols, m, m->samples[s].stack,
						      ANALYZER_STACK_SAMPLE, t->pid, m->samples[s].ts,
						      32, stack, sizeof stack) : NULL);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
