/*
 * What the trace-reading commands (`ctrace analyze`, `ctrace pprof`,
 * `ctrace view`) say alike on stderr: a trace directory argument, a
 * duration option, a trace that could not be loaded or was damaged. One
 * place, so the commands word these and choose exit statuses the same way.
 * cmd is the command's name as the user typed it ("analyze", "view").
 */
#ifndef ANALYZER_CLI_COMMON_H
#define ANALYZER_CLI_COMMON_H

#include <stdint.h>

#include "analyzer_error.h"
#include "model_load.h"

/* The one trace directory left in argv after getopt (argv[optind]), or
 * NULL after saying on stderr that there is none or more than one. */
const char *cli_trace_dir_arg(const char *cmd, int argc, char **argv);

/* Parses option opt's value arg ("250ms", "1.5s", "20us", ns) into *out:
 * 0, or -1 after saying on stderr what was expected. */
int cli_parse_duration(const char *cmd, const char *opt, const char *arg, uint64_t *out);

/* After model_load failed with err: says why on stderr and returns the
 * command's exit status (1 out of memory, 2 unusable trace). */
int cli_load_failed(const char *cmd, const struct analyzer_error *err);

/* After model_load succeeded: warns on stderr when the trace was damaged,
 * ending with covered (what the output still holds, e.g. "the report
 * covers what could be read"). */
void cli_warn_damaged(const char *cmd, const struct model_load_info *info, const char *covered);

/* Peak resident memory of this process so far, in MiB (0 when unknown),
 * for the commands' timing notes. */
double cli_peak_mib(void);

#endif
