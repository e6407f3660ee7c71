/*
 * A small streaming JSON writer: values go straight to a FILE, commas and
 * indentation are handled here, strings are escaped per RFC 8259.
 * Integers are written exactly (all times are integer nanoseconds).
 */
#ifndef ANALYZER_JSON_WRITER_H
#define ANALYZER_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *f;
	bool pretty;
	int depth;
	bool has_items[JSON_MAX_DEPTH];  /* per open container: a value was written */
	bool after_key;
};

void json_init(struct json_writer *j, FILE *f, bool pretty);

void json_object_begin(struct json_writer *j);
void json_object_end(struct json_writer *j);
void json_array_begin(struct json_writer *j);
void json_array_end(struct json_writer *j);
/* Inside an object, before each value. */
void json_key(struct json_writer *j, const char *key);

void json_uint(struct json_writer *j, uint64_t v);
void json_int(struct json_writer *j, int64_t v);
void json_double(struct json_writer *j, double v);
void json_bool(struct json_writer *j, bool v);
void json_null(struct json_writer *j);
/* NULL writes null. */
void json_string(struct json_writer *j, const char *s);

/* key: value shortcuts. */
void json_kv_uint(struct json_writer *j, const char *key, uint64_t v);
void json_kv_int(struct json_writer *j, const char *key, int64_t v);
void json_kv_double(struct json_writer *j, const char *key, double v);
void json_kv_bool(struct json_writer *j, const char *key, bool v);
void json_kv_string(struct json_writer *j, const char *key, const char *s);
/* v, or null when !known. */
void json_kv_uint_or_null(struct json_writer *j, const char *key, uint64_t v, bool known);

#endif
