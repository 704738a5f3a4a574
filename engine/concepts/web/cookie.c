/* cookie.c — RFC 6265bis sections 5.1 (matching), 5.6 (Set-Cookie), 5.7
 * (storage model) and 5.8 (the Cookie header); see cookie.h. */
#include "engine/concepts/web/cookie.h"
#include "engine/concepts/web/weburl.h"
#include "engine/concepts/httpcache/httpdate.h"
#include "engine/base/budget.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cookie_jar_init(struct cookie_jar *j)
{
	memset(j, 0, sizeof *j);
}

static void free_cookie(struct cookie *c)
{
	budget_free(c->name);
	budget_free(c->value);
	budget_free(c->domain);
	budget_free(c->path);
}

void cookie_jar_free(struct cookie_jar *j)
{
	for (size_t i = 0; i < j->n; i++)
		free_cookie(&j->c[i]);
	budget_free(j->c);
	memset(j, 0, sizeof *j);
}

static int is_ip_host(const char *h)
{
	if (h[0] == '[')
		return 1;
	for (; *h; h++)
		if (!isdigit((unsigned char)*h) && *h != '.')
			return 0;
	return 1;
}

int cookie_domain_match(const char *host, const char *domain)
{
	if (strcasecmp(host, domain) == 0)
		return 1;
	size_t hl = strlen(host), dl = strlen(domain);
	return hl > dl && host[hl - dl - 1] == '.' && strcasecmp(host + hl - dl, domain) == 0 &&
	       !is_ip_host(host);
}

int cookie_path_match(const char *path, const char *cp)
{
	size_t n = strlen(cp);
	if (strcmp(path, cp) == 0)
		return 1;
	return strncmp(path, cp, n) == 0 && (cp[n - 1] == '/' || path[n] == '/');
}

/* RFC 6265 5.1.4: the directory of the request path. */
static void default_path(const char *path, char *out, size_t size)
{
	const char *last = strrchr(path, '/');
	if (path[0] != '/' || !last || last == path) {
		snprintf(out, size, "/");
		return;
	}
	snprintf(out, size, "%.*s", (int)(last - path), path);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static int secure_url(const struct weburl *u)
{
	return strcmp(u->scheme, "https") == 0 || strcmp(u->scheme, "wss") == 0 ||
	       strcmp(u->host, "localhost") == 0 || strcmp(u->host, "127.0.0.1") == 0;
}

static int same_site(const struct cookie_ctx *ctx, const struct weburl *u)
{
	if (!ctx->site_for_cookies)
		return 1;
	struct weburl top;
	return weburl_parse(ctx->site_for_cookies, &top) == 0 && weburl_same_site(&top, u);
}

static enum cookie_set_result refuse(char *reason, const char *why)
{
	snprintf(reason, 160, "%s", why);
	return COOKIE_REFUSED;
}

/* The parsed attributes of a Set-Cookie line. */
struct attrs {
	char *name, *value, *domain, *path;
	int secure, http_only, has_max_age, has_expires;
	enum cookie_samesite ss;
	int64_t max_age, expires;
};

/* Splits LINE (modified in place) into A; -1 if it has no name=value. */
static int parse_line(char *line, struct attrs *a, int64_t now)
{
	memset(a, 0, sizeof *a);
	char *save = NULL, *pair = strtok_r(line, ";", &save);
	char *eq = pair ? strchr(pair, '=') : NULL;
	if (!eq)
		return -1;
	*eq = '\0';
	a->name = trim(pair);
	a->value = trim(eq + 1);
	if (!a->name[0] && !a->value[0])
		return -1;
	for (char *av = strtok_r(NULL, ";", &save); av; av = strtok_r(NULL, ";", &save)) {
		char *v = strchr(av, '=');
		if (v)
			*v++ = '\0';
		char *k = trim(av);
		v = v ? trim(v) : "";
		if (strcasecmp(k, "secure") == 0)
			a->secure = 1;
		else if (strcasecmp(k, "httponly") == 0)
			a->http_only = 1;
		else if (strcasecmp(k, "domain") == 0 && v[0])
			a->domain = v[0] == '.' ? v + 1 : v;      /* 5.6.3: leading dot ignored */
		else if (strcasecmp(k, "path") == 0)
			a->path = v[0] == '/' ? v : NULL;         /* 5.6.4: else the default */
		else if (strcasecmp(k, "max-age") == 0 && (isdigit((unsigned char)v[0]) || v[0] == '-')) {
			a->has_max_age = 1;
			a->max_age = strtoll(v, NULL, 10);
		} else if (strcasecmp(k, "expires") == 0) {
			int64_t t;
			if (httpdate_parse(v, (double)now, &t) == 0)
				a->has_expires = 1, a->expires = t;
		} else if (strcasecmp(k, "samesite") == 0) {
			a->ss = strcasecmp(v, "strict") == 0 ? COOKIE_SS_STRICT
				: strcasecmp(v, "lax") == 0 ? COOKIE_SS_LAX
				: strcasecmp(v, "none") == 0 ? COOKIE_SS_NONE : COOKIE_SS_DEFAULT;
		}
	}
	return 0;
}

static char *dup(const char *s)
{
	return budget_strdup(s);
}

static struct cookie *find(struct cookie_jar *j, const char *name, const char *domain,
			   const char *path)
{
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->c[i].name, name) == 0 && strcasecmp(j->c[i].domain, domain) == 0 &&
		    strcmp(j->c[i].path, path) == 0)
			return &j->c[i];
	return NULL;
}

static void remove_at(struct cookie_jar *j, struct cookie *c)
{
	free_cookie(c);
	size_t i = (size_t)(c - j->c);
	memmove(c, c + 1, (j->n - i - 1) * sizeof *c);
	j->n--;
}

enum cookie_set_result cookie_set(struct cookie_jar *j, const char *line,
				  const struct cookie_ctx *ctx, char *reason)
{
	reason[0] = '\0';
	struct weburl u;
	if (strlen(line) > COOKIE_MAX_TEXT)
		return refuse(reason, "longer than 4096 bytes");
	if (weburl_parse(ctx->url, &u) != 0 || u.opaque)
		return refuse(reason, "the request URL does not parse");
	char copy[COOKIE_MAX_TEXT + 1];
	snprintf(copy, sizeof copy, "%s", line);
	struct attrs a;
	if (parse_line(copy, &a, ctx->now) != 0)
		return refuse(reason, "no name=value");
	/* Domain (5.7 steps 7-9) */
	char domain[256];
	int host_only = 1;
	if (a.domain) {
		snprintf(domain, sizeof domain, "%s", a.domain);
		for (char *c = domain; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (weburl_is_public_suffix(domain)) {
			if (strcmp(domain, u.host) != 0)
				return refuse(reason, "Domain is a public suffix");
		} else if (!cookie_domain_match(u.host, domain)) {
			return refuse(reason, "Domain does not domain-match the request's host");
		} else {
			host_only = 0;
		}
	}
	if (host_only)
		snprintf(domain, sizeof domain, "%s", u.host);
	char path[WEBURL_MAX];
	if (a.path)
		snprintf(path, sizeof path, "%s", a.path);
	else
		default_path(u.path, path, sizeof path);
	if (a.secure && !secure_url(&u))
		return refuse(reason, "Secure set from an insecure origin");
	if (a.http_only && ctx->script)
		return refuse(reason, "HttpOnly cannot be set from script");
	if (a.ss == COOKIE_SS_NONE && !a.secure)
		return refuse(reason, "SameSite=None requires Secure");
	if (a.ss != COOKIE_SS_NONE && !same_site(ctx, &u) && !ctx->top_level)
		return refuse(reason, "a SameSite=Lax/Strict cookie set in a cross-site context");
	if (strncmp(a.name, "__Secure-", 9) == 0 && !a.secure)
		return refuse(reason, "__Secure- needs Secure");
	if (strncmp(a.name, "__Host-", 7) == 0 && (!a.secure || !host_only || strcmp(path, "/") != 0))
		return refuse(reason, "__Host- needs Secure, no Domain and Path=/");
	struct cookie *old = find(j, a.name, domain, path);
	if (old && old->http_only && ctx->script)
		return refuse(reason, "script cannot overwrite an HttpOnly cookie");
	if (!secure_url(&u)) {                            /* 5.7 step 16: no overwriting Secure ones */
		for (size_t i = 0; i < j->n; i++)
			if (j->c[i].secure && strcmp(j->c[i].name, a.name) == 0 &&
			    (cookie_domain_match(domain, j->c[i].domain) ||
			     cookie_domain_match(j->c[i].domain, domain)) &&
			    cookie_path_match(path, j->c[i].path))
				return refuse(reason, "an insecure origin cannot shadow a Secure cookie");
	}
	int64_t expires = INT64_MAX;
	if (a.has_max_age)
		expires = a.max_age <= 0 ? INT64_MIN : ctx->now + a.max_age;  /* Max-Age wins */
	else if (a.has_expires)
		expires = a.expires;
	if (expires <= ctx->now) {
		if (old)
			remove_at(j, old);
		return COOKIE_DELETED;
	}
	struct cookie c = {dup(a.name), dup(a.value), dup(domain), dup(path), host_only,
			   a.secure, a.http_only, a.ss, expires, old ? old->created : j->clock++};
	if (!c.name || !c.value || !c.domain || !c.path) {
		free_cookie(&c);
		return COOKIE_ENOMEM;
	}
	if (old) {
		free_cookie(old);
		*old = c;
		return COOKIE_STORED;
	}
	if (j->n >= 256) {
		free_cookie(&c);
		return refuse(reason, "the lab's jar holds at most 256 cookies");
	}
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 8;
		struct cookie *nc = budget_realloc(j->c, cap * sizeof *nc);
		if (!nc) {
			free_cookie(&c);
			return COOKIE_ENOMEM;
		}
		j->c = nc;
		j->cap = cap;
	}
	j->c[j->n++] = c;
	return COOKIE_STORED;
}

static int by_path_then_age(const void *a, const void *b)
{
	const struct cookie *x = *(const struct cookie *const *)a, *y = *(const struct cookie *const *)b;
	size_t lx = strlen(x->path), ly = strlen(y->path);
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x->created < y->created ? -1 : x->created > y->created;
}

static void note(char *explain, const struct cookie *c, const char *why)
{
	if (!explain)
		return;
	size_t n = strlen(explain);
	if (n + strlen(c->name) + strlen(why) + 4 < 1024)
		snprintf(explain + n, 1024 - n, "%s: %s\n", c->name, why);
}

int cookie_header(const struct cookie_jar *j, const struct cookie_ctx *ctx, char *out,
		  size_t size, char *explain)
{
	struct weburl u;
	if (explain)
		explain[0] = '\0';
	out[0] = '\0';
	if (weburl_parse(ctx->url, &u) != 0 || u.opaque)
		return 0;
	int cross = !same_site(ctx, &u);
	const char *m = ctx->method ? ctx->method : "GET";
	int safe_nav = ctx->top_level && (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0);
	const struct cookie *pick[256];
	size_t n = 0;
	for (size_t i = 0; i < j->n && n < 256; i++) {
		const struct cookie *c = &j->c[i];
		if (c->host_only ? strcasecmp(c->domain, u.host) != 0 : !cookie_domain_match(u.host, c->domain))
			continue;                            /* not for this host: silent */
		if (!cookie_path_match(u.path, c->path)) {
			note(explain, c, "path does not match");
			continue;
		}
		if (c->expires <= ctx->now) {
			note(explain, c, "expired");
			continue;
		}
		if (c->secure && !secure_url(&u)) {
			note(explain, c, "Secure: not sent over http");
			continue;
		}
		if (c->http_only && ctx->script) {
			note(explain, c, "HttpOnly: hidden from script");
			continue;
		}
		if (cross && c->same_site == COOKIE_SS_STRICT) {
			note(explain, c, "SameSite=Strict: cross-site request");
			continue;
		}
		if (cross && (c->same_site == COOKIE_SS_LAX || c->same_site == COOKIE_SS_DEFAULT) &&
		    !safe_nav) {
			note(explain, c, c->same_site == COOKIE_SS_LAX
			     ? "SameSite=Lax: cross-site and not a top-level GET navigation"
			     : "no SameSite (Lax by default): cross-site and not a top-level GET navigation");
			continue;
		}
		pick[n++] = c;
	}
	qsort(pick, n, sizeof *pick, by_path_then_age);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + len, size - len, "%s%s=%s", i ? "; " : "", pick[i]->name,
				 pick[i]->value);
		if (w < 0 || (size_t)w >= size - len)
			return -1;
		len += (size_t)w;
	}
	return (int)len;
}
