/* mdtable.c — pipe tables read from a paragraph's source; see mdtable.h. */
#include "engine/mdtable.h"
#include "engine/lesson.h"
#include "engine/base/sbuf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *s;
	size_t n;
};

/* The source lines of paragraph P: LINES[0..*N) (new array), each without
 * the container prefix before the paragraph's column and trimmed. */
static struct line *para_lines(cmark_node *p, const char *src, size_t len, size_t *n)
{
	int first = cmark_node_get_start_line(p), last = cmark_node_get_end_line(p);
	int col = cmark_node_get_start_column(p);
	*n = 0;
	if (first < 1 || last < first)
		return NULL;
	struct line *v = xcalloc((size_t)(last - first + 1), sizeof *v);
	const char *at = src, *end = src + len;
	for (int line = 1; line < first && at < end; line++) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		at = nl ? nl + 1 : end;
	}
	for (int line = first; line <= last && at < end; line++) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		const char *stop = nl ? nl : end;
		const char *s = at;
		/* the container prefix (quote marks, list indentation) */
		for (int c = 1; c < col && s < stop && (*s == ' ' || *s == '>' || *s == '\t'); c++)
			s++;
		while (s < stop && (*s == ' ' || *s == '\t'))
			s++;
		const char *e = stop;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		v[(*n)++] = (struct line){s, (size_t)(e - s)};
		at = nl ? nl + 1 : end;
	}
	return v;
}

/* Splits a row (starting with '|') at unescaped pipes into new strings
 * CELLS[0..*N), trimmed, with "\|" made "|". */
static char **split_row(struct line l, size_t *n)
{
	size_t cap = 8;
	char **cells = xmalloc(cap * sizeof *cells);
	*n = 0;
	size_t i = l.n && l.s[0] == '|' ? 1 : 0;
	size_t stop = l.n;
	if (stop > i && l.s[stop - 1] == '|' && !(stop >= 2 && l.s[stop - 2] == '\\'))
		stop--; /* the closing pipe */
	struct sbuf cell = SBUF_INIT;
	for (;; i++) {
		if (i >= stop || (l.s[i] == '|')) {
			const char *t = sbuf_str(&cell);
			size_t a = 0, b = cell.len;
			while (a < b && (t[a] == ' ' || t[a] == '\t'))
				a++;
			while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'))
				b--;
			if (*n + 1 >= cap)
				cells = xrealloc(cells, (cap *= 2) * sizeof *cells);
			cells[(*n)++] = xstrndup(t + a, b - a);
			sbuf_truncate(&cell, 0);
			if (i >= stop)
				break;
			continue;
		}
		if (l.s[i] == '\\' && i + 1 < stop && l.s[i + 1] == '|') {
			sbuf_addc(&cell, '|');
			i++;
			continue;
		}
		sbuf_addc(&cell, l.s[i]);
	}
	sbuf_free(&cell);
	return cells;
}

static void free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* Whether CELLS form a delimiter row; fills ALIGN (N entries). */
static bool delimiter_row(char **cells, size_t n, enum mdtable_align *align)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *c = cells[i];
		size_t len = strlen(c);
		bool left = len && c[0] == ':', right = len && c[len - 1] == ':';
		size_t a = left, b = len - (right && len > 1);
		if (b <= a)
			return false;
		for (size_t k = a; k < b; k++)
			if (c[k] != '-')
				return false;
		align[i] = left && right ? MDTABLE_CENTER : right ? MDTABLE_RIGHT : MDTABLE_LEFT;
	}
	return true;
}

/* A paragraph holding TEXT's inline Markdown (parsed), as a cell. */
static cmark_node *cell_node(const char *text, enum mdtable_align align)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_VALIDATE_UTF8);
	cmark_node *p = cmark_node_first_child(doc);
	if (p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH) {
		cmark_node_unlink(p);
	} else {
		p = cmark_node_new(CMARK_NODE_PARAGRAPH);
		if (*text) { /* not a paragraph on its own ("# x", "- x"): its text as is */
			cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(t, text);
			cmark_node_append_child(p, t);
		}
	}
	cmark_node_free(doc);
	lesson_set_node_role(p, ROLE_TABLE_CELL, (int)align);
	return p;
}

/* A row node of CELLS, padded or cut to NCOL cells. */
static cmark_node *row_node(char **cells, size_t n, size_t ncol, const enum mdtable_align *align,
			    bool header)
{
	cmark_node *row = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	lesson_set_node_role(row, ROLE_TABLE_ROW, header);
	for (size_t i = 0; i < ncol; i++)
		cmark_node_append_child(row, cell_node(i < n ? cells[i] : "", align[i]));
	return row;
}

/* Makes the table of paragraph P, whose lines are L[0..N), or says why it
 * is not one. Returns 1 for a table. */
static int make_table(cmark_node *p, struct line *l, size_t n, mdtable_problem_fn problem,
		      void *ud)
{
	size_t nh, nd;
	char **head = split_row(l[0], &nh);
	char **delim = n >= 2 ? split_row(l[1], &nd) : NULL;
	enum mdtable_align *align = xcalloc(nh, sizeof *align);
	const char *why = NULL;
	if (!delim || nd != nh || !delimiter_row(delim, nd, align))
		why = n >= 2 && delim && nd != nh && delimiter_row(delim, nd, align)
			      ? "this table's delimiter row has a different number of cells from its "
				"header: learners would see a pile of pipes"
			      : "a paragraph of pipes is not a table: under the header, put a delimiter "
				"row (`| --- | --- |`, one `---` per column): learners would see a "
				"pile of pipes";
	if (why) {
		if (problem)
			problem(ud, cmark_node_get_start_line(p), why);
		free_cells(head, nh);
		if (delim)
			free_cells(delim, nd);
		free(align);
		return 0;
	}
	cmark_node *table = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	lesson_set_node_role(table, ROLE_TABLE, (int)nh);
	cmark_node_append_child(table, row_node(head, nh, nh, align, true));
	for (size_t i = 2; i < n; i++) {
		size_t nc;
		char **cells = split_row(l[i], &nc);
		cmark_node_append_child(table, row_node(cells, nc, nh, align, false));
		free_cells(cells, nc);
	}
	cmark_node_insert_before(p, table);
	cmark_node_free(p);
	free_cells(head, nh);
	free_cells(delim, nd);
	free(align);
	return 1;
}

int mdtable_rewrite(cmark_node *doc, const char *src, size_t len, mdtable_problem_fn problem,
		    void *ud)
{
	/* collect first: the tree changes */
	size_t cap = 8, np = 0;
	cmark_node **paras = xmalloc(cap * sizeof *paras);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		if (np == cap)
			paras = xrealloc(paras, (cap *= 2) * sizeof *paras);
		paras[np++] = n;
	}
	cmark_iter_free(it);
	int made = 0;
	for (size_t i = 0; i < np; i++) {
		size_t n;
		struct line *l = para_lines(paras[i], src, len, &n);
		/* a table's rows start with a pipe, and there are at least two */
		if (n >= 1 && l[0].n >= 2 && l[0].s[0] == '|' && memchr(l[0].s + 1, '|', l[0].n - 1)) {
			bool rows = true;
			for (size_t k = 0; k < n && rows; k++)
				rows = l[k].n && l[k].s[0] == '|';
			if (rows)
				made += make_table(paras[i], l, n, problem, ud);
		}
		free(l);
	}
	free(paras);
	return made;
}
