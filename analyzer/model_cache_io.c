/* The caches' file format (model_cache_io.h). */
#include "model_cache_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer_error.h"
#include "analysis_cache.h"
#include "model_cache.h"

#define CACHE_SUM_SEED 0xcbf29ce484222325ull

uint64_t cache_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

/* The file's checksum, 8 bytes a step: FNV-1a byte by byte cost a quarter
 * of reading a cached model back (6 instructions a byte). A multiply and a
 * shift per word still catch a damaged or truncated file; writer and
 * reader cut the stream into the same pieces, so the tails agree. */
static uint64_t cache_sum(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, sizeof w);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return cache_fnv(h, s, n);
}

static bool is_named(const char *name, const char *file)
{
	size_t n = strlen(file);
	return !strcmp(name, file) || (name[0] == '.' && !strncmp(name + 1, file, n) && name[n + 1] == '.');
}

bool cache_is_cache_file(const char *name)
{
	return is_named(name, MODEL_CACHE_FILE) || is_named(name, ANALYSIS_CACHE_FILE);
}

int cache_out_open(struct cache_out *o, const char *dir, const char *name, struct analyzer_error *err)
{
	*o = (struct cache_out){ .sum = CACHE_SUM_SEED };
	snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
	snprintf(o->tmp, sizeof o->tmp, "%s/.%s.%d", dir, name, (int)getpid());
	o->f = fopen(o->tmp, "wb");
	if (!o->f)
		return analyzer_error_set(err, "%s: %s", o->tmp, strerror(errno));
	return 0;
}

void cache_put(struct cache_out *o, const void *p, size_t n)
{
	if (o->failed || n == 0)
		return;
	o->sum = cache_sum(o->sum, p, n);
	o->failed = fwrite(p, 1, n, o->f) != n;
}

void cache_put_u64(struct cache_out *o, uint64_t v)
{
	cache_put(o, &v, sizeof v);
}

void cache_put_array(struct cache_out *o, const void *p, size_t count, size_t elem)
{
	cache_put_u64(o, count);
	cache_put(o, p, count * elem);
}

int cache_out_commit(struct cache_out *o, struct analyzer_error *err)
{
	uint64_t sum = o->sum;
	cache_put(o, &sum, sizeof sum);
	bool failed = o->failed;
	if (fclose(o->f) != 0)
		failed = true;
	if (failed || rename(o->tmp, o->path) != 0) {
		int e = errno;
		unlink(o->tmp);
		return analyzer_error_set(err, "%s: %s", o->path, failed ? "write failed" : strerror(e));
	}
	return 0;
}

bool cache_in_open(struct cache_in *in, const char *dir, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	*in = (struct cache_in){ .f = fopen(path, "rb"), .sum = CACHE_SUM_SEED };
	if (!in->f)
		return false;
	struct stat st;
	in->max = fstat(fileno(in->f), &st) == 0 ? (size_t)st.st_size : 0;
	return true;
}

bool cache_get(struct cache_in *in, void *p, size_t n)
{
	if (in->failed || n == 0)
		return !in->failed;
	if (fread(p, 1, n, in->f) != n) {
		in->failed = true;
		return false;
	}
	in->sum = cache_sum(in->sum, p, n);
	return true;
}

void *cache_get_array(struct cache_in *in, size_t elem, size_t *count)
{
	uint64_t n;
	*count = 0;
	if (!cache_get(in, &n, sizeof n) || n > in->max / elem) {
		in->failed = true;
		return NULL;
	}
	if (n == 0)
		return NULL;
	void *p = malloc((size_t)n * elem);
	if (!p || !cache_get(in, p, (size_t)n * elem)) {
		free(p);
		in->failed = true;
		return NULL;
	}
	*count = (size_t)n;
	return p;
}

bool cache_in_finish(struct cache_in *in)
{
	uint64_t sum = in->sum, stored;
	bool ok = cache_get(in, &stored, sizeof stored) && stored == sum && fgetc(in->f) == EOF;
	fclose(in->f);
	in->f = NULL;
	return ok;
}
