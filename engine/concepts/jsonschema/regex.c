/*
 * regex.c — the ECMA-262 regular-expression subset of JSON Schema's
 * "pattern" (jsonschema.h): a parser to a tree, a compiler to a Thompson
 * NFA program, and a Pike-style simulation (no backtracking, so no
 * pattern can take exponential time).
 */
#include "engine/concepts/jsonschema/jsonschema.h"
#include "engine/base/budget.h"

#include <string.h>

#define RX_MAX_PROG 4000   /* instructions: {n,m} copies its operand */
#define RX_MAX_PATTERN 1000 /* bytes: the compiler recurses once per piece */
#define RX_INF (-1)

enum rx_kind { RX_CHAR, RX_ANY, RX_CLASS, RX_BOL, RX_EOL, RX_CAT, RX_ALT, RX_REP, RX_EMPTY };

struct rx_range {
	uint32_t lo, hi;
};

struct rx_node {
	enum rx_kind k;
	uint32_t c;                   /* RX_CHAR */
	struct rx_range *r;           /* RX_CLASS */
	size_t nr;
	int neg;
	struct rx_node *a, *b;        /* RX_CAT, RX_ALT; RX_REP uses a */
	int min, max;                 /* RX_REP; max RX_INF */
};

struct rx_parser {
	const unsigned char *p, *end;
	const char *why;
	int nomem;
	struct rx_node **all;         /* every node, to free */
	size_t nall, capall;
};

static struct rx_node *node(struct rx_parser *ps, enum rx_kind k)
{
	if (ps->nall == ps->capall) {
		size_t cap = ps->capall ? 2 * ps->capall : 32;
		struct rx_node **p = budget_realloc(ps->all, cap * sizeof *p);
		if (!p) {
			ps->nomem = 1;
			return NULL;
		}
		ps->all = p;
		ps->capall = cap;
	}
	struct rx_node *n = budget_calloc(1, sizeof *n);
	if (!n) {
		ps->nomem = 1;
		return NULL;
	}
	n->k = k;
	ps->all[ps->nall++] = n;
	return n;
}

/* The next code point of UTF-8 text at *P (a stray byte stands for itself). */
static uint32_t utf8_next(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (c >= 0xF8 || (c >= 0x80 && c < 0xC0) || s + n >= end + (n == 0))
		n = 0;
	if (n > 0) {
		uint32_t v = c & (0x3F >> n);
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80) {
				*p = s + 1;
				return c;
			}
			v = v << 6 | (s[i] & 0x3F);
		}
		*p = s + n + 1;
		return v;
	}
	*p = s + 1;
	return c;
}

static int add_range(struct rx_parser *ps, struct rx_node *n, uint32_t lo, uint32_t hi)
{
	struct rx_range *r = budget_realloc(n->r, (n->nr + 1) * sizeof *r);
	if (!r) {
		ps->nomem = 1;
		return -1;
	}
	n->r = r;
	r[n->nr].lo = lo;
	r[n->nr].hi = hi;
	n->nr++;
	return 0;
}

/* Adds the ranges of \d, \w or \s (lower case) to N. */
static int add_shorthand(struct rx_parser *ps, struct rx_node *n, int c)
{
	if (c == 'd')
		return add_range(ps, n, '0', '9');
	if (c == 'w')
		return add_range(ps, n, '0', '9') || add_range(ps, n, 'A', 'Z') ||
		       add_range(ps, n, 'a', 'z') || add_range(ps, n, '_', '_');
	/* \s: WhiteSpace and LineTerminator of ECMA-262 */
	static const uint32_t sp[][2] = {{9, 13}, {32, 32}, {0xA0, 0xA0}, {0x1680, 0x1680},
					 {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
					 {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
	for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++)
		if (add_range(ps, n, sp[i][0], sp[i][1]))
			return -1;
	return 0;
}

static int hexdig(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* After a backslash, outside a class or inside one (INCLASS): an escaped
 * character into *C (returns 0), a shorthand class letter (returns the
 * letter), or -1 with ps->why. */
static int escape(struct rx_parser *ps, uint32_t *c, int inclass)
{
	if (ps->p >= ps->end) {
		ps->why = "a pattern cannot end with '\\'";
		return -1;
	}
	int e = *ps->p++;
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
		return e;
	case 'n': *c = '\n'; return 0;
	case 'r': *c = '\r'; return 0;
	case 't': *c = '\t'; return 0;
	case 'f': *c = '\f'; return 0;
	case 'v': *c = '\v'; return 0;
	case '0': *c = 0; return 0;
	case 'u':
		if (ps->end - ps->p >= 4 && hexdig(ps->p[0]) >= 0 && hexdig(ps->p[1]) >= 0 &&
		    hexdig(ps->p[2]) >= 0 && hexdig(ps->p[3]) >= 0) {
			*c = (uint32_t)(hexdig(ps->p[0]) << 12 | hexdig(ps->p[1]) << 8 |
					hexdig(ps->p[2]) << 4 | hexdig(ps->p[3]));
			ps->p += 4;
			return 0;
		}
		ps->why = "\\u takes four hex digits";
		return -1;
	case 'b':
		if (inclass) {
			*c = '\b';
			return 0;
		}
		break;
	default:
		if (strchr("^$\\.*+?()[]{}|/-", e)) {
			*c = (uint32_t)e;
			return 0;
		}
	}
	ps->why = "this escape (a backreference, \\b, \\p{...} or another) is not in the subset";
	return -1;
}

static struct rx_node *parse_alt(struct rx_parser *ps, int depth);

static struct rx_node *parse_class(struct rx_parser *ps)
{
	struct rx_node *n = node(ps, RX_CLASS);
	if (!n)
		return NULL;
	if (ps->p < ps->end && *ps->p == '^') {
		n->neg = 1;
		ps->p++;
	}
	while (ps->p < ps->end && *ps->p != ']') {
		uint32_t lo;
		if (*ps->p == '\\') {
			ps->p++;
			int s = escape(ps, &lo, 1);
			if (s < 0)
				return NULL;
			if (s > 0) {
				if (s < 'a') {
					ps->why = "\\D, \\W and \\S inside a class are not in the subset";
					return NULL;
				}
				if (add_shorthand(ps, n, s))
					return NULL;
				continue;
			}
		} else {
			lo = utf8_next(&ps->p, ps->end);
		}
		uint32_t hi = lo;
		if (ps->end - ps->p >= 2 && ps->p[0] == '-' && ps->p[1] != ']') {
			ps->p++;
			if (*ps->p == '\\') {
				ps->p++;
				if (escape(ps, &hi, 1) != 0) {
					ps->why = ps->why ? ps->why : "a range ends with a class";
					return NULL;
				}
			} else {
				hi = utf8_next(&ps->p, ps->end);
			}
			if (hi < lo) {
				ps->why = "a class range is out of order";
				return NULL;
			}
		}
		if (add_range(ps, n, lo, hi))
			return NULL;
	}
	if (ps->p >= ps->end) {
		ps->why = "'[' without ']'";
		return NULL;
	}
	ps->p++;
	return n;
}

/* Reads digits into *V (capped); 0 if there were none. */
static int number(struct rx_parser *ps, int *v)
{
	int got = 0;
	*v = 0;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		*v = *v * 10 + (*ps->p++ - '0');
		if (*v > 1000)
			*v = 1001;
		got = 1;
	}
	return got;
}

static struct rx_node *parse_atom(struct rx_parser *ps, int depth)
{
	unsigned char c = *ps->p;
	struct rx_node *n;
	if (c == '(') {
		ps->p++;
		if (ps->end - ps->p >= 2 && ps->p[0] == '?') {
			if (ps->p[1] != ':') {
				ps->why = "lookaround and named groups are not in the subset";
				return NULL;
			}
			ps->p += 2;
		}
		n = parse_alt(ps, depth + 1);
		if (!n)
			return NULL;
		if (ps->p >= ps->end || *ps->p != ')') {
			ps->why = "'(' without ')'";
			return NULL;
		}
		ps->p++;
		return n;
	}
	if (c == '[') {
		ps->p++;
		return parse_class(ps);
	}
	if (c == '.') {
		ps->p++;
		return node(ps, RX_ANY);
	}
	if (c == '^' || c == '$') {
		ps->p++;
		return node(ps, c == '^' ? RX_BOL : RX_EOL);
	}
	if (c == ')' || c == '*' || c == '+' || c == '?' || c == '{' || c == ']' || c == '}') {
		ps->why = "a quantifier or bracket stands where a character should";
		return NULL;
	}
	if (c == '\\') {
		ps->p++;
		uint32_t e;
		int s = escape(ps, &e, 0);
		if (s < 0)
			return NULL;
		if (s > 0) {
			n = node(ps, RX_CLASS);
			if (!n || add_shorthand(ps, n, s | 0x20))
				return NULL;
			n->neg = s < 'a';
			return n;
		}
		n = node(ps, RX_CHAR);
		if (n)
			n->c = e;
		return n;
	}
	n = node(ps, RX_CHAR);
	if (n)
		n->c = utf8_next(&ps->p, ps->end);
	return n;
}

static struct rx_node *parse_piece(struct rx_parser *ps, int depth)
{
	struct rx_node *a = parse_atom(ps, depth);
	while (a && ps->p < ps->end && strchr("*+?{", *ps->p)) {
		int min = 0, max = RX_INF;
		unsigned char q = *ps->p++;
		if (q == '+')
			min = 1;
		else if (q == '?')
			max = 1;
		else if (q == '{') {
			if (!number(ps, &min)) {
				ps->why = "'{' must start a quantifier {n}, {n,} or {n,m}";
				return NULL;
			}
			max = min;
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				if (!number(ps, &max))
					max = RX_INF;
			}
			if (ps->p >= ps->end || *ps->p != '}' || (max != RX_INF && max < min)) {
				ps->why = "a malformed {n,m} quantifier";
				return NULL;
			}
			ps->p++;
			if (min > 1000 || max > 1000) {
				ps->why = "a {n,m} count above 1000";
				return NULL;
			}
		}
		if (ps->p < ps->end && *ps->p == '?')
			ps->p++;  /* lazy: the same language, and we only ask "does it match" */
		if (a->k == RX_BOL || a->k == RX_EOL) {
			ps->why = "a quantifier after ^ or $";
			return NULL;
		}
		struct rx_node *r = node(ps, RX_REP);
		if (!r)
			return NULL;
		r->a = a;
		r->min = min;
		r->max = max;
		a = r;
	}
	return a;
}

static struct rx_node *parse_seq(struct rx_parser *ps, int depth)
{
	struct rx_node *seq = node(ps, RX_EMPTY);
	while (seq && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
		struct rx_node *p = parse_piece(ps, depth);
		if (!p)
			return NULL;
		struct rx_node *c = node(ps, RX_CAT);
		if (!c)
			return NULL;
		c->a = seq;
		c->b = p;
		seq = c;
	}
	return seq;
}

static struct rx_node *parse_alt(struct rx_parser *ps, int depth)
{
	if (depth > 100) {
		ps->why = "groups nested too deep";
		return NULL;
	}
	struct rx_node *a = parse_seq(ps, depth);
	while (a && ps->p < ps->end && *ps->p == '|') {
		ps->p++;
		struct rx_node *b = parse_seq(ps, depth);
		struct rx_node *alt = b ? node(ps, RX_ALT) : NULL;
		if (!alt)
			return NULL;
		alt->a = a;
		alt->b = b;
		a = alt;
	}
	return a;
}

/* ---- the program ---- */

enum rx_op { OP_CHAR, OP_ANY, OP_CLASS, OP_BOL, OP_EOL, OP_SPLIT, OP_JMP, OP_MATCH };

struct rx_inst {
	enum rx_op op;
	uint32_t c;
	const struct rx_node *cls;
	size_t x, y;              /* OP_SPLIT: both; OP_JMP: x */
};

struct rx_prog {
	struct rx_inst *in;
	size_t n, cap;
	int full, nomem;
};

static size_t emit(struct rx_prog *pg, enum rx_op op)
{
	if (pg->n == RX_MAX_PROG) {
		pg->full = 1;
		return 0;
	}
	if (pg->n == pg->cap) {
		size_t cap = pg->cap ? 2 * pg->cap : 64;
		struct rx_inst *p = budget_realloc(pg->in, cap * sizeof *p);
		if (!p) {
			pg->nomem = 1;
			return 0;
		}
		pg->in = p;
		pg->cap = cap;
	}
	memset(&pg->in[pg->n], 0, sizeof pg->in[0]);
	pg->in[pg->n].op = op;
	return pg->n++;
}

static void compile(struct rx_prog *pg, const struct rx_node *n)
{
	if (pg->full || pg->nomem)
		return;
	size_t s, j;
	switch (n->k) {
	case RX_EMPTY:
		return;
	case RX_CHAR:
		s = emit(pg, OP_CHAR);
		if (!pg->full && !pg->nomem)
			pg->in[s].c = n->c;
		return;
	case RX_ANY: emit(pg, OP_ANY); return;
	case RX_BOL: emit(pg, OP_BOL); return;
	case RX_EOL: emit(pg, OP_EOL); return;
	case RX_CLASS:
		s = emit(pg, OP_CLASS);
		if (!pg->full && !pg->nomem)
			pg->in[s].cls = n;
		return;
	case RX_CAT:
		compile(pg, n->a);
		compile(pg, n->b);
		return;
	case RX_ALT:
		s = emit(pg, OP_SPLIT);
		compile(pg, n->a);
		j = emit(pg, OP_JMP);
		if (pg->full || pg->nomem)
			return;
		pg->in[s].x = s + 1;
		pg->in[s].y = pg->n;
		compile(pg, n->b);
		pg->in[j].x = pg->n;
		return;
	case RX_REP:
		for (int i = 0; i < n->min; i++)
			compile(pg, n->a);
		if (n->max == RX_INF) {
			s = emit(pg, OP_SPLIT);
			compile(pg, n->a);
			j = emit(pg, OP_JMP);
			if (pg->full || pg->nomem)
				return;
			pg->in[j].x = s;
			pg->in[s].x = s + 1;
			pg->in[s].y = pg->n;
			return;
		}
		for (int i = n->min; i < n->max; i++) {
			s = emit(pg, OP_SPLIT);
			compile(pg, n->a);
			if (pg->full || pg->nomem)
				return;
			pg->in[s].x = s + 1;
			pg->in[s].y = pg->n;  /* x{0,2} is x?x?: skip this copy */
		}
		return;
	}
}

static int class_has(const struct rx_node *cls, uint32_t c)
{
	int in = 0;
	for (size_t i = 0; i < cls->nr && !in; i++)
		in = c >= cls->r[i].lo && c <= cls->r[i].hi;
	return in != cls->neg;
}

/* Adds PC and what it reaches without reading to the list L. */
static void addthread(const struct rx_prog *pg, size_t *l, size_t *nl, unsigned *mark,
		      unsigned gen, size_t pc, int at_start, int at_end)
{
	if (mark[pc] == gen)
		return;
	mark[pc] = gen;
	const struct rx_inst *in = &pg->in[pc];
	switch (in->op) {
	case OP_JMP:
		addthread(pg, l, nl, mark, gen, in->x, at_start, at_end);
		return;
	case OP_SPLIT:
		addthread(pg, l, nl, mark, gen, in->x, at_start, at_end);
		addthread(pg, l, nl, mark, gen, in->y, at_start, at_end);
		return;
	case OP_BOL:
		if (at_start)
			addthread(pg, l, nl, mark, gen, pc + 1, at_start, at_end);
		return;
	case OP_EOL:
		if (at_end)
			addthread(pg, l, nl, mark, gen, pc + 1, at_start, at_end);
		return;
	default:
		l[(*nl)++] = pc;
	}
}

static int run(const struct rx_prog *pg, const char *s, size_t slen)
{
	size_t *cl = budget_malloc((pg->n + 1) * sizeof *cl);
	size_t *nl = budget_malloc((pg->n + 1) * sizeof *nl);
	unsigned *mark = budget_calloc(pg->n + 1, sizeof *mark);
	if (!cl || !nl || !mark) {
		budget_free(cl);
		budget_free(nl);
		budget_free(mark);
		return -2;
	}
	const unsigned char *p = (const unsigned char *)s, *end = p + slen;
	unsigned gen = 1;
	size_t ncl = 0;
	int matched = 0;
	for (;;) {
		/* a new thread starts at every position: the search is unanchored */
		addthread(pg, cl, &ncl, mark, gen, 0, p == (const unsigned char *)s, p == end);
		for (size_t i = 0; i < ncl && !matched; i++)
			matched = pg->in[cl[i]].op == OP_MATCH;
		if (matched || p == end)
			break;
		uint32_t c = utf8_next(&p, end);
		size_t nnl = 0;
		gen++;
		for (size_t i = 0; i < ncl; i++) {
			const struct rx_inst *in = &pg->in[cl[i]];
			int ok = (in->op == OP_CHAR && in->c == c) ||
				 (in->op == OP_ANY && c != '\n' && c != '\r' && c != 0x2028 &&
				  c != 0x2029) ||
				 (in->op == OP_CLASS && class_has(in->cls, c));
			if (ok)
				addthread(pg, nl, &nnl, mark, gen, cl[i] + 1, 0, p == end);
		}
		size_t *t = cl;
		cl = nl;
		nl = t;
		ncl = nnl;
	}
	budget_free(cl);
	budget_free(nl);
	budget_free(mark);
	return matched;
}

int js_regex_match(const char *pattern, size_t plen, const char *s, size_t slen,
		   const char **why)
{
	if (plen > RX_MAX_PATTERN) {
		*why = "a pattern longer than 1000 bytes";
		return -1;
	}
	struct rx_parser ps = {.p = (const unsigned char *)pattern,
			       .end = (const unsigned char *)pattern + plen};
	struct rx_node *root = parse_alt(&ps, 0);
	if (root && ps.p < ps.end) {
		ps.why = "')' without '('";
		root = NULL;
	}
	int rc;
	struct rx_prog pg = {0};
	if (!root) {
		rc = ps.nomem ? -2 : -1;
		*why = ps.why;
	} else {
		compile(&pg, root);
		emit(&pg, OP_MATCH);
		if (pg.nomem)
			rc = -2;
		else if (pg.full) {
			rc = -1;
			*why = "the pattern is too large";
		} else {
			rc = run(&pg, s, slen);
		}
	}
	budget_free(pg.in);
	for (size_t i = 0; i < ps.nall; i++) {
		budget_free(ps.all[i]->r);
		budget_free(ps.all[i]);
	}
	budget_free(ps.all);
	return rc;
}
