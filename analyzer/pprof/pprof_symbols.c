/*
 * What samples point at: mappings, functions and locations. Functions are
 * deduplicated by their four fields, locations by (mapping, address) or,
 * for address-less ones, by their lines; both through hash indices so a
 * caller may add a frame per sample without growing the profile.
 */
#include "pprof_internal.h"

#include <string.h>

uint64_t pprof_mapping_add(struct pprof_builder *b, const struct pprof_mapping *m)
{
	int64_t file = pprof_string_intern(b, m->file);
	int64_t build_id = pprof_string_intern(b, m->build_id);
	if (file < 0 || build_id < 0)
		return 0;
	if (!PPROF_RESERVE(b->mappings, b->cap_mappings, b->n_mappings + 1)) {
		pprof_fail(b, "out of memory adding mapping %s", m->file ? m->file : "");
		return 0;
	}
	b->mappings[b->n_mappings++] = (struct pprof_mapping_rec){
		.start = m->start,
		.limit = m->limit,
		.offset = m->offset,
		.file = file,
		.build_id = build_id,
		.has_functions = m->has_functions,
		.has_filenames = m->has_filenames,
		.has_line_numbers = m->has_line_numbers,
		.has_inline_frames = m->has_inline_frames,
	};
	return b->n_mappings;
}

struct pprof_function_key {
	const struct pprof_builder *b;
	const struct pprof_function_rec *f;
};

static bool pprof_function_eq(const void *ctx, uint32_t index)
{
	const struct pprof_function_key *k = ctx;
	return memcmp(&k->b->functions[index], k->f, sizeof *k->f) == 0;
}

uint64_t pprof_function_add(struct pprof_builder *b, const struct pprof_function *f)
{
	struct pprof_function_rec rec = {
		.name = pprof_string_intern(b, f->name),
		.system_name = pprof_string_intern(b, f->system_name),
		.file = pprof_string_intern(b, f->file),
		.start_line = f->start_line,
	};
	if (rec.name < 0 || rec.system_name < 0 || rec.file < 0)
		return 0;
	if (pprof_table_reserve(&b->function_index) < 0)
		goto oom;
	struct pprof_function_key k = { b, &rec };
	uint64_t h = pprof_hash(&rec, sizeof rec, 0);
	size_t pos;
	uint32_t found = pprof_table_find(&b->function_index, h, pprof_function_eq, &k, &pos);
	if (found != UINT32_MAX)
		return (uint64_t)found + 1;
	if (!PPROF_RESERVE(b->functions, b->cap_functions, b->n_functions + 1))
		goto oom;
	b->functions[b->n_functions] = rec;
	pprof_table_put(&b->function_index, pos, h, (uint32_t)b->n_functions);
	return ++b->n_functions;
oom:
	pprof_fail(b, "out of memory adding function %s", f->name ? f->name : "");
	return 0;
}

struct pprof_location_key {
	const struct pprof_builder *b;
	uint64_t mapping_id, address;
	const struct pprof_line *lines;
	size_t n_lines;
};

static bool pprof_location_eq(const void *ctx, uint32_t index)
{
	const struct pprof_location_key *k = ctx;
	const struct pprof_location_rec *l = &k->b->locations[index];
	if (l->mapping_id != k->mapping_id || l->address != k->address)
		return false;
	if (k->address)
		return true;
	return l->n_lines == k->n_lines &&
	       memcmp(k->b->lines + l->line_off, k->lines, k->n_lines * sizeof *k->lines) == 0;
}

static uint64_t pprof_location_hash(const struct pprof_location_key *k)
{
	uint64_t id[2] = { k->mapping_id, k->address };
	uint64_t h = pprof_hash(id, sizeof id, 0);
	return k->address ? h : pprof_hash(k->lines, k->n_lines * sizeof *k->lines, h);
}

static int pprof_location_check(struct pprof_builder *b, const struct pprof_location_key *k)
{
	if (k->mapping_id > b->n_mappings)
		return pprof_fail(b, "location at 0x%llx: no mapping %llu (%zu added)",
				  (unsigned long long)k->address, (unsigned long long)k->mapping_id,
				  b->n_mappings);
	if (!k->address && k->n_lines == 0)
		return pprof_fail(b, "a location needs an address or at least one line");
	for (size_t i = 0; i < k->n_lines; i++) {
		uint64_t f = k->lines[i].function_id;
		if (f == 0 || f > b->n_functions)
			return pprof_fail(b, "location at 0x%llx, line %zu: no function %llu (%zu added)",
					  (unsigned long long)k->address, i, (unsigned long long)f,
					  b->n_functions);
	}
	return 0;
}

uint64_t pprof_location_add(struct pprof_builder *b, uint64_t mapping_id, uint64_t address,
			    const struct pprof_line *lines, size_t n_lines)
{
	struct pprof_location_key k = { b, mapping_id, address, lines, n_lines };
	if (pprof_location_check(b, &k) < 0)
		return 0;
	if (pprof_table_reserve(&b->location_index) < 0)
		goto oom;
	uint64_t h = pprof_location_hash(&k);
	size_t pos;
	uint32_t found = pprof_table_find(&b->location_index, h, pprof_location_eq, &k, &pos);
	if (found != UINT32_MAX)
		return (uint64_t)found + 1;
	if (!PPROF_RESERVE(b->locations, b->cap_locations, b->n_locations + 1) ||
	    !PPROF_RESERVE(b->lines, b->cap_lines, b->n_lines + n_lines))
		goto oom;
	if (n_lines)
		memcpy(b->lines + b->n_lines, lines, n_lines * sizeof *lines);
	b->locations[b->n_locations] = (struct pprof_location_rec){
		.mapping_id = mapping_id,
		.address = address,
		.line_off = b->n_lines,
		.n_lines = n_lines,
	};
	b->n_lines += n_lines;
	pprof_table_put(&b->location_index, pos, h, (uint32_t)b->n_locations);
	return ++b->n_locations;
oom:
	pprof_fail(b, "out of memory adding the location at 0x%llx",
		   (unsigned long long)address);
	return 0;
}
