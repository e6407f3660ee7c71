/*
 * A plugin for progs/unmap_reuse, built twice: UNMAP_BIG=1 gives `hot` a
 * 16 KiB stack frame, UNMAP_BIG=0 a small one, at the same place in the
 * same-sized library, so that the second, loaded where the first was
 * unloaded, runs code at addresses whose frame rules differ.
 */
#include <stdint.h>

#ifndef UNMAP_BIG
#error "build with -DUNMAP_BIG=0 or 1"
#endif

__attribute__((noinline)) uint64_t hot(uint64_t n)
{
#if UNMAP_BIG
	volatile uint8_t frame[16384];
	uint64_t sum = 0;
	for (uint64_t i = 0; i < n; i++) {
		frame[i % sizeof frame] = (uint8_t)i;
		sum += frame[(i * 7) % sizeof frame];
	}
	return sum;
#else
	volatile uint64_t acc[4] = { 0 };
	uint64_t sum = 0;
	for (uint64_t i = 0; i < n; i++) {
		acc[i % 4] += i;
		sum += acc[(i * 3) % 4];
	}
	return sum;
#endif
}
