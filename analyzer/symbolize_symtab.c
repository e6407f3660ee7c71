/*
 * A file's function symbols, sorted, for address -> symbol by binary
 * search (see symbolize_internal.h).
 *
 * libdw's dwfl_module_addrinfo scans the whole symbol table on every call
 * (gelf_getsym + section header per symbol): ~300 us per address on
 * libc's 10,000-symbol .symtab, measured. The table is read once per file,
 * on the file's first lookup, through libdw (which picks .symtab from the
 * file or its debug file, else .dynsym) and kept as a sorted array.
 *
 * Only sized FUNC/IFUNC symbols are kept: a sizeless or data symbol would
 * name addresses it does not cover. Where aliases share an address (qsort,
 * __qsort, __GI_qsort), the global one wins over weak over local.
 */
#include "symbolize_internal.h"

#include <gelf.h>
#include <stdlib.h>

static int symbolize_sym_rank(const GElf_Sym *sym)
{
	switch (GELF_ST_BIND(sym->st_info)) {
	case STB_GLOBAL:
		return 2;
	case STB_WEAK:
		return 1;
	default:
		return 0;
	}
}

static int symbolize_cmp_sym(const void *a, const void *b)
{
	const struct symbolize_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Best-ranked first, so deduplication keeps the first. */
	return y->rank - x->rank;
}

/* Reads the table; false when memory runs out (then lookups fall back to
 * libdw's own search). */
static bool symbolize_symtab_load(struct symbolize_object *o)
{
	int n = dwfl_module_getsymtab(o->mod);
	if (n <= 0) {
		o->syms_loaded = true;
		return true;
	}
	struct symbolize_sym *syms = malloc((size_t)n * sizeof *syms);
	if (!syms)
		return false;
	size_t k = 0;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(o->mod, i, &sym, &addr, NULL, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);
		if (!name || !name[0] || sym.st_size == 0 || (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		syms[k++] = (struct symbolize_sym){
			.addr = addr,
			.size = sym.st_size,
			.name = name,
			.rank = symbolize_sym_rank(&sym),
		};
	}
	qsort(syms, k, sizeof *syms, symbolize_cmp_sym);
	size_t w = 0;
	for (size_t i = 0; i < k; i++)
		if (!w || syms[w - 1].addr != syms[i].addr)
			syms[w++] = syms[i];
	o->syms = syms;
	o->nsyms = w;
	o->syms_loaded = true;
	return true;
}

/* A symbol nested in a bigger one is rare; a few steps back find the
 * covering one without making lookups linear. */
#define SYMBOLIZE_SYM_LOOKBACK 8

const char *symbolize_symtab_find(struct symbolize_object *o, uint64_t vaddr)
{
	if (!o->syms_loaded && !symbolize_symtab_load(o)) {
		GElf_Off off;
		GElf_Sym sym;
		const char *name = dwfl_module_addrinfo(o->mod, vaddr, &off, &sym, NULL, NULL, NULL);
		int type = name ? GELF_ST_TYPE(sym.st_info) : STT_NOTYPE;
		return type == STT_FUNC || type == STT_GNU_IFUNC ? name : NULL;
	}
	size_t lo = 0, hi = o->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo, steps = 0; i-- > 0 && steps < SYMBOLIZE_SYM_LOOKBACK; steps++)
		if (vaddr - o->syms[i].addr < o->syms[i].size)
			return o->syms[i].name;
	return NULL;
}
