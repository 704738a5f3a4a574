/* jsonv.c — a strict recursive-descent JSON reader; see jsonv.h. */
#include "engine/concepts/jwt/jsonv.h"
#include "engine/base/budget.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s;
	size_t len, pos;
	const char *err;
};

static int fail(struct parser *p, const char *msg)
{
	if (!p->err)
		p->err = msg;
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static int value(struct parser *p, struct jsonv *v, int depth);

static int literal(struct parser *p, const char *word, enum jsonv_type t, struct jsonv *v)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	p->pos += n;
	v->type = t;
	return 0;
}

static int number(struct parser *p, struct jsonv *v)
{
	size_t start = p->pos;
	const char *s = p->s;
	if (p->pos < p->len && s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
		return fail(p, "bad number");
	if (s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	int integral = 1;
	if (p->pos < p->len && s[p->pos] == '.') {
		integral = 0;
		p->pos++;
		if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
			return fail(p, "bad number");
		while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	}
	if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
		integral = 0;
		p->pos++;
		if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
			return fail(p, "bad number");
		while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	}
	char buf[64];
	size_t n = p->pos - start;
	if (n >= sizeof buf)
		return fail(p, "number too long");
	memcpy(buf, s + start, n);
	buf[n] = '\0';
	v->type = JSONV_NUMBER;
	v->num = strtod(buf, NULL);
	if (!isfinite(v->num))
		return fail(p, "number out of range");
	if (integral) {
		errno = 0;
		long long i = strtoll(buf, NULL, 10);
		if (errno == 0) {
			v->is_int = 1;
			v->i = i;
		}
	}
	return 0;
}

static int hex4(struct parser *p, unsigned *out)
{
	if (p->len - p->pos < 4)
		return fail(p, "bad \\u escape");
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return fail(p, "bad \\u escape");
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 63));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 63));
		o[2] = (char)(0x80 | (cp & 63));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 63));
	o[2] = (char)(0x80 | (cp >> 6 & 63));
	o[3] = (char)(0x80 | (cp & 63));
	return 4;
}

/* A string (the opening quote is at pos) into a new buffer. */
static int string(struct parser *p, char **out, size_t *outlen)
{
	p->pos++;                                 /* the quote */
	char *b = budget_malloc(p->len - p->pos + 1); /* unescaping never grows */
	if (!b)
		return fail(p, "out of memory");
	size_t n = 0;
	for (;;) {
		if (p->pos >= p->len) {
			budget_free(b);
			return fail(p, "unterminated string");
		}
		unsigned char c = (unsigned char)p->s[p->pos++];
		if (c == '"')
			break;
		if (c < 0x20) {
			budget_free(b);
			return fail(p, "control character in a string");
		}
		if (c != '\\') {
			b[n++] = (char)c;
			continue;
		}
		if (p->pos >= p->len) {
			budget_free(b);
			return fail(p, "unterminated string");
		}
		char e = p->s[p->pos++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *q = strchr(from, e);
		if (e && q) {
			b[n++] = to[q - from];
			continue;
		}
		unsigned cp, lo;
		if (e != 'u' || hex4(p, &cp) != 0) {
			budget_free(b);
			return fail(p, "bad escape");
		}
		if (cp >= 0xd800 && cp < 0xdc00) {    /* a high surrogate needs its low half */
			if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
			    (p->pos += 2, hex4(p, &lo) != 0) || lo < 0xdc00 || lo > 0xdfff) {
				budget_free(b);
				return fail(p, "unpaired surrogate");
			}
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if (cp >= 0xdc00 && cp < 0xe000) {
			budget_free(b);
			return fail(p, "unpaired surrogate");
		}
		n += put_utf8(b + n, cp);
	}
	b[n] = '\0';
	*out = b;
	*outlen = n;
	return 0;
}

/* Appends V to the growing array *ITEMS (count *N, room *CAP). */
static int push(struct parser *p, struct jsonv **items, size_t *n, size_t *cap,
		const struct jsonv *v)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct jsonv *ni = budget_realloc(*items, nc * sizeof *ni);
		if (!ni)
			return fail(p, "out of memory");
		*items = ni;
		*cap = nc;
	}
	(*items)[(*n)++] = *v;
	return 0;
}

static int array(struct parser *p, struct jsonv *v, int depth)
{
	size_t cap = 0;
	v->type = JSONV_ARRAY;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct jsonv item = {0};
		if (value(p, &item, depth + 1) != 0 || push(p, &v->items, &v->n, &cap, &item) != 0) {
			jsonv_free(&item);
			return -1;
		}
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ']') {
			p->pos++;
			return 0;
		}
		return fail(p, "expected ',' or ']'");
	}
}

static int object(struct parser *p, struct jsonv *v, int depth)
{
	size_t cap = 0, kcap = 0;
	v->type = JSONV_OBJECT;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '"')
			return fail(p, "expected a member name");
		char *key;
		size_t klen;
		size_t at = p->pos;
		if (string(p, &key, &klen) != 0)
			return -1;
		for (size_t i = 0; i < v->n; i++)
			if (v->keylens[i] == klen && memcmp(v->keys[i], key, klen) == 0) {
				budget_free(key);
				p->pos = at;
				return fail(p, "duplicate member name");
			}
		if (v->n == kcap) {
			size_t nc = kcap ? kcap * 2 : 4;
			char **nk = budget_realloc(v->keys, nc * sizeof *nk);
			size_t *nl = nk ? budget_realloc(v->keylens, nc * sizeof *nl) : NULL;
			if (nk)
				v->keys = nk;
			if (!nk || !nl) {
				budget_free(key);
				return fail(p, "out of memory");
			}
			v->keylens = nl;
			kcap = nc;
		}
		v->keys[v->n] = key;            /* owned by V from here; n counts it below */
		v->keylens[v->n] = klen;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':') {
			budget_free(key);
			return fail(p, "expected ':'");
		}
		p->pos++;
		struct jsonv item = {0};
		if (value(p, &item, depth + 1) != 0 || push(p, &v->items, &v->n, &cap, &item) != 0) {
			jsonv_free(&item);
			budget_free(key);
			return -1;
		}
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == '}') {
			p->pos++;
			return 0;
		}
		return fail(p, "expected ',' or '}'");
	}
}

static int value(struct parser *p, struct jsonv *v, int depth)
{
	if (depth > JSONV_MAX_DEPTH)
		return fail(p, "nested too deeply");
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, "unexpected end");
	switch (p->s[p->pos]) {
	case '{': return object(p, v, depth);
	case '[': return array(p, v, depth);
	case '"':
		v->type = JSONV_STRING;
		return string(p, &v->str, &v->len);
	case 't': return literal(p, "true", JSONV_TRUE, v);
	case 'f': return literal(p, "false", JSONV_FALSE, v);
	case 'n': return literal(p, "null", JSONV_NULL, v);
	default: return number(p, v);
	}
}

int jsonv_parse(const char *text, size_t len, struct jsonv *out, const char **err, size_t *at)
{
	struct parser p = {text, len, 0, NULL};
	memset(out, 0, sizeof *out);
	if (value(&p, out, 0) == 0) {
		skip_ws(&p);
		if (p.pos == p.len)
			return 0;
		fail(&p, "text after the value");
	}
	jsonv_free(out);
	*err = p.err;
	*at = p.pos;
	return -1;
}

void jsonv_free(struct jsonv *v)
{
	if (v->type == JSONV_ARRAY || v->type == JSONV_OBJECT) {
		for (size_t i = 0; i < v->n; i++) {
			jsonv_free(&v->items[i]);
			if (v->keys)
				budget_free(v->keys[i]);
		}
	}
	budget_free(v->items);
	budget_free(v->keys);
	budget_free(v->keylens);
	budget_free(v->str);
	memset(v, 0, sizeof *v);
}

const struct jsonv *jsonv_get(const struct jsonv *v, const char *name)
{
	if (v->type != JSONV_OBJECT)
		return NULL;
	size_t n = strlen(name);
	for (size_t i = 0; i < v->n; i++)
		if (v->keylens[i] == n && memcmp(v->keys[i], name, n) == 0)
			return &v->items[i];
	return NULL;
}
