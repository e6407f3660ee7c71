/*
 * The scheduling trace: a CTF 1.8 trace in DIR/sched written by us (there is
 * no packaged CTF writer library), one stream file per CPU. babeltrace2 reads
 * it with the LTTng trace and interleaves both by time, provided the clock
 * is the same: the metadata copies LTTng's clock block, so it can only be
 * written once LTTng has written its own (after `lttng stop`); streams are
 * written while recording.
 *
 * Events (fields as babeltrace2 shows them; packet context has cpu_id):
 *   sched_switch  tid, pid, cpu, switch (enum in=0/out=1), preempted
 *                 (switch-out while still runnable)
 *   sched_fork    pid, tid, ppid, ptid     a thread or process was created
 *   sched_exit    pid, tid, ppid, ptid     a thread or process ended
 *   sched_comm    pid, tid, comm, exec     a thread was (re)named / exec'd
 * Timestamps are CLOCK_MONOTONIC nanoseconds, like LTTng's. Lost perf
 * records are counted in the packet context's events_discarded.
 */
#ifndef RECORD_SCHED_CTF_H
#define RECORD_SCHED_CTF_H

#include <stdbool.h>
#include <stdint.h>

#include "record_util.h"

#define RECORD_SCHED_DIR "sched"

struct record_sched_ctf;

enum record_sched_task { RECORD_SCHED_FORK, RECORD_SCHED_EXIT };

/* Creates DIR/sched (0700) for ncpus streams; begin_ns opens the first
 * packet of each stream. NULL with e on failure. Owned by the caller. */
struct record_sched_ctf *record_sched_ctf_open(const char *trace_dir, uint32_t ncpus,
					       uint64_t begin_ns, struct record_err *e);

/* Appending events. cpu < ncpus. Write errors are kept and reported by
 * record_sched_ctf_finish (the reader thread cannot stop the program). */
void record_sched_ctf_switch(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			     int32_t pid, int32_t tid, bool out, bool preempted);
void record_sched_ctf_task(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			   enum record_sched_task kind, int32_t pid, int32_t tid,
			   int32_t ppid, int32_t ptid);
void record_sched_ctf_comm(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			   int32_t pid, int32_t tid, const char *comm, bool exec);
void record_sched_ctf_lost(struct record_sched_ctf *w, uint32_t cpu, uint64_t count);

/* Closes every stream with a last packet ending at end_ns. */
int record_sched_ctf_finish(struct record_sched_ctf *w, uint64_t end_ns, struct record_err *e);

/* Writes DIR/sched/metadata with clock_block (a TSDL `clock { ... };`
 * naming clock_name) as the trace's clock. */
int record_sched_ctf_write_metadata(struct record_sched_ctf *w, const char *clock_block,
				    const char *clock_name, struct record_err *e);

uint64_t record_sched_ctf_events(const struct record_sched_ctf *w);
uint64_t record_sched_ctf_discarded(const struct record_sched_ctf *w);
/* Events whose timestamp was raised to their predecessor's (perf gave them
 * out of order; expected 0). */
uint64_t record_sched_ctf_reordered(const struct record_sched_ctf *w);

/* Removes DIR/sched (scheduling could not be captured after all). */
void record_sched_ctf_discard(struct record_sched_ctf *w);
void record_sched_ctf_free(struct record_sched_ctf *w);

#endif
