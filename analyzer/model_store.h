/*
 * Storage helpers of the model and its builder: growable flat arrays, a
 * hash map from integer pairs to indices, and the interning of strings,
 * stacks and label sets into a model.
 *
 * Everything here allocates in large, doubling steps and reports running
 * out of memory by return value; nothing aborts.
 */
#ifndef ANALYZER_MODEL_STORE_H
#define ANALYZER_MODEL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

/* Makes room for need elements of elem bytes in the array *arrp (a T **
 * passed as void *), growing *cap by doubling. False when out of memory
 * (the array is then unchanged). */
bool model_vec_reserve(void *arrp, size_t *cap, size_t need, size_t elem);

/* Appends one zeroed element to (arr, n, cap) and returns a pointer to it,
 * or NULL when out of memory. */
#define MODEL_VEC_PUSH(arr, n, cap)                                    \
	(model_vec_reserve(&(arr), &(cap), (n) + 1, sizeof *(arr))     \
		 ? (memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++]) \
		 : NULL)

/* The same for a MODEL_ARRAY field of a struct. */
#define MODEL_PUSH(s, field) MODEL_VEC_PUSH((s)->field, (s)->n_##field, (s)->cap_##field)

/* Gives back the unused capacity of an array (best effort). */
void model_vec_shrink(void *arrp, size_t *cap, size_t n, size_t elem);

/* ---- map: (a, b) → uint32 value -------------------------------------- */

struct model_map_slot {
	uint64_t a, b;
	uint32_t value;
	uint32_t used;
};

struct model_map {
	struct model_map_slot *slots;
	size_t cap, n;              /* cap: 0 or a power of two */
};

/* The value stored for (a, b), or MODEL_NONE. */
uint32_t model_map_get(const struct model_map *map, uint64_t a, uint64_t b);
/* Stores value for (a, b), replacing any earlier one. -1 when out of memory. */
int model_map_put(struct model_map *map, uint64_t a, uint64_t b, uint32_t value);
void model_map_free(struct model_map *map);

/* ---- interning into a model ------------------------------------------ */

/* Hash slots of one kind of interned item (ids + 1; 0 is an empty slot). */
struct model_intern {
	uint32_t *slots;
	uint32_t *hashes;
	size_t cap, n;
};

struct model_interns {
	struct model_intern strings, stacks, labelsets;
};

/* Set up a model's interned tables with their item 0 ("", empty stack,
 * empty label set). -1 when out of memory. */
int model_interns_init(struct model_interns *in, struct model *m);
void model_interns_free(struct model_interns *in);

/* Each returns the id of the item, adding it when new; MODEL_NONE when out
 * of memory. NULL strings intern as "". */
uint32_t model_intern_string(struct model_interns *in, struct model *m, const char *s);
uint32_t model_intern_stack(struct model_interns *in, struct model *m,
			    const uint64_t *frames, uint32_t n);
/* kv: n (key, value) string-id pairs. */
uint32_t model_intern_labelset(struct model_interns *in, struct model *m,
			       const uint32_t *kv, uint32_t n);

#endif
