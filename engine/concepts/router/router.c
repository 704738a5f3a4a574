/*
 * router.c — the path-template router (router.h).
 */
#include "engine/concepts/router/router.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

void router_init(struct router *r)
{
	memset(r, 0, sizeof *r);
}

static void route_free(struct router_route *rt)
{
	for (size_t i = 0; i < rt->nseg; i++)
		budget_free(rt->segs[i].text);
	budget_free(rt->segs);
	budget_free(rt->method);
	budget_free(rt->tmpl);
	budget_free(rt->name);
	memset(rt, 0, sizeof *rt);
}

void router_free(struct router *r)
{
	for (size_t i = 0; i < r->n; i++)
		route_free(&r->routes[i]);
	budget_free(r->routes);
	router_init(r);
}

static char *dupn(const char *s, size_t n)
{
	char *p = budget_malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Splits TMPL into RT's segments. 0, -1 (*WHY), -2 (memory). */
static int parse_tmpl(struct router_route *rt, const char *tmpl, const char **why)
{
	if (tmpl[0] != '/') {
		*why = "a template starts with '/'";
		return -1;
	}
	size_t n = 1;
	for (const char *p = tmpl + 1; *p; p++)
		n += *p == '/';
	rt->segs = budget_calloc(n, sizeof *rt->segs);
	if (!rt->segs)
		return -2;
	const char *p = tmpl + 1;
	for (size_t i = 0; i < n; i++) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct router_seg *s = &rt->segs[i];
		if (len == 1 && p[0] == '*') {
			if (i + 1 != n) {
				*why = "a wildcard '*' must be the last segment";
				return -1;
			}
			s->kind = ROUTER_WILD;
			s->text = dupn("*", 1);
		} else if (len > 0 && p[0] == '{') {
			if (len < 3 || p[len - 1] != '}' || memchr(p + 1, '{', len - 2) ||
			    memchr(p + 1, '}', len - 2)) {
				*why = "a parameter is a whole segment: {name}";
				return -1;
			}
			s->kind = ROUTER_PARAM;
			s->text = dupn(p + 1, len - 2);
		} else {
			if (memchr(p, '{', len) || memchr(p, '}', len) || memchr(p, '*', len)) {
				*why = "'{', '}' and '*' belong to parameters and wildcards";
				return -1;
			}
			s->kind = ROUTER_STATIC;
			s->text = dupn(p, len);
		}
		rt->nseg = i + 1;
		if (!s->text)
			return -2;
		for (size_t j = 0; s->kind == ROUTER_PARAM && j < i; j++)
			if (rt->segs[j].kind == ROUTER_PARAM && strcmp(rt->segs[j].text, s->text) == 0) {
				*why = "a parameter name is used twice";
				return -1;
			}
		p = e ? e + 1 : p + len;
	}
	return 0;
}

int router_compare(const struct router_route *a, const struct router_route *b)
{
	for (size_t i = 0; i < a->nseg && i < b->nseg; i++)
		if (a->segs[i].kind != b->segs[i].kind)
			return (int)a->segs[i].kind - (int)b->segs[i].kind;
	return 0;
}

/* Same method, same kinds and same static texts: the same route twice. */
static int same_shape(const struct router_route *a, const struct router_route *b)
{
	if (strcmp(a->method, b->method) != 0 || a->nseg != b->nseg)
		return 0;
	for (size_t i = 0; i < a->nseg; i++) {
		if (a->segs[i].kind != b->segs[i].kind)
			return 0;
		if (a->segs[i].kind == ROUTER_STATIC && strcmp(a->segs[i].text, b->segs[i].text))
			return 0;
	}
	return 1;
}

int router_add(struct router *r, const char *method, const char *tmpl, const char *name,
	       const char **why)
{
	struct router_route rt = {0};
	if (method[0] == '\0' || strpbrk(method, " \t\r\n/")) {
		*why = "a method is one non-empty word";
		return -1;
	}
	int rc = parse_tmpl(&rt, tmpl, why);
	if (rc == 0) {
		rt.method = dupn(method, strlen(method));
		rt.tmpl = dupn(tmpl, strlen(tmpl));
		rt.name = dupn(name, strlen(name));
		rc = rt.method && rt.tmpl && rt.name ? 0 : -2;
	}
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		if (same_shape(&r->routes[i], &rt)) {
			*why = "a route with this method and shape is already there";
			rc = -1;
		}
	if (rc == 0 && r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct router_route *p = budget_realloc(r->routes, cap * sizeof *p);
		if (!p)
			rc = -2;
		else {
			r->routes = p;
			r->cap = cap;
		}
	}
	if (rc != 0) {
		route_free(&rt);
		return rc;
	}
	r->routes[r->n++] = rt;
	return 0;
}

/* The path's segments: offsets and lengths into PATH. */
struct pseg {
	size_t off, len;
};

/* Does RT match the N segments of PATH? */
static int route_matches(const struct router_route *rt, const char *path, const struct pseg *ps,
			 size_t n)
{
	for (size_t i = 0; i < rt->nseg; i++) {
		const struct router_seg *s = &rt->segs[i];
		if (s->kind == ROUTER_WILD)
			return i < n;
		if (i >= n)
			return 0;
		if (s->kind == ROUTER_PARAM && ps[i].len == 0)
			return 0;
		if (s->kind == ROUTER_STATIC &&
		    (strlen(s->text) != ps[i].len || memcmp(s->text, path + ps[i].off, ps[i].len)))
			return 0;
	}
	return rt->nseg == n;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A new string: S (N bytes) with %XX decoded; NULL when memory is refused. */
static char *pct_decode(const char *s, size_t n)
{
	char *out = budget_malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Fills M's parameters from route RT over the path. 0 or -2. */
static int take_params(const struct router_route *rt, const char *path, const struct pseg *ps,
		       size_t n, struct router_match *m)
{
	size_t np = 0;
	for (size_t i = 0; i < rt->nseg; i++)
		np += rt->segs[i].kind != ROUTER_STATIC;
	m->names = budget_calloc(np + 1, sizeof *m->names);
	m->values = budget_calloc(np + 1, sizeof *m->values);
	if (!m->names || !m->values)
		return -2;
	for (size_t i = 0; i < rt->nseg; i++) {
		const struct router_seg *s = &rt->segs[i];
		if (s->kind == ROUTER_STATIC)
			continue;
		size_t off = ps[i].off;
		size_t len = s->kind == ROUTER_WILD ? ps[n - 1].off + ps[n - 1].len - off : ps[i].len;
		m->names[m->nparams] = dupn(s->text, strlen(s->text));
		m->values[m->nparams] = pct_decode(path + off, len);
		m->nparams++;
		if (!m->names[m->nparams - 1] || !m->values[m->nparams - 1])
			return -2;
	}
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The N methods in M (pointers into the router), sorted, without
 * duplicates, joined by ", ". NULL when memory is refused. */
static char *join_methods(const char **ms, size_t n)
{
	qsort(ms, n, sizeof *ms, cmpstr);
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		total += strlen(ms[i]) + 2;
	char *s = budget_malloc(total), *o = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(ms[i], ms[i - 1]) == 0)
			continue;
		if (o > s)
			*o++ = ',', *o++ = ' ';
		size_t l = strlen(ms[i]);
		memcpy(o, ms[i], l);
		o += l;
	}
	*o = '\0';
	return s;
}

int router_match(const struct router *r, const char *method, const char *path, size_t len,
		 struct router_match *m)
{
	memset(m, 0, sizeof *m);
	m->status = 404;
	const char *q = memchr(path, '?', len);
	if (q)
		len = (size_t)(q - path);
	if (len == 0 || path[0] != '/')
		return 0;
	size_t n = 1;
	for (size_t i = 1; i < len; i++)
		n += path[i] == '/';
	struct pseg *ps = budget_calloc(n, sizeof *ps);
	if (!ps)
		return -2;
	for (size_t i = 0, off = 1; i < n; i++) {
		const char *e = memchr(path + off, '/', len - off);
		ps[i].off = off;
		ps[i].len = e ? (size_t)(e - path) - off : len - off;
		off += ps[i].len + 1;
	}
	const struct router_route *best = NULL, *best_get = NULL;
	const char **ms = budget_calloc(2 * r->n + 1, sizeof *ms);
	size_t nm = 0;
	int rc = ms ? 0 : -2;
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		const struct router_route *rt = &r->routes[i];
		if (!route_matches(rt, path, ps, n))
			continue;
		m->candidates++;
		ms[nm++] = rt->method;
		if (strcmp(rt->method, "GET") == 0)
			ms[nm++] = "HEAD";
		if (strcmp(rt->method, method) == 0 && (!best || router_compare(rt, best) < 0))
			best = rt;
		if (strcmp(rt->method, "GET") == 0 && (!best_get || router_compare(rt, best_get) < 0))
			best_get = rt;
	}
	if (!best && strcmp(method, "HEAD") == 0)
		best = best_get;
	if (rc == 0 && m->candidates > 0 && !(m->allow = join_methods(ms, nm)))
		rc = -2;
	budget_free(ms);
	if (rc == 0 && best) {
		m->status = 200;
		m->route = (size_t)(best - r->routes);
		rc = take_params(best, path, ps, n, m);
	} else if (rc == 0 && m->candidates > 0) {
		m->status = 405;
	}
	budget_free(ps);
	return rc;
}

void router_match_free(struct router_match *m)
{
	for (size_t i = 0; i < m->nparams; i++) {
		budget_free(m->names[i]);
		budget_free(m->values[i]);
	}
	budget_free(m->names);
	budget_free(m->values);
	budget_free(m->allow);
	memset(m, 0, sizeof *m);
}
