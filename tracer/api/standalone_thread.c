/*
 * Per-thread state for libctrace used on its own (without ctrace record's
 * preload, which brings its own tracer_thread_self). Global-dynamic TLS:
 * libctrace may be dlopened, where initial-exec TLS can fail to load.
 */
#include <unistd.h>

#include "../common/tstate.h"

static __thread struct tracer_thread api_tls;

struct tracer_thread *tracer_thread_self(void)
{
	struct tracer_thread *t = &api_tls;
	if (t->mode == TRACER_THREAD_NEW) {
		t->tid = gettid();
		t->mode = TRACER_THREAD_TRACED;
	}
	return t->mode == TRACER_THREAD_TRACED ? t : NULL;
}
