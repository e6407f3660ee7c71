/*
 * Stack capture for events emitted outside signal handlers (sampled
 * allocations, sampled lock releases); the signal handler's unwinding from
 * the interrupted context is in sample.c.
 *
 * libunwind's unw_backtrace follows .eh_frame, so -O2 code without frame
 * pointers (all of Debian's libraries) unwinds correctly, and caches the
 * unwind rules of each return address, which makes repeated captures from
 * the same call sites cheap. The frames of the tracer itself (the
 * interposer, its slow path, this function) are dropped: a stack starts at
 * the program's call into the interposed function.
 *
 * in_unwind is set for the duration: libunwind is not reentrant, so a
 * sampling signal landing meanwhile records its sample without a stack.
 */
#include <dlfcn.h>
#include <link.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "preload.h"

/* The address range of this library's mappings, found once. */
static uintptr_t stack_self_lo, stack_self_hi;

static int stack_find_self(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	uintptr_t here = (uintptr_t)arg, lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	if (here < lo || here >= hi)
		return 0;
	stack_self_lo = lo;
	__atomic_store_n(&stack_self_hi, hi, __ATOMIC_RELEASE);
	return 1;
}

static bool stack_is_self(uintptr_t ip)
{
	if (!__atomic_load_n(&stack_self_hi, __ATOMIC_ACQUIRE))
		dl_iterate_phdr(stack_find_self, (void *)(uintptr_t)&stack_find_self);
	return ip >= stack_self_lo && ip < stack_self_hi;
}

/* The addresses of the stack: unw_backtrace fills void *s, the checked
 * way uint64_t's; the same bytes on x86_64. */
union stack_raw {
	void *p[256 + 16];
	uint64_t u[256 + 16];
};
_Static_assert(sizeof(void *) == sizeof(uint64_t), "frames are stored as 64-bit addresses");

uint16_t preload_stack_capture(struct tracer_thread *t, uint64_t *frames, uint16_t max)
{
	/* Room for our own frames on top of the ones kept. */
	enum { OWN = 16 };
	union stack_raw raw;
	if (max > 256)
		max = 256;
	t->in_tracer++;
	t->in_unwind = 1;
	int n;
	if (PRELOAD_UNLIKELY(preload_unwind_cache_stale(t))) {
		unw_context_t uc;
		uint8_t flags = 0;
		n = unw_getcontext(&uc) == 0 ? preload_unwind_checked(&uc, 0, raw.u, max + OWN, &flags) : 0;
		for (int k = 0; k < n; k++)
			raw.p[k] = (void *)(uintptr_t)raw.u[k];
	} else {
		n = unw_backtrace(raw.p, max + OWN);
	}
	t->in_unwind = 0;
	/* raw[0] is inside the unwinder or here, then come our frames. */
	int i = n > 0 ? 1 : 0;
	while (i < n && stack_is_self((uintptr_t)raw.p[i]))
		i++;
	uint16_t kept = 0;
	for (; i < n && kept < max; i++)
		frames[kept++] = (uint64_t)(uintptr_t)raw.p[i];
	t->in_tracer--;
	return kept;
}
