/*
 * logs.c — parsing, matching and sampling of structured logs (logs.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/json/json.h"
#include "engine/concepts/logs/logs.h"

static void record_free(struct logs_record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		budget_free(r->f[i].key);
		budget_free(r->f[i].val);
	}
	budget_free(r->f);
	memset(r, 0, sizeof *r);
}

void logs_set_free(struct logs_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		record_free(&s->r[i]);
	budget_free(s->r);
	memset(s, 0, sizeof *s);
}

static char *dupn(const char *s, size_t n)
{
	char *d = budget_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int logs_add(struct logs_record *r, const char *key, size_t klen, const char *val, size_t vlen,
	     enum logs_vtype type, double num)
{
	if (r->n == r->cap) {
		size_t c = r->cap ? r->cap * 2 : 8;
		struct logs_field *f = budget_realloc(r->f, c * sizeof *f);
		if (!f)
			return -1;
		r->f = f;
		r->cap = c;
	}
	struct logs_field f = {dupn(key, klen), dupn(val, vlen), type, num};
	if (!f.key || !f.val) {
		budget_free(f.key);
		budget_free(f.val);
		return -1;
	}
	/* a key given twice keeps the last value */
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, f.key) == 0) {
			budget_free(r->f[i].key);
			budget_free(r->f[i].val);
			r->f[i] = f;
			return 0;
		}
	r->f[r->n++] = f;
	return 0;
}

const struct logs_field *logs_get(const struct logs_record *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return &r->f[i];
	return NULL;
}

static struct logs_record *new_record(struct logs_set *s, size_t line)
{
	if (s->n == s->cap) {
		size_t c = s->cap ? s->cap * 2 : 64;
		struct logs_record *r = budget_realloc(s->r, c * sizeof *r);
		if (!r)
			return NULL;
		s->r = r;
		s->cap = c;
	}
	memset(&s->r[s->n], 0, sizeof s->r[0]);
	s->r[s->n].line = line;
	return &s->r[s->n++];
}

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* ---- logfmt ---- */

/* One logfmt line [P, END) into R; -1 with *AT and *WHY, -2 memory. */
static int logfmt_line(const char *p, const char *end, struct logs_record *r, const char **at,
		       const char **why)
{
	char *buf = budget_malloc((size_t)(end - p) + 1);
	if (!buf)
		return -2;
	int rc = 0;
	while (p < end && rc == 0) {
		while (p < end && blank((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		const char *k = p;
		while (p < end && !blank((unsigned char)*p) && *p != '=' && *p != '"')
			p++;
		if (p == k) {
			*at = p;
			*why = *p == '"' ? "a key cannot contain a quote" : "a key is missing before '='";
			rc = -1;
			break;
		}
		size_t klen = (size_t)(p - k);
		if (p >= end || *p != '=') {
			if (p < end && *p == '"') {
				*at = p;
				*why = "a key cannot contain a quote";
				rc = -1;
				break;
			}
			rc = logs_add(r, k, klen, "true", 4, LOGS_TRUE, NAN) ? -2 : 0; /* a bare key */
			continue;
		}
		p++; /* = */
		size_t n = 0;
		if (p < end && *p == '"') {
			const char *open = p++;
			for (;;) {
				if (p >= end) {
					*at = open;
					*why = "a quoted value has no closing quote";
					rc = -1;
					break;
				}
				if (*p == '"')
					break;
				if (*p == '\\' && p + 1 < end) {
					p++;
					buf[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
				} else {
					buf[n++] = *p;
				}
				p++;
			}
			if (rc != 0)
				break;
			p++; /* closing quote */
			if (p < end && !blank((unsigned char)*p)) {
				*at = p;
				*why = "a blank must follow a quoted value";
				rc = -1;
				break;
			}
		} else {
			const char *v = p;
			while (p < end && !blank((unsigned char)*p)) {
				if (*p == '"' || *p == '=') {
					*at = p;
					*why = *p == '"' ? "a quote inside a bare value (quote the whole value)"
							 : "'=' inside a bare value (quote the value)";
					rc = -1;
					break;
				}
				p++;
			}
			if (rc != 0)
				break;
			n = (size_t)(p - v);
			memcpy(buf, v, n);
		}
		if (rc == 0 && logs_add(r, k, klen, buf, n, LOGS_STR, NAN) != 0)
			rc = -2;
	}
	budget_free(buf);
	return rc;
}

/* ---- JSON lines ---- */

struct jctx {
	struct logs_record *r;
	char *path;          /* the dotted key of the current position */
	size_t len, cap;
	size_t *mark;        /* path length to go back to when each open container closes */
	size_t depth, capd;
	size_t key_before;   /* path length before the last object key */
	int oom;
	const char *why;
};

static int path_push(struct jctx *c, const char *s, size_t n)
{
	if (c->len + n + 2 > c->cap) {
		size_t cap = (c->len + n + 2) * 2;
		char *p = budget_realloc(c->path, cap);
		if (!p)
			return -1;
		c->path = p;
		c->cap = cap;
	}
	if (c->len)
		c->path[c->len++] = '.';
	memcpy(c->path + c->len, s, n);
	c->len += n;
	c->path[c->len] = '\0';
	return 0;
}

/* Where the path stood before the key or index of the value at hand was
 * added: for an object member, before its key (pushed at JSON_KEY); for
 * an array element, the index is pushed now. */
static int enter_value(struct jctx *c, const struct json_event *ev, size_t *before)
{
	if (ev->parent == 'o') {
		*before = c->key_before;
		return 0;
	}
	*before = c->len;
	if (ev->parent == 'a') {
		char num[32];
		int n = snprintf(num, sizeof num, "%zu", ev->index);
		return path_push(c, num, (size_t)n);
	}
	return 0;
}

static void pop_to(struct jctx *c, size_t len)
{
	c->len = len;
	if (c->path)
		c->path[len] = '\0';
}

static int add_value(struct jctx *c, const struct json_event *ev)
{
	char num[40];
	switch (ev->kind) {
	case JSON_STRING:
		return logs_add(c->r, c->path, c->len, ev->s, ev->len, LOGS_STR, NAN);
	case JSON_INT:
		snprintf(num, sizeof num, "%lld", (long long)ev->i);
		return logs_add(c->r, c->path, c->len, num, strlen(num), LOGS_NUM, (double)ev->i);
	case JSON_FLOAT:
		snprintf(num, sizeof num, "%.17g", ev->d);
		return logs_add(c->r, c->path, c->len, num, strlen(num), LOGS_NUM, ev->d);
	case JSON_TRUE:
		return logs_add(c->r, c->path, c->len, "true", 4, LOGS_TRUE, NAN);
	case JSON_FALSE:
		return logs_add(c->r, c->path, c->len, "false", 5, LOGS_FALSE, NAN);
	default:
		return logs_add(c->r, c->path, c->len, "null", 4, LOGS_NULL, NAN);
	}
}

static const char *on_json(void *ctx, const struct json_event *ev)
{
	struct jctx *c = ctx;
	if (ev->kind != JSON_KEY && ev->parent == 0 && ev->kind != JSON_OBJECT && ev->kind != JSON_END)
		return "each line must be a JSON object";
	if (ev->kind == JSON_KEY) {
		c->key_before = c->len;
		return path_push(c, ev->s, ev->len) ? (c->oom = 1, "out of memory") : NULL;
	}
	if (ev->kind == JSON_END) {
		pop_to(c, c->mark[--c->depth]);
		return NULL;
	}
	size_t before;
	if (enter_value(c, ev, &before) != 0)
		return c->oom = 1, "out of memory";
	if (ev->kind == JSON_ARRAY || ev->kind == JSON_OBJECT) {
		if (c->depth == c->capd) {
			size_t cap = c->capd ? c->capd * 2 : 16;
			size_t *m = budget_realloc(c->mark, cap * sizeof *m);
			if (!m)
				return c->oom = 1, "out of memory";
			c->mark = m;
			c->capd = cap;
		}
		c->mark[c->depth++] = before;
		return NULL;
	}
	int rc = add_value(c, ev);
	pop_to(c, before);
	return rc ? (c->oom = 1, "out of memory") : NULL;
}

/* ---- both ---- */

int logs_parse(const char *text, size_t len, int json, struct logs_set *s, size_t *line,
	       size_t *col, const char **why)
{
	const char *p = text, *end = text + len;
	size_t ln = 0;
	struct json_parser jp;
	json_parser_init(&jp, NULL);
	struct jctx jc = {0};
	int rc = 0;
	while (p < end && rc == 0) {
		ln++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *a = p;
		while (a < eol && blank((unsigned char)*a))
			a++;
		if (budget_stop()) {
			*why = "stopped";
			rc = -2;
		} else if (memchr(p, '\0', (size_t)(eol - p))) {
			*line = ln;
			*col = (size_t)((const char *)memchr(p, '\0', (size_t)(eol - p)) - p) + 1;
			*why = "a NUL byte in the text";
			rc = -1;
		} else if (a < eol) {
			struct logs_record *r = new_record(s, ln);
			if (!r) {
				*why = "out of memory";
				rc = -2;
			} else if (!json) {
				const char *at = p;
				rc = logfmt_line(p, eol, r, &at, why);
				*line = ln;
				*col = (size_t)(at - p) + 1;
				if (rc == -2)
					*why = "out of memory";
			} else {
				struct json_error e;
				jc.r = r;
				jc.len = 0;
				jc.depth = 0;
				jc.oom = 0;
				rc = json_parser_run(&jp, p, (size_t)(eol - p), on_json, &jc, &e);
				if (rc != 0) {
					json_locate(p, (size_t)(eol - p), &e);
					*line = ln;
					*col = e.column;
					*why = e.why;
					rc = jc.oom || rc == -2 ? -2 : -1;
				}
			}
		}
		p = eol < end ? eol + 1 : eol;
	}
	json_parser_free(&jp);
	budget_free(jc.path);
	budget_free(jc.mark);
	return rc;
}

/* ---- queries ---- */

void logs_cond_parse(const char *key, const char *spec, struct logs_cond *c)
{
	static const struct {
		const char *op;
		enum logs_op code;
	} ops[] = {{">=", LOGS_GE}, {"<=", LOGS_LE}, {"!=", LOGS_NE}, {">", LOGS_GT},
		   {"<", LOGS_LT},  {"=", LOGS_EQ},  {"~", LOGS_HAS}};
	c->key = key;
	c->op = LOGS_EQ;
	c->val = spec;
	if (strcmp(spec, "*") == 0) {
		c->op = LOGS_EXISTS;
		return;
	}
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].op);
		if (strncmp(spec, ops[i].op, n) == 0) {
			c->op = ops[i].code;
			c->val = spec + n;
			while (*c->val == ' ')
				c->val++;
			return;
		}
	}
}

static int as_number(const char *s, double *d)
{
	char *end;
	if (!*s)
		return 0;
	*d = strtod(s, &end);
	return *end == '\0' && isfinite(*d);
}

static int test(const struct logs_field *f, const struct logs_cond *c)
{
	if (c->op == LOGS_EXISTS)
		return f != NULL;
	if (!f)
		return c->op == LOGS_NE;
	if (c->op == LOGS_HAS)
		return strstr(f->val, c->val) != NULL;
	double a, b;
	int cmp;
	if (as_number(f->val, &a) && as_number(c->val, &b))
		cmp = (a > b) - (a < b);
	else
		cmp = strcmp(f->val, c->val);
	switch (c->op) {
	case LOGS_EQ: return cmp == 0;
	case LOGS_NE: return cmp != 0;
	case LOGS_LT: return cmp < 0;
	case LOGS_LE: return cmp <= 0;
	case LOGS_GT: return cmp > 0;
	default: return cmp >= 0;
	}
}

int logs_match(const struct logs_record *r, const struct logs_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!test(logs_get(r, c[i].key), &c[i]))
			return 0;
	return 1;
}

uint64_t logs_hash(uint64_t seed, const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed; /* FNV-1a, then a finalizer */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

int logs_keep(uint64_t seed, const char *s, size_t n, double rate)
{
	if (rate >= 1)
		return 1;
	if (rate <= 0)
		return 0;
	return (double)(logs_hash(seed, s, n) >> 11) < rate * 9007199254740992.0; /* 2^53 */
}
