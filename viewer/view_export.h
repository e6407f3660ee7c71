/*
 * `E` in the viewer: a pprof profile through the analyzer's exporter
 * (pprof_export.h), of the type chosen with Shift-E (s->export_type; CPU
 * samples by default when the trace has them, else lock-wait time). A
 * selected region or task exports every instance of its name over the
 * whole trace; otherwise the chosen range, else the visible window,
 * narrowed to the selected thread when there is one.
 */
#ifndef VIEW_EXPORT_H
#define VIEW_EXPORT_H

#include <stddef.h>

#include "view_data.h"
#include "view_state.h"

/* Writes the profile to path. 0 with a one-line summary in msg, or -1
 * with the reason in msg. */
int view_export_pprof(const struct view_data *d, const struct view_state *s, const char *path, char *msg,
		      size_t size);

#endif
