/*
 * Reading LTTng's metadata (see record_ust_meta.h). LTTng writes it as
 * packets: a 37-byte header (magic 0x75D11D57, uuid, checksum, content and
 * packet sizes in bits, scheme bytes, version) then TSDL text.
 */
#include <assert.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_fs.h"
#include "record_ust_meta.h"

#define METADATA_MAGIC 0x75D11D57u
#define METADATA_HEADER_BYTES 37
#define MAX_TRACES 16

/* nftw has no user pointer: the walk collects into this. */
static struct {
	char paths[MAX_TRACES][PATH_MAX];
	int count;
} found;

static int collect_metadata(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (flag == FTW_F && strcmp(path + ftw->base, "metadata") == 0 && found.count < MAX_TRACES)
		snprintf(found.paths[found.count++], PATH_MAX, "%s", path);
	return 0;
}

static int find_metadata(const char *ust_dir)
{
	found.count = 0;
	if (access(ust_dir, F_OK) == 0)
		nftw(ust_dir, collect_metadata, 16, FTW_PHYS);
	return found.count;
}

/* The TSDL text of a metadata file, packetized or plain, into text. */
static int metadata_text(const char *path, struct record_buf *text)
{
	struct record_buf raw = { 0 };
	if (record_buf_read_file(&raw, path) < 0 || raw.len == 0) {
		record_buf_free(&raw);
		return -1;
	}
	uint32_t magic = 0;
	if (raw.len >= 4)
		memcpy(&magic, raw.data, 4);
	int rc = 0;
	if (magic != METADATA_MAGIC) {
		record_buf_append(text, raw.data, raw.len);
	} else {
		size_t off = 0;
		while (off + METADATA_HEADER_BYTES <= raw.len) {
			uint32_t content_bits, packet_bits;
			memcpy(&content_bits, raw.data + off + 24, 4);
			memcpy(&packet_bits, raw.data + off + 28, 4);
			size_t content = content_bits / 8, packet = packet_bits / 8;
			if (content < METADATA_HEADER_BYTES || packet < content || off + content > raw.len) {
				rc = -1;
				break;
			}
			record_buf_append(text, raw.data + off + METADATA_HEADER_BYTES,
					  content - METADATA_HEADER_BYTES);
			off += packet;
		}
	}
	record_buf_free(&raw);
	return text->data ? rc : -1;
}

int record_ust_meta_prune(const char *ust_dir)
{
	int kept = 0;
	for (int i = find_metadata(ust_dir) - 1; i >= 0; i--) {
		struct record_buf text = { 0 };
		bool usable = metadata_text(found.paths[i], &text) == 0 && strstr(text.data, "stream {");
		record_buf_free(&text);
		if (usable) {
			kept++;
			continue;
		}
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", found.paths[i]);
		record_fs_remove_tree(dirname(dir));
	}
	if (kept == 0)
		record_fs_remove_tree(ust_dir);
	return kept;
}

/* babeltrace2 treats LTTng's "monotonic" clock as having the Unix epoch as
 * origin (it does: offset is realtime - monotonic), but only in LTTng's
 * traces, and its muxer refuses to mix absolute and non-absolute clocks:
 * our copy says so explicitly. */
static void mark_absolute(struct record_buf *block)
{
	if (strstr(block->data, "absolute"))
		return;
	assert(block->len >= 2 && strcmp(block->data + block->len - 2, "};") == 0);
	block->len -= 2;
	record_buf_printf(block, "\tabsolute = true;\n};");
}

static int clock_block(const char *tsdl, struct record_buf *block, char *name, size_t len)
{
	const char *start = strstr(tsdl, "clock {");
	const char *end = start ? strstr(start, "};") : NULL;
	if (!end)
		return -1;
	record_buf_append(block, start, (size_t)(end + 2 - start));
	const char *n = strstr(block->data, "name = ");
	if (!n)
		return -1;
	n += strlen("name = ");
	n += *n == '"';
	size_t l = strcspn(n, "\";");
	if (l == 0 || l >= len)
		return -1;
	memcpy(name, n, l);
	name[l] = '\0';
	mark_absolute(block);
	return 0;
}

int record_ust_meta_clock(const char *ust_dir, struct record_buf *block, char *name, size_t len)
{
	if (find_metadata(ust_dir) == 0)
		return -1;
	struct record_buf text = { 0 };
	int rc = metadata_text(found.paths[0], &text);
	if (rc == 0)
		rc = clock_block(text.data, block, name, len);
	record_buf_free(&text);
	if (rc < 0)
		record_buf_free(block);
	return rc;
}

void record_ust_meta_make_clock(struct record_buf *block, char *name, size_t len)
{
	/* Offset from the epoch, as LTTng computes it: realtime - monotonic. */
	uint64_t mono = record_clock_ns(CLOCK_MONOTONIC);
	uint64_t real = record_clock_ns(CLOCK_REALTIME);
	uint64_t mono2 = record_clock_ns(CLOCK_MONOTONIC);
	uint64_t offset = real - (mono + (mono2 - mono) / 2);
	uint8_t u[16];
	char uuid[37];
	record_uuid_make(u);
	record_uuid_format(u, uuid);
	record_buf_printf(block,
		"clock {\n"
		"\tname = \"monotonic\";\n"
		"\tuuid = \"%s\";\n"
		"\tdescription = \"Monotonic Clock\";\n"
		"\tfreq = 1000000000;\n"
		"\tabsolute = true;\n"
		"\toffset = %llu;\n"
		"};",
		uuid, (unsigned long long)offset);
	snprintf(name, len, "monotonic");
}
