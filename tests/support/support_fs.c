/* Temporary directories of the integration tests (see support.h). */
#define _GNU_SOURCE
#include "support.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *support_tmpdir_create(void)
{
	const char *base = getenv("TMPDIR");
	char templ[4096];
	snprintf(templ, sizeof templ, "%s/ctrace-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(templ)) {
		perror("ctrace test: mkdtemp");
		return NULL;
	}
	return strdup(templ);
}

static int support_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		perror(path);
	return 0;
}

int support_tree_remove(const char *path)
{
	if (!path)
		return 0;
	return nftw(path, support_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
