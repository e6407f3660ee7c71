/*
 * The annotation API of include/ctrace/ctrace.h.
 *
 * Compiled into both libctrace.so (tracepoint sites bound dynamically, so
 * linking it pulls in no LTTng runtime and no interposer) and the preload
 * library (where the probes are linked in and these definitions interpose
 * libctrace's). Each call first asks LTTng whether its event is enabled:
 * one load and a predictable branch when nothing records.
 */
/* The API is the library's public surface; everything else stays hidden. */
#pragma GCC visibility push(default)
#include <ctrace/ctrace.h>
#pragma GCC visibility pop

#include <string.h>

#include "../common/clock.h"
#include "../common/tstate.h"
#include "../provider/ctrace_tp.h"

/* Returns s, or a truncated copy in buf (CTRACE_MAX_STRING + 1 bytes). */
static const char *api_clip(const char *s, char *buf)
{
	if (!s)
		return "";
	size_t n = strnlen(s, CTRACE_MAX_STRING + 1);
	if (n <= CTRACE_MAX_STRING)
		return s;
	size_t keep = CTRACE_MAX_STRING - (sizeof(CTRACE_TRUNCATION_MARK) - 1);
	memcpy(buf, s, keep);
	memcpy(buf + keep, CTRACE_TRUNCATION_MARK, sizeof(CTRACE_TRUNCATION_MARK));
	return buf;
}

/* Emitting may call malloc or locks inside LTTng: mark the thread so the
 * preload's interposers pass those through instead of counting them. */
#define API_EMIT(t, ...)                                      \
	do {                                                  \
		(t)->in_tracer++;                             \
		lttng_ust_do_tracepoint(ctrace, __VA_ARGS__); \
		(t)->in_tracer--;                             \
	} while (0)

void ctrace_region_begin(const char *name)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, region_begin))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	char buf[CTRACE_MAX_STRING + 1];
	uint64_t now = tracer_now_ns();
	uint32_t depth = region_stack_push(&t->regions, region_name_hash(name), now);
	struct ctrace_counters c = tracer_counters_take(t, now);
	API_EMIT(t, region_begin, api_clip(name, buf),
		 depth > UINT16_MAX ? UINT16_MAX : (uint16_t)depth, &c);
}

void ctrace_region_end(const char *name)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, region_end))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	char buf[CTRACE_MAX_STRING + 1];
	uint64_t now = tracer_now_ns();
	struct region_pop p = region_stack_pop(&t->regions, region_name_hash(name), now);
	struct ctrace_counters c = tracer_counters_take(t, now);
	API_EMIT(t, region_end, api_clip(name, buf),
		 p.depth > UINT16_MAX ? UINT16_MAX : (uint16_t)p.depth,
		 p.duration_ns, (uint8_t)p.mismatch, &c);
}

uint64_t ctrace_task_begin(const char *name, uint64_t parent)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, task_begin))
		return 0;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return 0;
	char buf[CTRACE_MAX_STRING + 1];
	uint64_t id = (uint64_t)(uint32_t)t->tid << 32 | ++t->task_seq;
	API_EMIT(t, task_begin, id, parent, api_clip(name, buf));
	return id;
}

void ctrace_task_end(uint64_t task)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, task_end) || task == 0)
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (t)
		API_EMIT(t, task_end, task);
}

void ctrace_task_attach(uint64_t task)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, task_attach))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (t)
		API_EMIT(t, task_attach, task);
}

void ctrace_log(const char *category, const char *message)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, log))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	char b1[CTRACE_MAX_STRING + 1], b2[CTRACE_MAX_STRING + 1];
	API_EMIT(t, log, api_clip(category, b1), api_clip(message, b2));
}

void ctrace_label_push(const char *key, const char *value)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, label_push))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	uint16_t depth = label_stack_push(&t->labels);
	if (depth == 0)
		return;
	char b1[CTRACE_MAX_STRING + 1], b2[CTRACE_MAX_STRING + 1];
	API_EMIT(t, label_push, api_clip(key, b1), api_clip(value, b2), depth);
}

void ctrace_label_pop(void)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, label_pop))
		return;
	struct tracer_thread *t = tracer_thread_self();
	uint16_t depth;
	if (t && label_stack_pop(&t->labels, &depth))
		API_EMIT(t, label_pop, depth);
}
