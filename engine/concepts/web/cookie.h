/*
 * cookie.h — a browser's cookie jar (RFC 6265bis, draft-ietf-httpbis-
 * rfc6265bis): Set-Cookie parsed and stored or refused, and the Cookie
 * header a request carries: domain and path matching, Secure, HttpOnly,
 * SameSite (Strict, Lax, None; unset counts as Lax, as in Chrome and the
 * draft's "Lax by default"), the __Secure- and __Host- prefixes, Expires
 * and Max-Age.
 *
 * Expires is read with the HTTP-date parser (RFC 9110 5.6.7: the three
 * formats), not the full cookie-date algorithm of RFC 6265 5.1.1.
 */
#ifndef BACKLAB_COOKIE_H
#define BACKLAB_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#define COOKIE_MAX_TEXT 4096  /* bytes of a Set-Cookie line (RFC 6265bis 5.6: 4096) */

enum cookie_samesite { COOKIE_SS_DEFAULT, COOKIE_SS_NONE, COOKIE_SS_LAX, COOKIE_SS_STRICT };

struct cookie {
	char *name, *value, *domain, *path;   /* budget_malloc */
	int host_only, secure, http_only;
	enum cookie_samesite same_site;
	int64_t expires;                      /* INT64_MAX: a session cookie */
	uint64_t created;                     /* order of creation */
};

struct cookie_jar {
	struct cookie *c;
	size_t n, cap;
	uint64_t clock;                       /* creation counter */
};

/* The context of a request or a response, as the browser knows it. */
struct cookie_ctx {
	const char *url;            /* the request's URL */
	const char *site_for_cookies; /* the top-level page's URL (NULL: same as url) */
	int top_level;              /* a top-level navigation (the address bar changes) */
	const char *method;         /* "GET", "POST"... */
	int script;                 /* document.cookie rather than HTTP */
	int64_t now;
};

void cookie_jar_init(struct cookie_jar *j);
void cookie_jar_free(struct cookie_jar *j);

enum cookie_set_result { COOKIE_STORED, COOKIE_DELETED, COOKIE_REFUSED, COOKIE_ENOMEM };

/*
 * Processes one Set-Cookie line received in context CTX. Returns what
 * happened; REASON (room for 160 bytes) says why it was refused.
 */
enum cookie_set_result cookie_set(struct cookie_jar *j, const char *line,
				  const struct cookie_ctx *ctx, char *reason);

/*
 * Writes the Cookie header for a request in context CTX into OUT (room for
 * SIZE bytes; "name=value; ..." sorted by longer path first, then older):
 * returns its length, or -1 if it does not fit. EXPLAIN (room for 1024
 * bytes, or NULL) gets one line per cookie left out and why.
 */
int cookie_header(const struct cookie_jar *j, const struct cookie_ctx *ctx, char *out,
		  size_t size, char *explain);

/* Does HOST domain-match DOMAIN (RFC 6265 5.1.3)? Does PATH path-match
 * COOKIE_PATH (5.1.4)? */
int cookie_domain_match(const char *host, const char *domain);
int cookie_path_match(const char *path, const char *cookie_path);

#endif
