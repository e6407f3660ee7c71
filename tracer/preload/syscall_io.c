/*
 * File-descriptor I/O interposers: read/write and their positioned and
 * vectored forms, open/openat, close, fsync/fdatasync. Each is a one-line
 * use of SYSCALL_TIMED (syscall_span.h).
 *
 * glibc exports the *64 names (pread64, open64, ...) as separate symbols
 * with the same code, and _FORTIFY_SOURCE programs call the checking
 * variants (__read_chk, __open_2, ...) instead of the plain names: each
 * needs its own interposer or those calls would go unseen. libc's internal
 * calls (fopen, getline) use hidden aliases and are not interposed.
 */
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <unistd.h>

#include "syscall_span.h"

/* Fortified entry points; glibc declares them only in fortified builds. */
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __pread64_chk(int fd, void *buf, size_t n, off64_t off, size_t buflen);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

/* Bytes described by an iovec array the kernel has accepted (only called
 * after a successful call, so the array is known to be readable). */
static int64_t io_iov_bytes(const struct iovec *iov, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += (int64_t)iov[i].iov_len;
	return sum;
}

/* open's mode argument is only there when the flags ask for one. */
#define IO_MODE_ARG(flags, mode)                                              \
	do {                                                                  \
		if ((flags) & (O_CREAT | O_TMPFILE)) {                        \
			va_list ap_;                                          \
			va_start(ap_, flags);                                 \
			mode = (mode_t)va_arg(ap_, int);                      \
			va_end(ap_);                                          \
		}                                                             \
	} while (0)

#define IO_TIMED(type, sys, fd, size, call) \
	SYSCALL_TIMED(type, r, sys, fd, size, true, call)

PRELOAD_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	PRELOAD_REAL(read);
	IO_TIMED(ssize_t, CTRACE_SYS_READ, fd, (int64_t)n, real_read(fd, buf, n));
}

PRELOAD_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	PRELOAD_REAL(__read_chk);
	IO_TIMED(ssize_t, CTRACE_SYS_READ, fd, (int64_t)n,
		 real___read_chk(fd, buf, n, buflen));
}

PRELOAD_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	PRELOAD_REAL(write);
	IO_TIMED(ssize_t, CTRACE_SYS_WRITE, fd, (int64_t)n, real_write(fd, buf, n));
}

PRELOAD_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	PRELOAD_REAL(pread);
	IO_TIMED(ssize_t, CTRACE_SYS_PREAD, fd, (int64_t)n,
		 real_pread(fd, buf, n, off));
}

PRELOAD_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	PRELOAD_REAL(pread64);
	IO_TIMED(ssize_t, CTRACE_SYS_PREAD, fd, (int64_t)n,
		 real_pread64(fd, buf, n, off));
}

PRELOAD_EXPORT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	PRELOAD_REAL(__pread_chk);
	IO_TIMED(ssize_t, CTRACE_SYS_PREAD, fd, (int64_t)n,
		 real___pread_chk(fd, buf, n, off, buflen));
}

PRELOAD_EXPORT ssize_t __pread64_chk(int fd, void *buf, size_t n, off64_t off, size_t buflen)
{
	PRELOAD_REAL(__pread64_chk);
	IO_TIMED(ssize_t, CTRACE_SYS_PREAD, fd, (int64_t)n,
		 real___pread64_chk(fd, buf, n, off, buflen));
}

PRELOAD_EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	PRELOAD_REAL(pwrite);
	IO_TIMED(ssize_t, CTRACE_SYS_PWRITE, fd, (int64_t)n,
		 real_pwrite(fd, buf, n, off));
}

PRELOAD_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	PRELOAD_REAL(pwrite64);
	IO_TIMED(ssize_t, CTRACE_SYS_PWRITE, fd, (int64_t)n,
		 real_pwrite64(fd, buf, n, off));
}

PRELOAD_EXPORT ssize_t readv(int fd, const struct iovec *iov, int n)
{
	PRELOAD_REAL(readv);
	IO_TIMED(ssize_t, CTRACE_SYS_READV, fd, r >= 0 ? io_iov_bytes(iov, n) : -1,
		 real_readv(fd, iov, n));
}

PRELOAD_EXPORT ssize_t writev(int fd, const struct iovec *iov, int n)
{
	PRELOAD_REAL(writev);
	IO_TIMED(ssize_t, CTRACE_SYS_WRITEV, fd, r >= 0 ? io_iov_bytes(iov, n) : -1,
		 real_writev(fd, iov, n));
}

PRELOAD_EXPORT int open(const char *path, int flags, ...)
{
	PRELOAD_REAL(open);
	mode_t mode = 0;
	IO_MODE_ARG(flags, mode);
	IO_TIMED(int, CTRACE_SYS_OPEN, -1, -1, real_open(path, flags, mode));
}

PRELOAD_EXPORT int open64(const char *path, int flags, ...)
{
	PRELOAD_REAL(open64);
	mode_t mode = 0;
	IO_MODE_ARG(flags, mode);
	IO_TIMED(int, CTRACE_SYS_OPEN, -1, -1, real_open64(path, flags, mode));
}

PRELOAD_EXPORT int __open_2(const char *path, int flags)
{
	PRELOAD_REAL(__open_2);
	IO_TIMED(int, CTRACE_SYS_OPEN, -1, -1, real___open_2(path, flags));
}

PRELOAD_EXPORT int __open64_2(const char *path, int flags)
{
	PRELOAD_REAL(__open64_2);
	IO_TIMED(int, CTRACE_SYS_OPEN, -1, -1, real___open64_2(path, flags));
}

PRELOAD_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	PRELOAD_REAL(openat);
	mode_t mode = 0;
	IO_MODE_ARG(flags, mode);
	IO_TIMED(int, CTRACE_SYS_OPENAT, dirfd, -1, real_openat(dirfd, path, flags, mode));
}

PRELOAD_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	PRELOAD_REAL(openat64);
	mode_t mode = 0;
	IO_MODE_ARG(flags, mode);
	IO_TIMED(int, CTRACE_SYS_OPENAT, dirfd, -1,
		 real_openat64(dirfd, path, flags, mode));
}

PRELOAD_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	PRELOAD_REAL(__openat_2);
	IO_TIMED(int, CTRACE_SYS_OPENAT, dirfd, -1, real___openat_2(dirfd, path, flags));
}

PRELOAD_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	PRELOAD_REAL(__openat64_2);
	IO_TIMED(int, CTRACE_SYS_OPENAT, dirfd, -1,
		 real___openat64_2(dirfd, path, flags));
}

/* Never restarted: Linux releases the descriptor even when close fails
 * with EINTR, and another thread may already have reused the number.
 * real_close is the next close in the search order: liblttng-ust-fd's when
 * it is preloaded, which keeps LTTng's own descriptors open for programs
 * that close every fd; libunwind's pipe is kept here (fd_close.c). */
PRELOAD_EXPORT int close(int fd)
{
	PRELOAD_REAL(close);
	if (PRELOAD_UNLIKELY(preload_fd_reserved(fd))) {   /* libunwind's (fd_close.c) */
		errno = EBADF;
		return -1;
	}
	SYSCALL_TIMED(int, r, CTRACE_SYS_CLOSE, fd, -1, false, real_close(fd));
}

PRELOAD_EXPORT int fsync(int fd)
{
	PRELOAD_REAL(fsync);
	IO_TIMED(int, CTRACE_SYS_FSYNC, fd, -1, real_fsync(fd));
}

PRELOAD_EXPORT int fdatasync(int fd)
{
	PRELOAD_REAL(fdatasync);
	IO_TIMED(int, CTRACE_SYS_FDATASYNC, fd, -1, real_fdatasync(fd));
}
