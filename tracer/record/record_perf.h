/*
 * Context switches of the recorded program, from perf: one software dummy
 * event per CPU, opened on the program's pid with inherit=1 so every thread
 * and child process created later is followed (a single cpu=-1 inherited
 * event cannot be mmapped). Each CPU's ring buffer carries switch-in/out
 * records (PREEMPT flag on involuntary switch-outs), task fork/exit and comm
 * records, all stamped with CLOCK_MONOTONIC like LTTng. exclude_kernel lets
 * unprivileged users open it (perf_event_paranoid 2). The events are enabled
 * by the program's exec, so nothing of the recorder's own child is seen.
 *
 * A reader thread drains the buffers into the sched CTF writer until told
 * to stop, then drains what is left.
 */
#ifndef RECORD_PERF_H
#define RECORD_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "record_sched_ctf.h"
#include "record_util.h"

struct record_perf;

/* Opens and maps the per-CPU events for pid (which has not exec'd yet).
 * On failure returns NULL with e; *not_permitted is set when the kernel
 * refused for lack of privilege (then recording goes on without them). */
struct record_perf *record_perf_open(pid_t pid, bool *not_permitted, struct record_err *e);

/* Number of CPU slots: the writer needs one stream per slot. */
uint32_t record_perf_cpus(const struct record_perf *p);

/* Starts the reader thread feeding w. Signals are blocked in it. */
int record_perf_start(struct record_perf *p, struct record_sched_ctf *w, struct record_err *e);

/* Stops the reader after a final drain; then w is no longer touched. */
void record_perf_stop(struct record_perf *p);

/* CPU time the reader thread used, nanoseconds (valid after stop). */
uint64_t record_perf_reader_cpu_ns(const struct record_perf *p);

void record_perf_close(struct record_perf *p);

#endif
