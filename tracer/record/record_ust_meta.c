/*
 * Reading LTTng's clock description (see record_clock.h). LTTng writes its
 * metadata as packets: a 37-byte header (magic 0x75D11D57, uuid, checksum,
 * content and packet sizes in bits, scheme bytes, version) then TSDL text.
 */
#include <assert.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record_clock.h"

#define METADATA_MAGIC 0x75D11D57u
#define METADATA_HEADER_BYTES 37

static char found_metadata[4096];

static int find_metadata(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (flag == FTW_F && strcmp(path + ftw->base, "metadata") == 0) {
		snprintf(found_metadata, sizeof found_metadata, "%s", path);
		return 1;
	}
	return 0;
}

/* Appends the TSDL text of a metadata file (raw: b) to text. */
static int metadata_text(const struct record_buf *raw, struct record_buf *text)
{
	uint32_t magic = 0;
	if (raw->len >= 4)
		memcpy(&magic, raw->data, 4);
	if (magic != METADATA_MAGIC) {
		record_buf_append(text, raw->data, raw->len);
		return 0;
	}
	size_t off = 0;
	while (off + METADATA_HEADER_BYTES <= raw->len) {
		uint32_t content_bits, packet_bits;
		memcpy(&content_bits, raw->data + off + 24, 4);
		memcpy(&packet_bits, raw->data + off + 28, 4);
		size_t content = content_bits / 8, packet = packet_bits / 8;
		if (content < METADATA_HEADER_BYTES || packet < content || off + content > raw->len)
			return -1;
		record_buf_append(text, raw->data + off + METADATA_HEADER_BYTES,
				  content - METADATA_HEADER_BYTES);
		off += packet;
	}
	return 0;
}

static int clock_block(const char *tsdl, struct record_buf *block, char *name, size_t len)
{
	const char *start = strstr(tsdl, "clock {");
	if (!start)
		return -1;
	const char *end = strstr(start, "};");
	if (!end)
		return -1;
	record_buf_append(block, start, (size_t)(end + 2 - start));
	const char *n = strstr(block->data, "name = ");
	if (!n)
		return -1;
	n += strlen("name = ");
	if (*n == '"')
		n++;
	size_t l = strcspn(n, "\";");
	if (l == 0 || l >= len)
		return -1;
	memcpy(name, n, l);
	name[l] = '\0';
	return 0;
}

/* babeltrace2 treats LTTng's "monotonic" clock as having the Unix epoch as
 * origin (it is: offset is realtime - monotonic) but our trace is not
 * LTTng's, and its muxer refuses to mix absolute and non-absolute clocks:
 * say it explicitly. */
static void mark_absolute(struct record_buf *block)
{
	if (strstr(block->data, "absolute"))
		return;
	assert(block->len >= 2 && strcmp(block->data + block->len - 2, "};") == 0);
	block->len -= 2;
	record_buf_printf(block, "\tabsolute = true;\n};");
}

int record_clock_from_lttng(const char *ust_dir, struct record_buf *block, char *name, size_t len)
{
	found_metadata[0] = '\0';
	if (nftw(ust_dir, find_metadata, 16, FTW_PHYS) != 1)
		return -1;
	struct record_buf raw = { 0 }, text = { 0 };
	int rc = -1;
	if (record_buf_read_file(&raw, found_metadata) == 0 && raw.len > 0 &&
	    metadata_text(&raw, &text) == 0 && text.data)
		rc = clock_block(text.data, block, name, len);
	record_buf_free(&raw);
	record_buf_free(&text);
	if (rc < 0)
		record_buf_free(block);
	else
		mark_absolute(block);
	return rc;
}

void record_clock_make(struct record_buf *block, char *name, size_t len)
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
