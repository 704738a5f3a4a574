/*
 * weburl.h — the parts of a URL the web-security evaluators need: scheme,
 * host, port, path; origins (RFC 6454) and sites (the HTML standard's
 * "site": scheme and registrable domain).
 *
 * A small parser for absolute hierarchical URLs (scheme://host[:port]/path
 * ?query#fragment) and opaque ones (data:, javascript:); it lowercases the
 * scheme and host and fills in default ports. Not the WHATWG URL parser:
 * no percent-decoding of hosts, no IDNA.
 */
#ifndef BACKLAB_WEBURL_H
#define BACKLAB_WEBURL_H

#include <stddef.h>

#define WEBURL_MAX 1024

struct weburl {
	char scheme[32];
	char host[256];         /* lowercased; IPv6 with its brackets; "" for opaque URLs */
	int port;               /* the given port, or the scheme's default; -1 if none */
	char path[WEBURL_MAX];  /* from the first '/' up to '?' or '#'; "/" if empty */
	int opaque;             /* no "//" after the scheme (data:, javascript:, mailto:) */
};

/* Parses S. Returns 0, or -1 for text that is not an absolute URL or has
 * parts longer than the fields (refused, never cut). */
int weburl_parse(const char *s, struct weburl *u);

/* The default port of SCHEME, or -1. */
int weburl_default_port(const char *scheme);

/* Same origin: scheme, host and port equal (RFC 6454 section 5). */
int weburl_same_origin(const struct weburl *a, const struct weburl *b);

/* Writes the origin "scheme://host[:port]" (the port only if not the
 * default) into OUT; "null" for opaque URLs. */
void weburl_origin(const struct weburl *u, char *out, size_t size);

/*
 * The registrable domain of HOST (one label more than its public suffix,
 * from a short built-in list: com org net edu gov io dev app test example
 * localhost co.uk org.uk ac.uk com.au github.io herokuapp.com ...), or HOST
 * itself for an IP address or a host that is a public suffix.
 */
const char *weburl_registrable(const char *host);

/* Is HOST a public suffix of the built-in list? */
int weburl_is_public_suffix(const char *host);

/* Schemeful same site (HTML "same site"; RFC 6265bis section 5.2). */
int weburl_same_site(const struct weburl *a, const struct weburl *b);

#endif
