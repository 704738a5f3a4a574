/*
 * url.h — the WHATWG URL Standard's basic URL parser and serializer, and
 * RFC 3986 reference resolution.
 *
 * url_parse() follows the state machine of the URL Standard (section 4.4,
 * "basic URL parser", without state overrides: setters are not
 * implemented), with its host parser (IPv4 with hex and octal parts, IPv6,
 * opaque hosts, domains) and percent-encode sets.
 *
 * Domains and IDNA: a domain is percent-decoded, must be UTF-8, and goes
 * through "domain to ASCII". Here that step is a subset of UTS #46: ASCII
 * letters are lowercased, labels starting "xn--" must hold valid Punycode
 * that decodes to something other than ASCII, and a label with non-ASCII
 * code points is Punycode-encoded as it is, without the UTS #46 mapping
 * table (case folding beyond ASCII, width and compatibility mappings,
 * disallowed code points, bidi and joiner rules). So hosts with non-ASCII
 * characters are right only when they are already in their mapped form;
 * the tests count such cases separately.
 *
 * Input is UTF-8; a byte that does not start a valid sequence (and a
 * UTF-8-encoded surrogate) reads as U+FFFD, as a browser's USVString
 * conversion would. Every allocation is from the budget.
 */
#ifndef BACKLAB_URL_H
#define BACKLAB_URL_H

#include <stddef.h>
#include <stdint.h>

/* A growable UTF-8 string from the budget, NUL-terminated when p != NULL. */
struct ustr {
	char *p;
	size_t len, cap;
};

enum url_host {
	URL_HOST_NULL,   /* no host (e.g. mailto:, or a path-only URL) */
	URL_HOST_DOMAIN, /* a domain, or the empty host of file:/// */
	URL_HOST_IPV4,
	URL_HOST_IPV6,   /* text without the brackets */
	URL_HOST_OPAQUE, /* the host of a non-special URL */
};

struct url {
	struct ustr scheme, username, password;
	enum url_host host_kind;
	struct ustr host; /* serialized */
	int port;         /* -1: none (or the scheme's default) */
	int opaque;       /* the path is opaque (path_text), not segments */
	struct ustr path_text;
	struct ustr *segs;
	size_t nsegs, capsegs;
	int has_query, has_fragment;
	struct ustr query, fragment;
};

struct url_error {
	size_t off; /* byte offset in the input given to url_parse */
	const char *why;
};

/*
 * Parses LEN bytes of IN against BASE (may be NULL) into *OUT (initialised
 * here; free with url_free, also after a failure). 0 on success, -1 on
 * failure with *E, -2 without memory.
 */
int url_parse(const char *in, size_t len, const struct url *base, struct url *out,
              struct url_error *e);
void url_free(struct url *u);

/* The URL's getters (href, origin, ...), appended to OUT. -1 without memory. */
enum url_part {
	URL_HREF,
	URL_ORIGIN,
	URL_PROTOCOL,
	URL_USERNAME,
	URL_PASSWORD,
	URL_HOSTPORT,
	URL_HOSTNAME,
	URL_PORT,
	URL_PATHNAME,
	URL_SEARCH,
	URL_HASH,
};
int url_get(const struct url *u, enum url_part part, struct ustr *out);

/* Whether SCHEME is special (ftp, file, http, https, ws, wss). */
int url_special(const char *scheme, size_t len);

/* ---- strings ---- */

int ustr_add(struct ustr *s, const void *p, size_t n);
int ustr_adds(struct ustr *s, const char *z);
void ustr_free(struct ustr *s);

/* ---- hosts (url_host.c) ---- */

/*
 * The host parser: parses the code points CP[0..N) (NOT_SPECIAL: as an
 * opaque host). Sets *KIND and appends the serialized host to OUT. 0, -1
 * with *WHY on failure, -2 without memory.
 */
int url_host_parse(const uint32_t *cp, size_t n, int not_special, enum url_host *kind,
                   struct ustr *out, const char **why);

/* Percent-encode sets of the URL Standard (section 1.3). */
enum url_set {
	SET_C0,
	SET_FRAGMENT,
	SET_QUERY,
	SET_SPECIAL_QUERY,
	SET_PATH,
	SET_USERINFO,
	SET_COMPONENT,
};

/* UTF-8 percent-encodes code point C with SET, appending to OUT. */
int url_pct_encode(uint32_t c, enum url_set set, struct ustr *out);

/* The same into OUT (no allocation); returns the bytes written (1-12). */
size_t url_pct_text(uint32_t c, enum url_set set, char out[12]);

/* Appends C as UTF-8. */
int url_utf8_add(struct ustr *out, uint32_t c);

/* Punycode (RFC 3492): encodes the code points CP[0..N) / decodes the ASCII
 * text S[0..N) into code points (appended to OUT, at most MAX). 0 or -1. */
int url_punycode_encode(const uint32_t *cp, size_t n, struct ustr *out);
int url_punycode_decode(const char *s, size_t n, uint32_t *out, size_t max, size_t *nout);

/* ---- RFC 3986 (rfc3986.c) ---- */

/*
 * Resolves the reference REF against the absolute URI BASE as RFC 3986
 * section 5.2 says (strict: a reference with a scheme is used as it is),
 * appending the target URI to OUT. -1 with *WHY if BASE has no scheme, -2
 * without memory.
 */
int uri_resolve(const char *base, size_t blen, const char *ref, size_t rlen, struct ustr *out,
                const char **why);

/* RFC 3986 section 5.2.4: removes "." and ".." segments from PATH,
 * appending the result to OUT. */
int uri_remove_dots(const char *path, size_t n, struct ustr *out);

#endif
