/*
 * LTTng-UST's own code, told apart by address. LTTng-UST calls
 * pthread_mutex_lock/unlock like any program, through our interposers, and
 * some of those calls run on program threads outside any tracer call of
 * ours, so in_tracer does not cover them: the thread-specific-data
 * destructor that unregisters an exiting thread from LTTng's RCU holds the
 * registry mutex while it unlocks it. Emitting lock_release there (before
 * the real unlock, to precede the waiter's lock_wait) re-entered LTTng,
 * whose tracepoint re-registered the thread and locked that same mutex:
 * measured, progs/many_threads deadlocked about 1 run in 10. Lock events
 * are therefore never emitted for calls made from LTTng-UST's libraries;
 * their code ranges are found once, at start-up (they are dependencies of
 * this library, loaded before it).
 */
#include <link.h>
#include <string.h>

#include "preload.h"

#define LTTNG_CODE_RANGES 16

static struct {
	uintptr_t lo, hi;
} lttng_code[LTTNG_CODE_RANGES];
static unsigned lttng_code_n;

static int lttng_code_note(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "liblttng-ust"))
		return 0;
	for (unsigned i = 0; i < info->dlpi_phnum && lttng_code_n < LTTNG_CODE_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		lttng_code[lttng_code_n].lo = info->dlpi_addr + ph->p_vaddr;
		lttng_code[lttng_code_n].hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		lttng_code_n++;
	}
	return 0;
}

void preload_lttng_code_init(void)
{
	lttng_code_n = 0;
	dl_iterate_phdr(lttng_code_note, NULL);
}

bool preload_lttng_code(const void *ip)
{
	uintptr_t a = (uintptr_t)ip;
	for (unsigned i = 0; i < lttng_code_n; i++)
		if (a >= lttng_code[i].lo && a < lttng_code[i].hi)
			return true;
	return false;
}
