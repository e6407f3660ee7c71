/*
 * The time axis: tick spacing on a 1-2-5 scale and tick labels whose unit
 * (ns, µs, ms, s) follows the value and whose decimals follow the spacing,
 * so neighbouring labels always differ.
 */
#ifndef VIEW_AXIS_TICKS_H
#define VIEW_AXIS_TICKS_H

#include <stddef.h>
#include <stdint.h>

/* The smallest 1-2-5 step (ns, at least 1) that puts ticks min_px apart. */
uint64_t view_axis_step(double ns_per_px, int min_px);

/* Label of the tick at rel_ns after the trace's start, e.g. "1.25 ms". */
const char *view_axis_label(uint64_t rel_ns, uint64_t step, char *buf, size_t size);

#endif
