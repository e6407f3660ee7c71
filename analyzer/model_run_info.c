/* DIR/ctrace-run.json, the parts readers need (model_run_info.h). The file is
 * written by ctrace record with a fixed layout (record_run_info.c), so
 * looking keys up is enough; anything unexpected just leaves a field 0. */
#include "model_run_info.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUN_INFO_MAX 65536

static int64_t run_clock_offset(const char *text)
{
	const char *s = strstr(text, "\"start\":");
	const char *u = s ? strstr(s, "\"utc\": \"") : NULL;
	const char *mo = s ? strstr(s, "\"monotonic_ns\": ") : NULL;
	if (!u || !mo)
		return 0;
	struct tm tm = { 0 };
	const char *rest = strptime(u + strlen("\"utc\": \""), "%Y-%m-%dT%H:%M:%S", &tm);
	unsigned long frac = 0;
	if (!rest || sscanf(rest, ".%9lu", &frac) != 1)
		return 0;
	uint64_t mono = strtoull(mo + strlen("\"monotonic_ns\": "), NULL, 10);
	int64_t real = (int64_t)timegm(&tm) * 1000000000 + (int64_t)frac;
	return mono ? real - (int64_t)mono : 0;
}

void analyzer_run_info_read(const char *dir, struct analyzer_run_info *out)
{
	*out = (struct analyzer_run_info){ 0 };
	char path[4200];
	snprintf(path, sizeof path, "%s/ctrace-run.json", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char *text = malloc(RUN_INFO_MAX);
	if (!text) {
		fclose(f);
		return;
	}
	size_t n = fread(text, 1, RUN_INFO_MAX - 1, f);
	fclose(f);
	text[n] = 0;
	out->found = true;
	out->clock_offset_ns = run_clock_offset(text);
	const char *pid = strstr(text, "\"pid\": ");
	if (pid)
		out->root_pid = (int32_t)strtol(pid + strlen("\"pid\": "), NULL, 10);
	const char *h = strstr(text, "\"history_begin_ns\": ");
	if (h)
		out->history_begin_ns = strtoull(h + strlen("\"history_begin_ns\": "), NULL, 10);
	free(text);
}
