/*
 * The shared library of sym_prog: one ordinary exported function, so CPU
 * samples land in a library mapped at an address only the statedump tells.
 * The sym: markers delimit the function for test_symbolize_recorded.c.
 */
#include "sym_lib.h"

/* sym:lib_spin:begin */
uint64_t lib_spin(uint64_t seed, uint64_t n)
{
	uint64_t x = seed | 1;
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}
/* sym:lib_spin:end */
