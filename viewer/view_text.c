/*
 * Cached text rendering (view_text.h). The cache is an open-addressing
 * table keyed by string and colour; when it fills up it is emptied, which
 * only costs re-rendering the labels of the next frame.
 */
#include "view_text.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_SLOTS 4096

struct text_slot {
	char *s;
	uint32_t rgb;
	SDL_Texture *tex;
	int w, h;
};

struct view_text {
	SDL_Renderer *r;
	TTF_Font *font;
	int height;
	size_t used;
	struct text_slot slots[TEXT_SLOTS];
};

struct view_text *view_text_open(SDL_Renderer *r, const char *font_path, int size, char *err,
				 size_t errsz)
{
	if (!TTF_WasInit() && TTF_Init() != 0) {
		snprintf(err, errsz, "cannot start SDL_ttf: %s", TTF_GetError());
		return NULL;
	}
	struct view_text *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	t->r = r;
	t->font = TTF_OpenFont(font_path, size);
	if (!t->font) {
		snprintf(err, errsz, "cannot open font %s: %s", font_path, TTF_GetError());
		free(t);
		return NULL;
	}
	t->height = TTF_FontHeight(t->font);
	return t;
}

static void text_clear(struct view_text *t)
{
	for (size_t i = 0; i < TEXT_SLOTS; i++) {
		if (t->slots[i].tex)
			SDL_DestroyTexture(t->slots[i].tex);
		free(t->slots[i].s);
		t->slots[i] = (struct text_slot){ 0 };
	}
	t->used = 0;
}

void view_text_close(struct view_text *t)
{
	if (!t)
		return;
	text_clear(t);
	TTF_CloseFont(t->font);
	free(t);
}

int view_text_width(struct view_text *t, const char *s)
{
	int w = 0, h = 0;
	if (!*s || TTF_SizeUTF8(t->font, s, &w, &h) != 0)
		return 0;
	return w;
}

int view_text_height(const struct view_text *t)
{
	return t->height;
}

static uint32_t text_hash(const char *s, uint32_t rgb)
{
	uint32_t h = 2166136261u ^ rgb;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static struct text_slot *text_get(struct view_text *t, const char *s, struct view_rgb c)
{
	uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	if (t->used >= TEXT_SLOTS / 2)
		text_clear(t);
	size_t i = text_hash(s, rgb) % TEXT_SLOTS;
	while (t->slots[i].s) {
		if (t->slots[i].rgb == rgb && !strcmp(t->slots[i].s, s))
			return &t->slots[i];
		i = (i + 1) % TEXT_SLOTS;
	}
	SDL_Surface *surf = TTF_RenderUTF8_Blended(t->font, s, (SDL_Color){ c.r, c.g, c.b, 255 });
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(t->r, surf);
	struct text_slot slot = { strdup(s), rgb, tex, surf->w, surf->h };
	SDL_FreeSurface(surf);
	if (!tex || !slot.s) {
		if (tex)
			SDL_DestroyTexture(tex);
		free(slot.s);
		return NULL;
	}
	t->slots[i] = slot;
	t->used++;
	return &t->slots[i];
}

void view_text_draw(struct view_text *t, const char *s, int x, int y, int max_w, struct view_rgb c)
{
	if (!*s)
		return;
	struct text_slot *sl = text_get(t, s, c);
	if (!sl)
		return;
	int w = max_w > 0 && sl->w > max_w ? max_w : sl->w;
	SDL_Rect src = { 0, 0, w, sl->h }, dst = { x, y, w, sl->h };
	SDL_RenderCopy(t->r, sl->tex, &src, &dst);
}
