/*
 * ctrace annotation API: the only calls a program makes to tell ctrace what
 * it is doing. Everything here is cheap when nothing records (one predictable
 * branch per call) and never changes what the program does.
 *
 * Build:  cc prog.c $(pkg-config --cflags --libs ctrace)
 * Record: ctrace record -- ./prog
 *
 * Strings are copied when the call is made, so callers may free or reuse
 * them right after. Any length is accepted; names longer than
 * CTRACE_MAX_STRING bytes are cut and end in CTRACE_TRUNCATION_MARK.
 *
 * Linking libctrace interposes no libc function: lock, syscall, allocation
 * and scheduling data come only from `ctrace record`'s preload library.
 */
#ifndef CTRACE_CTRACE_H
#define CTRACE_CTRACE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTRACE_MAX_STRING 512
#define CTRACE_TRUNCATION_MARK "...[truncated]"

/* Regions nest per thread. ctrace_region_end closes the innermost open
 * region; its name must match the one given to ctrace_region_begin (a
 * mismatch is recorded and the innermost region is closed anyway). */
void ctrace_region_begin(const char *name);
void ctrace_region_end(const char *name);

/* A task is a unit of work that may span threads (a request, a job).
 * Returns a non-zero id unique in the process; parent 0 means no parent.
 * Returns 0 only when recording is off, and 0 is accepted everywhere. */
uint64_t ctrace_task_begin(const char *name, uint64_t parent);
void ctrace_task_end(uint64_t task);
/* The calling thread now works for task (0 detaches it). */
void ctrace_task_attach(uint64_t task);

/* A timestamped message, like Go's trace.Log. */
void ctrace_log(const char *category, const char *message);

/* Labels work like Go's pprof.Do: CPU samples, lock waits and allocations
 * taken while a label is pushed carry it. Per thread, popped in LIFO order;
 * a pop with nothing pushed is ignored. */
void ctrace_label_push(const char *key, const char *value);
void ctrace_label_pop(void);

/* Asks `ctrace record --flight` for a snapshot now: the flight recorder
 * writes the recent history (a trace directory) with reason as its cause,
 * as when a --spike rule fires. For programs that detect trouble
 * themselves. Rate-limited like spikes (--snapshot-interval); does nothing
 * outside the flight recorder. reason may be NULL. */
void ctrace_snapshot(const char *reason);

/* Scoped region: ends when the enclosing block is left, however it is left
 * (return, break, goto). Needs GCC or Clang (cleanup attribute). */
static inline void ctrace__region_cleanup(const char **name)
{
	ctrace_region_end(*name);
}
#define CTRACE__CAT2(a, b) a##b
#define CTRACE__CAT(a, b) CTRACE__CAT2(a, b)
#define CTRACE_REGION(name)                                                   \
	const char *CTRACE__CAT(ctrace__region_, __LINE__)                    \
		__attribute__((cleanup(ctrace__region_cleanup), unused)) =    \
			(ctrace_region_begin(name), (name))

#ifdef __cplusplus
}
#endif

#endif /* CTRACE_CTRACE_H */
