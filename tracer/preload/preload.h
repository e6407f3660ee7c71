/*
 * The preload library: instruments an unmodified, dynamically linked
 * program by interposing libc/libpthread entry points (LD_PRELOAD).
 *
 * Rules every interposer follows, because this is where interposers break:
 * - Resolve the real function lazily with PRELOAD_REAL: we can be called
 *   before our constructor ran (other libraries' constructors) and from
 *   inside dlsym itself (malloc).
 * - Fast path first: the uncontended/short case calls the real function and
 *   returns, touching no clock and emitting nothing.
 * - Only threads whose mode is TRACER_THREAD_TRACED are traced; LTTng's
 *   threads and the tracer's own work (in_tracer) pass straight through.
 * - Preserve errno on every path the program can observe.
 * - Never change the result of the call.
 */
#ifndef PRELOAD_H
#define PRELOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/tstate.h"
#include "../common/burst.h"

#define PRELOAD_EXPORT __attribute__((visibility("default")))
#define PRELOAD_LIKELY(x) __builtin_expect(!!(x), 1)
#define PRELOAD_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Settings, read once from the environment (CTRACE_*) by preload_init
 * before `ready` is set; never written afterwards. */
struct preload_config {
	bool ready;                     /* preload_init finished */
	uint64_t sample_period_ns;      /* CPU-time sampling period, 0 = off */
	int sample_signal;              /* real-time signal used for samples */
	uint64_t lock_threshold_ns;     /* waits below this go to counters */
	uint64_t syscall_threshold_ns;  /* likewise for syscalls */
	uint64_t alloc_sample_bytes;    /* mean bytes between sampled allocations, 0 = off */
	uint64_t alloc_check_bytes;     /* weighted bytes between burst checks */
	struct burst_config burst;
	uint64_t flush_period_ns;       /* counters event at most this far apart */
	uint32_t release_stack_every;   /* keep 1 in N lock_release stacks */
	uint16_t max_frames;            /* stack depth kept */
	uint64_t mmap_min_bytes;        /* mmap/munmap events from this size */
};

extern struct preload_config preload_cfg;

/* Looks a libc symbol up behind us (RTLD_NEXT); aborts with a message if it
 * is missing, since continuing would crash the program later anyway. */
void *preload_dlsym(const char *name);
void *preload_dlvsym(const char *name, const char *version);

#define PRELOAD_REAL(fn)                                                     \
	static __typeof__(&fn) real_##fn;                                    \
	if (PRELOAD_UNLIKELY(!real_##fn))                                    \
		real_##fn = (__typeof__(&fn))preload_dlsym(#fn)

/* The per-thread state, initial-exec TLS (see tstate.h). */
extern __thread struct tracer_thread preload_tls __attribute__((tls_model("initial-exec")));

/* The calling thread's state when it is traced, NULL otherwise (not set up
 * yet and the tracer not ready, an ignored thread, the tracer itself is
 * running on it). Sets the thread up on first use once the tracer is ready. */
static inline struct tracer_thread *preload_thread(void)
{
	struct tracer_thread *t = &preload_tls;
	if (PRELOAD_LIKELY(t->mode == TRACER_THREAD_TRACED))
		return t->in_tracer ? NULL : t;
	return tracer_thread_self();
}

/* Sets t up as a traced program thread (tid, sampling timer, countdowns). */
void preload_thread_setup(struct tracer_thread *t);
/* Emits thread_exit with the last counters and stops sampling. */
void preload_thread_finish(struct tracer_thread *t);
/* Live program threads (thread_live.c), so a main thread's pthread_exit
 * ends the process with its last thread despite LTTng's: a thread about to
 * be created (false: not counted), its creation failed, it started. */
bool thread_live_created(void);
void thread_live_create_failed(void);
void thread_live_started(void);
/* Emits thread_name for the calling thread t with its current name, as its
 * first name: after process_start (main thread, fork child) or thread_start.
 * Later names come from the rename interposers (thread_name.c). */
void thread_name_emit_self(struct tracer_thread *t);
/* Flushes pending counters as a `counters` event if flush_period_ns passed
 * since the last flush; called from slow paths that already read the clock. */
void preload_counters_maybe_flush(struct tracer_thread *t, uint64_t now_ns);

/* Records a wait that found its lock or call slow: an event when it lasted
 * at least the threshold, counters otherwise. */
void preload_lock_waited(struct tracer_thread *t, uint64_t addr, uint8_t kind,
			 uint64_t begin_ns, int32_t holder_tid, int32_t result,
			 uint64_t mutex);

/* Stack capture for events (not for the signal handler, see sample.c):
 * fills frames with return addresses from the program's call into the
 * preload library outwards (the library's own frames are dropped, however
 * deep), returns the count. */
uint16_t preload_stack_capture(struct tracer_thread *t, uint64_t *frames, uint16_t max);

/* The descriptors of libunwind's memory-validation pipe, -1 until known
 * (fd_close.c): the program's close, closefrom and close_range leave them
 * open, as liblttng-ust-fd does for LTTng's own. */
extern int preload_unwinder_fds[2] __attribute__((visibility("hidden")));

static inline bool preload_fd_reserved(int fd)
{
	return fd >= 0 && (fd == __atomic_load_n(&preload_unwinder_fds[0], __ATOMIC_RELAXED) ||
			   fd == __atomic_load_n(&preload_unwinder_fds[1], __ATOMIC_RELAXED));
}

/* True when ip lies in LTTng-UST's own code (lttng_code.c): lock calls
 * made from there emit nothing. preload_lttng_code_init finds the code
 * once, at start-up. */
void preload_lttng_code_init(void);
bool preload_lttng_code(const void *ip);

/* Code unmapped by dlclose so far (dl.c): a process-wide count, since
 * every thread's unwinding cache is concerned. */
extern uint32_t preload_code_unmaps __attribute__((visibility("hidden")));

/* True when t's libunwind trace cache may be stale (tstate.h). */
static inline bool preload_unwind_cache_stale(const struct tracer_thread *t)
{
	return __atomic_load_n(&preload_code_unmaps, __ATOMIC_RELAXED) != t->unmaps_at_setup;
}

/* Unwinds with unw_step from uc (unw_init_local2 flags) into frames, at
 * most max, frames[0] being uc's own IP; sets CTRACE_SAMPLE_TRUNCATED in
 * *flags when it stopped at max. The slow way, but through libunwind's
 * caches that dlclose invalidates. */
uint16_t preload_unwind_checked(void *uc, int init_flags, uint64_t *frames, uint16_t max,
				uint8_t *flags);

/* CPU sampling (sample.c). */
void sample_process_init(void);            /* installs the signal handler */
void sample_thread_start(struct tracer_thread *t);
void sample_thread_stop(struct tracer_thread *t);

/* Allocation (alloc.c): resets countdowns for a thread being set up. */
void alloc_thread_setup(struct tracer_thread *t);
/* Ends and emits an allocation burst in progress (thread exit). */
void alloc_thread_finish(struct tracer_thread *t);

/* A fresh xorshift64 value from the thread's generator. */
static inline uint64_t preload_rand(struct tracer_thread *t)
{
	uint64_t x = t->rng ? t->rng : 0x9e3779b97f4a7c15ull ^ (uint64_t)t->tid;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	t->rng = x;
	return x;
}

#endif
