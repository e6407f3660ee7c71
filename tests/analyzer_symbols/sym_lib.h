/* The shared library of sym_prog (see sym_prog.c). */
#ifndef SYM_LIB_H
#define SYM_LIB_H

#include <stdint.h>

/* Burns about n iterations of integer work; returns a checksum. */
uint64_t lib_spin(uint64_t seed, uint64_t n);

#endif
