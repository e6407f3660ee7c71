/*
 * `ctrace check`: latency budgets over a trace directory, for tests (see
 * check.h for what a budget means and check_cli.c for the output).
 */
#ifndef ANALYZER_CHECK_CLI_H
#define ANALYZER_CHECK_CLI_H

/* argv[0] is "check". Returns the exit status: 0 every budget holds, 1 a
 * budget is exceeded, 2 bad usage, an unusable trace or a budget naming no
 * region or task in it (unless --allow-missing). */
int check_main(int argc, char **argv);

#endif
