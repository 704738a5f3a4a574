/*
 * cors.h — what a browser does with a cross-origin fetch (the Fetch
 * standard, "CORS protocol", sections 3.2 and 4.8-4.9), given the server's
 * CORS policy: whether a preflight is needed, what it sends, what the
 * server answers, whether the browser lets the page read the response, and
 * which response headers the page can see.
 *
 * Inputs are limited (CORS_MAX_* names of at most CORS_NAME_MAX bytes), so
 * every output fits its buffer; longer inputs are refused by the caller.
 */
#ifndef BACKLAB_CORS_H
#define BACKLAB_CORS_H

#include <stddef.h>

#define CORS_MAX 32           /* headers, methods, origins, exposed names */
#define CORS_NAME_MAX 128     /* bytes of one name or origin */
#define CORS_LIST_MAX (CORS_MAX * (CORS_NAME_MAX + 2) + 1)

struct cors_request {
	const char *url;                        /* the resource */
	const char *origin;                     /* the page's origin, "https://app.example" */
	const char *method;
	const char *names[CORS_MAX];            /* author request headers */
	const char *values[CORS_MAX];
	size_t nheaders;
	int credentials;                        /* credentials mode "include" */
};

struct cors_policy {
	const char *origins[CORS_MAX];          /* allowed origins */
	size_t norigins;
	int any_origin;                         /* "*" */
	int reflect;                            /* BUG: echo whatever Origin says */
	const char *methods[CORS_MAX];
	size_t nmethods;
	const char *headers[CORS_MAX];          /* may hold "*" */
	size_t nheaders;
	const char *expose[CORS_MAX];
	size_t nexpose;
	int credentials;                        /* Access-Control-Allow-Credentials: true */
	int max_age;                            /* -1: not sent */
};

struct cors_result {
	int same_origin;                        /* no CORS at all */
	int preflight;                          /* an OPTIONS request first */
	char why_preflight[CORS_NAME_MAX + 64];
	char acr_method[CORS_NAME_MAX + 1];     /* Access-Control-Request-Method */
	char acr_headers[CORS_LIST_MAX];        /* Access-Control-Request-Headers */
	char acao[CORS_NAME_MAX + 1];           /* the server's answers ("" if absent) */
	int acac;
	char acam[CORS_LIST_MAX], acah[CORS_LIST_MAX], aceh[CORS_LIST_MAX];
	int sent;                               /* the actual request reached the server */
	int allowed;                            /* the page may read the response */
	char reason[CORS_NAME_MAX * 2 + 128];
	char readable[CORS_LIST_MAX + 128];     /* response headers the page can read */
};

/* Is NAME: VALUE a CORS-safelisted request-header (Fetch 2.2.2)? */
int cors_safelisted_header(const char *name, const char *value);

/* Is METHOD a CORS-safelisted method (GET, HEAD, POST)? */
int cors_safelisted_method(const char *method);

/* Evaluates the fetch. Returns 0, or -1 if the URL or origin does not parse. */
int cors_evaluate(const struct cors_request *rq, const struct cors_policy *p,
		  struct cors_result *r);

#endif
