/*
 * File address -> frames, innermost first (see symbolize_internal.h).
 *
 * With DWARF, the unit's function index (symbolize_cuindex.c) gives the
 * chain of DW_TAG_inlined_subroutine DIEs around the address, ending at
 * the DW_TAG_subprogram the code physically belongs to. Each inlined DIE is one frame; the line table
 * gives the innermost frame's line, and each inlined DIE's
 * DW_AT_call_file/DW_AT_call_line give the line of the frame around it.
 * Names follow DW_AT_abstract_origin (dwarf_attr_integrate), where inlined
 * and cloned copies keep them.
 *
 * Without DWARF for the address, the symbol table names the function
 * (.symtab of the file or its debug file, else .dynsym), and the line
 * table, if any, its line.
 */
#include "symbolize_internal.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <string.h>

static const char *symbolize_die_string(Dwarf_Die *d, unsigned name)
{
	Dwarf_Attribute a;
	return dwarf_formstring(dwarf_attr_integrate(d, name, &a));
}

static const char *symbolize_die_linkage_name(Dwarf_Die *d)
{
	const char *s = symbolize_die_string(d, DW_AT_linkage_name);
	return s ? s : symbolize_die_string(d, DW_AT_MIPS_linkage_name);
}

static uint32_t symbolize_die_udata(Dwarf_Die *d, unsigned name)
{
	Dwarf_Attribute a;
	Dwarf_Word v;
	if (dwarf_formudata(dwarf_attr(d, name, &a), &v) != 0 || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

/* The file an inlined DIE was called from: DW_AT_call_file indexes the
 * file table of its compilation unit. */
static const char *symbolize_call_file(Dwarf_Die *d)
{
	Dwarf_Attribute a;
	Dwarf_Word idx;
	if (dwarf_formudata(dwarf_attr(d, DW_AT_call_file, &a), &idx) != 0)
		return NULL;
	Dwarf_Die cu;
	Dwarf_Files *files;
	size_t nfiles;
	if (!dwarf_diecu(d, &cu, NULL, NULL) || dwarf_getsrcfiles(&cu, &files, &nfiles) != 0 ||
	    idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

/* Interns every string of f in place; false when memory ran out. */
static bool symbolize_frame_intern(struct analyzer_frame *f, struct symbolize_strings *t)
{
	const char **fields[] = { &f->function, &f->system_name, &f->file, &f->function_file };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!*fields[i])
			continue;
		*fields[i] = symbolize_intern(t, *fields[i]);
		if (!*fields[i])
			return false;
	}
	return true;
}

/* The ELF symbol when it names a compiler's copy of function name
 * ("hot.constprop.0", "main.cold"), NULL otherwise: other symbols at the
 * address are aliases (glibc's __GI_qsort for qsort) that say nothing
 * more. */
static const char *symbolize_clone_name(const char *name, const char *symbol)
{
	if (!symbol)
		return NULL;
	if (!name)
		return symbol;
	size_t n = strlen(name);
	return !strncmp(symbol, name, n) && symbol[n] == '.' ? symbol : NULL;
}

/* The DWARF chain at vaddr (see the top of the file); 0 when DWARF does
 * not cover vaddr. file/line: the line table's answer for vaddr. symbol:
 * the ELF symbol there, the physical function's system name. */
static int symbolize_dwarf_frames(struct symbolize_object *o, uint64_t vaddr, const char *file,
				  uint32_t line, const char *symbol, struct symbolize_strings *t,
				  struct analyzer_frame *out)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(o->mod, vaddr, &bias);
	if (!cu)
		return 0;
	Dwarf_Die chain[SYMBOLIZE_MAX_FRAMES];
	int nchain = symbolize_cu_chain(o, cu, vaddr - bias, chain, SYMBOLIZE_MAX_FRAMES);
	if (nchain <= 0)
		return nchain;
	int n = 0;
	for (int i = 0; i < nchain; i++) {
		Dwarf_Die *d = &chain[i];
		bool inlined = dwarf_tag(d) == DW_TAG_inlined_subroutine;
		const char *linkage = symbolize_die_linkage_name(d);
		const char *name = symbolize_die_string(d, DW_AT_name);
		const char *system = linkage ? linkage : !inlined ? symbolize_clone_name(name, symbol) : NULL;
		if (!name)
			name = system;
		if (!name)
			break;
		int decl_line = 0;
		if (dwarf_decl_line(d, &decl_line) != 0 || decl_line < 0)
			decl_line = 0;
		out[n] = (struct analyzer_frame){
			.function = name,
			.system_name = system ? system : name,
			.file = file,
			.function_file = dwarf_decl_file(d),
			.line = line,
			.start_line = (uint32_t)decl_line,
		};
		if (!symbolize_frame_intern(&out[n], t))
			return -1;
		n++;
		if (!inlined)
			break;
		/* The frame around this one runs at the call that was inlined. */
		file = symbolize_call_file(d);
		line = symbolize_die_udata(d, DW_AT_call_line);
	}
	return n;
}

int symbolize_frames(struct symbolize_object *o, uint64_t vaddr, struct symbolize_strings *t,
		     struct analyzer_frame *out)
{
	const char *symbol = symbolize_symtab_find(o, vaddr);
	const char *file = NULL;
	int line = 0;
	Dwfl_Line *l = dwfl_module_getsrc(o->mod, vaddr);
	if (l)
		file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
	if (line < 0)
		line = 0;
	if (o->has_lines) {
		int n = symbolize_dwarf_frames(o, vaddr, file, (uint32_t)line, symbol, t, out);
		if (n != 0)
			return n;
	}
	if (!symbol)
		return 0;
	out[0] = (struct analyzer_frame){
		.function = symbol,
		.system_name = symbol,
		.file = file,
		.line = (uint32_t)line,
	};
	return symbolize_frame_intern(&out[0], t) ? 1 : -1;
}
