/*
 * The symbolizer's public calls (see symbolize.h) and its per-address
 * cache.
 *
 * The cache is keyed by (file, file address, return-address flag), not by
 * process: every process that maps libc shares libc's answers whatever
 * address ASLR gave it, and a trace's stacks repeat the same few thousand
 * addresses millions of times. A miss asks libdw (symbolize_frames.c), which
 * is slow (a DWARF scope walk of the compilation unit), so each address is
 * symbolized once.
 */
#include "symbolize_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_error.h"

/* Key of addresses no module covers. */
#define SYMBOLIZE_NO_OBJECT UINT32_MAX
#define SYMBOLIZE_EMPTY UINT32_MAX

struct symbolize_entry {
	uint64_t vaddr;    /* file address, or the address when no module */
	uint32_t object;   /* SYMBOLIZE_NO_OBJECT: no module */
	bool ret;          /* looked up as a return address */
	uint8_t status;    /* enum analyzer_sym_status */
	uint16_t nframes;
	const struct analyzer_frame *frames;
};

/* What a failed lookup (out of memory) shows. */
static const struct analyzer_frame symbolize_oom_frame = {
	.function = "[unknown]",
	.system_name = "[unknown]",
};

struct analyzer_symbolizer *analyzer_symbolizer_create(struct analyzer_error *err)
{
	struct analyzer_symbolizer *s = calloc(1, sizeof *s);
	if (!s) {
		analyzer_error_set(err, "symbolizer: out of memory");
		return NULL;
	}
	s->strings.arena = &s->arena;
	s->last_start = UINT32_MAX;
	return s;
}

void analyzer_symbolizer_destroy(struct analyzer_symbolizer *s)
{
	if (!s)
		return;
	symbolize_maps_free(s);
	free(s->entries);
	free(s->slots);
	symbolize_strings_free(&s->strings);
	symbolize_arena_free(&s->arena);
	free(s);
}

static uint64_t symbolize_key_hash(uint32_t object, uint64_t vaddr, bool ret)
{
	/* splitmix64's finalizer over the packed key. */
	uint64_t h = vaddr ^ ((uint64_t)object << 32 | (uint64_t)object >> 32) ^ (ret ? 0x9e37u : 0);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static int symbolize_slots_grow(struct analyzer_symbolizer *s)
{
	size_t cap = s->cap_slots ? s->cap_slots * 2 : 1024;
	uint32_t *slots = malloc(cap * sizeof *slots);
	if (!slots)
		return -1;
	memset(slots, 0xff, cap * sizeof *slots);
	for (size_t i = 0; i < s->nentries; i++) {
		const struct symbolize_entry *e = &s->entries[i];
		size_t j = symbolize_key_hash(e->object, e->vaddr, e->ret) & (cap - 1);
		while (slots[j] != SYMBOLIZE_EMPTY)
			j = (j + 1) & (cap - 1);
		slots[j] = (uint32_t)i;
	}
	free(s->slots);
	s->slots = slots;
	s->cap_slots = cap;
	return 0;
}

/* "libfoo.so+0x1234" or "[unknown 0x7f00dead]": a name for what symbols
 * cannot name, that still tells addresses apart. */
static const char *symbolize_label(struct analyzer_symbolizer *s, const struct symbolize_entry *e)
{
	if (e->object == SYMBOLIZE_NO_OBJECT)
		return symbolize_internf(&s->strings, "[unknown 0x%" PRIx64 "]", e->vaddr);
	const char *path = s->objects[e->object].path;
	const char *base = strrchr(path, '/');
	return symbolize_internf(&s->strings, "%s+0x%" PRIx64, base ? base + 1 : path, e->vaddr);
}

/* Symbolizes e afresh. 0, or -1 when memory runs out. */
static int symbolize_entry_fill(struct analyzer_symbolizer *s, struct symbolize_entry *e)
{
	struct analyzer_frame tmp[SYMBOLIZE_MAX_FRAMES];
	int n = 0;
	if (e->object == SYMBOLIZE_NO_OBJECT) {
		e->status = ANALYZER_SYM_NO_MODULE;
	} else if (!s->objects[e->object].usable) {
		e->status = ANALYZER_SYM_NO_FILE;
	} else {
		n = symbolize_frames(&s->objects[e->object], e->vaddr - e->ret, &s->strings, tmp);
		if (n < 0)
			return -1;
		e->status = n ? ANALYZER_SYM_OK : ANALYZER_SYM_NO_SYMBOL;
	}
	if (n == 0) {
		const char *label = symbolize_label(s, e);
		if (!label)
			return -1;
		tmp[0] = (struct analyzer_frame){ .function = label, .system_name = label };
		n = 1;
	}
	struct analyzer_frame *frames = symbolize_arena_alloc(&s->arena, (size_t)n * sizeof *frames);
	if (!frames)
		return -1;
	memcpy(frames, tmp, (size_t)n * sizeof *frames);
	e->frames = frames;
	e->nframes = (uint16_t)n;
	return 0;
}

/* The cached entry for the key, symbolized on first use; NULL when memory
 * runs out. */
static const struct symbolize_entry *symbolize_cache_get(struct analyzer_symbolizer *s,
							 uint32_t object, uint64_t vaddr, bool ret)
{
	if (2 * (s->nentries + 1) > s->cap_slots && symbolize_slots_grow(s) < 0)
		return NULL;
	size_t mask = s->cap_slots - 1;
	size_t j = symbolize_key_hash(object, vaddr, ret) & mask;
	for (; s->slots[j] != SYMBOLIZE_EMPTY; j = (j + 1) & mask) {
		const struct symbolize_entry *e = &s->entries[s->slots[j]];
		if (e->vaddr == vaddr && e->object == object && e->ret == ret)
			return e;
	}
	if (s->nentries == s->cap_entries) {
		size_t cap = s->cap_entries ? s->cap_entries * 2 : 1024;
		struct symbolize_entry *grown = realloc(s->entries, cap * sizeof *grown);
		if (!grown)
			return NULL;
		s->entries = grown;
		s->cap_entries = cap;
	}
	struct symbolize_entry *e = &s->entries[s->nentries];
	*e = (struct symbolize_entry){ .vaddr = vaddr, .object = object, .ret = ret };
	s->stats.cache_misses++;
	if (symbolize_entry_fill(s, e) < 0)
		return NULL;
	s->slots[j] = (uint32_t)s->nentries++;
	return e;
}

int analyzer_symbolizer_lookup(struct analyzer_symbolizer *s, int32_t pid, uint64_t ts,
			       uint64_t addr, bool return_address, struct analyzer_location *out)
{
	s->stats.lookups++;
	*out = (struct analyzer_location){
		.offset = addr,
		.status = ANALYZER_SYM_NO_MODULE,
		.nframes = 1,
		.frames = &symbolize_oom_frame,
	};
	if (symbolize_maps_freeze(s, NULL) < 0)
		return -1;
	const struct symbolize_module *m = symbolize_maps_find(s, pid, ts, addr);
	uint32_t object = m ? m->object : SYMBOLIZE_NO_OBJECT;
	uint64_t vaddr = m ? addr - m->bias : addr;
	/* addr - 1 must stay in the same key space: a return address at a
	 * module's very start is not a return address into it. */
	bool ret = return_address && vaddr > 0;
	const struct symbolize_entry *e = symbolize_cache_get(s, object, vaddr, ret);
	if (!e)
		return -1;
	out->module = m ? &m->pub : NULL;
	out->offset = vaddr;
	out->status = (enum analyzer_sym_status)e->status;
	out->nframes = e->nframes;
	out->frames = e->frames;
	return 0;
}

int analyzer_symbolizer_stack(struct analyzer_symbolizer *s, int32_t pid, uint64_t ts,
			      const uint64_t *addrs, size_t n, enum analyzer_stack_kind kind,
			      struct analyzer_location *out)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (analyzer_symbolizer_lookup(s, pid, ts, addrs[i],
					       i > 0 || kind == ANALYZER_STACK_CALLS, &out[i]) < 0)
			rc = -1;
	return rc;
}

size_t analyzer_symbolizer_module_count(struct analyzer_symbolizer *s)
{
	if (symbolize_maps_freeze(s, NULL) < 0)
		return 0;
	return s->nmodules;
}

const struct analyzer_module *analyzer_symbolizer_module(struct analyzer_symbolizer *s, uint32_t id)
{
	if (symbolize_maps_freeze(s, NULL) < 0 || id == 0 || id > s->nmodules)
		return NULL;
	return &s->modules[id - 1]->pub;
}

void analyzer_symbolizer_stats(const struct analyzer_symbolizer *s,
			       struct analyzer_symbolizer_stats *out)
{
	*out = s->stats;
}
