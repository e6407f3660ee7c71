/*
 * The tracer's per-thread state: the only mutable state ctrace keeps while a
 * program runs (besides the write-once configuration read at start-up).
 *
 * It lives in initial-exec TLS so the fast paths (malloc, mutex unlock) reach
 * it with one %fs-relative access and no call; zero-initialized TLS means
 * "not set up yet", which is what every thread sees first. The annotation
 * library (libctrace.so) and the preload library each have their own copy;
 * when both are loaded the preload's API functions interpose libctrace's,
 * so only one copy is ever used.
 */
#ifndef TRACER_TSTATE_H
#define TRACER_TSTATE_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "burst.h"
#include "label_stack.h"
#include "region_stack.h"
#include "../provider/ctrace_schema.h"

enum tracer_thread_mode {
	TRACER_THREAD_NEW = 0,      /* not set up (zeroed TLS) */
	TRACER_THREAD_TRACED = 1,   /* a program thread, traced */
	TRACER_THREAD_IGNORED = 2,  /* LTTng's or our own thread: never traced */
	TRACER_THREAD_EXITED = 3,   /* past its thread_exit event */
};

struct tracer_thread {
	uint8_t mode;               /* enum tracer_thread_mode */
	/* Set while the tracer itself runs on this thread (emitting an event,
	 * unwinding, resolving symbols), so calls it makes into interposed
	 * functions (malloc from LTTng or libunwind) pass straight through. */
	uint8_t in_tracer;
	uint8_t in_unwind;          /* libunwind is not reentrant: samples skip */
	/* preload_code_unmaps when this thread was set up: once code has been
	 * unmapped since, libunwind's per-thread trace cache (keyed by address
	 * alone, never invalidated) may hold another object's frame rules, and
	 * this thread's stacks take the slow, checked way (preload/dl.c). */
	uint32_t unmaps_at_setup;
	int32_t tid;

	/* Counters flushed with region boundaries, exits and periodically. */
	struct ctrace_counters pending;
	uint64_t last_flush_ns;

	/* Allocation: countdown to the next slow-path visit; the fast path
	 * subtracts each allocation's weight and calls the slow path when it
	 * goes negative. */
	int64_t alloc_countdown;
	int64_t alloc_sample_countdown;  /* bytes to the next sampled allocation */
	uint64_t alloc_flushed_bytes;    /* running totals of flushed counters */
	uint64_t alloc_flushed_count;
	uint64_t alloc_visit_bytes;      /* running total at the last slow path */
	struct burst_state burst;

	struct region_stack regions;
	struct label_stack labels;
	uint32_t task_seq;               /* ids: tid << 32 | ++task_seq */
	uint32_t create_seq;             /* thread_create ids, same scheme */
	uint64_t rng;                    /* xorshift state for sampling */

	/* CPU sampling timer of this thread. */
	timer_t sample_timer;
	uint8_t has_sample_timer;
	/* Bumped by the sampling signal handler: a syscall wrapper that saw
	 * EINTR while this moved restarts the call, so our signal never
	 * surfaces as EINTR in the program. */
	volatile sig_atomic_t sample_signals;
};

/* The calling thread's state, set up on first use. Defined once by each
 * library that carries the API (see tstate.c / preload/thread.c). */
struct tracer_thread *tracer_thread_self(void);

/* Takes the pending counters (returned by value) and resets them. */
static inline struct ctrace_counters tracer_counters_take(struct tracer_thread *t,
							   uint64_t now_ns)
{
	struct ctrace_counters c = t->pending;
	t->alloc_flushed_bytes += c.alloc_bytes;
	t->alloc_flushed_count += c.alloc_count;
	t->pending = (struct ctrace_counters){ 0 };
	t->last_flush_ns = now_ns;
	return c;
}

#endif
