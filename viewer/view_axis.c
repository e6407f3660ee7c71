/*
 * Tick spacing and labels (view_axis.h).
 */
#include "view_axis.h"

#include <inttypes.h>
#include <stdio.h>

uint64_t view_axis_step(double ns_per_px, int min_px)
{
	double want = ns_per_px * min_px;
	uint64_t mag = 1;
	for (;;) {
		static const unsigned mult[] = { 1, 2, 5 };
		for (unsigned i = 0; i < 3; i++)
			if ((double)(mag * mult[i]) >= want)
				return mag * mult[i];
		if (mag > UINT64_MAX / 100)
			return mag * 10;
		mag *= 10;
	}
}

const char *view_axis_label(uint64_t rel_ns, uint64_t step, char *buf, size_t size)
{
	static const struct { uint64_t ns; const char *name; } units[] = {
		{ 1000000000u, "s" }, { 1000000u, "ms" }, { 1000u, "µs" }, { 1u, "ns" },
	};
	uint64_t big = rel_ns > step ? rel_ns : step;
	unsigned u = 0;
	while (u < 3 && big < units[u].ns)
		u++;
	if (rel_ns == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	/* Decimals: enough that one step shows. */
	int dec = 0;
	for (uint64_t q = units[u].ns; q > step && dec < 9; q /= 10)
		dec++;
	snprintf(buf, size, "%.*f %s", dec, (double)rel_ns / (double)units[u].ns, units[u].name);
	return buf;
}
