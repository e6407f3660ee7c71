/*
 * The `ctrace` command: one binary, one subcommand per job. Each subcommand
 * lives in its module (record in tracer/record, analyze and pprof in
 * analyzer/, view in viewer/) and gets argv from its own name on.
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "check_cli.h"
#include "diff_cli.h"
#include "pprof_cli.h"
#include "record_check.h"
#include "view.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct cli_command cli_commands[] = {
	{ "record", cli_record_main, "run a program and capture its trace" },
	{ "analyze", analyze_main, "report where a trace's time went" },
	{ "view", view_main, "show a trace as an interactive timeline" },
	{ "pprof", pprof_main, "write a pprof profile of a trace for go tool pprof" },
	{ "diff", diff_main, "compare two traces: what got slower and why" },
	{ "check", check_main, "check latency budgets of a trace (for tests)" },
};

static void cli_usage(FILE *out)
{
	fprintf(out, "usage: ctrace COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out, "\nexample:\n"
		     "  ctrace record -o trace -- ./myprog ARGS...   record myprog into ./trace\n"
		     "  babeltrace2 trace                              see every event\n"
		     "\n`ctrace COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		cli_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("ctrace %s\n", CTRACE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
		if (!strcmp(cmd, cli_commands[i].name))
			return cli_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ctrace: unknown command '%s' (try 'ctrace --help')\n", cmd);
	return 2;
}
