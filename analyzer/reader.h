/*
 * The analyzer's trace reader: the first stage of the analyzer pipeline
 * (read → model → breakdown → output).
 *
 * A ctrace trace directory holds several CTF traces: the LTTng-UST one
 * (DIR/ust/uid/0/64-bit/) and the `sched/` one written by `ctrace record`
 * from perf. The reader finds every directory under DIR that contains a
 * `metadata` file, feeds them all to one babeltrace2 graph
 * (src.ctf.fs → flt.utils.muxer → simple sink) and hands each event, in
 * timestamp order, to a callback as a compact decoded view.
 *
 * Events are streamed: memory does not grow with the number of events. An
 * event view and everything borrowed from it (names, strings) are valid
 * only during the callback that received it.
 *
 * Reads may run in several threads at once (model_load reads a trace's
 * stream files in parts, reader_split.h): babeltrace2 set-up and tear-down
 * are serialized inside the reader.
 */
#ifndef ANALYZER_READER_H
#define ANALYZER_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A message saying which directory or file was wrong and why. */
#define ANALYZER_ERROR_MAX 1024
struct analyzer_error {
	char msg[ANALYZER_ERROR_MAX];
};

/* One event, decoded enough for the common questions. */
struct analyzer_event {
	const char *name;   /* "provider:event", e.g. "ctrace:lock_wait" */
	uint64_t ts_ns;     /* clock snapshot in ns: CLOCK_MONOTONIC for LTTng */
	int32_t cpu_id;     /* packet context `cpu_id`, -1 when absent */
	int32_t vpid;       /* common context `vpid`, -1 when absent (the */
	int32_t vtid;       /* sched/ events carry pid and tid as fields) */
	/* The time babeltrace2's muxer orders events by: ns from the clock's
	 * origin (ts_ns plus the clock's offset). */
	int64_t order_ns;
	const void *stream; /* opaque: the event's stream (reader_split.h) */
	const void *impl;   /* opaque: read fields with analyzer_event_*() */
	const void *cls;    /* opaque: the event's class */
	const void *scopes[3];  /* opaque: payload, specific and common context */
};

/* Totals of one read. */
struct analyzer_read_stats {
	uint64_t events;            /* events handed to the callback */
	/* Sum of the discarded-event counts babeltrace2 reported. Summed as
	 * signed: LTTng's per-packet counts were seen to go backwards, so a
	 * single message can carry a "negative" count (FIELD-NOTES). */
	int64_t discarded_events;
	uint64_t discarded_event_messages;
	uint64_t discarded_packets;
	uint32_t trace_dirs;        /* directories with a `metadata` file */
	/* With salvage (analyzer_read_options): what was left out. */
	uint32_t skipped_traces;    /* CTF traces unreadable even in part */
	uint32_t skipped_files;     /* stream files of readable traces */
	char skipped[512];          /* the first thing left out, and why */
};

/* Called once per event; return 0 to go on, anything else to stop the
 * read (analyzer_read_trace then returns that value). */
typedef int (*analyzer_event_fn)(const struct analyzer_event *ev, void *user);

/* Events the tracer discarded (a babeltrace2 discarded-events message):
 * count (signed, see above) between begin_ns and end_ns, either 0 when the
 * trace does not say. */
struct analyzer_gap {
	int64_t count;
	uint64_t begin_ns, end_ns;
	int64_t order_ns;       /* as analyzer_event's: where the muxer put it */
	const void *stream;     /* opaque: the stream that lost them */
};

/* Called once per gap, in time order with the events; 0 to go on. */
typedef int (*analyzer_gap_fn)(const struct analyzer_gap *gap, void *user);

/* Reads every CTF trace under dir in timestamp order, calling fn per event.
 * Returns 0 when everything was read, fn's non-zero value when fn stopped
 * the read, and -1 on error with err filled (dir not a directory, no CTF
 * trace inside, babeltrace2's own error). stats (optional) is filled in
 * every case with what was read so far. Never exits the process. */
int analyzer_read_trace(const char *dir, analyzer_event_fn fn, void *user,
			struct analyzer_read_stats *stats, struct analyzer_error *err);

/* The general form of analyzer_read_trace. */
struct analyzer_read_options {
	analyzer_event_fn event;
	analyzer_gap_fn gap;        /* optional: told about discarded events */
	void *user;
	/* Read what can be read of a damaged trace: CTF traces and stream
	 * files babeltrace2 cannot open are left out and counted in stats,
	 * instead of failing the read (which still fails when nothing at all
	 * can be opened). */
	bool salvage;
	/* A trace of one stream goes to the callbacks without babeltrace2's
	 * muxer (~6 % faster). The muxer also fails a read whose time goes
	 * backward: the caller then checks order_ns itself. */
	bool unmuxed_single_stream;
};

/* True for an lttng-live URL (net://HOST[:PORT]/host/HOSTNAME/SESSION):
 * analyzer_read_trace reads such a session from lttng-relayd while it
 * runs, until the session is destroyed. A live session has no sched/
 * trace: on-CPU time is then estimated. */
bool analyzer_is_live_url(const char *input);

int analyzer_read_trace_opts(const char *dir, const struct analyzer_read_options *opt,
			     struct analyzer_read_stats *stats, struct analyzer_error *err);

/* Reads the CTF traces in dirs (trace_dirs.h) as one, like
 * analyzer_read_trace_opts does those it finds under a directory; label
 * names the input in messages. stats->trace_dirs is dirs->count. Safe to
 * run in several threads at once, each on its own traces: babeltrace2's
 * objects are not thread-safe, so each read has its own plugins and graph
 * and their creation and destruction are serialized. */
struct analyzer_trace_dirs;
int analyzer_read_trace_dirs(const char *label, const struct analyzer_trace_dirs *dirs,
			     const struct analyzer_read_options *opt,
			     struct analyzer_read_stats *stats, struct analyzer_error *err);

/*
 * Field access by name. A name is looked up in the payload first, then the
 * event's specific context, then the common context (so "vtid" works as a
 * field too). Integers of either signedness and enumerations are accepted
 * by both integer getters (enumerations read as their integer value).
 */

/* True and *out set when the field exists and is an integer or enum. */
bool analyzer_event_uint(const struct analyzer_event *ev, const char *field, uint64_t *out);
bool analyzer_event_int(const struct analyzer_event *ev, const char *field, int64_t *out);
/* The string's value (borrowed, valid during the callback), NULL when the
 * field is missing or not a string. */
const char *analyzer_event_string(const struct analyzer_event *ev, const char *field);
/* Copies up to max elements of an integer sequence or array into out and
 * returns its full length; -1 when the field is missing or not an array of
 * integers. */
ssize_t analyzer_event_uint_seq(const struct analyzer_event *ev, const char *field,
				uint64_t *out, size_t max);

/*
 * The same getters for a hot loop: a field reference remembers, per event
 * class, where its field is, so the name is looked up once per class
 * instead of once per event. Keep one reference per field name alive
 * across events (zero it and set .name before first use).
 */
#define ANALYZER_FIELD_REF_SLOTS 4
struct analyzer_field_ref {
	const char *name;
	const void *cls[ANALYZER_FIELD_REF_SLOTS];   /* event classes seen */
	uint8_t scope[ANALYZER_FIELD_REF_SLOTS];     /* 0 payload, 1 specific, 2 common, 3 none */
	uint8_t type[ANALYZER_FIELD_REF_SLOTS];      /* 1 unsigned, 2 signed, 3 string, 0 other */
	uint32_t index[ANALYZER_FIELD_REF_SLOTS];
	unsigned next;                               /* slot replaced next */
};

bool analyzer_event_uint_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref,
			     uint64_t *out);

/* Cheaper still, for a caller that keeps its own per-class table: where a
 * field sits in events of ev's class (valid for every event whose cls is
 * ev->cls), and the getters at that place. */
struct analyzer_field_loc {
	uint32_t index;
	uint8_t scope;              /* 0 payload, 1 specific, 2 common, 3 none */
	uint8_t type;               /* 1 unsigned, 2 signed, 3 string, 0 other */
};
void analyzer_event_locate(const struct analyzer_event *ev, const char *field,
			   struct analyzer_field_loc *loc);
bool analyzer_event_uint_at(const struct analyzer_event *ev, struct analyzer_field_loc loc,
			    uint64_t *out);
const char *analyzer_event_string_at(const struct analyzer_event *ev, struct analyzer_field_loc loc);
ssize_t analyzer_event_uint_seq_at(const struct analyzer_event *ev, struct analyzer_field_loc loc,
				   uint64_t *out, size_t max);
const char *analyzer_event_string_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref);
ssize_t analyzer_event_uint_seq_ref(const struct analyzer_event *ev, struct analyzer_field_ref *ref,
				    uint64_t *out, size_t max);

#endif /* ANALYZER_READER_H */
