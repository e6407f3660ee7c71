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

/* Per-read state: the event-class cache and buffers the decoded events
 * borrow (valid until the next decode). */
struct model_decoder {
	struct model_map classes;   /* event name pointer → enum model_ev + 1 */
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
