/*
 * render.h — Markdown (a cmark tree) to terminal text.
 *
 * Wrapped to a width in display columns, UTF-8 aware, with ANSI colour only
 * when asked. Runnable examples (ROLE_EXAMPLE, see engine/lesson.h) show
 * their number ("[3] lua") so that `run 3` is obvious; multiple-choice lists
 * (ROLE_CHOICES) are lettered a), b), ... With colour off, the output holds
 * no escape sequence at all, and emphasis, strong and code keep a plain-text
 * mark (_x_, *x*, `x`).
 *
 * Each function appends to OUT (never resets it); the output ends with a
 * newline unless nothing was rendered, and never with a blank line.
 */
#ifndef BACKLAB_RENDER_H
#define BACKLAB_RENDER_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine/base/sbuf.h"

struct render_opts {
	int width;  /* columns to wrap to (see term_width()) */
	bool color; /* ANSI SGR sequences */
	bool utf8;  /* the renderer's own decorations may be non-ASCII */
};

/*
 * Renders the sibling nodes [FIRST, END) (END NULL: to the last sibling), a
 * lesson step, into OUT. The tree is only read.
 */
void render_blocks(struct sbuf *out, cmark_node *first, cmark_node *end,
                   const struct render_opts *o);

/* Renders NODE and its children (e.g. a detached block quote) into OUT. */
void render_node(struct sbuf *out, cmark_node *node, const struct render_opts *o);

/*
 * Parses the Markdown MD[0..LEN) (e.g. a check's feedback; invalid UTF-8 is
 * replaced) and renders it into OUT.
 */
void render_markdown(struct sbuf *out, const char *md, size_t len, const struct render_opts *o);

#endif
