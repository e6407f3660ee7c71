/*
 * From the reader's events (reader.h) to the builder's (model_event.h):
 * which event it is, and its fields as plain values.
 */
#ifndef ANALYZER_MODEL_DECODE_H
#define ANALYZER_MODEL_DECODE_H

#include "model_event.h"
#include "model_store.h"
#include "reader.h"

#define MODEL_DECODE_MAX_FRAMES 256
#define MODEL_DECODE_MAX_BUILD_ID 64
#define DECODE_TYPE_CACHE 16

/* Every field the decoder reads, by name. */
#define DECODE_FIELDS(X) \
	X(addr) \
	X(alloc_bytes) \
	X(alloc_count) \
	X(alloc_sample_bytes) \
	X(baddr) \
	X(begin_ts) \
	X(broadcast) \
	X(build_id) \
	X(burst_min_bytes) \
	X(burst_rate_bytes_per_ms) \
	X(bytes) \
	X(category) \
	X(comm) \
	X(count) \
	X(cpu) \
	X(depth) \
	X(duration_ns) \
	X(end_ts) \
	X(err) \
	X(exe) \
	X(exec) \
	X(fd) \
	X(flags) \
	X(weight) \
	X(forked) \
	X(holder_tid) \
	X(id) \
	X(is_pic) \
	X(key) \
	X(kind) \
	X(length) \
	X(lock_short_count) \
	X(lock_short_ns) \
	X(lock_threshold_ns) \
	X(memsz) \
	X(message) \
	X(mismatch) \
	X(mutex) \
	X(name) \
	X(parent) \
	X(parent_tid) \
	X(path) \
	X(pid) \
	X(ppid) \
	X(preempted) \
	X(procname) \
	X(pthread) \
	X(ptid) \
	X(result) \
	X(sample_period_ns) \
	X(size) \
	X(stack) \
	X(start_routine) \
	X(switch) \
	X(sys) \
	X(sys_short_count) \
	X(sys_short_ns) \
	X(syscall_threshold_ns) \
	X(tid) \
	X(unmap) \
	X(value) \
	X(waiters)

enum decode_field {
#define X(name) F_##name,
	DECODE_FIELDS(X)
#undef X
	DECODE_F_COUNT
};

extern const char *const decode_field_names[DECODE_F_COUNT];

/* What the decoder knows of one event class: its type and where each
 * field it reads sits, looked up by name once per class. */
struct decode_class {
	enum model_ev type;
	struct analyzer_field_loc loc[DECODE_F_COUNT];
};

/* Per-read state: the event classes seen and buffers the decoded events
 * borrow (valid until the next decode). */
struct model_decoder {
	struct model_map classes;   /* event class pointer → index in cls */
	struct decode_class *cls;
	size_t n_cls;
	const void *cache_key[DECODE_TYPE_CACHE];   /* recent classes, their index */
	uint32_t cache_index[DECODE_TYPE_CACHE];
	const struct decode_class *cur;              /* the event's, while decoding */
	uint64_t frames[MODEL_DECODE_MAX_FRAMES];
	uint8_t build_id[MODEL_DECODE_MAX_BUILD_ID];
};

void model_decoder_init(struct model_decoder *d);
void model_decoder_free(struct model_decoder *d);

/* Fills out from ev. out->type is MEV_NONE for events the model does not
 * use. Returns -1 only when out of memory. */
int model_decode(struct model_decoder *d, const struct analyzer_event *ev,
		 struct model_event *out);

/* The event type of a full event name ("ctrace:lock_wait", "sched_switch"). */
enum model_ev model_decode_type(const char *name);

#endif
