/*
 * Reading one trace directory in parts, one part per thread: its stream
 * files are split into groups of about equal size, each group made a set
 * of stand-in directories (links to the metadata and to the group's
 * stream files, reader_salvage.h) that analyzer_read_trace_dirs reads
 * like a whole trace. The parts' events are put back in the order
 * babeltrace2's muxer would have given them over the whole trace: by
 * ns from the clock's origin (analyzer_event.order_ns), ties broken by
 * stream with reader_stream_key_cmp, which is how the muxer breaks them
 * between streams (trace UUID, trace name, stream class id, stream id).
 * Within a stream the order is the stream's own.
 */
#ifndef ANALYZER_READER_SPLIT_H
#define ANALYZER_READER_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "trace_dirs.h"

#define READER_SPLIT_MAX 8

struct reader_split {
	size_t nparts;
	struct analyzer_trace_dirs parts[READER_SPLIT_MAX];  /* stand-in directories */
	uint32_t trace_dirs;        /* CTF traces in the whole directory */
	uint64_t part_bytes[READER_SPLIT_MAX];
};

/* Splits dir's stream files into at most nparts groups balanced by size
 * (the largest file first, each into the lightest group). Returns 0 with
 * split filled (nparts >= 2), 1 when there is nothing to split (fewer than
 * two stream files, or nparts < 2), -1 with err filled when dir cannot be
 * read or a stand-in cannot be made. Free with reader_split_free in every
 * case: it also removes the stand-ins. */
int reader_split_create(const char *dir, size_t nparts, struct reader_split *split,
			struct analyzer_error *err);
void reader_split_free(struct reader_split *split);

/* What the muxer compares between two streams' messages of equal time. */
struct reader_stream_key {
	bool has_uuid, has_name;
	uint8_t uuid[16];
	char name[120];             /* the trace's name (truncated) */
	uint64_t class_id, id;
};

/* Fills key from an opaque stream (analyzer_event.stream). */
void reader_stream_key_get(const void *stream, struct reader_stream_key *key);
/* <0 when a's messages go first on a tie, >0 when b's, 0 when the muxer
 * could not tell them apart by stream. */
int reader_stream_key_cmp(const struct reader_stream_key *a, const struct reader_stream_key *b);

#endif
