/*
 * Accounting of contended lock waits: long ones become lock_wait events,
 * short ones go to the thread's counters so breakdowns stay exact without an
 * event per contention (FIELD-NOTES: that would triple the run time).
 */
#include <errno.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

void preload_lock_waited(struct tracer_thread *t, uint64_t addr, uint8_t kind,
			 uint64_t begin_ns, int32_t holder_tid, int32_t result,
			 uint64_t mutex)
{
	/* Called right after the real call: its errno is the program's. */
	int saved = errno;
	uint64_t now = tracer_now_ns();
	uint64_t waited = now - begin_ns;
	if (waited < preload_cfg.lock_threshold_ns) {
		t->pending.lock_short_ns += waited;
		t->pending.lock_short_count++;
		preload_counters_maybe_flush(t, now);
	} else {
		/* Only long waits pay for the unwind (~2-3 us against >= the
		 * threshold waited); the stack is where the waiter blocked. */
		uint64_t frames[256];
		uint16_t n = preload_stack_capture(t, frames, preload_cfg.max_frames);
		t->in_tracer++;
		lttng_ust_tracepoint(ctrace, lock_wait, addr, kind, begin_ns,
				     holder_tid, result, mutex, frames, n);
		t->in_tracer--;
	}
	errno = saved;
}
