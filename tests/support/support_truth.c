/*
 * Reading the `truth: key=value ...` lines samples print (see support.h):
 * the program's own measurements, which tests compare with the trace, and
 * the comparison itself with its tolerance.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finds the value of key in the nth truth line having it; sets *len. */
static const char *truth_find(const char *out, const char *key, unsigned nth, size_t *len)
{
	size_t klen = strlen(key);
	for (const char *line = out; line && *line;) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		if (!strncmp(line, "truth:", 6)) {
			for (const char *p = line + 6; p < end;) {
				while (p < end && *p == ' ')
					p++;
				const char *tok = p;
				while (p < end && *p != ' ')
					p++;
				if ((size_t)(p - tok) > klen && !strncmp(tok, key, klen) && tok[klen] == '=') {
					if (nth-- == 0) {
						*len = (size_t)(p - tok) - klen - 1;
						return tok + klen + 1;
					}
					break;
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return NULL;
}

bool support_truth_str(const char *out, const char *key, unsigned nth, char *buf, size_t size)
{
	size_t len;
	const char *v = truth_find(out, key, nth, &len);
	if (!v || len >= size)
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return true;
}

bool support_truth_u64(const char *out, const char *key, unsigned nth, uint64_t *v)
{
	char buf[64], *end;
	if (!support_truth_str(out, key, nth, buf, sizeof buf))
		return false;
	*v = strtoull(buf, &end, 0);
	return *end == '\0';
}

bool support_truth_double(const char *out, const char *key, unsigned nth, double *v)
{
	char buf[64], *end;
	if (!support_truth_str(out, key, nth, buf, sizeof buf))
		return false;
	*v = strtod(buf, &end);
	return *end == '\0';
}

bool support_near(const char *what, double actual, double expected, double rel_tol,
		  double abs_tol)
{
	double diff = actual > expected ? actual - expected : expected - actual;
	double bound = expected * rel_tol > 0 ? expected * rel_tol : -expected * rel_tol;
	if (abs_tol > bound)
		bound = abs_tol;
	bool ok = diff <= bound;
	fprintf(stderr, "ctrace test: %s: trace %.6g, program %.6g (diff %.3g, allowed %.3g)%s\n",
		what, actual, expected, diff, bound, ok ? "" : "  <-- FAIL");
	return ok;
}
