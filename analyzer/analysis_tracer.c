/*
 * Which threads are the tracer's, not the program's: LTTng-UST starts two
 * listener threads in every traced process (named "<comm>-ust" by
 * lttng-ust) before ctrace's preload is initialized, so they emit no ctrace
 * event and the preload cannot tell them apart when they are created. The
 * trace shows them only through the scheduler. They are recognized by both
 * signs at once: no ctrace event of their own while another thread of the
 * same process emitted some (so the process was traced), and the "-ust"
 * name suffix. A program thread always emits at least thread_start, so the
 * name alone never hides one; an untraced process's threads stay shown.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

static bool ust_named(const struct model *m, uint32_t th)
{
	const char *name = model_thread_name(m, th);
	size_t n = strlen(name);
	return n >= 4 && !strcmp(name + n - 4, "-ust");
}

bool *analysis_tracer_threads(const struct model *m, size_t *n_tracer)
{
	bool *traced_proc = calloc(m->n_processes + 1, sizeof *traced_proc);
	bool *out = calloc(m->n_threads + 1, sizeof *out);
	if (!traced_proc || !out) {
		free(traced_proc);
		free(out);
		return NULL;
	}
	for (size_t t = 0; t < m->n_threads; t++)
		if ((m->threads[t].flags & MODEL_TH_TRACED) && m->threads[t].process < m->n_processes)
			traced_proc[m->threads[t].process] = true;
	size_t n = 0;
	for (size_t t = 0; t < m->n_threads; t++) {
		const struct model_thread *th = &m->threads[t];
		out[t] = !(th->flags & (MODEL_TH_TRACED | MODEL_TH_MAIN)) && th->process < m->n_processes &&
			 traced_proc[th->process] && ust_named(m, (uint32_t)t);
		n += out[t];
	}
	free(traced_proc);
	if (n_tracer)
		*n_tracer = n;
	return out;
}
