/*
 * The reader's salvage of damaged traces: a stand-in directory holding
 * only the stream files of a CTF trace that babeltrace2 can open (see
 * reader_salvage.c). Internal to reader.c.
 */
#ifndef ANALYZER_READER_SALVAGE_H
#define ANALYZER_READER_SALVAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <babeltrace2/babeltrace.h>

/* A temporary directory of links to trace_dir's metadata and to each of
 * its stream files that src.ctf.fs (fs) opens alone, or NULL when none
 * does (or the metadata is unreadable). Adds the files left out to
 * *skipped and names the first in first_skipped. The result is malloc'd;
 * remove the directory with reader_salvage_remove, then free it. */
char *reader_salvage(const bt_component_class_source *fs, const char *trace_dir,
		     uint32_t *skipped, char *first_skipped, size_t size);
void reader_salvage_remove(const char *dir);

/* A stand-in directory: a new temporary BASE/trace holding a link to
 * src_dir's metadata (src_dir absolute), for links to some of its stream
 * files (reader_stand_in_link). NULL on failure. malloc'd: remove with
 * reader_salvage_remove, then free. Also used to read a trace in parts
 * (reader_split.h). */
char *reader_stand_in_create(const char *src_dir);
/* Links src_dir/name into the stand-in; 0 or -1. */
int reader_stand_in_link(const char *stand_in, const char *src_dir, const char *name);

/* Whether src.ctf.fs opens the trace in dir (tried in a graph of its own:
 * a failed component leaves a graph unusable). When not, why (if not
 * NULL) receives babeltrace2's causes as ": cause; cause". */
bool reader_salvage_opens(const bt_component_class_source *fs, const char *dir, char *why,
			  size_t size);

/* Takes (and clears) the thread's babeltrace2 error, formatting its causes
 * as ": cause; cause" into buf; returns the length (0: no cause). In
 * reader.c. */
size_t reader_take_error_causes(char *buf, size_t size);

#endif
