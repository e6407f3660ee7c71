/*
 * `ctrace pprof`: read a trace directory, build the model and write one
 * pprof profile of it (pprof_export.h) for `go tool pprof`.
 */
#ifndef ANALYZER_PPROF_CLI_H
#define ANALYZER_PPROF_CLI_H

/* argv[0] is "pprof". Returns the exit status: 0 written, 2 bad usage,
 * unusable trace, a type the trace has no data for or an empty selection,
 * 1 out of memory or a failed write. */
int pprof_main(int argc, char **argv);

#endif
