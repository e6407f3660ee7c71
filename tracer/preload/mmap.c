/*
 * Large mappings: mmap/munmap of at least preload_cfg.mmap_min_bytes become
 * `mmap` events, so memory a program takes outside malloc (or gives back)
 * shows up next to its allocations. Smaller ones cost one compare.
 * malloc's own mmaps for large blocks go through libc's internal alias and
 * are not seen here; those allocations are counted by alloc.c already.
 */
#include <errno.h>
#include <sys/mman.h>

#include "preload.h"
#include "../provider/ctrace_tp.h"

static void mmap_emit(void *addr, size_t len, uint8_t unmap)
{
	struct tracer_thread *t = preload_thread();
	if (!t)
		return;
	int saved = errno;
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, mmap, (uint64_t)(uintptr_t)addr, len, unmap);
	t->in_tracer--;
	errno = saved;
}

/* Before preload_init read the settings the threshold is 0: preload_thread
 * then says no, as the tracer is not ready. */
#define MMAP_BIG(len) PRELOAD_UNLIKELY((len) >= preload_cfg.mmap_min_bytes)

PRELOAD_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	PRELOAD_REAL(mmap);
	void *p = real_mmap(addr, len, prot, flags, fd, off);
	if (MMAP_BIG(len) && p != MAP_FAILED)
		mmap_emit(p, len, 0);
	return p;
}

PRELOAD_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	PRELOAD_REAL(mmap64);
	void *p = real_mmap64(addr, len, prot, flags, fd, off);
	if (MMAP_BIG(len) && p != MAP_FAILED)
		mmap_emit(p, len, 0);
	return p;
}

PRELOAD_EXPORT int munmap(void *addr, size_t len)
{
	PRELOAD_REAL(munmap);
	int r = real_munmap(addr, len);
	if (MMAP_BIG(len) && r == 0)
		mmap_emit(addr, len, 1);
	return r;
}
