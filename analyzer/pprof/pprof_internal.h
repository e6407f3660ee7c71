/*
 * The builder's insides, shared by its files: pprof_builder.c (creation,
 * profile-wide fields, failures), pprof_strings.c, pprof_symbols.c
 * (mappings, functions, locations), pprof_sample.c, pprof_encode.c
 * (protobuf message), pprof_compress.c (gzip), pprof_write.c (file).
 *
 * Ids handed out are array index + 1, as profile.proto wants ids >= 1.
 */
#ifndef PPROF_INTERNAL_H
#define PPROF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof_builder.h"
#include "pprof_table.h"

struct pprof_vtype {
	int64_t type, unit;   /* string indices */
};

struct pprof_mapping_rec {
	uint64_t start, limit, offset;
	int64_t file, build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

/* Four int64 with no padding: hashed and compared as bytes. */
struct pprof_function_rec {
	int64_t name, system_name, file, start_line;
};

struct pprof_location_rec {
	uint64_t mapping_id, address;
	size_t line_off;      /* into lines */
	size_t n_lines;
};

struct pprof_sample_rec {
	size_t loc_off;       /* into sample_locs */
	size_t label_off;     /* into labels; values at index * n_types */
	uint32_t n_locs, n_labels;
};

struct pprof_builder {
	bool failed;
	char error[PPROF_ERROR_MAX];

	struct pprof_vtype *types;
	size_t n_types;
	struct pprof_vtype period_type;
	int64_t period, time_nanos, duration_nanos, default_type;
	int64_t *comments;
	size_t n_comments, cap_comments;

	/* String i is chars + str_off[i], NUL-terminated. */
	char *chars;
	size_t n_chars, cap_chars;
	size_t *str_off;
	size_t n_strings, cap_strings;
	struct pprof_table string_index;

	struct pprof_mapping_rec *mappings;
	size_t n_mappings, cap_mappings;

	struct pprof_function_rec *functions;
	size_t n_functions, cap_functions;
	struct pprof_table function_index;

	struct pprof_location_rec *locations;
	size_t n_locations, cap_locations;
	struct pprof_line *lines;
	size_t n_lines, cap_lines;
	struct pprof_table location_index;

	struct pprof_sample_rec *samples;
	size_t n_samples, cap_samples;
	uint64_t *sample_locs;
	size_t n_sample_locs, cap_sample_locs;
	int64_t *values;      /* n_samples * n_types */
	size_t cap_values;
	/* Labels of each sample, sorted; the entries past n_labels are
	 * scratch for the sample being added. */
	struct pprof_label *labels;
	size_t n_labels, cap_labels;
	struct pprof_table sample_index;
};

/* Grows an array to hold at least need elements (doubling); returns the
 * new array and updates *cap, or returns p and leaves *cap alone when
 * memory runs out. Use PPROF_RESERVE. */
void *pprof_grow(void *p, size_t *cap, size_t need, size_t elem);

/* True when arr (capacity cap) can hold need elements, growing it if
 * needed. need is evaluated more than once. */
#define PPROF_RESERVE(arr, cap, need)                                             \
	((need) <= (cap) ||                                                       \
	 ((arr) = pprof_grow((arr), &(cap), (need), sizeof *(arr)), (need) <= (cap)))

/* Records the builder's first failure; returns -1. */
int pprof_fail(struct pprof_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats err (when not NULL); returns -1. */
int pprof_error_set(struct pprof_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True when i is a valid string index. */
static inline bool pprof_string_valid(const struct pprof_builder *b, int64_t i)
{
	return i >= 0 && (uint64_t)i < b->n_strings;
}

/* The protobuf encoding (not gzipped) of samples [s0, s1) and, when
 * with_rest, of everything else in the profile: concatenated, the parts
 * of a split of the samples, one with the rest, are the whole profile.
 * *out is malloc'd. */
int pprof_encode_part(const struct pprof_builder *b, size_t s0, size_t s1, bool with_rest,
		      unsigned char **out, size_t *len, struct pprof_error *err);

#endif
