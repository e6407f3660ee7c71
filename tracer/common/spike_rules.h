/*
 * The flight recorder's spike rules, tracer side: which region and task
 * names count as a spike past which duration, and the rate limit on spike
 * events. `ctrace record --flight --spike NAME=DUR` passes them through the
 * environment (read once when the library loads):
 *
 *   CTRACE_SPIKES              "NS:NAME" entries separated by newlines
 *   CTRACE_SPIKE_INTERVAL_NS   at most one spike event per this many ns per
 *                              process (default 1 s); the ones in between
 *                              are counted in the next event's `suppressed`
 *   CTRACE_SPIKE_SOCK          a Unix datagram socket path: each spike event
 *                              is also announced there (one line), so the
 *                              recorder knows the reason of every snapshot
 *
 * The spike event itself (ctrace:spike) is what the LTTng trigger matches
 * to take the snapshot. With no rules set, region ends and task ends pay one
 * predictable branch on a global.
 *
 * Task spikes need the task's begin time at its end, possibly on another
 * thread: tasks whose name has a rule are kept in a small global table
 * (SPIKE_TASKS_MAX open at once; beyond that they are not checked).
 */
#ifndef TRACER_SPIKE_RULES_H
#define TRACER_SPIKE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#define SPIKE_RULES_MAX 32
#define SPIKE_NAME_MAX 128
#define SPIKE_TASKS_MAX 256

enum spike_kind {
	SPIKE_KIND_REGION = 0,
	SPIKE_KIND_TASK = 1,
	SPIKE_KIND_API = 2,        /* ctrace_snapshot() */
};

struct spike_rule {
	uint64_t hash;             /* region_name_hash of name */
	uint64_t threshold_ns;
	char name[SPIKE_NAME_MAX];
};

/* Number of rules; 0 when the flight recorder is off. */
extern uint32_t spike_rules_count;
/* Tasks in the table: task_end looks only when this is non-zero. */
extern uint32_t spike_tasks_open;

/* Parses the CTRACE_SPIKES format into the global table (replacing it).
 * Malformed entries are skipped. Returns the number of rules kept. For
 * tests; the library calls it on load with the environment's value. */
uint32_t spike_rules_load(const char *spec, uint64_t interval_ns, const char *sock_path);

/* The rule for a name hash, or NULL. */
const struct spike_rule *spike_rules_find(uint64_t hash);

/* The rate limit: true when a spike at now_ns may be emitted; then
 * *suppressed is the number refused since the last one admitted. */
bool spike_rate_admit(uint64_t now_ns, uint32_t *suppressed);

/* Remembers a task whose name has a rule; at its end spike_task_end
 * returns its begin time and rule (false when not kept). */
void spike_task_begin(uint64_t id, const struct spike_rule *rule, uint64_t now_ns);
bool spike_task_end(uint64_t id, uint64_t *begin_ns, const struct spike_rule **rule);

/* Announces an admitted spike on CTRACE_SPIKE_SOCK (if set): one datagram
 * "KIND\tDURATION_NS\tTHRESHOLD_NS\tTS_NS\tSUPPRESSED\tNAME". Raw system
 * calls only, so no interposer sees them. */
void spike_announce(enum spike_kind kind, const char *name, uint64_t duration_ns,
		    uint64_t threshold_ns, uint64_t ts_ns, uint32_t suppressed);

#endif
