/*
 * The LTTng recording session, driven through the `lttng` client (absolute
 * path, --no-sessiond so it never spawns a daemon of its own). One channel
 * "ctrace" of per-UID, per-CPU ring buffers (4 sub-buffers), lossless by
 * default (the program blocks while buffers are full) or discarding;
 * events ctrace:*, lttng_ust_statedump:*, lttng_ust_dl:*; contexts vpid,
 * vtid. Every command names the session: the daemon may be the user's.
 */
#ifndef RECORD_SESSION_H
#define RECORD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "record_args.h"
#include "record_daemon.h"
#include "record_util.h"

#define RECORD_UST_DIR "ust"

struct record_session {
	char name[96];
	const struct record_daemon *daemon;
	bool created;
	bool stopped;            /* all data is on disk */
};

/* Creates the session writing into trace_dir, configures and starts it.
 * On failure the session is destroyed again. */
int record_session_start(struct record_session *s, const struct record_daemon *d,
			 const char *trace_dir, const struct record_options *o,
			 struct record_err *e);

/* Stops tracing and waits until all data is on disk; adds the events the
 * channel discarded (summed as signed 64-bit: LTTng's per-packet counts
 * were seen to go backwards) to *discarded. */
int record_session_stop(struct record_session *s, int64_t *discarded, struct record_err *e);

/* Runs `lttng --no-sessiond ARGS...` against s's daemon (at most 14
 * arguments); the client's output in out when non-NULL. Fails with the
 * client's own message. For other session kinds (record_flight). */
int record_session_lttng(const struct record_session *s, struct record_buf *out,
			 struct record_err *e, const char *const *args, size_t nargs);

/* Destroys the session (no-op if it was not created). */
int record_session_destroy(struct record_session *s, struct record_err *e);

#endif
