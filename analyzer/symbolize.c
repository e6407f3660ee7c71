/*
 * Address → function name with libdw's Dwfl (see symbolize.h). Each binary
 * is reported at its load address, as a live process's would be; libdw then
 * finds the module of an address and searches its symbol table.
 */
#include "symbolize.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>
#include <gelf.h>

#include "analyzer_error.h"

/* Address ranges already reported. libdw accepts a module overlapping an
 * earlier one (or fails half-way) and then stops finding the earlier ones,
 * so overlaps are refused before reporting. */
struct symbolize_range {
	uint64_t lo, hi;
};

struct analyzer_symbolizer {
	Dwfl *dwfl;
	struct symbolize_range *ranges;
	size_t nranges;
};

/* Bytes spanned by the file's loadable segments once mapped, 0 when the
 * file is not a readable ELF file. */
static uint64_t symbolize_load_span(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t n = 0;
	if (e && elf_getphdrnum(e, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			uint64_t align = ph.p_align > 1 ? ph.p_align : 1;
			if ((ph.p_vaddr & ~(align - 1)) < lo)
				lo = ph.p_vaddr & ~(align - 1);
			if (ph.p_vaddr + ph.p_memsz > hi)
				hi = ph.p_vaddr + ph.p_memsz;
		}
	}
	elf_end(e);
	close(fd);
	return hi > lo ? hi - lo : 0;
}

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
	free(s->ranges);
	free(s);
}

int analyzer_symbolizer_add(struct analyzer_symbolizer *s, const char *path,
			    uint64_t base, struct analyzer_error *err)
{
	Dwfl_Module *there = dwfl_addrmodule(s->dwfl, base);
	const char *name = there ? dwfl_module_info(there, NULL, NULL, NULL, NULL, NULL, NULL, NULL) : NULL;
	if (name && !strcmp(name, path))
		return 0;
	uint64_t span = symbolize_load_span(path);
	if (span == 0)
		return analyzer_error_set(err, "%s: not a readable ELF file with loadable segments", path);
	for (size_t i = 0; i < s->nranges; i++)
		if (base < s->ranges[i].hi && s->ranges[i].lo < base + span)
			return analyzer_error_set(err, "%s: 0x%llx-0x%llx overlaps a binary added before at 0x%llx",
						  path, (unsigned long long)base,
						  (unsigned long long)(base + span),
						  (unsigned long long)s->ranges[i].lo);
	struct symbolize_range *grown = realloc(s->ranges, (s->nranges + 1) * sizeof *grown);
	if (!grown)
		return analyzer_error_set(err, "%s: out of memory", path);
	s->ranges = grown;

	dwfl_report_begin_add(s->dwfl);
	/* add_p_vaddr false: base is where the first segment was mapped,
	 * which is what the statedump reports. */
	Dwfl_Module *m = dwfl_report_elf(s->dwfl, path, path, -1, base, false);
	const char *why = m ? NULL : dwfl_errmsg(-1);
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!m)
		return analyzer_error_set(err, "%s: cannot load for symbols at 0x%llx: %s",
					  path, (unsigned long long)base, why);
	s->ranges[s->nranges++] = (struct symbolize_range){ base, base + span };
	return 0;
}

const char *analyzer_symbolizer_function(struct analyzer_symbolizer *s, uint64_t addr)
{
	Dwfl_Module *m = dwfl_addrmodule(s->dwfl, addr);
	return m ? dwfl_module_addrname(m, addr) : NULL;
}
