/*
 * The recorded program's process. It is forked early and waits on a pipe,
 * so perf can be attached to its pid before it executes its first
 * instruction; then it is released and execs the program with its own
 * stdin/stdout/stderr, working directory and our process group.
 */
#ifndef RECORD_CHILD_H
#define RECORD_CHILD_H

#include <sys/types.h>

#include "record_util.h"

struct record_child {
	pid_t pid;
	int release_fd;   /* write end: one byte lets it exec */
	int exec_fd;      /* read end: errno of a failed exec, EOF on success */
};

/* Forks the child, which waits for record_child_release. Must be called
 * while the recorder is single-threaded (the child may allocate). */
int record_child_spawn(struct record_child *c, const char *path, char *const argv[],
		       char *const envp[], struct record_err *e);

/* Lets the child exec and waits until it did. Returns -1 with e if the exec
 * failed (the child then exits with status 127). */
int record_child_release(struct record_child *c, struct record_err *e);

/* Waits for the child to end; returns its wait status. */
int record_child_wait(struct record_child *c);

/* Kills and reaps a child that was never released (set-up failed). */
void record_child_abort(struct record_child *c);

/* The shell's convention: the exit code, or 128+N for signal N. */
int record_child_exit_code(int status);

#endif
