/*
 * ssrf.h — server-side request forgery against a simulated network: a
 * "fetch this URL for me" feature (link previews, webhooks, image import)
 * on a server that can reach a cloud metadata service, a Redis and an admin
 * panel the internet cannot; and the guards people write, from a string
 * blocklist (bypassed by other spellings of 127.0.0.1, by DNS names and by
 * redirects) to the one that holds (resolve, check the address, connect to
 * that address, check again after every redirect).
 *
 * The network, its DNS names and its services are built in (ssrf.c);
 * nothing leaves the process.
 */
#ifndef BACKLAB_SSRF_H
#define BACKLAB_SSRF_H

#include <stddef.h>

#include "engine/concepts/net/ipaddr.h"

enum ssrf_guard {
	SSRF_NONE,       /* fetch anything */
	SSRF_BLOCKLIST,  /* refuse URLs whose host text looks internal (localhost, 127., 10., 169.254., ...);
			    the redirects the HTTP client follows are not checked */
	SSRF_ALLOWLIST,  /* only hosts named in the allow list (redirects followed unchecked) */
	SSRF_RESOLVE,    /* resolve and refuse internal addresses, but connect by resolving again */
	SSRF_SAFE,       /* resolve once, refuse internal addresses, connect to that address, every hop */
};

#define SSRF_MAX_HOPS 5
#define SSRF_MAX_ALLOW 8

struct ssrf_request {
	const char *url;
	enum ssrf_guard guard;
	const char *allow[SSRF_MAX_ALLOW];   /* ALLOWLIST: host names */
	size_t nallow;
	int follow;                          /* follow redirects */
};

struct ssrf_result {
	int status;                          /* HTTP status, or 0 if nothing was fetched */
	char body[512];
	char blocked[384];                   /* why the guard refused ("" if it did not) */
	char error[384];                     /* a network error ("" if none) */
	char hops[SSRF_MAX_HOPS + 1][256];   /* the URLs requested, in order */
	char ips[SSRF_MAX_HOPS + 1][IP_TEXT_MAX];  /* the address each hop connected to */
	int nhops;
	int internal;                        /* an internal service answered */
};

/* Fetches RQ->url as the guarded server would. Never fails: the outcome is
 * in R. Each call starts a fresh DNS cache (the rebinding name's answers
 * alternate from its first query). */
void ssrf_fetch(const struct ssrf_request *rq, struct ssrf_result *r);

/*
 * Reads HOST as the WHATWG URL standard's IPv4 parser does (1 to 4 parts,
 * each decimal, 0x-hex or 0-octal, the last one filling the remaining
 * bytes: "127.1", "2130706433", "0x7f.0.0.1" are all 127.0.0.1) or as a
 * bracketed IPv6 address. 1 and *A set if HOST is an address, else 0.
 */
int ssrf_host_address(const char *host, struct ipaddr *a);

/* Is A loopback, private, link-local, shared, unspecified, multicast or
 * reserved (including IPv4 embedded in ::ffff:0:0/96)? */
int ssrf_internal(const struct ipaddr *a);

#endif
