/*
 * The model builder's input: one trace event, decoded into plain C values.
 *
 * This is the seam between babeltrace2 and the model. model_decode.c fills
 * it from the reader's events; tests (the fuzz test among them) fill it by
 * hand and feed the builder without any trace. Strings and frames are
 * borrowed: valid only while model_builder_feed runs.
 */
#ifndef ANALYZER_MODEL_EVENT_H
#define ANALYZER_MODEL_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "ctrace_schema.h"
#include "model.h"

enum model_ev {
	MEV_NONE = 0,        /* an event the model does not use (counted) */
	/* ctrace provider (tracer/provider/ctrace_tp.h) */
	MEV_PROCESS_START, MEV_PROCESS_EXIT,
	MEV_THREAD_CREATE, MEV_THREAD_START, MEV_THREAD_NAME, MEV_THREAD_EXIT, MEV_THREAD_JOIN,
	MEV_LOCK_WAIT, MEV_LOCK_RELEASE, MEV_WAKE, MEV_SYSCALL, MEV_COUNTERS,
	MEV_ALLOC_SAMPLE, MEV_ALLOC_BURST, MEV_MMAP, MEV_CPU_SAMPLE,
	MEV_REGION_BEGIN, MEV_REGION_END, MEV_TASK_BEGIN, MEV_TASK_END, MEV_TASK_ATTACH,
	MEV_LOG, MEV_LABEL_PUSH, MEV_LABEL_POP,
	/* scheduling trace written by ctrace record (record_sched_ctf.h) */
	MEV_SCHED_SWITCH, MEV_SCHED_FORK, MEV_SCHED_EXIT, MEV_SCHED_COMM,
	/* LTTng-UST statedump and dl events */
	MEV_PROCNAME, MEV_MODULE_LOAD, MEV_MODULE_BUILD_ID, MEV_MODULE_UNLOAD,
	/* not an event: the tracer discarded events around here */
	MEV_GAP,
	MEV_COUNT
};

struct model_event {
	enum model_ev type;
	uint64_t ts;
	/* The thread the event is about: for ctrace and LTTng events the
	 * emitter (vpid/vtid), for sched events their pid/tid fields. */
	int32_t pid, tid;
	int32_t cpu;                /* -1 when unknown */
	union {
		struct { int32_t ppid; const char *exe; bool forked;
			 struct model_settings settings; } process_start;
		struct { uint64_t id, start_routine; } thread_create;
		struct { int32_t parent_tid; uint64_t id, start_routine, pthread; } thread_start;
		struct { int32_t tid; const char *name; } thread_name;
		struct { uint64_t pthread, begin_ts; int32_t result; } thread_join;
		struct { uint64_t addr, begin_ts, mutex; uint8_t kind;
			 int32_t holder_tid, result; } lock_wait;
		struct { uint64_t addr; uint8_t kind; } lock_release;
		struct { uint64_t addr; uint8_t kind; uint32_t waiters; bool broadcast; } wake;
		struct { uint8_t sys; uint64_t begin_ts; int32_t fd, err;
			 int64_t size, result; } syscall;
		struct { uint64_t size, addr; } alloc_sample;
		struct { uint64_t begin_ts, end_ts, bytes, count; } alloc_burst;
		struct { uint64_t addr, length; bool unmap; } mmap;
		struct { uint8_t flags; uint16_t weight; } cpu_sample;
		struct { const char *name; uint16_t depth; } region_begin;
		struct { const char *name; uint16_t depth; uint64_t duration_ns;
			 uint8_t mismatch; } region_end;
		struct { uint64_t id, parent; const char *name; } task_begin;
		struct { uint64_t id; } task;          /* task_end, task_attach */
		struct { const char *category, *message; } log;
		struct { const char *key, *value; uint16_t depth; } label_push;
		struct { uint16_t depth; } label_pop;
		struct { bool out, preempted; } sched_switch;   /* cpu: above */
		struct { int32_t ppid, ptid; } sched_task;      /* fork, exit */
		struct { const char *comm; bool exec; } sched_comm;
		struct { const char *name; } procname;
		struct { uint64_t baddr, memsz; const char *path; bool not_pic; } module;
		struct { uint64_t baddr; const uint8_t *bytes; uint32_t len; } build_id;
		struct { uint64_t baddr; } module_unload;
		struct { int64_t count; uint64_t begin_ns, end_ns; } gap;
	} u;
	/* lock_wait, thread_join, lock_release, syscall, alloc_sample, cpu_sample: the
	 * stack (may be empty). */
	const uint64_t *frames;
	uint32_t nframes;
	bool frames_truncated;      /* the trace's stack was deeper */
	/* region_begin, region_end, thread_exit, counters. */
	bool has_counters;
	struct ctrace_counters counters;
};

#endif
