/*
 * How much history a flight snapshot holds, from its CTF packet headers
 * alone (no trace reader in ctrace record). LTTng-UST's packets start with
 * a header and context laid out byte-aligned on x86-64 (see the metadata:
 * `integer { size = 64; align = 8; }`): magic (4), uuid (16), stream_id
 * (4), stream_instance_id (8), then timestamp_begin (8, trace clock ns)
 * at byte 32, timestamp_end at 40, content_size at 48 and packet_size at 56
 * (both in bits). Each CPU's ring overwrites on its own, so the span every
 * CPU covers begins at the latest of their earliest packets.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "record_flight_internal.h"

#define CTF_MAGIC 0xC1FC1FC1u

static const char *walk_channel;
static uint64_t walk_latest_start;

/* Earliest packet begin of one stream file, 0 if none is readable. */
static uint64_t stream_earliest(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t earliest = 0;
	off_t off = 0;
	unsigned char h[64];
	while (pread(fd, h, sizeof h, off) == (ssize_t)sizeof h) {
		uint32_t magic;
		uint64_t begin, size_bits;
		memcpy(&magic, h, 4);
		memcpy(&begin, h + 32, 8);
		memcpy(&size_bits, h + 56, 8);
		if (magic != CTF_MAGIC || size_bits < 8 * sizeof h)
			break;
		if (begin && (!earliest || begin < earliest))
			earliest = begin;
		off += (off_t)(size_bits / 8);
	}
	close(fd);
	return earliest;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	if (type != FTW_F)
		return 0;
	const char *base = path + ftw->base;
	size_t n = strlen(walk_channel);
	if (strncmp(base, walk_channel, n) != 0 || base[n] != '_' || !base[n + 1] ||
	    strspn(base + n + 1, "0123456789") != strlen(base + n + 1))
		return 0;
	uint64_t start = stream_earliest(path);
	if (start > walk_latest_start)
		walk_latest_start = start;
	return 0;
}

uint64_t flight_history_start(const char *snapshot_dir, const char *channel)
{
	/* nftw has no user pointer; only the watcher thread calls this. */
	walk_channel = channel;
	walk_latest_start = 0;
	nftw(snapshot_dir, visit, 16, FTW_PHYS);
	return walk_latest_start;
}
