/* render.c — TEMPORARY stand-in until the terminal renderer lands. */
#include "repl/render.h"

#include <stdlib.h>

void render_node(struct sbuf *out, cmark_node *node, const struct render_opts *o)
{
	char *s = cmark_render_commonmark(node, 0, o->width);
	sbuf_adds(out, s);
	free(s);
}

void render_blocks(struct sbuf *out, cmark_node *first, cmark_node *end, const struct render_opts *o)
{
	for (cmark_node *n = first; n && n != end; n = cmark_node_next(n))
		render_node(out, n, o);
}

void render_markdown(struct sbuf *out, const char *md, size_t len, const struct render_opts *o)
{
	cmark_node *doc = cmark_parse_document(md, len, 0);
	render_node(out, doc, o);
	cmark_node_free(doc);
}
