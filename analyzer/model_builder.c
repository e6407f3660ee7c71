/*
 * The model builder's entry points (model_builder.h): time keeping, the
 * dispatch of each event to the file that handles its kind, and the
 * closing of everything still open when the trace ends.
 */
#include "model_builder.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "builder_internal.h"

int builder_oom(struct model_builder *b)
{
	b->failed = true;
	return -1;
}

void builder_warn(struct model_builder *b, enum model_warning w)
{
	b->m.warnings[w]++;
}

uint32_t builder_string(struct model_builder *b, const char *s)
{
	/* The same few names (regions, labels) come back event after event:
	 * compare with the last few interned before hashing. */
	if (!s)
		s = "";
	for (unsigned i = 0; i < BUILDER_STR_CACHE; i++) {
		uint32_t id = b->str_cache[i];
		if (id != MODEL_NONE && !strcmp(b->m.str_data + b->m.str_off[id], s))
			return id;
	}
	uint32_t id = model_intern_string(&b->in, &b->m, s);
	if (id == MODEL_NONE)
		return builder_oom(b), MODEL_NONE;
	b->str_cache[b->str_next++ % BUILDER_STR_CACHE] = id;
	return id;
}

static bool tree_has(const struct model_builder *b, int32_t pid)
{
	return model_map_get(&b->tree, (uint64_t)(uint32_t)pid, 0) != MODEL_NONE;
}

static void tree_add(struct model_builder *b, int32_t pid)
{
	if (pid > 0 && !tree_has(b, pid) && model_map_put(&b->tree, (uint64_t)(uint32_t)pid, 0, 1) != 0)
		builder_oom(b);
}

struct model_builder *model_builder_create(const struct model_builder_options *opt)
{
	struct model_builder *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (opt)
		b->opt = *opt;
	if (b->opt.root_pid)
		tree_add(b, b->opt.root_pid);
	b->m.has_sched = b->opt.sched;
	for (unsigned i = 0; i < BUILDER_TID_CACHE; i++)
		b->tid_cache[i].thread = MODEL_NONE;
	for (unsigned i = 0; i < BUILDER_STR_CACHE; i++)
		b->str_cache[i] = MODEL_NONE;
	b->m.start_ns = b->m.end_ns = MODEL_NO_TS;
	if (model_interns_init(&b->in, &b->m) != 0) {
		model_builder_destroy(b);
		return NULL;
	}
	return b;
}

static bool is_ctrace(enum model_ev t)
{
	return t >= MEV_PROCESS_START && t <= MEV_LABEL_POP;
}

static bool is_sched(enum model_ev t)
{
	return t >= MEV_SCHED_SWITCH && t <= MEV_SCHED_COMM;
}

/* Events a thread emits about itself, once the thread is known. */
static int dispatch_own(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	switch (ev->type) {
	case MEV_PROCESS_START: return builder_on_process_start(b, ev, th);
	case MEV_PROCESS_EXIT: {
		struct model_process *p = &b->m.processes[b->m.threads[th].process];
		p->exit_ns = ev->ts;
		return 0;
	}
	case MEV_THREAD_CREATE: return builder_on_thread_create(b, ev);
	case MEV_THREAD_NAME: {
		uint32_t target = ev->u.thread_name.tid > 0
			? builder_thread(b, ev->pid, ev->u.thread_name.tid, ev->ts, BUILDER_SEEN_OTHER, -1)
			: th;
		uint32_t name = builder_string(b, ev->u.thread_name.name);
		if (target == MODEL_NONE || name == MODEL_NONE)
			return -1;
		builder_thread_rename(b, target, ev->ts, name);
		return 0;
	}
	case MEV_THREAD_EXIT: return builder_on_thread_exit(b, ev, th);
	case MEV_THREAD_JOIN: return builder_on_thread_join(b, ev, th);
	case MEV_LOCK_WAIT: return builder_on_lock_wait(b, ev, th);
	case MEV_LOCK_RELEASE: return builder_on_lock_release(b, ev, th);
	case MEV_WAKE: return builder_on_wake(b, ev, th);
	case MEV_SYSCALL: return builder_on_syscall(b, ev, th);
	case MEV_COUNTERS: return builder_flush(b, th, ev->ts, &ev->counters);
	case MEV_ALLOC_SAMPLE:
	case MEV_ALLOC_BURST:
	case MEV_MMAP: return builder_on_alloc(b, ev, th);
	case MEV_CPU_SAMPLE: return builder_on_sample(b, ev, th);
	case MEV_REGION_BEGIN: return builder_on_region_begin(b, ev, th);
	case MEV_REGION_END: return builder_on_region_end(b, ev, th);
	case MEV_TASK_BEGIN: return builder_on_task_begin(b, ev, th);
	case MEV_TASK_END: return builder_on_task_end(b, ev, th);
	case MEV_TASK_ATTACH: return builder_on_task_attach(b, ev, th);
	case MEV_LOG: return builder_on_log(b, ev, th);
	case MEV_LABEL_PUSH:
	case MEV_LABEL_POP: return builder_on_label(b, ev, th);
	case MEV_PROCNAME:
	case MEV_MODULE_LOAD:
	case MEV_MODULE_BUILD_ID:
	case MEV_MODULE_UNLOAD: return builder_on_module(b, ev);
	default: return 0;
	}
}

/* Whether ev belongs to the recorded program's process tree (options). */
static bool in_tree(struct model_builder *b, const struct model_event *ev)
{
	if (ev->type == MEV_GAP || ev->pid <= 0)
		return true;   /* not a process's: handled as before */
	if (is_sched(ev->type)) {
		tree_add(b, ev->pid);   /* perf follows the program's tree only */
		return true;
	}
	if (tree_has(b, ev->pid))
		return true;
	if (ev->type == MEV_PROCESS_START && tree_has(b, ev->u.process_start.ppid)) {
		tree_add(b, ev->pid);
		return true;
	}
	return false;
}

int model_builder_feed(struct model_builder *b, const struct model_event *in)
{
	if (b->failed)
		return -1;
	if (b->opt.root_pid && (unsigned)in->type < MEV_COUNT && !in_tree(b, in)) {
		builder_warn(b, MODEL_W_FOREIGN);
		return b->failed ? -1 : 0;
	}
	struct model *m = &b->m;
	/* Copied (200-odd bytes) only when it needs fixing: most never do. */
	const struct model_event *ev = in;
	struct model_event fixed;
	bool backward = m->start_ns != MODEL_NO_TS && in->ts < b->now;
	if ((unsigned)in->type >= MEV_COUNT || backward) {
		fixed = *in;
		if ((unsigned)fixed.type >= MEV_COUNT)
			fixed.type = MEV_NONE;
		if (backward) {
			builder_warn(b, MODEL_W_TIME_BACKWARD);
			fixed.ts = b->now;
		}
		ev = &fixed;
	}
	if (ev->type == MEV_GAP) {
		/* not an event of the trace */
	} else if (is_ctrace(ev->type)) {
		m->events++;
		m->ctrace_events++;
	} else if (is_sched(ev->type)) {
		m->events++;
		m->sched_events++;
	} else {
		m->events++;
		m->other_events++;
	}
	if (m->start_ns == MODEL_NO_TS)
		m->start_ns = ev->ts;
	b->now = ev->ts;
	m->end_ns = ev->ts;

	int rc = 0;
	switch (ev->type) {
	case MEV_GAP: rc = builder_on_gap(b, ev); break;
	case MEV_SCHED_SWITCH: rc = builder_on_sched_switch(b, ev); break;
	case MEV_SCHED_FORK: rc = builder_on_sched_fork(b, ev); break;
	case MEV_SCHED_EXIT: rc = builder_on_sched_exit(b, ev); break;
	case MEV_SCHED_COMM: rc = builder_on_sched_comm(b, ev); break;
	default: {
		if (ev->pid <= 0 || ev->tid <= 0) {
			if (ev->type != MEV_NONE)
				builder_warn(b, MODEL_W_NO_THREAD);
			break;
		}
		uint32_t th = ev->type == MEV_THREAD_START
			? builder_on_thread_start(b, ev)
			: builder_thread(b, ev->pid, ev->tid, ev->ts, BUILDER_SEEN_OWN, ev->cpu);
		if (th == MODEL_NONE)
			return builder_oom(b);
		if (is_ctrace(ev->type))
			m->threads[th].flags |= MODEL_TH_TRACED;
		rc = builder_tl_own_event(b, th, ev->ts, ev->cpu);
		if (rc == 0)
			rc = dispatch_own(b, ev, th);
		break;
	}
	}
	if (rc != 0 || b->failed)
		return builder_oom(b);
	return 0;
}

/* Closes the tasks still open at the trace's end. */
static void finish_tasks(struct model_builder *b, uint64_t end)
{
	for (size_t i = 0; i < b->m.n_tasks; i++) {
		struct model_task *t = &b->m.tasks[i];
		if (t->end != MODEL_NO_TS)
			continue;
		t->end = end;
		t->flags |= MODEL_TK_UNCLOSED;
		builder_warn(b, MODEL_W_TASK_UNCLOSED);
	}
	for (size_t i = 0; i < b->m.n_attaches; i++)
		if (b->m.attaches[i].to == MODEL_NO_TS)
			b->m.attaches[i].to = end;
}

/* Closes the threads still alive: a thread that said it exits ends at its
 * last known instant; the others are cut at the trace's end. */
/* What the thread did before `from` is lost (builder options): its
 * timeline there becomes one unknown interval, and the interval that
 * straddles `from` keeps its state from `from` on. */
static int unknown_before(struct model_builder *b, struct model_thread *t, uint64_t from)
{
	if (t->niv == 0 || t->iv[0].start >= from)
		return 0;
	struct model_interval *v = malloc((t->niv + 2) * sizeof *v);
	if (!v)
		return builder_oom(b);
	size_t n = 0;
	v[n++] = (struct model_interval){ .start = t->iv[0].start, .aux = MODEL_NONE,
					  .state = MODEL_UNKNOWN };
	for (size_t k = 0; k < t->niv; k++) {
		struct model_interval iv = t->iv[k];
		if (iv.start < from) {
			if (model_interval_end(t, k) <= from)
				continue;
			iv.start = from;   /* the straddling one, from `from` on */
		}
		v[n++] = iv;
	}
	free(t->iv);
	t->iv = v;
	t->niv = n;
	t->ivcap = t->niv + 2;
	return 0;
}

static void finish_threads(struct model_builder *b, uint64_t end)
{
	for (size_t i = 0; i < b->m.n_threads; i++) {
		if (!b->bt[i].alive)
			continue;
		struct model_thread *t = &b->m.threads[i];
		if (t->flags & MODEL_TH_EXITED) {
			uint64_t last = t->niv ? t->iv[t->niv - 1].start : t->tl_begin;
			builder_thread_end(b, (uint32_t)i, last > t->exit_ns ? last : t->exit_ns);
		} else {
			builder_regions_close(b, (uint32_t)i, 0, end, MODEL_RG_UNCLOSED);
			builder_task_attach(b, (uint32_t)i, MODEL_NONE, end);
			b->bt[i].alive = false;
			t->tl_end = end;
		}
	}
	for (size_t i = 0; i < b->m.n_threads; i++) {
		struct model_thread *t = &b->m.threads[i];
		/* The last interval is empty when the thread ended as it changed. */
		while (t->niv > 0 && t->iv[t->niv - 1].start >= t->tl_end)
			t->niv--;
		if (b->opt.history_begin_ns)
			unknown_before(b, t, b->opt.history_begin_ns);
		model_vec_shrink(&t->iv, &t->ivcap, t->niv, sizeof *t->iv);
	}
}

static void finish_cpus(struct model_builder *b)
{
	for (size_t i = 0; i < b->m.n_cpus; i++) {
		struct model_cpu *c = &b->m.cpus[i];
		while (c->n > 0 && c->v[c->n - 1].start > b->m.end_ns)
			c->n--;
		model_vec_shrink(&c->v, &c->cap, c->n, sizeof *c->v);
	}
}

int model_builder_finish(struct model_builder *b, struct model *out)
{
	*out = (struct model){ 0 };
	if (b->failed)
		return -1;
	uint64_t end = b->m.end_ns == MODEL_NO_TS ? 0 : b->m.end_ns;
	if (b->m.start_ns == MODEL_NO_TS)
		b->m.start_ns = b->m.end_ns = 0;
	finish_threads(b, end);
	finish_tasks(b, end);
	finish_cpus(b);
	if (b->failed)
		return -1;
	*out = b->m;
	b->m = (struct model){ 0 };
	return 0;
}

void model_builder_destroy(struct model_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nbt; i++) {
		free(b->bt[i].rstack);
		free(b->bt[i].lstack);
	}
	free(b->bt);
	free(b->bl);
	free(b->btk);
	free(b->creates);
	struct model_map *maps[] = { &b->tids, &b->pids, &b->pthreads, &b->task_ids,
				     &b->create_ids, &b->lock_addrs, &b->modules, &b->tree };
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
		model_map_free(maps[i]);
	model_interns_free(&b->in);
	model_free(&b->m);
	free(b);
}
