/*
 * The builder's life and its profile-wide fields: sample types, period,
 * time, comments, default sample type; and how failures are remembered
 * (see pprof_builder.h: the first failure sticks and blocks writing).
 */
#include "pprof_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *pprof_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return p;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		return p;
	void *q = realloc(p, ncap * elem);
	if (!q)
		return p;
	*cap = ncap;
	return q;
}

static void pprof_vformat(char *msg, const char *fmt, va_list ap)
{
	vsnprintf(msg, PPROF_ERROR_MAX, fmt, ap);
}

int pprof_error_set(struct pprof_error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	pprof_vformat(err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int pprof_fail(struct pprof_builder *b, const char *fmt, ...)
{
	if (b->failed)
		return -1;
	b->failed = true;
	va_list ap;
	va_start(ap, fmt);
	pprof_vformat(b->error, fmt, ap);
	va_end(ap);
	return -1;
}

const char *pprof_builder_error(const struct pprof_builder *b)
{
	return b->failed ? b->error : NULL;
}

struct pprof_builder *pprof_builder_create(const struct pprof_value_type *sample_types,
					   size_t n_sample_types, struct pprof_error *err)
{
	if (n_sample_types == 0 || n_sample_types > UINT32_MAX) {
		pprof_error_set(err, "a profile needs at least one sample type");
		return NULL;
	}
	for (size_t i = 0; i < n_sample_types; i++) {
		if (!sample_types[i].type || !*sample_types[i].type) {
			pprof_error_set(err, "sample type %zu has no name", i);
			return NULL;
		}
	}
	struct pprof_builder *b = calloc(1, sizeof *b);
	if (!b || !(b->types = calloc(n_sample_types, sizeof *b->types))) {
		free(b);
		pprof_error_set(err, "out of memory creating a builder");
		return NULL;
	}
	b->n_types = n_sample_types;
	/* profile.proto requires string 0 to be "". */
	if (pprof_string_intern(b, "") != 0)
		goto oom;
	for (size_t i = 0; i < n_sample_types; i++) {
		b->types[i].type = pprof_string_intern(b, sample_types[i].type);
		b->types[i].unit = pprof_string_intern(b, sample_types[i].unit);
		if (b->types[i].type < 0 || b->types[i].unit < 0)
			goto oom;
	}
	return b;
oom:
	pprof_builder_destroy(b);
	pprof_error_set(err, "out of memory creating a builder");
	return NULL;
}

void pprof_builder_destroy(struct pprof_builder *b)
{
	if (!b)
		return;
	free(b->types);
	free(b->comments);
	free(b->chars);
	free(b->str_off);
	pprof_table_free(&b->string_index);
	free(b->mappings);
	free(b->functions);
	pprof_table_free(&b->function_index);
	free(b->locations);
	free(b->lines);
	pprof_table_free(&b->location_index);
	free(b->samples);
	free(b->sample_locs);
	free(b->values);
	free(b->labels);
	pprof_table_free(&b->sample_index);
	free(b);
}

int pprof_builder_set_period(struct pprof_builder *b, struct pprof_value_type period_type,
			     int64_t period)
{
	int64_t type = pprof_string_intern(b, period_type.type);
	int64_t unit = pprof_string_intern(b, period_type.unit);
	if (type < 0 || unit < 0)
		return pprof_fail(b, "out of memory setting the period type");
	b->period_type = (struct pprof_vtype){ type, unit };
	b->period = period;
	return 0;
}

void pprof_builder_set_time(struct pprof_builder *b, int64_t time_nanos, int64_t duration_nanos)
{
	b->time_nanos = time_nanos;
	b->duration_nanos = duration_nanos;
}

int pprof_builder_add_comment(struct pprof_builder *b, const char *text)
{
	int64_t s = pprof_string_intern(b, text);
	if (s < 0 || !PPROF_RESERVE(b->comments, b->cap_comments, b->n_comments + 1))
		return pprof_fail(b, "out of memory adding a comment");
	b->comments[b->n_comments++] = s;
	return 0;
}

int pprof_builder_set_default_sample_type(struct pprof_builder *b, const char *type)
{
	for (size_t i = 0; i < b->n_types; i++) {
		if (type && strcmp(b->chars + b->str_off[b->types[i].type], type) == 0) {
			b->default_type = b->types[i].type;
			return 0;
		}
	}
	return pprof_fail(b, "default sample type '%s' is not one of the profile's sample types",
			  type ? type : "(null)");
}

size_t pprof_builder_sample_count(const struct pprof_builder *b)
{
	return b->n_samples;
}
