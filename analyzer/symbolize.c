/*
 * Address → function name with libdw's Dwfl (see symbolize.h). Each binary
 * is reported at its load address, as a live process's would be; libdw then
 * finds the module of an address and searches its symbol table.
 */
#include "symbolize.h"

#include <stdlib.h>

#include <elfutils/libdwfl.h>

#include "error.h"

struct analyzer_symbolizer {
	Dwfl *dwfl;
};

static const Dwfl_Callbacks symbolize_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct analyzer_symbolizer *analyzer_symbolizer_create(struct analyzer_error *err)
{
	struct analyzer_symbolizer *s = calloc(1, sizeof *s);
	if (!s) {
		analyzer_error_set(err, "symbolizer: out of memory");
		return NULL;
	}
	s->dwfl = dwfl_begin(&symbolize_callbacks);
	if (!s->dwfl) {
		analyzer_error_set(err, "symbolizer: %s", dwfl_errmsg(-1));
		free(s);
		return NULL;
	}
	return s;
}

void analyzer_symbolizer_destroy(struct analyzer_symbolizer *s)
{
	if (!s)
		return;
	dwfl_end(s->dwfl);
	free(s);
}

int analyzer_symbolizer_add(struct analyzer_symbolizer *s, const char *path,
			    uint64_t base, struct analyzer_error *err)
{
	dwfl_report_begin_add(s->dwfl);
	/* add_p_vaddr false: base is where the first segment was mapped,
	 * which is what the statedump reports. */
	Dwfl_Module *m = dwfl_report_elf(s->dwfl, path, path, -1, base, false);
	const char *why = m ? NULL : dwfl_errmsg(-1);
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!m)
		return analyzer_error_set(err, "%s: cannot load for symbols at 0x%llx: %s",
					  path, (unsigned long long)base, why);
	return 0;
}

const char *analyzer_symbolizer_function(struct analyzer_symbolizer *s, uint64_t addr)
{
	Dwfl_Module *m = dwfl_addrmodule(s->dwfl, addr);
	return m ? dwfl_module_addrname(m, addr) : NULL;
}
