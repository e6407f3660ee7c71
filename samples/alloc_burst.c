/*
 * Sample: allocation bursts between quiet periods.
 *
 * BURSTS times: sleep QUIET_MS, then allocate BURST_KIB in BLOCK_KIB blocks
 * as fast as possible (touching each so the memory is real), then free
 * them all. The program prints each burst's CLOCK_MONOTONIC begin and end
 * and its byte count: the trace's alloc_burst events must fall inside
 * those windows, and nothing burst-like in between.
 *
 * usage: alloc_burst [-n BURSTS] [-q QUIET_MS] [-k BURST_KIB] [-b BLOCK_KIB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-n BURSTS] [-q QUIET_MS] [-k BURST_KIB] [-b BLOCK_KIB]"

int main(int argc, char **argv)
{
	uint64_t bursts = 3, quiet_ms = 150, burst_kib = 8192, block_kib = 16;
	int opt;
	while ((opt = getopt(argc, argv, "n:q:k:b:")) != -1) {
		switch (opt) {
		case 'n': bursts = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'q': quiet_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'k': burst_kib = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'b': block_kib = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	if (block_kib == 0 || burst_kib < block_kib) {
		fprintf(stderr, "%s: need 0 < BLOCK_KIB <= BURST_KIB\n", argv[0]);
		return 2;
	}
	size_t nblocks = burst_kib / block_kib, block = block_kib * 1024;
	char **blocks = calloc(nblocks, sizeof *blocks);
	if (!blocks)
		return 1;
	printf("truth: pid=%d bursts=%llu quiet_ns=%llu\n", (int)getpid(),
	       (unsigned long long)bursts, (unsigned long long)quiet_ms * 1000000);
	for (uint64_t b = 0; b < bursts; b++) {
		sample_sleep_ns(quiet_ms * 1000000);
		uint64_t begin = sample_now_ns();
		for (size_t i = 0; i < nblocks; i++) {
			blocks[i] = malloc(block);
			if (!blocks[i])
				return 1;
			memset(blocks[i], (int)i, block);
		}
		uint64_t end = sample_now_ns();
		for (size_t i = 0; i < nblocks; i++)
			free(blocks[i]);
		printf("truth: burst=%llu begin_ns=%llu end_ns=%llu bytes=%llu count=%zu\n",
		       (unsigned long long)b, (unsigned long long)begin,
		       (unsigned long long)end, (unsigned long long)nblocks * block, nblocks);
	}
	sample_sleep_ns(quiet_ms * 1000000);
	free(blocks);
	return 0;
}
