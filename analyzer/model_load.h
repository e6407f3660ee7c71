/*
 * Loading a ctrace trace directory into a model: the reader, the decoder
 * and the builder in one streaming pass. The stream files are decoded in
 * 2 threads (CTRACE_DECODE_THREADS sets how many; 1 reads as one graph)
 * and merged back into the one order a single read gives, so the model
 * is the same either way (model_load_parallel.c).
 */
#ifndef ANALYZER_MODEL_LOAD_H
#define ANALYZER_MODEL_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "reader.h"

struct model_load_info {
	struct analyzer_read_stats stats;
	bool sched_trace;           /* DIR/sched holds a scheduling trace */
	/* Reading stopped on an error after some events: the model holds
	 * what came before, and damage says what went wrong. */
	bool damaged;
	char damage[ANALYZER_ERROR_MAX];
	bool from_cache;            /* read from DIR's model cache */
	bool cache_fingerprinted;   /* cache_fingerprint is set (options.cache) */
	/* Threads that decoded the trace: 1, or its parts when read in
	 * parallel (CTRACE_DECODE_THREADS, default 2 on 2+ cores). */
	uint8_t decode_threads;
	uint64_t cache_fingerprint; /* for model_cache_write */
};

/* Called every few thousand events with the count so far. */
typedef void (*model_progress_fn)(uint64_t events, void *user);

/* Reads dir into *out (free with model_free). Returns 0 (check
 * info->damaged), or -1 with err filled when nothing usable could be read
 * (not a directory, no CTF trace, unreadable from the first event) or
 * memory ran out. */
int model_load(const char *dir, struct model *out, struct model_load_info *info,
	       model_progress_fn progress, void *progress_user, struct analyzer_error *err);

struct model_load_options {
	model_progress_fn progress;  /* optional */
	void *progress_user;
	/* Use DIR's model cache when it matches the trace (model_cache.h).
	 * Writing one after reading the trace is the caller's choice
	 * (model_cache_write with info->cache_fingerprint), e.g. in a thread
	 * of its own while it analyzes the model. */
	bool cache;
};

/* model_load with options. */
int model_load_opts(const char *dir, const struct model_load_options *opt, struct model *out,
		    struct model_load_info *info, struct analyzer_error *err);

#endif
