/*
 * The clock the scheduling trace shares with the LTTng trace. babeltrace2
 * merges the two only if their clock classes match, so the sched metadata
 * carries a verbatim copy of LTTng's `clock { ... };` block (name, uuid,
 * frequency, offset). Without an LTTng trace (nothing instrumentable, or
 * no event recorded) an equivalent CLOCK_MONOTONIC block is made up.
 * Either way the block says `absolute = true`, as babeltrace2 assumes of
 * LTTng's own monotonic clock.
 */
#ifndef RECORD_CLOCK_H
#define RECORD_CLOCK_H

#include <stddef.h>

#include "record_util.h"

/* Finds the first LTTng metadata file under ust_dir (ust/uid/ANY/ANY/metadata
 * or ust/pid/...), decodes it (it is usually packetized) and copies its
 * clock block into block and the clock's name into name. Returns 0, or -1
 * when there is none. */
int record_clock_from_lttng(const char *ust_dir, struct record_buf *block, char *name, size_t len);

/* A clock block for CLOCK_MONOTONIC with the current offset from the epoch
 * and a fresh uuid; name gets "monotonic". */
void record_clock_make(struct record_buf *block, char *name, size_t len);

#endif
