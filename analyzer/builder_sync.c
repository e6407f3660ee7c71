/*
 * Waits, locks, syscalls and counter flushes in the builder.
 *
 * Linking a wait to its cause: the tracer emits a wait when it ends, so by
 * then the unlock (lock_release) or wake that ended it has already been
 * seen; each lock address remembers its latest release and wake, and a
 * wait takes the one that falls inside it. The holder is holder_tid from
 * the event (glibc's owner when the wait began); without it, the thread
 * whose release ended the wait.
 *
 * Hold time: a holder is credited the union of [wait begin, release] over
 * the waiters its release let go — the time it held the lock while someone
 * waited, which is what contention costs. Critical sections nobody waited
 * for leave no event and are not counted.
 */
#include "builder_internal.h"

static uint32_t lock_get(struct model_builder *b, int32_t pid, uint64_t addr, uint8_t kind)
{
	uint32_t idx = model_map_get(&b->lock_addrs, (uint64_t)(uint32_t)pid, addr);
	if (idx != MODEL_NONE)
		return idx;
	struct model_lock *l = MODEL_PUSH(&b->m, locks);
	struct block *bl = MODEL_VEC_PUSH(b->bl, b->nbl, b->capbl);
	if (!l || !bl) {
		builder_oom(b);
		return MODEL_NONE;
	}
	l->pid = pid;
	l->addr = addr;
	l->kind = kind;
	bl->rel_ts = bl->wake_ts = bl->covered_from = MODEL_NO_TS;
	bl->rel_thread = bl->rel_stack = bl->wake_thread = MODEL_NONE;
	idx = (uint32_t)(b->m.n_locks - 1);
	if (model_map_put(&b->lock_addrs, (uint64_t)(uint32_t)pid, addr, idx) != 0) {
		builder_oom(b);
		return MODEL_NONE;
	}
	return idx;
}

static bool inside(uint64_t ts, uint64_t begin, uint64_t end)
{
	return ts != MODEL_NO_TS && ts >= begin && ts <= end;
}

/* The interned stack of ev (lock_wait, thread_join, lock_release, syscall), MODEL_NONE
 * when it has none or on OOM (then b->failed). */
static uint32_t stack_of(struct model_builder *b, const struct model_event *ev)
{
	if (ev->frames_truncated)
		builder_warn(b, MODEL_W_STACK_TRUNCATED);
	if (!ev->nframes)
		return MODEL_NONE;
	uint32_t s = model_intern_stack(&b->in, &b->m, ev->frames, ev->nframes);
	if (s == MODEL_NONE)
		builder_oom(b);
	return s;
}

/* A new wait record of th over [begin, end]; its index, MODEL_NONE on OOM. */
static uint32_t wait_new(struct model_builder *b, uint32_t th, uint64_t begin, uint64_t end,
			 uint8_t kind)
{
	struct model_wait *w = MODEL_PUSH(&b->m, waits);
	if (!w) {
		builder_oom(b);
		return MODEL_NONE;
	}
	w->begin = begin;
	w->end = end;
	w->thread = th;
	w->kind = kind;
	w->lock = w->blocker = w->release_stack = w->stack = MODEL_NONE;
	w->release_ts = MODEL_NO_TS;
	return (uint32_t)(b->m.n_waits - 1);
}

int builder_on_lock_wait(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint64_t end = ev->ts;
	uint64_t begin = ev->u.lock_wait.begin_ts < end ? ev->u.lock_wait.begin_ts : end;
	uint8_t kind = ev->u.lock_wait.kind;
	uint32_t stack = stack_of(b, ev);
	uint32_t lock = lock_get(b, ev->pid, ev->u.lock_wait.addr, kind);
	uint32_t wi = lock == MODEL_NONE ? MODEL_NONE : wait_new(b, th, begin, end, kind);
	if (wi == MODEL_NONE || b->failed)
		return -1;
	uint32_t blocker = MODEL_NONE;
	int32_t holder_tid = ev->u.lock_wait.holder_tid;
	if (holder_tid > 0 && holder_tid != ev->tid) {
		blocker = builder_thread_holder(b, ev->pid, holder_tid, end);
		if (blocker == MODEL_NONE)
			return -1;
	}
	struct block *bl = &b->bl[lock];
	struct model_wait *w = &b->m.waits[wi];
	w->addr = ev->u.lock_wait.addr;
	w->mutex = ev->u.lock_wait.mutex;
	w->lock = lock;
	w->stack = stack;
	w->result = ev->u.lock_wait.result;
	if (kind == CTRACE_LOCK_COND || kind == CTRACE_LOCK_SEM) {
		/* Woken by whoever signalled or posted. */
		if (inside(bl->wake_ts, begin, end) && bl->wake_thread != th) {
			blocker = bl->wake_thread;
			w->release_ts = bl->wake_ts;
		}
	} else if (inside(bl->rel_ts, begin, end) && bl->rel_thread != th) {
		w->release_ts = bl->rel_ts;
		w->release_stack = bl->rel_stack;
		if (blocker == MODEL_NONE)
			blocker = bl->rel_thread;
		if (blocker == bl->rel_thread && bl->covered_from > begin) {
			w->hold_credit_ns = bl->covered_from - begin;
			bl->covered_from = begin;
		}
	} else if (blocker != MODEL_NONE) {
		/* No release seen: the holder held it at least while we waited. */
		w->hold_credit_ns = end - begin;
	}
	w->blocker = blocker;
	w->blocker_tid = blocker != MODEL_NONE ? b->m.threads[blocker].tid : 0;
	return builder_tl_wait(b, th, begin, end, MODEL_LOCK_WAIT, wi);
}

int builder_on_lock_release(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t lock = lock_get(b, ev->pid, ev->u.lock_release.addr, ev->u.lock_release.kind);
	uint32_t stack = stack_of(b, ev);
	if (lock == MODEL_NONE || b->failed)
		return -1;
	struct block *bl = &b->bl[lock];
	bl->rel_ts = bl->covered_from = ev->ts;
	bl->rel_thread = th;
	bl->rel_stack = stack;
	return 0;
}

int builder_on_wake(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t lock = lock_get(b, ev->pid, ev->u.wake.addr, ev->u.wake.kind);
	if (lock == MODEL_NONE)
		return -1;
	b->bl[lock].wake_ts = ev->ts;
	b->bl[lock].wake_thread = th;
	return 0;
}

int builder_on_thread_join(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint64_t end = ev->ts;
	uint64_t begin = ev->u.thread_join.begin_ts < end ? ev->u.thread_join.begin_ts : end;
	uint32_t joinee = model_map_get(&b->pthreads, (uint64_t)(uint32_t)ev->pid,
					ev->u.thread_join.pthread);
	if (joinee == MODEL_NONE)
		builder_warn(b, MODEL_W_JOIN_UNKNOWN);
	uint32_t stack = stack_of(b, ev);
	uint32_t wi = wait_new(b, th, begin, end, MODEL_WAIT_JOIN);
	if (wi == MODEL_NONE || b->failed)
		return -1;
	struct model_wait *w = &b->m.waits[wi];
	w->stack = stack;
	w->addr = ev->u.thread_join.pthread;
	w->result = ev->u.thread_join.result;
	w->blocker = joinee;
	if (joinee != MODEL_NONE) {
		struct model_thread *j = &b->m.threads[joinee];
		w->blocker_tid = j->tid;
		w->release_ts = j->exit_ns;
		if (ev->u.thread_join.result == 0) {   /* not a timed join that gave up */
			j->join_ns = end;
			j->joined_by = th;
		}
	}
	return builder_tl_wait(b, th, begin, end, MODEL_LOCK_WAIT, wi);
}

int builder_on_syscall(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint64_t end = ev->ts;
	uint64_t begin = ev->u.syscall.begin_ts < end ? ev->u.syscall.begin_ts : end;
	uint32_t stack = stack_of(b, ev);
	if (b->failed)
		return -1;
	struct model_syscall *s = MODEL_PUSH(&b->m, syscalls);
	if (!s)
		return builder_oom(b);
	*s = (struct model_syscall){
		.begin = begin, .end = end, .thread = th, .stack = stack,
		.sys = ev->u.syscall.sys,
		.fd = ev->u.syscall.fd, .err = ev->u.syscall.err,
		.size = ev->u.syscall.size, .result = ev->u.syscall.result,
	};
	return builder_tl_wait(b, th, begin, end, MODEL_SYSCALL, (uint32_t)(b->m.n_syscalls - 1));
}

/* Places short waits of one kind; counts what did not fit. */
static int flush_short(struct model_builder *b, uint32_t th, uint64_t from, uint64_t to,
		       uint64_t ns, uint8_t state)
{
	int64_t placed = builder_tl_short(b, th, from, to, ns, state);
	if (placed < 0)
		return -1;
	if ((uint64_t)placed < ns) {
		builder_warn(b, MODEL_W_SHORT_UNPLACED);
		b->m.short_unplaced_ns += ns - (uint64_t)placed;
	}
	return 0;
}

int builder_flush(struct model_builder *b, uint32_t th, uint64_t ts, const struct ctrace_counters *c)
{
	struct model_thread *t = &b->m.threads[th];
	struct bthread *bt = &b->bt[th];
	t->alloc_bytes += c->alloc_bytes;
	t->alloc_count += c->alloc_count;
	t->lock_short_ns += c->lock_short_ns;
	t->lock_short_count += c->lock_short_count;
	t->sys_short_ns += c->sys_short_ns;
	t->sys_short_count += c->sys_short_count;
	/* Nothing opened or closed a region since the previous flush, so the
	 * whole period belongs to the regions open now. */
	for (size_t i = 0; i < bt->nr; i++) {
		struct model_region *r = &b->m.regions[bt->rstack[i]];
		r->alloc_bytes += c->alloc_bytes;
		r->alloc_count += c->alloc_count;
	}
	uint64_t from = bt->last_flush;
	if (flush_short(b, th, from, ts, c->lock_short_ns, MODEL_LOCK_WAIT) != 0 ||
	    flush_short(b, th, from, ts, c->sys_short_ns, MODEL_SYSCALL) != 0)
		return -1;
	bt->last_flush = ts;
	if (bt->freeze < ts)
		bt->freeze = ts;
	return 0;
}
