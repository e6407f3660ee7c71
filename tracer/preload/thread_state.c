/*
 * The per-thread state of traced threads: set-up on first use, the periodic
 * counter flush, and the final flush at thread exit.
 *
 * Thread exit: every traced thread holds a value under thread_exit_key,
 * whose destructor runs when the thread ends by pthread_exit or
 * cancellation (or returns from a start routine, though the trampoline of
 * thread_create.c has emitted thread_exit by then), including a main thread
 * that calls pthread_exit. A thread ending through exit() gets its
 * thread_exit from init.c's destructor instead.
 */
#include <pthread.h>
#include <unistd.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

__thread struct tracer_thread preload_tls __attribute__((tls_model("initial-exec")));

static pthread_key_t thread_exit_key;
static bool thread_exit_key_ok;
static pthread_once_t thread_exit_key_once = PTHREAD_ONCE_INIT;

static void thread_exit_key_destroy(void *p)
{
	if (p == &preload_tls)
		preload_thread_finish(p);
}

static void thread_exit_key_create(void)
{
	thread_exit_key_ok = pthread_key_create(&thread_exit_key, thread_exit_key_destroy) == 0;
}

/* Arms the calling thread's exit destructor. */
static void thread_exit_arm(struct tracer_thread *t)
{
	pthread_once(&thread_exit_key_once, thread_exit_key_create);
	if (thread_exit_key_ok)
		pthread_setspecific(thread_exit_key, t);
}

struct tracer_thread *tracer_thread_self(void)
{
	struct tracer_thread *t = &preload_tls;
	if (t->mode == TRACER_THREAD_NEW && !t->in_tracer &&
	    __atomic_load_n(&preload_cfg.ready, __ATOMIC_ACQUIRE))
		preload_thread_setup(t);
	return t->mode == TRACER_THREAD_TRACED && !t->in_tracer ? t : NULL;
}

void preload_thread_setup(struct tracer_thread *t)
{
	t->in_tracer++;
	t->tid = gettid();
	t->unmaps_at_setup = __atomic_load_n(&preload_code_unmaps, __ATOMIC_RELAXED);
	t->mode = TRACER_THREAD_TRACED;
	t->last_flush_ns = tracer_now_ns();
	alloc_thread_setup(t);
	sample_thread_start(t);
	thread_exit_arm(t);
	t->in_tracer--;
}

void preload_thread_finish(struct tracer_thread *t)
{
	if (t->mode != TRACER_THREAD_TRACED)
		return;
	t->in_tracer++;
	sample_thread_stop(t);
	alloc_thread_finish(t);
	struct ctrace_counters c = tracer_counters_take(t, tracer_now_ns());
	lttng_ust_tracepoint(ctrace, thread_exit, &c);
	t->mode = TRACER_THREAD_EXITED;
	t->in_tracer--;
}

void preload_counters_maybe_flush(struct tracer_thread *t, uint64_t now_ns)
{
	if (now_ns - t->last_flush_ns < preload_cfg.flush_period_ns)
		return;
	struct ctrace_counters c = tracer_counters_take(t, now_ns);
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, counters, &c);
	t->in_tracer--;
}
