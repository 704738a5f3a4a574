/*
 * rfc3986.c — reference resolution of RFC 3986 section 5.2 (the strict
 * algorithm) with its remove_dot_segments (5.2.4) and recomposition (5.3).
 * This is the generic-syntax resolver; browsers follow the WHATWG parser
 * (url.c) instead, and the two differ on special schemes, backslashes and
 * more.
 */
#include "engine/concepts/url/url.h"

#include <string.h>

/* The five components of Appendix B's regular expression; -1 lengths mean
 * "undefined". */
struct parts {
	const char *scheme, *auth, *path, *query, *frag;
	long nscheme, nauth, npath, nquery, nfrag;
};

static void split(const char *s, size_t n, struct parts *p)
{
	size_t i = 0;
	memset(p, 0, sizeof *p);
	p->nscheme = p->nauth = p->nquery = p->nfrag = -1;
	size_t k = 0;
	while (k < n && !strchr(":/?#", s[k]))
		k++;
	if (k > 0 && k < n && s[k] == ':') {
		p->scheme = s, p->nscheme = (long)k;
		i = k + 1;
	}
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t a = i + 2;
		k = a;
		while (k < n && !strchr("/?#", s[k]))
			k++;
		p->auth = s + a, p->nauth = (long)(k - a);
		i = k;
	}
	k = i;
	while (k < n && s[k] != '?' && s[k] != '#')
		k++;
	p->path = s + i, p->npath = (long)(k - i);
	i = k;
	if (i < n && s[i] == '?') {
		k = ++i;
		while (k < n && s[k] != '#')
			k++;
		p->query = s + i, p->nquery = (long)(k - i);
		i = k;
	}
	if (i < n && s[i] == '#')
		p->frag = s + i + 1, p->nfrag = (long)(n - i - 1);
}

static int starts(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return n >= k && memcmp(s, pre, k) == 0;
}

/* Whether S[0..N) is exactly PRE, or PRE followed by '/'. */
static int seg_is(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return starts(s, n, pre) && (n == k || s[k] == '/');
}

int uri_remove_dots(const char *path, size_t n, struct ustr *out)
{
	size_t base = out->len;
	const char *in = path;
	if (ustr_add(out, "", 0))
		return -2; /* out->p is never NULL below */
	while (n > 0) {
		if (starts(in, n, "../") || starts(in, n, "./")) { /* A */
			size_t k = in[0] == '.' && in[1] == '.' ? 3 : 2;
			in += k, n -= k;
		} else if (seg_is(in, n, "/.")) { /* B */
			in += 2, n -= 2;
			if (n == 0 && ustr_add(out, "/", 1))
				return -2;
		} else if (seg_is(in, n, "/..")) { /* C */
			in += 3, n -= 3;
			while (out->len > base && out->p[out->len - 1] != '/')
				out->len--;
			if (out->len > base)
				out->len--;
			out->p[out->len] = '\0';
			if (n == 0 && ustr_add(out, "/", 1))
				return -2;
		} else if ((n == 1 && in[0] == '.') || (n == 2 && in[0] == '.' && in[1] == '.')) {
			n = 0; /* D */
		} else {       /* E */
			size_t k = in[0] == '/' ? 1 : 0;
			while (k < n && in[k] != '/')
				k++;
			if (ustr_add(out, in, k))
				return -2;
			in += k, n -= k;
		}
	}
	return ustr_add(out, "", 0);
}

static int add(struct ustr *o, const char *s, long n)
{
	return ustr_add(o, s, (size_t)n);
}

int uri_resolve(const char *base, size_t blen, const char *ref, size_t rlen, struct ustr *out,
                const char **why)
{
	struct parts b, r;
	split(base, blen, &b);
	split(ref, rlen, &r);
	if (b.nscheme < 0)
		return *why = "the base URI has no scheme (it must be absolute)", -1;
	const char *scheme = r.nscheme >= 0 ? r.scheme : b.scheme;
	long nscheme = r.nscheme >= 0 ? r.nscheme : b.nscheme;
	const char *auth = b.auth, *query = b.query;
	long nauth = b.nauth, nquery = b.nquery;
	struct ustr path = {0};
	int rc = 0;
	if (r.nscheme >= 0 || r.nauth >= 0) {
		auth = r.auth, nauth = r.nauth, query = r.query, nquery = r.nquery;
		rc = uri_remove_dots(r.path, (size_t)r.npath, &path);
	} else if (r.npath == 0) {
		rc = add(&path, b.path, b.npath);
		if (r.nquery >= 0)
			query = r.query, nquery = r.nquery;
	} else {
		query = r.query, nquery = r.nquery;
		if (r.path[0] == '/') {
			rc = uri_remove_dots(r.path, (size_t)r.npath, &path);
		} else { /* merge (5.2.3) */
			struct ustr m = {0};
			if (b.nauth >= 0 && b.npath == 0) {
				rc = ustr_add(&m, "/", 1);
			} else {
				long k = b.npath;
				while (k > 0 && b.path[k - 1] != '/')
					k--;
				rc = add(&m, b.path, k);
			}
			if (rc == 0)
				rc = add(&m, r.path, r.npath);
			if (rc == 0)
				rc = uri_remove_dots(m.p ? m.p : "", m.len, &path);
			ustr_free(&m);
		}
	}
	/* recomposition (5.3) */
	if (rc == 0)
		rc = add(out, scheme, nscheme) || ustr_add(out, ":", 1);
	if (rc == 0 && nauth >= 0)
		rc = ustr_add(out, "//", 2) || add(out, auth, nauth);
	if (rc == 0)
		rc = ustr_add(out, path.p ? path.p : "", path.len);
	if (rc == 0 && nquery >= 0)
		rc = ustr_add(out, "?", 1) || add(out, query, nquery);
	if (rc == 0 && r.nfrag >= 0)
		rc = ustr_add(out, "#", 1) || add(out, r.frag, r.nfrag);
	ustr_free(&path);
	return rc ? -2 : 0;
}
