/*
 * The builder as a perftools.profiles.Profile message, packed by the
 * protobuf-c code generated from pprof's own profile.proto at build time.
 *
 * A profile can be packed in parts: one part holds a range of the samples,
 * and one of them also everything else (types, symbols, strings, scalars).
 * Protobuf parsers merge concatenated encodings of a message (repeated
 * fields append), so the parts laid end to end are the whole profile; this
 * lets pprof_compress.c pack and compress parts on several threads.
 *
 * protobuf-c wants repeated messages as arrays of pointers to messages: the
 * messages of each kind are laid out in one array, their pointers in
 * another, and the flat arrays the builder already has (stack location
 * ids, values, strings) are pointed at rather than copied. Everything here
 * lives only while packing.
 */
#include "pprof_internal.h"

#include <assert.h>
#include <stdlib.h>

#include "profile.pb-c.h"

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__ValueType pb_value_type;
typedef Perftools__Profiles__Sample pb_sample;
typedef Perftools__Profiles__Label pb_label;
typedef Perftools__Profiles__Mapping pb_mapping;
typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Line pb_line;
typedef Perftools__Profiles__Function pb_function;

/* Every allocation of one encoding, freed together. */
struct pprof_pb {
	pb_value_type *types, **type_ptrs, period_type;
	pb_sample *samples, **sample_ptrs;
	pb_label *labels, **label_ptrs;
	pb_mapping *mappings, **mapping_ptrs;
	pb_location *locations, **location_ptrs;
	pb_line *lines, **line_ptrs;
	pb_function *functions, **function_ptrs;
	char **strings;
};

static void pprof_pb_free(struct pprof_pb *pb)
{
	free(pb->types);
	free(pb->type_ptrs);
	free(pb->samples);
	free(pb->sample_ptrs);
	free(pb->labels);
	free(pb->label_ptrs);
	free(pb->mappings);
	free(pb->mapping_ptrs);
	free(pb->locations);
	free(pb->location_ptrs);
	free(pb->lines);
	free(pb->line_ptrs);
	free(pb->functions);
	free(pb->function_ptrs);
	free(pb->strings);
}

/* n messages and n pointers to them; true unless memory runs out (n == 0
 * allocates nothing). */
#define PPROF_PB_ALLOC(msgs, ptrs, n)                                  \
	((n) == 0 || (((msgs) = calloc((n), sizeof *(msgs))) != NULL && \
		      ((ptrs) = calloc((n), sizeof *(ptrs))) != NULL))

static void pprof_pb_fill_types(const struct pprof_builder *b, struct pprof_pb *pb)
{
	for (size_t i = 0; i < b->n_types; i++) {
		perftools__profiles__value_type__init(&pb->types[i]);
		pb->types[i].type = b->types[i].type;
		pb->types[i].unit = b->types[i].unit;
		pb->type_ptrs[i] = &pb->types[i];
	}
	perftools__profiles__value_type__init(&pb->period_type);
	pb->period_type.type = b->period_type.type;
	pb->period_type.unit = b->period_type.unit;
}

/* The labels of samples [s0, s1): they were appended in sample order. */
static void pprof_label_range(const struct pprof_builder *b, size_t s0, size_t s1, size_t *l0,
			      size_t *l1)
{
	*l0 = s0 < b->n_samples ? b->samples[s0].label_off : b->n_labels;
	*l1 = s1 < b->n_samples ? b->samples[s1].label_off : b->n_labels;
}

static void pprof_pb_fill_samples(const struct pprof_builder *b, size_t s0, size_t s1,
				  struct pprof_pb *pb)
{
	size_t l0, l1;
	pprof_label_range(b, s0, s1, &l0, &l1);
	for (size_t i = 0; i < l1 - l0; i++) {
		const struct pprof_label *l = &b->labels[l0 + i];
		perftools__profiles__label__init(&pb->labels[i]);
		pb->labels[i].key = l->key;
		pb->labels[i].str = l->str;
		pb->labels[i].num = l->num;
		pb->labels[i].num_unit = l->num_unit;
		pb->label_ptrs[i] = &pb->labels[i];
	}
	for (size_t i = 0; i < s1 - s0; i++) {
		const struct pprof_sample_rec *s = &b->samples[s0 + i];
		pb_sample *m = &pb->samples[i];
		assert(s->label_off >= l0 && s->label_off + s->n_labels <= l1);
		perftools__profiles__sample__init(m);
		m->n_location_id = s->n_locs;
		m->location_id = s->n_locs ? b->sample_locs + s->loc_off : NULL;
		m->n_value = b->n_types;
		m->value = b->values + (s0 + i) * b->n_types;
		m->n_label = s->n_labels;
		m->label = s->n_labels ? pb->label_ptrs + (s->label_off - l0) : NULL;
		pb->sample_ptrs[i] = m;
	}
}

static void pprof_pb_fill_symbols(const struct pprof_builder *b, struct pprof_pb *pb)
{
	for (size_t i = 0; i < b->n_mappings; i++) {
		const struct pprof_mapping_rec *r = &b->mappings[i];
		pb_mapping *m = &pb->mappings[i];
		perftools__profiles__mapping__init(m);
		m->id = i + 1;
		m->memory_start = r->start;
		m->memory_limit = r->limit;
		m->file_offset = r->offset;
		m->filename = r->file;
		m->build_id = r->build_id;
		m->has_functions = r->has_functions;
		m->has_filenames = r->has_filenames;
		m->has_line_numbers = r->has_line_numbers;
		m->has_inline_frames = r->has_inline_frames;
		pb->mapping_ptrs[i] = m;
	}
	for (size_t i = 0; i < b->n_functions; i++) {
		const struct pprof_function_rec *r = &b->functions[i];
		pb_function *f = &pb->functions[i];
		perftools__profiles__function__init(f);
		f->id = i + 1;
		f->name = r->name;
		f->system_name = r->system_name;
		f->filename = r->file;
		f->start_line = r->start_line;
		pb->function_ptrs[i] = f;
	}
	for (size_t i = 0; i < b->n_lines; i++) {
		perftools__profiles__line__init(&pb->lines[i]);
		pb->lines[i].function_id = b->lines[i].function_id;
		pb->lines[i].line = b->lines[i].line;
		pb->line_ptrs[i] = &pb->lines[i];
	}
	for (size_t i = 0; i < b->n_locations; i++) {
		const struct pprof_location_rec *r = &b->locations[i];
		pb_location *l = &pb->locations[i];
		perftools__profiles__location__init(l);
		l->id = i + 1;
		l->mapping_id = r->mapping_id;
		l->address = r->address;
		l->n_line = r->n_lines;
		l->line = r->n_lines ? pb->line_ptrs + r->line_off : NULL;
		pb->location_ptrs[i] = l;
	}
}

int pprof_encode_part(const struct pprof_builder *b, size_t s0, size_t s1, bool with_rest,
		      unsigned char **out, size_t *len, struct pprof_error *err)
{
	assert(s0 <= s1 && s1 <= b->n_samples);
	size_t l0, l1;
	pprof_label_range(b, s0, s1, &l0, &l1);
	/* Without the rest, only the samples: everything else stays empty. */
	size_t n_types = with_rest ? b->n_types : 0, n_mappings = with_rest ? b->n_mappings : 0;
	size_t n_locations = with_rest ? b->n_locations : 0, n_lines = with_rest ? b->n_lines : 0;
	size_t n_functions = with_rest ? b->n_functions : 0, n_strings = with_rest ? b->n_strings : 0;
	struct pprof_pb pb = { 0 };
	pb_profile p;
	perftools__profiles__profile__init(&p);
	if (!PPROF_PB_ALLOC(pb.types, pb.type_ptrs, n_types) ||
	    !PPROF_PB_ALLOC(pb.samples, pb.sample_ptrs, s1 - s0) ||
	    !PPROF_PB_ALLOC(pb.labels, pb.label_ptrs, l1 - l0) ||
	    !PPROF_PB_ALLOC(pb.mappings, pb.mapping_ptrs, n_mappings) ||
	    !PPROF_PB_ALLOC(pb.locations, pb.location_ptrs, n_locations) ||
	    !PPROF_PB_ALLOC(pb.lines, pb.line_ptrs, n_lines) ||
	    !PPROF_PB_ALLOC(pb.functions, pb.function_ptrs, n_functions) ||
	    (n_strings && !(pb.strings = calloc(n_strings, sizeof *pb.strings)))) {
		pprof_pb_free(&pb);
		return pprof_error_set(err, "out of memory encoding %zu samples", s1 - s0);
	}
	pprof_pb_fill_samples(b, s0, s1, &pb);
	p.n_sample = s1 - s0;
	p.sample = pb.sample_ptrs;
	if (with_rest) {
		pprof_pb_fill_types(b, &pb);
		pprof_pb_fill_symbols(b, &pb);
		for (size_t i = 0; i < b->n_strings; i++)
			pb.strings[i] = b->chars + b->str_off[i];
		p.n_sample_type = b->n_types;
		p.sample_type = pb.type_ptrs;
		p.n_mapping = b->n_mappings;
		p.mapping = pb.mapping_ptrs;
		p.n_location = b->n_locations;
		p.location = pb.location_ptrs;
		p.n_function = b->n_functions;
		p.function = pb.function_ptrs;
		p.n_string_table = b->n_strings;
		p.string_table = pb.strings;
		p.time_nanos = b->time_nanos;
		p.duration_nanos = b->duration_nanos;
		p.period_type = b->period_type.type || b->period_type.unit ? &pb.period_type : NULL;
		p.period = b->period;
		p.n_comment = b->n_comments;
		p.comment = b->comments;
		p.default_sample_type = b->default_type;
	}

	size_t size = perftools__profiles__profile__get_packed_size(&p);
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf) {
		pprof_pb_free(&pb);
		return pprof_error_set(err, "out of memory for a %zu-byte profile", size);
	}
	size_t packed = perftools__profiles__profile__pack(&p, buf);
	pprof_pb_free(&pb);
	if (packed != size) {
		free(buf);
		return pprof_error_set(err, "protobuf-c packed %zu bytes, %zu expected", packed, size);
	}
	*out = buf;
	*len = size;
	return 0;
}
