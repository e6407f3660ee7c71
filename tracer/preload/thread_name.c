/*
 * Thread names: pthread_setname_np and prctl(PR_SET_NAME) become
 * thread_name events, and every traced thread's first name is emitted as
 * it starts (thread_name_emit_self: after process_start for the main thread
 * and a fork child, after thread_start for the others), so a reader never
 * has to work out inheritance: the latest thread_name of a tid is its name.
 *
 * Renaming another thread: pthread_setname_np names a pthread_t, and the
 * event wants its tid. glibc puts every thread's static TLS block at the
 * same distance from its thread descriptor (the pthread_t), so the target's
 * preload_tls, and the tid we stored there when it was set up, sit at
 * pthread_self()'s distance from the target's pthread_t. It is read only
 * after the real call succeeded, which means the thread exists. A target
 * we never set up (not traced) reads as tid 0: the name of no known thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include "preload.h"
#include "../provider/ctrace_tp.h"

/* The kernel keeps 15 bytes of a thread name. */
#define THREAD_NAME_MAX 16

static void thread_name_emit(struct tracer_thread *t, int32_t tid, const char *name)
{
	int saved = errno;
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, thread_name, tid, name);
	t->in_tracer--;
	errno = saved;
}

void thread_name_emit_self(struct tracer_thread *t)
{
	PRELOAD_REAL(prctl);
	int saved = errno;
	char name[THREAD_NAME_MAX] = "";
	real_prctl(PR_GET_NAME, (unsigned long)name, 0ul, 0ul, 0ul);
	name[THREAD_NAME_MAX - 1] = '\0';
	errno = saved;
	thread_name_emit(t, t->tid, name);
}

/* The tid of another thread of the process (see the top of the file). */
static int32_t thread_tid_of(pthread_t thread)
{
	intptr_t delta = (intptr_t)&preload_tls - (intptr_t)pthread_self();
	const struct tracer_thread *other = (const void *)((intptr_t)thread + delta);
	return __atomic_load_n(&other->tid, __ATOMIC_RELAXED);
}

PRELOAD_EXPORT int pthread_setname_np(pthread_t thread, const char *name)
{
	PRELOAD_REAL(pthread_setname_np);
	int r = real_pthread_setname_np(thread, name);
	if (r != 0)
		return r;
	int saved = errno;
	struct tracer_thread *t = preload_thread();
	errno = saved;
	if (t)
		thread_name_emit(t, pthread_equal(thread, pthread_self()) ? t->tid
					: thread_tid_of(thread), name);
	return r;
}

/* prctl is variadic: the kernel takes four more arguments, which glibc's
 * own prctl reads as unsigned longs whatever the caller passed. */
PRELOAD_EXPORT int prctl(int option, ...)
{
	PRELOAD_REAL(prctl);
	va_list ap;
	va_start(ap, option);
	unsigned long a2 = va_arg(ap, unsigned long);
	unsigned long a3 = va_arg(ap, unsigned long);
	unsigned long a4 = va_arg(ap, unsigned long);
	unsigned long a5 = va_arg(ap, unsigned long);
	va_end(ap);
	int r = real_prctl(option, a2, a3, a4, a5);
	if (option != PR_SET_NAME || r != 0)
		return r;
	int saved = errno;
	struct tracer_thread *t = preload_thread();
	errno = saved;
	if (t) {
		const char *given = (const char *)a2;
		char name[THREAD_NAME_MAX];
		size_t n = strnlen(given, sizeof name - 1);
		memcpy(name, given, n);
		name[n] = '\0';
		thread_name_emit(t, t->tid, name);
	}
	return r;
}
