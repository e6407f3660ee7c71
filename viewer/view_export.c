/*
 * pprof export of the visible window (view_export.h).
 */
#include "view_export.h"

#include <stdio.h>

#include "model_symbols.h"
#include "pprof_builder.h"
#include "pprof_export.h"
#include "symbolize.h"

static void export_filter(const struct view_data *d, const struct view_state *s,
			  struct pprof_export_filter *f, char *tid, size_t tidsz)
{
	uint64_t start = d->m.start_ns, end = view_data_end(d);
	uint64_t a = s->t0 > start ? s->t0 - start : 0;
	uint64_t b = a + (uint64_t)(s->ns_per_px * view_state_timeline_w(s));
	if (b > end - start)
		b = end - start;
	*f = (struct pprof_export_filter){ .from = a, .to = b > a ? b : a + 1 };
	const struct view_item *it = &s->selected;
	uint32_t thread = MODEL_NONE;
	if (it->kind == VIEW_ITEM_REGION) {
		f->region = model_str(&d->m, d->m.regions[it->index].name);
		thread = d->m.regions[it->index].thread;
	} else if (it->kind == VIEW_ITEM_INTERVAL) {
		thread = it->owner;
	}
	if (thread < d->m.n_threads) {
		snprintf(tid, tidsz, "%d", d->m.threads[thread].tid);
		f->thread = tid;
	}
}

int view_export_pprof(const struct view_data *d, const struct view_state *s, const char *path, char *msg,
		      size_t size)
{
	if (d->m.start_ns == MODEL_NO_TS) {
		snprintf(msg, size, "export: the trace is empty");
		return -1;
	}
	struct pprof_export_opts opts = { .type = d->m.n_samples ? PPROF_EXPORT_CPU : PPROF_EXPORT_LOCK,
					  .trace_name = "ctrace view" };
	char tid[16];
	export_filter(d, s, &opts.filter, tid, sizeof tid);
	struct analyzer_symbolizer *sym = model_symbolizer_create(&d->m);
	size_t kept = 0;
	enum pprof_export_status st;
	struct analyzer_error err;
	struct pprof_builder *b = pprof_export_build(&d->m, sym, &opts, &kept, &st, &err);
	int rc = -1;
	if (!b) {
		snprintf(msg, size, "export: %s", err.msg);
	} else {
		struct pprof_error perr;
		if (pprof_builder_write(b, path, &perr) != 0) {
			snprintf(msg, size, "export: %s", perr.msg);
		} else {
			snprintf(msg, size, "exported %s profile (%zu samples) to %s",
				 pprof_export_type_name(opts.type), kept, path);
			rc = 0;
		}
		pprof_builder_destroy(b);
	}
	if (sym)
		analyzer_symbolizer_destroy(sym);
	return rc;
}
