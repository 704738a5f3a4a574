/*
 * csp.c — CSP3 section 6 (matching): 6.7.2.x "Does url match expression",
 * 6.6.x "Does element match source list for type and source", and the
 * fallback lists of section 6.8.3; see csp.h.
 */
#include "engine/concepts/web/csp.h"
#include "engine/concepts/web/weburl.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/hashfn.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 64
#define MAX_DIRECTIVES 32

struct directive {
	char name[32];
	const char *src[MAX_TOKENS];
	size_t n;
};

struct policy {
	struct directive d[MAX_DIRECTIVES];
	size_t n;
};

int csp_kind_parse(const char *name)
{
	static const char *const names[] = {"script", "script-attr", "style", "style-attr", "connect",
					    "img", "font", "frame", "object", "eval"};
	for (int i = 0; i < 10; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* Splits one policy (TEXT, modified in place) into directives; the first
 * occurrence of a directive wins (CSP3 2.2.1). */
static void parse(char *text, struct policy *p)
{
	p->n = 0;
	for (char *save = NULL, *dir = strtok_r(text, ";", &save); dir;
	     dir = strtok_r(NULL, ";", &save)) {
		char *save2 = NULL, *name = strtok_r(dir, " \t\r\n", &save2);
		if (!name || p->n == MAX_DIRECTIVES)
			continue;
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		int dup = 0;
		for (size_t i = 0; i < p->n; i++)
			dup |= strcmp(p->d[i].name, name) == 0;
		if (dup || strlen(name) >= sizeof p->d[0].name)
			continue;
		struct directive *d = &p->d[p->n++];
		snprintf(d->name, sizeof d->name, "%s", name);
		d->n = 0;
		for (char *tok = strtok_r(NULL, " \t\r\n", &save2); tok && d->n < MAX_TOKENS;
		     tok = strtok_r(NULL, " \t\r\n", &save2))
			d->src[d->n++] = tok;
	}
}

static const struct directive *find(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->d[i].name, name) == 0)
			return &p->d[i];
	return NULL;
}

/* The fallback list of section 6.8.3, ending in NULL. */
static const char *const *fallbacks(enum csp_kind k)
{
	static const char *const lists[][4] = {
		{"script-src-elem", "script-src", "default-src", NULL},
		{"script-src-attr", "script-src", "default-src", NULL},
		{"style-src-elem", "style-src", "default-src", NULL},
		{"style-src-attr", "style-src", "default-src", NULL},
		{"connect-src", "default-src", NULL, NULL},
		{"img-src", "default-src", NULL, NULL},
		{"font-src", "default-src", NULL, NULL},
		{"frame-src", "child-src", "default-src", NULL},
		{"object-src", "default-src", NULL, NULL},
		{"script-src", "default-src", NULL, NULL},
	};
	return lists[k];
}

static int keyword(const char *tok, const char *kw)
{
	return strcasecmp(tok, kw) == 0;
}

static int has_keyword(const struct directive *d, const char *kw)
{
	for (size_t i = 0; i < d->n; i++)
		if (keyword(d->src[i], kw))
			return 1;
	return 0;
}

static int is_nonce_or_hash(const char *t)
{
	return strncasecmp(t, "'nonce-", 7) == 0 || strncasecmp(t, "'sha256-", 8) == 0 ||
	       strncasecmp(t, "'sha384-", 8) == 0 || strncasecmp(t, "'sha512-", 8) == 0;
}

/* Does host H match the source host pattern P ("*.example.com" or exact)? */
static int host_match(const char *p, const char *h)
{
	if (p[0] == '*' && p[1] == '.') {
		size_t pl = strlen(p + 1), hl = strlen(h);  /* ".example.com" */
		return hl > pl && strcasecmp(h + hl - pl, p + 1) == 0;
	}
	return strcasecmp(p, h) == 0;
}

/* Scheme part (CSP3 6.7.2.7): A, or an upgrade from A (http->https, ws->wss). */
static int scheme_match(const char *a, const char *url)
{
	if (strcasecmp(a, url) == 0)
		return 1;
	return (strcasecmp(a, "http") == 0 && strcmp(url, "https") == 0) ||
	       (strcasecmp(a, "ws") == 0 && (strcmp(url, "wss") == 0 || strcmp(url, "https") == 0)) ||
	       (strcasecmp(a, "wss") == 0 && strcmp(url, "https") == 0);
}

/* A host-source against the URL U, on page PAGE. Writes nothing. */
static int host_source(const char *src, const struct weburl *u, const struct weburl *page)
{
	char scheme[32] = "", host[256], port[16] = "", path[512] = "";
	const char *s = src, *sep = strstr(src, "://");
	if (sep) {
		if ((size_t)(sep - s) >= sizeof scheme)
			return 0;
		memcpy(scheme, s, (size_t)(sep - s));
		scheme[sep - s] = '\0';
		s = sep + 3;
	}
	size_t hl = strcspn(s, ":/");
	if (hl == 0 || hl >= sizeof host)
		return 0;
	memcpy(host, s, hl);
	host[hl] = '\0';
	s += hl;
	if (*s == ':') {
		size_t pl = strcspn(s + 1, "/");
		if (pl >= sizeof port)
			return 0;
		memcpy(port, s + 1, pl);
		port[pl] = '\0';
		s += 1 + pl;
	}
	snprintf(path, sizeof path, "%s", s);
	if (u->opaque)
		return 0;
	if (scheme[0] ? !scheme_match(scheme, u->scheme)
		      : !(scheme_match(page->scheme, u->scheme)))
		return 0;
	if (!(strcmp(host, "*") == 0 || host_match(host, u->host)))
		return 0;
	if (strcmp(port, "*") != 0) {
		int want = port[0] ? atoi(port) : weburl_default_port(scheme[0] ? scheme : u->scheme);
		int upgraded = want == 80 && u->port == 443 && strcmp(u->scheme, "https") == 0;
		if (u->port != want && !upgraded && !(port[0] == 0 && u->port == weburl_default_port(u->scheme)))
			return 0;
	}
	if (path[0]) {
		size_t n = strlen(path);
		if (path[n - 1] == '/' ? strncmp(u->path, path, n) != 0 : strcmp(u->path, path) != 0)
			return 0;
	}
	return 1;
}

/* Does URL match one expression of the list? Sets *WHICH to it. */
static int url_matches(const struct directive *d, const struct weburl *u,
		       const struct weburl *page, int strict_dynamic, const char **which)
{
	for (size_t i = 0; i < d->n; i++) {
		const char *t = d->src[i];
		int ok = 0;
		if (strict_dynamic)
			continue;                 /* strict-dynamic: URLs and 'self' ignored */
		if (keyword(t, "'self'")) {
			ok = weburl_same_origin(u, page) ||
			     (!u->opaque && strcmp(page->scheme, "http") == 0 &&
			      strcmp(u->scheme, "https") == 0 && strcmp(u->host, page->host) == 0);
		} else if (strcmp(t, "*") == 0) {
			ok = !u->opaque && (strcmp(u->scheme, "http") == 0 || strcmp(u->scheme, "https") == 0 ||
					    strcmp(u->scheme, "ws") == 0 || strcmp(u->scheme, "wss") == 0 ||
					    strcmp(u->scheme, page->scheme) == 0);
		} else if (t[0] == '\'') {
			continue;                 /* other keywords, nonces, hashes */
		} else if (t[strlen(t) - 1] == ':') {  /* scheme-source */
			char s[32];
			size_t n = strlen(t) - 1;
			if (n >= sizeof s)
				continue;
			memcpy(s, t, n);
			s[n] = '\0';
			ok = scheme_match(s, u->scheme);
		} else {
			ok = host_source(t, u, page);
		}
		if (ok) {
			*which = t;
			return 1;
		}
	}
	return 0;
}

/* Does a nonce or hash of the list match the element? */
static int nonce_or_hash(const struct directive *d, const struct csp_request *rq, const char **which)
{
	for (size_t i = 0; i < d->n; i++) {
		const char *t = d->src[i];
		size_t n = strlen(t);
		if (strncasecmp(t, "'nonce-", 7) == 0 && rq->nonce && t[n - 1] == '\'' &&
		    strlen(rq->nonce) == n - 8 && strncmp(t + 7, rq->nonce, n - 8) == 0) {
			*which = t;
			return 1;
		}
		const char *alg = strncasecmp(t, "'sha256-", 8) == 0 ? "sha256"
				: strncasecmp(t, "'sha384-", 8) == 0 ? "sha384"
				: strncasecmp(t, "'sha512-", 8) == 0 ? "sha512" : NULL;
		if (alg && !rq->url && rq->content && t[n - 1] == '\'') {
			const struct hashfn *h = hashfn_find(alg);
			unsigned char dg[HASHFN_MAX_SIZE];
			char b64[2 * HASHFN_MAX_SIZE];
			hashfn_digest(h, rq->content, rq->content_len, dg);
			base64_encode(dg, h->size, BASE64_STD, 1, b64);
			if (strlen(b64) == n - 9 && strncmp(t + 8, b64, n - 9) == 0) {
				*which = t;
				return 1;
			}
		}
	}
	return 0;
}

static int decide(const struct directive *d, const struct csp_request *rq,
		  const struct weburl *page, struct csp_result *r)
{
	const char *which = NULL;
	int scriptish = rq->kind == CSP_SCRIPT || rq->kind == CSP_SCRIPT_ATTR || rq->kind == CSP_EVAL;
	int strict = scriptish && has_keyword(d, "'strict-dynamic'");
	if (d->n == 1 && keyword(d->src[0], "'none'")) {
		snprintf(r->reason, sizeof r->reason, "%s is 'none'", d->name);
		return 0;
	}
	if (rq->kind == CSP_EVAL) {
		if (has_keyword(d, "'unsafe-eval'")) {
			snprintf(r->reason, sizeof r->reason, "'unsafe-eval' in %s", d->name);
			return 1;
		}
		snprintf(r->reason, sizeof r->reason, "%s lacks 'unsafe-eval'", d->name);
		return 0;
	}
	if (nonce_or_hash(d, rq, &which)) {
		snprintf(r->reason, sizeof r->reason, "%s matches", which);
		return 1;
	}
	if (!rq->url) {                                   /* inline */
		int neutralised = 0;
		for (size_t i = 0; i < d->n; i++)
			neutralised |= is_nonce_or_hash(d->src[i]);
		if (has_keyword(d, "'unsafe-inline'") && !neutralised && !strict) {
			snprintf(r->reason, sizeof r->reason, "'unsafe-inline' in %s", d->name);
			return 1;
		}
		snprintf(r->reason, sizeof r->reason, "inline code needs a matching nonce or hash in %s%s",
			 d->name, has_keyword(d, "'unsafe-inline'")
			 ? (strict ? " ('unsafe-inline' is ignored with 'strict-dynamic')"
			    : " ('unsafe-inline' is ignored when a nonce or hash is present)") : "");
		return 0;
	}
	if (strict && rq->dynamic && rq->kind == CSP_SCRIPT) {
		snprintf(r->reason, sizeof r->reason,
			 "'strict-dynamic': loaded by an already trusted script");
		return 1;
	}
	struct weburl u;
	if (weburl_parse(rq->url, &u) != 0) {
		snprintf(r->reason, sizeof r->reason, "'%s' is not a URL", rq->url);
		return 0;
	}
	if (url_matches(d, &u, page, strict, &which)) {
		snprintf(r->reason, sizeof r->reason, "%s matches %s", which, rq->url);
		return 1;
	}
	snprintf(r->reason, sizeof r->reason, "no source of %s matches %s%s", d->name, rq->url,
		 strict ? " ('strict-dynamic' ignores host and scheme sources)" : "");
	return 0;
}

int csp_evaluate(const char *text, const struct csp_request *rq, struct csp_result *r)
{
	memset(r, 0, sizeof *r);
	struct weburl page;
	static char copy[CSP_MAX_TEXT + 1];           /* one policy at a time: not reentrant */
	if (strlen(text) > CSP_MAX_TEXT || weburl_parse(rq->page, &page) != 0)
		return -1;
	snprintf(copy, sizeof copy, "%s", text);
	r->allowed = 1;
	snprintf(r->reason, sizeof r->reason, "no directive of the policy applies: allowed");
	for (char *save = NULL, *one = strtok_r(copy, ",", &save); one;
	     one = strtok_r(NULL, ",", &save)) {
		struct policy p;
		parse(one, &p);
		for (const char *const *f = fallbacks(rq->kind); *f; f++) {
			const struct directive *d = find(&p, *f);
			if (!d)
				continue;
			snprintf(r->directive, sizeof r->directive, "%s", d->name);
			if (!decide(d, rq, &page, r)) {
				r->allowed = 0;
				return 0;               /* every policy must allow */
			}
			break;
		}
	}
	return 0;
}
