/*
 * Read-only questions to a finished model (model.h), and freeing it.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>

#include "ctrace_schema.h"

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_threads; i++)
		free(m->threads[i].iv);
	for (size_t i = 0; i < m->n_cpus; i++)
		free(m->cpus[i].v);
	void *arrays[] = {
		m->processes, m->threads, m->name_changes, m->cpus, m->regions, m->tasks,
		m->attaches, m->label_changes, m->logs, m->locks, m->waits, m->syscalls,
		m->samples, m->alloc_samples, m->bursts, m->mmaps, m->modules, m->str_data,
		m->str_off, m->frames, m->stacks, m->label_kv, m->labelsets, m->blob,
	};
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		free(arrays[i]);
	*m = (struct model){ 0 };
}

const char *model_str(const struct model *m, uint32_t s)
{
	if (s == MODEL_NONE || s >= m->n_str_off)
		return "";
	return m->str_data + m->str_off[s];
}

const char *model_state_name(enum model_state s)
{
	static const char *const names[MODEL_NSTATES] = {
		"running", "runnable", "lock_wait", "syscall", "other", "unknown",
	};
	return (unsigned)s < MODEL_NSTATES ? names[s] : "?";
}

const char *model_warning_text(enum model_warning w)
{
	static const char *const text[MODEL_W_COUNT] = {
		[MODEL_W_TIME_BACKWARD] = "events older than the event before them (time clamped)",
		[MODEL_W_REGION_NO_BEGIN] = "region ends without an open region",
		[MODEL_W_REGION_MISMATCH] = "region ends naming another region than the innermost",
		[MODEL_W_REGION_RESYNC] = "region depths that disagreed with the events seen",
		[MODEL_W_REGION_UNCLOSED] = "regions still open when their thread or the trace ended",
		[MODEL_W_LABEL_RESYNC] = "label depths that disagreed with the events seen",
		[MODEL_W_TASK_UNKNOWN] = "task ends or attaches naming a task never begun",
		[MODEL_W_TASK_UNCLOSED] = "tasks never ended",
		[MODEL_W_WAIT_CLAMPED] = "waits beginning before already-final time (clamped)",
		[MODEL_W_SHORT_UNPLACED] = "short-wait counters larger than their period allows",
		[MODEL_W_SCHED_MISMATCH] = "events from threads the scheduler had switched out",
		[MODEL_W_GAP] = "gaps where the tracer discarded events (state unknown after each)",
		[MODEL_W_THREAD_REUSED] = "events of a thread id after its thread ended",
		[MODEL_W_JOIN_UNKNOWN] = "joins of threads never seen starting",
		[MODEL_W_STACK_TRUNCATED] = "stacks cut to the analyzer's maximum depth",
		[MODEL_W_NO_THREAD] = "events without a process or thread id (ignored)",
		[MODEL_W_FOREIGN] = "events of other programs left out (a session daemon shared "
				    "with another recording)",
	};
	return (unsigned)w < MODEL_W_COUNT && text[w] ? text[w] : "?";
}

const char *model_wait_kind_name(uint8_t kind)
{
	switch (kind) {
	case CTRACE_LOCK_MUTEX: return "mutex";
	case CTRACE_LOCK_RWLOCK_READ: return "rwlock_read";
	case CTRACE_LOCK_RWLOCK_WRITE: return "rwlock_write";
	case CTRACE_LOCK_COND: return "cond";
	case CTRACE_LOCK_SEM: return "sem";
	case CTRACE_LOCK_SPIN: return "spin";
	case MODEL_WAIT_JOIN: return "join";
	default: return "lock";
	}
}

const char *model_sys_name(uint8_t sys)
{
	static const char *const names[CTRACE_SYS_COUNT] = {
		"read", "write", "pread", "pwrite", "readv", "writev", "recv", "recvfrom",
		"recvmsg", "send", "sendto", "sendmsg", "accept", "accept4", "connect", "poll",
		"ppoll", "select", "pselect", "epoll_wait", "epoll_pwait", "nanosleep",
		"clock_nanosleep", "usleep", "sleep", "open", "openat", "close", "fsync",
		"fdatasync", "waitpid", "wait4",
	};
	static char other[256][12];
	if (sys < CTRACE_SYS_COUNT)
		return names[sys];
	if (!other[sys][0])
		snprintf(other[sys], sizeof other[sys], "sys#%u", sys);
	return other[sys];
}

const uint64_t *model_stack_frames(const struct model *m, uint32_t s, uint32_t *n)
{
	if (s == MODEL_NONE || s >= m->n_stacks) {
		*n = 0;
		return NULL;
	}
	*n = m->stacks[s].n;
	return m->frames + m->stacks[s].off;
}

uint32_t model_interval_at(const struct model_thread *t, uint64_t ts)
{
	if (t->niv == 0 || ts < t->iv[0].start || ts >= t->tl_end)
		return MODEL_NONE;
	size_t lo = 0, hi = t->niv;   /* iv[lo].start <= ts < iv[hi].start */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->iv[mid].start <= ts)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

void model_thread_breakdown(const struct model_thread *t, uint64_t from, uint64_t to,
			    struct model_breakdown *out)
{
	if (t->niv == 0 || from >= to)
		return;
	if (from < t->iv[0].start)
		from = t->iv[0].start;
	uint32_t i = model_interval_at(t, from);
	for (size_t k = i == MODEL_NONE ? t->niv : i; k < t->niv; k++) {
		uint64_t s = t->iv[k].start, e = model_interval_end(t, k);
		if (s >= to)
			break;
		if (s < from)
			s = from;
		if (e > to)
			e = to;
		if (e > s)
			out->ns[t->iv[k].state] += e - s;
	}
}

uint64_t model_breakdown_total(const struct model_breakdown *b)
{
	uint64_t sum = 0;
	for (int s = 0; s < MODEL_NSTATES; s++)
		sum += b->ns[s];
	return sum;
}

const char *model_thread_name(const struct model *m, uint32_t thread)
{
	if (thread >= m->n_threads)
		return "";
	const struct model_thread *t = &m->threads[thread];
	if (t->name != MODEL_NONE)
		return model_str(m, t->name);
	if (t->process < m->n_processes)
		return model_str(m, m->processes[t->process].name);
	return "";
}
