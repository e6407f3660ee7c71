/*
 * Inside the model builder: its state while events stream in, and the
 * functions its files share. model_builder.c dispatches each event;
 * builder_threads.c keeps processes and threads, builder_timeline.c the
 * state timelines and CPUs, builder_sync.c waits, locks, syscalls and
 * counters, builder_annot.c regions, tasks, labels, logs, samples,
 * allocations and modules.
 */
#ifndef ANALYZER_BUILDER_INTERNAL_H
#define ANALYZER_BUILDER_INTERNAL_H

#include "model.h"
#include "model_builder.h"
#include "model_event.h"
#include "model_store.h"

#define BUILDER_NO_STATE 0xffu
#define BUILDER_TID_CACHE 16
#define BUILDER_STR_CACHE 4

/* What the builder keeps per thread besides the model's thread record. */
struct bthread {
	uint32_t *rstack;           /* open region instances, innermost last */
	size_t nr, capr;
	uint32_t *lstack;           /* label stack as (key, value) string ids */
	size_t nl, capl;            /* nl counts ids: 2 per label */
	uint32_t labels;            /* interned label set of lstack */
	uint32_t task;              /* task worked for, MODEL_NONE */
	uint32_t attach;            /* open attachment record, MODEL_NONE */
	uint64_t freeze;            /* a new traced wait may not begin before */
	uint64_t last_flush;        /* previous counter flush (or first sight) */
	uint64_t last_seen;         /* latest event about the thread */
	/* The state outside traced waits, from the scheduler (or derived). */
	uint32_t base_aux;
	uint8_t base_state;         /* BUILDER_NO_STATE until the first push */
	bool alive;
};

/* What the builder remembers per lock address for the next wait on it. */
struct block {
	uint64_t rel_ts;            /* last lock_release, MODEL_NO_TS */
	uint64_t covered_from;      /* hold time credited back to here */
	uint32_t rel_thread, rel_stack;
	uint64_t wake_ts;           /* last wake (cond, sem), MODEL_NO_TS */
	uint32_t wake_thread;
};

/* Per task: the begin thread's task before, restored when it ends. */
struct btask {
	uint32_t prev;
	uint32_t attached;          /* threads attached now */
	uint32_t last_thread;       /* the latest one attached */
};

/* A thread_create not yet matched by its thread_start. */
struct bcreate {
	uint64_t ts;
	int32_t parent_tid;
};

struct model_builder {
	struct model m;
	struct model_builder_options opt;
	struct model_interns in;
	bool failed;                /* out of memory: stop */
	uint64_t now;               /* latest event time (monotonic) */

	struct bthread *bt;         /* parallel to m.threads */
	size_t nbt, capbt;
	struct block *bl;           /* parallel to m.locks */
	size_t nbl, capbl;
	struct btask *btk;          /* parallel to m.tasks */
	size_t nbtk, capbtk;
	struct bcreate *creates;
	size_t ncreates, capcreates;

	struct model_map tids;      /* (tid, 0) → latest thread */
	struct {                    /* recent lookups in tids, by tid */
		int32_t tid;
		uint32_t thread;
	} tid_cache[BUILDER_TID_CACHE];
	uint32_t str_cache[BUILDER_STR_CACHE];   /* recently interned strings */
	unsigned str_next;
	struct model_map pids;      /* (pid, 0) → latest process */
	struct model_map pthreads;  /* (pid, pthread_t) → thread */
	struct model_map task_ids;  /* (pid, task id) → task */
	struct model_map create_ids;/* (pid, create id) → creates[] */
	struct model_map lock_addrs;/* (pid, addr) → lock */
	struct model_map modules;   /* (pid, baddr) → module */
	struct model_map tree;      /* (pid, 0) → 1: the recorded program's processes */
};

/* Marks the builder failed (out of memory); returns -1. */
int builder_oom(struct model_builder *b);
void builder_warn(struct model_builder *b, enum model_warning w);
uint32_t builder_string(struct model_builder *b, const char *s);

/* ---- builder_threads.c ---- */

/* How the trace first shows a thread. */
enum builder_seen {
	BUILDER_SEEN_OWN,     /* an event it emitted: it runs on ev->cpu */
	BUILDER_SEEN_CREATED, /* fork/clone or thread_create: runnable */
	BUILDER_SEEN_OTHER,   /* named by another thread's event: state unknown */
};

uint32_t builder_process(struct model_builder *b, int32_t pid);
/* The live thread tid of pid, created when unknown (first seen at ts as
 * `seen`). MODEL_NONE when out of memory. */
uint32_t builder_thread(struct model_builder *b, int32_t pid, int32_t tid, uint64_t ts,
			enum builder_seen seen, int32_t cpu);
/* The thread tid of pid that held a lock another thread waited for, until
 * ts: the latest with that tid even if it has ended since, else as
 * builder_thread. */
uint32_t builder_thread_holder(struct model_builder *b, int32_t pid, int32_t tid, uint64_t ts);
/* The live thread tid if known, else MODEL_NONE (no creation). */
uint32_t builder_thread_find(struct model_builder *b, int32_t tid);
/* The thread is gone at ts: closes its regions, task and timeline. */
void builder_thread_end(struct model_builder *b, uint32_t th, uint64_t ts);
void builder_thread_rename(struct model_builder *b, uint32_t th, uint64_t ts, uint32_t name);

int builder_on_process_start(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_thread_create(struct model_builder *b, const struct model_event *ev);
/* Returns the started thread, MODEL_NONE when out of memory. */
uint32_t builder_on_thread_start(struct model_builder *b, const struct model_event *ev);
int builder_on_thread_exit(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_sched_fork(struct model_builder *b, const struct model_event *ev);
int builder_on_sched_exit(struct model_builder *b, const struct model_event *ev);
int builder_on_sched_comm(struct model_builder *b, const struct model_event *ev);

/* ---- builder_timeline.c ---- */

/* Appends a state from ts on (ts is clamped to the last interval start). */
int builder_tl_push(struct model_builder *b, uint32_t th, uint64_t ts, uint8_t state,
		    uint32_t aux, uint8_t flags);
/* Sets the scheduler-derived state from ts on. */
int builder_tl_base(struct model_builder *b, uint32_t th, uint64_t ts, uint8_t state,
		    uint32_t aux);
/* The thread emitted an event at ts on cpu: it was running. */
int builder_tl_own_event(struct model_builder *b, uint32_t th, uint64_t ts, int32_t cpu);
/* A traced wait [from, to] takes precedence over what the timeline said;
 * to is now. from is clamped to what is already final. */
int builder_tl_wait(struct model_builder *b, uint32_t th, uint64_t from, uint64_t to,
		    uint8_t state, uint32_t aux);
/* Moves amount ns of [from, to) into state (short waits); returns the ns
 * placed, or -1 when out of memory. */
int64_t builder_tl_short(struct model_builder *b, uint32_t th, uint64_t from, uint64_t to,
			 uint64_t amount, uint8_t state);
/* CPU cpu runs thread (or MODEL_CPU_IDLE / MODEL_CPU_UNKNOWN) from ts. */
int builder_cpu_set(struct model_builder *b, int32_t cpu, uint64_t ts, uint32_t thread);
int builder_on_sched_switch(struct model_builder *b, const struct model_event *ev);
int builder_on_gap(struct model_builder *b, const struct model_event *ev);

/* ---- builder_sync.c ---- */

int builder_on_lock_wait(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_lock_release(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_wake(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_thread_join(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_syscall(struct model_builder *b, const struct model_event *ev, uint32_t th);
/* Accounts a counter group flushed by th at ts. */
int builder_flush(struct model_builder *b, uint32_t th, uint64_t ts,
		  const struct ctrace_counters *c);

/* ---- builder_annot.c ---- */

int builder_on_region_begin(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_region_end(struct model_builder *b, const struct model_event *ev, uint32_t th);
/* Closes th's open regions above depth keep at ts with flags. */
void builder_regions_close(struct model_builder *b, uint32_t th, size_t keep, uint64_t ts,
			   uint8_t flags);
int builder_on_task_begin(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_task_end(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_task_attach(struct model_builder *b, const struct model_event *ev, uint32_t th);
/* Ends th's current attachment at ts (task MODEL_NONE) or moves it. */
int builder_task_attach(struct model_builder *b, uint32_t th, uint32_t task, uint64_t ts);
int builder_on_label(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_log(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_sample(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_alloc(struct model_builder *b, const struct model_event *ev, uint32_t th);
int builder_on_module(struct model_builder *b, const struct model_event *ev);
/* Innermost open region of th, or MODEL_NONE. */
uint32_t builder_region_top(const struct model_builder *b, uint32_t th);

#endif
