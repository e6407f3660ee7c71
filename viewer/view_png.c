/*
 * A minimal PNG encoder (view_png.h): signature, IHDR, one IDAT, IEND.
 * Filter type 0 on every row keeps it simple and deterministic; timeline
 * frames are mostly flat colour and compress well without filters.
 */
#include "view_png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int png_chunk(FILE *f, const char *type, const uint8_t *data, size_t len)
{
	uint8_t hdr[8];
	put32(hdr, (uint32_t)len);
	memcpy(hdr + 4, type, 4);
	uLong crc = crc32(0, (const Bytef *)type, 4);
	if (len)
		crc = crc32(crc, data, (uInt)len);
	uint8_t tail[4];
	put32(tail, (uint32_t)crc);
	if (fwrite(hdr, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
	    fwrite(tail, 1, 4, f) != 4)
		return -1;
	return 0;
}

int view_png_write(const char *path, const void *pixels, int w, int h, int pitch, char *err,
		   size_t errsz)
{
	size_t row = 1 + (size_t)w * 3, rawlen = row * (size_t)h;
	uint8_t *raw = malloc(rawlen);
	uLongf zlen = compressBound((uLong)rawlen);
	uint8_t *z = malloc(zlen);
	if (!raw || !z) {
		free(raw);
		free(z);
		snprintf(err, errsz, "out of memory encoding %s", path);
		return -1;
	}
	for (int y = 0; y < h; y++) {
		const uint32_t *src = (const uint32_t *)((const uint8_t *)pixels + (size_t)y * (size_t)pitch);
		uint8_t *dst = raw + (size_t)y * row;
		*dst++ = 0;
		for (int x = 0; x < w; x++) {
			*dst++ = (uint8_t)(src[x] >> 16);
			*dst++ = (uint8_t)(src[x] >> 8);
			*dst++ = (uint8_t)src[x];
		}
	}
	int zrc = compress2(z, &zlen, raw, (uLong)rawlen, 6);
	free(raw);
	if (zrc != Z_OK) {
		free(z);
		snprintf(err, errsz, "zlib failed compressing %s", path);
		return -1;
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		free(z);
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t ihdr[13];
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;    /* bit depth */
	ihdr[9] = 2;    /* truecolour */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	int rc = fwrite(sig, 1, 8, f) == 8 && png_chunk(f, "IHDR", ihdr, 13) == 0 &&
		 png_chunk(f, "IDAT", z, zlen) == 0 && png_chunk(f, "IEND", NULL, 0) == 0 ? 0 : -1;
	free(z);
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
	return rc;
}
