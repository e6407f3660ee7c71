/*
 * Human units (report_units.h).
 */
#include "report_units.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* v in unit, with as many decimals as three significant digits need. */
static const char *scaled(double v, const char *unit, char *buf, size_t size)
{
	int decimals = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
	snprintf(buf, size, "%.*f %s", decimals, v, unit);
	return buf;
}

const char *units_duration(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000) {
		snprintf(buf, size, "%" PRIu64 " ns", ns);
		return buf;
	}
	double v = (double)ns;
	if (v < 999.5e3)
		return scaled(v / 1e3, "us", buf, size);
	if (v < 999.5e6)
		return scaled(v / 1e6, "ms", buf, size);
	if (v < 600e9)
		return scaled(v / 1e9, "s", buf, size);
	return scaled(v / 60e9, "min", buf, size);
}

const char *units_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", bytes);
		return buf;
	}
	double v = (double)bytes / 1024;
	size_t u = 0;
	while (v >= 1023.5 && u + 1 < sizeof unit / sizeof unit[0]) {
		v /= 1024;
		u++;
	}
	return scaled(v, unit[u], buf, size);
}

const char *units_count(uint64_t n, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = 0;
	return buf;
}

bool units_parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return false;
	static const struct { const char *suffix; double scale; } units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "min", 60e9 },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (!strcmp(end, units[i].suffix)) {
			double r = v * units[i].scale;
			if (r >= 1.8e19)
				return false;
			*ns = (uint64_t)(r + 0.5);
			return true;
		}
	}
	return false;
}
