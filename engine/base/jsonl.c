/* jsonl.c — JSON lines of flat objects; see jsonl.h. */
#include "engine/base/jsonl.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ---- */

/*
 * The length (1 to 4) of the valid UTF-8 sequence at s[0..n), or 0 if the
 * bytes there are not one (bad lead byte, bad or missing continuation,
 * overlong form, surrogate, above U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

bool jsonl_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t k = utf8_seq(p + i, len - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

char *jsonl_utf8_fix(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	struct sbuf sb = SBUF_INIT;
	sbuf_grow(&sb, len);
	while (i < len) {
		size_t k = utf8_seq(p + i, len - i);
		if (k == 0) {
			sbuf_adds(&sb, "\xEF\xBF\xBD"); /* U+FFFD */
			i++;
		} else {
			sbuf_add(&sb, p + i, k);
			i += k;
		}
	}
	return sbuf_detach(&sb);
}

static void add_utf8(struct sbuf *sb, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sbuf_add(sb, b, n);
}

/*
 * Numbers are written and read in the "C" locale whatever the program's
 * locale is (a front end that calls setlocale() could otherwise get "0,5").
 * The locale object is made once and never freed.
 */
static locale_t c_numeric(void)
{
	static locale_t loc;
	if (!loc)
		loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	return loc;
}

/* strtod() in the "C" locale. */
static double c_strtod(const char *s)
{
	locale_t loc = c_numeric(), old = loc ? uselocale(loc) : (locale_t)0;
	double d = strtod(s, NULL);
	if (loc)
		uselocale(old);
	return d;
}

/* ---- writer ---- */

void jsonl_quote(struct sbuf *sb, const char *s, size_t len)
{
	sbuf_addc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			sbuf_adds(sb, "\\\"");
			break;
		case '\\':
			sbuf_adds(sb, "\\\\");
			break;
		case '\n':
			sbuf_adds(sb, "\\n");
			break;
		case '\t':
			sbuf_adds(sb, "\\t");
			break;
		case '\r':
			sbuf_adds(sb, "\\r");
			break;
		case '\b':
			sbuf_adds(sb, "\\b");
			break;
		case '\f':
			sbuf_adds(sb, "\\f");
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				sbuf_addf(sb, "\\u%04x", c);
			else
				sbuf_addc(sb, (char)c);
		}
	}
	sbuf_addc(sb, '"');
}

void jsonl_begin(struct sbuf *sb)
{
	sbuf_addc(sb, '{');
}

/* Appends the separator and "key": */
static void key(struct sbuf *sb, const char *k)
{
	if (sb->len > 0 && sb->buf[sb->len - 1] != '{')
		sbuf_addc(sb, ',');
	jsonl_quote(sb, k, strlen(k));
	sbuf_addc(sb, ':');
}

void jsonl_str(struct sbuf *sb, const char *k, const char *val)
{
	key(sb, k);
	if (val)
		jsonl_quote(sb, val, strlen(val));
	else
		sbuf_adds(sb, "null");
}

void jsonl_int(struct sbuf *sb, const char *k, int64_t val)
{
	key(sb, k);
	sbuf_addf(sb, "%" PRId64, val);
}

void jsonl_num(struct sbuf *sb, const char *k, double val)
{
	key(sb, k);
	if (!isfinite(val)) {
		sbuf_adds(sb, "null");
		return;
	}
	char buf[40];
	locale_t loc = c_numeric(), old = loc ? uselocale(loc) : (locale_t)0;
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, val);
		if (strtod(buf, NULL) == val)
			break;
	}
	if (loc)
		uselocale(old);
	sbuf_adds(sb, buf);
}

void jsonl_bool(struct sbuf *sb, const char *k, bool val)
{
	key(sb, k);
	sbuf_adds(sb, val ? "true" : "false");
}

void jsonl_null(struct sbuf *sb, const char *k)
{
	key(sb, k);
	sbuf_adds(sb, "null");
}

void jsonl_end(struct sbuf *sb)
{
	sbuf_adds(sb, "}\n");
}

/* ---- reader ---- */

/* Parser state: the text, the position, the first error. */
struct parser {
	const char *s;
	size_t len, pos;
	char *err;
};

static int fail(struct parser *p, const char *msg)
{
	if (!p->err)
		p->err = xasprintf("column %zu: %s", p->pos + 1, msg);
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		p->pos++;
	}
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* Reads the 4 hex digits of a \u escape at p->pos into *cp. */
static int hex4(struct parser *p, uint32_t *cp)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int c = peek(p);
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return fail(p, "\\u must be followed by 4 hex digits");
		v = v * 16 + (uint32_t)d;
		p->pos++;
	}
	*cp = v;
	return 0;
}

/* Decodes a \u escape (p->pos just after "\u"), pairing surrogates. */
static int unicode_escape(struct parser *p, struct sbuf *out)
{
	uint32_t cp, lo;
	if (hex4(p, &cp) != 0)
		return -1;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return fail(p, "lone low surrogate in \\u escape");
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (peek(p) != '\\' || p->pos + 1 >= p->len || p->s[p->pos + 1] != 'u')
			return fail(p, "high surrogate not followed by a low one");
		p->pos += 2;
		if (hex4(p, &lo) != 0)
			return -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return fail(p, "high surrogate not followed by a low one");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (cp == 0)
		return fail(p, "\\u0000 is not allowed");
	add_utf8(out, cp);
	return 0;
}

static int escape(struct parser *p, struct sbuf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int c = peek(p);
	if (c < 0)
		return fail(p, "unterminated string");
	const char *q = c > 0 ? strchr(from, c) : NULL;
	p->pos++;
	if (c == 'u')
		return unicode_escape(p, out);
	if (!q) {
		p->pos--;
		return fail(p, "unknown escape in string");
	}
	sbuf_addc(out, to[q - from]);
	return 0;
}

/* Reads a string (p->pos at the opening quote); the caller frees *out. */
static int string(struct parser *p, char **out)
{
	struct sbuf sb = SBUF_INIT;
	p->pos++;
	for (;;) {
		int c = peek(p);
		if (c < 0) {
			sbuf_free(&sb);
			return fail(p, "unterminated string");
		}
		if (c == '"')
			break;
		if (c < 0x20) {
			sbuf_free(&sb);
			return fail(p, "control character in string (escape it)");
		}
		if (c == '\\') {
			p->pos++;
			if (escape(p, &sb) != 0) {
				sbuf_free(&sb);
				return -1;
			}
			continue;
		}
		size_t k = utf8_seq((const unsigned char *)p->s + p->pos, p->len - p->pos);
		if (k == 0) {
			sbuf_free(&sb);
			return fail(p, "invalid UTF-8 in string");
		}
		sbuf_add(&sb, p->s + p->pos, k);
		p->pos += k;
	}
	p->pos++;
	*out = sbuf_detach(&sb);
	return 0;
}

static size_t digits(struct parser *p)
{
	size_t n = 0;
	while (peek(p) >= '0' && peek(p) <= '9') {
		p->pos++;
		n++;
	}
	return n;
}

/* Reads a number by the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(struct parser *p, struct jsonl_value *v)
{
	size_t start = p->pos;
	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (peek(p) >= '0' && peek(p) <= '9')
			return fail(p, "leading zero in number");
	} else if (digits(p) == 0)
		return fail(p, "bad number");
	if (peek(p) == '.') {
		p->pos++;
		if (digits(p) == 0)
			return fail(p, "digits expected after '.'");
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (digits(p) == 0)
			return fail(p, "digits expected in exponent");
	}
	v->type = JSONL_NUM;
	v->text = xstrndup(p->s + start, p->pos - start);
	v->num = c_strtod(v->text);
	return 0;
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "expected a string, number, true, false or null");
	p->pos += n;
	return 0;
}

static int value(struct parser *p, struct jsonl_value *v)
{
	int c = peek(p);
	memset(v, 0, sizeof *v);
	if (c == '"') {
		v->type = JSONL_STR;
		return string(p, &v->text);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return number(p, v);
	if (c == '{' || c == '[')
		return fail(p, "nested objects and arrays are not supported");
	if (c == 't' || c == 'f') {
		v->type = JSONL_BOOL;
		v->boolean = c == 't';
		return literal(p, c == 't' ? "true" : "false");
	}
	v->type = JSONL_NULL;
	return literal(p, "null");
}

static void add_field(struct jsonl_obj *o, char *k, struct jsonl_value v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xrealloc(o->v, o->cap * sizeof *o->v);
	}
	o->v[o->n].key = k;
	o->v[o->n].val = v;
	o->n++;
}

/* Reads "key": value (p->pos at the key) into o. */
static int member(struct parser *p, struct jsonl_obj *o)
{
	char *k;
	struct jsonl_value v;
	if (peek(p) != '"')
		return fail(p, "expected a key in double quotes");
	size_t at = p->pos;
	if (string(p, &k) != 0)
		return -1;
	if (jsonl_get(o, k)) {
		free(k);
		p->pos = at;
		return fail(p, "duplicate key");
	}
	skip_ws(p);
	if (peek(p) != ':') {
		free(k);
		return fail(p, "expected ':' after a key");
	}
	p->pos++;
	skip_ws(p);
	if (value(p, &v) != 0) {
		free(k);
		free(v.text);
		return -1;
	}
	add_field(o, k, v);
	return 0;
}

static int object(struct parser *p, struct jsonl_obj *o)
{
	skip_ws(p);
	if (peek(p) != '{')
		return fail(p, "expected '{'");
	p->pos++;
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (member(p, o) != 0)
			return -1;
		skip_ws(p);
		if (peek(p) == '}') {
			p->pos++;
			return 0;
		}
		if (peek(p) != ',')
			return fail(p, "expected ',' or '}'");
		p->pos++;
		skip_ws(p);
	}
}

int jsonl_parse(struct jsonl_obj *o, const char *text, size_t len, char **err)
{
	struct parser p = {text, len, 0, NULL};
	jsonl_obj_free(o);
	if (object(&p, o) == 0) {
		skip_ws(&p);
		if (p.pos < len)
			fail(&p, "unexpected text after the object");
	}
	if (p.err) {
		jsonl_obj_free(o);
		*err = p.err;
		return -1;
	}
	return 0;
}

const struct jsonl_value *jsonl_get(const struct jsonl_obj *o, const char *k)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].key, k) == 0)
			return &o->v[i].val;
	return NULL;
}

int jsonl_int_of(const struct jsonl_value *v, int64_t min, int64_t max, int64_t *out)
{
	if (!v || v->type != JSONL_NUM || strpbrk(v->text, ".eE"))
		return -1;
	errno = 0;
	char *end;
	long long x = strtoll(v->text, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

void jsonl_obj_free(struct jsonl_obj *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].key);
		free(o->v[i].val.text);
	}
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}
