/*
 * render.c — Markdown to terminal text: what each node looks like.
 *
 * One switch over node types (render_event); wrapping, prefixes, blank lines
 * and colour are the line writer's (repl/wrap.c), Lua colour is
 * repl/highlight.c's.
 */
#include "repl/render.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lesson.h"
#include "engine/mdtable.h"
#include "engine/base/utf8.h"
#include "repl/highlight.h"
#include "repl/wrap.h"

/* The renderer's own decorations, for UTF-8 and for ASCII terminals. */
struct marks {
	const char *bullet[3]; /* by depth of bullet lists */
	const char *quote;     /* block quote bar */
	const char *rule;      /* thematic break, and under level-2 headings */
	const char *rule1;     /* under level-1 headings */
	const char *cont;      /* margin of a code line continued past the edge */
};
static const struct marks utf8_marks = {{"•", "◦", "▪"}, "│ ", "─", "━", "  ↪ "};
static const struct marks ascii_marks = {{"*", "-", "+"}, "| ", "-", "=", "  > "};

/* The theme: one accent colour (cyan), bold and underline for headings. */
#define ST_ACCENT WRAP_CYAN
#define ST_MARKER WRAP_CYAN
#define ST_LETTER (WRAP_BOLD | WRAP_CYAN)
#define ST_CODE WRAP_CYAN
#define ST_DIM WRAP_DIM
#define CODE_MARGIN "    "

/* Levels 1 and 2 also get a rule beneath (see heading()). */
static const unsigned heading_style[7] = {
    [1] = WRAP_BOLD | WRAP_CYAN,
    [2] = WRAP_BOLD,
    [3] = WRAP_BOLD | WRAP_UNDERLINE,
    [4] = WRAP_BOLD,
    [5] = WRAP_ITALIC,
    [6] = WRAP_ITALIC | WRAP_DIM,
};
static const unsigned lua_style[] = {
    [HL_PLAIN] = 0,
    [HL_KEYWORD] = WRAP_BOLD,
    [HL_STRING] = WRAP_GREEN,
    [HL_NUMBER] = WRAP_MAGENTA,
    [HL_COMMENT] = WRAP_DIM | WRAP_ITALIC,
};

/* An open list: how its next item is marked. */
struct list {
	enum node_role role;
	cmark_list_type type;
	char delim; /* '.' or ')' */
	int next;   /* number (or 0-based letter) of the next item */
	int digits; /* of the widest number, to right-align them */
	int depth;  /* of bullet lists around it */
};

struct renderer {
	struct wrap w;
	const struct render_opts *o;
	const struct marks *m;
	struct list *list; /* open lists, outermost first */
	size_t nlist, listcap;
	struct sbuf tmp;
	/* the style of the text at each depth of the walk: emphasis, links and
	 * headings add to it, other blocks start afresh (see walk) */
	unsigned *styles;
	size_t nstyle, stylecap;
};

/* The style of the text of the node being rendered, from its inline
 * ancestors and heading: kept as the walk goes (a node never looks up its
 * ancestors, which would make nested emphasis quadratic). */
static unsigned style_of(const struct renderer *r, cmark_node *node)
{
	(void)node;
	return r->nstyle ? r->styles[r->nstyle - 1] : 0;
}

/* The style inside container NODE, in a context of style OUTER. */
static unsigned style_inside(cmark_node *node, unsigned outer)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_IMAGE:
		return wrap_style_merge(outer, WRAP_ITALIC);
	case CMARK_NODE_STRONG:
		return wrap_style_merge(outer, WRAP_BOLD);
	case CMARK_NODE_LINK:
		return wrap_style_merge(outer, WRAP_UNDERLINE);
	case CMARK_NODE_HEADING:
		return heading_style[cmark_node_get_heading_level(node)];
	default:
		return cmark_node_get_type(node) <= CMARK_NODE_LAST_BLOCK ? 0 : outer;
	}
}

/* NODE's literal text; "" if it has none (a node built by hand). */
static const char *literal(cmark_node *node)
{
	const char *s = cmark_node_get_literal(node);
	return s ? s : "";
}

static void text(struct renderer *r, const char *s, unsigned style)
{
	wrap_text(&r->w, s, strlen(s), style);
}

/* With colour off, the plain-text mark of emphasis, strong or code. */
static void plain_mark(struct renderer *r, cmark_node *node, const char *mark)
{
	if (!r->o->color)
		text(r, mark, style_of(r, node));
}

/* A block ends with a blank line, or a line break inside a tight list item. */
static void end_block(struct renderer *r, cmark_node *node)
{
	cmark_node *item = cmark_node_parent(node);
	if (item && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
	    cmark_node_get_list_tight(cmark_node_parent(item)))
		wrap_cr(&r->w);
	else
		wrap_blank(&r->w);
}

/* A line of COLS copies of GLYPH. */
static void rule(struct renderer *r, int cols, const char *glyph, unsigned style)
{
	sbuf_truncate(&r->tmp, 0);
	sbuf_repeat(&r->tmp, glyph, cols > 0 ? (size_t)cols : 0);
	wrap_pre(&r->w, r->tmp.buf, r->tmp.len, style);
	wrap_cr(&r->w);
}

static void heading(struct renderer *r, cmark_node *node, bool entering)
{
	int level = cmark_node_get_heading_level(node);
	wrap_cr(&r->w);
	if (entering) {
		wrap_measure(&r->w);
		if (!r->o->color && level >= 3) {
			text(r, "######" + 6 - level, 0); /* LEVEL hashes */
			wrap_space(&r->w, 0);
		}
		return;
	}
	if (level == 1)
		rule(r, wrap_widest(&r->w), r->m->rule1, ST_ACCENT);
	else if (level == 2)
		rule(r, wrap_widest(&r->w), r->m->rule, ST_DIM);
	end_block(r, node);
}

static void list_enter(struct renderer *r, cmark_node *node)
{
	struct list *l;
	int count = 0, last;
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
		count++;
	if (r->nlist == r->listcap) {
		r->listcap = r->listcap ? 2 * r->listcap : 8;
		r->list = xrealloc(r->list, r->listcap * sizeof *r->list);
	}
	l = &r->list[r->nlist++];
	l->role = lesson_node_role(node, NULL);
	l->type = cmark_node_get_list_type(node);
	l->delim = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ')' : '.';
	l->next = l->type == CMARK_ORDERED_LIST && l->role != ROLE_CHOICES
	              ? cmark_node_get_list_start(node)
	              : 0;
	l->depth = r->nlist > 1 ? l[-1].depth + (l[-1].type == CMARK_BULLET_LIST) : 0;
	last = l->next + (count ? count - 1 : 0);
	l->digits = snprintf(NULL, 0, "%d", last);
	wrap_cr(&r->w);
}

/* Pushes the item's marker, and the hanging indentation of its other lines. */
static void item_enter(struct renderer *r)
{
	static const struct list alone = {ROLE_PLAIN, CMARK_BULLET_LIST, '.', 0, 1, 0};
	const struct list *l = r->nlist ? &r->list[r->nlist - 1] : &alone; /* render_node(item) */
	char mark[48], pad[48];
	unsigned style = ST_MARKER;
	size_t cols;
	if (l->role == ROLE_CHOICES) {
		snprintf(mark, sizeof mark, "%c) ", CHOICE_LETTER(l->next));
		style = ST_LETTER;
	} else if (l->type == CMARK_ORDERED_LIST) {
		snprintf(mark, sizeof mark, "%*d%c ", l->digits, l->next, l->delim);
	} else {
		snprintf(mark, sizeof mark, "%s ", r->m->bullet[l->depth % 3]);
	}
	if (r->nlist)
		r->list[r->nlist - 1].next++;
	cols = utf8_width(mark, strlen(mark));
	memset(pad, ' ', cols);
	pad[cols] = '\0';
	wrap_cr(&r->w);
	wrap_push(&r->w, mark, style, pad, 0);
}

/* The line above a code block: "[3] lua" for an example, else its language. */
static void code_label(struct renderer *r, cmark_node *node, const char *info, size_t ilen)
{
	int number;
	char label[32];
	if (lesson_node_role(node, &number) == ROLE_EXAMPLE) {
		snprintf(label, sizeof label, "[%d]", number);
		wrap_pre(&r->w, "  ", 2, 0);
		wrap_pre(&r->w, label, strlen(label), ST_ACCENT);
		if (ilen)
			wrap_pre(&r->w, " ", 1, 0);
	} else if (ilen) {
		wrap_pre(&r->w, "  ", 2, 0);
	}
	wrap_pre(&r->w, info, ilen, ST_DIM);
	wrap_cr(&r->w);
}

/* One line of code in the margin; CLS (or NULL) holds its Lua classes. */
static void code_line(struct renderer *r, const char *s, size_t len, const unsigned char *cls)
{
	wrap_push(&r->w, CODE_MARGIN, 0, r->m->cont, ST_DIM);
	for (size_t i = 0, j; i < len; i = j) {
		for (j = i + 1; j < len && (!cls || cls[j] == cls[i]); j++)
			;
		wrap_pre(&r->w, s + i, j - i, cls ? lua_style[cls[i]] : 0);
	}
	wrap_break(&r->w);
	wrap_pop(&r->w);
}

static void code_block(struct renderer *r, cmark_node *node)
{
	const char *code = literal(node);
	const char *info = cmark_node_get_fence_info(node);
	size_t len = strlen(code);
	size_t ilen = info ? strcspn(info, " \t") : 0;
	if (ilen == 4 && memcmp(info, "text", 4) == 0)
		ilen = 0; /* plain text: no label */
	bool lua = lesson_node_role(node, NULL) == ROLE_EXAMPLE ||
	           (ilen == 3 && memcmp(info, "lua", 3) == 0);
	unsigned char *cls = NULL;
	wrap_cr(&r->w);
	code_label(r, node, info ? info : "", ilen);
	if (lua && r->o->color) {
		cls = xmalloc(len);
		highlight_lua(code, len, cls);
	}
	for (size_t i = 0, end; i < len; i = end + 1) {
		for (end = i; end < len && code[end] != '\n'; end++)
			;
		code_line(r, code + i, end - i, cls ? cls + i : NULL);
	}
	free(cls);
	end_block(r, node);
}

/* An HTML block is shown as the plain text it is, line by line. */
static void html_block(struct renderer *r, cmark_node *node)
{
	const char *s = literal(node);
	size_t len = strlen(s);
	wrap_cr(&r->w);
	for (size_t i = 0, end; i < len; i = end + 1) {
		for (end = i; end < len && s[end] != '\n'; end++)
			;
		wrap_text(&r->w, s + i, end - i, 0);
		wrap_break(&r->w);
	}
	end_block(r, node);
}

/* Whether a link's text already is its URL (autolinks, mailto: included). */
static bool text_is_url(struct renderer *r, cmark_node *link, const char *url)
{
	cmark_iter *it = cmark_iter_new(link);
	cmark_event_type ev;
	sbuf_truncate(&r->tmp, 0);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
			sbuf_adds(&r->tmp, literal(n));
	}
	cmark_iter_free(it);
	return strcmp(sbuf_str(&r->tmp), url) == 0 ||
	       (strncmp(url, "mailto:", 7) == 0 && strcmp(sbuf_str(&r->tmp), url + 7) == 0);
}

/* After a link's or image's text: " (URL)" in a dim style. */
static void show_url(struct renderer *r, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	unsigned outer = style_of(r, node);
	if (!url || !*url)
		return;
	if (cmark_node_get_type(node) == CMARK_NODE_LINK && text_is_url(r, node, url))
		return;
	sbuf_truncate(&r->tmp, 0);
	sbuf_addf(&r->tmp, "(%s)", url);
	wrap_space(&r->w, outer);
	wrap_text(&r->w, r->tmp.buf, r->tmp.len, wrap_style_merge(outer, ST_DIM));
}

static void image(struct renderer *r, cmark_node *node, bool entering)
{
	unsigned outer = style_of(r, node);
	if (entering) {
		text(r, cmark_node_first_child(node) ? "[image:" : "[image", outer);
		if (cmark_node_first_child(node))
			wrap_space(&r->w, outer);
		return;
	}
	text(r, "]", outer);
	show_url(r, node);
}

static void code_span(struct renderer *r, cmark_node *node)
{
	const char *s = literal(node);
	plain_mark(r, node, "`");
	wrap_code(&r->w, s, strlen(s), wrap_style_merge(style_of(r, node), ST_CODE));
	plain_mark(r, node, "`");
}

/* What NODE looks like, on entering it and (for containers) on leaving it. */
static void render_event(struct renderer *r, cmark_node *node, cmark_event_type ev)
{
	bool entering = ev == CMARK_EVENT_ENTER;
	struct wrap *w = &r->w;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_DOCUMENT:
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		if (entering) {
			wrap_cr(w);
			wrap_push(w, r->m->quote, ST_DIM, r->m->quote, ST_DIM);
		} else {
			wrap_pop(w);
			end_block(r, node);
		}
		break;
	case CMARK_NODE_LIST:
		if (entering) {
			list_enter(r, node);
		} else {
			r->nlist--;
			end_block(r, node);
		}
		break;
	case CMARK_NODE_ITEM:
		if (entering)
			item_enter(r);
		else
			wrap_pop(w);
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_block(r, node);
		break;
	case CMARK_NODE_HTML_BLOCK:
		html_block(r, node);
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_PARAGRAPH:
		if (entering)
			wrap_cr(w);
		else
			end_block(r, node);
		break;
	case CMARK_NODE_HEADING:
		heading(r, node, entering);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		wrap_cr(w);
		rule(r, wrap_avail(w), r->m->rule, ST_DIM);
		end_block(r, node);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		text(r, literal(node), style_of(r, node));
		break;
	case CMARK_NODE_SOFTBREAK:
		wrap_space(w, style_of(r, node));
		break;
	case CMARK_NODE_LINEBREAK:
		wrap_break(w);
		break;
	case CMARK_NODE_CODE:
		code_span(r, node);
		break;
	case CMARK_NODE_CUSTOM_INLINE:
		break;
	case CMARK_NODE_EMPH:
		plain_mark(r, node, "_");
		break;
	case CMARK_NODE_STRONG:
		plain_mark(r, node, "*");
		break;
	case CMARK_NODE_LINK:
		if (!entering)
			show_url(r, node);
		break;
	case CMARK_NODE_IMAGE:
		image(r, node, entering);
		break;
	default:
		assert(false);
	}
}

/* ---- tables (engine/mdtable.h) ---- */

/* Columns S[0..N) takes on screen: SGR sequences take none. */
static int visible_cols(const char *s, size_t n)
{
	int cols = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '\033') {
			while (i < n && !(s[i] >= '@' && s[i] <= '~' && s[i] != '['))
				i++;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && s[j] != '\033')
			j++;
		cols += (int)utf8_width(s + i, j - i);
		i = j;
	}
	return cols;
}

/* A cell rendered at WIDTH columns: its lines (pointers into TEXT). */
struct cell {
	struct sbuf text;
	const char **line;
	size_t *len;
	size_t n;
};

static void cell_render(struct renderer *r, struct cell *c, cmark_node *node, int width)
{
	struct render_opts o = *r->o;
	o.width = width;
	sbuf_truncate(&c->text, 0);
	render_node(&c->text, node, &o);
	free(c->line);
	free(c->len);
	c->n = 0;
	size_t cap = 4;
	c->line = xmalloc(cap * sizeof *c->line);
	c->len = xmalloc(cap * sizeof *c->len);
	const char *s = sbuf_str(&c->text), *end = s + c->text.len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (c->n == cap) {
			cap *= 2;
			c->line = xrealloc(c->line, cap * sizeof *c->line);
			c->len = xrealloc(c->len, cap * sizeof *c->len);
		}
		c->line[c->n] = s;
		c->len[c->n++] = nl ? (size_t)(nl - s) : (size_t)(end - s);
		s = nl ? nl + 1 : end;
	}
}

/* The widest line of C, and the widest word (for the narrowest column). */
static void cell_measure(const struct cell *c, int *widest, int *word)
{
	*widest = *word = 0;
	for (size_t i = 0; i < c->n; i++) {
		int w = visible_cols(c->line[i], c->len[i]);
		if (w > *widest)
			*widest = w;
		const char *s = c->line[i], *end = s + c->len[i];
		while (s < end) {
			const char *sp = memchr(s, ' ', (size_t)(end - s));
			const char *e = sp ? sp : end;
			int ww = visible_cols(s, (size_t)(e - s));
			if (ww > *word)
				*word = ww;
			s = sp ? sp + 1 : end;
		}
	}
}

#define TABLE_GAP 2

/* Column widths that fit AVAIL: the natural ones, narrowed from the widest
 * down to each column's longest word, then further if they must. */
static void table_widths(int *width, const int *word, int ncol, int avail)
{
	for (;;) {
		int total = TABLE_GAP * (ncol - 1);
		for (int c = 0; c < ncol; c++)
			total += width[c];
		if (total <= avail)
			return;
		int pick = -1;
		for (int c = 0; c < ncol; c++) /* the widest that is above its longest word */
			if (width[c] > word[c] && (pick < 0 || width[c] > width[pick]))
				pick = c;
		if (pick < 0)
			for (int c = 0; c < ncol; c++) /* else the widest that is above 3 */
				if (width[c] > 3 && (pick < 0 || width[c] > width[pick]))
					pick = c;
		if (pick < 0)
			return;
		width[pick]--;
	}
}

/* Appends LINE (COLS wide) padded to WIDTH as ALIGN says. */
static void add_aligned(struct sbuf *sb, const char *line, size_t len, int cols, int width,
			int align)
{
	int pad = width > cols ? width - cols : 0;
	int left = align == MDTABLE_RIGHT ? pad : align == MDTABLE_CENTER ? pad / 2 : 0;
	sbuf_repeat(sb, " ", (size_t)left);
	sbuf_add(sb, line, len);
	sbuf_repeat(sb, " ", (size_t)(pad - left));
}

/* Draws a table: columns two spaces apart, a rule under the header, each
 * cell wrapped within its column. */
static void table(struct renderer *r, cmark_node *t)
{
	int ncol = 0;
	lesson_node_role(t, &ncol);
	size_t nrow = 0;
	for (cmark_node *row = cmark_node_first_child(t); row; row = cmark_node_next(row))
		nrow++;
	if (ncol < 1 || nrow == 0)
		return;
	struct cell *cells = xcalloc(nrow * (size_t)ncol, sizeof *cells);
	cmark_node **nodes = xcalloc(nrow * (size_t)ncol, sizeof *nodes);
	int *width = xcalloc((size_t)ncol, sizeof *width), *word = xcalloc((size_t)ncol, sizeof *word);
	size_t i = 0;
	for (cmark_node *row = cmark_node_first_child(t); row; row = cmark_node_next(row), i++) {
		int c = 0;
		for (cmark_node *n = cmark_node_first_child(row); n && c < ncol; n = cmark_node_next(n), c++) {
			struct cell *cl = &cells[i * (size_t)ncol + (size_t)c];
			nodes[i * (size_t)ncol + (size_t)c] = n;
			cell_render(r, cl, n, 1000);
			int w, wd;
			cell_measure(cl, &w, &wd);
			if (w > width[c])
				width[c] = w;
			if (wd > word[c])
				word[c] = wd;
		}
	}
	table_widths(width, word, ncol, wrap_avail(&r->w));
	struct sbuf line = SBUF_INIT;
	wrap_cr(&r->w);
	for (i = 0; i < nrow; i++) {
		size_t height = 0;
		for (int c = 0; c < ncol; c++) {
			struct cell *cl = &cells[i * (size_t)ncol + (size_t)c];
			if (nodes[i * (size_t)ncol + (size_t)c])
				cell_render(r, cl, nodes[i * (size_t)ncol + (size_t)c], width[c]);
			if (cl->n > height)
				height = cl->n;
		}
		for (size_t k = 0; k < (height ? height : 1); k++) {
			sbuf_truncate(&line, 0);
			int cols = 0;
			for (int c = 0; c < ncol; c++) {
				struct cell *cl = &cells[i * (size_t)ncol + (size_t)c];
				int align = 0;
				if (nodes[i * (size_t)ncol + (size_t)c])
					lesson_node_role(nodes[i * (size_t)ncol + (size_t)c], &align);
				const char *s = k < cl->n ? cl->line[k] : "";
				size_t n = k < cl->n ? cl->len[k] : 0;
				if (c) {
					sbuf_repeat(&line, " ", TABLE_GAP);
					cols += TABLE_GAP;
				}
				add_aligned(&line, s, n, visible_cols(s, n), width[c], align);
				cols += width[c];
			}
			wrap_line_raw(&r->w, line.buf, line.len, cols);
		}
		if (i == 0 && nrow > 1) { /* the rule under the header */
			sbuf_truncate(&line, 0);
			int cols = 0;
			if (r->o->color)
				sbuf_adds(&line, "\033[2m");
			for (int c = 0; c < ncol; c++) {
				if (c) {
					sbuf_repeat(&line, " ", TABLE_GAP);
					cols += TABLE_GAP;
				}
				sbuf_repeat(&line, r->m->rule, (size_t)width[c]);
				cols += width[c];
			}
			if (r->o->color)
				sbuf_adds(&line, "\033[0m");
			wrap_line_raw(&r->w, line.buf, line.len, cols);
		}
	}
	for (i = 0; i < nrow * (size_t)ncol; i++) {
		sbuf_free(&cells[i].text);
		free(cells[i].line);
		free(cells[i].len);
	}
	sbuf_free(&line);
	free(cells);
	free(nodes);
	free(width);
	free(word);
}

/* Whether cmark's iterator leaves NODE with an exit event (a container). */
static bool container(cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_DOCUMENT:
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
	case CMARK_NODE_CUSTOM_INLINE:
		return true;
	default:
		return false;
	}
}

/* Renders the tree under ROOT, keeping the style stack: a container's
 * events see its ancestors' style, its children see the style inside it. */
static void walk(struct renderer *r, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_CUSTOM_BLOCK &&
		    lesson_node_role(node, NULL) == ROLE_TABLE) {
			table(r, node);
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT); /* its cells are drawn */
			render_event(r, node, CMARK_EVENT_EXIT);       /* (nothing was pushed) */
			continue;
		}
		bool box = container(node);
		if (ev == CMARK_EVENT_EXIT && box && r->nstyle)
			r->nstyle--;
		render_event(r, node, ev);
		if (ev == CMARK_EVENT_ENTER && box) {
			if (r->nstyle == r->stylecap)
				r->styles = xrealloc(r->styles, (r->stylecap = r->stylecap ? 2 * r->stylecap : 32) *
								    sizeof *r->styles);
			r->styles[r->nstyle] = style_inside(node, style_of(r, node));
			r->nstyle++;
		}
	}
	cmark_iter_free(it);
}

static void begin(struct renderer *r, struct sbuf *out, const struct render_opts *o)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	r->m = o->utf8 ? &utf8_marks : &ascii_marks;
	wrap_init(&r->w, out, o->width, o->color);
}

static void finish(struct renderer *r)
{
	wrap_finish(&r->w);
	free(r->list);
	free(r->styles);
	sbuf_free(&r->tmp);
}

void render_blocks(struct sbuf *out, cmark_node *first, cmark_node *end,
                   const struct render_opts *o)
{
	struct renderer r;
	begin(&r, out, o);
	for (cmark_node *n = first; n && n != end; n = cmark_node_next(n))
		walk(&r, n);
	finish(&r);
}

void render_node(struct sbuf *out, cmark_node *node, const struct render_opts *o)
{
	struct renderer r;
	begin(&r, out, o);
	walk(&r, node);
	finish(&r);
}

void render_markdown(struct sbuf *out, const char *md, size_t len, const struct render_opts *o)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_VALIDATE_UTF8);
	mdtable_rewrite(doc, md, len, NULL, NULL);
	render_blocks(out, cmark_node_first_child(doc), NULL, o);
	cmark_node_free(doc);
}
