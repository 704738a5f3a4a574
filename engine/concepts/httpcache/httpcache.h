/*
 * httpcache.h — HTTP caching decisions: may a response be stored, is it
 * fresh, should a cache serve it, revalidate it or fetch anew, and how does
 * an origin answer a conditional request.
 *
 * The rules are those of RFC 9111 (HTTP Caching) and RFC 9110 (HTTP
 * Semantics: dates, validators, conditional requests), simplified where
 * stated:
 *
 *   Storing (9111 §3): GET and HEAD only; final statuses except 206 and 304
 *   (this cache does not combine partial content); not with no-store in the
 *   response or the request (§5.2.1.5, §5.2.2.5); in a shared cache not with
 *   private (§5.2.2.7) and not for a request with Authorization unless the
 *   response has public, must-revalidate or s-maxage (§3.5); and the response
 *   must have public, private (private cache), Expires, max-age, s-maxage
 *   (shared cache) or a heuristically cacheable status (9110 §15.1: 200 203
 *   204 206 300 301 308 404 405 410 414 501).
 *
 *   Freshness lifetime (9111 §4.2.1), the first that applies: s-maxage in a
 *   shared cache; max-age; Expires minus Date (the time received without a
 *   Date); else heuristic (§4.2.2): 10% of Date minus Last-Modified, for a
 *   heuristically cacheable status or a public response. An invalid Expires
 *   (e.g. "0") means already expired (§5.3); an invalid max-age or s-maxage
 *   means stale (lifetime 0, as §4.2.1 encourages); of duplicated directives
 *   the first counts; delta-seconds beyond 2^31 are 2^31 (§1.2.2).
 *
 *   Age (9111 §4.2.3), exactly: apparent_age = max(0, response_time -
 *   date_value); corrected_age_value = age_value + (response_time -
 *   request_time); corrected_initial_age = max(apparent_age,
 *   corrected_age_value); current_age = corrected_initial_age + (now -
 *   response_time). Fresh means lifetime > current age (§4.2).
 *
 *   Reuse (9111 §4): a response with no-cache, or a request with no-cache
 *   (or Pragma: no-cache without Cache-Control, §5.4), is revalidated;
 *   request max-age and min-fresh can refuse a fresh response (§5.2.1.1,
 *   §5.2.1.3); a stale response is served only if the request allows it with
 *   max-stale (§5.2.1.2) and nothing forbids it: must-revalidate, and in a
 *   shared cache proxy-revalidate or s-maxage (§4.2.4, §5.2.2.2, §5.2.2.8,
 *   §5.2.2.10). Revalidation sends If-None-Match with the ETag and
 *   If-Modified-Since with Last-Modified, whichever exist (§4.3.1); with
 *   neither it is a plain fetch. With only-if-cached (§5.2.1.7) a cache that
 *   would have to go to the origin answers 504.
 *
 *   A client's own conditional request served from the cache (§4.3.2) gets
 *   304 if If-None-Match matches the stored ETag (weak comparison), or, with
 *   no If-None-Match, if the stored Last-Modified (or Date without it) is not
 *   after If-Modified-Since; else 200.
 *
 *   Not modelled: Vary, qualified no-cache/private (treated as unqualified:
 *   stricter than required), stale-while-revalidate, If-Match and
 *   If-Unmodified-Since, ranges, invalidation by unsafe methods.
 *
 * Dates in header fields are HTTP-dates (httpdate.h). Times are seconds
 * since 1970-01-01 00:00:00 UTC.
 */
#ifndef BACKLAB_HTTPCACHE_H
#define BACKLAB_HTTPCACHE_H

#include <stddef.h>
#include <stdint.h>

/* A header field. Names compare case-insensitively; a field that appears
 * more than once counts as its values joined by commas for list fields
 * (Cache-Control, Pragma, If-None-Match), and as its first value otherwise. */
struct httpc_field {
	const char *name;
	const char *value;
};

struct httpc_message {
	const char *method; /* requests: "GET", "HEAD"...; NULL means GET */
	int status;         /* responses: the status code */
	const struct httpc_field *fields;
	size_t nfields;
};

/* What a cache holding RESPONSE does with REQUEST at time NOW. */
struct httpc_input {
	const struct httpc_message *request;
	const struct httpc_message *response; /* the stored response */
	double now;
	double request_time;  /* when the cache sent the request that got RESPONSE */
	double response_time; /* when the cache received RESPONSE */
	int shared;           /* a shared cache (proxy, CDN) rather than a private one */
};

enum httpc_action {
	HTTPC_SERVE,      /* from the cache, without contacting the origin */
	HTTPC_REVALIDATE, /* a conditional request to the origin */
	HTTPC_FETCH,      /* a full request to the origin */
	HTTPC_FAIL,       /* only-if-cached and the cache cannot answer: 504 */
};

#define HTTPC_MAX_STEPS 12
#define HTTPC_STEP_LEN 200

struct httpc_decision {
	int storable;
	int fresh;
	int heuristic;          /* the lifetime is heuristic */
	double lifetime, age;   /* seconds */
	enum httpc_action action;
	int status;             /* the status the client gets when served (200, 304, 504) */
	int stale;              /* served although stale (max-stale) */
	/* validators of a revalidation, NULL if none: the stored response's ETag
	 * and Last-Modified values (borrowed from it, valid while it is) */
	const char *if_none_match;
	const char *if_modified_since;
	char summary[256];      /* one line, e.g. "max-age=60 and age 75 s: stale; revalidate" */
	char steps[HTTPC_MAX_STEPS][HTTPC_STEP_LEN]; /* each rule applied, with its section */
	int nsteps;
};

/*
 * Decides (see above). Returns 0, or -1 if a message is missing, a time is
 * not finite, or memory runs out (for joining repeated fields). Header
 * values are read whole, whatever their length.
 */
int httpc_evaluate(const struct httpc_input *in, struct httpc_decision *d);

/*
 * How an origin whose current representation has ETAG and LAST_MODIFIED
 * (either may be NULL) answers REQUEST at time NOW (RFC 9110 §13.1.2,
 * §13.1.3, in the order of §13.2.2): If-None-Match, by weak comparison ("*"
 * matches any), gives 304 for GET and HEAD and 412 otherwise when it
 * matches; without it, If-Modified-Since gives 304 to GET and HEAD when
 * Last-Modified is not after it. Everything else gets 200.
 */
struct httpc_origin {
	int status;
	char reason[256];
};
/* Returns 0, or -1 if memory runs out. */
int httpc_origin_answer(const struct httpc_message *request, const char *etag,
			const char *last_modified, double now, struct httpc_origin *o);

/*
 * Compares two entity tags (9110 §8.8.3.2): strong comparison (WEAK = 0)
 * needs both not weak and the same opaque-tag; weak comparison only the same
 * opaque-tag. Returns 1 if they match, 0 if not, -1 if either is not an
 * entity tag.
 */
int httpc_etag_match(const char *a, const char *b, int weak);

#endif
