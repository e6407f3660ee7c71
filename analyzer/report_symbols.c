/*
 * Stacks to function names for reports (report_symbols.h).
 */
#include "report_symbols.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_symbols.h"

#define SYMBOLS_MAX_FRAMES 64

struct report_symbols {
	struct analyzer_symbolizer *s;
};

struct report_symbols *report_symbols_create(const struct model *m)
{
	struct report_symbols *rs = calloc(1, sizeof *rs);
	if (!rs || !(rs->s = model_symbolizer_create(m))) {
		free(rs);
		return NULL;
	}
	return rs;
}

void report_symbols_destroy(struct report_symbols *rs)
{
	if (!rs)
		return;
	analyzer_symbolizer_destroy(rs->s);
	free(rs);
}

const char *report_symbols_stack(struct report_symbols *rs, const struct model *m, uint32_t stack,
				 enum analyzer_stack_kind kind, int32_t pid, uint64_t ts,
				 unsigned max_frames, char *buf, size_t size)
{
	buf[0] = 0;
	uint32_t n;
	const uint64_t *frames = model_stack_frames(m, stack, &n);
	if (!n)
		return buf;
	if (n > SYMBOLS_MAX_FRAMES)
		n = SYMBOLS_MAX_FRAMES;
	struct analyzer_location loc[SYMBOLS_MAX_FRAMES];
	bool named = rs && analyzer_symbolizer_stack(rs->s, pid, ts, frames, n, kind, loc) == 0;
	size_t len = 0;
	unsigned shown = 0;
	for (uint32_t i = 0; i < n && shown < max_frames && len + 1 < size; i++) {
		if (named && model_symbols_is_tracer_frame(&loc[i]))
			continue;
		char addr[32];
		const char *name = named ? loc[i].frames[0].function : addr;
		if (!named)
			snprintf(addr, sizeof addr, "0x%" PRIx64, frames[i]);
		int w = snprintf(buf + len, size - len, "%s%s", shown ? " <- " : "", name);
		if (w < 0)
			break;
		len += (size_t)w < size - len ? (size_t)w : size - len - 1;
		shown++;
	}
	return buf;
}
