/*
 * url.c — the basic URL parser of the URL Standard (section 4.4) and the
 * URL serializer and getters (see url.h). Each state below is the
 * standard's state of the same name; "p" is its pointer, EOF its EOF code
 * point.
 */
#include "engine/concepts/url/url.h"

#include "engine/base/budget.h"

#include <stdio.h>
#include <string.h>

#define EOF_CP 0xFFFFFFFFu

int ustr_add(struct ustr *s, const void *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 16;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *q = budget_realloc(s->p, cap);
		if (!q)
			return -2;
		s->p = q;
		s->cap = cap;
	}
	if (n)
		memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
	return 0;
}

int ustr_adds(struct ustr *s, const char *z)
{
	return ustr_add(s, z, strlen(z));
}

void ustr_free(struct ustr *s)
{
	budget_free(s->p);
	s->p = NULL;
	s->len = s->cap = 0;
}

static int ustr_set(struct ustr *s, const struct ustr *from)
{
	s->len = 0;
	return ustr_add(s, from->p ? from->p : "", from->len);
}

static int ustr_is(const struct ustr *s, const char *z)
{
	return s->len == strlen(z) && (s->len == 0 || memcmp(s->p, z, s->len) == 0);
}

void url_free(struct url *u)
{
	ustr_free(&u->scheme);
	ustr_free(&u->username);
	ustr_free(&u->password);
	ustr_free(&u->host);
	ustr_free(&u->path_text);
	for (size_t i = 0; i < u->nsegs; i++)
		ustr_free(&u->segs[i]);
	budget_free(u->segs);
	ustr_free(&u->query);
	ustr_free(&u->fragment);
	memset(u, 0, sizeof *u);
	u->port = -1;
}

static const struct {
	const char *name;
	int port;
} specials[] = {{"ftp", 21}, {"file", -1}, {"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}};

int url_special(const char *scheme, size_t len)
{
	for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
		if (len == strlen(specials[i].name) && memcmp(scheme, specials[i].name, len) == 0)
			return 1;
	return 0;
}

static int default_port(const struct ustr *scheme)
{
	for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
		if (ustr_is(scheme, specials[i].name))
			return specials[i].port;
	return -1;
}

/* ---- path segments ---- */

static int seg_push(struct url *u, const char *p, size_t n)
{
	if (u->nsegs == u->capsegs) {
		size_t cap = u->capsegs ? 2 * u->capsegs : 8;
		struct ustr *s = budget_realloc(u->segs, cap * sizeof *s);
		if (!s)
			return -2;
		u->segs = s;
		u->capsegs = cap;
	}
	struct ustr *s = &u->segs[u->nsegs];
	memset(s, 0, sizeof *s);
	if (ustr_add(s, p, n))
		return -2;
	u->nsegs++;
	return 0;
}

static void segs_clear(struct url *u)
{
	for (size_t i = 0; i < u->nsegs; i++)
		ustr_free(&u->segs[i]);
	u->nsegs = 0;
}

static int segs_copy(struct url *u, const struct url *from)
{
	segs_clear(u);
	for (size_t i = 0; i < from->nsegs; i++)
		if (seg_push(u, from->segs[i].p, from->segs[i].len))
			return -2;
	u->opaque = from->opaque;
	return ustr_set(&u->path_text, &from->path_text);
}

static int alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A Windows drive letter: two code points, an ASCII letter and ':' or '|'
 * (normalized: ':' only). */
static int drive(const char *s, size_t n, int normalized)
{
	return n == 2 && alpha((unsigned char)s[0]) &&
	       (s[1] == ':' || (!normalized && s[1] == '|'));
}

static void shorten(struct url *u)
{
	if (ustr_is(&u->scheme, "file") && u->nsegs == 1 && drive(u->segs[0].p, u->segs[0].len, 1))
		return;
	if (u->nsegs > 0)
		ustr_free(&u->segs[--u->nsegs]);
}

/* ---- the parser ---- */

enum state {
	SCHEME_START,
	SCHEME,
	NO_SCHEME,
	SPECIAL_RELATIVE_OR_AUTHORITY,
	PATH_OR_AUTHORITY,
	RELATIVE,
	RELATIVE_SLASH,
	SPECIAL_AUTHORITY_SLASHES,
	SPECIAL_AUTHORITY_IGNORE_SLASHES,
	AUTHORITY,
	HOST,
	PORT,
	FILE_STATE,
	FILE_SLASH,
	FILE_HOST,
	PATH_START,
	PATH,
	OPAQUE_PATH,
	QUERY,
	FRAGMENT,
};

struct parser {
	const uint32_t *c; /* the preprocessed code points */
	const size_t *off; /* their byte offsets in the original input */
	size_t n, inlen;
	long p;
	const struct url *base;
	struct url *u;
	uint32_t *buf;
	size_t blen, bcap;
	struct url_error *e;
	int sp; /* the URL's scheme is special: kept by scheme_changed() */
};

static uint32_t at(const struct parser *ps, long i)
{
	return i >= 0 && (size_t)i < ps->n ? ps->c[i] : EOF_CP;
}

static int fail(struct parser *ps, const char *why)
{
	size_t i = ps->p < 0 ? 0 : (size_t)ps->p;
	ps->e->off = i < ps->n ? ps->off[i] : ps->inlen;
	ps->e->why = why;
	return -1;
}

static int buf_add(struct parser *ps, uint32_t c)
{
	if (ps->blen == ps->bcap) {
		size_t cap = ps->bcap ? 2 * ps->bcap : 32;
		uint32_t *b = budget_realloc(ps->buf, cap * sizeof *b);
		if (!b)
			return -2;
		ps->buf = b;
		ps->bcap = cap;
	}
	ps->buf[ps->blen++] = c;
	return 0;
}

static int buf_adds(struct parser *ps, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf_add(ps, (unsigned char)s[i]))
			return -2;
	return 0;
}

/* The buffer as UTF-8 (it holds only ASCII where this is used). */
static int buf_text(struct parser *ps, struct ustr *out)
{
	out->len = 0;
	if (ustr_add(out, "", 0))
		return -2;
	for (size_t i = 0; i < ps->blen; i++)
		if (url_utf8_add(out, ps->buf[i]))
			return -2;
	return 0;
}

static int special(const struct parser *ps)
{
	return ps->sp;
}

/* To be called whenever the URL's scheme is set. */
static void scheme_changed(struct parser *ps)
{
	ps->sp = url_special(ps->u->scheme.p ? ps->u->scheme.p : "", ps->u->scheme.len);
}

/* Whether the code points from P on start with a Windows drive letter. */
static int starts_with_drive(const struct parser *ps, long p)
{
	uint32_t c2 = at(ps, p + 2);
	return alpha(at(ps, p)) && (at(ps, p + 1) == ':' || at(ps, p + 1) == '|') &&
	       (c2 == EOF_CP || c2 == '/' || c2 == '\\' || c2 == '?' || c2 == '#');
}

static int lower_is(const uint32_t *b, size_t n, const char *z)
{
	if (n != strlen(z))
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
		if (c != (unsigned char)z[i])
			return 0;
	}
	return 1;
}

static int single_dot(const struct parser *ps)
{
	return lower_is(ps->buf, ps->blen, ".") || lower_is(ps->buf, ps->blen, "%2e");
}

static int double_dot(const struct parser *ps)
{
	return lower_is(ps->buf, ps->blen, "..") || lower_is(ps->buf, ps->blen, ".%2e") ||
	       lower_is(ps->buf, ps->blen, "%2e.") || lower_is(ps->buf, ps->blen, "%2e%2e");
}

static int copy_authority(struct url *u, const struct url *b)
{
	u->host_kind = b->host_kind;
	u->port = b->port;
	if (ustr_set(&u->username, &b->username) || ustr_set(&u->password, &b->password) ||
	    ustr_set(&u->host, &b->host))
		return -2;
	return 0;
}

static int set_empty(struct ustr *s, int *flag)
{
	*flag = 1;
	s->len = 0;
	return ustr_add(s, "", 0);
}

/* Parses the buffer as a host; the buffer's code points end just before
 * index END of the input (errors point at the host's first byte). */
static int host_from_buffer(struct parser *ps, int not_special, long end)
{
	const char *why = NULL;
	struct url *u = ps->u;
	u->host.len = 0;
	int rc = url_host_parse(ps->buf, ps->blen, not_special, &u->host_kind, &u->host, &why);
	if (rc == -1) {
		ps->p = end - (long)ps->blen;
		return fail(ps, why);
	}
	if (rc == 0 && ustr_add(&u->host, "", 0))
		rc = -2;
	return rc;
}

/* One run of the state machine on code point CH. */
static int step(struct parser *ps, enum state *st, uint32_t ch)
{
	struct url *u = ps->u;
	const struct url *base = ps->base;
	int sp = special(ps), rc = 0;
	switch (*st) {
	case SCHEME_START:
		if (alpha(ch))
			return buf_add(ps, ch | 0x20), *st = SCHEME, 0;
		*st = NO_SCHEME;
		ps->p--;
		return 0;
	case SCHEME:
		if (alpha(ch) || (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.')
			return buf_add(ps, alpha(ch) ? (ch | 0x20) : ch);
		if (ch != ':') {
			ps->blen = 0;
			*st = NO_SCHEME;
			ps->p = -1;
			return 0;
		}
		if ((rc = buf_text(ps, &u->scheme)))
			return rc;
		scheme_changed(ps);
		ps->blen = 0;
		sp = special(ps);
		if (ustr_is(&u->scheme, "file")) {
			*st = FILE_STATE;
		} else if (sp && base && ustr_is(&base->scheme, u->scheme.p)) {
			*st = SPECIAL_RELATIVE_OR_AUTHORITY;
		} else if (sp) {
			*st = SPECIAL_AUTHORITY_SLASHES;
		} else if (at(ps, ps->p + 1) == '/') {
			*st = PATH_OR_AUTHORITY;
			ps->p++;
		} else {
			u->opaque = 1;
			*st = OPAQUE_PATH;
			return ustr_add(&u->path_text, "", 0);
		}
		return 0;
	case NO_SCHEME:
		if (!base || (base->opaque && ch != '#'))
			return fail(ps, base ? "a relative URL cannot be resolved against a base "
			                       "with an opaque path"
			                     : "a relative URL without a base URL");
		if (base->opaque) {
			if (ustr_set(&u->scheme, &base->scheme) || segs_copy(u, base))
				return -2;
			scheme_changed(ps);
			u->has_query = base->has_query;
			if (ustr_set(&u->query, &base->query) ||
			    set_empty(&u->fragment, &u->has_fragment))
				return -2;
			*st = FRAGMENT;
			return 0;
		}
		*st = ustr_is(&base->scheme, "file") ? FILE_STATE : RELATIVE;
		ps->p--;
		return 0;
	case SPECIAL_RELATIVE_OR_AUTHORITY:
		if (ch == '/' && at(ps, ps->p + 1) == '/') {
			*st = SPECIAL_AUTHORITY_IGNORE_SLASHES;
			ps->p++;
		} else {
			*st = RELATIVE;
			ps->p--;
		}
		return 0;
	case PATH_OR_AUTHORITY:
		if (ch == '/') {
			*st = AUTHORITY;
		} else {
			*st = PATH;
			ps->p--;
		}
		return 0;
	case RELATIVE:
		if (ustr_set(&u->scheme, &base->scheme))
			return -2;
		scheme_changed(ps);
		sp = special(ps);
		if (ch == '/' || (sp && ch == '\\')) {
			*st = RELATIVE_SLASH;
			return 0;
		}
		if (copy_authority(u, base) || segs_copy(u, base) ||
		    ustr_set(&u->query, &base->query))
			return -2;
		u->has_query = base->has_query;
		if (ch == '?') {
			*st = QUERY;
			return set_empty(&u->query, &u->has_query);
		}
		if (ch == '#') {
			*st = FRAGMENT;
			return set_empty(&u->fragment, &u->has_fragment);
		}
		if (ch != EOF_CP) {
			u->has_query = 0;
			shorten(u);
			*st = PATH;
			ps->p--;
		}
		return 0;
	case RELATIVE_SLASH:
		if (sp && (ch == '/' || ch == '\\')) {
			*st = SPECIAL_AUTHORITY_IGNORE_SLASHES;
		} else if (ch == '/') {
			*st = AUTHORITY;
		} else {
			if (copy_authority(u, base))
				return -2;
			*st = PATH;
			ps->p--;
		}
		return 0;
	case SPECIAL_AUTHORITY_SLASHES:
		*st = SPECIAL_AUTHORITY_IGNORE_SLASHES;
		if (ch == '/' && at(ps, ps->p + 1) == '/')
			ps->p++;
		else
			ps->p--;
		return 0;
	case SPECIAL_AUTHORITY_IGNORE_SLASHES:
		if (ch != '/' && ch != '\\') {
			*st = AUTHORITY;
			ps->p--;
		}
		return 0;
	default:
		break;
	}
	return -3; /* not handled here: see step2 */
}

/* The states from authority on. */
static int step2(struct parser *ps, enum state *st, uint32_t ch, int *at_seen, int *pw_seen,
                 int *brackets)
{
	struct url *u = ps->u;
	const struct url *base = ps->base;
	int sp = special(ps), rc = 0;
	int end = ch == EOF_CP || ch == '/' || ch == '?' || ch == '#' || (sp && ch == '\\');
	switch (*st) {
	case AUTHORITY:
		if (ch == '@') {
			if (*at_seen) { /* an earlier '@' was part of the user info */
				uint32_t *old = ps->buf;
				size_t n = ps->blen;
				ps->buf = NULL, ps->blen = ps->bcap = 0;
				rc = buf_adds(ps, "%40", 3);
				for (size_t i = 0; rc == 0 && i < n; i++)
					rc = buf_add(ps, old[i]);
				budget_free(old);
				if (rc)
					return rc;
			}
			*at_seen = 1;
			for (size_t i = 0; i < ps->blen; i++) {
				if (ps->buf[i] == ':' && !*pw_seen) {
					*pw_seen = 1;
					continue;
				}
				if (url_pct_encode(ps->buf[i], SET_USERINFO,
				                   *pw_seen ? &u->password : &u->username))
					return -2;
			}
			ps->blen = 0;
		} else if (end) {
			if (*at_seen && ps->blen == 0)
				return fail(ps, "user info with no host after it");
			ps->p -= (long)ps->blen + 1;
			ps->blen = 0;
			*st = HOST;
		} else {
			return buf_add(ps, ch);
		}
		return 0;
	case HOST:
		if (ch == ':' && !*brackets) {
			if (ps->blen == 0)
				return fail(ps, "a port with no host");
			if ((rc = host_from_buffer(ps, !sp, ps->p)))
				return rc;
			ps->blen = 0;
			*st = PORT;
		} else if (end) {
			ps->p--;
			if (sp && ps->blen == 0)
				return fail(ps, "a special URL needs a host");
			if ((rc = host_from_buffer(ps, !sp, ps->p + 1)))
				return rc;
			ps->blen = 0;
			*st = PATH_START;
		} else {
			if (ch == '[')
				*brackets = 1;
			if (ch == ']')
				*brackets = 0;
			return buf_add(ps, ch);
		}
		return 0;
	case PORT:
		if (ch >= '0' && ch <= '9')
			return buf_add(ps, ch);
		if (!end)
			return fail(ps, "invalid character in the port");
		if (ps->blen) {
			long port = 0;
			for (size_t i = 0; i < ps->blen; i++) {
				port = port * 10 + (long)(ps->buf[i] - '0');
				if (port > 65535)
					return fail(ps, "port number over 65535");
			}
			u->port = port == default_port(&u->scheme) ? -1 : (int)port;
			ps->blen = 0;
		}
		*st = PATH_START;
		ps->p--;
		return 0;
	case FILE_STATE:
		u->scheme.len = 0;
		if (ustr_adds(&u->scheme, "file"))
			return -2;
		scheme_changed(ps);
		u->host_kind = URL_HOST_DOMAIN;
		u->host.len = 0;
		if (ustr_add(&u->host, "", 0))
			return -2;
		if (ch == '/' || ch == '\\') {
			*st = FILE_SLASH;
			return 0;
		}
		if (base && ustr_is(&base->scheme, "file")) {
			u->host_kind = base->host_kind;
			if (ustr_set(&u->host, &base->host) || segs_copy(u, base) ||
			    ustr_set(&u->query, &base->query))
				return -2;
			u->has_query = base->has_query;
			if (ch == '?') {
				*st = QUERY;
				return set_empty(&u->query, &u->has_query);
			}
			if (ch == '#') {
				*st = FRAGMENT;
				return set_empty(&u->fragment, &u->has_fragment);
			}
			if (ch != EOF_CP) {
				u->has_query = 0;
				if (!starts_with_drive(ps, ps->p))
					shorten(u);
				else
					segs_clear(u);
				*st = PATH;
				ps->p--;
			}
			return 0;
		}
		*st = PATH;
		ps->p--;
		return 0;
	case FILE_SLASH:
		if (ch == '/' || ch == '\\') {
			*st = FILE_HOST;
			return 0;
		}
		if (base && ustr_is(&base->scheme, "file")) {
			u->host_kind = base->host_kind;
			if (ustr_set(&u->host, &base->host))
				return -2;
			if (!starts_with_drive(ps, ps->p) && base->nsegs > 0 &&
			    drive(base->segs[0].p, base->segs[0].len, 1) &&
			    seg_push(u, base->segs[0].p, base->segs[0].len))
				return -2;
		}
		*st = PATH;
		ps->p--;
		return 0;
	case FILE_HOST:
		if (ch == EOF_CP || ch == '/' || ch == '\\' || ch == '?' || ch == '#') {
			ps->p--;
			int is_drive = ps->blen == 2 && alpha(ps->buf[0]) &&
			               (ps->buf[1] == ':' || ps->buf[1] == '|');
			if (is_drive) {
				*st = PATH; /* the buffer becomes the first segment */
			} else if (ps->blen == 0) {
				u->host_kind = URL_HOST_DOMAIN;
				u->host.len = 0;
				*st = PATH_START;
			} else {
				if ((rc = host_from_buffer(ps, 0, ps->p + 1)))
					return rc;
				if (ustr_is(&u->host, "localhost"))
					u->host.len = 0, u->host.p[0] = '\0';
				ps->blen = 0;
				*st = PATH_START;
			}
			return 0;
		}
		return buf_add(ps, ch);
	case PATH_START:
		if (sp) {
			*st = PATH;
			if (ch != '/' && ch != '\\')
				ps->p--;
		} else if (ch == '?') {
			*st = QUERY;
			return set_empty(&u->query, &u->has_query);
		} else if (ch == '#') {
			*st = FRAGMENT;
			return set_empty(&u->fragment, &u->has_fragment);
		} else if (ch != EOF_CP) {
			*st = PATH;
			if (ch != '/')
				ps->p--;
		}
		return 0;
	case PATH:
		if (end) {
			int sep = ch == '/' || (sp && ch == '\\');
			if (double_dot(ps)) {
				shorten(u);
				if (!sep && seg_push(u, "", 0))
					return -2;
			} else if (single_dot(ps) && !sep) {
				if (seg_push(u, "", 0))
					return -2;
			} else if (!single_dot(ps)) {
				if (ustr_is(&u->scheme, "file") && u->nsegs == 0 && ps->blen == 2 &&
				    alpha(ps->buf[0]) && (ps->buf[1] == ':' || ps->buf[1] == '|'))
					ps->buf[1] = ':';
				struct ustr t = {0};
				rc = buf_text(ps, &t);
				if (rc == 0)
					rc = seg_push(u, t.p, t.len);
				ustr_free(&t);
				if (rc)
					return rc;
			}
			ps->blen = 0;
			if (ch == '?') {
				*st = QUERY;
				return set_empty(&u->query, &u->has_query);
			}
			if (ch == '#') {
				*st = FRAGMENT;
				return set_empty(&u->fragment, &u->has_fragment);
			}
			return 0;
		} else {
			char t[12];
			return buf_adds(ps, t, url_pct_text(ch, SET_PATH, t));
		}
	case OPAQUE_PATH:
		if (ch == '?') {
			*st = QUERY;
			return set_empty(&u->query, &u->has_query);
		}
		if (ch == '#') {
			*st = FRAGMENT;
			return set_empty(&u->fragment, &u->has_fragment);
		}
		if (ch == ' ') { /* a space before '?' or '#' must survive the trimming */
			uint32_t next = at(ps, ps->p + 1);
			return ustr_adds(&u->path_text, next == '?' || next == '#' ? "%20" : " ");
		}
		if (ch != EOF_CP)
			return url_pct_encode(ch, SET_C0, &u->path_text);
		return 0;
	case QUERY:
		if (ch == '#' || ch == EOF_CP) {
			for (size_t i = 0; i < ps->blen; i++)
				if (url_pct_encode(ps->buf[i], sp ? SET_SPECIAL_QUERY : SET_QUERY,
				                   &u->query))
					return -2;
			ps->blen = 0;
			if (ch == '#') {
				*st = FRAGMENT;
				return set_empty(&u->fragment, &u->has_fragment);
			}
			return 0;
		}
		return buf_add(ps, ch);
	case FRAGMENT:
		if (ch != EOF_CP)
			return url_pct_encode(ch, SET_FRAGMENT, &u->fragment);
		return 0;
	default:
		(void)base;
		return -1;
	}
}

/* Decodes UTF-8 leniently (U+FFFD for invalid bytes; an encoded surrogate
 * is one U+FFFD), strips leading and trailing C0 controls and spaces and
 * removes tabs and newlines (section 4.4 steps 1-3). */
static int preprocess(const char *in, size_t len, uint32_t **cp, size_t **off, size_t *n)
{
	*cp = budget_malloc((len + 1) * sizeof **cp);
	*off = budget_malloc((len + 1) * sizeof **off);
	if (!*cp || !*off)
		return -2;
	const unsigned char *b = (const unsigned char *)in;
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = b[i];
		size_t used = 1;
		int extra = c < 0x80                  ? 0
		            : (c >= 0xC2 && c < 0xE0) ? 1
		            : (c >= 0xE0 && c < 0xF0) ? 2
		            : (c >= 0xF0 && c < 0xF5) ? 3
		                                      : -1;
		if (extra > 0 && len - i - 1 >= (size_t)extra) {
			uint32_t v = c & (0x3Fu >> extra);
			int ok = 1;
			for (int j = 1; j <= extra && ok; j++) {
				ok = (b[i + j] & 0xC0) == 0x80;
				v = (v << 6) | (b[i + j] & 0x3Fu);
			}
			if (ok && ((extra == 1) || (extra == 2 && v >= 0x800) ||
			           (extra == 3 && v >= 0x10000 && v <= 0x10FFFF))) {
				c = (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v;
				used = (size_t)extra + 1;
			} else {
				c = 0xFFFD;
			}
		} else if (extra != 0) {
			c = 0xFFFD;
		}
		(*cp)[k] = c;
		(*off)[k++] = i;
		i += used;
	}
	size_t s = 0, e = k;
	while (s < e && (*cp)[s] <= 0x20)
		s++;
	while (e > s && (*cp)[e - 1] <= 0x20)
		e--;
	size_t w = 0;
	for (size_t i = s; i < e; i++) {
		uint32_t c = (*cp)[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		(*cp)[w] = c;
		(*off)[w++] = (*off)[i];
	}
	*n = w;
	return 0;
}

int url_parse(const char *in, size_t len, const struct url *base, struct url *out,
              struct url_error *e)
{
	memset(out, 0, sizeof *out);
	out->port = -1;
	struct parser ps = {.base = base, .u = out, .e = e, .inlen = len};
	uint32_t *cp = NULL;
	size_t *off = NULL;
	int rc = preprocess(in, len, &cp, &off, &ps.n);
	ps.c = cp, ps.off = off;
	enum state st = SCHEME_START;
	int at_seen = 0, pw_seen = 0, brackets = 0;
	long steps = 0;
	for (ps.p = 0; rc == 0; ps.p++) {
		uint32_t ch = at(&ps, ps.p);
		rc = step(&ps, &st, ch);
		if (rc == -3)
			rc = step2(&ps, &st, ch, &at_seen, &pw_seen, &brackets);
		if (rc == 0 && ps.p >= 0 && (size_t)ps.p >= ps.n)
			break;
		if (++steps % 4096 == 0 && budget_stop())
			rc = -2;
	}
	budget_free(ps.buf);
	budget_free(cp);
	budget_free(off);
	if (rc == 0 && !out->scheme.p)
		rc = ustr_add(&out->scheme, "", 0);
	return rc;
}

/* ---- serializing ---- */

static int add_host(const struct url *u, struct ustr *out)
{
	if (u->host_kind == URL_HOST_IPV6)
		return ustr_adds(out, "[") || ustr_add(out, u->host.p, u->host.len) ||
		               ustr_adds(out, "]")
		           ? -2
		           : 0;
	return ustr_add(out, u->host.p ? u->host.p : "", u->host.len);
}

static int add_path(const struct url *u, struct ustr *out)
{
	if (u->opaque)
		return ustr_add(out, u->path_text.p ? u->path_text.p : "", u->path_text.len);
	for (size_t i = 0; i < u->nsegs; i++)
		if (ustr_adds(out, "/") || ustr_add(out, u->segs[i].p, u->segs[i].len))
			return -2;
	return 0;
}

static int add_port(const struct url *u, struct ustr *out)
{
	char t[16];
	snprintf(t, sizeof t, ":%d", u->port);
	return u->port >= 0 ? ustr_adds(out, t) : 0;
}

static int href(const struct url *u, struct ustr *out)
{
	if (ustr_add(out, u->scheme.p, u->scheme.len) || ustr_adds(out, ":"))
		return -2;
	if (u->host_kind != URL_HOST_NULL) {
		if (ustr_adds(out, "//"))
			return -2;
		if (u->username.len || u->password.len) {
			if (ustr_add(out, u->username.p, u->username.len) ||
			    (u->password.len && (ustr_adds(out, ":") ||
			                         ustr_add(out, u->password.p, u->password.len))) ||
			    ustr_adds(out, "@"))
				return -2;
		}
		if (add_host(u, out) || add_port(u, out))
			return -2;
	} else if (!u->opaque && u->nsegs > 1 && u->segs[0].len == 0 && ustr_adds(out, "/.")) {
		return -2;
	}
	if (add_path(u, out))
		return -2;
	if (u->has_query && (ustr_adds(out, "?") || ustr_add(out, u->query.p, u->query.len)))
		return -2;
	if (u->has_fragment &&
	    (ustr_adds(out, "#") || ustr_add(out, u->fragment.p, u->fragment.len)))
		return -2;
	return 0;
}

static int origin(const struct url *u, struct ustr *out)
{
	if (ustr_is(&u->scheme, "blob")) {
		struct url inner;
		struct url_error e;
		struct ustr path = {0};
		int rc = add_path(u, &path);
		if (rc == 0 && url_parse(path.p ? path.p : "", path.len, NULL, &inner, &e) == 0 &&
		    (ustr_is(&inner.scheme, "http") || ustr_is(&inner.scheme, "https")))
			rc = origin(&inner, out);
		else if (rc == 0)
			rc = ustr_adds(out, "null");
		url_free(&inner);
		ustr_free(&path);
		return rc;
	}
	static const char *const tuple[] = {"ftp", "http", "https", "ws", "wss"};
	for (size_t i = 0; i < 5; i++)
		if (ustr_is(&u->scheme, tuple[i]))
			return ustr_add(out, u->scheme.p, u->scheme.len) || ustr_adds(out, "://") ||
			               add_host(u, out) || add_port(u, out)
			           ? -2
			           : 0;
	return ustr_adds(out, "null");
}

int url_get(const struct url *u, enum url_part part, struct ustr *out)
{
	if (ustr_add(out, "", 0))
		return -2;
	switch (part) {
	case URL_HREF:
		return href(u, out);
	case URL_ORIGIN:
		return origin(u, out);
	case URL_PROTOCOL:
		return ustr_add(out, u->scheme.p, u->scheme.len) || ustr_adds(out, ":") ? -2 : 0;
	case URL_USERNAME:
		return ustr_add(out, u->username.p, u->username.len);
	case URL_PASSWORD:
		return ustr_add(out, u->password.p, u->password.len);
	case URL_HOSTPORT:
		return u->host_kind == URL_HOST_NULL ? 0 : add_host(u, out) || add_port(u, out);
	case URL_HOSTNAME:
		return u->host_kind == URL_HOST_NULL ? 0 : add_host(u, out);
	case URL_PORT:
		if (u->port >= 0) {
			char t[16];
			snprintf(t, sizeof t, "%d", u->port);
			return ustr_adds(out, t);
		}
		return 0;
	case URL_PATHNAME:
		return add_path(u, out);
	case URL_SEARCH:
		if (!u->has_query || u->query.len == 0)
			return 0;
		return ustr_adds(out, "?") || ustr_add(out, u->query.p, u->query.len) ? -2 : 0;
	case URL_HASH:
		if (!u->has_fragment || u->fragment.len == 0)
			return 0;
		return ustr_adds(out, "#") || ustr_add(out, u->fragment.p, u->fragment.len) ? -2
		                                                                            : 0;
	}
	return 0;
}
