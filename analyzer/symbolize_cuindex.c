/*
 * The function DIEs of a compilation unit, indexed by address (see
 * symbolize_internal.h).
 *
 * dwarf_getscopes + dwarf_getscopes_die answer "which inlined calls and
 * which function is this address in" by walking the compilation unit's DIE
 * tree from its root, twice per address: 90-170 us per address on libc
 * and on our own -O2 binaries, measured. Stacks of a trace hit the same
 * units again and again, so each unit is walked once, on its first
 * address: every DW_TAG_subprogram / inlined_subroutine / entry_point with
 * code is recorded with its address ranges, its depth and the function
 * around it. An address then costs a binary search over the ranges.
 *
 * Ranges of inlined code nest inside the ranges of the function they were
 * inlined into, so the innermost function at an address is the deepest
 * range covering it; following the recorded parents gives the same chain
 * dwarf_getscopes_die would.
 */
#include "symbolize_internal.h"

#include <dwarf.h>
#include <stdlib.h>

struct symbolize_fn {
	Dwarf_Die die;
	uint32_t parent; /* enclosing function's index, UINT32_MAX at the top */
};

struct symbolize_fnrange {
	uint64_t lo, hi;
	uint64_t reach;  /* the highest hi among this and all earlier ranges */
	uint32_t fn, depth;
};

struct symbolize_cu {
	Dwarf_Off off;   /* the unit DIE's offset: its key */
	struct symbolize_fn *fns;
	size_t nfns, cap_fns;
	struct symbolize_fnrange *ranges;
	size_t nranges, cap_ranges;
};

static bool symbolize_is_function_tag(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
	       tag == DW_TAG_entry_point;
}

/* Tags whose children may hold code: scopes, and C++ types and namespaces
 * (member functions defined in a class body). */
static bool symbolize_may_hold_code(int tag)
{
	switch (tag) {
	case DW_TAG_subprogram:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_entry_point:
	case DW_TAG_lexical_block:
	case DW_TAG_try_block:
	case DW_TAG_catch_block:
	case DW_TAG_namespace:
	case DW_TAG_module:
	case DW_TAG_class_type:
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		return true;
	default:
		return false;
	}
}

static bool symbolize_cu_push_range(struct symbolize_cu *cu, uint64_t lo, uint64_t hi, uint32_t fn,
				    uint32_t depth)
{
	if (cu->nranges == cu->cap_ranges) {
		size_t cap = cu->cap_ranges ? 2 * cu->cap_ranges : 64;
		struct symbolize_fnrange *p = realloc(cu->ranges, cap * sizeof *p);
		if (!p)
			return false;
		cu->ranges = p;
		cu->cap_ranges = cap;
	}
	cu->ranges[cu->nranges++] = (struct symbolize_fnrange){ lo, hi, 0, fn, depth };
	return true;
}

/* Records die as a function with code under parent, UINT32_MAX when it
 * has no code (declarations, abstract instances), SYMBOLIZE_OOM on
 * failure. */
#define SYMBOLIZE_OOM (UINT32_MAX - 1)
static uint32_t symbolize_cu_add_fn(struct symbolize_cu *cu, Dwarf_Die *die, uint32_t parent,
				    uint32_t depth)
{
	uint32_t idx = (uint32_t)cu->nfns;
	size_t before = cu->nranges;
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0)
		if (hi > lo && !symbolize_cu_push_range(cu, lo, hi, idx, depth))
			return SYMBOLIZE_OOM;
	if (cu->nranges == before)
		return UINT32_MAX;
	if (cu->nfns == cu->cap_fns) {
		size_t cap = cu->cap_fns ? 2 * cu->cap_fns : 32;
		struct symbolize_fn *p = realloc(cu->fns, cap * sizeof *p);
		if (!p)
			return SYMBOLIZE_OOM;
		cu->fns = p;
		cu->cap_fns = cap;
	}
	cu->fns[cu->nfns++] = (struct symbolize_fn){ *die, parent };
	return idx;
}

/* Records the functions under die; false when memory runs out. */
static bool symbolize_cu_walk(struct symbolize_cu *cu, Dwarf_Die *die, uint32_t parent,
			      uint32_t depth)
{
	Dwarf_Die child;
	if (dwarf_child(die, &child) != 0)
		return true;
	do {
		int tag = dwarf_tag(&child);
		uint32_t fn = parent, d = depth;
		if (symbolize_is_function_tag(tag)) {
			fn = symbolize_cu_add_fn(cu, &child, parent, depth + 1);
			if (fn == SYMBOLIZE_OOM)
				return false;
			if (fn == UINT32_MAX)
				continue; /* no code: nothing with code inside either */
			d = depth + 1;
		}
		if (symbolize_may_hold_code(tag) && !symbolize_cu_walk(cu, &child, fn, d))
			return false;
	} while (dwarf_siblingof(&child, &child) == 0);
	return true;
}

static int symbolize_cmp_fnrange(const void *a, const void *b)
{
	const struct symbolize_fnrange *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->fn < y->fn ? -1 : x->fn > y->fn;
}

static void symbolize_cu_free(struct symbolize_cu *cu)
{
	free(cu->fns);
	free(cu->ranges);
}

/* The index of the unit at cudie, built on first use; NULL when memory
 * runs out. */
static struct symbolize_cu *symbolize_cu_get(struct symbolize_object *o, Dwarf_Die *cudie)
{
	Dwarf_Off off = dwarf_dieoffset(cudie);
	size_t lo = 0, hi = o->ncus;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->cus[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < o->ncus && o->cus[lo].off == off)
		return &o->cus[lo];
	struct symbolize_cu cu = { .off = off };
	if (!symbolize_cu_walk(&cu, cudie, UINT32_MAX, 0)) {
		symbolize_cu_free(&cu);
		return NULL;
	}
	if (cu.nranges)
		qsort(cu.ranges, cu.nranges, sizeof *cu.ranges, symbolize_cmp_fnrange);
	uint64_t reach = 0;
	for (size_t i = 0; i < cu.nranges; i++) {
		if (cu.ranges[i].hi > reach)
			reach = cu.ranges[i].hi;
		cu.ranges[i].reach = reach;
	}
	if (o->ncus == o->cap_cus) {
		size_t cap = o->cap_cus ? 2 * o->cap_cus : 16;
		struct symbolize_cu *p = realloc(o->cus, cap * sizeof *p);
		if (!p) {
			symbolize_cu_free(&cu);
			return NULL;
		}
		o->cus = p;
		o->cap_cus = cap;
	}
	for (size_t i = o->ncus; i > lo; i--)
		o->cus[i] = o->cus[i - 1];
	o->cus[lo] = cu;
	o->ncus++;
	return &o->cus[lo];
}

int symbolize_cu_chain(struct symbolize_object *o, Dwarf_Die *cudie, uint64_t pc, Dwarf_Die *chain,
		       int max)
{
	struct symbolize_cu *cu = symbolize_cu_get(o, cudie);
	if (!cu)
		return -1;
	/* The last range starting at or before pc; earlier ones can still
	 * cover pc while their reach passes it. */
	size_t lo = 0, hi = cu->nranges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cu->ranges[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct symbolize_fnrange *best = NULL;
	for (size_t i = lo; i-- > 0 && cu->ranges[i].reach > pc;) {
		const struct symbolize_fnrange *r = &cu->ranges[i];
		/* Deepest wins; between equals (the aliases GNU as describes as
		 * sibling subprograms) the first in DIE order. */
		if (pc < r->hi && (!best || r->depth > best->depth ||
				   (r->depth == best->depth && r->fn < best->fn)))
			best = r;
	}
	int n = 0;
	for (uint32_t fn = best ? best->fn : UINT32_MAX; fn != UINT32_MAX && n < max;
	     fn = cu->fns[fn].parent)
		chain[n++] = cu->fns[fn].die;
	return n;
}

void symbolize_cuindex_free(struct symbolize_object *o)
{
	for (size_t i = 0; i < o->ncus; i++)
		symbolize_cu_free(&o->cus[i]);
	free(o->cus);
	o->cus = NULL;
	o->ncus = o->cap_cus = 0;
}
