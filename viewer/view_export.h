/*
 * `E` in the viewer: a pprof profile of what is on screen, through the
 * analyzer's exporter (pprof_export.h). The visible time window is the
 * filter; a selected region adds its name, a selected thread item its
 * tid. CPU samples when the trace has them, else lock-wait time.
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
