/*
 * jsonschema.c — the JSON Schema subset validator (jsonschema.h).
 */
#include "engine/concepts/jsonschema/jsonschema.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->items && i < v->n; i++)
		jv_free(&v->items[i]);
	for (size_t i = 0; v->keys && i < v->n; i++)
		budget_free(v->keys[i]);
	budget_free(v->items);
	budget_free(v->keys);
	budget_free(v->klens);
	budget_free(v->s);
	memset(v, 0, sizeof *v);
}

static int is_arr(const struct jv *v)
{
	return v->t == JV_ARR || v->t == JV_EMPTY;
}

static int is_obj(const struct jv *v)
{
	return v->t == JV_OBJ || v->t == JV_EMPTY;
}

/* The member KEY of object O, or NULL. */
static const struct jv *member(const struct jv *o, const char *key, size_t klen)
{
	if (o->t != JV_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (o->klens[i] == klen && memcmp(o->keys[i], key, klen) == 0)
			return &o->items[i];
	return NULL;
}

static const struct jv *get(const struct jv *o, const char *key)
{
	return member(o, key, strlen(key));
}

int jv_equal(const struct jv *a, const struct jv *b)
{
	if (a->t == JV_EMPTY || b->t == JV_EMPTY)
		return (a->t == JV_EMPTY || a->n == 0) && (b->t == JV_EMPTY || b->n == 0) &&
		       (is_arr(a) ? is_arr(b) || b->t == JV_EMPTY : is_obj(b));
	if (a->t != b->t)
		return 0;
	switch (a->t) {
	case JV_NULL: return 1;
	case JV_BOOL: return a->b == b->b;
	case JV_NUM: return a->num == b->num;
	case JV_STR: return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	case JV_ARR:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++)
			if (!jv_equal(&a->items[i], &b->items[i]))
				return 0;
		return 1;
	case JV_OBJ:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			const struct jv *m = member(b, a->keys[i], a->klens[i]);
			if (!m || !jv_equal(&a->items[i], m))
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

void js_result_free(struct js_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		budget_free(r->errors[i].path);
		budget_free(r->errors[i].message);
	}
	budget_free(r->errors);
	budget_free(r->refused);
	memset(r, 0, sizeof *r);
}

/* The walk: the result, the instance path so far, and how it ended. */
struct path {
	char *buf;            /* NUL-terminated when not NULL */
	size_t len, cap;
	int nomem;
};

struct walk {
	struct js_result *r;
	struct path path;
	int rc;               /* 0, -1 memory, -2 stop */
	unsigned long steps;
};

static char *dupstr(const char *s)
{
	size_t n = strlen(s);
	char *p = budget_malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static void fail(struct walk *w, const char *keyword, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct walk *w, const char *keyword, const char *fmt, ...)
{
	struct js_result *r = w->r;
	if (w->rc || r->refused)
		return;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);  /* messages are short; a cut one stays a message */
	va_end(ap);
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct js_error *e = budget_realloc(r->errors, cap * sizeof *e);
		if (!e) {
			w->rc = -1;
			return;
		}
		r->errors = e;
		r->cap = cap;
	}
	struct js_error *e = &r->errors[r->n];
	e->keyword = keyword;
	e->path = dupstr(w->path.buf ? w->path.buf : "");
	e->message = dupstr(msg);
	if (!e->path || !e->message) {
		budget_free(e->path);
		budget_free(e->message);
		w->rc = -1;
		return;
	}
	r->n++;
}

static void refuse(struct walk *w, const char *fmt, const char *what)
{
	if (w->r->refused || w->rc)
		return;
	char msg[300];
	snprintf(msg, sizeof msg, fmt, what);
	w->r->refused = dupstr(msg);
	if (!w->r->refused)
		w->rc = -1;
}

static const char *type_name(const struct jv *v)
{
	static const char *const names[] = {"null", "boolean", "number", "string",
					    "array", "object", "empty table"};
	if (v->t == JV_NUM && floor(v->num) == v->num && isfinite(v->num))
		return "integer";
	return names[v->t];
}

static int has_type(const struct jv *v, const char *t, size_t n)
{
#define IS(name) (n == sizeof name - 1 && memcmp(t, name, n) == 0)
	if (IS("null")) return v->t == JV_NULL;
	if (IS("boolean")) return v->t == JV_BOOL;
	if (IS("number")) return v->t == JV_NUM;
	if (IS("integer")) return v->t == JV_NUM && isfinite(v->num) && floor(v->num) == v->num;
	if (IS("string")) return v->t == JV_STR;
	if (IS("array")) return is_arr(v);
	if (IS("object")) return is_obj(v);
#undef IS
	return -1;
}

/* Code points in a UTF-8 string (minLength counts them, not bytes). */
static size_t codepoints(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static const char *const known[] = {
	"type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
	"minLength", "maxLength", "pattern", "items", "minItems", "maxItems", "properties",
	"required", "additionalProperties",
	/* annotations */
	"$schema", "$id", "$comment", "title", "description", "default", "examples",
	"deprecated", "readOnly", "writeOnly", "format", NULL};

static void check(struct walk *w, const struct jv *schema, const struct jv *v);

static void path_add(struct path *p, const char *s, size_t n)
{
	if (p->nomem)
		return;
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 64;
		while (cap < p->len + n + 1)
			cap *= 2;
		char *b = budget_realloc(p->buf, cap);
		if (!b) {
			p->nomem = 1;
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void path_cut(struct path *p, size_t len)
{
	if (p->buf && len <= p->len) {
		p->len = len;
		p->buf[len] = '\0';
	}
}

/* Appends "/KEY" (RFC 6901 escaped) to the path; returns the old length. */
static size_t push_path(struct walk *w, const char *key, size_t klen)
{
	size_t old = w->path.len;
	path_add(&w->path, "/", 1);
	for (size_t i = 0; i < klen; i++) {
		if (key[i] == '~')
			path_add(&w->path, "~0", 2);
		else if (key[i] == '/')
			path_add(&w->path, "~1", 2);
		else
			path_add(&w->path, key + i, 1);
	}
	if (w->path.nomem)
		w->rc = -1;
	return old;
}

static void check_number(struct walk *w, const struct jv *s, const struct jv *v)
{
	static const char *const kw[] = {"minimum", "maximum", "exclusiveMinimum",
					 "exclusiveMaximum"};
	for (int i = 0; i < 4; i++) {
		const struct jv *k = get(s, kw[i]);
		if (!k)
			continue;
		if (k->t != JV_NUM) {
			refuse(w, "'%s' must be a number", kw[i]);
			return;
		}
		int bad = i == 0 ? v->num < k->num : i == 1 ? v->num > k->num
			: i == 2 ? v->num <= k->num : v->num >= k->num;
		if (bad)
			fail(w, kw[i], "%.17g is %s %.17g", v->num,
			     i == 0 ? "less than the minimum" : i == 1 ? "more than the maximum"
			     : i == 2 ? "not more than" : "not less than", k->num);
	}
}

static int count_of(struct walk *w, const struct jv *s, const char *kw, double *out)
{
	const struct jv *k = get(s, kw);
	if (!k)
		return 0;
	if (k->t != JV_NUM || k->num < 0 || floor(k->num) != k->num) {
		refuse(w, "'%s' must be a non-negative integer", kw);
		return 0;
	}
	*out = k->num;
	return 1;
}

static void check_string(struct walk *w, const struct jv *s, const struct jv *v)
{
	double lim;
	size_t n = codepoints(v->s, v->len);
	if (count_of(w, s, "minLength", &lim) && (double)n < lim)
		fail(w, "minLength", "%zu characters, fewer than %.0f", n, lim);
	if (count_of(w, s, "maxLength", &lim) && (double)n > lim)
		fail(w, "maxLength", "%zu characters, more than %.0f", n, lim);
	const struct jv *p = get(s, "pattern");
	if (!p)
		return;
	if (p->t != JV_STR) {
		refuse(w, "'%s' must be a string", "pattern");
		return;
	}
	const char *why = NULL;
	int m = js_regex_match(p->s, p->len, v->s, v->len, &why);
	if (m == -2)
		w->rc = -1;
	else if (m == -1)
		refuse(w, "pattern: %s", why);
	else if (m == 0)
		fail(w, "pattern", "does not match the pattern %.100s", p->s);
}

static void check_array(struct walk *w, const struct jv *s, const struct jv *v)
{
	double lim;
	size_t n = v->t == JV_ARR ? v->n : 0;
	if (count_of(w, s, "minItems", &lim) && (double)n < lim)
		fail(w, "minItems", "%zu items, fewer than %.0f", n, lim);
	if (count_of(w, s, "maxItems", &lim) && (double)n > lim)
		fail(w, "maxItems", "%zu items, more than %.0f", n, lim);
	const struct jv *items = get(s, "items");
	if (!items)
		return;
	if (items->t == JV_ARR) {
		refuse(w, "'%s' as a list (tuple validation, prefixItems) is not in the subset",
		       "items");
		return;
	}
	for (size_t i = 0; i < n && !w->rc; i++) {
		char idx[32];
		snprintf(idx, sizeof idx, "%zu", i);
		size_t old = push_path(w, idx, strlen(idx));
		check(w, items, &v->items[i]);
		path_cut(&w->path, old);
	}
}

static void check_object(struct walk *w, const struct jv *s, const struct jv *v)
{
	const struct jv *req = get(s, "required"), *props = get(s, "properties");
	const struct jv *addl = get(s, "additionalProperties");
	if (req && !is_arr(req)) {
		refuse(w, "'%s' must be a list of names", "required");
		return;
	}
	if (props && !is_obj(props)) {
		refuse(w, "'%s' must be an object of schemas", "properties");
		return;
	}
	for (size_t i = 0; req && req->t == JV_ARR && i < req->n; i++) {
		const struct jv *k = &req->items[i];
		if (k->t != JV_STR) {
			refuse(w, "'%s' must be a list of names", "required");
			return;
		}
		if (!member(v, k->s, k->len))
			fail(w, "required", "the property '%.100s' is missing", k->s);
	}
	for (size_t i = 0; v->t == JV_OBJ && i < v->n && !w->rc; i++) {
		const struct jv *ps = props ? member(props, v->keys[i], v->klens[i]) : NULL;
		const struct jv *sub = ps ? ps : addl;
		if (!sub)
			continue;
		size_t old = push_path(w, v->keys[i], v->klens[i]);
		if (!ps && sub->t == JV_BOOL && !sub->b)
			fail(w, "additionalProperties", "the property '%.100s' is not allowed",
			     v->keys[i]);
		else
			check(w, sub, &v->items[i]);
		path_cut(&w->path, old);
	}
}

static void check_keywords(struct walk *w, const struct jv *s)
{
	for (size_t i = 0; i < s->n; i++) {
		int ok = 0;
		for (int k = 0; known[k] && !ok; k++)
			ok = strcmp(s->keys[i], known[k]) == 0 && strlen(known[k]) == s->klens[i];
		if (!ok) {
			refuse(w, "the keyword '%.100s' is not in this subset", s->keys[i]);
			return;
		}
	}
}

static void check_type(struct walk *w, const struct jv *s, const struct jv *v)
{
	const struct jv *t = get(s, "type");
	if (!t)
		return;
	int any = 0;
	if (t->t == JV_STR) {
		any = has_type(v, t->s, t->len);
	} else if (t->t == JV_ARR) {
		for (size_t i = 0; i < t->n && any != 1; i++)
			any = t->items[i].t == JV_STR ? has_type(v, t->items[i].s, t->items[i].len) : -1;
	} else {
		any = -1;
	}
	if (any < 0)
		refuse(w, "'%s' must name JSON types", "type");
	else if (!any && t->t == JV_STR)
		fail(w, "type", "expected %.20s, got %s", t->s, type_name(v));
	else if (!any)
		fail(w, "type", "expected one of the %zu types listed, got %s", t->n, type_name(v));
}

static void check(struct walk *w, const struct jv *s, const struct jv *v)
{
	if (w->rc || w->r->refused)
		return;
	if (budget_poll(w->steps++)) {
		w->rc = -2;
		return;
	}
	if (s->t == JV_BOOL) {
		if (!s->b)
			fail(w, "false", "the schema false allows nothing");
		return;
	}
	if (!is_obj(s)) {
		refuse(w, "a schema is an object or a boolean, not %s", type_name(s));
		return;
	}
	if (s->t == JV_EMPTY)
		return;
	check_keywords(w, s);
	check_type(w, s, v);
	const struct jv *e = get(s, "enum"), *c = get(s, "const");
	if (e && !is_arr(e))
		refuse(w, "'%s' must be a list", "enum");
	else if (e) {
		int in = 0;
		for (size_t i = 0; e->t == JV_ARR && i < e->n && !in; i++)
			in = jv_equal(&e->items[i], v);
		if (!in)
			fail(w, "enum", "the value is not one of the %zu allowed",
			     e->t == JV_ARR ? e->n : 0);
	}
	if (c && !jv_equal(c, v))
		fail(w, "const", "the value is not the one allowed");
	if (v->t == JV_NUM)
		check_number(w, s, v);
	if (v->t == JV_STR)
		check_string(w, s, v);
	if (is_arr(v))
		check_array(w, s, v);
	if (is_obj(v))
		check_object(w, s, v);
}

/* Checks the whole schema S before any value is looked at: every keyword
 * in the subset, every keyword's value of the right form, every pattern
 * in the regex subset. Sets w->r->refused otherwise. */
static void scan(struct walk *w, const struct jv *s, int depth)
{
	if (w->r->refused || w->rc)
		return;
	if (depth > 100) {
		refuse(w, "%s", "the schema is nested deeper than 100");
		return;
	}
	if (s->t == JV_BOOL || s->t == JV_EMPTY)
		return;
	if (s->t != JV_OBJ) {
		refuse(w, "a schema is an object or a boolean, not %s", type_name(s));
		return;
	}
	check_keywords(w, s);
	const struct jv *t = get(s, "type");
	if (t) {
		struct jv probe = {.t = JV_NULL};
		int bad = !(t->t == JV_STR || t->t == JV_ARR);
		for (size_t i = 0; !bad && t->t == JV_ARR && i < t->n; i++)
			bad = t->items[i].t != JV_STR ||
			      has_type(&probe, t->items[i].s, t->items[i].len) < 0;
		if (!bad && t->t == JV_STR)
			bad = has_type(&probe, t->s, t->len) < 0;
		if (bad)
			refuse(w, "'%s' must name JSON types", "type");
	}
	static const char *const nums[] = {"minimum", "maximum", "exclusiveMinimum",
					   "exclusiveMaximum", NULL};
	for (int i = 0; nums[i]; i++) {
		const struct jv *k = get(s, nums[i]);
		if (k && k->t != JV_NUM)
			refuse(w, "'%s' must be a number", nums[i]);
	}
	static const char *const counts[] = {"minLength", "maxLength", "minItems", "maxItems",
					     NULL};
	double lim;
	for (int i = 0; counts[i]; i++)
		count_of(w, s, counts[i], &lim);
	const struct jv *e = get(s, "enum");
	if (e && !is_arr(e))
		refuse(w, "'%s' must be a list", "enum");
	const struct jv *req = get(s, "required");
	if (req && !is_arr(req))
		refuse(w, "'%s' must be a list of names", "required");
	for (size_t i = 0; req && req->t == JV_ARR && i < req->n; i++)
		if (req->items[i].t != JV_STR)
			refuse(w, "'%s' must be a list of names", "required");
	const struct jv *p = get(s, "pattern");
	if (p && p->t != JV_STR)
		refuse(w, "'%s' must be a string", "pattern");
	else if (p) {
		const char *why = NULL;
		int m = js_regex_match(p->s, p->len, "", 0, &why);
		if (m == -2)
			w->rc = -1;
		else if (m == -1)
			refuse(w, "pattern: %s", why);
	}
	const struct jv *items = get(s, "items");
	if (items && items->t == JV_ARR)
		refuse(w, "'%s' as a list (tuple validation, prefixItems) is not in the subset",
		       "items");
	else if (items)
		scan(w, items, depth + 1);
	const struct jv *addl = get(s, "additionalProperties");
	if (addl)
		scan(w, addl, depth + 1);
	const struct jv *props = get(s, "properties");
	if (props && !is_obj(props))
		refuse(w, "'%s' must be an object of schemas", "properties");
	for (size_t i = 0; props && props->t == JV_OBJ && i < props->n; i++)
		scan(w, &props->items[i], depth + 1);
}

int js_validate(const struct jv *schema, const struct jv *instance, struct js_result *r)
{
	struct walk w = {.r = r};
	scan(&w, schema, 0);
	check(&w, schema, instance);
	budget_free(w.path.buf);
	if (r->refused) {  /* nothing else counts */
		for (size_t i = 0; i < r->n; i++) {
			budget_free(r->errors[i].path);
			budget_free(r->errors[i].message);
		}
		r->n = 0;
	}
	return w.rc;
}
