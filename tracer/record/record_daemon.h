/*
 * The LTTng session daemon a recording talks to. The user's own daemon is
 * used when one is running (root: the global one in /var/run/lttng; others:
 * the one under $LTTNG_HOME or $HOME). Otherwise a private daemon is started
 * and later stopped by its PID, never by name:
 *  - root: LTTng's run directory is fixed, so ctrace record moves itself into
 *    a mount namespace of its own with a tmpfs over /run/lttng; the daemon,
 *    the lttng client and the traced program inherit it. Several recordings
 *    can run at once, next to a system daemon, without seeing each other.
 *  - other users: LTTNG_HOME points daemon, client and program at a private
 *    directory.
 * The lttng client always runs with LTTNG_HOME set to a scratch directory so
 * it never rewrites the user's ~/.lttngrc (its "current session").
 */
#ifndef RECORD_DAEMON_H
#define RECORD_DAEMON_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "record_util.h"

struct record_daemon {
	bool is_private;            /* started by us: stop it */
	pid_t pid;                  /* private daemon's pid */
	int pidfd;                  /* to wait for its end; -1 if unavailable */
	char scratch[PATH_MAX];     /* our temporary directory, removed at the end */
	char ust_home[PATH_MAX];    /* LTTNG_HOME for the program; "" = leave as is */
	char lttng[PATH_MAX];       /* the lttng client */
	char **client_env;          /* environment for lttng client runs */
};

/* Finds the tools, makes the scratch directory and attaches to the user's
 * daemon or starts a private one (always private when force_private).
 * Must run before any thread is created (unshare needs that). On failure
 * everything done so far is undone. */
int record_daemon_setup(struct record_daemon *d, bool force_private, struct record_err *e);

/* Stops a private daemon (SIGTERM, then SIGKILL after a few seconds) and
 * waits for it to be gone; removes the scratch directory. Safe to call on a
 * zeroed or half set-up struct. Returns -1 with e if the daemon would not die. */
int record_daemon_teardown(struct record_daemon *d, struct record_err *e);

#endif
