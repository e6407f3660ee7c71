/*
 * Processes and threads in the builder: identity (a tid names the latest
 * thread that had it), lifecycle events from both the tracer (thread_create,
 * thread_start, thread_exit, process_start) and the scheduler (fork, exit,
 * comm), and names.
 *
 * A thread's timeline starts when the trace first shows it: at its
 * creation when that is seen (fork, or the creator's thread_create), else
 * at its first event. Creation is what the scheduler calls wake_up_new_task:
 * the new thread is runnable until it first runs.
 */
#include <string.h>

#include "builder_internal.h"

uint32_t builder_process(struct model_builder *b, int32_t pid)
{
	uint32_t idx = model_map_get(&b->pids, (uint64_t)(uint32_t)pid, 0);
	if (idx != MODEL_NONE)
		return idx;
	struct model_process *p = MODEL_PUSH(&b->m, processes);
	if (!p) {
		builder_oom(b);
		return MODEL_NONE;
	}
	p->pid = pid;
	p->name = p->exe = p->main_thread = MODEL_NONE;
	p->start_ns = p->exit_ns = MODEL_NO_TS;
	idx = (uint32_t)(b->m.n_processes - 1);
	if (model_map_put(&b->pids, (uint64_t)(uint32_t)pid, 0, idx) != 0) {
		builder_oom(b);
		return MODEL_NONE;
	}
	return idx;
}

/* A new thread record with an empty timeline beginning at ts. */
static uint32_t thread_new(struct model_builder *b, int32_t pid, int32_t tid, uint64_t ts)
{
	uint32_t proc = builder_process(b, pid);
	if (proc == MODEL_NONE || b->m.n_threads >= MODEL_CPU_UNKNOWN - 1)
		return MODEL_NONE;
	struct model_thread *t = MODEL_PUSH(&b->m, threads);
	struct bthread *bt = MODEL_VEC_PUSH(b->bt, b->nbt, b->capbt);
	if (!t || !bt) {
		builder_oom(b);
		return MODEL_NONE;
	}
	uint32_t idx = (uint32_t)(b->m.n_threads - 1);
	t->tid = tid;
	t->pid = pid;
	t->process = proc;
	t->name = t->parent = t->joined_by = MODEL_NONE;
	t->flags = tid == pid ? MODEL_TH_MAIN : 0;
	t->create_ns = t->start_ns = t->exit_ns = t->end_ns = t->join_ns = MODEL_NO_TS;
	t->tl_begin = ts;
	t->tl_end = MODEL_NO_TS;
	bt->task = bt->attach = MODEL_NONE;
	bt->labels = 0;
	bt->freeze = bt->last_flush = bt->last_seen = ts;
	bt->base_state = BUILDER_NO_STATE;
	bt->base_aux = MODEL_NONE;
	bt->alive = true;
	struct model_process *p = &b->m.processes[proc];
	if (tid == pid && p->main_thread == MODEL_NONE)
		p->main_thread = idx;
	if (model_map_put(&b->tids, (uint64_t)(uint32_t)tid, 0, idx) != 0) {
		builder_oom(b);
		return MODEL_NONE;
	}
	b->tid_cache[(unsigned)tid % BUILDER_TID_CACHE].thread = MODEL_NONE;   /* tid moved on */
	return idx;
}

/* The latest thread with tid: most events come from the thread of the
 * event before, so one remembered lookup saves most hash probes. */
static uint32_t tid_lookup(struct model_builder *b, int32_t tid)
{
	unsigned slot = (unsigned)tid % BUILDER_TID_CACHE;
	if (b->tid_cache[slot].tid == tid && b->tid_cache[slot].thread != MODEL_NONE)
		return b->tid_cache[slot].thread;
	uint32_t idx = model_map_get(&b->tids, (uint64_t)(uint32_t)tid, 0);
	b->tid_cache[slot].tid = tid;
	b->tid_cache[slot].thread = idx;
	return idx;
}

uint32_t builder_thread_find(struct model_builder *b, int32_t tid)
{
	uint32_t idx = tid_lookup(b, tid);
	return idx != MODEL_NONE && b->bt[idx].alive ? idx : MODEL_NONE;
}

uint32_t builder_thread(struct model_builder *b, int32_t pid, int32_t tid, uint64_t ts,
			enum builder_seen seen, int32_t cpu)
{
	uint32_t idx = tid_lookup(b, tid);
	if (idx != MODEL_NONE) {
		if (b->bt[idx].alive && (pid <= 0 || b->m.threads[idx].pid == pid)) {
			if (b->bt[idx].last_seen < ts)
				b->bt[idx].last_seen = ts;
			return idx;
		}
		/* The tid belongs to a new thread whose creation the trace
		 * did not show (or a process reused it). */
		builder_warn(b, MODEL_W_THREAD_REUSED);
		if (b->bt[idx].alive)
			builder_thread_end(b, idx, ts);
		if (pid <= 0)
			pid = b->m.threads[idx].pid;
	}
	if (pid <= 0)
		pid = tid;
	idx = thread_new(b, pid, tid, ts);
	if (idx == MODEL_NONE)
		return MODEL_NONE;
	int rc;
	switch (seen) {
	case BUILDER_SEEN_OWN: rc = builder_tl_own_event(b, idx, ts, cpu); break;
	case BUILDER_SEEN_CREATED: rc = builder_tl_base(b, idx, ts, MODEL_RUNNABLE, MODEL_NONE); break;
	default: rc = builder_tl_base(b, idx, ts, MODEL_UNKNOWN, MODEL_NONE); break;
	}
	return rc == 0 ? idx : MODEL_NONE;
}

uint32_t builder_thread_holder(struct model_builder *b, int32_t pid, int32_t tid, uint64_t ts)
{
	/* A waiter's event comes when its wait ends, and by then the holder
	 * may have released and exited: its ended record is still the one
	 * meant. A new thread (reuse) only when pid differs. */
	uint32_t idx = tid_lookup(b, tid);
	if (idx != MODEL_NONE && !b->bt[idx].alive && b->m.threads[idx].pid == pid)
		return idx;
	return builder_thread(b, pid, tid, ts, BUILDER_SEEN_OTHER, -1);
}

void builder_thread_end(struct model_builder *b, uint32_t th, uint64_t ts)
{
	struct bthread *bt = &b->bt[th];
	if (!bt->alive)
		return;
	struct model_thread *t = &b->m.threads[th];
	uint64_t last = t->niv ? t->iv[t->niv - 1].start : t->tl_begin;
	if (ts < last)
		ts = last;
	if (ts < bt->last_seen)
		ts = bt->last_seen;
	builder_regions_close(b, th, 0, ts, MODEL_RG_UNCLOSED);
	builder_task_attach(b, th, MODEL_NONE, ts);
	bt->alive = false;
	t->end_ns = t->tl_end = ts;
	t->flags |= MODEL_TH_ENDED;
}

void builder_thread_rename(struct model_builder *b, uint32_t th, uint64_t ts, uint32_t name)
{
	struct model_thread *t = &b->m.threads[th];
	if (t->name == name)
		return;
	struct model_name_change *c = MODEL_PUSH(&b->m, name_changes);
	if (!c) {
		builder_oom(b);
		return;
	}
	*c = (struct model_name_change){ .ts = ts, .thread = th, .name = name };
	t->name = name;
}

static const char *path_basename(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path;
}

int builder_on_process_start(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	struct model_process *p = &b->m.processes[b->m.threads[th].process];
	uint32_t exe = builder_string(b, ev->u.process_start.exe);
	uint32_t base = builder_string(b, path_basename(ev->u.process_start.exe));
	if (exe == MODEL_NONE || base == MODEL_NONE)
		return -1;
	p = &b->m.processes[b->m.threads[th].process];
	if (ev->u.process_start.ppid > 0)
		p->ppid = ev->u.process_start.ppid;
	p->exe = exe;
	if (p->name == MODEL_NONE)
		p->name = base;
	p->forked = ev->u.process_start.forked;
	p->has_settings = true;
	p->settings = ev->u.process_start.settings;
	if (p->start_ns == MODEL_NO_TS)
		p->start_ns = ev->ts;
	if (p->main_thread == MODEL_NONE)
		p->main_thread = th;
	return 0;
}

int builder_on_thread_create(struct model_builder *b, const struct model_event *ev)
{
	struct bcreate *c = MODEL_VEC_PUSH(b->creates, b->ncreates, b->capcreates);
	if (!c)
		return builder_oom(b);
	c->ts = ev->ts;
	c->parent_tid = ev->tid;
	return model_map_put(&b->create_ids, (uint64_t)(uint32_t)ev->pid, ev->u.thread_create.id,
			     (uint32_t)(b->ncreates - 1)) == 0 ? 0 : builder_oom(b);
}

uint32_t builder_on_thread_start(struct model_builder *b, const struct model_event *ev)
{
	uint32_t ci = model_map_get(&b->create_ids, (uint64_t)(uint32_t)ev->pid, ev->u.thread_start.id);
	const struct bcreate *cr = ci != MODEL_NONE ? &b->creates[ci] : NULL;
	uint32_t th = builder_thread_find(b, ev->tid);
	if (th != MODEL_NONE &&
	    (b->m.threads[th].pid != ev->pid || (b->m.threads[th].flags & MODEL_TH_EXITED))) {
		/* A thread that exited without a sched_exit: its tid is reused. */
		builder_thread_end(b, th, b->bt[th].last_seen);
		th = MODEL_NONE;
	}
	if (th == MODEL_NONE) {
		if (tid_lookup(b, ev->tid) != MODEL_NONE &&
		    !cr)
			builder_warn(b, MODEL_W_THREAD_REUSED);
		uint64_t begin = cr && cr->ts <= ev->ts ? cr->ts : ev->ts;
		th = thread_new(b, ev->pid, ev->tid, begin);
		if (th == MODEL_NONE)
			return MODEL_NONE;
		/* Created and not yet running: runnable (estimated without
		 * scheduling data); the event itself makes it running. */
		if (begin < ev->ts && builder_tl_base(b, th, begin, MODEL_RUNNABLE, MODEL_NONE) != 0)
			return MODEL_NONE;
	}
	struct model_thread *t = &b->m.threads[th];
	b->bt[th].last_seen = ev->ts;
	t->start_ns = ev->ts;
	if (t->create_ns == MODEL_NO_TS && cr)
		t->create_ns = cr->ts;
	int32_t parent_tid = ev->u.thread_start.parent_tid > 0 ? ev->u.thread_start.parent_tid
		: cr ? cr->parent_tid : 0;
	if (t->parent_tid == 0 && parent_tid > 0) {
		t->parent_tid = parent_tid;
		t->parent = builder_thread_find(b, parent_tid);
	}
	if (t->name == MODEL_NONE && t->parent != MODEL_NONE)
		t->name = b->m.threads[t->parent].name;
	t->start_routine = ev->u.thread_start.start_routine;
	t->pthread = ev->u.thread_start.pthread;
	if (model_map_put(&b->pthreads, (uint64_t)(uint32_t)ev->pid, t->pthread, th) != 0)
		return builder_oom(b), MODEL_NONE;
	return th;
}

int builder_on_thread_exit(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	if (ev->has_counters && builder_flush(b, th, ev->ts, &ev->counters) != 0)
		return -1;
	struct model_thread *t = &b->m.threads[th];
	t->exit_ns = ev->ts;
	t->flags |= MODEL_TH_EXITED;
	/* The thread ends at its sched_exit, after the exit path; without
	 * context switches, at the last event it emits (process_exit comes
	 * after the main thread's thread_exit), when the trace ends. */
	return 0;
}

int builder_on_sched_fork(struct model_builder *b, const struct model_event *ev)
{
	int32_t ppid = ev->u.sched_task.ppid, ptid = ev->u.sched_task.ptid;
	uint32_t parent = ptid > 0 ? builder_thread_find(b, ptid) : MODEL_NONE;
	if (ppid != ev->pid) {
		/* A new process: a pid seen before belonged to an older one
		 * (MODEL_NONE in the map makes builder_process start afresh). */
		uint32_t old = model_map_get(&b->pids, (uint64_t)(uint32_t)ev->pid, 0);
		if (old != MODEL_NONE) {
			struct model_process *op = &b->m.processes[old];
			if (op->main_thread == MODEL_NONE || !b->bt[op->main_thread].alive)
				if (model_map_put(&b->pids, (uint64_t)(uint32_t)ev->pid, 0, MODEL_NONE) != 0)
					return builder_oom(b);
		}
	}
	uint32_t th = builder_thread_find(b, ev->tid);
	if (th == MODEL_NONE) {
		th = thread_new(b, ev->pid, ev->tid, ev->ts);
		if (th == MODEL_NONE)
			return -1;
		b->m.threads[th].flags |= MODEL_TH_SCHED;
		if (builder_tl_base(b, th, ev->ts, MODEL_RUNNABLE, MODEL_NONE) != 0)
			return -1;
	}
	struct model_thread *t = &b->m.threads[th];
	t->flags |= MODEL_TH_SCHED;
	t->create_ns = ev->ts;
	if (ptid > 0) {
		t->parent_tid = ptid;
		t->parent = parent;
	}
	if (parent != MODEL_NONE && t->name == MODEL_NONE)
		t->name = b->m.threads[parent].name;
	if (ppid != ev->pid) {
		struct model_process *p = &b->m.processes[t->process];
		p->ppid = ppid;
		p->start_ns = ev->ts;
		p->forked = true;
		if (parent != MODEL_NONE && p->name == MODEL_NONE)
			p->name = b->m.processes[b->m.threads[parent].process].name;
	}
	return 0;
}

int builder_on_sched_exit(struct model_builder *b, const struct model_event *ev)
{
	uint32_t th = builder_thread_find(b, ev->tid);
	if (th == MODEL_NONE)
		return 0;   /* already ended (thread_exit without context switches) */
	b->m.threads[th].flags |= MODEL_TH_SCHED;
	builder_thread_end(b, th, ev->ts);
	return 0;
}

int builder_on_sched_comm(struct model_builder *b, const struct model_event *ev)
{
	uint32_t th = builder_thread(b, ev->pid, ev->tid, ev->ts, BUILDER_SEEN_OTHER, ev->cpu);
	uint32_t name = builder_string(b, ev->u.sched_comm.comm);
	if (th == MODEL_NONE || name == MODEL_NONE)
		return -1;
	b->m.threads[th].flags |= MODEL_TH_SCHED;
	/* exec runs in the thread itself: proof it is on a CPU. */
	if (ev->u.sched_comm.exec) {
		if (builder_tl_own_event(b, th, ev->ts, ev->cpu) != 0)
			return -1;
		b->m.processes[b->m.threads[th].process].name = name;
	}
	builder_thread_rename(b, th, ev->ts, name);
	return 0;
}
