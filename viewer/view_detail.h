/*
 * Words for an item of the timeline: a short tooltip (name, start,
 * duration, one line of details) or the full details panel (a region's
 * state breakdown and what it waited for, a wait's lock, holder and the
 * holder's region, a syscall's call, fd and result).
 */
#ifndef VIEW_DETAIL_H
#define VIEW_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "view_data.h"
#include "view_state.h"

#define VIEW_LINE_MAX 160

/* Writes up to max lines; returns how many. full: the details panel. */
size_t view_detail_lines(const struct view_data *d, struct view_item it, bool full,
			 char (*lines)[VIEW_LINE_MAX], size_t max);

/* Totals of the time range [a, b) (either order): the shown threads'
 * time per state summed, the threads that waited most, and the top
 * functions of the CPU samples inside it. */
size_t view_detail_range_lines(const struct view_data *d, uint64_t a, uint64_t b,
			       char (*lines)[VIEW_LINE_MAX], size_t max);

/* Spike k of the analysis in a line: "region NAME 24.8 ms at +1.2 s,
 * 22.4x its median, cause lock_wait". */
void view_detail_spike(const struct view_data *d, const struct analysis *an, size_t k, char *buf,
		       size_t size);

/* The spike list (K): spikes [first, first + max) numbered from 1. */
size_t view_detail_spike_lines(const struct view_data *d, size_t first, char (*lines)[VIEW_LINE_MAX],
			       size_t max);

#endif
