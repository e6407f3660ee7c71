/*
 * Decoding babeltrace2 event messages into analyzer_event views (the
 * reader's per-event step) and the field getters of reader.h.
 */
#ifndef ANALYZER_EVENT_VIEW_H
#define ANALYZER_EVENT_VIEW_H

#include <babeltrace2/babeltrace.h>

#include "reader.h"

/* Where a structure class keeps a named member, remembered per class:
 * a trace has a handful of stream classes, so a few slots hold them all
 * and a member is then read by index instead of by name per event. */
#define EVENT_VIEW_CACHE_SLOTS 8
struct event_view_member_cache {
	const char *name;
	const bt_field_class *cls[EVENT_VIEW_CACHE_SLOTS];
	uint64_t index[EVENT_VIEW_CACHE_SLOTS]; /* UINT64_MAX: no such member */
	unsigned next;                           /* slot replaced next */
};

/* What is fixed per stream class: its clock's frequency and where the
 * vpid and vtid contexts sit. */
struct event_view_stream_class {
	const bt_stream_class *sc;
	bool has_clock, has_packets;
	uint64_t hz;
	int64_t origin_ns;                 /* the clock's offset, when hz is 1 GHz */
	bool common_known;                 /* vpid/vtid places looked up */
	uint64_t vpid_index, vtid_index;   /* UINT64_MAX: none */
	bool vpid_signed, vtid_signed;
};

struct event_view_cache {
	struct event_view_member_cache cpu_id, vpid, vtid;
	struct event_view_stream_class classes[EVENT_VIEW_CACHE_SLOTS];
	unsigned next_class;
	/* cpu_id only changes with the packet. */
	const bt_packet *last_packet;
	int32_t last_cpu;
};

void event_view_cache_init(struct event_view_cache *c);

/* A clock snapshot's value in ns of its clock, without the clock's offset
 * from its origin: for LTTng traces, CLOCK_MONOTONIC as the program read it. */
uint64_t event_view_clock_ns(const bt_clock_snapshot *cs);

/* Fills out from an event message; out borrows from msg. */
void event_view_fill(struct event_view_cache *c, const bt_message *msg,
		     struct analyzer_event *out);

#endif
