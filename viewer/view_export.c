/*
 * pprof export from the viewer (view_export.h).
 */
#include "view_export.h"

#include <stdio.h>

#include "model_symbols.h"
#include "pprof_builder.h"
#include "pprof_export.h"
#include "symbolize.h"

/* What E exports, as a filter and a few words for the header. */
static void export_filter(const struct view_data *d, const struct view_state *s,
			  struct pprof_export_filter *f, char *tid, size_t tidsz, char *what, size_t whatsz)
{
	uint64_t start = d->m.start_ns, end = view_data_end(d);
	const struct view_item *it = &s->selected;
	*f = (struct pprof_export_filter){ .from = MODEL_NO_TS, .to = MODEL_NO_TS };
	if (it->kind == VIEW_ITEM_REGION) {
		f->region = model_str(&d->m, d->m.regions[it->index].name);
		snprintf(what, whatsz, "every '%s' region", f->region);
		return;
	}
	if (it->kind == VIEW_ITEM_TASK) {
		f->task = model_str(&d->m, d->m.tasks[d->m.attaches[it->index].task].name);
		snprintf(what, whatsz, "every '%s' task", f->task);
		return;
	}
	uint64_t a, b;
	if (s->range_on) {
		a = s->range_a < s->range_b ? s->range_a : s->range_b;
		b = s->range_a < s->range_b ? s->range_b : s->range_a;
		snprintf(what, whatsz, "the range");
	} else {
		a = s->t0;
		b = s->t0 + (uint64_t)(s->ns_per_px * view_state_timeline_w(s));
		snprintf(what, whatsz, "the window");
	}
	a = a > start ? a - start : 0;
	b = b > start ? b - start : 0;
	if (b > end - start)
		b = end - start;
	f->from = a;
	f->to = b > a ? b : a + 1;
	uint32_t thread = it->kind == VIEW_ITEM_INTERVAL || it->kind == VIEW_ITEM_THREAD ? it->owner : MODEL_NONE;
	if (thread < d->m.n_threads) {
		snprintf(tid, tidsz, "%d", d->m.threads[thread].tid);
		f->thread = tid;
		snprintf(what, whatsz, "%s on tid %s", s->range_on ? "the range" : "the window", tid);
	}
}

int view_export_pprof(const struct view_data *d, const struct view_state *s, const char *path, char *msg,
		      size_t size)
{
	if (d->m.start_ns == MODEL_NO_TS) {
		snprintf(msg, size, "export: the trace is empty");
		return -1;
	}
	struct pprof_export_opts opts = { .type = (enum pprof_export_type)s->export_type,
					  .trace_name = "ctrace view" };
	char tid[16], what[128];
	export_filter(d, s, &opts.filter, tid, sizeof tid, what, sizeof what);
	const char *type = pprof_export_type_name(opts.type);
	struct analyzer_symbolizer *sym = model_symbolizer_create(&d->m);
	size_t kept = 0;
	enum pprof_export_status st;
	struct analyzer_error err;
	struct pprof_builder *b = pprof_export_build(&d->m, sym, &opts, &kept, &st, &err);
	int rc = -1;
	if (!b) {
		snprintf(msg, size, "export %s of %s: %s", type, what, err.msg);
	} else {
		struct pprof_error perr;
		if (pprof_builder_write(b, path, &perr) != 0) {
			snprintf(msg, size, "export: %s", perr.msg);
		} else {
			snprintf(msg, size, "exported %s profile of %s (%zu samples) to %s", type, what, kept, path);
			rc = 0;
		}
		pprof_builder_destroy(b);
	}
	if (sym)
		analyzer_symbolizer_destroy(sym);
	return rc;
}
