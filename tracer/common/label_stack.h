/*
 * Per-thread label depth. The labels themselves live in the trace (each
 * push/pop is an event and the analyzer rebuilds the stack); the tracer only
 * needs the depth so that a pop with nothing pushed is dropped instead of
 * corrupting the reader's stack.
 */
#ifndef TRACER_LABEL_STACK_H
#define TRACER_LABEL_STACK_H

#include <stdbool.h>
#include <stdint.h>

struct label_stack {
	uint16_t depth;
};

/* Returns the depth after the push, or 0 when the stack is full (65535
 * labels deep: such a push is dropped). */
uint16_t label_stack_push(struct label_stack *s);
/* Returns false (and changes nothing) when nothing is pushed; otherwise
 * stores the depth before the pop in *depth_before. */
bool label_stack_pop(struct label_stack *s, uint16_t *depth_before);

#endif
