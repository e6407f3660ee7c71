/*
 * The calling process's own modules, read the way LTTng's statedump reads
 * them (dl_iterate_phdr: real path, first PT_LOAD address, PT_LOAD span,
 * GNU build-id note), so tests and benchmarks can feed the symbolizer
 * without recording a trace.
 */
#ifndef SELF_MAPS_H
#define SELF_MAPS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "symbolize.h"

struct self_module {
	char path[PATH_MAX];
	uint64_t baddr, memsz;
	uint64_t text_lo, text_hi; /* the executable segment, run-time addresses */
	uint8_t build_id[64];
	size_t build_id_len;
};

#define SELF_MAX_MODULES 64
struct self_maps {
	struct self_module m[SELF_MAX_MODULES];
	size_t n;
	int exe;  /* index of the executable, -1 when not found */
	int libc; /* index of libc, -1 when not found */
};

/* Fills maps with the process's modules (the vDSO left out). */
void self_maps_read(struct self_maps *maps);

/* Announces every module to s as pid at time ts; 0, or -1 with err. */
int self_maps_announce(const struct self_maps *maps, struct analyzer_symbolizer *s, int32_t pid,
		       uint64_t ts, struct analyzer_error *err);

#endif
