/* cors.c — the CORS protocol of the Fetch standard; see cors.h. */
#include "engine/concepts/web/cors.h"
#include "engine/concepts/web/weburl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cors_safelisted_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "POST") == 0;
}

/* The MIME type's essence: VALUE up to ';', trimmed, lowercased. */
static void essence(const char *value, char *out, size_t size)
{
	while (*value == ' ' || *value == '\t')
		value++;
	size_t n = strcspn(value, ";");
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)value[i]);
	out[n] = '\0';
}

int cors_safelisted_header(const char *name, const char *value)
{
	if (strlen(value) > 128)
		return 0;
	if (strcasecmp(name, "accept") == 0)
		return !strpbrk(value, "\"():<>?@[\\]{}\x7f");
	if (strcasecmp(name, "accept-language") == 0 || strcasecmp(name, "content-language") == 0) {
		for (const char *p = value; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(" *,-.;=", *p))
				return 0;
		return 1;
	}
	if (strcasecmp(name, "content-type") == 0) {
		char e[64];
		essence(value, e, sizeof e);
		return strcmp(e, "application/x-www-form-urlencoded") == 0 ||
		       strcmp(e, "multipart/form-data") == 0 || strcmp(e, "text/plain") == 0;
	}
	if (strcasecmp(name, "range") == 0)
		return strncmp(value, "bytes=", 6) == 0 && !strchr(value, ',');
	return 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Joins N strings with SEP into OUT (room for CORS_LIST_MAX). */
static void join(char *out, const char *const *v, size_t n, const char *sep)
{
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, sep);
		strncat(out, v[i], CORS_NAME_MAX);
	}
}

static int in_list_case(const char *const *v, size_t n, const char *x)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], x) == 0)
			return 1;
	return 0;
}

static int in_list(const char *const *v, size_t n, const char *x)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], x) == 0)
			return 1;
	return 0;
}

/* The server's answer to ORIGIN: ACAO and ACAC (the same for the preflight
 * and the actual response). */
static void server_headers(const struct cors_policy *p, const char *origin, struct cors_result *r)
{
	int listed = in_list(p->origins, p->norigins, origin);
	r->acao[0] = '\0';
	if (p->reflect || listed)
		snprintf(r->acao, sizeof r->acao, "%s", origin);
	else if (p->any_origin)
		snprintf(r->acao, sizeof r->acao, "*");
	r->acac = p->credentials;
}

/* The CORS check (Fetch 4.9): may the page read a response with these
 * headers? Sets the reason when not. */
static int cors_check(const struct cors_request *rq, struct cors_result *r, const char *what)
{
	if (!r->acao[0]) {
		snprintf(r->reason, sizeof r->reason,
			 "the %s has no Access-Control-Allow-Origin for %s", what, rq->origin);
		return 0;
	}
	if (strcmp(r->acao, "*") == 0) {
		if (rq->credentials) {
			snprintf(r->reason, sizeof r->reason,
				 "the %s allows origin '*', which never covers a request with credentials", what);
			return 0;
		}
	} else if (strcmp(r->acao, rq->origin) != 0) {
		snprintf(r->reason, sizeof r->reason,
			 "the %s allows origin %s, not %s", what, r->acao, rq->origin);
		return 0;
	}
	if (rq->credentials && !r->acac) {
		snprintf(r->reason, sizeof r->reason,
			 "credentials were sent but the %s lacks Access-Control-Allow-Credentials: true", what);
		return 0;
	}
	return 1;
}

/* Fetch's "normalize a method": a case-insensitive match of DELETE, GET,
 * HEAD, OPTIONS, POST or PUT is upper-cased; any other method (`patch`)
 * stays as written. */
static const char *normalize_method(const char *m)
{
	static const char *const known[] = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", NULL};
	for (size_t i = 0; known[i]; i++)
		if (strcasecmp(m, known[i]) == 0)
			return known[i];
	return m;
}

int cors_evaluate(const struct cors_request *rq, const struct cors_policy *p,
		  struct cors_result *r)
{
	memset(r, 0, sizeof *r);
	struct cors_request normalized = *rq;
	normalized.method = normalize_method(rq->method);
	rq = &normalized;
	struct weburl target, from;
	if (weburl_parse(rq->url, &target) != 0 || weburl_parse(rq->origin, &from) != 0)
		return -1;
	if (weburl_same_origin(&target, &from)) {
		r->same_origin = r->sent = r->allowed = 1;
		snprintf(r->reason, sizeof r->reason, "same origin: CORS does not apply");
		snprintf(r->readable, sizeof r->readable, "all");
		return 0;
	}
	/* which request headers make it non-simple */
	const char *unsafe[CORS_MAX];
	char lowered[CORS_MAX][CORS_NAME_MAX + 1];
	size_t nunsafe = 0;
	for (size_t i = 0; i < rq->nheaders; i++) {
		if (cors_safelisted_header(rq->names[i], rq->values[i]))
			continue;
		snprintf(lowered[nunsafe], sizeof lowered[nunsafe], "%s", rq->names[i]);
		lower(lowered[nunsafe]);
		unsafe[nunsafe] = lowered[nunsafe];
		nunsafe++;
	}
	qsort(unsafe, nunsafe, sizeof *unsafe, cmp_str);
	if (!cors_safelisted_method(rq->method)) {
		r->preflight = 1;
		snprintf(r->why_preflight, sizeof r->why_preflight, "method %s is not GET, HEAD or POST",
			 rq->method);
	} else if (nunsafe) {
		r->preflight = 1;
		snprintf(r->why_preflight, sizeof r->why_preflight,
			 "header %s is not CORS-safelisted", unsafe[0]);
	}
	server_headers(p, rq->origin, r);
	if (r->preflight) {
		snprintf(r->acr_method, sizeof r->acr_method, "%s", rq->method);
		join(r->acr_headers, unsafe, nunsafe, ",");
		join(r->acam, p->methods, p->nmethods, ", ");
		join(r->acah, p->headers, p->nheaders, ", ");
		if (!cors_check(rq, r, "preflight response"))
			return 0;
		int star_m = !rq->credentials && in_list(p->methods, p->nmethods, "*");
		if (!cors_safelisted_method(rq->method) && !star_m &&
		    !in_list(p->methods, p->nmethods, rq->method)) {
			snprintf(r->reason, sizeof r->reason,
				 "method %s is not in Access-Control-Allow-Methods", rq->method);
			return 0;
		}
		int star_h = !rq->credentials && in_list(p->headers, p->nheaders, "*");
		for (size_t i = 0; i < nunsafe; i++) {
			if (in_list_case(p->headers, p->nheaders, unsafe[i]))
				continue;
			if (star_h && strcmp(unsafe[i], "authorization") != 0)
				continue;
			snprintf(r->reason, sizeof r->reason,
				 "header %s is not in Access-Control-Allow-Headers%s", unsafe[i],
				 strcmp(unsafe[i], "authorization") == 0 && star_h
					 ? " ('*' never covers Authorization)" : "");
			return 0;
		}
	}
	r->sent = 1;                    /* a simple request is sent whatever the answer */
	join(r->aceh, p->expose, p->nexpose, ", ");
	if (!cors_check(rq, r, "response"))
		return 0;
	r->allowed = 1;
	snprintf(r->reason, sizeof r->reason, "allowed");
	snprintf(r->readable, sizeof r->readable,
		 "cache-control, content-language, content-length, content-type, expires, "
		 "last-modified, pragma%s%s", p->nexpose ? ", " : "", r->aceh);
	return 0;
}
