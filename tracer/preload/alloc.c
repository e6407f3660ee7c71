/*
 * Allocation instrumentation: malloc and friends are counted per thread,
 * allocation bursts are detected, and a random sample of allocations is
 * recorded with its stack (about one per alloc_sample_bytes, spaced like
 * Go's MemProfileRate).
 *
 * Why the fast path looks the way it does. malloc+free of 64 bytes costs
 * ~10 ns here; an event per call costs ~200 ns (FIELD-NOTES), and even one
 * clock read is ~25-35 ns. The interposers add ~2 ns per pair
 * (tests/bench/run_malloc_fastpath.sh; LTTng's libc wrapper adds ~240). So an allocation only adds its size to two TLS counters
 * and subtracts a weight (size + 64, so that floods of tiny allocations
 * count too) from a TLS countdown; everything else (clock, burst check,
 * sampling, periodic counter flush) happens in alloc_slow when the
 * countdown goes negative, about every alloc_check_bytes. free does
 * nothing beyond the real call.
 *
 * The same countdown covers the states a thread can be in: zeroed TLS is a
 * countdown of 0, so a new thread's first allocation reaches alloc_slow,
 * which sets the thread up once the tracer is ready (and keeps the
 * countdown at 0 until then), and parks ignored threads at INT64_MAX.
 *
 * Burst defaults (preload/init.c, CTRACE_BURST_*, CTRACE_ALLOC_CHECK_BYTES):
 * a burst is at least 1 MiB allocated at 100 KiB/ms (100 MB/s) or more,
 * checked every 512 KiB of weighted allocation. Tried on a program with
 * five 10 MiB bursts of ~10 ms (mixed 64 B..16 KiB mallocs) 100 ms apart,
 * a background of 1 KiB/ms between them, then 100 ms at 80 MB/s, 300 ms at
 * 20 MB/s and one 8 MiB malloc: every burst was found, 85-99 % of its bytes,
 * edges within ~0.7 ms, and nothing else was. The check interval is the
 * trade-off: a check over a stretch in which the thread was preempted
 * reads as cold and splits the burst in two; with 64 KiB (0.6 ms of
 * tolerance) a single 4 ms scheduler tick on a loaded 2-CPU machine split
 * about one burst in three, with 512 KiB only back-to-back ticks (8 ms)
 * did, at the price of edges ~0.5 ms coarser at 1 GB/s and the first and
 * last interval of a burst (up to 2 x 512 KiB) left out of its bytes.
 * A single large allocation is never a burst on its own: its check
 * interval includes the quiet time before it.
 *
 * Resolving the real functions: dlsym may itself allocate, which lands
 * back here before any real function is known. Those few allocations come
 * from a static bootstrap arena, never reused; free ignores pointers into
 * it and realloc moves them out.
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

/* ---- the real allocator and the bootstrap arena ------------------------- */

static struct {
	__typeof__(&malloc) malloc;
	__typeof__(&calloc) calloc;
	__typeof__(&realloc) realloc;
	__typeof__(&free) free;
	__typeof__(&posix_memalign) posix_memalign;
	__typeof__(&aligned_alloc) aligned_alloc;
	__typeof__(&memalign) memalign;
	__typeof__(&valloc) valloc;
	__typeof__(&pvalloc) pvalloc;
} alloc_real;

static int alloc_resolving;

#define ALLOC_BOOT_BYTES (64 * 1024)
static _Alignas(64) unsigned char alloc_boot[ALLOC_BOOT_BYTES];
static size_t alloc_boot_used;

static bool alloc_is_boot(const void *p)
{
	return (uintptr_t)p - (uintptr_t)alloc_boot < ALLOC_BOOT_BYTES;
}

/* A block of the bootstrap arena, aligned to align (a power of two), with
 * its size stored just before it for realloc. Zeroed: never reused. */
static void *alloc_boot_take(size_t size, size_t align)
{
	if (align < 16)
		align = 16;
	uintptr_t base = (uintptr_t)alloc_boot;
	size_t used = __atomic_load_n(&alloc_boot_used, __ATOMIC_RELAXED);
	for (;;) {
		uintptr_t data = (base + used + sizeof(size_t) + align - 1) & ~(uintptr_t)(align - 1);
		size_t start = data - base;
		if (start > ALLOC_BOOT_BYTES || size > ALLOC_BOOT_BYTES - start) {
			errno = ENOMEM;
			return NULL;
		}
		if (__atomic_compare_exchange_n(&alloc_boot_used, &used, start + size, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			memcpy((unsigned char *)data - sizeof(size_t), &size, sizeof size);
			return (void *)data;
		}
	}
}

static size_t alloc_boot_size(const void *p)
{
	size_t size;
	memcpy(&size, (const unsigned char *)p - sizeof(size_t), sizeof size);
	return size;
}

/* Looks the real functions up; false while a lookup is under way (in this
 * thread: dlsym allocating; or in another), the caller then uses the
 * bootstrap arena. free comes first: once any real allocation can happen,
 * its free is known. */
static bool alloc_resolve(void)
{
	if (__atomic_exchange_n(&alloc_resolving, 1, __ATOMIC_ACQUIRE))
		return false;
	alloc_real.free = (__typeof__(&free))preload_dlsym("free");
	alloc_real.calloc = (__typeof__(&calloc))preload_dlsym("calloc");
	alloc_real.realloc = (__typeof__(&realloc))preload_dlsym("realloc");
	alloc_real.posix_memalign = (__typeof__(&posix_memalign))preload_dlsym("posix_memalign");
	alloc_real.aligned_alloc = (__typeof__(&aligned_alloc))preload_dlsym("aligned_alloc");
	alloc_real.memalign = (__typeof__(&memalign))preload_dlsym("memalign");
	alloc_real.valloc = (__typeof__(&valloc))preload_dlsym("valloc");
	alloc_real.pvalloc = (__typeof__(&pvalloc))preload_dlsym("pvalloc");
	__atomic_store_n(&alloc_real.malloc, (__typeof__(&malloc))preload_dlsym("malloc"),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&alloc_resolving, 0, __ATOMIC_RELEASE);
	return true;
}

/* True when fn is known (resolving it first if needed). */
#define ALLOC_HAVE(fn) (PRELOAD_LIKELY(alloc_real.fn != NULL) || (alloc_resolve() && alloc_real.fn))

/* ---- sampling distance -------------------------------------------------- */

/* -ln(k / 2^53) for k in [1, 2^53]: the exponent of k from its double
 * representation, ln of the mantissa m in [1, 2) from the series of
 * 2 atanh((m-1)/(m+1)) (error < 2e-5, plenty for spacing samples). No libm:
 * the preload library does not link it. */
static double alloc_neg_ln_unit(uint64_t k)
{
	union { double d; uint64_t u; } b = { .d = (double)k };
	int e = (int)((b.u >> 52) & 0x7ff) - 1023;
	b.u = (b.u & ((1ull << 52) - 1)) | (1023ull << 52);
	double s = (b.d - 1) / (b.d + 1), s2 = s * s;
	double ln_m = 2 * s * (1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 / 9))));
	return (53 - e) * M_LN2 - ln_m;
}

/* Bytes until the next sampled allocation: exponentially distributed with
 * mean alloc_sample_bytes, so every byte has the same chance of being the
 * one sampled whatever the allocation sizes (as Go's MemProfileRate). */
static int64_t alloc_next_sample(struct tracer_thread *t)
{
	uint64_t mean = preload_cfg.alloc_sample_bytes;
	if (mean == 0)
		return INT64_MAX;
	uint64_t k = (preload_rand(t) >> 11) + 1;
	double d = alloc_neg_ln_unit(k) * (double)mean;
	return d >= 0x1p62 ? INT64_MAX / 2 : (int64_t)d + 1;
}

/* ---- slow path ---------------------------------------------------------- */

static void alloc_emit_burst(const struct burst_event *ev)
{
	lttng_ust_tracepoint(ctrace, alloc_burst, ev->begin_ns, ev->end_ns, ev->bytes,
			     ev->count);
}

static void alloc_emit_sample(struct tracer_thread *t, void *p, size_t n)
{
	uint64_t frames[256];
	uint16_t max = preload_cfg.max_frames;
	uint16_t nframes = preload_stack_capture(t, frames, max < 256 ? max : 256);
	lttng_ust_tracepoint(ctrace, alloc_sample, n, (uint64_t)(uintptr_t)p, frames, nframes);
}

/* Weighted bytes (as the fast path counts them) still to go before the next
 * burst check; <= 0 when one is due. The burst state remembers the totals
 * of the previous check. */
static int64_t alloc_check_left(const struct tracer_thread *t, uint64_t bytes, uint64_t count)
{
	uint64_t weighted = (bytes - t->burst.last_bytes) + 64 * (count - t->burst.last_count);
	uint64_t every = preload_cfg.alloc_check_bytes;
	return weighted >= every ? 0 : (int64_t)(every - weighted);
}

static void alloc_arm(struct tracer_thread *t, int64_t to_check)
{
	t->alloc_countdown = to_check < t->alloc_sample_countdown ? to_check
								 : t->alloc_sample_countdown;
}

/* A traced thread's countdown ran out: a burst check if one is due, a
 * sample if its distance was covered, a counter flush if due, re-arm.
 * Burst checks keep their own schedule: a visit made only for a sample
 * would measure a rate over a handful of bytes and the time of the
 * previous visit's stack capture, and could end a burst that is still on. */
static void alloc_slow_traced(struct tracer_thread *t, void *p, size_t n)
{
	uint64_t now = tracer_now_ns();
	t->in_tracer++;
	uint64_t bytes = t->alloc_flushed_bytes + t->pending.alloc_bytes;
	uint64_t count = t->alloc_flushed_count + t->pending.alloc_count;
	int64_t to_check = alloc_check_left(t, bytes, count);
	if (to_check == 0) {
		struct burst_event ev;
		if (burst_check(&t->burst, &preload_cfg.burst, now, bytes, count, &ev))
			alloc_emit_burst(&ev);
		to_check = (int64_t)preload_cfg.alloc_check_bytes;
	}
	/* Samples are spaced in real bytes; the countdown's weights overstate
	 * them, so no sample point is ever passed without a visit. */
	if (t->alloc_sample_countdown != INT64_MAX) {
		t->alloc_sample_countdown -= (int64_t)(bytes - t->alloc_visit_bytes);
		if (t->alloc_sample_countdown <= 0 && p) {
			alloc_emit_sample(t, p, n);
			t->alloc_sample_countdown = alloc_next_sample(t);
		}
	}
	t->alloc_visit_bytes = bytes;
	t->in_tracer--;
	preload_counters_maybe_flush(t, now);
	alloc_arm(t, to_check);
}

__attribute__((noinline)) static void alloc_slow(struct tracer_thread *t, void *p, size_t n)
{
	if (t->in_tracer)
		return; /* LTTng or libunwind allocating under our slow path */
	int saved = errno;
	if (t->mode == TRACER_THREAD_NEW)
		tracer_thread_self(); /* sets the thread up once the tracer is ready */
	switch (t->mode) {
	case TRACER_THREAD_NEW:
		t->alloc_countdown = 0;
		break;
	case TRACER_THREAD_TRACED:
		alloc_slow_traced(t, p, n);
		break;
	default:
		t->alloc_countdown = INT64_MAX;
		break;
	}
	errno = saved;
}

/* The fast path, shared by every allocating entry point. The interposers
 * are built without a frame pointer (the library is built with one, for
 * its slow paths; stacks through them unwind from .eh_frame anyway) and
 * without SLP vectorization (which paired the two counter updates into an
 * SSE add spilled across the real call): each was a measurable part of a
 * ~2 ns budget. */
#define ALLOC_FAST __attribute__((optimize("omit-frame-pointer", "no-tree-slp-vectorize")))

static inline void alloc_note(void *p, size_t n)
{
	struct tracer_thread *t = &preload_tls;
	t->pending.alloc_bytes += n;
	t->pending.alloc_count++;
	/* Unsigned arithmetic: wraps instead of overflowing on absurd sizes. */
	t->alloc_countdown = (int64_t)((uint64_t)t->alloc_countdown - ((uint64_t)n + 64));
	if (PRELOAD_UNLIKELY(t->alloc_countdown < 0))
		alloc_slow(t, p, n);
}

void alloc_thread_setup(struct tracer_thread *t)
{
	/* Counting starts now: what the thread allocated before it was
	 * traced (the loader, other libraries' constructors) is not the
	 * program's work. */
	t->pending.alloc_bytes = 0;
	t->pending.alloc_count = 0;
	t->burst = (struct burst_state){ 0 };
	t->burst.last_bytes = t->alloc_visit_bytes = t->alloc_flushed_bytes;
	t->burst.last_count = t->alloc_flushed_count;
	t->rng = tracer_now_ns() * 0x9e3779b97f4a7c15ull ^ (uint64_t)t->tid;
	t->alloc_sample_countdown = alloc_next_sample(t);
	alloc_arm(t, (int64_t)preload_cfg.alloc_check_bytes);
}

void alloc_thread_finish(struct tracer_thread *t)
{
	if (t->mode != TRACER_THREAD_TRACED)
		return;
	t->in_tracer++;
	struct burst_event ev;
	uint64_t total_bytes = t->alloc_flushed_bytes + t->pending.alloc_bytes;
	uint64_t total_count = t->alloc_flushed_count + t->pending.alloc_count;
	/* One last check takes the tail since the previous one into account. */
	if (burst_check(&t->burst, &preload_cfg.burst, tracer_now_ns(), total_bytes,
			total_count, &ev) ||
	    burst_finish(&t->burst, &preload_cfg.burst, &ev))
		alloc_emit_burst(&ev);
	t->in_tracer--;
}

/* ---- interposers -------------------------------------------------------- */

PRELOAD_EXPORT ALLOC_FAST void *malloc(size_t n)
{
	if (!ALLOC_HAVE(malloc))
		return alloc_boot_take(n, 16);
	void *p = alloc_real.malloc(n);
	alloc_note(p, n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST void free(void *p)
{
	if (PRELOAD_UNLIKELY(alloc_is_boot(p)))
		return;
	if (ALLOC_HAVE(free))
		alloc_real.free(p);
}

PRELOAD_EXPORT ALLOC_FAST void *calloc(size_t count, size_t size)
{
	size_t n;
	if (__builtin_mul_overflow(count, size, &n))
		n = SIZE_MAX; /* the real calloc fails; counts as nothing */
	if (!ALLOC_HAVE(calloc))
		return n == SIZE_MAX ? (errno = ENOMEM, NULL) : alloc_boot_take(n, 16);
	void *p = alloc_real.calloc(count, size);
	alloc_note(p, n == SIZE_MAX ? 0 : n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST void *realloc(void *old, size_t n)
{
	if (PRELOAD_UNLIKELY(alloc_is_boot(old))) {
		/* Move out of the arena; the old block is simply abandoned. */
		if (n == 0)
			return NULL;
		void *p = malloc(n);
		if (p) {
			size_t keep = alloc_boot_size(old);
			memcpy(p, old, keep < n ? keep : n);
		}
		return p;
	}
	if (!ALLOC_HAVE(realloc))
		return old ? (errno = ENOMEM, NULL) : alloc_boot_take(n, 16);
	void *p = alloc_real.realloc(old, n);
	alloc_note(p, n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST int posix_memalign(void **out, size_t align, size_t n)
{
	if (!ALLOC_HAVE(posix_memalign)) {
		void *p = alloc_boot_take(n, align);
		if (!p)
			return ENOMEM;
		*out = p;
		return 0;
	}
	int r = alloc_real.posix_memalign(out, align, n);
	alloc_note(r == 0 ? *out : NULL, n);
	return r;
}

PRELOAD_EXPORT ALLOC_FAST void *aligned_alloc(size_t align, size_t n)
{
	if (!ALLOC_HAVE(aligned_alloc))
		return alloc_boot_take(n, align);
	void *p = alloc_real.aligned_alloc(align, n);
	alloc_note(p, n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST void *memalign(size_t align, size_t n)
{
	if (!ALLOC_HAVE(memalign))
		return alloc_boot_take(n, align);
	void *p = alloc_real.memalign(align, n);
	alloc_note(p, n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST void *valloc(size_t n)
{
	if (!ALLOC_HAVE(valloc))
		return alloc_boot_take(n, 4096);
	void *p = alloc_real.valloc(n);
	alloc_note(p, n);
	return p;
}

PRELOAD_EXPORT ALLOC_FAST void *pvalloc(size_t n)
{
	if (!ALLOC_HAVE(pvalloc))
		return alloc_boot_take((n + 4095) & ~(size_t)4095, 4096);
	void *p = alloc_real.pvalloc(n);
	alloc_note(p, n);
	return p;
}
