/*
 * lesson.c — reading a lesson: the cheap scan and the full cmark parse.
 * See lesson.h for what each stage yields and docs/authoring.md for the
 * format itself.
 */
#include "engine/lesson.h"
#include "engine/lint_rules.h"
#include "engine/mdtable.h"
#include "engine/base/files.h"
#include "engine/frontmatter.h"
#include "engine/base/sbuf.h"
#include "engine/base/utf8.h"
#include "engine/lab/lab.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LESSON_BYTES (4u << 20)

/* ---- reading and scanning ---------------------------------------------- */

static int line_of_offset(const char *s, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* A fence opener/closer: up to 3 spaces, then 3+ backticks or tildes. */
static int fence_at(const char *s, size_t len, char *ch, size_t *count)
{
	size_t i = 0;
	while (i < len && i < 3 && s[i] == ' ')
		i++;
	if (i >= len || (s[i] != '`' && s[i] != '~'))
		return 0;
	char c = s[i];
	size_t n = 0;
	while (i + n < len && s[i + n] == c)
		n++;
	if (n < 3)
		return 0;
	if (c == '`' && memchr(s + i + n, '`', len - i - n)) /* backtick info can't hold ` */
		return 0;
	*ch = c;
	*count = n;
	return 1;
}

static int closes_fence(const char *s, size_t len, char ch, size_t count)
{
	char c;
	size_t n;
	if (!fence_at(s, len, &c, &n) || c != ch || n < count)
		return 0;
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	for (i += n; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Up to 3 spaces, 3+ backticks, then an info string with a backtick in it:
 * an author meant a fence, CommonMark sees inline code. */
static int backtick_info(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 3 && s[i] == ' ')
		i++;
	size_t n = 0;
	while (i + n < len && s[i + n] == '`')
		n++;
	return n >= 3 && memchr(s + i + n, '`', len - i - n) != NULL;
}

/* "## Exercise: title {#id}" or "{#id attributes}" (case-insensitive
 * "exercise:"): returns the id (new string, "" if missing) or NULL if the line
 * is not such a heading. */
static char *exercise_heading(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 3 && s[i] == ' ')
		i++;
	if (len - i < 3 || s[i] != '#' || s[i + 1] != '#' || (s[i + 2] != ' ' && s[i + 2] != '\t'))
		return NULL;
	i += 3;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 9 || strncasecmp(s + i, "exercise:", 9) != 0)
		return NULL;
	size_t end = len;
	while (end > i && isspace((unsigned char)s[end - 1]))
		end--;
	if (end > i && s[end - 1] == '}') {
		const char *open = NULL;
		for (size_t k = end - 1; k > i; k--)
			if (s[k - 1] == '{' && s[k] == '#') {
				open = s + k + 1;
				break;
			}
		if (open) {
			size_t n = 0; /* the id ends where the attributes start */
			while (open + n < s + end - 1 && open[n] != ' ' && open[n] != '\t')
				n++;
			return xstrndup(open, n);
		}
	}
	return xstrdup("");
}

/* The line scan: exercise ids, and fences left open at the end. */
static void scan_body(struct lesson *l, const char *body, size_t len, int first_line)
{
	size_t cap = 4;
	l->scan_ids = xmalloc(cap * sizeof *l->scan_ids);
	l->nscan_ids = 0;
	int lineno = first_line;
	int in_fence = 0, fence_line = 0;
	char fch = 0;
	size_t fcount = 0;
	for (size_t off = 0; off < len; lineno++) {
		const char *nl = memchr(body + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - body) : len;
		const char *s = body + off;
		size_t n = end - off;
		if (n && s[n - 1] == '\r')
			n--;
		off = nl ? end + 1 : len;
		if (in_fence) {
			if (closes_fence(s, n, fch, fcount))
				in_fence = 0;
			continue;
		}
		if (fence_at(s, n, &fch, &fcount)) {
			in_fence = 1;
			fence_line = lineno;
			continue;
		}
		if (backtick_info(s, n))
			diags_add(&l->diags, l->path, lineno,
				  "this ``` line is not a code fence: a backtick fence's info string "
				  "cannot contain a backtick (remove it, or fence with ~~~)");
		char *id = exercise_heading(s, n);
		if (id) {
			if (l->nscan_ids + 1 >= cap)
				l->scan_ids = xrealloc(l->scan_ids, (cap *= 2) * sizeof *l->scan_ids);
			l->scan_ids[l->nscan_ids++] = id;
		}
	}
	l->scan_ids[l->nscan_ids] = NULL;
	if (in_fence)
		diags_add(&l->diags, l->path, fence_line,
			  "unterminated code fence: no closing %.*s line (the rest of the file "
			  "became code)",
			  (int)fcount, fch == '`' ? "``````````" : "~~~~~~~~~~");
}

/*
 * Control characters in a lesson (ESC, BEL, C1 controls...) could drive the
 * learner's terminal from a title or a hint: each becomes '?' (as many as
 * its bytes, so offsets keep), with a diagnostic on the first. Tab, line
 * feed, carriage return and form feed are text.
 */
static void tame_controls(struct lesson *l, char *src, size_t len)
{
	size_t n = 0, first = 0;
	unsigned cp = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		int width = 0;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
			width = 1;
		else if (c == 0xC2 && i + 1 < len && (unsigned char)src[i + 1] >= 0x80 &&
			 (unsigned char)src[i + 1] < 0xA0)
			width = 2; /* U+0080..U+009F */
		if (!width)
			continue;
		if (n++ == 0) {
			first = i;
			cp = width == 1 ? c : (unsigned char)src[i + 1];
		}
		memset(src + i, '?', (size_t)width);
		i += (size_t)width - 1;
	}
	if (n)
		diags_add(&l->diags, l->path, line_of_offset(src, first),
			  "the file contains %zu control character%s (the first is U+%04X), which "
			  "could drive the learner's terminal; each is shown as '?': remove them",
			  n, n == 1 ? "" : "s", cp);
}

static struct lesson *scan(struct lesson *l, char *src, size_t len, int module)
{
	size_t bad;
	l->src = src;
	l->len = len;
	if (!utf8_valid(src, len, &bad)) {
		diags_add(&l->diags, l->path, line_of_offset(src, bad),
			  "the file is not UTF-8 (byte 0x%02X at offset %zu); save it as UTF-8",
			  (unsigned char)src[bad], bad);
		l->front.requires = front_list("");
		l->front.tags = front_list("");
		l->front.uses = front_list("");
		l->scan_ids = xcalloc(1, sizeof *l->scan_ids);
		return l;
	}
	if (memchr(src, '\0', len)) {
		diags_add(&l->diags, l->path, line_of_offset(src, (size_t)((char *)memchr(src, '\0', len) - src)),
			  "the file contains a NUL byte");
		l->front.requires = front_list("");
		l->front.tags = front_list("");
		l->front.uses = front_list("");
		l->scan_ids = xcalloc(1, sizeof *l->scan_ids);
		return l;
	}
	tame_controls(l, src, len);
	size_t body_off;
	front_parse(l->path, src, len, module ? FRONT_MODULE : FRONT_LESSON, &l->front, &body_off, &l->body_line,
		    &l->diags);
	l->body_offset = body_off;
	scan_body(l, src + body_off, len - body_off, l->body_line);
	l->scanned_ok = true;
	return l;
}

static struct lesson *scan_path(const char *path, int module)
{
	struct lesson *l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	size_t len = 0;
	char *err = NULL;
	char *src = files_read(path, MAX_LESSON_BYTES, &len, &err);
	if (!src) {
		diags_add(&l->diags, path, 0, "%s", err);
		free(err);
		l->front.requires = front_list("");
		l->front.tags = front_list("");
		l->front.uses = front_list("");
		l->scan_ids = xcalloc(1, sizeof *l->scan_ids);
		return l;
	}
	return scan(l, src, len, module);
}

struct lesson *lesson_scan(const char *path)
{
	return scan_path(path, 0);
}

struct lesson *lesson_scan_module(const char *path)
{
	return scan_path(path, 1);
}

struct lesson *lesson_scan_text(const char *path, const char *text, size_t len)
{
	struct lesson *l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	return scan(l, xstrndup(text, len), len, 0);
}

/* ---- the full parse ----------------------------------------------------- */

enum block_kind block_kind_of(const char *info)
{
	char w1[16] = "", w2[16] = "";
	if (!info || sscanf(info, "%15s %15s", w1, w2) < 1)
		return BLOCK_CODE;
	const char *k = w1;
	if (strcmp(w1, "lua") == 0) {
		if (!*w2)
			return BLOCK_EXAMPLE;
		k = w2;
	}
	if (strcmp(k, "check") == 0 && k == w2)
		return BLOCK_CHECK;
	if (strcmp(k, "starter") == 0)
		return BLOCK_STARTER;
	if (strcmp(k, "solution") == 0)
		return BLOCK_SOLUTION;
	if (strcmp(k, "wrong") == 0)
		return BLOCK_WRONG;
	if (strcmp(k, "hint") == 0)
		return BLOCK_HINT;
	return k == w2 ? BLOCK_EXAMPLE : BLOCK_CODE;
}

/* For `wrong`: the text after the keyword, if any, is what the feedback must
 * contain. Returns a new string or NULL. */
static char *wrong_expect(const char *info)
{
	const char *p = strstr(info, "wrong");
	if (!p)
		return NULL;
	p += 5;
	char *t = xstrdup(p);
	char *s = t;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	char *r = n ? xstrndup(s, n) : NULL;
	free(t);
	return r;
}

static int file_line(const struct lesson *l, cmark_node *n)
{
	return cmark_node_get_start_line(n) + l->body_line - 1;
}

/* mdtable_rewrite()'s report of a paragraph that is not quite a table. */
static void table_problem(void *ud, int line, const char *msg)
{
	struct lesson *l = ud;
	diags_add(&l->diags, l->path, line + l->body_line - 1, "%s", msg);
}

/* Plain text of inline content (text and code literals; breaks as spaces). */
static void plain_text(struct sbuf *sb, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			sbuf_adds(sb, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sbuf_addc(sb, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static char *trim_dup(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Removes the first N characters of text from the leading text nodes of
 * PARA, then any spaces after them. */
static void strip_leading(cmark_node *para, size_t n, int then_spaces)
{
	cmark_node *t = cmark_node_first_child(para);
	while (t && cmark_node_get_type(t) == CMARK_NODE_TEXT) {
		const char *lit = cmark_node_get_literal(t);
		size_t len = strlen(lit), k = n < len ? n : len;
		n -= k;
		if (!n && then_spaces)
			while (k < len && lit[k] == ' ')
				k++;
		cmark_node *next = cmark_node_next(t);
		if (k == len) {
			cmark_node_free(t);
		} else {
			char *rest = xstrdup(lit + k);
			cmark_node_set_literal(t, rest);
			free(rest);
			if (!n)
				return;
		}
		if (!n && !then_spaces)
			return;
		t = next;
	}
}

/* Whether a list item starts with "[ ]" or "[x]": returns -1 for neither,
 * else 1 if checked and 0 if not. */
static int choice_marker(cmark_node *item)
{
	cmark_node *para = cmark_node_first_child(item);
	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return -1;
	char head[4] = "";
	size_t have = 0;
	for (cmark_node *t = cmark_node_first_child(para);
	     t && cmark_node_get_type(t) == CMARK_NODE_TEXT && have < 3; t = cmark_node_next(t)) {
		const char *lit = cmark_node_get_literal(t);
		while (*lit && have < 3)
			head[have++] = *lit++;
	}
	head[have] = '\0';
	if (strcmp(head, "[ ]") == 0)
		return 0;
	if (strcmp(head, "[x]") == 0 || strcmp(head, "[X]") == 0)
		return 1;
	return -1;
}

struct pending {
	cmark_node *node;
	int step;
};

struct walk {
	struct lesson *l;
	struct pending *codes;
	size_t ncode, capcode;
	struct pending *lists;
	size_t nlist, caplist;
};

static void push(struct pending **v, size_t *n, size_t *cap, cmark_node *node, int step)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 8) * sizeof **v);
	(*v)[(*n)++] = (struct pending){node, step};
}

/* Collects the code blocks and candidate choice lists under a top-level node,
 * without changing the tree (cmark iterators forbid that). */
static void collect(struct walk *w, cmark_node *top, int step)
{
	cmark_iter *it = cmark_iter_new(top);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
			push(&w->codes, &w->ncode, &w->capcode, n, step);
		else if (cmark_node_get_type(n) == CMARK_NODE_LIST)
			push(&w->lists, &w->nlist, &w->caplist, n, step);
	}
	cmark_iter_free(it);
}

static int is_step_heading(cmark_node *n)
{
	return cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) <= 2;
}

/* A step starting at FIRST. The opening step (before any heading) gets a
 * NULL first node, resolved once hidden blocks are gone: FIRST may be one. */
static void add_step(struct lesson *l, cmark_node *first, size_t *cap)
{
	if (l->nstep == *cap)
		l->steps = xrealloc(l->steps, (*cap = *cap ? *cap * 2 : 8) * sizeof *l->steps);
	struct step *s = &l->steps[l->nstep++];
	memset(s, 0, sizeof *s);
	s->first = is_step_heading(first) ? first : NULL;
	s->exercise = -1;
	s->line = file_line(l, first);
}

/* Strips a trailing "{#id}" or "{#id attributes}" from the heading's last
 * text node; returns what was between "{#" and "}" (new string) or NULL. */
static char *take_heading_id(cmark_node *h)
{
	cmark_node *t = cmark_node_last_child(h);
	if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return NULL;
	const char *lit = cmark_node_get_literal(t);
	size_t n = strlen(lit);
	while (n && isspace((unsigned char)lit[n - 1]))
		n--;
	if (!n || lit[n - 1] != '}')
		return NULL;
	const char *open = NULL;
	for (size_t k = n - 1; k > 0; k--)
		if (lit[k - 1] == '{' && lit[k] == '#') {
			open = lit + k - 1;
			break;
		}
	if (!open)
		return NULL;
	char *id = xstrndup(open + 2, (size_t)(lit + n - 1 - (open + 2)));
	size_t keep = (size_t)(open - lit);
	while (keep && lit[keep - 1] == ' ')
		keep--;
	char *rest = xstrndup(lit, keep);
	cmark_node_set_literal(t, rest);
	free(rest);
	return id;
}

static int valid_id(const char *id)
{
	if (!*id || !isalnum((unsigned char)*id))
		return 0;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return 1;
}

/* Reads the attributes after the id in "{#id allow=clock,hash.ketama}" into
 * E: space-separated key=value pairs; the one key is `allow`, a
 * comma-separated list of lab namespaces (`clock`) or functions of one
 * (`hash.ketama`). Problems become diagnostics at LINE. */
static void heading_attrs(struct lesson *l, struct exercise *e, const char *s, int line)
{
	size_t n = 0;
	e->allow = xcalloc(1, sizeof *e->allow);
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return;
		size_t len = strcspn(s, " \t");
		char *attr = xstrndup(s, len);
		s += len;
		char *eq = strchr(attr, '=');
		if (!eq || eq - attr != 5 || strncmp(attr, "allow", 5) != 0) {
			diags_add(&l->diags, l->path, line,
				  "exercise '%s': unknown attribute '%s' after the id (the one "
				  "attribute is allow=NAME,NAME: what of lab the learner's code "
				  "may use)",
				  e->id, attr);
			free(attr);
			continue;
		}
		for (char *name = eq + 1, *next; name; name = next) {
			next = strchr(name, ',');
			if (next)
				*next++ = '\0';
			if (!*name)
				continue;
			char *ns = xstrndup(name, strcspn(name, "."));
			int known = lab_find(ns) != NULL;
			free(ns);
			if (!known) {
				diags_add(&l->diags, l->path, line,
					  "exercise '%s': allow= names '%s', which is not in a lab namespace",
					  e->id, name);
				continue;
			}
			e->allow = xrealloc(e->allow, (n + 2) * sizeof *e->allow);
			e->allow[n++] = xstrdup(name);
			e->allow[n] = NULL;
		}
		free(attr);
	}
}

static void add_exercise(struct lesson *l, cmark_node *h, size_t *cap)
{
	struct step *s = &l->steps[l->nstep - 1];
	int line = s->line;
	char *inside = take_heading_id(h), *id = NULL;
	const char *attrs = "";
	if (inside) {
		size_t n = strcspn(inside, " \t");
		id = xstrndup(inside, n);
		attrs = inside + n;
	}
	struct sbuf title = SBUF_INIT;
	plain_text(&title, h);
	const char *t = sbuf_str(&title);
	while (isspace((unsigned char)*t))
		t++;
	t += 9; /* "Exercise:" */
	if (!id || !valid_id(id)) {
		if (!id)
			diags_add(&l->diags, l->path, line,
				  "exercise heading has no id: end it with {#some-id}");
		else
			diags_add(&l->diags, l->path, line,
				  "exercise id '%s' must be letters, digits, '-' or '_'", id);
		free(id);
		id = xasprintf("exercise-%zu", l->nex + 1);
	}
	for (size_t i = 0; i < l->nex; i++)
		if (strcmp(l->ex[i].id, id) == 0)
			diags_add(&l->diags, l->path, line,
				  "duplicate exercise id '%s' (also on line %d)", id, l->ex[i].line);
	if (l->nex == *cap)
		l->ex = xrealloc(l->ex, (*cap = *cap ? *cap * 2 : 4) * sizeof *l->ex);
	struct exercise *e = &l->ex[l->nex];
	memset(e, 0, sizeof *e);
	e->id = id;
	e->title = trim_dup(t);
	e->line = line;
	e->step = (int)l->nstep - 1;
	heading_attrs(l, e, attrs, line);
	free(inside);
	s->exercise = (int)l->nex++;
	if (!*e->title)
		diags_add(&l->diags, l->path, line, "exercise '%s' has no title after 'Exercise:'",
			  id);
	sbuf_free(&title);
}

static void set_block(struct lesson *l, struct block *b, cmark_node *code, const char *what,
		      struct exercise *e)
{
	int line = file_line(l, code);
	if (b->text) {
		diags_add(&l->diags, l->path, line,
			  "exercise '%s' has a second `%s` block (the first is on line %d)", e->id,
			  what, b->line - 1);
		return;
	}
	b->text = xstrdup(cmark_node_get_literal(code));
	b->line = line + 1;
}

static void append_block(struct lesson *l, struct block **v, size_t *n, cmark_node *code,
			 char *expect)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].text = xstrdup(cmark_node_get_literal(code));
	(*v)[*n].line = file_line(l, code) + 1;
	(*v)[*n].expect = expect;
	(*n)++;
}

static const char *kind_name(enum block_kind k)
{
	switch (k) {
	case BLOCK_CHECK:
		return "lua check";
	case BLOCK_STARTER:
		return "starter";
	case BLOCK_SOLUTION:
		return "solution";
	case BLOCK_WRONG:
		return "wrong";
	case BLOCK_HINT:
		return "hint";
	default:
		return "code";
	}
}

/* Code is shown indented by 4 columns, unwrapped: lines past this wrap. */
#define CODE_COLUMNS 76

static void check_width(struct lesson *l, cmark_node *code)
{
	const char *t = cmark_node_get_literal(code);
	int line = file_line(l, code) + 1;
	for (const char *p = t; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t w = utf8_width(p, n);
		if (w > CODE_COLUMNS)
			diags_add(&l->diags, l->path, line,
				  "this code line is %zu columns wide; shown code is indented by 4, so "
				  "keep it within %d to fit an 80-column terminal",
				  w, CODE_COLUMNS);
		p += n + (nl != NULL);
	}
}

/* Hidden blocks go into their exercise and leave the tree; examples are
 * numbered in document order. */
static void take_code(struct lesson *l, cmark_node *code, int step)
{
	const char *info = cmark_node_get_fence_info(code);
	enum block_kind k = block_kind_of(info);
	char *unknown = lint_fence_problem(info);
	if (unknown) {
		diags_add(&l->diags, l->path, file_line(l, code), "%s", unknown);
		free(unknown);
	}
	if (k == BLOCK_CODE || k == BLOCK_EXAMPLE)
		check_width(l, code);
	if (k == BLOCK_CODE)
		return;
	if (k == BLOCK_EXAMPLE) {
		l->examples = xrealloc(l->examples, (l->nexample + 1) * sizeof *l->examples);
		struct example *x = &l->examples[l->nexample++];
		x->code = xstrdup(cmark_node_get_literal(code));
		x->line = file_line(l, code) + 1;
		x->step = step;
		lesson_set_node_role(code, ROLE_EXAMPLE, (int)l->nexample);
		return;
	}
	int ei = step >= 0 ? l->steps[step].exercise : -1;
	if (ei < 0) {
		diags_add(&l->diags, l->path, file_line(l, code),
			  "a `%s` block outside an exercise (put it under a '## Exercise: ... {#id}' "
			  "heading)",
			  kind_name(k));
		cmark_node_free(code);
		return;
	}
	struct exercise *e = &l->ex[ei];
	switch (k) {
	case BLOCK_CHECK:
		set_block(l, &e->check, code, "lua check", e);
		break;
	case BLOCK_STARTER:
		set_block(l, &e->starter, code, "starter", e);
		break;
	case BLOCK_SOLUTION:
		set_block(l, &e->solution, code, "solution", e);
		break;
	case BLOCK_WRONG:
		append_block(l, &e->wrongs, &e->nwrong, code, wrong_expect(info));
		break;
	case BLOCK_HINT:
		append_block(l, &e->hints, &e->nhint, code, NULL);
		break;
	default:
		break;
	}
	cmark_node_free(code);
}

static void take_choices(struct lesson *l, cmark_node *list, int step)
{
	int ei = l->steps[step].exercise;
	cmark_node *item = cmark_node_first_child(list);
	int marked = 0, unmarked = 0;
	for (cmark_node *it = item; it; it = cmark_node_next(it))
		choice_marker(it) >= 0 ? marked++ : unmarked++;
	if (!marked)
		return;
	int line = file_line(l, list);
	if (ei < 0) {
		diags_add(&l->diags, l->path, line,
			  "a [ ]/[x] choice list outside an exercise");
		return;
	}
	struct exercise *e = &l->ex[ei];
	if (unmarked) {
		diags_add(&l->diags, l->path, line,
			  "some items of this choice list have no [ ] or [x] mark");
		return;
	}
	if (e->nchoice) {
		diags_add(&l->diags, l->path, line,
			  "exercise '%s' has a second choice list (the first is on line %d)", e->id,
			  e->choices[0].line);
		return;
	}
	if (marked > 26) {
		diags_add(&l->diags, l->path, line, "a choice list can have at most 26 items");
		return;
	}
	e->choices = xcalloc((size_t)marked, sizeof *e->choices);
	for (cmark_node *it = item; it; it = cmark_node_next(it)) {
		struct choice *c = &e->choices[e->nchoice++];
		c->correct = choice_marker(it) == 1;
		c->line = file_line(l, it);
		cmark_node *para = cmark_node_first_child(it);
		strip_leading(para, 3, 1);
		struct sbuf sb = SBUF_INIT;
		plain_text(&sb, para);
		c->text = trim_dup(sbuf_str(&sb));
		sbuf_free(&sb);
		for (cmark_node *k = cmark_node_next(para); k;) {
			cmark_node *next = cmark_node_next(k);
			if (cmark_node_get_type(k) == CMARK_NODE_BLOCK_QUOTE) {
				if (c->explain) {
					diags_add(&l->diags, l->path, file_line(l, k),
						  "a choice has a second explanation (> quote)");
				} else {
					cmark_node_unlink(k);
					c->explain = k;
				}
			}
			k = next;
		}
	}
	lesson_set_node_role(list, ROLE_CHOICES, (int)e->nchoice);
}

static void check_exercise(struct lesson *l, struct exercise *e)
{
	const char *p = l->path, *id = e->id;
	int line = e->line;
	if (e->nchoice) {
		e->kind = EX_CHOICE;
		int right = 0;
		for (size_t i = 0; i < e->nchoice; i++)
			right += e->choices[i].correct;
		if (!right)
			diags_add(&l->diags, p, line, "exercise '%s': no choice is marked [x]", id);
		if (right == (int)e->nchoice)
			diags_add(&l->diags, p, line,
				  "exercise '%s': every choice is marked [x], so no answer is wrong", id);
		if (e->check.text)
			diags_add(&l->diags, p, e->check.line - 1,
				  "exercise '%s' is a choice question: its [x] marks grade it, so it "
				  "takes no `lua check` block",
				  id);
		if (e->starter.text)
			diags_add(&l->diags, p, e->starter.line - 1,
				  "exercise '%s' is a choice question and takes no `starter`", id);
		if (e->allow && e->allow[0])
			diags_add(&l->diags, p, line,
				  "exercise '%s': allow= is for code exercises; a choice question "
				  "runs no code", id);
		return;
	}
	e->kind = e->starter.text ? EX_CODE : EX_ANSWER;
	if (e->kind != EX_CODE && e->allow && e->allow[0])
		diags_add(&l->diags, p, line,
			  "exercise '%s': allow= is for code exercises (it widens the lab the "
			  "learner's file sees); this one has no `starter`",
			  id);
	if (!e->check.text) {
		diags_add(&l->diags, p, line,
			  "exercise '%s' has neither a `lua check` block nor a [ ]/[x] choice list", id);
		return;
	}
	if (!e->solution.text)
		diags_add(&l->diags, p, line,
			  "exercise '%s' has no `solution` block (lint runs it: it must pass)", id);
	if (!e->nwrong)
		diags_add(&l->diags, p, line,
			  "exercise '%s' has no `wrong` block (lint runs each: they must fail)", id);
}

int lesson_parse(struct lesson *l)
{
	if (l->parsed)
		return l->doc ? 0 : -1;
	l->parsed = true;
	if (!l->src || !l->scanned_ok)
		return -1;
	const char *body = l->src + l->body_offset;
	size_t blen = l->len - l->body_offset;
	l->doc = cmark_parse_document(body, blen, CMARK_OPT_DEFAULT);
	mdtable_rewrite(l->doc, body, blen, table_problem, l);

	/* steps: the opening section, then one per heading of level <= 2 */
	size_t capstep = 0, capex = 0;
	struct walk w = {.l = l};
	for (cmark_node *n = cmark_node_first_child(l->doc); n; n = cmark_node_next(n)) {
		if (l->nstep == 0 || (is_step_heading(n) && n != cmark_node_first_child(l->doc))) {
			add_step(l, n, &capstep);
			if (is_step_heading(n) && cmark_node_get_heading_level(n) == 2) {
				struct sbuf sb = SBUF_INIT;
				plain_text(&sb, n);
				const char *t = sbuf_str(&sb);
				while (isspace((unsigned char)*t))
					t++;
				if (strncasecmp(t, "exercise:", 9) == 0)
					add_exercise(l, n, &capex);
				sbuf_free(&sb);
			}
		}
		collect(&w, n, (int)l->nstep - 1);
	}
	for (size_t i = 0; i < w.nlist; i++)
		take_choices(l, w.lists[i].node, w.lists[i].step);
	for (size_t i = 0; i < w.ncode; i++)
		take_code(l, w.codes[i].node, w.codes[i].step);
	free(w.codes);
	free(w.lists);

	/* ranges and titles, now that hidden blocks are gone */
	for (size_t i = 0; i < l->nstep; i++) {
		struct step *s = &l->steps[i];
		s->end = i + 1 < l->nstep ? l->steps[i + 1].first : NULL;
		if (!s->first)
			s->first = cmark_node_first_child(l->doc);
		if (s->exercise >= 0) {
			s->title = xasprintf("Exercise: %s", l->ex[s->exercise].title);
		} else if (cmark_node_get_type(s->first) == CMARK_NODE_HEADING) {
			struct sbuf sb = SBUF_INIT;
			plain_text(&sb, s->first);
			s->title = trim_dup(sbuf_str(&sb));
			sbuf_free(&sb);
		} else {
			s->title = xstrdup(l->front.title ? l->front.title : "Introduction");
		}
	}
	if (l->nstep > 1 && l->steps[0].first == l->steps[0].end) { /* nothing left */
		free(l->steps[0].title);
		memmove(l->steps, l->steps + 1, --l->nstep * sizeof *l->steps);
		for (size_t i = 0; i < l->nex; i++)
			l->ex[i].step--;
		for (size_t i = 0; i < l->nexample; i++)
			l->examples[i].step--;
	}
	if (l->nstep == 0)
		diags_add(&l->diags, l->path, l->body_line, "the lesson has no content after the front matter");
	for (size_t i = 0; i < l->nex; i++)
		check_exercise(l, &l->ex[i]);

	/* the line scan and cmark must agree on where exercises are */
	if (l->nscan_ids != l->nex)
		diags_add(&l->diags, l->path, l->body_line,
			  "found %zu '## Exercise:' lines but %zu exercise headings; is one inside a "
			  "list, a quote or HTML?",
			  l->nscan_ids, l->nex);
	return 0;
}

struct exercise *lesson_exercise(struct lesson *l, const char *id)
{
	for (size_t i = 0; i < l->nex; i++)
		if (strcmp(l->ex[i].id, id) == 0)
			return &l->ex[i];
	return NULL;
}

static void free_blocks(struct block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].expect);
	}
	free(v);
}

void lesson_free(struct lesson *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nex; i++) {
		struct exercise *e = &l->ex[i];
		free(e->id);
		free(e->title);
		free(e->check.text);
		free(e->starter.text);
		free(e->solution.text);
		free_blocks(e->wrongs, e->nwrong);
		free_blocks(e->hints, e->nhint);
		for (size_t k = 0; k < e->nchoice; k++) {
			free(e->choices[k].text);
			if (e->choices[k].explain)
				cmark_node_free(e->choices[k].explain);
		}
		free(e->choices);
		for (char **a = e->allow; a && *a; a++)
			free(*a);
		free(e->allow);
	}
	free(l->ex);
	for (size_t i = 0; i < l->nstep; i++)
		free(l->steps[i].title);
	free(l->steps);
	for (size_t i = 0; i < l->nexample; i++)
		free(l->examples[i].code);
	free(l->examples);
	if (l->doc)
		cmark_node_free(l->doc);
	for (size_t i = 0; i < l->nscan_ids; i++)
		free(l->scan_ids[i]);
	free(l->scan_ids);
	front_free(&l->front);
	diags_free(&l->diags);
	free(l->src);
	free(l->path);
	free(l->id);
	free(l->module);
	free(l);
}

char *exercise_check_hash(const struct exercise *e)
{
	/* FNV-1a, 64 bits: a fingerprint to notice changes, not a security hash */
	uint64_t h = 0xcbf29ce484222325ull;
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "kind %d\n", (int)e->kind);
	if (e->check.text)
		sbuf_adds(&sb, e->check.text);
	for (size_t i = 0; i < e->nchoice; i++)
		sbuf_addf(&sb, "\n[%c] %s", e->choices[i].correct ? 'x' : ' ', e->choices[i].text);
	for (char **a = e->allow; a && *a; a++) /* what the submission may use */
		sbuf_addf(&sb, "\nallow %s", *a);
	for (size_t i = 0; i < sb.len; i++) {
		h ^= (unsigned char)sb.buf[i];
		h *= 0x100000001b3ull;
	}
	sbuf_free(&sb);
	return xasprintf("%016llx", (unsigned long long)h);
}
