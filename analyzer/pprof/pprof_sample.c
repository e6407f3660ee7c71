/*
 * Samples, merged on insertion: a sample's key is its stack and its set of
 * labels (sorted, so the caller's order does not matter), found through a
 * hash index; a repeated key adds its values to the first sample's. The
 * labels are sorted in place at the end of the labels array, past the
 * stored ones, so neither a hit nor a miss allocates per sample.
 */
#include "pprof_internal.h"

#include <string.h>

struct pprof_sample_key {
	const struct pprof_builder *b;
	const uint64_t *locs;
	size_t n_locs;
	const struct pprof_label *labels;   /* sorted */
	size_t n_labels;
};

static bool pprof_sample_eq(const void *ctx, uint32_t index)
{
	const struct pprof_sample_key *k = ctx;
	const struct pprof_sample_rec *s = &k->b->samples[index];
	return s->n_locs == k->n_locs && s->n_labels == k->n_labels &&
	       (k->n_locs == 0 ||
		memcmp(k->b->sample_locs + s->loc_off, k->locs, k->n_locs * sizeof *k->locs) == 0) &&
	       (k->n_labels == 0 ||
		memcmp(k->b->labels + s->label_off, k->labels, k->n_labels * sizeof *k->labels) == 0);
}

static int pprof_label_cmp(const struct pprof_label *x, const struct pprof_label *y)
{
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->str != y->str)
		return x->str < y->str ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->num_unit != y->num_unit)
		return x->num_unit < y->num_unit ? -1 : 1;
	return 0;
}

/* Insertion sort: a sample has a handful of labels. */
static void pprof_labels_sort(struct pprof_label *l, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct pprof_label x = l[i];
		size_t j = i;
		for (; j > 0 && pprof_label_cmp(&l[j - 1], &x) > 0; j--)
			l[j] = l[j - 1];
		l[j] = x;
	}
}

static int pprof_sample_check(struct pprof_builder *b, const uint64_t *locs, size_t n_locs,
			      const struct pprof_label *labels, size_t n_labels)
{
	if (n_locs > UINT32_MAX || n_labels > UINT32_MAX)
		return pprof_fail(b, "sample with %zu locations and %zu labels is too large",
				  n_locs, n_labels);
	for (size_t i = 0; i < n_locs; i++)
		if (locs[i] == 0 || locs[i] > b->n_locations)
			return pprof_fail(b, "sample frame %zu: no location %llu (%zu added)", i,
					  (unsigned long long)locs[i], b->n_locations);
	for (size_t i = 0; i < n_labels; i++) {
		const struct pprof_label *l = &labels[i];
		if (l->key == 0 || !pprof_string_valid(b, l->key) || !pprof_string_valid(b, l->str) ||
		    !pprof_string_valid(b, l->num_unit))
			return pprof_fail(b, "sample label %zu: key %lld, str %lld or unit %lld is not a string index (1..%zu for the key)",
					  i, (long long)l->key, (long long)l->str,
					  (long long)l->num_unit, b->n_strings - 1);
	}
	return 0;
}

/* Sums as unsigned: wrapping instead of undefined behaviour. */
static void pprof_values_add(int64_t *dst, const int64_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (int64_t)((uint64_t)dst[i] + (uint64_t)src[i]);
}

int pprof_sample_add(struct pprof_builder *b, const uint64_t *location_ids, size_t n_locations,
		     const int64_t *values, const struct pprof_label *labels, size_t n_labels)
{
	if (pprof_sample_check(b, location_ids, n_locations, labels, n_labels) < 0)
		return -1;
	if (!PPROF_RESERVE(b->labels, b->cap_labels, b->n_labels + n_labels) ||
	    pprof_table_reserve(&b->sample_index) < 0)
		goto oom;
	struct pprof_label *sorted = b->labels + b->n_labels;
	if (n_labels)
		memcpy(sorted, labels, n_labels * sizeof *labels);
	pprof_labels_sort(sorted, n_labels);

	struct pprof_sample_key k = { b, location_ids, n_locations, sorted, n_labels };
	uint64_t h = pprof_hash(sorted, n_labels * sizeof *sorted, n_locations);
	h = pprof_hash(location_ids, n_locations * sizeof *location_ids, h);
	size_t pos;
	uint32_t found = pprof_table_find(&b->sample_index, h, pprof_sample_eq, &k, &pos);
	if (found != UINT32_MAX) {
		pprof_values_add(b->values + (size_t)found * b->n_types, values, b->n_types);
		return 0;
	}

	if (!PPROF_RESERVE(b->samples, b->cap_samples, b->n_samples + 1) ||
	    !PPROF_RESERVE(b->sample_locs, b->cap_sample_locs, b->n_sample_locs + n_locations) ||
	    !PPROF_RESERVE(b->values, b->cap_values, (b->n_samples + 1) * b->n_types))
		goto oom;
	if (n_locations)
		memcpy(b->sample_locs + b->n_sample_locs, location_ids,
		       n_locations * sizeof *location_ids);
	memcpy(b->values + b->n_samples * b->n_types, values, b->n_types * sizeof *values);
	b->samples[b->n_samples] = (struct pprof_sample_rec){
		.loc_off = b->n_sample_locs,
		.label_off = b->n_labels,
		.n_locs = (uint32_t)n_locations,
		.n_labels = (uint32_t)n_labels,
	};
	b->n_sample_locs += n_locations;
	b->n_labels += n_labels;
	pprof_table_put(&b->sample_index, pos, h, (uint32_t)b->n_samples);
	b->n_samples++;
	return 0;
oom:
	pprof_fail(b, "out of memory adding sample %zu", b->n_samples + 1);
	return -1;
}
