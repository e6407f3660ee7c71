/*
 * Decoding reader events into model events (model_decode.h).
 *
 * An event's name comes from its class, and babeltrace2 hands out the same
 * name pointer for every event of a class: the type is looked up by that
 * pointer in a small map, so the string comparisons run once per class.
 */
#include "model_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum model_ev type;
} decode_names[] = {
	{ "ctrace:process_start", MEV_PROCESS_START },
	{ "ctrace:process_exit", MEV_PROCESS_EXIT },
	{ "ctrace:thread_create", MEV_THREAD_CREATE },
	{ "ctrace:thread_start", MEV_THREAD_START },
	{ "ctrace:thread_name", MEV_THREAD_NAME },
	{ "ctrace:thread_exit", MEV_THREAD_EXIT },
	{ "ctrace:thread_join", MEV_THREAD_JOIN },
	{ "ctrace:lock_wait", MEV_LOCK_WAIT },
	{ "ctrace:lock_release", MEV_LOCK_RELEASE },
	{ "ctrace:wake", MEV_WAKE },
	{ "ctrace:syscall", MEV_SYSCALL },
	{ "ctrace:counters", MEV_COUNTERS },
	{ "ctrace:alloc_sample", MEV_ALLOC_SAMPLE },
	{ "ctrace:alloc_burst", MEV_ALLOC_BURST },
	{ "ctrace:mmap", MEV_MMAP },
	{ "ctrace:cpu_sample", MEV_CPU_SAMPLE },
	{ "ctrace:region_begin", MEV_REGION_BEGIN },
	{ "ctrace:region_end", MEV_REGION_END },
	{ "ctrace:task_begin", MEV_TASK_BEGIN },
	{ "ctrace:task_end", MEV_TASK_END },
	{ "ctrace:task_attach", MEV_TASK_ATTACH },
	{ "ctrace:log", MEV_LOG },
	{ "ctrace:label_push", MEV_LABEL_PUSH },
	{ "ctrace:label_pop", MEV_LABEL_POP },
	{ "sched_switch", MEV_SCHED_SWITCH },
	{ "sched_fork", MEV_SCHED_FORK },
	{ "sched_exit", MEV_SCHED_EXIT },
	{ "sched_comm", MEV_SCHED_COMM },
	{ "lttng_ust_statedump:procname", MEV_PROCNAME },
	{ "lttng_ust_statedump:bin_info", MEV_MODULE_LOAD },
	{ "lttng_ust_dl:dlopen", MEV_MODULE_LOAD },
	{ "lttng_ust_dl:dlmopen", MEV_MODULE_LOAD },
	{ "lttng_ust_statedump:build_id", MEV_MODULE_BUILD_ID },
	{ "lttng_ust_dl:build_id", MEV_MODULE_BUILD_ID },
	{ "lttng_ust_dl:dlclose", MEV_MODULE_UNLOAD },
};

const char *const decode_field_names[DECODE_F_COUNT] = {
#define X(name) #name,
	DECODE_FIELDS(X)
#undef X
};

enum model_ev model_decode_type(const char *name)
{
	for (size_t i = 0; i < sizeof decode_names / sizeof decode_names[0]; i++)
		if (!strcmp(name, decode_names[i].name))
			return decode_names[i].type;
	return MEV_NONE;
}

void model_decoder_init(struct model_decoder *d)
{
	d->classes = (struct model_map){ 0 };
	d->cls = NULL;
	d->n_cls = 0;
	d->cur = NULL;
	for (unsigned i = 0; i < DECODE_TYPE_CACHE; i++)
		d->cache_key[i] = NULL;
}

void model_decoder_free(struct model_decoder *d)
{
	model_map_free(&d->classes);
	free(d->cls);
	d->cls = NULL;
}

/* The index of ev's class in d->cls, added (type and fields located) on
 * first sight; UINT32_MAX when out of memory. */
static uint32_t decode_class_of(struct model_decoder *d, const struct analyzer_event *ev)
{
	uint32_t k = model_map_get(&d->classes, (uint64_t)(uintptr_t)ev->cls, 0);
	if (k != MODEL_NONE)
		return k;
	struct decode_class *grown = realloc(d->cls, (d->n_cls + 1) * sizeof *grown);
	if (!grown)
		return UINT32_MAX;
	d->cls = grown;
	struct decode_class *c = &d->cls[d->n_cls];
	c->type = model_decode_type(ev->name);
	for (int f = 0; f < DECODE_F_COUNT; f++) {
		if (c->type == MEV_NONE)
			c->loc[f] = (struct analyzer_field_loc){ .scope = 3 };
		else
			analyzer_event_locate(ev, decode_field_names[f], &c->loc[f]);
	}
	k = (uint32_t)d->n_cls;
	if (model_map_put(&d->classes, (uint64_t)(uintptr_t)ev->cls, 0, k) != 0)
		return UINT32_MAX;
	d->n_cls++;
	return k;
}

/* Field getters defaulting to 0 / "" when the field is missing. */
static uint64_t get_u(struct model_decoder *d, const struct analyzer_event *ev, enum decode_field f)
{
	uint64_t v = 0;
	analyzer_event_uint_at(ev, d->cur->loc[f], &v);
	return v;
}

static int64_t get_i(struct model_decoder *d, const struct analyzer_event *ev, enum decode_field f)
{
	return (int64_t)get_u(d, ev, f);
}

static const char *get_s(struct model_decoder *d, const struct analyzer_event *ev, enum decode_field f)
{
	const char *s = analyzer_event_string_at(ev, d->cur->loc[f]);
	return s ? s : "";
}

static void get_counters(struct model_decoder *d, const struct analyzer_event *ev,
			 struct model_event *out)
{
	out->has_counters = true;
	out->counters = (struct ctrace_counters){
		.alloc_bytes = get_u(d, ev, F_alloc_bytes),
		.alloc_count = get_u(d, ev, F_alloc_count),
		.lock_short_ns = get_u(d, ev, F_lock_short_ns),
		.lock_short_count = (uint32_t)get_u(d, ev, F_lock_short_count),
		.sys_short_ns = get_u(d, ev, F_sys_short_ns),
		.sys_short_count = (uint32_t)get_u(d, ev, F_sys_short_count),
	};
}

static void get_stack(struct model_decoder *d, const struct analyzer_event *ev,
		      struct model_event *out)
{
	ssize_t n = analyzer_event_uint_seq_at(ev, d->cur->loc[F_stack], d->frames, MODEL_DECODE_MAX_FRAMES);
	if (n < 0)
		n = 0;
	out->frames_truncated = n > MODEL_DECODE_MAX_FRAMES;
	out->nframes = (uint32_t)(n > MODEL_DECODE_MAX_FRAMES ? MODEL_DECODE_MAX_FRAMES : n);
	out->frames = d->frames;
}

static void decode_sched(struct model_decoder *d, const struct analyzer_event *ev,
			 struct model_event *out)
{
	out->pid = (int32_t)get_i(d, ev, F_pid);
	out->tid = (int32_t)get_i(d, ev, F_tid);
	switch (out->type) {
	case MEV_SCHED_SWITCH: {
		uint64_t cpu;
		if (analyzer_event_uint_at(ev, d->cur->loc[F_cpu], &cpu))
			out->cpu = (int32_t)cpu;
		out->u.sched_switch.out = get_u(d, ev, F_switch) != 0;
		out->u.sched_switch.preempted = get_u(d, ev, F_preempted) != 0;
		break;
	}
	case MEV_SCHED_FORK:
	case MEV_SCHED_EXIT:
		out->u.sched_task.ppid = (int32_t)get_i(d, ev, F_ppid);
		out->u.sched_task.ptid = (int32_t)get_i(d, ev, F_ptid);
		break;
	default:
		out->u.sched_comm.comm = get_s(d, ev, F_comm);
		out->u.sched_comm.exec = get_u(d, ev, F_exec) != 0;
		break;
	}
}

static void decode_ctrace(struct model_decoder *d, const struct analyzer_event *ev,
			  struct model_event *out)
{
	switch (out->type) {
	case MEV_PROCESS_START: {
		struct model_settings *s = &out->u.process_start.settings;
		out->u.process_start.ppid = (int32_t)get_i(d, ev, F_ppid);
		out->u.process_start.exe = get_s(d, ev, F_exe);
		out->u.process_start.forked = get_u(d, ev, F_forked) != 0;
		s->sample_period_ns = get_u(d, ev, F_sample_period_ns);
		s->lock_threshold_ns = get_u(d, ev, F_lock_threshold_ns);
		s->syscall_threshold_ns = get_u(d, ev, F_syscall_threshold_ns);
		s->alloc_sample_bytes = get_u(d, ev, F_alloc_sample_bytes);
		s->burst_min_bytes = get_u(d, ev, F_burst_min_bytes);
		s->burst_rate_bytes_per_ms = get_u(d, ev, F_burst_rate_bytes_per_ms);
		break;
	}
	case MEV_THREAD_CREATE:
		out->u.thread_create.id = get_u(d, ev, F_id);
		out->u.thread_create.start_routine = get_u(d, ev, F_start_routine);
		break;
	case MEV_THREAD_START:
		out->u.thread_start.parent_tid = (int32_t)get_i(d, ev, F_parent_tid);
		out->u.thread_start.id = get_u(d, ev, F_id);
		out->u.thread_start.start_routine = get_u(d, ev, F_start_routine);
		out->u.thread_start.pthread = get_u(d, ev, F_pthread);
		break;
	case MEV_THREAD_NAME:
		out->u.thread_name.tid = (int32_t)get_i(d, ev, F_tid);
		out->u.thread_name.name = get_s(d, ev, F_name);
		break;
	case MEV_THREAD_JOIN:
		out->u.thread_join.pthread = get_u(d, ev, F_pthread);
		out->u.thread_join.begin_ts = get_u(d, ev, F_begin_ts);
		out->u.thread_join.result = (int32_t)get_i(d, ev, F_result);
		get_stack(d, ev, out);
		break;
	case MEV_LOCK_WAIT:
		out->u.lock_wait.addr = get_u(d, ev, F_addr);
		out->u.lock_wait.kind = (uint8_t)get_u(d, ev, F_kind);
		out->u.lock_wait.begin_ts = get_u(d, ev, F_begin_ts);
		out->u.lock_wait.holder_tid = (int32_t)get_i(d, ev, F_holder_tid);
		out->u.lock_wait.result = (int32_t)get_i(d, ev, F_result);
		out->u.lock_wait.mutex = get_u(d, ev, F_mutex);
		get_stack(d, ev, out);
		break;
	case MEV_LOCK_RELEASE:
		out->u.lock_release.addr = get_u(d, ev, F_addr);
		out->u.lock_release.kind = (uint8_t)get_u(d, ev, F_kind);
		get_stack(d, ev, out);
		break;
	case MEV_WAKE:
		out->u.wake.addr = get_u(d, ev, F_addr);
		out->u.wake.kind = (uint8_t)get_u(d, ev, F_kind);
		out->u.wake.waiters = (uint32_t)get_u(d, ev, F_waiters);
		out->u.wake.broadcast = get_u(d, ev, F_broadcast) != 0;
		break;
	case MEV_SYSCALL:
		out->u.syscall.sys = (uint8_t)get_u(d, ev, F_sys);
		out->u.syscall.begin_ts = get_u(d, ev, F_begin_ts);
		out->u.syscall.fd = (int32_t)get_i(d, ev, F_fd);
		out->u.syscall.size = get_i(d, ev, F_size);
		out->u.syscall.result = get_i(d, ev, F_result);
		out->u.syscall.err = (int32_t)get_i(d, ev, F_err);
		get_stack(d, ev, out);
		break;
	case MEV_ALLOC_SAMPLE:
		out->u.alloc_sample.size = get_u(d, ev, F_size);
		out->u.alloc_sample.addr = get_u(d, ev, F_addr);
		get_stack(d, ev, out);
		break;
	case MEV_ALLOC_BURST:
		out->u.alloc_burst.begin_ts = get_u(d, ev, F_begin_ts);
		out->u.alloc_burst.end_ts = get_u(d, ev, F_end_ts);
		out->u.alloc_burst.bytes = get_u(d, ev, F_bytes);
		out->u.alloc_burst.count = get_u(d, ev, F_count);
		break;
	case MEV_MMAP:
		out->u.mmap.addr = get_u(d, ev, F_addr);
		out->u.mmap.length = get_u(d, ev, F_length);
		out->u.mmap.unmap = get_u(d, ev, F_unmap) != 0;
		break;
	case MEV_CPU_SAMPLE:
		out->u.cpu_sample.flags = (uint8_t)get_u(d, ev, F_flags);
		/* Traces from before the field: one period each. */
		uint64_t w = get_u(d, ev, F_weight);
		out->u.cpu_sample.weight = (uint16_t)(w == 0 ? 1 : w > UINT16_MAX ? UINT16_MAX : w);
		get_stack(d, ev, out);
		break;
	case MEV_REGION_BEGIN:
		out->u.region_begin.name = get_s(d, ev, F_name);
		out->u.region_begin.depth = (uint16_t)get_u(d, ev, F_depth);
		get_counters(d, ev, out);
		break;
	case MEV_REGION_END:
		out->u.region_end.name = get_s(d, ev, F_name);
		out->u.region_end.depth = (uint16_t)get_u(d, ev, F_depth);
		out->u.region_end.duration_ns = get_u(d, ev, F_duration_ns);
		out->u.region_end.mismatch = (uint8_t)get_u(d, ev, F_mismatch);
		get_counters(d, ev, out);
		break;
	case MEV_THREAD_EXIT:
	case MEV_COUNTERS:
		get_counters(d, ev, out);
		break;
	case MEV_TASK_BEGIN:
		out->u.task_begin.id = get_u(d, ev, F_id);
		out->u.task_begin.parent = get_u(d, ev, F_parent);
		out->u.task_begin.name = get_s(d, ev, F_name);
		break;
	case MEV_TASK_END:
	case MEV_TASK_ATTACH:
		out->u.task.id = get_u(d, ev, F_id);
		break;
	case MEV_LOG:
		out->u.log.category = get_s(d, ev, F_category);
		out->u.log.message = get_s(d, ev, F_message);
		break;
	case MEV_LABEL_PUSH:
		out->u.label_push.key = get_s(d, ev, F_key);
		out->u.label_push.value = get_s(d, ev, F_value);
		out->u.label_push.depth = (uint16_t)get_u(d, ev, F_depth);
		break;
	case MEV_LABEL_POP:
		out->u.label_pop.depth = (uint16_t)get_u(d, ev, F_depth);
		break;
	default:
		break;
	}
}

static void decode_lttng(struct model_decoder *d, const struct analyzer_event *ev,
			 struct model_event *out)
{
	switch (out->type) {
	case MEV_PROCNAME:
		out->u.procname.name = get_s(d, ev, F_procname);
		break;
	case MEV_MODULE_LOAD: {
		out->u.module.baddr = get_u(d, ev, F_baddr);
		out->u.module.memsz = get_u(d, ev, F_memsz);
		out->u.module.path = get_s(d, ev, F_path);
		uint64_t pic = 1;
		analyzer_event_uint_at(ev, d->cur->loc[F_is_pic], &pic);
		out->u.module.not_pic = pic == 0;
		break;
	}
	case MEV_MODULE_BUILD_ID: {
		uint64_t bytes[MODEL_DECODE_MAX_BUILD_ID];
		ssize_t n = analyzer_event_uint_seq_at(ev, d->cur->loc[F_build_id], bytes, MODEL_DECODE_MAX_BUILD_ID);
		if (n < 0 || n > MODEL_DECODE_MAX_BUILD_ID)
			n = 0;
		for (ssize_t i = 0; i < n; i++)
			d->build_id[i] = (uint8_t)bytes[i];
		out->u.build_id.baddr = get_u(d, ev, F_baddr);
		out->u.build_id.bytes = d->build_id;
		out->u.build_id.len = (uint32_t)n;
		break;
	}
	case MEV_MODULE_UNLOAD:
		out->u.module_unload.baddr = get_u(d, ev, F_baddr);
		break;
	default:
		break;
	}
}

int model_decode(struct model_decoder *d, const struct analyzer_event *ev,
		 struct model_event *out)
{
	/* Only what every event has; each type sets its own union member. */
	out->frames = NULL;
	out->nframes = 0;
	out->frames_truncated = false;
	out->has_counters = false;
	/* A few event classes make most events: a direct-mapped cache of
	 * class pointer → class before the map. */
	unsigned slot = (unsigned)((uintptr_t)ev->cls >> 4) % DECODE_TYPE_CACHE;
	uint32_t k;
	if (d->cache_key[slot] == ev->cls) {
		k = d->cache_index[slot];
	} else {
		k = decode_class_of(d, ev);
		if (k == UINT32_MAX)
			return -1;
		d->cache_key[slot] = ev->cls;
		d->cache_index[slot] = k;
	}
	d->cur = &d->cls[k];
	out->type = d->cur->type;
	out->ts = ev->ts_ns;
	out->pid = ev->vpid;
	out->tid = ev->vtid;
	out->cpu = ev->cpu_id;
	if (out->type >= MEV_SCHED_SWITCH && out->type <= MEV_SCHED_COMM)
		decode_sched(d, ev, out);
	else if (out->type >= MEV_PROCESS_START && out->type <= MEV_LABEL_POP)
		decode_ctrace(d, ev, out);
	else
		decode_lttng(d, ev, out);
	return 0;
}
