/* The calling process's modules for the symbolizer (see self_maps.h). */
#include "self_maps.h"

#include <elf.h>
#include <link.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t self_note_build_id(const struct dl_phdr_info *info, const ElfW(Phdr) *ph,
				 uint8_t *out)
{
	const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
	while (p + sizeof(ElfW(Nhdr)) <= end) {
		const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
		const char *name = p + sizeof *n, *desc = name + ((n->n_namesz + 3) & ~3u);
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(name, "GNU", 4) &&
		    n->n_descsz <= 64) {
			memcpy(out, desc, n->n_descsz);
			return n->n_descsz;
		}
		p = desc + ((n->n_descsz + 3) & ~3u);
	}
	return 0;
}

static int self_maps_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct self_maps *maps = arg;
	if (maps->n == SELF_MAX_MODULES)
		return 1;
	struct self_module *m = &maps->m[maps->n];
	memset(m, 0, sizeof *m);
	bool exe = !info->dlpi_name[0];
	if (exe) {
		if (maps->exe >= 0)
			return 0; /* a second nameless entry is the vDSO */
		ssize_t n = readlink("/proc/self/exe", m->path, sizeof m->path - 1);
		if (n <= 0)
			return 0;
		m->path[n] = 0;
	} else if (!realpath(info->dlpi_name, m->path)) {
		return 0; /* the vDSO */
	}
	uint64_t lo = UINT64_MAX, hi = 0;
	bool first = true;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_NOTE && !m->build_id_len)
			m->build_id_len = self_note_build_id(info, ph, m->build_id);
		if (ph->p_type != PT_LOAD)
			continue;
		if (first)
			m->baddr = info->dlpi_addr + ph->p_vaddr;
		first = false;
		if (ph->p_vaddr < lo)
			lo = ph->p_vaddr;
		if (ph->p_vaddr + ph->p_memsz > hi)
			hi = ph->p_vaddr + ph->p_memsz;
		if (ph->p_flags & PF_X) {
			m->text_lo = info->dlpi_addr + ph->p_vaddr;
			m->text_hi = m->text_lo + ph->p_memsz;
		}
	}
	if (first)
		return 0;
	m->memsz = hi - lo;
	if (exe)
		maps->exe = (int)maps->n;
	else if (strstr(m->path, "/libc.so"))
		maps->libc = (int)maps->n;
	maps->n++;
	return 0;
}

void self_maps_read(struct self_maps *maps)
{
	maps->n = 0;
	maps->exe = maps->libc = -1;
	dl_iterate_phdr(self_maps_one, maps);
}

int self_maps_announce(const struct self_maps *maps, struct analyzer_symbolizer *s, int32_t pid,
		       uint64_t ts, struct analyzer_error *err)
{
	for (size_t i = 0; i < maps->n; i++) {
		const struct self_module *m = &maps->m[i];
		struct analyzer_module_seen seen = {
			.pid = pid, .ts = ts, .path = m->path, .baddr = m->baddr, .memsz = m->memsz,
			.build_id = m->build_id, .build_id_len = m->build_id_len,
		};
		if (analyzer_symbolizer_add_module(s, &seen, err) != 0)
			return -1;
	}
	return 0;
}
