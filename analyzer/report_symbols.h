/*
 * Function names for the stacks a report prints: the seam between the
 * model (raw interned stacks, module announcements) and the symbolizer
 * (symbolize.h), used only once the model is complete.
 */
#ifndef ANALYZER_REPORT_SYMBOLS_H
#define ANALYZER_REPORT_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "symbolize.h"

struct report_symbols;

/* A symbolizer loaded with m's modules; NULL when none can be made (the
 * reports then print addresses). */
struct report_symbols *report_symbols_create(const struct model *m);
void report_symbols_destroy(struct report_symbols *rs);

/* Up to max_frames functions of stack (seen in process pid at ts; kind:
 * a CPU sample's or an event's, symbolize.h), innermost first, as
 * "f <- g <- h"; frames inside ctrace's own preload library are skipped.
 * "" for an empty stack. Returns buf. */
const char *report_symbols_stack(struct report_symbols *rs, const struct model *m, uint32_t stack,
				 enum analyzer_stack_kind kind, int32_t pid, uint64_t ts,
				 unsigned max_frames, char *buf, size_t size);

#endif
