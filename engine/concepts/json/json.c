/*
 * json.c — the JSON parser and writers (json.h).
 *
 * The parser is a loop over a stack of open containers (the parser's own,
 * grown from the budget up to max_depth), so no input can overflow the C
 * stack. Strings without escapes are handed out as pointers into the
 * input; strings with escapes are decoded into a buffer that grows.
 */
#include "engine/concepts/json/json.h"
#include "engine/base/budget.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int json_buf_add(struct json_buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = budget_realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void json_buf_free(struct json_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- errors ---- */

void json_locate(const char *text, size_t len, struct json_error *e)
{
	size_t line = 1, col = 1;
	if (e->off > len)
		e->off = len;
	for (size_t i = 0; i < e->off; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n' || (c == '\r' && !(i + 1 < len && text[i + 1] == '\n'))) {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80 && c != '\r') {
			col++;
		}
	}
	e->line = line;
	e->column = col;
}

/* Records the error WHY at byte AT; returns -1 for the caller to return. */
static int fail(struct json_parser *p, size_t at, const char *why)
{
	p->pos = at;
	p->why = why;
	return -1;
}

/* ---- UTF-8 ---- */

/*
 * The length of the valid UTF-8 sequence at S (at most N bytes), or 0 if it
 * is not one: no overlong forms, no surrogates, nothing above U+10FFFF
 * (RFC 3629 section 4).
 */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t k;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		k = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return k;
}

static int put_utf8(struct json_buf *b, uint32_t cp)
{
	char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return json_buf_add(b, t, n);
}

/* ---- tokens ---- */

static void skip_ws(struct json_parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		p->pos++;
	}
}

static int hex4(const char *s, size_t n, uint32_t *v)
{
	if (n < 4)
		return -1;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		*v = *v * 16 + (uint32_t)d;
	}
	return 0;
}

/* A \u escape at p->pos (after the backslash and 'u'), with a surrogate
 * pair joined; appends the character to the buffer. */
static int read_uescape(struct json_parser *p, size_t esc)
{
	uint32_t v, lo;
	if (hex4(p->s + p->pos, p->len - p->pos, &v) != 0)
		return fail(p, esc, "\\u must be followed by four hex digits");
	p->pos += 4;
	if (v >= 0xD800 && v <= 0xDBFF && p->pos + 1 < p->len && p->s[p->pos] == '\\' &&
	    p->s[p->pos + 1] == 'u' && hex4(p->s + p->pos + 2, p->len - p->pos - 2, &lo) == 0 &&
	    lo >= 0xDC00 && lo <= 0xDFFF) {
		v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
		p->pos += 6;
	} else if (v >= 0xD800 && v <= 0xDFFF) {
		if (p->o.lone != JSON_LONE_REPLACE)
			return fail(p, esc, v <= 0xDBFF ? "lone high surrogate (no \\uDC00-\\uDFFF follows)"
			                                : "lone low surrogate (no \\uD800-\\uDBFF before it)");
		v = 0xFFFD;
	}
	if (put_utf8(&p->buf, v) != 0)
		return p->oom = 1, -1;
	return 0;
}

static int read_escape(struct json_parser *p)
{
	size_t esc = p->pos++;
	if (p->pos >= p->len)
		return fail(p, esc, "unterminated string");
	char c = p->s[p->pos++], out;
	switch (c) {
	case '"': out = '"'; break;
	case '\\': out = '\\'; break;
	case '/': out = '/'; break;
	case 'b': out = '\b'; break;
	case 'f': out = '\f'; break;
	case 'n': out = '\n'; break;
	case 'r': out = '\r'; break;
	case 't': out = '\t'; break;
	case 'u': return read_uescape(p, esc);
	default: return fail(p, esc, "invalid escape (only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
	}
	if (json_buf_add(&p->buf, &out, 1) != 0)
		return p->oom = 1, -1;
	return 0;
}

/* The string at p->pos (its opening quote): *S and *N are the decoded
 * text, in the input when it has no escape, else in p->buf. */
static int read_string(struct json_parser *p, const char **s, size_t *n)
{
	size_t start = p->pos++, run = p->pos;
	int copied = 0;
	p->buf.len = 0;
	for (;;) {
		if (p->pos >= p->len)
			return fail(p, start, "unterminated string");
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"' || c == '\\') {
			if (c == '"' && !copied) {
				*s = p->s + run;
				*n = p->pos - run;
				p->pos++;
				return 0;
			}
			if (json_buf_add(&p->buf, p->s + run, p->pos - run) != 0)
				return p->oom = 1, -1;
			copied = 1;
			if (c == '"') {
				p->pos++;
				*s = p->buf.p;
				*n = p->buf.len;
				return 0;
			}
			if (read_escape(p) != 0)
				return -1;
			run = p->pos;
		} else if (c < 0x20) {
			return fail(p, p->pos, "control character in a string (escape it)");
		} else if (c < 0x80) {
			p->pos++;
		} else {
			uint32_t cp;
			size_t k = utf8_seq((const unsigned char *)p->s + p->pos, p->len - p->pos, &cp);
			if (!k)
				return fail(p, p->pos, "invalid UTF-8 in a string");
			p->pos += k;
		}
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The number at p->pos, into EV (JSON_INT or JSON_FLOAT). */
static int read_number(struct json_parser *p, struct json_event *ev)
{
	size_t start = p->pos, i = p->pos;
	const char *s = p->s;
	int neg = 0, integral = 1;
	if (s[i] == '-')
		neg = 1, i++;
	if (i >= p->len || !is_digit(s[i]))
		return fail(p, start, "a number needs a digit after '-'");
	if (s[i] == '0') {
		i++;
		if (i < p->len && is_digit(s[i]))
			return fail(p, start, "leading zero in a number");
	} else {
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && s[i] == '.') {
		integral = 0;
		i++;
		if (i >= p->len || !is_digit(s[i]))
			return fail(p, i, "a digit must follow the decimal point");
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		integral = 0;
		i++;
		if (i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(s[i]))
			return fail(p, i, "a digit must follow the exponent");
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	p->pos = i;
	if (integral) {
		uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		size_t j = start + (size_t)neg;
		for (; j < i; j++) {
			uint64_t d = (uint64_t)(s[j] - '0');
			if (v > (limit - d) / 10)
				break;
			v = v * 10 + d;
		}
		if (j == i && !(neg && v == 0)) {
			ev->kind = JSON_INT;
			ev->i = neg ? (int64_t)(0 - v) : (int64_t)v;
			return 0;
		}
	}
	/* strtod wants a NUL-terminated string: copy the number (any length) */
	p->buf.len = 0;
	if (json_buf_add(&p->buf, s + start, i - start) != 0)
		return p->oom = 1, -1;
	errno = 0;
	double d = strtod(p->buf.p, NULL);
	if (errno == ERANGE && isinf(d))
		return fail(p, start, "number out of the range of a double");
	ev->kind = JSON_FLOAT;
	ev->d = d;
	return 0;
}

static int read_literal(struct json_parser *p, struct json_event *ev)
{
	static const struct {
		const char *word;
		enum json_kind kind;
	} lits[] = {{"null", JSON_NULL}, {"true", JSON_TRUE}, {"false", JSON_FALSE}};
	for (size_t k = 0; k < 3; k++) {
		size_t n = strlen(lits[k].word);
		if (p->len - p->pos >= n && memcmp(p->s + p->pos, lits[k].word, n) == 0) {
			p->pos += n;
			ev->kind = lits[k].kind;
			return 0;
		}
	}
	return fail(p, p->pos, "expected a value (string, number, object, array, true, false or null)");
}

/* ---- the machine ---- */

static int emit(struct json_parser *p, struct json_event *ev, size_t at)
{
	ev->off = at;
	ev->depth = p->depth;
	if (budget_poll(p->events++)) {
		p->why = budget_stop();
		p->oom = 1;
		p->pos = at;
		return -1;
	}
	const char *why = p->cb(p->ctx, ev);
	if (why)
		return fail(p, at, why);
	return 0;
}

/* Sets where the next value goes (and counts it in its container). */
static void place(struct json_parser *p, struct json_event *ev)
{
	if (p->depth == 0) {
		ev->parent = 0;
		ev->index = 0;
		return;
	}
	struct json_level *l = &p->stack[p->depth - 1];
	ev->parent = l->kind;
	ev->index = ++l->count;
}

static int push(struct json_parser *p, char kind, size_t at)
{
	if (p->depth >= p->o.max_depth) {
		snprintf(p->msg, sizeof p->msg, "nesting deeper than %zu arrays and objects (max_depth)",
		         p->o.max_depth);
		return fail(p, at, p->msg);
	}
	if (p->depth == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct json_level *s = budget_realloc(p->stack, cap * sizeof *s);
		if (!s)
			return p->oom = 1, -1;
		p->stack = s;
		p->cap = cap;
	}
	p->stack[p->depth].kind = kind;
	p->stack[p->depth].count = 0;
	p->depth++;
	return 0;
}

/* An object key at p->pos (after whitespace), then the colon. */
static int read_key(struct json_parser *p)
{
	struct json_event ev = {0};
	size_t at = p->pos;
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return fail(p, p->pos, p->pos >= p->len ? "unexpected end of text, expected a key"
		                                        : "expected a string as object key");
	if (read_string(p, &ev.s, &ev.len) != 0)
		return -1;
	ev.kind = JSON_KEY;
	if (emit(p, &ev, at) != 0)
		return -1;
	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':')
		return fail(p, p->pos, "expected ':' after an object key");
	p->pos++;
	return 0;
}

/* Closes the innermost container (its closing bracket at p->pos). */
static int close_level(struct json_parser *p)
{
	struct json_event ev = {0};
	size_t at = p->pos++;
	p->depth--;
	place(p, &ev);
	ev.kind = JSON_END;
	return emit(p, &ev, at);
}

/* One value at p->pos: a scalar, or the opening of a container (with its
 * first key, or its immediate end). Returns 1 when a container stays open
 * (its first value follows), 0 after a complete value, -1 on error. */
static int read_value(struct json_parser *p)
{
	struct json_event ev = {0};
	skip_ws(p);
	size_t at = p->pos;
	if (p->pos >= p->len)
		return fail(p, p->pos, "unexpected end of text, expected a value");
	char c = p->s[p->pos];
	if (c == '[' || c == '{') {
		ev.kind = c == '[' ? JSON_ARRAY : JSON_OBJECT;
		if (push(p, c == '[' ? 'a' : 'o', at) != 0)
			return -1;
		/* begin events carry the place the container will take */
		struct json_level *l = p->depth >= 2 ? &p->stack[p->depth - 2] : NULL;
		ev.parent = l ? l->kind : 0;
		ev.index = l ? l->count + 1 : 0;
		p->pos++;
		if (emit(p, &ev, at) != 0)
			return -1;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == (c == '[' ? ']' : '}'))
			return close_level(p);
		if (c == '{')
			return read_key(p) != 0 ? -1 : 1;
		return 1;
	}
	if (c == '"') {
		if (read_string(p, &ev.s, &ev.len) != 0)
			return -1;
		ev.kind = JSON_STRING;
	} else if (c == '-' || is_digit(c)) {
		if (read_number(p, &ev) != 0)
			return -1;
	} else if (read_literal(p, &ev) != 0) {
		return -1;
	}
	place(p, &ev);
	return emit(p, &ev, at);
}

/*
 * After a value: a comma (then another value, or a key and a value), or
 * the end of the innermost container. Returns 1 when a value must follow,
 * 0 when the document is complete, -1 on error.
 */
static int after_value(struct json_parser *p)
{
	for (;;) {
		skip_ws(p);
		if (p->depth == 0) {
			if (p->pos < p->len)
				return fail(p, p->pos, "text after the end of the value");
			return 0;
		}
		char kind = p->stack[p->depth - 1].kind;
		if (p->pos >= p->len)
			return fail(p, p->pos, kind == 'a' ? "unexpected end of text, expected ',' or ']'"
			                                   : "unexpected end of text, expected ',' or '}'");
		char c = p->s[p->pos];
		if (c == ',') {
			p->pos++;
			if (kind == 'o') {
				skip_ws(p);
				if (read_key(p) != 0)
					return -1;
			}
			return 1;
		}
		if (c == (kind == 'a' ? ']' : '}')) {
			if (close_level(p) != 0)
				return -1;
			continue;
		}
		return fail(p, p->pos, kind == 'a' ? "expected ',' or ']' after an array element"
		                                   : "expected ',' or '}' after an object member");
	}
}

static int run(struct json_parser *p)
{
	if (p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
		return fail(p, 0, "byte order mark (RFC 8259 section 8.1: do not send one)");
	for (;;) {
		int rc = read_value(p);
		if (rc < 0)
			return -1;
		if (rc == 1)
			continue; /* a container opened: its first value */
		rc = after_value(p);
		if (rc <= 0)
			return rc;
	}
}

void json_parser_init(struct json_parser *p, const struct json_options *o)
{
	memset(p, 0, sizeof *p);
	if (o)
		p->o = *o;
	if (!p->o.max_depth)
		p->o.max_depth = JSON_DEFAULT_DEPTH;
}

void json_parser_free(struct json_parser *p)
{
	budget_free(p->stack);
	p->stack = NULL;
	p->cap = p->depth = 0;
	json_buf_free(&p->buf);
}

int json_parser_run(struct json_parser *p, const char *text, size_t len, json_callback cb,
                    void *ctx, struct json_error *e)
{
	p->s = text;
	p->len = len;
	p->pos = 0;
	p->depth = 0;
	p->cb = cb;
	p->ctx = ctx;
	p->why = NULL;
	p->oom = 0;
	int rc = run(p);
	if (rc == 0)
		return 0;
	e->off = p->pos;
	e->why = p->why;
	if (p->oom && !p->why)
		e->why = budget_stop() ? budget_stop() : "not enough memory";
	json_locate(text, len, e);
	return p->oom ? -2 : -1;
}

int json_parse(const char *text, size_t len, const struct json_options *o, json_callback cb,
               void *ctx, struct json_error *e)
{
	struct json_parser p;
	json_parser_init(&p, o);
	int rc = json_parser_run(&p, text, len, cb, ctx, e);
	json_parser_free(&p);
	return rc;
}
/* ---- writers ---- */

static const char hexdigits[] = "0123456789abcdef";

static int put_u(struct json_buf *b, uint32_t u)
{
	char t[6] = {'\\', 'u', hexdigits[(u >> 12) & 15], hexdigits[(u >> 8) & 15],
	             hexdigits[(u >> 4) & 15], hexdigits[u & 15]};
	return json_buf_add(b, t, 6);
}

/* One character C (code point CP, K bytes at S) of a string being written. */
static int put_char(struct json_buf *b, const char *s, size_t k, uint32_t cp, int ascii)
{
	static const char short_esc[32] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r',
	                                   ['\t'] = 't'};
	if (cp == '"' || cp == '\\') {
		char t[2] = {'\\', (char)cp};
		return json_buf_add(b, t, 2);
	}
	if (cp < 0x20) {
		if (short_esc[cp]) {
			char t[2] = {'\\', short_esc[cp]};
			return json_buf_add(b, t, 2);
		}
		return put_u(b, cp);
	}
	if (cp < 0x80 || !ascii)
		return json_buf_add(b, s, k);
	if (cp < 0x10000)
		return put_u(b, cp);
	cp -= 0x10000;
	if (put_u(b, 0xD800 + (cp >> 10)) != 0)
		return -1;
	return put_u(b, 0xDC00 + (cp & 0x3FF));
}

int json_write_string(struct json_buf *b, const char *s, size_t len, int ascii, size_t *bad)
{
	if (json_buf_add(b, "\"", 1) != 0)
		return -2;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (!k) {
			*bad = i;
			return -1;
		}
		if (put_char(b, s + i, k, cp, ascii) != 0)
			return -2;
		i += k;
	}
	return json_buf_add(b, "\"", 1) != 0 ? -2 : 0;
}

int json_write_double(struct json_buf *b, double d)
{
	char t[40];
	if (!isfinite(d))
		return -1;
	/* the first of %.15g .. %.17g that reads back exactly (17 always does) */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(t, sizeof t, "%.*g", prec, d);
		if (strtod(t, NULL) == d)
			break;
	}
	if (!strpbrk(t, ".eEn"))
		strcat(t, ".0");
	return json_buf_add(b, t, strlen(t)) != 0 ? -2 : 0;
}

int json_write_int(struct json_buf *b, int64_t i)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%lld", (long long)i);
	return json_buf_add(b, t, (size_t)n) != 0 ? -2 : 0;
}
