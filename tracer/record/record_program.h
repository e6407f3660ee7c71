/*
 * The program to record: where it is (PATH search, as execvp would) and
 * whether the preload library can instrument it. LD_PRELOAD works only for
 * dynamically linked programs of our own architecture and ELF class, so a
 * static (or foreign) program can have its scheduling recorded, no more.
 */
#ifndef RECORD_PROGRAM_H
#define RECORD_PROGRAM_H

#include <limits.h>
#include <stdbool.h>

#include "record_util.h"

struct record_program {
	char path[PATH_MAX];       /* what to execve */
	bool instrumentable;       /* the preload library can be loaded into it */
	char why_not[256];         /* when not: a short reason for the user */
};

/* Finds name (searching PATH when it has no '/') and inspects the ELF file,
 * or the interpreter of a "#!" script. Fails, with a message, when the file
 * is missing, not a regular file, not executable or not in a format the
 * kernel runs. */
int record_program_resolve(const char *name, struct record_program *p, struct record_err *e);

/* Looks name up in PATH (default /usr/local/bin:/usr/bin:/bin) for an
 * executable regular file; writes its path to out. Returns 0 or -1. */
int record_program_find(const char *name, char *out, size_t len);

#endif
