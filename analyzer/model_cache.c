/*
 * The model cache (model_cache.h): a finished model written as it is in
 * memory — its flat arrays one after the other — so a second analysis of
 * the same trace reads it back in a fraction of the time reading the
 * trace takes.
 *
 * File: a header (magic, format version, the size of every record type,
 * the trace's fingerprint), the model's scalar fields, each array as a
 * count and its bytes, each thread's timeline and each CPU's slices, the
 * load information, and a checksum of everything before it. Any
 * difference (another trace, another layout, a damaged file) makes it
 * stale: the trace is read again. Native byte order: the cache is for the
 * machine that wrote it.
 */
#include "model_cache.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer_error.h"
#include "model_cache_io.h"
#include "model_check.h"

#define CACHE_MAGIC "CTRMODEL"

/* Every array of struct model, in file order. */
#define CACHE_ARRAYS(X)                                                        \
	X(processes) X(threads) X(name_changes) X(cpus) X(regions) X(tasks)    \
	X(attaches) X(label_changes) X(logs) X(locks) X(waits) X(syscalls)     \
	X(samples) X(alloc_samples) X(bursts) X(mmaps) X(modules) X(str_data)  \
	X(str_off) X(frames) X(stacks) X(label_kv) X(labelsets) X(blob)

struct cache_header {
	char magic[8];
	uint32_t version;
	uint32_t nsizes;
	uint32_t sizes[32];          /* record sizes, in CACHE_ARRAYS order, then more */
	uint64_t fingerprint;
};

static void header_fill(struct cache_header *h, uint64_t fingerprint)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, CACHE_MAGIC, 8);
	h->version = MODEL_CACHE_VERSION;
	struct model *m = NULL;
	uint32_t n = 0;
#define X(name) h->sizes[n++] = (uint32_t)sizeof *m->name;
	CACHE_ARRAYS(X)
#undef X
	h->sizes[n++] = (uint32_t)sizeof(struct model_interval);
	h->sizes[n++] = (uint32_t)sizeof(struct model_cpu_slice);
	h->sizes[n++] = (uint32_t)sizeof(struct model_load_info);
	h->sizes[n++] = MODEL_W_COUNT;
	h->nsizes = n;
	h->fingerprint = fingerprint;
}

/* ---- fingerprint ---------------------------------------------------------- */

/* Hashes every file under dir: relative path, size, modification time.
 * Entries are visited in sorted order so the hash does not depend on
 * the directory's order. */
static int fingerprint_dir(const char *root, const char *rel, int depth, uint64_t *h)
{
	char path[2 * PATH_MAX + 2];
	snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		if (rc == 0 && strcmp(name, ".") && strcmp(name, "..") && !cache_is_cache_file(name)) {
			char child_rel[PATH_MAX], child[2 * PATH_MAX + 2];
			struct stat st;
			snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", name);
			snprintf(child, sizeof child, "%s/%s", root, child_rel);
			if (lstat(child, &st) == 0) {
				*h = cache_fnv(*h, child_rel, strlen(child_rel) + 1);
				if (S_ISDIR(st.st_mode) && depth < 8) {
					rc = fingerprint_dir(root, child_rel, depth + 1, h);
				} else if (S_ISREG(st.st_mode)) {
					uint64_t facts[3] = { (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
							      (uint64_t)st.st_mtim.tv_nsec };
					*h = cache_fnv(*h, facts, sizeof facts);
				}
			}
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

int model_cache_fingerprint(const char *dir, uint64_t *out)
{
	uint64_t h = 0xcbf29ce484222325ull;
	if (fingerprint_dir(dir, "", 0, &h) != 0)
		return -1;
	*out = h;
	return 0;
}

/* ---- writing --------------------------------------------------------------- */

/* The model's scalar fields (everything but its arrays). */
struct cache_scalars {
	uint64_t start_ns, end_ns, events, ctrace_events, sched_events, other_events;
	int64_t discarded_events;
	uint64_t gaps, has_sched, short_unplaced_ns;
	uint64_t warnings[MODEL_W_COUNT];
};

int model_cache_write(const char *dir, const struct model *m, const struct model_load_info *info,
		      uint64_t fingerprint, struct analyzer_error *err)
{
	struct cache_out o;
	if (cache_out_open(&o, dir, MODEL_CACHE_FILE, err) != 0)
		return -1;
	struct cache_header h;
	header_fill(&h, fingerprint);
	cache_put(&o, &h, sizeof h);
	struct cache_scalars sc = {
		m->start_ns, m->end_ns, m->events, m->ctrace_events, m->sched_events, m->other_events,
		m->discarded_events, m->gaps, m->has_sched, m->short_unplaced_ns, { 0 },
	};
	memcpy(sc.warnings, m->warnings, sizeof sc.warnings);
	cache_put(&o, &sc, sizeof sc);
#define X(name) cache_put_array(&o, m->name, m->n_##name, sizeof *m->name);
	CACHE_ARRAYS(X)
#undef X
	for (size_t i = 0; i < m->n_threads; i++)
		cache_put_array(&o, m->threads[i].iv, m->threads[i].niv, sizeof *m->threads[i].iv);
	for (size_t i = 0; i < m->n_cpus; i++)
		cache_put_array(&o, m->cpus[i].v, m->cpus[i].n, sizeof *m->cpus[i].v);
	cache_put(&o, info, sizeof *info);
	return cache_out_commit(&o, err);
}

/* ---- reading --------------------------------------------------------------- */

int model_cache_read(const char *dir, uint64_t fingerprint, struct model *out,
		     struct model_load_info *info)
{
	struct cache_in in;
	if (!cache_in_open(&in, dir, MODEL_CACHE_FILE))
		return 0;
	struct cache_header h, want;
	header_fill(&want, fingerprint);
	struct model m = { 0 };
	struct cache_scalars sc;
	struct model_load_info li;
	if (!cache_get(&in, &h, sizeof h) || memcmp(&h, &want, sizeof h) != 0 ||
	    !cache_get(&in, &sc, sizeof sc))
		goto stale;
	m.start_ns = sc.start_ns;
	m.end_ns = sc.end_ns;
	m.events = sc.events;
	m.ctrace_events = sc.ctrace_events;
	m.sched_events = sc.sched_events;
	m.other_events = sc.other_events;
	m.discarded_events = sc.discarded_events;
	m.gaps = sc.gaps;
	m.has_sched = sc.has_sched != 0;
	m.short_unplaced_ns = sc.short_unplaced_ns;
	memcpy(m.warnings, sc.warnings, sizeof m.warnings);
#define X(name)                                                                        \
	m.name = cache_get_array(&in, sizeof *m.name, &m.n_##name);                    \
	m.cap_##name = m.n_##name;
	CACHE_ARRAYS(X)
#undef X
	/* The arrays' own pointers are the writer's: replace them. */
	for (size_t i = 0; i < m.n_threads; i++) {
		m.threads[i].iv = NULL;
		m.threads[i].niv = m.threads[i].ivcap = 0;
	}
	for (size_t i = 0; i < m.n_cpus; i++)
		m.cpus[i] = (struct model_cpu){ 0 };
	for (size_t i = 0; i < m.n_threads && !in.failed; i++) {
		struct model_thread *t = &m.threads[i];
		t->iv = cache_get_array(&in, sizeof *t->iv, &t->niv);
		t->ivcap = t->niv;
	}
	for (size_t i = 0; i < m.n_cpus && !in.failed; i++) {
		struct model_cpu *c = &m.cpus[i];
		c->v = cache_get_array(&in, sizeof *c->v, &c->n);
		c->cap = c->n;
	}
	if (!cache_get(&in, &li, sizeof li) || !cache_in_finish(&in)) {
		model_free(&m);
		return 0;
	}
	/* A cache is only as trustworthy as its checks: the model's own. */
	char msg[256];
	if (m.n_str_off == 0 || m.n_stacks == 0 || m.n_labelsets == 0 || m.n_str_data == 0 ||
	    m.str_data[m.n_str_data - 1] != 0 || model_check(&m, msg, sizeof msg) != 0) {
		model_free(&m);
		return 0;
	}
	li.stats.skipped[sizeof li.stats.skipped - 1] = 0;
	li.damage[sizeof li.damage - 1] = 0;
	*info = li;
	info->from_cache = true;
	info->cache_fingerprinted = true;
	info->cache_fingerprint = fingerprint;
	*out = m;
	return 1;
stale:
	cache_in_finish(&in);
	model_free(&m);
	return 0;
}
