/*
 * Symbolizing code addresses of one traced process (CPU sample stacks,
 * allocation and lock-release stacks) with libdw.
 *
 * A process's binaries are announced in the trace by
 * lttng_ust_statedump:bin_info / lttng_ust_dl:dlopen events carrying each
 * file's path and load address (`baddr`); executables are PIE, so that
 * address is needed to map an instruction pointer back to the file. Add
 * each binary once, then look addresses up.
 */
#ifndef ANALYZER_SYMBOLIZE_H
#define ANALYZER_SYMBOLIZE_H

#include <stdint.h>

#include "reader.h"

struct analyzer_symbolizer;

/* A symbolizer with no binary yet; NULL with err filled on failure. Free
 * with analyzer_symbolizer_destroy. */
struct analyzer_symbolizer *analyzer_symbolizer_create(struct analyzer_error *err);
void analyzer_symbolizer_destroy(struct analyzer_symbolizer *s);

/* Maps the ELF file at path as loaded at base (the statedump's baddr);
 * adding the same file at the same address again does nothing.
 * Returns 0, or -1 with err filled when the file cannot be read or
 * overlaps a binary added before. */
int analyzer_symbolizer_add(struct analyzer_symbolizer *s, const char *path,
			    uint64_t base, struct analyzer_error *err);

/* The name of the function containing addr, NULL when no added binary
 * covers it or its symbol table does not name it. Borrowed: valid until
 * the symbolizer is destroyed. For return addresses (stack frames after
 * the first) pass addr - 1, so a call at a function's end is not taken
 * for the next function. */
const char *analyzer_symbolizer_function(struct analyzer_symbolizer *s, uint64_t addr);

#endif
