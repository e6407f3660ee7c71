/*
 * Getting a profile into a file, all or nothing: it is written under a
 * temporary name in the target's directory, flushed to disk, then renamed
 * over the target, so a crash or a full disk leaves either the old file or
 * the new one, never half of one.
 */
#define _GNU_SOURCE
#include "pprof_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static int pprof_write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -1 : (errno = EIO, -1);
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Creates a fresh temporary file next to path, with the mode a new file
 * would get (0666 less the umask); its name goes to tmp. */
static int pprof_tmp_open(const char *path, char *tmp, size_t size)
{
	static atomic_uint counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned k = atomic_fetch_add(&counter, 1);
		int n = snprintf(tmp, size, "%s.tmp-%ld-%u", path, (long)getpid(), k);
		if (n < 0 || (size_t)n >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static int pprof_file_replace(const char *path, const unsigned char *data, size_t len,
			      struct pprof_error *err)
{
	char tmp[PATH_MAX];
	int fd = pprof_tmp_open(path, tmp, sizeof tmp);
	if (fd < 0)
		return pprof_error_set(err, "cannot write %s: creating a temporary file beside it: %s",
				       path, strerror(errno));
	const char *step = NULL;
	if (pprof_write_all(fd, data, len) < 0)
		step = "writing";
	else if (fsync(fd) < 0)
		step = "flushing";
	int saved = errno;
	if (close(fd) < 0 && !step) {
		step = "closing";
		saved = errno;
	}
	if (!step && rename(tmp, path) < 0) {
		step = "renaming the temporary file over it";
		saved = errno;
	}
	if (!step)
		return 0;
	unlink(tmp);
	return pprof_error_set(err, "cannot write %s: %s: %s", path, step, strerror(saved));
}

int pprof_builder_write(const struct pprof_builder *b, const char *path, struct pprof_error *err)
{
	unsigned char *data;
	size_t len;
	struct pprof_error why;
	if (pprof_builder_encode(b, &data, &len, &why) < 0)
		return pprof_error_set(err, "cannot write %s: %s", path, why.msg);
	int rc = pprof_file_replace(path, data, len, err);
	free(data);
	return rc;
}
