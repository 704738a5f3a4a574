/*
 * router.h — a path-template router: routes such as GET /users/{id}/posts
 * matched against request paths, with a stated precedence and the
 * 404/405 distinction of RFC 9110 (section 15.5.5 and 15.5.6).
 *
 * A template is a path of segments separated by '/': a static segment
 * ("users") matches itself; a parameter ("{id}") matches one non-empty
 * segment; a wildcard ("*", last only) matches the rest of the path, even
 * empty, slashes included. Precedence: of the routes whose template
 * matches a path, compare two segment by segment from the left; at the
 * first position where their kinds differ, static beats parameter beats
 * wildcard (the order of Echo's router, "Path matching order"). Unlike a
 * radix tree that commits to the first branch, every route is considered,
 * so a static prefix that leads nowhere falls back to a parameter.
 */
#ifndef BACKLAB_ROUTER_H
#define BACKLAB_ROUTER_H

#include <stddef.h>

enum router_kind { ROUTER_STATIC, ROUTER_PARAM, ROUTER_WILD };

struct router_seg {
	enum router_kind kind;
	char *text;         /* the static text, or the parameter's name ("*" for a wildcard) */
};

struct router_route {
	char *method;       /* upper case, e.g. "GET" */
	char *tmpl;         /* as given */
	char *name;         /* the handler's name */
	struct router_seg *segs;
	size_t nseg;
};

struct router {
	struct router_route *routes;
	size_t n, cap;
};

/* The outcome of one request. */
struct router_match {
	int status;         /* 200, 404 or 405 */
	size_t route;       /* 200: index of the route chosen */
	size_t nparams;     /* 200: parameters, in template order */
	char **names, **values;  /* values percent-decoded */
	char *allow;        /* 405 (and 200): the methods the path allows, "GET, HEAD, POST" */
	size_t candidates;  /* routes whose template matched the path, any method */
};

/* An empty router. */
void router_init(struct router *r);

/* Frees what R holds. */
void router_free(struct router *r);

/* Adds METHOD TMPL, handled by NAME. 0; -1 with *WHY set for a method
 * that is not one word (empty, or holding a space, a line end or '/'), a
 * template that is not one (no leading '/', '{' without '}', an empty or
 * repeated parameter name, a wildcard not last) or a route already there
 * with the same method and the same shape; -2 when memory is refused. */
int router_add(struct router *r, const char *method, const char *tmpl, const char *name,
	       const char **why);

/* Matches METHOD PATH (LEN bytes; a query '?...' is ignored) into M, which
 * the caller frees with router_match_free. HEAD is served by a GET route
 * when no HEAD route matches. 0, or -2 when memory is refused. */
int router_match(const struct router *r, const char *method, const char *path, size_t len,
		 struct router_match *m);

/* Frees what M holds. */
void router_match_free(struct router_match *m);

/* <0, 0, >0 as route A is more specific than, the same shape as, or less
 * specific than route B (the precedence above). */
int router_compare(const struct router_route *a, const struct router_route *b);

#endif
