/*
 * Tests of the path-template router (engine/concepts/router/router.c).
 */
#include "unit.h"
#include "engine/concepts/router/router.h"

#include <string.h>

static int add(struct router *r, const char *m, const char *t)
{
	const char *why = NULL;
	return router_add(r, m, t, t, &why);
}

static const char *route_of(struct router *r, const char *m, const char *path, int *status)
{
	struct router_match mt;
	if (router_match(r, m, path, strlen(path), &mt) != 0) {
		*status = -1;
		return NULL;
	}
	*status = mt.status;
	const char *name = mt.status == 200 ? r->routes[mt.route].name : NULL;
	router_match_free(&mt);
	return name;
}

/* Static beats parameter beats wildcard, whatever the order of adding. */
static void t_precedence(void)
{
	struct router r;
	router_init(&r);
	CHECK(add(&r, "GET", "/files/*") == 0);
	CHECK(add(&r, "GET", "/files/{name}") == 0);
	CHECK(add(&r, "GET", "/files/readme") == 0);
	CHECK(add(&r, "GET", "/{kind}/{id}/comments") == 0);
	CHECK(add(&r, "GET", "/users/{id}/posts") == 0);
	int st;
	CHECK_STR(route_of(&r, "GET", "/files/readme", &st), "/files/readme");
	CHECK_STR(route_of(&r, "GET", "/files/a.txt", &st), "/files/{name}");
	CHECK_STR(route_of(&r, "GET", "/files/a/b.txt", &st), "/files/*");
	CHECK_STR(route_of(&r, "GET", "/files/", &st), "/files/*");
	CHECK(route_of(&r, "GET", "/files", &st) == NULL && st == 404);
	/* the static "users" leads nowhere for .../comments: fall back */
	CHECK_STR(route_of(&r, "GET", "/users/1/comments", &st), "/{kind}/{id}/comments");
	CHECK_STR(route_of(&r, "GET", "/users/1/posts?page=2", &st), "/users/{id}/posts");
	CHECK(route_of(&r, "GET", "/users/1/posts/", &st) == NULL && st == 404);
	router_free(&r);
}

static void t_405_allow(void)
{
	struct router r;
	router_init(&r);
	CHECK(add(&r, "PUT", "/users/{id}") == 0);
	CHECK(add(&r, "GET", "/users/{id}") == 0);
	CHECK(add(&r, "DELETE", "/users/me") == 0);
	struct router_match m;
	CHECK(router_match(&r, "POST", "/users/me", 9, &m) == 0);
	CHECK_INT(m.status, 405);
	CHECK_STR(m.allow, "DELETE, GET, HEAD, PUT");
	router_match_free(&m);
	CHECK(router_match(&r, "HEAD", "/users/7", 8, &m) == 0);
	CHECK_INT(m.status, 200);
	CHECK_STR(m.values[0], "7");
	router_match_free(&m);
	CHECK(router_match(&r, "POST", "/nope", 5, &m) == 0);
	CHECK_INT(m.status, 404);
	CHECK(m.allow == NULL);
	router_match_free(&m);
	router_free(&r);
}

static void t_bad_templates(void)
{
	struct router r;
	router_init(&r);
	const char *why = NULL;
	CHECK(router_add(&r, "GET", "users", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/a/*/b", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/a/{id", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/a/{}", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/a/x{id}", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/{id}/{id}", "x", &why) == -1);
	CHECK(router_add(&r, "GET", "/a/{id}", "x", &why) == 0);
	CHECK(router_add(&r, "GET", "/a/{other}", "x", &why) == -1);
	CHECK(router_add(&r, "POST", "/a/{other}", "x", &why) == 0);
	/* a method is one word (fuzz_router: an empty one gave a 405 with an
	 * empty Allow) */
	CHECK(router_add(&r, "", "/b", "x", &why) == -1);
	CHECK(router_add(&r, "GE T", "/b", "x", &why) == -1);
	CHECK(router_add(&r, "GET/", "/b", "x", &why) == -1);
	CHECK_INT((int)r.n, 2);
	router_free(&r);
}

static const struct test tests[] = {
	{"router/precedence", t_precedence},
	{"router/405_allow", t_405_allow},
	{"router/bad_templates", t_bad_templates},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
