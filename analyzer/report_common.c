/*
 * What the text and JSON reports share (report.h).
 */
#include "report.h"

size_t report_missing(const struct report_context *c, const char **out, size_t max)
{
	const struct model *m = c->a->m;
	size_t n = 0;
	if (n < max && m->ctrace_events == 0)
		out[n++] = "no ctrace events: not recorded with `ctrace record` (or the preload was not "
			   "loaded), so there are no regions, tasks, waits or samples; only what the other "
			   "events show";
	if (n < max && !m->has_sched)
		out[n++] = "no scheduling data (perf context switches): running time is estimated and "
			   "runnable vs. blocked time cannot be told apart";
	if (n < max && m->ctrace_events > 0 && m->n_samples == 0)
		out[n++] = "no CPU samples: stacks are only those of lock releases and allocations";
	return n;
}

uint64_t report_warning_total(const struct report_context *c)
{
	uint64_t n = c->load && c->load->damaged;
	for (int w = 0; w < MODEL_W_COUNT; w++)
		n += c->a->m->warnings[w];
	return n;
}

const char *report_instance_name(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	const struct model *m = a->m;
	return model_str(m, kind == ANALYSIS_REGION ? m->regions[instance].name : m->tasks[instance].name);
}

uint32_t report_instance_thread(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	const struct model *m = a->m;
	return kind == ANALYSIS_REGION ? m->regions[instance].thread : m->tasks[instance].begin_thread;
}

uint64_t report_instance_begin(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	const struct model *m = a->m;
	return kind == ANALYSIS_REGION ? m->regions[instance].begin : m->tasks[instance].begin;
}

struct model_breakdown report_instance_bd(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	struct model_breakdown bd = { 0 };
	if (analysis_instance_breakdown(a, kind, instance, &bd) != 0)
		bd = (struct model_breakdown){ 0 };
	return bd;
}

const struct analysis_name_stats *report_spike_stats(const struct analysis *a,
						     const struct analysis_spike *s)
{
	return s->kind == ANALYSIS_REGION ? &a->region_stats[s->stats] : &a->task_stats[s->stats];
}

bool report_thread_start_known(const struct model_thread *t)
{
	return t->create_ns != MODEL_NO_TS || t->start_ns != MODEL_NO_TS;
}

bool report_thread_end_known(const struct model_thread *t)
{
	return t->end_ns != MODEL_NO_TS;
}
