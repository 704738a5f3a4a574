/*
 * http1.c — the strict HTTP/1.1 message parser (see http1.h).
 *
 * A plain recursive-descent reader over a complete buffer: each step either
 * moves the index on, reports that the input ends too early
 * (HTTP_INCOMPLETE), or fails with the offset of the first byte it refuses.
 */
#include "engine/concepts/http/http1.h"

#include "engine/base/budget.h"

#include <string.h>

#define MAX_CHUNK ((uint64_t)1 << 60)
#define MAX_LENGTH ((int64_t)1 << 60)

struct rd {
	const unsigned char *b;
	size_t len;
	struct http_error *e;
};

static int fail(struct rd *r, size_t off, const char *why)
{
	r->e->off = off;
	r->e->why = why;
	return HTTP_ERROR;
}

int http_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int ws(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_span_is(const char *buf, struct http_span s, const char *lower)
{
	size_t n = strlen(lower);
	if (s.len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[s.off + i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lower[i])
			return 0;
	}
	return 1;
}

int http_buf_add(struct http_buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = budget_realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void http_buf_free(struct http_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* At I a line must end with CRLF: sets *NEXT past it. */
static int eol(struct rd *r, size_t i, size_t *next, const char *why)
{
	if (i >= r->len)
		return HTTP_INCOMPLETE;
	if (r->b[i] == '\r') {
		if (i + 1 >= r->len)
			return HTTP_INCOMPLETE;
		if (r->b[i + 1] == '\n') {
			*next = i + 2;
			return HTTP_OK;
		}
		return fail(r, i, "bare CR: a CR must be followed by LF (RFC 9112 section 2.2)");
	}
	if (r->b[i] == '\n')
		return fail(r, i, "bare LF: lines end with CRLF (RFC 9112 section 2.2)");
	return fail(r, i, why);
}

/* "HTTP/" DIGIT "." DIGIT at *PI. */
static int version(struct rd *r, size_t *pi, struct http_msg *m)
{
	static const char pre[] = "HTTP/d.d";
	size_t i = *pi;
	for (int k = 0; k < 8; k++, i++) {
		if (i >= r->len)
			return HTTP_INCOMPLETE;
		unsigned char c = r->b[i];
		if (pre[k] == 'd' ? !(c >= '0' && c <= '9') : c != (unsigned char)pre[k])
			return fail(r, i,
			            pre[k] == 'd'
			                ? "expected a digit of the HTTP version"
			                : "expected the HTTP version, HTTP/1.1 or HTTP/1.0");
	}
	m->major = r->b[*pi + 5] - '0';
	m->minor = r->b[*pi + 7] - '0';
	if (m->major != 1 || m->minor > 1)
		return fail(r, *pi, "only HTTP/1.0 and HTTP/1.1 messages have this syntax");
	*pi = i;
	return HTTP_OK;
}

static int request_line(struct rd *r, size_t *pi, struct http_msg *m)
{
	size_t i = *pi;
	while (i + 1 < r->len && r->b[i] == '\r' && r->b[i + 1] == '\n')
		i += 2; /* empty lines before a request are ignored (section 2.2) */
	size_t s = i;
	while (i < r->len && http_tchar(r->b[i]))
		i++;
	if (i == r->len)
		return HTTP_INCOMPLETE;
	if (i == s)
		return fail(r, i, "expected a method (a token)");
	if (r->b[i] != ' ')
		return fail(r, i, "expected one space after the method");
	m->method = (struct http_span){s, i - s};
	s = ++i;
	while (i < r->len && r->b[i] > 0x20 && r->b[i] < 0x7f)
		i++;
	if (i == r->len)
		return HTTP_INCOMPLETE;
	if (i == s)
		return fail(r, i, "expected a request-target after one space");
	if (r->b[i] != ' ')
		return fail(r, i,
		            r->b[i] >= 0x80 ? "a byte outside ASCII in the request-target"
		                            : "invalid character in the request-target");
	m->target = (struct http_span){s, i - s};
	i++;
	int rc = version(r, &i, m);
	if (rc != HTTP_OK)
		return rc;
	return eol(r, i, pi, "expected CRLF right after the HTTP version");
}

static int status_line(struct rd *r, size_t *pi, struct http_msg *m)
{
	size_t i = *pi;
	while (i + 1 < r->len && r->b[i] == '\r' && r->b[i + 1] == '\n')
		i += 2; /* as before a request: a stray CRLF after the last message */
	int rc = version(r, &i, m);
	if (rc != HTTP_OK)
		return rc;
	if (i >= r->len)
		return HTTP_INCOMPLETE;
	if (r->b[i] != ' ')
		return fail(r, i, "expected one space after the HTTP version");
	i++;
	int status = 0;
	for (int k = 0; k < 3; k++, i++) {
		if (i >= r->len)
			return HTTP_INCOMPLETE;
		if (r->b[i] < '0' || r->b[i] > '9' || (k == 0 && r->b[i] == '0'))
			return fail(r, i, "the status code is three digits, 100 to 999");
		status = status * 10 + (r->b[i] - '0');
	}
	m->status = status;
	if (i >= r->len)
		return HTTP_INCOMPLETE;
	size_t s = i, e = i;
	if (r->b[i] == ' ') {
		s = e = ++i;
		while (i < r->len) {
			unsigned char c = r->b[i];
			if (c == '\r' || c == '\n')
				break;
			if (c != '\t' && (c < 0x20 || c == 0x7f))
				return fail(r, i, "invalid character in the reason phrase");
			e = ++i;
		}
	}
	m->reason = (struct http_span){s, e - s};
	return eol(r, i, pi, "expected a space and a reason phrase after the status code");
}

/* Appends a field to *ARR. -1 without memory. */
static int add_field(struct http_field **arr, size_t *n, size_t *cap, struct http_field f)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		struct http_field *a = budget_realloc(*arr, c * sizeof *a);
		if (!a)
			return -1;
		*arr = a;
		*cap = c;
	}
	(*arr)[(*n)++] = f;
	return 0;
}

/* What the head said about framing and the connection, as it was read. */
struct framing {
	size_t cl_at, te_at; /* offsets of the fields, for errors; 0: absent */
	int chunked_seen;    /* chunked appeared (in any position) */
	int te_bad_order;    /* a coding after chunked */
	int close, keepalive, conn_upgrade, upgrade;
};

/* One comma-separated element list (RFC 9110 5.6.1), calling FN per
 * element; elements are tokens optionally followed by ";params". */
static int each_token(struct rd *r, struct http_span v,
                      int (*fn)(struct rd *r, struct http_span tok, size_t at, void *arg),
                      void *arg)
{
	size_t i = v.off, end = v.off + v.len;
	while (i < end) {
		while (i < end && (ws(r->b[i]) || r->b[i] == ','))
			i++;
		if (i == end)
			break;
		size_t s = i;
		while (i < end && http_tchar(r->b[i]))
			i++;
		if (i == s)
			return fail(r, i, "expected a token in the list");
		int rc = fn(r, (struct http_span){s, i - s}, s, arg);
		if (rc != HTTP_OK)
			return rc;
		while (i < end && r->b[i] != ',') { /* parameters or whitespace */
			if (r->b[i] == '"')
				return fail(r, i, "quoted strings are not expected here");
			i++;
		}
	}
	return HTTP_OK;
}

static int te_token(struct rd *r, struct http_span tok, size_t at, void *arg)
{
	struct framing *f = arg;
	if (f->chunked_seen) {
		if (http_span_is((const char *)r->b, tok, "chunked"))
			return fail(r, at, "chunked applied twice (RFC 9112 section 7)");
		f->te_bad_order = 1;
	}
	if (http_span_is((const char *)r->b, tok, "chunked"))
		f->chunked_seen = 1;
	return HTTP_OK;
}

static int conn_token(struct rd *r, struct http_span tok, size_t at, void *arg)
{
	struct framing *f = arg;
	const char *b = (const char *)r->b;
	if (http_span_is(b, tok, "close"))
		f->close = 1;
	else if (http_span_is(b, tok, "keep-alive"))
		f->keepalive = 1;
	else if (http_span_is(b, tok, "upgrade"))
		f->conn_upgrade = 1;
	return HTTP_OK;
}

/* Acts on a field of the head that bears on framing. */
static int framing_field(struct rd *r, struct http_msg *m, struct framing *f,
                         const struct http_field *fl)
{
	const char *b = (const char *)r->b;
	if (http_span_is(b, fl->name, "content-length")) {
		if (f->cl_at)
			return fail(
			    r, fl->name.off,
			    "a second Content-Length field (RFC 9112 section 6.3: ambiguous "
			    "framing, rejected)");
		f->cl_at = fl->name.off + 1;
		if (fl->value.len == 0)
			return fail(r, fl->value.off, "empty Content-Length");
		int64_t n = 0;
		for (size_t k = 0; k < fl->value.len; k++) {
			unsigned char c = r->b[fl->value.off + k];
			if (c < '0' || c > '9')
				return fail(r, fl->value.off + k,
				            "Content-Length must be digits only");
			if (n >= MAX_LENGTH / 10)
				return fail(r, fl->value.off, "Content-Length too large");
			n = n * 10 + (c - '0');
		}
		m->content_length = n;
	} else if (http_span_is(b, fl->name, "transfer-encoding")) {
		if (!f->te_at)
			f->te_at = fl->name.off + 1;
		m->has_te = 1;
		return each_token(r, fl->value, te_token, f);
	} else if (http_span_is(b, fl->name, "connection")) {
		return each_token(r, fl->value, conn_token, f);
	} else if (http_span_is(b, fl->name, "upgrade")) {
		f->upgrade = 1;
	}
	return HTTP_OK;
}

/*
 * Field lines up to the empty line (RFC 9112 section 5). With F, framing
 * fields are acted on (the head); without, they are data (trailers).
 */
static int field_lines(struct rd *r, size_t *pi, struct http_field **arr, size_t *n, size_t *cap,
                       struct http_msg *m, struct framing *f)
{
	size_t i = *pi;
	for (;;) {
		if (i >= r->len)
			return HTTP_INCOMPLETE;
		unsigned char c = r->b[i];
		if (c == '\r' || c == '\n')
			return eol(r, i, pi, "");
		if (ws(c))
			return fail(r, i,
			            *n ? "a field line starts with whitespace: obs-fold, "
			                 "which RFC 9112 section 5.2 forbids"
			               : "whitespace before the first field line");
		size_t s = i;
		while (i < r->len && http_tchar(r->b[i]))
			i++;
		if (i == r->len)
			return HTTP_INCOMPLETE;
		if (ws(r->b[i]) && i > s)
			return fail(r, i,
			            "whitespace between a field name and its colon "
			            "(RFC 9112 section 5.1 says reject)");
		if (r->b[i] != ':' || i == s)
			return fail(r, i, "invalid character in a field name");
		struct http_field fl = {{s, i - s}, {0, 0}};
		i++;
		while (i < r->len && ws(r->b[i]))
			i++;
		size_t vs = i, ve = i;
		while (i < r->len) {
			c = r->b[i];
			if (c == '\r' || c == '\n')
				break;
			if (!ws(c) && (c < 0x21 || c == 0x7f))
				return fail(r, i, "invalid character in a field value");
			i++;
			if (!ws(c))
				ve = i;
		}
		int rc = eol(r, i, &i, "");
		if (rc != HTTP_OK)
			return rc;
		fl.value = (struct http_span){vs, ve - vs};
		if (add_field(arr, n, cap, fl) != 0)
			return HTTP_NOMEM;
		if (f && (rc = framing_field(r, m, f, &fl)) != HTTP_OK)
			return rc;
	}
}

/* Chunk extensions after the size: *( BWS ";" BWS name [ BWS "=" BWS value ] ). */
static int chunk_ext(struct rd *r, size_t *pi)
{
	size_t i = *pi;
	for (;;) {
		size_t j = i;
		while (j < r->len && ws(r->b[j]))
			j++;
		if (j >= r->len)
			return HTTP_INCOMPLETE;
		if (r->b[j] != ';') {
			if (j > i)
				return fail(r, i, "whitespace after the chunk size");
			*pi = i;
			return HTTP_OK;
		}
		i = j + 1;
		while (i < r->len && ws(r->b[i]))
			i++;
		size_t s = i;
		while (i < r->len && http_tchar(r->b[i]))
			i++;
		if (i >= r->len)
			return HTTP_INCOMPLETE;
		if (i == s)
			return fail(r, i, "expected a chunk extension name");
		j = i;
		while (j < r->len && ws(r->b[j]))
			j++;
		if (j >= r->len)
			return HTTP_INCOMPLETE;
		if (r->b[j] != '=')
			continue;
		i = j + 1;
		while (i < r->len && ws(r->b[i]))
			i++;
		if (i >= r->len)
			return HTTP_INCOMPLETE;
		if (r->b[i] == '"') {
			for (i++;; i++) {
				if (i >= r->len)
					return HTTP_INCOMPLETE;
				unsigned char c = r->b[i];
				if (c == '"')
					break;
				if (c == '\\') {
					if (++i >= r->len)
						return HTTP_INCOMPLETE;
					c = r->b[i];
					if (c != '\t' && (c < 0x20 || c == 0x7f))
						return fail(r, i,
						            "invalid escaped character in a chunk "
						            "extension value");
				} else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
					return fail(r, i,
					            "invalid character in a quoted chunk "
					            "extension value");
				}
			}
			i++;
		} else {
			s = i;
			while (i < r->len && http_tchar(r->b[i]))
				i++;
			if (i >= r->len)
				return HTTP_INCOMPLETE;
			if (i == s)
				return fail(r, i, "expected a chunk extension value");
		}
	}
}

int http_dechunk(const char *buf, size_t len, struct http_buf *body, struct http_msg *m,
                 size_t *used, size_t *nchunks, struct http_error *e)
{
	struct rd rr = {(const unsigned char *)buf, len, e}, *r = &rr;
	size_t i = 0;
	*nchunks = 0;
	for (;;) {
		size_t s = i;
		uint64_t size = 0;
		while (i < len && hexval(r->b[i]) >= 0) {
			size = size * 16 + (uint64_t)hexval(r->b[i]);
			if (size >= MAX_CHUNK)
				return fail(r, s, "chunk size too large");
			i++;
		}
		if (i >= len)
			return HTTP_INCOMPLETE;
		if (i == s)
			return fail(r, i, "expected a chunk size (hex digits)");
		int rc = chunk_ext(r, &i);
		if (rc != HTTP_OK)
			return rc;
		rc = eol(r, i, &i, "invalid character after the chunk size");
		if (rc != HTTP_OK)
			return rc;
		if (size == 0)
			break;
		if (len - i < size)
			return HTTP_INCOMPLETE;
		if (http_buf_add(body, buf + i, (size_t)size) != 0)
			return HTTP_NOMEM;
		i += (size_t)size;
		(*nchunks)++;
		rc = eol(r, i, &i, "expected CRLF after the chunk data");
		if (rc != HTTP_OK)
			return rc;
	}
	struct http_field *tmp = NULL;
	size_t n = 0, cap = 0;
	int rc = m ? field_lines(r, &i, &m->trailers, &m->ntrailers, &m->captrailers, NULL, NULL)
	           : field_lines(r, &i, &tmp, &n, &cap, NULL, NULL);
	budget_free(tmp);
	if (rc != HTTP_OK)
		return rc;
	*used = i;
	return HTTP_OK;
}

void http_msg_free(struct http_msg *m)
{
	budget_free(m->fields);
	budget_free(m->trailers);
	budget_free(m->body_buf);
	m->fields = m->trailers = NULL;
	m->body_buf = NULL;
}

/* Decides how the body is delimited (RFC 9112 section 6.3). */
static int frame(struct rd *r, struct http_msg *m, const struct framing *f,
                 const struct http_opts *o, int *nobody)
{
	const char *b = (const char *)r->b;
	if (f->cl_at && f->te_at)
		return fail(r, (f->cl_at > f->te_at ? f->cl_at : f->te_at) - 1,
		            "both Content-Length and Transfer-Encoding: ambiguous framing, the "
		            "request smuggling vector (RFC 9112 sections 6.1, 11.2)");
	if (f->te_at && m->minor == 0)
		return fail(r, f->te_at - 1,
		            "Transfer-Encoding in an HTTP/1.0 message "
		            "(RFC 9112 section 6.1: faulty framing)");
	m->chunked = f->chunked_seen && !f->te_bad_order;
	if (m->type == HTTP_REQUEST) {
		if (m->has_te && !m->chunked)
			return fail(r, f->te_at - 1,
			            "a request whose final transfer coding is not "
			            "chunked (RFC 9112 section 6.3 item 4)");
		if (http_span_is(b, m->method, "connect") || (f->upgrade && f->conn_upgrade))
			m->upgrade = 1;
		*nobody = http_span_is(b, m->method, "connect");
		if (*nobody)
			m->chunked = 0;
		return HTTP_OK;
	}
	int st = m->status;
	if (st == 101 || (o->connect_response && st / 100 == 2))
		m->upgrade = 1;
	*nobody = o->head_response || st / 100 == 1 || st == 204 || st == 304 ||
	          (o->connect_response && st / 100 == 2);
	if (*nobody)
		m->chunked = 0; /* the fields describe a body that is not sent */
	return HTTP_OK;
}

/* The body after the head at *PI. */
static int body(struct rd *r, size_t *pi, struct http_msg *m, const struct http_opts *o)
{
	size_t i = *pi;
	if (m->chunked) {
		struct http_buf bb = {0};
		size_t used = 0;
		int rc = http_dechunk((const char *)r->b + i, r->len - i, &bb, m, &used,
		                      &m->nchunks, r->e);
		if (rc == HTTP_ERROR)
			r->e->off += i;
		if (rc != HTTP_OK) {
			http_buf_free(&bb);
			return rc;
		}
		for (size_t k = 0; k < m->ntrailers; k++) { /* spans into the message */
			m->trailers[k].name.off += i;
			m->trailers[k].value.off += i;
		}
		m->body_buf = bb.p;
		m->body = bb.p ? bb.p : "";
		m->body_len = bb.len;
		*pi = i + used;
		return HTTP_OK;
	}
	if (m->content_length >= 0) {
		if ((uint64_t)(r->len - i) < (uint64_t)m->content_length) {
			m->need = i + (size_t)m->content_length;
			return HTTP_INCOMPLETE;
		}
		m->body = (const char *)r->b + i;
		m->body_len = (size_t)m->content_length;
		*pi = i + m->body_len;
		return HTTP_OK;
	}
	if (m->type == HTTP_REQUEST) {
		m->body = "";
		return HTTP_OK;
	}
	if (!o->eof) { /* read until the connection closes */
		m->need = (size_t)-1;
		return HTTP_INCOMPLETE;
	}
	m->until_close = 1;
	m->keep_alive = 0;
	m->body = (const char *)r->b + i;
	m->body_len = r->len - i;
	*pi = r->len;
	return HTTP_OK;
}

int http_parse(const char *buf, size_t len, enum http_type type, const struct http_opts *o,
               struct http_msg *m, struct http_error *e)
{
	struct rd r = {(const unsigned char *)buf, len, e};
	struct framing f = {0};
	memset(m, 0, sizeof *m);
	m->type = type;
	m->content_length = -1;
	m->body = "";
	size_t i = 0;
	int rc = type == HTTP_REQUEST ? request_line(&r, &i, m) : status_line(&r, &i, m);
	if (rc == HTTP_OK)
		rc = field_lines(&r, &i, &m->fields, &m->nfields, &m->capfields, m, &f);
	if (rc == HTTP_OK) {
		m->head_done = 1;
		m->head_len = i;
		m->keep_alive = m->minor == 1 ? !f.close : (f.keepalive && !f.close);
		int nobody = 0;
		rc = frame(&r, m, &f, o, &nobody);
		if (rc == HTTP_OK && !nobody)
			rc = body(&r, &i, m, o);
	}
	if (rc == HTTP_INCOMPLETE) {
		if (!m->need)
			m->need = len + 1;
		if (o->eof)
			rc = fail(&r, len, "the input ends inside a message");
	}
	m->len = i;
	return rc;
}
