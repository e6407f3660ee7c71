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
#include "../common/spike_rules.h"
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

/* The flight recorder's spike event (rate-limited), after the event that
 * ended the spike so the snapshot holds both. */
static void api_spike(struct tracer_thread *t, const char *name, enum spike_kind kind,
		      uint64_t duration_ns, uint64_t threshold_ns, uint64_t begin_ns,
		      uint64_t now)
{
	uint32_t suppressed;
	if (!spike_rate_admit(now, &suppressed))
		return;
	API_EMIT(t, spike, name, (uint8_t)kind, duration_ns, threshold_ns, begin_ns,
		 suppressed);
	t->in_tracer++;
	spike_announce(kind, name, duration_ns, threshold_ns, now, suppressed);
	t->in_tracer--;
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
	uint64_t hash = region_name_hash(name);
	struct region_pop p = region_stack_pop(&t->regions, hash, now);
	struct ctrace_counters c = tracer_counters_take(t, now);
	const char *clipped = api_clip(name, buf);
	API_EMIT(t, region_end, clipped,
		 p.depth > UINT16_MAX ? UINT16_MAX : (uint16_t)p.depth,
		 p.duration_ns, (uint8_t)p.mismatch, &c);
	if (__builtin_expect(spike_rules_count != 0, 0) && p.mismatch == REGION_MATCH) {
		const struct spike_rule *r = spike_rules_find(hash);
		if (r && p.duration_ns > r->threshold_ns &&
		    lttng_ust_tracepoint_enabled(ctrace, spike))
			api_spike(t, clipped, SPIKE_KIND_REGION, p.duration_ns,
				  r->threshold_ns, now - p.duration_ns, now);
	}
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
	if (__builtin_expect(spike_rules_count != 0, 0)) {
		const struct spike_rule *r = spike_rules_find(region_name_hash(name));
		if (r)
			spike_task_begin(id, r, tracer_now_ns());
	}
	return id;
}

void ctrace_task_end(uint64_t task)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, task_end) || task == 0)
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	API_EMIT(t, task_end, task);
	uint64_t begin;
	const struct spike_rule *r;
	if (__builtin_expect(spike_tasks_open != 0, 0) && spike_task_end(task, &begin, &r)) {
		uint64_t now = tracer_now_ns();
		uint64_t d = now >= begin ? now - begin : 0;
		if (d > r->threshold_ns && lttng_ust_tracepoint_enabled(ctrace, spike))
			api_spike(t, r->name, SPIKE_KIND_TASK, d, r->threshold_ns, begin, now);
	}
}

void ctrace_snapshot(const char *reason)
{
	if (!lttng_ust_tracepoint_enabled(ctrace, spike))
		return;
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	char buf[CTRACE_MAX_STRING + 1];
	uint64_t now = tracer_now_ns();
	api_spike(t, api_clip(reason ? reason : "ctrace_snapshot", buf), SPIKE_KIND_API,
		  0, 0, now, now);
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
