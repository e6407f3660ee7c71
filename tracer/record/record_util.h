/*
 * Small helpers shared by the files of `ctrace record`: errors carried as
 * values with a message, a growable text buffer (command output, metadata,
 * JSON), clock reads and the exit statuses the command documents.
 */
#ifndef RECORD_UTIL_H
#define RECORD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Exit statuses of `ctrace record` itself (otherwise it exits with the
 * program's status): bad usage or a program that cannot be run, and a
 * system that cannot record (LTTng missing or unusable, no isolation). */
#define RECORD_EXIT_USAGE 2
#define RECORD_EXIT_ENV 125

/* An error message for the user, one line, without the "ctrace record: "
 * prefix. Functions that fail fill it and return -1. */
struct record_err {
	char msg[1024];
};

/* Formats the message into e and returns -1, so callers can write
 * `return record_err_set(e, "...", ...);`. */
/* A line on stderr prefixed "ctrace record: ": what the recorder tells
 * its user while it runs. */
void record_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int record_err_set(struct record_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A growable NUL-terminated byte buffer; owned by whoever declared it,
 * released with record_buf_free. Allocation failure aborts: the recorder
 * cannot do anything sensible without a few kilobytes. */
struct record_buf {
	char *data;
	size_t len;
	size_t cap;
};

void record_buf_append(struct record_buf *b, const void *p, size_t n);
void record_buf_printf(struct record_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void record_buf_free(struct record_buf *b);

/* Reads a whole file into b (appending). Returns 0, or -1 with errno set. */
int record_buf_read_file(struct record_buf *b, const char *path);

static inline uint64_t record_clock_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A random (version 4) UUID, and its text form. */
void record_uuid_make(uint8_t u[16]);
void record_uuid_format(const uint8_t u[16], char out[37]);

/* Replaces the file at path with n bytes of data, atomically (a temporary
 * file beside it, renamed). Returns 0, or -1 with errno set. */
int record_file_replace(const char *path, const void *data, size_t n);

/* Writes all of buf to fd, retrying on short writes and EINTR. */
int record_write_all(int fd, const void *buf, size_t n);

#endif
