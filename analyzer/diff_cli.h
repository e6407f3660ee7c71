/*
 * `ctrace diff`: read two trace directories, analyze both and report what
 * changed between them (diff.h), optionally with a pprof profile of each.
 */
#ifndef ANALYZER_DIFF_CLI_H
#define ANALYZER_DIFF_CLI_H

/* argv[0] is "diff". Returns the exit status: 0 compared, 2 bad usage or
 * an unusable trace (or --pprof's type has no data), 1 out of memory or a
 * failed write. */
int diff_main(int argc, char **argv);

#endif
