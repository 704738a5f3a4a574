/* render.h — TEMPORARY stand-in until the terminal renderer lands. */
#ifndef BACKLAB_RENDER_H
#define BACKLAB_RENDER_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine/sbuf.h"

struct render_opts {
	int width;
	bool color;
	bool utf8;
};

void render_blocks(struct sbuf *out, cmark_node *first, cmark_node *end, const struct render_opts *o);
void render_node(struct sbuf *out, cmark_node *node, const struct render_opts *o);
void render_markdown(struct sbuf *out, const char *md, size_t len, const struct render_opts *o);

#endif
