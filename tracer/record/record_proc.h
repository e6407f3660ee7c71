/*
 * Helper processes of `ctrace record` (the lttng client, the session daemon
 * launcher): run to completion with their output captured, out of the
 * terminal's reach. Only the traced program shares our process group, so a
 * Ctrl-C meant for it cannot kill the tools that must finish the trace.
 */
#ifndef RECORD_PROC_H
#define RECORD_PROC_H

#include "record_util.h"

/* Runs path (absolute) with argv and envp; stdin is /dev/null, stdout and
 * stderr go to out (appended) or to /dev/null when out is NULL. Waits for
 * it and stores its wait status. Returns 0, or -1 with e when it could not
 * be started. */
int record_proc_run(const char *path, char *const argv[], char *const envp[],
		    struct record_buf *out, int *status, struct record_err *e);

/* "exit status 3", "killed by signal 9": for messages. */
const char *record_proc_describe(int status, char *buf, size_t len);

#endif
