/*
 * Filling an analyzer_error: every failing analyzer function reports what
 * was wrong through one of these and returns -1. (Not "error.h": this
 * folder is on its users' include path, next to glibc's <error.h>.)
 */
#ifndef ANALYZER_ANALYZER_ERROR_H
#define ANALYZER_ANALYZER_ERROR_H

#include "reader.h"

/* Formats the message into err (when not NULL); always returns -1 so a
 * caller can write `return analyzer_error_set(err, ...);`. */
int analyzer_error_set(struct analyzer_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
