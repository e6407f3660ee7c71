/* Error messages of the analyzer (see analyzer_error.h). */
#include "analyzer_error.h"

#include <stdarg.h>
#include <stdio.h>

int analyzer_error_set(struct analyzer_error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}
