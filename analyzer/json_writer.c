/*
 * The JSON writer (json_writer.h).
 */
#include "json_writer.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>

void json_init(struct json_writer *j, FILE *f, bool pretty)
{
	*j = (struct json_writer){ .f = f, .pretty = pretty };
}

static void newline(struct json_writer *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before any value: the comma and line break it needs. */
static void value_begin(struct json_writer *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->has_items[j->depth - 1])
			fputc(',', j->f);
		j->has_items[j->depth - 1] = true;
		newline(j);
	}
}

static void container_open(struct json_writer *j, char c)
{
	value_begin(j);
	fputc(c, j->f);
	assert(j->depth < JSON_MAX_DEPTH);
	j->has_items[j->depth++] = false;
}

static void container_close(struct json_writer *j, char c)
{
	assert(j->depth > 0 && !j->after_key);
	bool had = j->has_items[--j->depth];
	if (had)
		newline(j);
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_object_begin(struct json_writer *j) { container_open(j, '{'); }
void json_object_end(struct json_writer *j) { container_close(j, '}'); }
void json_array_begin(struct json_writer *j) { container_open(j, '['); }
void json_array_end(struct json_writer *j) { container_close(j, ']'); }

/* Length of the valid UTF-8 sequence at p (2 to 4), 0 when invalid. */
static int utf8_len(const unsigned char *p)
{
	int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
	for (int i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Program-supplied strings may hold any bytes: invalid UTF-8 becomes
 * U+FFFD so the output stays valid JSON. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			int n = utf8_len(p);
			if (n == 0) {
				fputs("\\ufffd", f);
			} else {
				fwrite(p, 1, (size_t)n, f);
				p += n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_key(struct json_writer *j, const char *key)
{
	value_begin(j);
	put_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_uint(struct json_writer *j, uint64_t v)
{
	value_begin(j);
	fprintf(j->f, "%" PRIu64, v);
}

void json_int(struct json_writer *j, int64_t v)
{
	value_begin(j);
	fprintf(j->f, "%" PRId64, v);
}

void json_double(struct json_writer *j, double v)
{
	value_begin(j);
	if (isfinite(v))
		fprintf(j->f, "%.6g", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json_writer *j, bool v)
{
	value_begin(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json_writer *j)
{
	value_begin(j);
	fputs("null", j->f);
}

void json_string(struct json_writer *j, const char *s)
{
	value_begin(j);
	if (s)
		put_string(j->f, s);
	else
		fputs("null", j->f);
}

void json_kv_uint(struct json_writer *j, const char *key, uint64_t v) { json_key(j, key); json_uint(j, v); }
void json_kv_int(struct json_writer *j, const char *key, int64_t v) { json_key(j, key); json_int(j, v); }
void json_kv_double(struct json_writer *j, const char *key, double v) { json_key(j, key); json_double(j, v); }
void json_kv_bool(struct json_writer *j, const char *key, bool v) { json_key(j, key); json_bool(j, v); }
void json_kv_string(struct json_writer *j, const char *key, const char *s) { json_key(j, key); json_string(j, s); }

void json_kv_uint_or_null(struct json_writer *j, const char *key, uint64_t v, bool known)
{
	json_key(j, key);
	if (known)
		json_uint(j, v);
	else
		json_null(j);
}
