/* Trace directory and file-tree helpers (see record_fs.h). */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record_fs.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void record_fs_remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t tree_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		tree_bytes += (uint64_t)st->st_size;
	return 0;
}

uint64_t record_fs_tree_bytes(const char *path)
{
	tree_bytes = 0;
	nftw(path, add_size, 16, FTW_PHYS);
	return tree_bytes;
}

/* An earlier trace we may replace: it has a run-info file, or is empty. */
static bool replaceable(const char *dir)
{
	char p[PATH_MAX + 32];
	snprintf(p, sizeof p, "%s/%s", dir, RECORD_RUN_INFO);
	if (access(p, F_OK) == 0)
		return true;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool empty = true;
	struct dirent *de;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

static int make_dir(const char *path, char out[PATH_MAX], struct record_err *e)
{
	if (mkdir(path, 0700) < 0)
		return -1;
	/* mkdir honours the umask; the mode is meant exactly. */
	if (chmod(path, 0700) < 0 || !realpath(path, out)) {
		int err = errno;
		rmdir(path);
		errno = err;
		return record_err_set(e, "%s: %s", path, strerror(err));
	}
	return 0;
}

int record_fs_make_trace_dir(const char *requested, const char *program, bool force,
			     char out[PATH_MAX], bool *usage_error, struct record_err *e)
{
	*usage_error = false;
	if (requested) {
		if (make_dir(requested, out, e) == 0)
			return 0;
		int err = errno;
		if (err != EEXIST) {
			/* A path the user can fix, unless the system is at fault. */
			*usage_error = err != ENOSPC && err != EIO && err != EDQUOT && err != ENOMEM;
			return record_err_set(e, "cannot create trace directory %s: %s", requested, strerror(err));
		}
		struct stat st;
		*usage_error = true;
		if (!force)
			return record_err_set(e, "%s already exists (use --force to replace an earlier trace)", requested);
		if (lstat(requested, &st) < 0 || !S_ISDIR(st.st_mode) || !replaceable(requested))
			return record_err_set(e, "%s exists and is not a ctrace trace: not replacing it", requested);
		record_fs_remove_tree(requested);
		*usage_error = false;
		if (make_dir(requested, out, e) < 0)
			return record_err_set(e, "cannot create trace directory %s: %s", requested, strerror(errno));
		return 0;
	}
	char prog[NAME_MAX + 1];
	snprintf(prog, sizeof prog, "%s", program);
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	char name[PATH_MAX];
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(name, sizeof name, "ctrace-%s-%s", basename(prog), stamp);
		else
			snprintf(name, sizeof name, "ctrace-%s-%s-%d", basename(prog), stamp, i);
		if (make_dir(name, out, e) == 0)
			return 0;
		if (errno != EEXIST)
			return record_err_set(e, "cannot create trace directory %s: %s", name, strerror(errno));
	}
	return record_err_set(e, "cannot find a free trace directory name like %s", name);
}
