/*
 * What model_load.c and its parallel read (model_load_parallel.c) share:
 * the state of one load and the two ways events reach the builder.
 */
#ifndef ANALYZER_MODEL_LOAD_INTERNAL_H
#define ANALYZER_MODEL_LOAD_INTERNAL_H

#include "model_builder.h"
#include "model_decode.h"
#include "model_load.h"

struct load_run {
	struct model_builder *b;
	struct model_decoder dec;   /* the single-thread read's */
	uint64_t last_ts;
	uint64_t events;
	bool oom;
	model_progress_fn progress;
	void *progress_user;
	unsigned parts;             /* threads that decoded (load_parallel) */
};

/* Feeds one decoded event (0, or -1 when out of memory). */
int load_feed_event(struct load_run *run, const struct model_event *me);
/* Feeds a gap of count events lost between begin_ns and end_ns. */
int load_feed_gap(struct load_run *run, int64_t count, uint64_t begin_ns, uint64_t end_ns);

/* Where load_parallel's merged events go: load_feed_event and
 * load_feed_gap for a load (tests watch the order). Non-zero stops. */
struct load_sink {
	int (*event)(void *user, const struct model_event *me);
	int (*gap)(void *user, int64_t count, uint64_t begin_ns, uint64_t end_ns);
	void *user;
};

/* Reads dir's stream files in nthreads threads and feeds sink in the
 * order of a single read. Returns 0 with stats filled and *parts set;
 * 1 when the trace is to be read by one thread instead (one stream file,
 * or a part failed to open or read: a damaged trace, read as it always
 * was), with *refeed set when the sink may have been fed; -1 when the
 * sink stopped or memory ran out. */
int load_parallel(const char *dir, unsigned nthreads, const struct load_sink *sink,
		  struct analyzer_read_stats *stats, bool *refeed, unsigned *parts);

/* CTRACE_DECODE_THREADS, else 2 on a machine of 2 or more cores. */
unsigned load_decode_threads(void);

#endif
