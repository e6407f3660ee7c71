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
};

/* Feeds one decoded event (0, or -1 when out of memory). */
int load_feed_event(struct load_run *run, const struct model_event *me);
/* Feeds a gap of count events lost between begin_ns and end_ns. */
int load_feed_gap(struct load_run *run, int64_t count, uint64_t begin_ns, uint64_t end_ns);

/* Reads dir's stream files in nthreads threads and feeds run in the
 * order of a single read. Returns 0 with stats filled; 1 when the trace
 * is to be read by one thread instead (one stream file, or a part failed
 * to open or read: a damaged trace, read as it always was), with *refeed
 * set when run->b may have been fed and must be made anew; -1 when out
 * of memory (run->oom set). */
int load_parallel(const char *dir, unsigned nthreads, struct load_run *run,
		  struct analyzer_read_stats *stats, bool *refeed);

/* CTRACE_DECODE_THREADS, else 2 on a machine of 2 or more cores. */
unsigned load_decode_threads(void);

#endif
