/*
 * Writing pprof profiles (profile.proto, gzipped), the format `go tool
 * pprof` and its web UI read. This module knows nothing of traces: a caller
 * (`ctrace pprof`, the viewer's export) turns whatever it measured into
 * functions, locations and samples here, then writes the file.
 *
 * Model, as in profile.proto:
 *   - strings are interned: every name is an index into one string table
 *     whose entry 0 is "";
 *   - a function is (name, system name, file, start line);
 *   - a location is an address in a mapping plus one or more lines; several
 *     lines mean inlined calls, innermost first;
 *   - a sample is a stack of location ids (leaf first), one value per
 *     sample type, and labels.
 * Functions and locations are deduplicated on insertion (adding the same
 * one twice returns the same id), and so are samples: a sample with the
 * same stack and labels as an earlier one adds its values to it, which
 * keeps files small when a caller adds one sample per event.
 *
 * Errors: functions that add things return an id (>= 1) or 0 / -1 on
 * failure; the builder then remembers the first failure's message
 * (pprof_builder_error) and refuses to write, so a profile that lost data
 * is never written silently. Writing reports its own failures through a
 * struct pprof_error naming the file and what failed.
 *
 * Memory: everything lives in a few flat arrays and hash tables owned by
 * the builder, grown by doubling; nothing is allocated per sample.
 * Strings passed in are copied. A builder is not thread-safe.
 */
#ifndef PPROF_BUILDER_H
#define PPROF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPROF_ERROR_MAX 1024
struct pprof_error {
	char msg[PPROF_ERROR_MAX];
};

struct pprof_builder;

/* A kind of value and its unit, e.g. {"cpu", "nanoseconds"}. */
struct pprof_value_type {
	const char *type;
	const char *unit;
};

/* A builder whose samples carry one value per sample type, in this order
 * (n >= 1; e.g. samples/count then cpu/nanoseconds). NULL with err filled
 * when a type is missing or memory runs out. Free with
 * pprof_builder_destroy. */
struct pprof_builder *pprof_builder_create(const struct pprof_value_type *sample_types,
					   size_t n_sample_types, struct pprof_error *err);
void pprof_builder_destroy(struct pprof_builder *b);

/* The first failure's message, NULL while every call succeeded. Borrowed
 * from the builder. */
const char *pprof_builder_error(const struct pprof_builder *b);

/* What one sampling event stands for, e.g. {"cpu", "nanoseconds"} and
 * 10000000 for a 100 Hz CPU profile. 0 or -1 (see above). */
int pprof_builder_set_period(struct pprof_builder *b, struct pprof_value_type period_type,
			     int64_t period);
/* When the profile was taken (ns since the epoch) and for how long. */
void pprof_builder_set_time(struct pprof_builder *b, int64_t time_nanos, int64_t duration_nanos);
/* A free-form line `go tool pprof` shows above reports. 0 or -1. */
int pprof_builder_add_comment(struct pprof_builder *b, const char *text);
/* The sample type reports show unless told otherwise (pprof's own default
 * is the last one); type must be one of the sample types'. 0 or -1. */
int pprof_builder_set_default_sample_type(struct pprof_builder *b, const char *type);

/* The string's index in the string table (NULL and "" give 0), -1 when
 * memory runs out. Use it for label keys, values and units. */
int64_t pprof_string_intern(struct pprof_builder *b, const char *s);

/* A binary or library mapped in the profiled process. */
struct pprof_mapping {
	uint64_t start, limit;   /* addresses [start, limit) it is mapped at */
	uint64_t offset;         /* file offset mapped at start */
	const char *file;        /* path, may be NULL */
	const char *build_id;    /* e.g. the GNU build-id in hex, may be NULL */
	/* What the locations in it already carry; pprof does not try to
	 * symbolize a mapping that has functions. */
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};
/* Its id (>= 1), 0 on failure. Mappings are not deduplicated. */
uint64_t pprof_mapping_add(struct pprof_builder *b, const struct pprof_mapping *m);

struct pprof_function {
	const char *name;         /* e.g. the demangled name; NULL: "" */
	const char *system_name;  /* e.g. the symbol; NULL: "" */
	const char *file;         /* source file; NULL: "" */
	int64_t start_line;       /* 0 when unknown */
};
/* Its id (>= 1), the same id for the same four fields; 0 on failure. */
uint64_t pprof_function_add(struct pprof_builder *b, const struct pprof_function *f);

/* One source line: a function id and a line in it (0 when unknown). */
struct pprof_line {
	uint64_t function_id;
	int64_t line;
};
/* A location's id (>= 1); 0 on failure. mapping_id is 0 or a mapping's
 * id. With an address, (mapping, address) identifies the location: adding
 * it again returns the first id whatever its lines. Without one (address
 * 0), its lines identify it and n_lines must be >= 1. Several lines are
 * inlined frames, innermost first. */
uint64_t pprof_location_add(struct pprof_builder *b, uint64_t mapping_id, uint64_t address,
			    const struct pprof_line *lines, size_t n_lines);

/* A sample label, by string table indices (pprof_string_intern). A string
 * label has str set, a numeric one num and optionally num_unit; pprof
 * ignores a numeric label whose num and num_unit are both 0. */
struct pprof_label {
	int64_t key, str, num, num_unit;
};

static inline struct pprof_label pprof_label_str(int64_t key, int64_t str)
{
	return (struct pprof_label){ .key = key, .str = str };
}

static inline struct pprof_label pprof_label_num(int64_t key, int64_t num, int64_t num_unit)
{
	return (struct pprof_label){ .key = key, .num = num, .num_unit = num_unit };
}

/* Adds a sample: location ids leaf first (may be empty), one value per
 * sample type, labels in any order. A sample with the same locations and
 * the same set of labels as an earlier one is merged into it (values
 * summed). 0, or -1 when an id or string index is out of range or memory
 * runs out. */
int pprof_sample_add(struct pprof_builder *b, const uint64_t *location_ids, size_t n_locations,
		     const int64_t *values, const struct pprof_label *labels, size_t n_labels);

/* Distinct samples so far (after merging). */
size_t pprof_builder_sample_count(const struct pprof_builder *b);

/* The gzipped profile in memory: *out is malloc'd, the caller frees it.
 * 0, or -1 with err filled (no samples, an earlier call failed, memory). */
int pprof_builder_encode(const struct pprof_builder *b, unsigned char **out, size_t *len,
			 struct pprof_error *err);

/* Encodes and writes to path, through a temporary file in the same
 * directory renamed over path once complete: path is either the whole
 * profile or untouched. 0, or -1 with err naming path and what failed. */
int pprof_builder_write(const struct pprof_builder *b, const char *path, struct pprof_error *err);

#endif
