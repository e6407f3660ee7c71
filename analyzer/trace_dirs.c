/*
 * Walks a trace directory for the CTF traces inside it (see trace_dirs.h).
 * The tree is small (a handful of directories), so a plain recursive walk
 * with a depth bound is enough.
 */
#include "trace_dirs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer_error.h"

/* ust/uid/0/64-bit is 4 levels deep; anything much deeper is not ours. */
#define TRACE_DIRS_MAX_DEPTH 12

static int trace_dirs_add(struct analyzer_trace_dirs *dirs, const char *path,
			  struct analyzer_error *err)
{
	char **grown = realloc(dirs->paths, (dirs->count + 1) * sizeof *grown);
	if (!grown)
		return analyzer_error_set(err, "%s: out of memory", path);
	dirs->paths = grown;
	dirs->paths[dirs->count] = strdup(path);
	if (!dirs->paths[dirs->count])
		return analyzer_error_set(err, "%s: out of memory", path);
	dirs->count++;
	return 0;
}

static int trace_dirs_walk(const char *path, int depth, struct analyzer_trace_dirs *dirs,
			   struct analyzer_error *err)
{
	DIR *d = opendir(path);
	if (!d)
		return analyzer_error_set(err, "%s: cannot open directory: %s", path,
					  strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char child[4096];
		int n = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		if (n < 0 || (size_t)n >= sizeof child)
			continue;
		struct stat st;
		if (lstat(child, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode) && !strcmp(e->d_name, "metadata"))
			rc = trace_dirs_add(dirs, path, err);
		else if (S_ISDIR(st.st_mode) && depth < TRACE_DIRS_MAX_DEPTH)
			rc = trace_dirs_walk(child, depth + 1, dirs, err);
	}
	closedir(d);
	return rc;
}

static int trace_dirs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int analyzer_trace_dirs_find(const char *root, struct analyzer_trace_dirs *dirs,
			     struct analyzer_error *err)
{
	*dirs = (struct analyzer_trace_dirs){ 0 };
	struct stat st;
	if (stat(root, &st) != 0)
		return analyzer_error_set(err, "%s: %s", root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return analyzer_error_set(err, "%s: not a directory (expected a trace directory written by `ctrace record`)", root);
	if (trace_dirs_walk(root, 0, dirs, err) != 0)
		return -1;
	if (dirs->count > 1)
		qsort(dirs->paths, dirs->count, sizeof *dirs->paths, trace_dirs_cmp);
	return 0;
}

int analyzer_trace_dirs_single(const char *input, struct analyzer_trace_dirs *dirs,
			       struct analyzer_error *err)
{
	*dirs = (struct analyzer_trace_dirs){ 0 };
	dirs->paths = malloc(sizeof *dirs->paths);
	if (!dirs->paths || !(dirs->paths[0] = strdup(input)))
		return analyzer_error_set(err, "%s: out of memory", input);
	dirs->count = 1;
	return 0;
}

void analyzer_trace_dirs_free(struct analyzer_trace_dirs *dirs)
{
	for (size_t i = 0; i < dirs->count; i++)
		free(dirs->paths[i]);
	free(dirs->paths);
	*dirs = (struct analyzer_trace_dirs){ 0 };
}
