/*
 * The trace directory: its name, its creation (mode 0700: a trace shows
 * what a program did, arguments and paths included), replacing an earlier
 * trace with --force, and file-tree chores (removal, size).
 */
#ifndef RECORD_FS_H
#define RECORD_FS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "record_util.h"

#define RECORD_RUN_INFO "ctrace-run.json"

/* Creates the trace directory and writes its absolute path to out.
 * requested NULL: ./ctrace-PROGRAM-YYYYmmdd-HHMMSS, with a numeric suffix if
 * that exists. Otherwise requested must not exist, unless force and it is an
 * earlier ctrace trace (it has RECORD_RUN_INFO) or empty: then it is replaced.
 * Returns 0, or -1 with e; *usage_error tells a user mistake (the directory
 * exists) from a system failure. */
int record_fs_make_trace_dir(const char *requested, const char *program, bool force,
			     char out[PATH_MAX], bool *usage_error, struct record_err *e);

/* Removes path and everything below it; symlinks are removed, not followed. */
void record_fs_remove_tree(const char *path);

/* Total size in bytes of the regular files below path. */
uint64_t record_fs_tree_bytes(const char *path);

#endif
