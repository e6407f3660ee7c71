/*
 * analysis_run: the analysis steps in order, and the check of its
 * invariants (analysis.h).
 */
#include "analysis.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis_internal.h"

struct analysis_options analysis_default_options(void)
{
	return (struct analysis_options){ .from_ns = 0, .to_ns = UINT64_MAX,
					  .keep_instance_breakdowns = true };
}

bool analysis_in_window(const struct analysis *a, uint64_t begin, uint64_t end)
{
	return begin >= a->opt.from_ns && end <= a->opt.to_ns;
}

int analysis_run(const struct model *m, const struct analysis_options *opt, struct analysis *a)
{
	*a = (struct analysis){ .m = m, .opt = opt ? *opt : analysis_default_options() };
	if (a->opt.to_ns < a->opt.from_ns)
		a->opt.to_ns = a->opt.from_ns;
	if (analysis_indexes_build(a) != 0 || analysis_breakdowns(a) != 0 ||
	    analysis_name_stats(a, ANALYSIS_REGION) != 0 ||
	    analysis_name_stats(a, ANALYSIS_TASK) != 0 || analysis_spikes(a) != 0 ||
	    analysis_locks(a) != 0 || analysis_syscall_totals(a) != 0) {
		analysis_free(a);
		return -1;
	}
	return 0;
}

void analysis_free(struct analysis *a)
{
	analysis_indexes_free(a);
	void *arrays[] = {
		a->region_bd, a->task_bd, a->thread_bd, a->region_stats, a->task_stats,
		a->region_stats_of, a->task_stats_of, a->region_stats_by_name, a->task_stats_by_name,
		a->spikes, a->locks, a->lock_threads,
		a->syscalls,
	};
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		free(arrays[i]);
	*a = (struct analysis){ 0 };
}

static int fail(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* The part of [begin, end) inside the window. */
static uint64_t clipped(const struct analysis *a, uint64_t begin, uint64_t end)
{
	if (begin < a->opt.from_ns)
		begin = a->opt.from_ns;
	if (end > a->opt.to_ns)
		end = a->opt.to_ns;
	return end > begin ? end - begin : 0;
}

int analysis_check(const struct analysis *a, char *msg, size_t size)
{
	const struct model *m = a->m;
	for (uint8_t kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK; kind++) {
		size_t n = kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
		for (size_t i = 0; i < n; i++) {
			uint64_t wall = kind == ANALYSIS_REGION ? m->regions[i].end - m->regions[i].begin
								: m->tasks[i].end - m->tasks[i].begin;
			struct model_breakdown bd;
			if (analysis_instance_breakdown(a, kind, (uint32_t)i, &bd) != 0)
				return fail(msg, size, "out of memory");
			if (model_breakdown_total(&bd) != wall)
				return fail(msg, size, "%s %zu: breakdown %" PRIu64 " ns, wall %" PRIu64 " ns",
					    kind == ANALYSIS_REGION ? "region" : "task", i,
					    model_breakdown_total(&bd), wall);
		}
	}
	for (size_t i = 0; i < m->n_threads; i++) {
		uint64_t wall = clipped(a, m->threads[i].tl_begin, m->threads[i].tl_end);
		if (model_breakdown_total(&a->thread_bd[i]) != wall)
			return fail(msg, size, "thread %zu: breakdown %" PRIu64 " ns, wall %" PRIu64 " ns",
				    i, model_breakdown_total(&a->thread_bd[i]), wall);
	}
	for (size_t k = 0; k < 2; k++) {
		const struct analysis_name_stats *s = k ? a->task_stats : a->region_stats;
		size_t n = k ? a->n_task_stats : a->n_region_stats;
		for (size_t i = 0; i < n; i++) {
			if (model_breakdown_total(&s[i].bd) != s[i].total_ns)
				return fail(msg, size, "%s stats %zu: breakdown %" PRIu64 ", total %" PRIu64,
					    k ? "task" : "region", i, model_breakdown_total(&s[i].bd),
					    s[i].total_ns);
			if (s[i].count && !(s[i].min_ns <= s[i].p50_ns && s[i].p50_ns <= s[i].p90_ns &&
					    s[i].p90_ns <= s[i].p99_ns && s[i].p99_ns <= s[i].max_ns))
				return fail(msg, size, "%s stats %zu: percentiles out of order",
					    k ? "task" : "region", i);
		}
	}
	return 0;
}
