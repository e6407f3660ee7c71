/*
 * Opening one traced file for symbols (see symbolize_internal.h).
 *
 * Each file gets its own Dwfl with the file reported at its link-time
 * addresses (base 0): the symbolizer translates run-time addresses itself,
 * per process, so one opened file serves every process that mapped it,
 * wherever ASLR put it. libdw then finds separate debug info the standard
 * way (build-id under /usr/lib/debug/.build-id, then .gnu_debuglink) and
 * checks that it belongs to the file.
 *
 * A file is trusted only when it is the one the trace saw: same build-id
 * (or, when the trace has none, the same loadable span). Names from another
 * build would be wrong names, which is worse than none.
 */
#include "symbolize_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>

/* Where Debian's -dbg packages put separate debug files, by build-id. */
#define SYMBOLIZE_DEBUG_DIR "/usr/lib/debug/.build-id"

static const Dwfl_Callbacks symbolize_object_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* The debug file named by the build-id, opened; -1 when there is none. */
static int symbolize_open_by_build_id(const struct symbolize_object *o, char *path, size_t size)
{
	if (o->build_id_len < 2)
		return -1;
	int n = snprintf(path, size, "%s/%02x/", SYMBOLIZE_DEBUG_DIR, o->build_id[0]);
	for (size_t i = 1; i < o->build_id_len && n > 0 && (size_t)n < size; i++)
		n += snprintf(path + n, size - (size_t)n, "%02x", o->build_id[i]);
	if (n < 0 || (size_t)n + sizeof ".debug" > size)
		return -1;
	strcat(path, ".debug");
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Reads the PT_LOAD layout the way LTTng computes memsz: from the lowest
 * p_vaddr to the highest p_vaddr + p_memsz. */
static bool symbolize_read_layout(struct symbolize_object *o)
{
	GElf_Addr bias;
	Elf *e = dwfl_module_getelf(o->mod, &bias);
	size_t n;
	if (!e || elf_getphdrnum(e, &n) != 0)
		return false;
	uint64_t lo = UINT64_MAX, hi = 0;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (first) {
			o->first_vaddr = ph.p_vaddr;
			o->first_offset = ph.p_offset;
			first = false;
		}
		if (ph.p_vaddr < lo)
			lo = ph.p_vaddr;
		if (ph.p_vaddr + ph.p_memsz > hi)
			hi = ph.p_vaddr + ph.p_memsz;
	}
	if (first)
		return false;
	o->span = hi - lo;
	return true;
}

static bool symbolize_build_id_matches(const struct symbolize_object *o)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len = dwfl_module_build_id(o->mod, &bits, &vaddr);
	if (!o->build_id)
		return o->expect_span == 0 || o->span == o->expect_span;
	return len > 0 && (size_t)len == o->build_id_len && !memcmp(bits, o->build_id, (size_t)len);
}

void symbolize_object_open(struct symbolize_object *o)
{
	o->usable = o->has_lines = o->have_layout = o->from_debug_file = false;
	/* "[vdso]", "[linux-vdso.so.1]": no file to read. */
	if (o->path[0] != '/')
		return;
	char debug_path[512];
	const char *file = o->path;
	int fd = open(o->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = symbolize_open_by_build_id(o, debug_path, sizeof debug_path);
		file = debug_path;
	}
	if (fd < 0)
		return;
	o->dwfl = dwfl_begin(&symbolize_object_callbacks);
	if (!o->dwfl) {
		close(fd);
		return;
	}
	dwfl_report_begin(o->dwfl);
	/* Base 0 with add_p_vaddr: module addresses are the file's own. */
	o->mod = dwfl_report_elf(o->dwfl, o->path, file, fd, 0, true);
	dwfl_report_end(o->dwfl, NULL, NULL);
	if (!o->mod) {
		close(fd); /* consumed only on success */
		return;
	}
	o->have_layout = symbolize_read_layout(o);
	if (!o->have_layout || !symbolize_build_id_matches(o))
		return;
	o->usable = true;
	o->from_debug_file = file != o->path;
	Dwarf_Addr bias;
	o->has_lines = dwfl_module_getdwarf(o->mod, &bias) != NULL;
}

void symbolize_object_close(struct symbolize_object *o)
{
	symbolize_cuindex_free(o);
	free(o->syms);
	o->syms = NULL;
	o->nsyms = 0;
	if (o->dwfl)
		dwfl_end(o->dwfl);
	o->dwfl = NULL;
	o->mod = NULL;
	o->usable = false;
}
