/*
 * What a symbolizer lookup costs, on this process's own modules (no trace
 * needed): for each of a few libraries, N addresses spread over its code
 * are looked up once (uncached: libdw's DWARF scope walk or symbol table
 * search) and then again REPEAT times (cached). Also the cost of freezing
 * the maps (opening every file). Prints figures, asserts nothing.
 *
 * usage: bench_symbolize [N] [REPEAT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "self_maps.h"
#include "symbolize.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_module(struct analyzer_symbolizer *s, const struct self_module *m, size_t n,
			 unsigned repeat)
{
	uint64_t step = (m->text_hi - m->text_lo) / n;
	if (!step)
		step = 1;
	struct analyzer_location loc;
	int32_t pid = getpid();
	size_t ok = 0, frames = 0, with_line = 0;
	double t0 = now_s();
	for (size_t i = 0; i < n; i++) {
		analyzer_symbolizer_lookup(s, pid, 0, m->text_lo + i * step, false, &loc);
		ok += loc.status == ANALYZER_SYM_OK;
		frames += loc.nframes;
		with_line += loc.frames[0].line > 0;
	}
	double cold = now_s() - t0;
	t0 = now_s();
	for (unsigned r = 0; r < repeat; r++)
		for (size_t i = 0; i < n; i++)
			analyzer_symbolizer_lookup(s, pid, 0, m->text_lo + i * step, false, &loc);
	double warm = now_s() - t0;
	const char *base = strrchr(m->path, '/');
	printf("%-28s %7zu addr  named %5.1f%%  with line %5.1f%%  frames/addr %.2f  "
	       "uncached %7.2f us  cached %6.1f ns\n",
	       base ? base + 1 : m->path, n, 100.0 * (double)ok / (double)n,
	       100.0 * (double)with_line / (double)n, (double)frames / (double)n,
	       cold * 1e6 / (double)n, warm * 1e9 / ((double)n * repeat));
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 20000;
	unsigned repeat = argc > 2 ? (unsigned)atoi(argv[2]) : 20;
	static struct self_maps maps;
	self_maps_read(&maps);
	struct analyzer_error err;
	struct analyzer_symbolizer *s = analyzer_symbolizer_create(&err);
	if (!s || self_maps_announce(&maps, s, getpid(), 0, &err) != 0) {
		fprintf(stderr, "bench_symbolize: %s\n", err.msg);
		return 1;
	}
	double t0 = now_s();
	size_t nmod = analyzer_symbolizer_module_count(s);
	printf("freeze: %zu modules opened in %.2f ms\n", nmod, (now_s() - t0) * 1e3);
	const char *wanted[] = { "/libc.so", "/libdw", "/libbabeltrace2", "/libcmocka" };
	if (maps.exe >= 0)
		bench_module(s, &maps.m[maps.exe], n / 10, repeat);
	for (size_t w = 0; w < sizeof wanted / sizeof wanted[0]; w++)
		for (size_t i = 0; i < maps.n; i++)
			if (strstr(maps.m[i].path, wanted[w]))
				bench_module(s, &maps.m[i], n, repeat);
	struct analyzer_symbolizer_stats st;
	analyzer_symbolizer_stats(s, &st);
	printf("total: %llu lookups, %llu symbolized afresh, %u files (%u unusable)\n",
	       (unsigned long long)st.lookups, (unsigned long long)st.cache_misses, st.files,
	       st.files_unusable);
	analyzer_symbolizer_destroy(s);
	return 0;
}
