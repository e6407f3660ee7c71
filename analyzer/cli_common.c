/*
 * Messages the trace-reading commands share (cli_common.h).
 */
#include "cli_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_units.h"

const char *cli_trace_dir_arg(const char *cmd, int argc, char **argv)
{
	if (optind == argc - 1)
		return argv[optind];
	fprintf(stderr, "ctrace %s: %s (usage: ctrace %s [options] DIR)\n", cmd,
		optind >= argc ? "no trace directory given" : "one trace directory only", cmd);
	return NULL;
}

int cli_parse_duration(const char *cmd, const char *opt, const char *arg, uint64_t *out)
{
	if (units_parse_duration(arg, out))
		return 0;
	fprintf(stderr, "ctrace %s: %s '%s': expected a duration such as 250ms, 1.5s or 20us\n", cmd,
		opt, arg);
	return -1;
}

int cli_load_failed(const char *cmd, const struct analyzer_error *err)
{
	fprintf(stderr, "ctrace %s: %s\n", cmd, err->msg);
	return strstr(err->msg, "out of memory") ? 1 : 2;
}

void cli_warn_damaged(const char *cmd, const struct model_load_info *info, const char *covered)
{
	if (info->damaged)
		fprintf(stderr, "ctrace %s: warning: %s; %s\n", cmd, info->damage, covered);
}

double cli_peak_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kib = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kib = strtod(line + 6, NULL);
	if (f)
		fclose(f);
	return kib / 1024;
}
