/*
 * Stacks and labels of exported samples: model stacks symbolized into
 * pprof mappings, functions and locations (inlined calls as several lines
 * of one location), synthetic frames for what has no stack, and the labels
 * every sample carries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_symbols.h"
#include "pprof_export_internal.h"

int pxp_locs_reserve(struct pxp *x, size_t n)
{
	if (n <= x->locs_cap)
		return 0;
	size_t cap = n * 2;
	uint64_t *l = realloc(x->locs, cap * sizeof *l);
	if (l)
		x->locs = l;
	struct analyzer_location *s = realloc(x->sym_locs, cap * sizeof *s);
	if (s)
		x->sym_locs = s;
	if (!l || !s)
		return -1;
	x->locs_cap = cap;
	return 0;
}

/* The pprof mapping of a symbolizer module, made on first use. */
static uint64_t mapping_of(struct pxp *x, const struct analyzer_module *mod)
{
	if (mod->id >= x->n_mapping_of) {
		size_t n = mod->id * 2 + 8;
		uint64_t *v = realloc(x->mapping_of, n * sizeof *v);
		if (!v)
			return 0;
		memset(v + x->n_mapping_of, 0, (n - x->n_mapping_of) * sizeof *v);
		x->mapping_of = v;
		x->n_mapping_of = n;
	}
	if (!x->mapping_of[mod->id]) {
		/* Every location gets function names from us (at worst
		 * "lib.so+0x12"), so pprof must not try to symbolize again. */
		struct pprof_mapping pm = {
			.start = mod->start, .limit = mod->limit, .offset = mod->file_offset,
			.file = mod->path, .build_id = mod->build_id,
			.has_functions = true, .has_filenames = mod->has_lines,
			.has_line_numbers = mod->has_lines, .has_inline_frames = mod->has_lines,
		};
		x->mapping_of[mod->id] = pprof_mapping_add(x->b, &pm);
	}
	return x->mapping_of[mod->id];
}

/* pprof takes the first mapping for the main binary (its "File:"
 * line): the traced executables go first, then everything else. */
int pxp_mappings_add(struct pxp *x)
{
	if (!x->sym)
		return 0;
	const struct model *m = x->m;
	size_t n = analyzer_symbolizer_module_count(x->sym);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t id = 1; id <= n; id++) {
			const struct analyzer_module *mod = analyzer_symbolizer_module(x->sym, id);
			bool exe = false;
			for (size_t p = 0; mod && !exe && p < m->n_processes; p++)
				exe = m->processes[p].exe != MODEL_NONE &&
				      !strcmp(model_str(m, m->processes[p].exe), mod->path);
			if (mod && exe == (pass == 0) && !mapping_of(x, mod))
				return -1;
		}
	}
	return 0;
}

static uint64_t location_of(struct pxp *x, uint64_t addr, const struct analyzer_location *loc)
{
	uint64_t mapping = loc->module ? mapping_of(x, loc->module) : 0;
	if (loc->module && !mapping)
		return 0;
	struct pprof_line lines[16];
	size_t n = loc->nframes < 16 ? loc->nframes : 16;
	for (size_t i = 0; i < n; i++) {
		const struct analyzer_frame *fr = &loc->frames[i];
		struct pprof_function f = {
			.name = fr->function, .system_name = fr->system_name,
			.file = fr->function_file ? fr->function_file : fr->file,
			.start_line = fr->start_line,
		};
		lines[i] = (struct pprof_line){ .function_id = pprof_function_add(x->b, &f),
						.line = fr->line };
		if (!lines[i].function_id)
			return 0;
	}
	return pprof_location_add(x->b, mapping, addr, lines, n);
}

/* Without a symbolizer: the bare address, for pprof to resolve if it can. */
static uint64_t address_location(struct pxp *x, uint64_t addr)
{
	char name[40];
	snprintf(name, sizeof name, "[unknown 0x%" PRIx64 "]", addr);
	struct pprof_function f = { .name = name, .system_name = name };
	struct pprof_line line = { .function_id = pprof_function_add(x->b, &f) };
	return line.function_id ? pprof_location_add(x->b, 0, addr, &line, 1) : 0;
}

int pxp_stack_locations(struct pxp *x, uint32_t stack, enum analyzer_stack_kind kind,
			uint32_t thread, uint64_t ts)
{
	uint32_t n;
	const uint64_t *frames = model_stack_frames(x->m, stack, &n);
	if (pxp_locs_reserve(x, n + 1))
		return -1;
	int32_t pid = x->m->threads[thread].pid;
	bool named = x->sym && analyzer_symbolizer_stack(x->sym, pid, ts, frames, n, kind,
								      x->sym_locs) == 0;
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (named && model_symbols_is_tracer_frame(&x->sym_locs[i]))
			continue;
		uint64_t id = named ? location_of(x, frames[i], &x->sym_locs[i])
				    : address_location(x, frames[i]);
		if (!id)
			return -1;
		x->locs[k++] = id;
	}
	return (int)k;
}

uint64_t pxp_synthetic_location(struct pxp *x, const char *name)
{
	struct pprof_function f = { .name = name, .system_name = name };
	struct pprof_line line = { .function_id = pprof_function_add(x->b, &f) };
	return line.function_id ? pprof_location_add(x->b, 0, 0, &line, 1) : 0;
}

/* "outer/inner" for region r, interned once per region instance. */
static int64_t region_path(struct pxp *x, uint32_t r)
{
	if (x->region_path[r] >= 0)
		return x->region_path[r];
	const struct model *m = x->m;
	char buf[1024];
	size_t len = sizeof buf - 1;
	buf[len] = 0;
	for (uint32_t q = r; q != MODEL_NONE; q = m->regions[q].parent) {
		const char *name = model_str(m, m->regions[q].name);
		size_t nl = strlen(name) + (q != r);
		if (nl > len)
			break;
		len -= nl;
		memcpy(buf + len, name, strlen(name));
		if (q != r)
			buf[len + nl - 1] = '/';
	}
	return x->region_path[r] = pprof_string_intern(x->b, buf + len);
}

#define PXP_MAX_LABELS 64

int pxp_sample_add(struct pxp *x, const struct pxp_where *w, const uint64_t *locs, size_t n,
		   const int64_t *values)
{
	const struct model *m = x->m;
	struct pprof_label l[PXP_MAX_LABELS];
	size_t nl = 0;
	l[nl++] = pprof_label_str(x->k_thread,
				  pprof_string_intern(x->b, model_thread_name(m, w->thread)));
	l[nl++] = pprof_label_num(x->k_tid, m->threads[w->thread].tid, 0);
	if (w->region != MODEL_NONE) {
		l[nl++] = pprof_label_str(x->k_region, pprof_string_intern(
				x->b, model_str(m, m->regions[w->region].name)));
		l[nl++] = pprof_label_str(x->k_regions, region_path(x, w->region));
	}
	if (w->task != MODEL_NONE)
		l[nl++] = pprof_label_str(x->k_task, pprof_string_intern(
				x->b, model_str(m, m->tasks[w->task].name)));
	if (w->labels && w->labels < m->n_labelsets) {
		const struct model_labelset *s = &m->labelsets[w->labels];
		for (uint32_t i = 0; i < s->n && nl < PXP_MAX_LABELS; i++)
			l[nl++] = pprof_label_str(
				pprof_string_intern(x->b, model_str(m, m->label_kv[s->off + 2 * i])),
				pprof_string_intern(x->b, model_str(m, m->label_kv[s->off + 2 * i + 1])));
	}
	for (size_t i = 0; i < nl; i++)
		if (l[i].key < 0 || l[i].str < 0)
			return -1;
	if (pprof_sample_add(x->b, locs, n, values, l, nl))
		return -1;
	x->kept++;
	return 0;
}
