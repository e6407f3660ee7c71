/* Label depth per thread; see label_stack.h. */
#include "label_stack.h"

uint16_t label_stack_push(struct label_stack *s)
{
	if (s->depth == UINT16_MAX)
		return 0;
	return ++s->depth;
}

bool label_stack_pop(struct label_stack *s, uint16_t *depth_before)
{
	if (s->depth == 0)
		return false;
	*depth_before = s->depth--;
	return true;
}
