/* Region nesting per thread; see region_stack.h. */
#include "region_stack.h"

#include <assert.h>

uint64_t region_name_hash(const char *name)
{
	/* FNV-1a: names are short and a collision only hides a mismatch. */
	uint64_t h = 1469598103934665603ull;
	if (!name)
		return h;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

uint32_t region_stack_push(struct region_stack *s, uint64_t hash, uint64_t now_ns)
{
	if (s->depth < REGION_STACK_MAX) {
		s->hash[s->depth] = hash;
		s->begin_ns[s->depth] = now_ns;
	}
	if (s->depth < UINT32_MAX)
		s->depth++;
	return s->depth;
}

struct region_pop region_stack_pop(struct region_stack *s, uint64_t hash, uint64_t now_ns)
{
	struct region_pop r = { 0, 0, REGION_NOT_OPEN };
	if (s->depth == 0)
		return r;
	r.depth = s->depth;
	s->depth--;
	if (s->depth < REGION_STACK_MAX) {
		uint64_t begin = s->begin_ns[s->depth];
		r.duration_ns = now_ns >= begin ? now_ns - begin : 0;
		r.mismatch = s->hash[s->depth] == hash ? REGION_MATCH : REGION_NAME_MISMATCH;
	} else {
		/* Deeper than we keep: the name cannot be checked. */
		r.mismatch = REGION_MATCH;
	}
	assert(r.depth == s->depth + 1);
	return r;
}
