/*
 * fuzz_url.c — libFuzzer target for lab.url (engine/concepts/url).
 *
 * The bytes up to the first NUL are a base, the rest an input (no NUL: no
 * base). A parsed URL's href must parse again to the same href; errors must
 * point inside the input. RFC 3986 resolution runs on the same pair.
 *
 *   make fuzz && build/fuzz/fuzz_url -max_total_time=60 tests/fuzz/corpus/fuzz_url
 */
#include "engine/concepts/url/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed property: says which, then aborts (libFuzzer saves the input). */
#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, 0, size);
	const char *in = nul ? nul + 1 : s;
	size_t inlen = nul ? size - (size_t)(nul - s) - 1 : size;
	struct url base, u, again;
	struct url_error e;
	int has_base = 0;
	if (nul) {
		has_base = url_parse(s, (size_t)(nul - s), NULL, &base, &e) == 0;
		if (!has_base)
			url_free(&base);
	}
	int rc = url_parse(in, inlen, has_base ? &base : NULL, &u, &e);
	if (rc == -1)
		check(e.off <= inlen && e.why);
	if (rc == 0) {
		struct ustr h = {0}, h2 = {0};
		check(url_get(&u, URL_HREF, &h) == 0);
		check(url_parse(h.p, h.len, NULL, &again, &e) == 0);
		check(url_get(&again, URL_HREF, &h2) == 0);
		check(h.len == h2.len && memcmp(h.p, h2.p, h.len) == 0);
		for (int k = URL_ORIGIN; k <= URL_HASH; k++) {
			struct ustr t = {0};
			check(url_get(&u, (enum url_part)k, &t) == 0);
			ustr_free(&t);
		}
		url_free(&again);
		ustr_free(&h);
		ustr_free(&h2);
	}
	url_free(&u);
	if (has_base)
		url_free(&base);
	struct ustr r = {0};
	const char *why;
	uri_resolve(s, nul ? (size_t)(nul - s) : 0, in, inlen, &r, &why);
	ustr_free(&r);
	return 0;
}
