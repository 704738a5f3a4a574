/*
 * fuzz_router.c — libFuzzer target for lab.router (engine/concepts/router).
 *
 * The input is lines: "METHOD TEMPLATE" routes up to the first empty line
 * (at most 16 are added; a method that is not one word is refused),
 * then "METHOD PATH" requests. A template is added
 * or refused with a reason. A request gets 200, 404 or 405, never a crash:
 * 404 when no template matches the path; 405 with an Allow list that does
 * not name the method; 200 with a route of the method (or GET for HEAD),
 * as many parameters as its template has, and no other matching route of
 * that method more specific (each route alone in a router says whether it
 * matches).
 *
 *   make fuzz && build/fuzz/fuzz_router -max_total_time=60 tests/fuzz/corpus/fuzz_router
 */
#include "engine/concepts/router/router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

#define MAX_ROUTES 16

/* The next line of [*P, END) as a NUL-terminated copy in BUF (cut at
 * SIZE - 1 bytes); advances *P. 0 at the end of the input. */
static int next_line(const char **p, const char *end, char *buf, size_t size)
{
	if (*p >= end)
		return 0;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = (size_t)((nl ? nl : end) - *p);
	size_t k = n < size - 1 ? n : size - 1;
	memcpy(buf, *p, k);
	buf[k] = '\0';
	*p += n + (nl != NULL);
	return 1;
}

/* Splits "METHOD REST" at the first space: the method in place, REST returned. */
static char *split(char *line)
{
	char *sp = strchr(line, ' ');
	if (!sp)
		return NULL;
	*sp = '\0';
	return sp + 1;
}

static size_t nparams(const struct router_route *rt)
{
	size_t n = 0;
	for (size_t i = 0; i < rt->nseg; i++)
		n += rt->segs[i].kind != ROUTER_STATIC;
	return n;
}

/* Does route I of R, alone in a router, match METHOD PATH? */
static int alone_matches(const struct router *r, size_t i, const char *path)
{
	struct router one;
	router_init(&one);
	const char *why = NULL;
	const struct router_route *rt = &r->routes[i];
	check(router_add(&one, rt->method, rt->tmpl, rt->name, &why) == 0);
	struct router_match m;
	check(router_match(&one, rt->method, path, strlen(path), &m) == 0);
	int yes = m.status == 200;
	router_match_free(&m);
	router_free(&one);
	return yes;
}

static void request(const struct router *r, const char *method, const char *path)
{
	struct router_match m;
	check(router_match(r, method, path, strlen(path), &m) == 0);
	check(m.status == 200 || m.status == 404 || m.status == 405);
	if (m.status == 404)
		check(m.candidates == 0);
	if (m.status == 405) {
		check(m.candidates > 0 && m.allow && m.allow[0]);
		/* the method is not one of the ", "-separated names in Allow */
		size_t ml = strlen(method);
		for (const char *a = m.allow; *a;) {
			const char *e = strstr(a, ", ");
			size_t n = e ? (size_t)(e - a) : strlen(a);
			check(!(n == ml && memcmp(a, method, n) == 0));
			a += n + (e ? 2 : 0);
		}
	}
	if (m.status == 200) {
		check(m.route < r->n && m.candidates > 0);
		const struct router_route *rt = &r->routes[m.route];
		check(strcmp(rt->method, method) == 0 ||
		      (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0));
		check(m.nparams == nparams(rt));
		for (size_t i = 0; i < r->n; i++)
			if (i != m.route && strcmp(r->routes[i].method, rt->method) == 0 &&
			    alone_matches(r, i, path))
				check(router_compare(&r->routes[i], rt) >= 0);
	}
	router_match_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char line[256];
	struct router r;
	router_init(&r);
	size_t added = 0;
	while (next_line(&p, end, line, sizeof line) && line[0]) {
		char *tmpl = split(line);
		if (!tmpl || added >= MAX_ROUTES)
			continue;
		const char *why = NULL;
		int rc = router_add(&r, line, tmpl, "h", &why);
		check(rc == 0 || (rc == -1 && why));
		/* a method is one non-empty word: router_add refuses the rest */
		if (line[0] == '\0' || strpbrk(line, "\t\r/"))
			check(rc == -1);
		added += rc == 0;
	}
	int requests = 0;
	while (requests++ < 64 && next_line(&p, end, line, sizeof line)) {
		char *path = split(line);
		if (path)
			request(&r, line, path);
	}
	router_free(&r);
	return 0;
}
