/*
 * Finding the CTF traces inside a ctrace trace directory: every directory
 * that holds a `metadata` file is one trace that src.ctf.fs can open.
 */
#ifndef ANALYZER_TRACE_DIRS_H
#define ANALYZER_TRACE_DIRS_H

#include <stddef.h>

#include "reader.h"

/* A list of directory paths, sorted; owned by the list. */
struct analyzer_trace_dirs {
	char **paths;
	size_t count;
};

/* Fills dirs with every directory under root (root included, symbolic
 * links not followed) that contains a regular file named `metadata`.
 * Returns 0 on success (count may be 0), -1 with err filled when root is
 * not a readable directory or memory ran out. Free with
 * analyzer_trace_dirs_free, also after a failure. */
int analyzer_trace_dirs_find(const char *root, struct analyzer_trace_dirs *dirs,
			     struct analyzer_error *err);
/* A list holding input alone: an lttng-live URL is one trace, with no
 * directory to look into. */
int analyzer_trace_dirs_single(const char *input, struct analyzer_trace_dirs *dirs,
			       struct analyzer_error *err);
void analyzer_trace_dirs_free(struct analyzer_trace_dirs *dirs);

#endif
