/*
 * Turning a trace's model into a pprof profile (analyzer/pprof): what
 * `ctrace pprof` writes and what the viewer exports. One profile type per
 * call; filters narrow the samples; every sample carries labels saying
 * where in the program's own structure it happened, so `go tool pprof
 * -tagfocus=region=checkout` and `-tags` work on them.
 *
 * Profile types and what their samples are (values per sample type):
 *   cpu      one per CPU sample: samples/count 1, cpu/nanoseconds = the
 *            process's sampling period; stack = the sampled stack.
 *   lock     lock_wait time of the state timeline: contentions/count,
 *            delay/nanoseconds. Stack: synthetic leaf frames "<kind>
 *            0x<addr>" / "<kind>" / "[lock wait]" on top of the stack
 *            where the waiter blocked (synthetic frames only for traces
 *            recorded before lock_wait carried a stack).
 *            Short waits (below the tracer's threshold, known only from
 *            counters) are one frame "[short lock waits]" with delay only
 *            (their count is not attributable to an instant: 0).
 *            Joins count as lock waits, as in the model ("join tid N").
 *   syscall  syscall time of the timeline: calls/count, delay/nanoseconds;
 *            synthetic leaf frames "<name>(fd N)" / "<name>" / "[syscall]"
 *            on top of the stack at the call (synthetic only for older
 *            traces); short calls as "[short syscalls]".
 *   sched    runnable time (preempted, waiting for a CPU): runnable/count,
 *            delay/nanoseconds, at the stack of the thread's nearest
 *            preceding CPU sample (where it most likely was when
 *            preempted), else "[runnable, no CPU sample before]".
 *   mutex    as Go's mutex profile: the delay waiters suffered, at the
 *            stack of the holder's unlock that ended their wait. Only 1 in
 *            N unlock stacks is kept (CTRACE_RELEASE_STACK_EVERY, default
 *            16, not recorded in the trace), so each sampled wait is
 *            scaled by (waits ended by a traced unlock) / (of which with
 *            a stack), measured in the trace itself.
 *   alloc    sampled allocations scaled as Go's heap profile does:
 *            alloc_objects/count, alloc_space/bytes, each sample of size s
 *            at rate r standing for 1 / (1 - exp(-s / r)) allocations.
 *
 * Labels on every sample: thread (name), tid (number), region (innermost
 * open region), regions (the nesting, "outer/inner"), task (name) when
 * there is one, and every user label (ctrace_label_push) active then.
 *
 * Time-based samples (lock, syscall, sched) are clipped to the --from/--to
 * window; a thread in a wait or runnable emits nothing, so one wait never
 * straddles a region boundary and its labels are those at its start.
 */
#ifndef ANALYZER_PPROF_EXPORT_H
#define ANALYZER_PPROF_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "reader.h"

struct analyzer_symbolizer;
struct pprof_builder;

enum pprof_export_type {
	PPROF_EXPORT_CPU,
	PPROF_EXPORT_LOCK,
	PPROF_EXPORT_SYSCALL,
	PPROF_EXPORT_SCHED,
	PPROF_EXPORT_MUTEX,
	PPROF_EXPORT_ALLOC,
	PPROF_EXPORT_NTYPES
};

/* Which samples to keep; every set field must match (NULL / MODEL_NO_TS:
 * no condition). */
struct pprof_export_filter {
	const char *region;       /* a region of this name is open (any depth) */
	const char *task;         /* the thread works for a task of this name */
	const char *thread;       /* a tid in decimal, else a thread name */
	const char *label_key;    /* with label_value: this user label is set */
	const char *label_value;
	uint64_t from, to;        /* [from, to) in ns from the trace's start */
};

struct pprof_export_opts {
	enum pprof_export_type type;
	struct pprof_export_filter filter;
	const char *trace_name;   /* for the profile's comment; may be NULL */
	/* Epoch time minus trace clock (CLOCK_MONOTONIC), for time_nanos;
	 * 0 when unknown (time_nanos is then the trace clock's). */
	int64_t clock_offset_ns;
};

/* "cpu", "lock", ... and back; -1 for an unknown name. */
const char *pprof_export_type_name(enum pprof_export_type t);
int pprof_export_type_parse(const char *name, enum pprof_export_type *out);

/* What went wrong, so a CLI can choose its exit status. */
enum pprof_export_status {
	PPROF_EXPORT_OK,
	PPROF_EXPORT_BAD_FILTER, /* the filter names nothing or a time outside the trace */
	PPROF_EXPORT_NO_DATA,    /* the trace lacks what the type needs */
	PPROF_EXPORT_EMPTY,      /* the filters left no sample */
	PPROF_EXPORT_FAILED,     /* out of memory, or the writer failed */
};

/* Builds the profile of m. sym: model_symbolizer_create(m)
 * (model_symbols.h), or NULL (locations then have addresses only). On success returns a builder
 * the caller writes (pprof_builder_write / _encode) and destroys, and sets
 * *samples_kept to the number of model items that became samples. On
 * failure returns NULL with *status and err set (a one-line message). */
struct pprof_builder *pprof_export_build(const struct model *m, struct analyzer_symbolizer *sym,
					 const struct pprof_export_opts *opts, size_t *samples_kept,
					 enum pprof_export_status *status, struct analyzer_error *err);

#endif
