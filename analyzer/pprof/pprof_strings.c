/*
 * The string table: every string once, in one character arena, found
 * again through a hash index so interning a known string allocates
 * nothing.
 */
#include "pprof_internal.h"

#include <string.h>

struct pprof_string_key {
	const struct pprof_builder *b;
	const char *s;
	size_t len;
};

static bool pprof_string_eq(const void *ctx, uint32_t index)
{
	const struct pprof_string_key *k = ctx;
	const char *t = k->b->chars + k->b->str_off[index];
	return strncmp(t, k->s, k->len) == 0 && t[k->len] == '\0';
}

int64_t pprof_string_intern(struct pprof_builder *b, const char *s)
{
	if (!s)
		s = "";
	struct pprof_string_key k = { b, s, strlen(s) };
	if (pprof_table_reserve(&b->string_index) < 0)
		return pprof_fail(b, "out of memory interning a string");
	uint64_t h = pprof_hash(s, k.len, 0);
	size_t pos;
	uint32_t found = pprof_table_find(&b->string_index, h, pprof_string_eq, &k, &pos);
	if (found != UINT32_MAX)
		return found;
	if (!PPROF_RESERVE(b->str_off, b->cap_strings, b->n_strings + 1) ||
	    !PPROF_RESERVE(b->chars, b->cap_chars, b->n_chars + k.len + 1))
		return pprof_fail(b, "out of memory interning a string");
	memcpy(b->chars + b->n_chars, s, k.len + 1);
	b->str_off[b->n_strings] = b->n_chars;
	b->n_chars += k.len + 1;
	pprof_table_put(&b->string_index, pos, h, (uint32_t)b->n_strings);
	return (int64_t)b->n_strings++;
}
