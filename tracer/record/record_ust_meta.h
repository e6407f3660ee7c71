/*
 * What `ctrace record` needs from the LTTng trace it leaves in DIR/ust:
 *  - its clock. babeltrace2 merges the sched trace with it only if their
 *    clock classes match, so the sched metadata carries a verbatim copy of
 *    LTTng's `clock { ... };` block (name, uuid, frequency, offset). Without
 *    an LTTng trace an equivalent CLOCK_MONOTONIC block is made up. Either
 *    way the block says `absolute = true`, as babeltrace2 assumes of LTTng's
 *    own monotonic clock.
 *  - whether it is readable: a program killed while LTTng-UST was still
 *    registering leaves per-UID stream files but no stream class in the
 *    metadata, and babeltrace2 then refuses the whole directory.
 */
#ifndef RECORD_UST_META_H
#define RECORD_UST_META_H

#include <stdbool.h>
#include <stddef.h>

#include "record_util.h"

/* Removes every LTTng trace under ust_dir whose metadata declares no
 * stream (nothing of the program was recorded in it), and ust_dir itself
 * if nothing is left. Returns how many traces remain. */
int record_ust_meta_prune(const char *ust_dir);

/* Copies the clock block of the first LTTng trace under ust_dir into block
 * and the clock's name into name. Returns 0, or -1 when there is none. */
int record_ust_meta_clock(const char *ust_dir, struct record_buf *block, char *name, size_t len);

/* A clock block for CLOCK_MONOTONIC with the current offset from the epoch
 * and a fresh uuid; name gets "monotonic". */
void record_ust_meta_make_clock(struct record_buf *block, char *name, size_t len);

#endif
