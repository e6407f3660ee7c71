/*
 * What the program says about itself, in the builder: regions (nested per
 * thread), tasks (across threads), labels, logs; and what the tracer
 * samples from it: CPU samples, allocations, loaded binaries.
 *
 * Regions and labels carry their depth in the events, so a lost event
 * (a gap) is noticed and the stack resynchronised: regions whose end was
 * lost are closed at the point the loss shows, flagged MODEL_RG_LOST_END;
 * begins that were lost cannot be invented and are only counted.
 */
#include <string.h>

#include "builder_internal.h"

uint32_t builder_region_top(const struct model_builder *b, uint32_t th)
{
	const struct bthread *bt = &b->bt[th];
	return bt->nr ? bt->rstack[bt->nr - 1] : MODEL_NONE;
}

void builder_regions_close(struct model_builder *b, uint32_t th, size_t keep, uint64_t ts,
			   uint8_t flags)
{
	struct bthread *bt = &b->bt[th];
	while (bt->nr > keep) {
		struct model_region *r = &b->m.regions[bt->rstack[--bt->nr]];
		/* Never before its begin, and so never before a nested one's end. */
		if (ts < r->begin)
			ts = r->begin;
		r->end = ts;
		r->flags |= flags;
		if (flags & MODEL_RG_UNCLOSED)
			builder_warn(b, MODEL_W_REGION_UNCLOSED);
	}
}

int builder_on_region_begin(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	if (ev->has_counters && builder_flush(b, th, ev->ts, &ev->counters) != 0)
		return -1;
	uint32_t name = builder_string(b, ev->u.region_begin.name);
	if (name == MODEL_NONE)
		return -1;
	struct bthread *bt = &b->bt[th];
	size_t depth = ev->u.region_begin.depth;
	if (depth > 0 && depth != bt->nr + 1) {
		builder_warn(b, MODEL_W_REGION_RESYNC);
		if (depth <= bt->nr)
			builder_regions_close(b, th, depth - 1, ev->ts, MODEL_RG_LOST_END);
	}
	struct model_region *r = MODEL_PUSH(&b->m, regions);
	if (!r || !MODEL_VEC_PUSH(bt->rstack, bt->nr, bt->capr))
		return builder_oom(b);
	r->begin = ev->ts;
	r->end = MODEL_NO_TS;
	r->name = name;
	r->thread = th;
	r->parent = bt->nr >= 2 ? bt->rstack[bt->nr - 2] : MODEL_NONE;
	r->depth = bt->nr > UINT16_MAX ? UINT16_MAX : (uint16_t)bt->nr;
	bt->rstack[bt->nr - 1] = (uint32_t)(b->m.n_regions - 1);
	return 0;
}

int builder_on_region_end(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	if (ev->has_counters && builder_flush(b, th, ev->ts, &ev->counters) != 0)
		return -1;
	uint32_t name = builder_string(b, ev->u.region_end.name);
	if (name == MODEL_NONE)
		return -1;
	struct bthread *bt = &b->bt[th];
	size_t depth = ev->u.region_end.depth;
	if (ev->u.region_end.mismatch == 2 || bt->nr == 0) {
		/* The tracer had no region open (or we lost its begin). */
		builder_warn(b, MODEL_W_REGION_NO_BEGIN);
		if (bt->nr > 0) {
			builder_warn(b, MODEL_W_REGION_RESYNC);
			builder_regions_close(b, th, 0, ev->ts, MODEL_RG_LOST_END);
		}
		return 0;
	}
	if (depth > 0 && depth < bt->nr) {
		builder_warn(b, MODEL_W_REGION_RESYNC);
		builder_regions_close(b, th, depth, ev->ts, MODEL_RG_LOST_END);
	} else if (depth > bt->nr) {
		/* The region closed began before what we saw: close ours only
		 * if it is the one named. */
		builder_warn(b, MODEL_W_REGION_RESYNC);
		if (b->m.regions[bt->rstack[bt->nr - 1]].name != name)
			return 0;
	}
	struct model_region *r = &b->m.regions[bt->rstack[bt->nr - 1]];
	if (r->name != name) {
		r->flags |= MODEL_RG_MISMATCH;
		builder_warn(b, MODEL_W_REGION_MISMATCH);
	}
	builder_regions_close(b, th, bt->nr - 1, ev->ts, 0);
	return 0;
}

int builder_task_attach(struct model_builder *b, uint32_t th, uint32_t task, uint64_t ts)
{
	struct bthread *bt = &b->bt[th];
	if (bt->task == task)
		return 0;
	if (bt->attach != MODEL_NONE) {
		struct model_task_attach *old = &b->m.attaches[bt->attach];
		old->to = ts > old->from ? ts : old->from;
		b->btk[bt->task].attached--;
	}
	bt->attach = bt->task = MODEL_NONE;
	if (task == MODEL_NONE)
		return 0;
	struct model_task_attach *a = MODEL_PUSH(&b->m, attaches);
	if (!a)
		return builder_oom(b);
	*a = (struct model_task_attach){ .from = ts, .to = MODEL_NO_TS, .task = task, .thread = th };
	bt->attach = (uint32_t)(b->m.n_attaches - 1);
	bt->task = task;
	b->btk[task].attached++;
	b->btk[task].last_thread = th;
	return 0;
}

int builder_on_task_begin(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t name = builder_string(b, ev->u.task_begin.name);
	if (name == MODEL_NONE)
		return -1;
	uint64_t pid = (uint64_t)(uint32_t)ev->pid;
	struct model_task *t = MODEL_PUSH(&b->m, tasks);
	struct btask *bk = MODEL_VEC_PUSH(b->btk, b->nbtk, b->capbtk);
	if (!t || !bk)
		return builder_oom(b);
	uint32_t idx = (uint32_t)(b->m.n_tasks - 1);
	t->id = ev->u.task_begin.id;
	t->begin = ev->ts;
	t->end = MODEL_NO_TS;
	t->name = name;
	t->process = b->m.threads[th].process;
	t->parent = ev->u.task_begin.parent ? model_map_get(&b->task_ids, pid, ev->u.task_begin.parent)
					     : MODEL_NONE;
	t->begin_thread = th;
	t->end_thread = MODEL_NONE;
	bk->prev = b->bt[th].task;
	bk->last_thread = MODEL_NONE;
	if (model_map_put(&b->task_ids, pid, t->id, idx) != 0)
		return builder_oom(b);
	/* Beginning a task is working for it, until it ends or the thread
	 * attaches to another. */
	return builder_task_attach(b, th, idx, ev->ts);
}

int builder_on_task_end(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t idx = model_map_get(&b->task_ids, (uint64_t)(uint32_t)ev->pid, ev->u.task.id);
	if (idx == MODEL_NONE || b->m.tasks[idx].end != MODEL_NO_TS) {
		builder_warn(b, MODEL_W_TASK_UNKNOWN);
		return 0;
	}
	struct model_task *t = &b->m.tasks[idx];
	t->end = ev->ts;
	t->end_thread = th;
	struct btask *bk = &b->btk[idx];
	if (bk->attached == 1 && b->bt[bk->last_thread].task == idx) {
		if (builder_task_attach(b, bk->last_thread, MODEL_NONE, ev->ts) != 0)
			return -1;
	}
	for (size_t i = 0; b->btk[idx].attached > 0 && i < b->nbt; i++)
		if (b->bt[i].task == idx && builder_task_attach(b, (uint32_t)i, MODEL_NONE, ev->ts) != 0)
			return -1;
	/* The thread that began it goes back to the task it worked for. */
	uint32_t prev = b->btk[idx].prev;
	if (b->m.tasks[idx].begin_thread == th && prev != MODEL_NONE && b->bt[th].task == MODEL_NONE &&
	    b->m.tasks[prev].end == MODEL_NO_TS)
		return builder_task_attach(b, th, prev, ev->ts);
	return 0;
}

int builder_on_task_attach(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	if (ev->u.task.id == 0)
		return builder_task_attach(b, th, MODEL_NONE, ev->ts);
	uint32_t idx = model_map_get(&b->task_ids, (uint64_t)(uint32_t)ev->pid, ev->u.task.id);
	if (idx == MODEL_NONE || b->m.tasks[idx].end != MODEL_NO_TS) {
		builder_warn(b, MODEL_W_TASK_UNKNOWN);
		return 0;
	}
	return builder_task_attach(b, th, idx, ev->ts);
}

int builder_on_label(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	struct bthread *bt = &b->bt[th];
	size_t n = bt->nl / 2;
	if (ev->type == MEV_LABEL_PUSH) {
		uint32_t key = builder_string(b, ev->u.label_push.key);
		uint32_t value = builder_string(b, ev->u.label_push.value);
		if (key == MODEL_NONE || value == MODEL_NONE)
			return -1;
		size_t depth = ev->u.label_push.depth;
		if (depth > 0 && depth != n + 1) {
			builder_warn(b, MODEL_W_LABEL_RESYNC);
			if (depth - 1 < n)
				bt->nl = 2 * (depth - 1);
		}
		if (!model_vec_reserve(&bt->lstack, &bt->capl, bt->nl + 2, sizeof *bt->lstack))
			return builder_oom(b);
		bt->lstack[bt->nl++] = key;
		bt->lstack[bt->nl++] = value;
	} else {
		size_t depth = ev->u.label_pop.depth;
		if (depth != n)
			builder_warn(b, MODEL_W_LABEL_RESYNC);
		if (depth > 0 && depth <= n)
			bt->nl = 2 * (depth - 1);
		else if (n > 0)
			bt->nl -= 2;
	}
	uint32_t set = model_intern_labelset(&b->in, &b->m, bt->lstack, (uint32_t)(bt->nl / 2));
	if (set == MODEL_NONE)
		return builder_oom(b);
	if (set == bt->labels)
		return 0;
	bt->labels = set;
	struct model_label_change *c = MODEL_PUSH(&b->m, label_changes);
	if (!c)
		return builder_oom(b);
	*c = (struct model_label_change){ .ts = ev->ts, .thread = th, .labels = set };
	return 0;
}

int builder_on_log(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t cat = builder_string(b, ev->u.log.category);
	uint32_t msg = builder_string(b, ev->u.log.message);
	if (cat == MODEL_NONE || msg == MODEL_NONE)
		return -1;
	struct model_log *l = MODEL_PUSH(&b->m, logs);
	if (!l)
		return builder_oom(b);
	*l = (struct model_log){ .ts = ev->ts, .thread = th, .category = cat, .message = msg };
	return 0;
}

static uint32_t event_stack(struct model_builder *b, const struct model_event *ev)
{
	if (ev->frames_truncated)
		builder_warn(b, MODEL_W_STACK_TRUNCATED);
	uint32_t s = model_intern_stack(&b->in, &b->m, ev->frames, ev->nframes);
	if (s == MODEL_NONE)
		builder_oom(b);
	return s;
}

int builder_on_sample(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	uint32_t stack = event_stack(b, ev);
	if (stack == MODEL_NONE)
		return -1;
	struct model_sample *s = MODEL_PUSH(&b->m, samples);
	if (!s)
		return builder_oom(b);
	const struct bthread *bt = &b->bt[th];
	*s = (struct model_sample){
		.ts = ev->ts, .thread = th, .stack = stack, .region = builder_region_top(b, th),
		.task = bt->task, .labels = bt->labels, .flags = ev->u.cpu_sample.flags,
		.weight = ev->u.cpu_sample.weight,   /* 0 reads as 1: model_sample_weight */
	};
	return 0;
}

int builder_on_alloc(struct model_builder *b, const struct model_event *ev, uint32_t th)
{
	struct model *m = &b->m;
	if (ev->type == MEV_ALLOC_SAMPLE) {
		uint32_t stack = event_stack(b, ev);
		struct model_alloc_sample *a = stack == MODEL_NONE ? NULL : MODEL_PUSH(m, alloc_samples);
		if (!a)
			return builder_oom(b);
		*a = (struct model_alloc_sample){
			.ts = ev->ts, .size = ev->u.alloc_sample.size, .addr = ev->u.alloc_sample.addr,
			.thread = th, .stack = stack, .region = builder_region_top(b, th),
			.labels = b->bt[th].labels,
		};
	} else if (ev->type == MEV_ALLOC_BURST) {
		struct model_burst *u = MODEL_PUSH(m, bursts);
		if (!u)
			return builder_oom(b);
		*u = (struct model_burst){
			.begin = ev->u.alloc_burst.begin_ts, .end = ev->u.alloc_burst.end_ts,
			.bytes = ev->u.alloc_burst.bytes, .count = ev->u.alloc_burst.count,
			.thread = th, .region = builder_region_top(b, th),
		};
	} else {
		struct model_mmap *p = MODEL_PUSH(m, mmaps);
		if (!p)
			return builder_oom(b);
		*p = (struct model_mmap){ .ts = ev->ts, .addr = ev->u.mmap.addr,
					  .length = ev->u.mmap.length, .thread = th,
					  .unmap = ev->u.mmap.unmap };
	}
	return 0;
}

int builder_on_module(struct model_builder *b, const struct model_event *ev)
{
	struct model *m = &b->m;
	uint64_t pid = (uint64_t)(uint32_t)ev->pid;
	uint32_t proc = builder_process(b, ev->pid);
	if (proc == MODEL_NONE)
		return -1;
	switch (ev->type) {
	case MEV_PROCNAME: {
		uint32_t name = builder_string(b, ev->u.procname.name);
		if (name == MODEL_NONE)
			return -1;
		m->processes[proc].name = name;
		return 0;
	}
	case MEV_MODULE_LOAD: {
		uint32_t path = builder_string(b, ev->u.module.path);
		if (path == MODEL_NONE)
			return -1;
		uint32_t old = model_map_get(&b->modules, pid, ev->u.module.baddr);
		if (old != MODEL_NONE && m->modules[old].path == path &&
		    m->modules[old].unload_ns == MODEL_NO_TS)
			return 0;   /* announced again (statedump after dlopen) */
		struct model_module *mod = MODEL_PUSH(m, modules);
		if (!mod)
			return builder_oom(b);
		*mod = (struct model_module){
			.process = proc, .path = path, .baddr = ev->u.module.baddr,
			.memsz = ev->u.module.memsz, .load_ns = ev->ts, .unload_ns = MODEL_NO_TS,
			.not_pic = ev->u.module.not_pic,
		};
		return model_map_put(&b->modules, pid, ev->u.module.baddr,
				     (uint32_t)(m->n_modules - 1)) == 0 ? 0 : builder_oom(b);
	}
	case MEV_MODULE_BUILD_ID: {
		uint32_t idx = model_map_get(&b->modules, pid, ev->u.build_id.baddr);
		uint32_t len = ev->u.build_id.len;
		if (idx == MODEL_NONE || len == 0 || m->modules[idx].build_id_len)
			return 0;
		if (m->n_blob + len > UINT32_MAX ||
		    !model_vec_reserve(&m->blob, &m->cap_blob, m->n_blob + len, 1))
			return builder_oom(b);
		memcpy(m->blob + m->n_blob, ev->u.build_id.bytes, len);
		m->modules[idx].build_id_off = (uint32_t)m->n_blob;
		m->modules[idx].build_id_len = len;
		m->n_blob += len;
		return 0;
	}
	case MEV_MODULE_UNLOAD: {
		uint32_t idx = model_map_get(&b->modules, pid, ev->u.module_unload.baddr);
		if (idx != MODEL_NONE && m->modules[idx].unload_ns == MODEL_NO_TS)
			m->modules[idx].unload_ns = ev->ts;
		return 0;
	}
	default:
		return 0;
	}
}
