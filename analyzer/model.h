/*
 * The analyzer's model of a trace: the second stage of the pipeline
 * (read → model → breakdown → output).
 *
 * The model is what the trace says happened, organised for questions:
 * processes, threads with their lifecycles and a state timeline, CPUs
 * with who ran when, regions, tasks, labels, logs, lock and join waits
 * linked to what caused them, syscalls, allocations, CPU samples and the
 * binaries needed to symbolize their stacks. It is built in one pass by
 * model_builder (model_builder.h) and is read-only afterwards.
 *
 * Layout: every collection is a flat array owned by the model, and items
 * refer to each other by 32-bit index (MODEL_NONE for "none"), never by
 * pointer, so the model is a handful of large allocations whatever the
 * trace size, and could be written to disk as it is. Strings and stacks
 * are interned: a name or a stack seen a million times is stored once.
 * Memory grows with what the model holds (state changes, regions, waits,
 * samples), never with the raw event count.
 *
 * State timeline: from the first instant the trace knows a thread to its
 * last, the thread is at every instant in exactly one state (enum
 * model_state). The timeline is a run of intervals, each starting where
 * the previous one ends; the last ends at the thread's tl_end. So an
 * interval is only its start, state and one payload word: 16 bytes.
 *
 * Derivation (model_builder does it; documented here because every later
 * stage relies on it):
 * - lock_wait and syscall intervals come from the tracer's own events
 *   (begin_ts .. event time) and take precedence over everything else;
 *   pthread_join waits count as lock_wait (kind MODEL_WAIT_JOIN).
 *   A wait lasts until the call returns, so it includes the waiter's
 *   wake-up delay after the holder's release (model_wait.release_ts):
 *   that is the time the program lost to the lock, what it measures
 *   around its own lock call and what a mutex delay profile means. On a
 *   loaded machine that delay is milliseconds; the scheduling trace shows
 *   when the waiter got a CPU after release_ts, so the wait splits into
 *   the holder's remaining hold and the waiter's CPU delay when needed.
 * - Elsewhere, with scheduling data: on CPU (switch-in .. switch-out) is
 *   running; switched out preempted is runnable; switched out otherwise
 *   is other (blocked for a reason the trace does not show). A thread
 *   created by fork/clone is runnable until it first runs.
 * - Without scheduling data (perf unavailable or --no-sched), every
 *   instant outside a traced wait is running, flagged MODEL_IV_ESTIMATED.
 * - Short waits (below the tracer's thresholds) have no event; each
 *   thread's counter group, flushed at region boundaries, thread exit and
 *   periodically, says how much lock and syscall time happened since its
 *   previous flush. The builder moves exactly that much time into
 *   lock_wait / syscall inside [previous flush, flush], taking it from
 *   `other` first (a blocking short wait looks like an unexplained
 *   switch-out to the scheduler), then `running` (spinning, the call's own
 *   CPU time), then `runnable`, latest first; such intervals carry
 *   MODEL_IV_SHORT. Flushes happen at every region boundary, so the time
 *   lands in the right region and per-region breakdowns stay exact; only
 *   its position inside the flush period is a guess.
 * - After a gap (events the tracer discarded) every live thread's state
 *   is MODEL_UNKNOWN until an event re-establishes it (a context switch,
 *   or an event the thread emits itself, which proves it was running).
 *   Unknown time is never guessed into another state.
 */
#ifndef ANALYZER_MODEL_H
#define ANALYZER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODEL_NONE UINT32_MAX      /* no item (index fields) */
#define MODEL_NO_TS UINT64_MAX     /* unknown time (timestamp fields) */

enum model_state {
	MODEL_RUNNING = 0,   /* on a CPU */
	MODEL_RUNNABLE,      /* preempted, waiting for a CPU */
	MODEL_LOCK_WAIT,     /* waiting on a lock, condition, semaphore or join */
	MODEL_SYSCALL,       /* in a blocking call the tracer times */
	MODEL_OTHER,         /* off CPU for a reason the trace does not show */
	MODEL_UNKNOWN,       /* after a gap in the trace: not known */
	MODEL_NSTATES
};

/* Interval flags. */
#define MODEL_IV_ESTIMATED 0x1u    /* derived without scheduling data */
#define MODEL_IV_SHORT 0x2u        /* short waits placed from counters */

/* One piece of a thread's state timeline: [start, next interval's start).
 * aux: the wait (lock_wait) or syscall (syscall) record it comes from,
 * the CPU for running with scheduling data, else MODEL_NONE. */
struct model_interval {
	uint64_t start;
	uint32_t aux;
	uint8_t state;             /* enum model_state */
	uint8_t flags;             /* MODEL_IV_* */
	uint16_t reserved;
};

_Static_assert(sizeof(struct model_interval) == 16, "a timeline interval stays 16 bytes");

/* Time spent in each state; sums exactly to the wall time it covers. */
struct model_breakdown {
	uint64_t ns[MODEL_NSTATES];
};

/* Tracer settings a process announced in its process_start event. */
struct model_settings {
	uint64_t sample_period_ns;
	uint64_t lock_threshold_ns;
	uint64_t syscall_threshold_ns;
	uint64_t alloc_sample_bytes;
	uint64_t burst_min_bytes;
	uint64_t burst_rate_bytes_per_ms;
};

struct model_process {
	int32_t pid, ppid;          /* ppid 0: unknown */
	uint32_t name;              /* string: procname / comm / exe basename */
	uint32_t exe;               /* string: path from process_start, or NONE */
	uint32_t main_thread;       /* thread index or NONE */
	uint64_t start_ns;          /* process_start or fork; MODEL_NO_TS */
	uint64_t exit_ns;           /* process_exit; MODEL_NO_TS */
	bool forked;                /* a fork child of a traced process */
	bool has_settings;
	struct model_settings settings;
};

/* Thread flags. */
#define MODEL_TH_MAIN 0x1u          /* the process's first thread (tid == pid) */
#define MODEL_TH_TRACED 0x2u        /* emitted ctrace events (not LTTng's own) */
#define MODEL_TH_SCHED 0x4u         /* context switches were seen for it */
#define MODEL_TH_EXITED 0x8u        /* thread_exit seen */
#define MODEL_TH_ENDED 0x10u        /* known to be gone (sched_exit or thread_exit) */

struct model_thread {
	int32_t tid, pid;
	uint32_t process;           /* index */
	uint32_t name;              /* latest name (string), MODEL_NONE */
	int32_t parent_tid;         /* 0: unknown */
	uint32_t parent;            /* thread index, MODEL_NONE */
	uint32_t flags;             /* MODEL_TH_* */
	uint32_t joined_by;         /* thread index, MODEL_NONE */
	uint64_t create_ns;         /* sched_fork / thread_create; MODEL_NO_TS */
	uint64_t start_ns;          /* thread_start (runs our code); MODEL_NO_TS */
	uint64_t exit_ns;           /* thread_exit; MODEL_NO_TS */
	uint64_t end_ns;            /* gone (sched_exit, else thread_exit); MODEL_NO_TS */
	uint64_t join_ns;           /* pthread_join returned; MODEL_NO_TS */
	uint64_t start_routine, pthread;
	/* The timeline covers [tl_begin, tl_end]: creation (or first sight)
	 * to end (or the trace's end). */
	uint64_t tl_begin, tl_end;
	struct model_interval *iv;
	size_t niv, ivcap;
	/* Counter groups summed over the thread's life. */
	uint64_t alloc_bytes, alloc_count;
	uint64_t lock_short_ns, lock_short_count;
	uint64_t sys_short_ns, sys_short_count;
};

struct model_name_change {
	uint64_t ts;
	uint32_t thread, name;
};

/* For each CPU, which of the traced threads ran when: [start, next start). */
#define MODEL_CPU_IDLE MODEL_NONE           /* none of ours (idle or other programs) */
#define MODEL_CPU_UNKNOWN (MODEL_NONE - 1)  /* after a gap */
struct model_cpu_slice {
	uint64_t start;
	uint32_t thread;
	uint32_t reserved;
};
struct model_cpu {
	struct model_cpu_slice *v;
	size_t n, cap;
};

/* Region instance flags. */
#define MODEL_RG_UNCLOSED 0x1u      /* still open when its thread or the trace ended */
#define MODEL_RG_MISMATCH 0x2u      /* closed by a region_end naming another region */
#define MODEL_RG_LOST_END 0x4u      /* its end was lost (depth resync); end is a bound */

/* 48 bytes: regions can be most of a trace's events. The task and labels
 * in force at a region's begin are in attaches and label_changes. */
struct model_region {
	uint64_t begin, end;        /* end = MODEL_NO_TS only while building */
	uint64_t alloc_bytes, alloc_count;  /* inclusive of nested regions */
	uint32_t name, thread;
	uint32_t parent;            /* enclosing instance on the same thread */
	uint16_t depth;             /* 1 = outermost */
	uint8_t flags;              /* MODEL_RG_* */
	uint8_t reserved;
};
_Static_assert(sizeof(struct model_region) == 48, "a region instance stays 48 bytes");

#define MODEL_TK_UNCLOSED 0x1u
struct model_task {
	uint64_t id;                /* the program's task id */
	uint64_t begin, end;
	uint32_t name, process;
	uint32_t parent;            /* task index, MODEL_NONE */
	uint32_t begin_thread, end_thread;
	uint32_t flags;
};

/* A thread working for a task over [from, to). */
struct model_task_attach {
	uint64_t from, to;
	uint32_t task, thread;
};

struct model_label_change {
	uint64_t ts;
	uint32_t thread, labels;    /* label set from ts on */
};

struct model_log {
	uint64_t ts;
	uint32_t thread, category, message;
};

/* A lock address (or condition variable, semaphore) of one process. */
struct model_lock {
	int32_t pid;
	uint8_t kind;               /* enum ctrace_lock_kind of its first wait */
	uint64_t addr;
};

#define MODEL_WAIT_JOIN 16          /* model_wait.kind for pthread_join */

/* One traced wait: a lock_wait event or a thread_join. */
struct model_wait {
	uint64_t begin, end;
	uint64_t addr, mutex;       /* mutex: for cond waits, the mutex re-taken */
	uint32_t thread;            /* the waiter */
	uint32_t lock;              /* lock index (MODEL_NONE for joins) */
	/* What caused it: the holder (mutex, rwlock: holder_tid from the
	 * event, else the thread whose release ended the wait), the waker
	 * (cond, sem) or the joined thread. MODEL_NONE when unknown. */
	uint32_t blocker;
	int32_t blocker_tid;        /* 0 when unknown */
	uint64_t release_ts;        /* the unlock / wake that ended it, or NO_TS */
	uint32_t release_stack;     /* sampled stack of that unlock, or NONE */
	uint32_t stack;             /* where the waiter blocked or joined, or NONE
	                             * (traces from before these events had one) */
	int32_t result;
	/* How much this wait added to its blocker's hold time: the union of
	 * [wait begin, release] over the waiters of one critical section. */
	uint64_t hold_credit_ns;
	uint8_t kind;               /* enum ctrace_lock_kind or MODEL_WAIT_JOIN */
};

struct model_syscall {
	uint64_t begin, end;
	uint32_t thread;
	uint32_t stack;             /* the stack at the call, or NONE */
	uint8_t sys;                /* enum ctrace_sys */
	int32_t fd, err;
	int64_t size, result;
};

struct model_sample {
	uint64_t ts;
	uint32_t thread, stack;
	uint32_t region;            /* innermost open region instance */
	uint32_t task, labels;
	uint8_t flags;              /* CTRACE_SAMPLE_* */
	uint16_t weight;            /* sampling periods it stands for (model_sample_weight) */
};

/* The periods a sample stands for: 1 for models made without weights. */
static inline uint32_t model_sample_weight(const struct model_sample *s)
{
	return s->weight ? s->weight : 1;
}

struct model_alloc_sample {
	uint64_t ts, size, addr;
	uint32_t thread, stack, region, labels;
};

struct model_burst {
	uint64_t begin, end, bytes, count;
	uint32_t thread, region;
};

struct model_mmap {
	uint64_t ts, addr, length;
	uint32_t thread;
	uint8_t unmap;
};

/* A binary loaded in a process (statedump bin_info or dlopen): what a
 * later pass needs to symbolize addresses. */
struct model_module {
	uint32_t process;
	uint32_t path;              /* string */
	uint64_t baddr, memsz;
	uint64_t load_ns, unload_ns;  /* unload_ns: MODEL_NO_TS while loaded */
	uint32_t build_id_off, build_id_len;  /* bytes in model.blob */
	bool not_pic;               /* a non-PIE executable (statedump is_pic = 0) */
};

/* Interned stack: frames[off .. off+n). */
struct model_stack {
	uint32_t off, n;
};
/* Interned label set: label_kv[off .. off + 2n) as key, value string ids. */
struct model_labelset {
	uint32_t off, n;
};

/* What a trace could not tell, counted; the report prints non-zero ones. */
enum model_warning {
	MODEL_W_TIME_BACKWARD,      /* an event older than the previous one */
	MODEL_W_REGION_NO_BEGIN,    /* region_end with no region open */
	MODEL_W_REGION_MISMATCH,    /* region_end naming another region */
	MODEL_W_REGION_RESYNC,      /* region depth disagreed with the events */
	MODEL_W_REGION_UNCLOSED,    /* region still open at its thread's end */
	MODEL_W_LABEL_RESYNC,       /* label depth disagreed with the events */
	MODEL_W_TASK_UNKNOWN,       /* task_end / attach of a task never begun */
	MODEL_W_TASK_UNCLOSED,      /* task never ended */
	MODEL_W_WAIT_CLAMPED,       /* a wait began before what is already final */
	MODEL_W_SHORT_UNPLACED,     /* short wait time that did not fit its period */
	MODEL_W_SCHED_MISMATCH,     /* a thread emitted an event while switched out */
	MODEL_W_GAP,                /* events were discarded (a gap) */
	MODEL_W_THREAD_REUSED,      /* a tid's events after it ended (reuse unseen) */
	MODEL_W_JOIN_UNKNOWN,       /* join of a pthread never seen starting */
	MODEL_W_STACK_TRUNCATED,    /* a stack longer than the analyzer keeps */
	MODEL_W_NO_THREAD,          /* an event without process or thread id */
	MODEL_W_FOREIGN,            /* an event of a process outside the recorded program */
	MODEL_W_COUNT
};

/* A growable array: items, count, capacity. */
#define MODEL_ARRAY(type, name) \
	type *name;             \
	size_t n_##name, cap_##name

struct model {
	/* Whole trace. */
	uint64_t start_ns, end_ns;  /* first and last event; MODEL_NO_TS if none */
	uint64_t events;            /* events fed to the builder */
	uint64_t ctrace_events;     /* of which from the ctrace provider */
	uint64_t sched_events;      /* of which context switches and friends */
	uint64_t other_events;      /* of which neither (LTTng statedump, ...) */
	int64_t discarded_events;   /* summed signed (see reader.h) */
	uint64_t gaps;
	bool has_sched;             /* scheduling data was captured */
	uint64_t warnings[MODEL_W_COUNT];
	uint64_t short_unplaced_ns;

	MODEL_ARRAY(struct model_process, processes);
	MODEL_ARRAY(struct model_thread, threads);
	MODEL_ARRAY(struct model_name_change, name_changes);
	MODEL_ARRAY(struct model_cpu, cpus);
	MODEL_ARRAY(struct model_region, regions);
	MODEL_ARRAY(struct model_task, tasks);
	MODEL_ARRAY(struct model_task_attach, attaches);
	MODEL_ARRAY(struct model_label_change, label_changes);
	MODEL_ARRAY(struct model_log, logs);
	MODEL_ARRAY(struct model_lock, locks);
	MODEL_ARRAY(struct model_wait, waits);
	MODEL_ARRAY(struct model_syscall, syscalls);
	MODEL_ARRAY(struct model_sample, samples);
	MODEL_ARRAY(struct model_alloc_sample, alloc_samples);
	MODEL_ARRAY(struct model_burst, bursts);
	MODEL_ARRAY(struct model_mmap, mmaps);
	MODEL_ARRAY(struct model_module, modules);

	/* Interned data. String 0 is "". Stack 0 and label set 0 are empty. */
	MODEL_ARRAY(char, str_data);
	MODEL_ARRAY(uint32_t, str_off);
	MODEL_ARRAY(uint64_t, frames);
	MODEL_ARRAY(struct model_stack, stacks);
	MODEL_ARRAY(uint32_t, label_kv);
	MODEL_ARRAY(struct model_labelset, labelsets);
	MODEL_ARRAY(uint8_t, blob);
};

void model_free(struct model *m);

/* ---- queries (model.c) ------------------------------------------------ */

/* The interned string s (never NULL; "" for MODEL_NONE). */
const char *model_str(const struct model *m, uint32_t s);
const char *model_state_name(enum model_state s);
const char *model_warning_text(enum model_warning w);
/* Name of a wait kind: "mutex", "cond", ..., "join". */
const char *model_wait_kind_name(uint8_t kind);
/* Name of a syscall (enum ctrace_sys), "sys#N" for unknown values. */
const char *model_sys_name(uint8_t sys);

/* Frames of stack s; *n receives the count. */
const uint64_t *model_stack_frames(const struct model *m, uint32_t s, uint32_t *n);

/* End of interval i of thread t. */
static inline uint64_t model_interval_end(const struct model_thread *t, size_t i)
{
	return i + 1 < t->niv ? t->iv[i + 1].start : t->tl_end;
}

/* Index of the interval of t holding instant ts, or MODEL_NONE when ts is
 * outside [tl_begin, tl_end). Binary search. */
uint32_t model_interval_at(const struct model_thread *t, uint64_t ts);

/* Adds to out the time t spent in each state within [from, to). */
void model_thread_breakdown(const struct model_thread *t, uint64_t from, uint64_t to,
			    struct model_breakdown *out);

uint64_t model_breakdown_total(const struct model_breakdown *b);

/* A thread's display name: latest name, else its process's name. */
const char *model_thread_name(const struct model *m, uint32_t thread);

#endif
