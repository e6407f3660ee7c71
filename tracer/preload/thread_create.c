/*
 * Thread creation: pthread_create is interposed to start every new thread
 * through a trampoline, which is how a thread's life gets into the trace:
 * thread_create in the parent (before the thread exists), thread_start and
 * thread_name as the child's first events, thread_exit as its last.
 *
 * Ending: a start routine that returns gets its thread_exit from the
 * trampoline; pthread_exit and cancellation unwind past it, and are caught
 * by the exit key every traced thread holds (thread_state.c). Program
 * threads are also counted while alive (thread_live.c).
 *
 * Threads that are not the program's are never traced: the trampoline
 * marks them TRACER_THREAD_IGNORED before they run any code. Those are the
 * threads LTTng-UST creates (its listener threads come from liblttng-ust's
 * constructor, before ours ran, and after a fork from its fork hook), ours,
 * and any created while the tracer itself runs or by an ignored thread.
 * The creator is found from pthread_create's return address: dladdr, a
 * few µs, beside the tens of µs a thread creation costs anyway.
 *
 * The trampoline's arguments live in a block from the real malloc, not our
 * interposer: the tracer's memory is not the program's allocation.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "../provider/ctrace_tp.h"

struct thread_start_args {
	void *(*start)(void *);
	void *arg;
	uint64_t id;            /* pairs thread_create and thread_start, 0: none */
	int32_t parent_tid;
	bool ignored;
	bool live;              /* counted in thread_live.c */
};

static struct {
	__typeof__(&malloc) malloc;
	__typeof__(&free) free;
} thread_real;

/* True when the code at `caller` belongs to LTTng-UST or to this library. */
static bool thread_caller_is_tracer(const void *caller)
{
	Dl_info caller_info, self_info;
	if (!dladdr(caller, &caller_info) || !caller_info.dli_fname)
		return false;
	if (dladdr((const void *)&thread_caller_is_tracer, &self_info) &&
	    self_info.dli_fbase == caller_info.dli_fbase)
		return true;
	const char *base = strrchr(caller_info.dli_fname, '/');
	base = base ? base + 1 : caller_info.dli_fname;
	return strncmp(base, "liblttng-ust", strlen("liblttng-ust")) == 0;
}

/* Emits thread_create in the parent, when it is traced, and fills in the
 * id and parent the child will report. */
static void thread_create_announce(struct thread_start_args *a)
{
	struct tracer_thread *t = preload_thread();
	if (!t) {
		a->parent_tid = gettid();
		return;
	}
	a->parent_tid = t->tid;
	a->id = (uint64_t)(uint32_t)t->tid << 32 | ++t->create_seq;
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, thread_create, a->id, (uint64_t)(uintptr_t)a->start);
	t->in_tracer--;
}

static void *thread_trampoline(void *p)
{
	struct thread_start_args a = *(struct thread_start_args *)p;
	thread_real.free(p);
	if (a.ignored) {
		preload_tls.mode = TRACER_THREAD_IGNORED;
		return a.start(a.arg);
	}
	if (a.live)
		thread_live_started();
	int saved = errno;
	struct tracer_thread *t = tracer_thread_self();
	if (t) {
		t->in_tracer++;
		lttng_ust_tracepoint(ctrace, thread_start, a.parent_tid, a.id,
				     (uint64_t)(uintptr_t)a.start, (uint64_t)pthread_self());
		t->in_tracer--;
		thread_name_emit_self(t);
	}
	errno = saved;
	void *ret = a.start(a.arg);
	preload_thread_finish(&preload_tls);
	return ret;
}

PRELOAD_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
				  void *(*start)(void *), void *arg)
{
	PRELOAD_REAL(pthread_create);
	int saved = errno;
	if (PRELOAD_UNLIKELY(!__atomic_load_n(&thread_real.free, __ATOMIC_ACQUIRE))) {
		thread_real.malloc = (__typeof__(&malloc))preload_dlsym("malloc");
		__atomic_store_n(&thread_real.free, (__typeof__(&free))preload_dlsym("free"),
				 __ATOMIC_RELEASE);
	}
	struct thread_start_args *a = thread_real.malloc(sizeof *a);
	if (!a) {
		/* Started directly, the thread is traced from its first
		 * interposed call on, without a thread_start. */
		errno = saved;
		return real_pthread_create(thread, attr, start, arg);
	}
	*a = (struct thread_start_args){ .start = start, .arg = arg };
	struct tracer_thread *self = &preload_tls;
	a->ignored = self->mode == TRACER_THREAD_IGNORED || self->in_tracer ||
		     thread_caller_is_tracer(__builtin_return_address(0));
	if (!a->ignored) {
		a->live = thread_live_created();
		thread_create_announce(a);
	}
	bool live = a->live;
	errno = saved;
	int r = real_pthread_create(thread, attr, thread_trampoline, a);
	if (r != 0) {
		saved = errno;
		if (live)
			thread_live_create_failed();
		thread_real.free(a);
		errno = saved;
	}
	return r;
}
