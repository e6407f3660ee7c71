/*
 * Writing a frame as a PNG file: 8-bit RGB, one IDAT compressed by zlib,
 * chunk CRCs from zlib's crc32. SDL2 itself only saves BMP.
 */
#ifndef VIEW_PNG_H
#define VIEW_PNG_H

#include <stddef.h>
#include <stdint.h>

/* pixels: h rows of `pitch` bytes, each pixel a native-endian uint32
 * 0xAARRGGBB (SDL_PIXELFORMAT_ARGB8888). 0, or -1 with err filled. */
int view_png_write(const char *path, const void *pixels, int w, int h, int pitch, char *err,
		   size_t errsz);

#endif
