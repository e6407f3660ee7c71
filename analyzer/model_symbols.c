/*
 * Model → symbolizer (model_symbols.h).
 */
#include "model_symbols.h"

#include <string.h>

struct analyzer_symbolizer *model_symbolizer_create(const struct model *m)
{
	struct analyzer_error err;
	struct analyzer_symbolizer *s = analyzer_symbolizer_create(&err);
	if (!s)
		return NULL;
	for (size_t i = 0; i < m->n_modules; i++) {
		const struct model_module *mod = &m->modules[i];
		struct analyzer_module_seen seen = {
			.pid = m->processes[mod->process].pid,
			.ts = mod->load_ns,
			.path = model_str(m, mod->path),
			.baddr = mod->baddr,
			.memsz = mod->memsz,
			.build_id = mod->build_id_len ? m->blob + mod->build_id_off : NULL,
			.build_id_len = mod->build_id_len,
			.not_pic = mod->not_pic,
		};
		analyzer_symbolizer_add_module(s, &seen, &err);
	}
	return s;
}

bool model_symbols_is_tracer_frame(const struct analyzer_location *loc)
{
	return loc->module && loc->module->path && strstr(loc->module->path, "libctrace-preload");
}
