/*
 * The event view: the fixed fields every consumer needs (name, time, CPU,
 * process, thread) decoded once per event, and getters that look other
 * fields up by name only when asked.
 */
#include "event_view.h"

#include <string.h>

void event_view_cache_init(struct event_view_cache *c)
{
	*c = (struct event_view_cache){ 0 };
	c->cpu_id.name = "cpu_id";
	c->vpid.name = "vpid";
	c->vtid.name = "vtid";
}

static uint64_t member_index_lookup(const bt_field_class *cls, const char *name)
{
	uint64_t n = bt_field_class_structure_get_member_count(cls);
	for (uint64_t i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(cls, i);
		if (!strcmp(bt_field_class_structure_member_get_name(m), name))
			return i;
	}
	return UINT64_MAX;
}

static uint64_t member_index_cached(struct event_view_member_cache *mc,
				    const bt_field_class *cls)
{
	for (unsigned i = 0; i < EVENT_VIEW_CACHE_SLOTS; i++)
		if (mc->cls[i] == cls)
			return mc->index[i];
	unsigned slot = mc->next++ % EVENT_VIEW_CACHE_SLOTS;
	mc->cls[slot] = cls;
	mc->index[slot] = member_index_lookup(cls, mc->name);
	return mc->index[slot];
}

/* Reads an integer or enumeration field as 64 bits; false for other types. */
static bool field_integer(const bt_field *f, uint64_t *out)
{
	bt_field_class_type t = bt_field_get_class_type(f);
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)) {
		*out = bt_field_integer_unsigned_get_value(f);
		return true;
	}
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER)) {
		*out = (uint64_t)bt_field_integer_signed_get_value(f);
		return true;
	}
	return false;
}

/* The named member of a structure field as an int32, or -1. */
static int32_t struct_member_i32(struct event_view_member_cache *mc, const bt_field *s)
{
	if (!s)
		return -1;
	uint64_t idx = member_index_cached(mc, bt_field_borrow_class_const(s));
	if (idx == UINT64_MAX)
		return -1;
	uint64_t v;
	if (!field_integer(bt_field_structure_borrow_member_field_by_index_const(s, idx), &v))
		return -1;
	return (int32_t)v;
}

uint64_t event_view_clock_ns(const bt_clock_snapshot *cs)
{
	uint64_t v = bt_clock_snapshot_get_value(cs);
	uint64_t hz = bt_clock_class_get_frequency(bt_clock_snapshot_borrow_clock_class_const(cs));
	if (hz == 1000000000u || hz == 0)
		return v;
	return v / hz * 1000000000u + v % hz * 1000000000u / hz;
}

/* The cached facts of stream class sc (looked up on first sight). */
static struct event_view_stream_class *stream_class(struct event_view_cache *c,
						    const bt_stream_class *sc)
{
	for (unsigned i = 0; i < EVENT_VIEW_CACHE_SLOTS; i++)
		if (c->classes[i].sc == sc)
			return &c->classes[i];
	struct event_view_stream_class *k = &c->classes[c->next_class++ % EVENT_VIEW_CACHE_SLOTS];
	const bt_clock_class *clock = bt_stream_class_borrow_default_clock_class_const(sc);
	*k = (struct event_view_stream_class){
		.sc = sc, .has_clock = clock != NULL, .hz = clock ? bt_clock_class_get_frequency(clock) : 0,
		.has_packets = bt_stream_class_supports_packets(sc),
		.vpid_index = UINT64_MAX, .vtid_index = UINT64_MAX,
	};
	if (clock) {
		int64_t seconds;
		uint64_t cycles;
		bt_clock_class_get_offset(clock, &seconds, &cycles);
		k->origin_ns = seconds * 1000000000 + (int64_t)cycles;
	}
	return k;
}

/* Where a common-context integer sits and whether it is signed;
 * UINT64_MAX when the class has no such integer. */
static uint64_t common_member(struct event_view_member_cache *mc, const bt_field *common,
			      bool *is_signed)
{
	uint64_t idx = member_index_cached(mc, bt_field_borrow_class_const(common));
	if (idx == UINT64_MAX)
		return idx;
	bt_field_class_type t =
		bt_field_get_class_type(bt_field_structure_borrow_member_field_by_index_const(common, idx));
	*is_signed = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER);
	if (!*is_signed && !bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
		return UINT64_MAX;
	return idx;
}

/* The common context's vpid / vtid as int32, -1 when absent. A stream
 * class's field types never change: no per-event type check. */
static int32_t common_i32(const bt_field *common, uint64_t index, bool is_signed)
{
	if (index == UINT64_MAX)
		return -1;
	const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(common, index);
	return is_signed ? (int32_t)bt_field_integer_signed_get_value(f)
			 : (int32_t)bt_field_integer_unsigned_get_value(f);
}

void event_view_fill(struct event_view_cache *c, const bt_message *msg,
		     struct analyzer_event *out)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	const bt_event_class *ec = bt_event_borrow_class_const(ev);
	const bt_stream *stream = bt_event_borrow_stream_const(ev);
	struct event_view_stream_class *k = stream_class(c, bt_stream_borrow_class_const(stream));
	out->stream = stream;
	out->name = bt_event_class_get_name(ec);
	if (!out->name)
		out->name = "";
	out->ts_ns = 0;
	out->order_ns = 0;
	if (k->has_clock) {
		const bt_clock_snapshot *cs = bt_message_event_borrow_default_clock_snapshot_const(msg);
		uint64_t v = bt_clock_snapshot_get_value(cs);
		if (k->hz == 1000000000u) {
			out->ts_ns = v;
			out->order_ns = k->origin_ns + (int64_t)v;
		} else {
			out->ts_ns = k->hz == 0 ? v : v / k->hz * 1000000000u + v % k->hz * 1000000000u / k->hz;
			bt_clock_snapshot_get_ns_from_origin(cs, &out->order_ns);
		}
	}
	const bt_packet *pkt = k->has_packets ? bt_event_borrow_packet_const(ev) : NULL;
	if (!pkt) {
		out->cpu_id = -1;
	} else {
		if (pkt != c->last_packet) {
			c->last_packet = pkt;
			c->last_cpu = struct_member_i32(&c->cpu_id, bt_packet_borrow_context_field_const(pkt));
		}
		out->cpu_id = c->last_cpu;
	}
	const bt_field *common = bt_event_borrow_common_context_field_const(ev);
	out->vpid = out->vtid = -1;
	if (common) {
		/* The common context's class is the stream class's. */
		if (!k->common_known) {
			k->common_known = true;
			k->vpid_index = common_member(&c->vpid, common, &k->vpid_signed);
			k->vtid_index = common_member(&c->vtid, common, &k->vtid_signed);
		}
		out->vpid = common_i32(common, k->vpid_index, k->vpid_signed);
		out->vtid = common_i32(common, k->vtid_index, k->vtid_signed);
	}
	out->impl = ev;
	out->cls = ec;
	out->scopes[0] = bt_event_borrow_payload_field_const(ev);
	out->scopes[1] = bt_event_borrow_specific_context_field_const(ev);
	out->scopes[2] = common;
}

/* The named field: payload first, then specific context, then common
 * context. NULL when none has it. */
static const bt_field *event_field(const struct analyzer_event *view, const char *name)
{
	for (size_t i = 0; i < 3; i++) {
		const bt_field *scope = view->scopes[i];
		if (!scope)
			continue;
		const bt_field *f = bt_field_structure_borrow_member_field_by_name_const(scope, name);
		if (f)
			return f;
	}
	return NULL;
}

static const bt_field *event_scope(const struct analyzer_event *view, uint8_t scope)
{
	return scope < 3 ? view->scopes[scope] : NULL;
}

void analyzer_event_locate(const struct analyzer_event *view, const char *name,
			   struct analyzer_field_loc *loc)
{
	*loc = (struct analyzer_field_loc){ .scope = 3 };
	for (uint8_t k = 0; k < 3; k++) {
		const bt_field *scope = event_scope(view, k);
		if (!scope)
			continue;
		uint64_t idx = member_index_lookup(bt_field_borrow_class_const(scope), name);
		if (idx == UINT64_MAX)
			continue;
		loc->scope = k;
		loc->index = (uint32_t)idx;
		bt_field_class_type t = bt_field_get_class_type(
			bt_field_structure_borrow_member_field_by_index_const(scope, idx));
		loc->type = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER) ? 1
			  : bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER) ? 2
			  : t == BT_FIELD_CLASS_TYPE_STRING ? 3 : 0;
		return;
	}
}

static const bt_field *event_field_at(const struct analyzer_event *view, struct analyzer_field_loc loc)
{
	const bt_field *scope = event_scope(view, loc.scope);
	return scope ? bt_field_structure_borrow_member_field_by_index_const(scope, loc.index) : NULL;
}

bool analyzer_event_uint_at(const struct analyzer_event *ev, struct analyzer_field_loc loc,
			    uint64_t *out)
{
	/* A class's field types never change: no per-event type check. */
	if (loc.type == 1)
		*out = bt_field_integer_unsigned_get_value(event_field_at(ev, loc));
	else if (loc.type == 2)
		*out = (uint64_t)bt_field_integer_signed_get_value(event_field_at(ev, loc));
	else
		return false;
	return true;
}

const char *analyzer_event_string_at(const struct analyzer_event *ev, struct analyzer_field_loc loc)
{
	return loc.type == 3 ? bt_field_string_get_value(event_field_at(ev, loc)) : NULL;
}

/* The named field's place through ref, looked up once per event class. */
static struct analyzer_field_loc event_field_ref(const struct analyzer_event *view,
						 struct analyzer_field_ref *ref)
{
	const void *cls = view->cls;
	unsigned slot = 0;
	while (slot < ANALYZER_FIELD_REF_SLOTS && ref->cls[slot] != cls)
		slot++;
	if (slot == ANALYZER_FIELD_REF_SLOTS) {
		slot = ref->next++ % ANALYZER_FIELD_REF_SLOTS;
		struct analyzer_field_loc loc;
		analyzer_event_locate(view, ref->name, &loc);
		ref->cls[slot] = cls;
		ref->scope[slot] = loc.scope;
		ref->type[slot] = loc.type;
		ref->index[slot] = loc.index;
	}
	return (struct analyzer_field_loc){ .index = ref->index[slot], .scope = ref->scope[slot],
					    .type = ref->type[slot] };
}

bool analyzer_event_uint_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref,
			     uint64_t *out)
{
	return analyzer_event_uint_at(ev, event_field_ref(ev, ref), out);
}

static const char *field_string(const bt_field *f)
{
	if (!f || bt_field_get_class_type(f) != BT_FIELD_CLASS_TYPE_STRING)
		return NULL;
	return bt_field_string_get_value(f);
}

const char *analyzer_event_string_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref)
{
	return analyzer_event_string_at(ev, event_field_ref(ev, ref));
}

static ssize_t field_uint_seq(const bt_field *f, uint64_t *out, size_t max)
{
	if (!f || !bt_field_class_type_is(bt_field_get_class_type(f), BT_FIELD_CLASS_TYPE_ARRAY))
		return -1;
	uint64_t len = bt_field_array_get_length(f);
	for (uint64_t i = 0; i < len; i++) {
		uint64_t v;
		if (!field_integer(bt_field_array_borrow_element_field_by_index_const(f, i), &v))
			return -1;
		if (i < max)
			out[i] = v;
	}
	return (ssize_t)len;
}

ssize_t analyzer_event_uint_seq_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref,
				    uint64_t *out, size_t max)
{
	return analyzer_event_uint_seq_at(ev, event_field_ref(ev, ref), out, max);
}

ssize_t analyzer_event_uint_seq_at(const struct analyzer_event *ev, struct analyzer_field_loc loc,
				   uint64_t *out, size_t max)
{
	return field_uint_seq(loc.scope < 3 ? event_field_at(ev, loc) : NULL, out, max);
}

bool analyzer_event_uint(const struct analyzer_event *ev, const char *field, uint64_t *out)
{
	const bt_field *f = event_field(ev, field);
	return f && field_integer(f, out);
}

bool analyzer_event_int(const struct analyzer_event *ev, const char *field, int64_t *out)
{
	uint64_t v;
	if (!analyzer_event_uint(ev, field, &v))
		return false;
	*out = (int64_t)v;
	return true;
}

const char *analyzer_event_string(const struct analyzer_event *ev, const char *field)
{
	return field_string(event_field(ev, field));
}

ssize_t analyzer_event_uint_seq(const struct analyzer_event *ev, const char *field,
				uint64_t *out, size_t max)
{
	return field_uint_seq(event_field(ev, field), out, max);
}
