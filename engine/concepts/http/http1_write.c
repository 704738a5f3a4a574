/*
 * http1_write.c — the HTTP/1.1 serializer (see http1.h): writes only what
 * the strict parser reads back as the same message.
 */
#include "engine/concepts/http/http1.h"

#include <stdio.h>
#include <string.h>

static int refuse(struct http_error *e, size_t off, const char *why)
{
	e->off = off;
	e->why = why;
	return HTTP_ERROR;
}

static int is_token(struct http_text t)
{
	if (t.len == 0)
		return 0;
	for (size_t i = 0; i < t.len; i++)
		if (!http_tchar((unsigned char)t.p[i]))
			return 0;
	return 1;
}

/* Field value or reason phrase: HTAB, SP, VCHAR, obs-text; for values, no
 * whitespace at either end. */
static const char *bad_text(struct http_text t, int trimmed)
{
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c == '\r' || c == '\n')
			return "CR or LF in a field value would end the line: header injection";
		if (c != '\t' && (c < 0x20 || c == 0x7f))
			return "a control character in a field value";
	}
	if (trimmed && t.len &&
	    (t.p[0] == ' ' || t.p[0] == '\t' || t.p[t.len - 1] == ' ' || t.p[t.len - 1] == '\t'))
		return "whitespace at either end of a field value (a parser drops it)";
	return NULL;
}

static int named(struct http_text name, const char *lower)
{
	struct http_span s = {0, name.len};
	return http_span_is(name.p, s, lower);
}

static int add(struct http_buf *b, const void *p, size_t n)
{
	return http_buf_add(b, p, n) == 0 ? 0 : HTTP_NOMEM;
}

static int addf_size(struct http_buf *b, const char *fmt, size_t n)
{
	char t[64];
	int k = snprintf(t, sizeof t, fmt, n);
	return add(b, t, (size_t)k);
}

static int fields(const struct http_out_field *f, size_t n, struct http_buf *out,
                  struct http_error *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *why;
		if (!is_token(f[i].name))
			return refuse(e, i, "a field name must be a token");
		if ((why = bad_text(f[i].value, 1)))
			return refuse(e, i, why);
		if (add(out, f[i].name.p, f[i].name.len) || add(out, ": ", 2) ||
		    add(out, f[i].value.p, f[i].value.len) || add(out, "\r\n", 2))
			return HTTP_NOMEM;
	}
	return HTTP_OK;
}

int http_write_chunked(struct http_text body, size_t size, const struct http_out_field *trailers,
                       size_t ntrailers, struct http_buf *out)
{
	struct http_error e;
	if (size == 0)
		size = body.len ? body.len : 1;
	for (size_t i = 0; i < body.len; i += size) {
		size_t n = body.len - i < size ? body.len - i : size;
		if (addf_size(out, "%zx\r\n", n) || add(out, body.p + i, n) || add(out, "\r\n", 2))
			return HTTP_NOMEM;
	}
	if (add(out, "0\r\n", 3))
		return HTTP_NOMEM;
	int rc = fields(trailers, ntrailers, out, &e);
	if (rc != HTTP_OK)
		return rc;
	return add(out, "\r\n", 2);
}

int http_write(const struct http_out *o, struct http_buf *out, struct http_error *e)
{
	int has_cl = 0, has_te = 0;
	for (size_t i = 0; i < o->nfields; i++) {
		struct http_text v = o->fields[i].value;
		if (named(o->fields[i].name, "content-length")) {
			char t[32];
			snprintf(t, sizeof t, "%zu", o->body.len);
			if (has_cl++ || v.len != strlen(t) || memcmp(v.p, t, v.len) != 0)
				return refuse(e, i,
				              "Content-Length must appear once and equal the "
				              "body's length");
		}
		if (named(o->fields[i].name, "transfer-encoding")) {
			struct http_span s = {0, v.len};
			if (has_te++ || !http_span_is(v.p, s, "chunked") || !o->chunked)
				return refuse(e, i,
				              "only 'Transfer-Encoding: chunked' is written, "
				              "with chunked = true");
		}
	}
	if (has_cl && (has_te || o->chunked))
		return refuse(e, 0, "Content-Length and chunked together: ambiguous framing");
	if (o->chunked && o->minor == 0)
		return refuse(e, 0, "HTTP/1.0 has no chunked coding");
	if (o->ntrailers && !o->chunked)
		return refuse(e, 0, "only a chunked body has trailers");
	const char *ver = o->minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
	if (o->type == HTTP_REQUEST) {
		if (!is_token(o->method))
			return refuse(e, 0, "the method must be a token");
		if (o->target.len == 0)
			return refuse(e, 0, "the request-target is empty");
		for (size_t i = 0; i < o->target.len; i++) {
			unsigned char c = (unsigned char)o->target.p[i];
			if (c <= 0x20 || c >= 0x7f)
				return refuse(e, 0,
				              "the request-target holds a space, a control or a "
				              "byte outside ASCII");
		}
		if (add(out, o->method.p, o->method.len) || add(out, " ", 1) ||
		    add(out, o->target.p, o->target.len) || add(out, " ", 1) || add(out, ver, 8) ||
		    add(out, "\r\n", 2))
			return HTTP_NOMEM;
	} else {
		const char *why = bad_text(o->reason, 0);
		if (o->status < 100 || o->status > 999)
			return refuse(e, 0, "the status code is three digits, 100 to 999");
		if (why)
			return refuse(e, 0, "a CR, LF or control character in the reason phrase");
		char t[32];
		int k = snprintf(t, sizeof t, "%s %d ", ver, o->status);
		if (add(out, t, (size_t)k) || add(out, o->reason.p, o->reason.len) ||
		    add(out, "\r\n", 2))
			return HTTP_NOMEM;
	}
	int rc = fields(o->fields, o->nfields, out, e);
	if (rc != HTTP_OK)
		return rc;
	if (o->chunked && !has_te && add(out, "Transfer-Encoding: chunked\r\n", 28))
		return HTTP_NOMEM;
	if (!o->chunked && !has_cl && o->body.len > 0 &&
	    addf_size(out, "Content-Length: %zu\r\n", o->body.len))
		return HTTP_NOMEM;
	if (add(out, "\r\n", 2))
		return HTTP_NOMEM;
	if (o->chunked)
		return http_write_chunked(o->body, o->chunk_size, o->trailers, o->ntrailers, out);
	return add(out, o->body.p, o->body.len);
}
