/*
 * The preload library carries the `ctrace` probes and its own tracepoint
 * sites, statically bound: loading it is what makes ctrace events
 * recordable, for its interposers and for libctrace's dynamic sites alike.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "../provider/ctrace_tp.h"

void preload_tracepoints_init(void);

/* LTTng registers probes and tracepoint sites from plain constructors,
 * which run after preload_init's prioritized one; preload_init wants to emit
 * process_start right away, so it runs them first. Each is guarded by a
 * counter and does nothing when its constructor runs again later. */
void preload_tracepoints_init(void)
{
	lttng_ust__events_init__ctrace();
	lttng_ust__tracepoints__ptrs_init();
	lttng_ust__tracepoints__init();
}
