/*
 * `ctrace record` as the command runs it: the recording (tracer/record),
 * then, with --check, the budgets on the trace it left (analyzer/check).
 * The composition lives here so the recorder never links the analyzer:
 * data flows one way, record → trace directory → analyzer.
 */
#ifndef CLI_RECORD_CHECK_H
#define CLI_RECORD_CHECK_H

/* argv[0] is "record". Returns the exit status: record's (the program's,
 * or record's own 2 / 125) when it is not 0 or there is nothing to check;
 * else check's (0 all budgets hold, 1 one is exceeded, 2 unusable). */
int cli_record_main(int argc, char **argv);

#endif
