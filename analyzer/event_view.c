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

void event_view_fill(struct event_view_cache *c, const bt_message *msg,
		     struct analyzer_event *out)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	const bt_stream_class *sc = bt_stream_borrow_class_const(bt_event_borrow_stream_const(ev));
	out->name = bt_event_class_get_name(bt_event_borrow_class_const(ev));
	if (!out->name)
		out->name = "";
	out->ts_ns = bt_stream_class_borrow_default_clock_class_const(sc)
		? event_view_clock_ns(bt_message_event_borrow_default_clock_snapshot_const(msg))
		: 0;
	const bt_packet *pkt = bt_stream_class_supports_packets(sc)
		? bt_event_borrow_packet_const(ev) : NULL;
	out->cpu_id = struct_member_i32(&c->cpu_id, pkt ? bt_packet_borrow_context_field_const(pkt) : NULL);
	const bt_field *common = bt_event_borrow_common_context_field_const(ev);
	out->vpid = struct_member_i32(&c->vpid, common);
	out->vtid = struct_member_i32(&c->vtid, common);
	out->impl = ev;
}

/* The named field: payload first, then specific context, then common
 * context. NULL when none has it. */
static const bt_field *event_field(const struct analyzer_event *view, const char *name)
{
	const bt_event *ev = view->impl;
	const bt_field *scopes[] = {
		bt_event_borrow_payload_field_const(ev),
		bt_event_borrow_specific_context_field_const(ev),
		bt_event_borrow_common_context_field_const(ev),
	};
	for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
		if (!scopes[i])
			continue;
		const bt_field *f = bt_field_structure_borrow_member_field_by_name_const(scopes[i], name);
		if (f)
			return f;
	}
	return NULL;
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
	const bt_field *f = event_field(ev, field);
	if (!f || bt_field_get_class_type(f) != BT_FIELD_CLASS_TYPE_STRING)
		return NULL;
	return bt_field_string_get_value(f);
}

ssize_t analyzer_event_uint_seq(const struct analyzer_event *ev, const char *field,
				uint64_t *out, size_t max)
{
	const bt_field *f = event_field(ev, field);
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
