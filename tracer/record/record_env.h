/*
 * Environments of the processes `ctrace record` starts: the program's (the
 * user's environment plus LD_PRELOAD of ctrace's preload library and LTTng's
 * helper libraries, the CTRACE_* settings and LTTng-UST switches) and the
 * helpers' (plus LTTNG_HOME when a private daemon needs it).
 */
#ifndef RECORD_ENV_H
#define RECORD_ENV_H

#include <stddef.h>

#include "record_args.h"
#include "record_util.h"

/* A copy of base where each "NAME=VALUE" of set replaces or adds NAME.
 * The caller owns the array and its strings: free with record_env_free. */
char **record_env_with(char *const *base, char *const *set, size_t nset);
void record_env_free(char **env);

/* Where libctrace-preload.so is: $CTRACE_PRELOAD if set, else next to the
 * `ctrace` binary at CTRACE_PRELOAD_RELDIR (same layout built and installed).
 * Fails when the file is not readable. */
int record_env_preload_path(char *out, size_t len, struct record_err *e);

/* The program's environment: base plus instrumentation (when preload is
 * non-NULL), settings from o, and LTTNG_HOME when lttng_home is non-NULL.
 * Owned by the caller (record_env_free). */
char **record_env_program(char *const *base, const struct record_options *o,
			  const char *preload, const char *lttng_home);

#endif
