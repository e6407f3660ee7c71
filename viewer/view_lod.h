/*
 * A state-timeline summary pyramid, built once per thread at load time so
 * that a pixel column holding thousands of state changes is summarised in
 * a few steps instead of a walk over all of them.
 *
 * Level 0 cuts the thread's timeline into buckets of a power-of-two width
 * chosen so there are about as many buckets as intervals; each bucket
 * holds the share of its width each state took, in 1/65535ths (12 bytes).
 * Level k+1 averages pairs of level k. All levels together hold under two
 * buckets per interval: under 24 bytes per interval.
 */
#ifndef VIEW_LOD_H
#define VIEW_LOD_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct view_lod_cell {
	uint16_t share[MODEL_NSTATES];
};

/* Where each level's buckets are, shared by both kinds of pyramid. */
struct view_lod_levels {
	uint64_t origin;            /* start of bucket 0 of every level */
	unsigned shift0;            /* level 0 bucket width: 1 << shift0 ns */
	unsigned nlevels;
	size_t off[48], n[48];      /* per level: first cell and count */
};

struct view_lod {
	struct view_lod_levels lv;
	struct view_lod_cell *cells;
};

/* A CPU row's pyramid: per bucket, the thread (or MODEL_CPU_IDLE /
 * MODEL_CPU_UNKNOWN) that held the CPU longest and its share; a level
 * keeps the larger of each pair below. 8 bytes per bucket. */
struct view_cpu_lod_cell {
	uint32_t thread;
	uint16_t share;
	uint16_t reserved;
};

struct view_cpu_lod {
	struct view_lod_levels lv;
	struct view_cpu_lod_cell *cells;
};

int view_cpu_lod_build(const struct model_cpu *c, uint64_t end, struct view_cpu_lod *lod);
void view_cpu_lod_free(struct view_cpu_lod *lod);
/* The thread holding the CPU longest in [ta, tb), estimated. */
uint32_t view_cpu_lod_dominant(const struct view_cpu_lod *lod, uint64_t ta, uint64_t tb);

/* Builds the pyramid of t's timeline. 0, or -1 when out of memory. A
 * thread without intervals gets an empty pyramid. */
int view_lod_build(const struct model_thread *t, struct view_lod *lod);
void view_lod_free(struct view_lod *lod);

/* The state with the most time in [ta, tb), estimated from the finest
 * level whose buckets are at most a quarter of the span. */
enum model_state view_lod_dominant(const struct view_lod *lod, uint64_t ta, uint64_t tb);

/* Exact dominant state of intervals [first, last) of t within [ta, tb). */
enum model_state view_lod_dominant_exact(const struct model_thread *t, size_t first, size_t last,
					 uint64_t ta, uint64_t tb);

#endif
