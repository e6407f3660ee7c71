/*
 * dlclose: code that goes away must not be unwound with rules cached for
 * it. libunwind's trace mode (unw_backtrace, stack.c and sample.c) keeps
 * a per-thread cache of frame rules keyed by address alone, with no way to
 * invalidate it; after a library is unmapped, another can be mapped at the
 * same addresses, and a stale rule there computes a wrong frame address,
 * which trace mode reads without checking. So a dlclose that unmapped an
 * object (glibc's dlpi_subs moved) flushes libunwind's global caches and
 * counts in preload_code_unmaps; threads set up before that unwind the
 * slow way, through unw_step and the flushed caches, from then on
 * (~0.5 us a frame instead of ~0.05). Threads set up later start with an
 * empty trace cache and keep the fast way until the next unmap.
 */
#include <dlfcn.h>
#include <link.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "preload.h"

uint32_t preload_code_unmaps;

static int dl_first_subs(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(unsigned long long *)data = info->dlpi_subs;
	return 1;   /* every entry carries the same counters */
}

static unsigned long long dl_unloads(void)
{
	unsigned long long subs = 0;
	dl_iterate_phdr(dl_first_subs, &subs);
	return subs;
}

PRELOAD_EXPORT int dlclose(void *handle)
{
	PRELOAD_REAL(dlclose);
	unsigned long long before = dl_unloads();
	int r = real_dlclose(handle);
	if (r == 0 && dl_unloads() != before) {
		unw_flush_cache(unw_local_addr_space, 0, 0);
		__atomic_add_fetch(&preload_code_unmaps, 1, __ATOMIC_RELAXED);
	}
	return r;
}
