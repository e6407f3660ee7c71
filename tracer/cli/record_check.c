/*
 * `ctrace record --check` (record_check.h). The budgets are validated
 * before anything runs (a typo must not cost a whole test run), then
 * record runs as usual and `ctrace check` runs on its trace directory with
 * the same budgets. The test's own failure wins: a non-zero status of the
 * program is returned as it is, after the budgets were still checked and
 * printed (a timed-out or crashed test's slow regions are worth seeing).
 */
#include "record_check.h"

#include <stdio.h>

#include "check.h"
#include "check_cli.h"
#include "record.h"
#include "record_args.h"

/* 2 when a --check budget is malformed (said on stderr), else 0. */
static int validate_checks(const struct record_options *o)
{
	for (size_t i = 0; i < o->n_checks; i++) {
		struct check_budget b;
		char msg[200];
		if (check_budget_parse(o->checks[i], &b, msg, sizeof msg) != 0) {
			fprintf(stderr, "ctrace record: --check '%s': %s\n", o->checks[i], msg);
			return 2;
		}
	}
	return 0;
}

int cli_record_main(int argc, char **argv)
{
	/* Parsed here only for the budgets: record_run parses argv again and
	 * reports every other mistake itself. */
	static struct record_options o;
	struct record_err e;
	if (record_args_parse(argc, argv, &o, &e) != RECORD_ARGS_RUN || !o.n_checks)
		return record_main(argc, argv);
	if (validate_checks(&o) != 0)
		return 2;
	struct record_outcome out;
	int status = record_run(argc, argv, &out);
	if (!out.traced)
		return status;
	/* ctrace check --budget B1 --budget B2 ... DIR */
	char *cargv[3 + 2 * RECORD_CHECKS_MAX + 1];
	int cargc = 0;
	cargv[cargc++] = "check";
	/* A failed program may never have reached a region: not an error
	 * on top of its own. */
	if (status != 0)
		cargv[cargc++] = "--allow-missing";
	for (size_t i = 0; i < o.n_checks; i++) {
		cargv[cargc++] = "--budget";
		cargv[cargc++] = (char *)o.checks[i];
	}
	cargv[cargc++] = out.dir;
	cargv[cargc] = NULL;
	fflush(stdout);
	int check_status = check_main(cargc, cargv);
	if (status != 0) {
		fprintf(stderr, "ctrace record: the program failed (exit status %d): that status wins over "
			"the budgets\n", status);
		return status;
	}
	return check_status;
}
