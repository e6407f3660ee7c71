/*
 * A main thread that calls pthread_exit leaves its process running until
 * the last thread ends, but LTTng-UST's listener threads never end: traced,
 * such a program would never terminate (and `ctrace record` would wait for
 * it forever). So the preload counts the program's live threads, the main
 * thread plus every thread started through the pthread_create trampoline
 * (counted from its creation, so a created thread that has not run yet
 * keeps the process alive), and once main has called pthread_exit, the
 * last of them to end calls exit(0): what the process would have done
 * itself (a process whose last thread exits ends with status 0).
 *
 * Not counted, and so not waited for: threads the tracer ignores (LTTng's,
 * ours) and the rare thread started without the trampoline (its argument
 * block could not be allocated). Without the key (pthread_key_create
 * failed) nothing is counted and behaviour is as untraced.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "preload.h"

static unsigned thread_live_count = 1;   /* the main thread */
static pthread_key_t thread_live_key;
static bool thread_live_key_ok;
static pthread_once_t thread_live_once = PTHREAD_ONCE_INIT;

static void thread_live_end(void)
{
	if (__atomic_sub_fetch(&thread_live_count, 1, __ATOMIC_ACQ_REL) == 0)
		exit(0);
}

/* Runs when a counted thread ends, by return or pthread_exit/cancel. */
static void thread_live_key_destroy(void *p)
{
	(void)p;
	thread_live_end();
}

static void thread_live_after_fork_child(void)
{
	/* The forking thread is the child's only (main) thread. */
	__atomic_store_n(&thread_live_count, 1, __ATOMIC_RELAXED);
}

static void thread_live_init(void)
{
	thread_live_key_ok = pthread_key_create(&thread_live_key, thread_live_key_destroy) == 0;
	if (thread_live_key_ok)
		pthread_atfork(NULL, NULL, thread_live_after_fork_child);
}

bool thread_live_created(void)
{
	pthread_once(&thread_live_once, thread_live_init);
	if (!thread_live_key_ok)
		return false;
	__atomic_add_fetch(&thread_live_count, 1, __ATOMIC_ACQ_REL);
	return true;
}

void thread_live_create_failed(void)
{
	/* The creator is counted and alive: this cannot reach zero. */
	__atomic_sub_fetch(&thread_live_count, 1, __ATOMIC_ACQ_REL);
}

void thread_live_started(void)
{
	pthread_setspecific(thread_live_key, &thread_live_count);
}

PRELOAD_EXPORT void pthread_exit(void *ret)
{
	PRELOAD_REAL(pthread_exit);
	if (gettid() == getpid()) {   /* the main thread is always the program's */
		pthread_once(&thread_live_once, thread_live_init);
		if (thread_live_key_ok)
			thread_live_end();
	}
	real_pthread_exit(ret);
	__builtin_unreachable();
}
