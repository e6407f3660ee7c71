/*
 * Per-thread stack of open regions, kept by the tracer so region_end can say
 * how long the region lasted (the flight recorder triggers on that) and
 * whether the name matched. Names are compared by hash: the caller's string
 * may be gone by the time the region ends.
 */
#ifndef TRACER_REGION_STACK_H
#define TRACER_REGION_STACK_H

#include <stdint.h>

#define REGION_STACK_MAX 64

struct region_stack {
	uint32_t depth;                 /* may exceed REGION_STACK_MAX */
	uint64_t hash[REGION_STACK_MAX];
	uint64_t begin_ns[REGION_STACK_MAX];
};

enum region_mismatch {
	REGION_MATCH = 0,
	REGION_NAME_MISMATCH = 1,       /* innermost region had another name */
	REGION_NOT_OPEN = 2,            /* nothing was open */
};

struct region_pop {
	uint32_t depth;                 /* depth of the region closed, 0 if none */
	uint64_t duration_ns;           /* 0 when its begin is not known */
	enum region_mismatch mismatch;
};

uint64_t region_name_hash(const char *name);
/* Returns the new depth. */
uint32_t region_stack_push(struct region_stack *s, uint64_t hash, uint64_t now_ns);
/* Closes the innermost region whatever its name (see ctrace.h). */
struct region_pop region_stack_pop(struct region_stack *s, uint64_t hash, uint64_t now_ns);

#endif
