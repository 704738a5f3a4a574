/*
 * fuzz_http.c — libFuzzer target for the HTTP/1.1 parser (engine/concepts/http).
 *
 * The first byte picks request or response and the parser options; the rest is
 * a connection's bytes, parsed message after message as the stream parser
 * does. Every verdict must be in range; every message the serializer accepts
 * must parse back to the same message (decode(encode(x)) = x). The chunked
 * decoder gets the same bytes on its own.
 *
 *   make fuzz && build/fuzz/fuzz_http -max_total_time=60 tests/fuzz/corpus/fuzz_http
 */
#include "engine/concepts/http/http1.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed property: says which, then aborts (libFuzzer saves the input). */
#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

static struct http_text text(const char *buf, struct http_span s)
{
	return (struct http_text){buf + s.off, s.len};
}

/* Serializes M (parsed from BUF with OPTS) and checks the result parses the same. */
static void round_trip(const char *buf, const struct http_msg *m, const struct http_opts *opts)
{
	struct http_out_field *f = calloc(m->nfields + 1, sizeof *f);
	struct http_out_field *t = calloc(m->ntrailers + 1, sizeof *t);
	for (size_t i = 0; i < m->nfields; i++)
		f[i] = (struct http_out_field){text(buf, m->fields[i].name),
		                               text(buf, m->fields[i].value)};
	for (size_t i = 0; i < m->ntrailers; i++)
		t[i] = (struct http_out_field){text(buf, m->trailers[i].name),
		                               text(buf, m->trailers[i].value)};
	struct http_out o = {
	    .type = m->type,
	    .method = text(buf, m->method),
	    .target = text(buf, m->target),
	    .reason = text(buf, m->reason),
	    .status = m->status,
	    .minor = m->minor,
	    .fields = f,
	    .nfields = m->nfields,
	    .trailers = t,
	    .ntrailers = m->ntrailers,
	    .body = {m->body, m->body_len},
	    .chunked = m->chunked,
	    .chunk_size = 3,
	};
	struct http_buf out = {0};
	struct http_error e;
	if (!m->upgrade && m->status / 100 != 1 && m->status != 204 && m->status != 304 &&
	    !m->until_close && http_write(&o, &out, &e) == HTTP_OK) {
		struct http_msg m2;
		struct http_opts op = *opts; /* HEAD, CONNECT as for the original */
		int rc = http_parse(out.p, out.len, m->type, &op, &m2, &e);
		check(rc == HTTP_OK && m2.len == out.len);
		check(m2.body_len == m->body_len && memcmp(m2.body, m->body, m->body_len) == 0);
		check(m2.nfields >= m->nfields && m2.ntrailers == m->ntrailers);
		for (size_t i = 0; i < m->nfields; i++)
			check(m2.fields[i].value.len == m->fields[i].value.len &&
			      memcmp(out.p + m2.fields[i].value.off, buf + m->fields[i].value.off,
			             m->fields[i].value.len) == 0);
		http_msg_free(&m2);
	}
	http_buf_free(&out);
	free(f);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	enum http_type type = (data[0] & 1) ? HTTP_RESPONSE : HTTP_REQUEST;
	struct http_opts o = {(data[0] >> 1) & 1, (data[0] >> 2) & 1, (data[0] >> 3) & 1};
	const char *buf = (const char *)data + 1;
	size_t len = size - 1, at = 0;
	for (int k = 0; k < 64 && at < len; k++) {
		struct http_msg m;
		struct http_error e;
		int rc = http_parse(buf + at, len - at, type, &o, &m, &e);
		if (rc == HTTP_ERROR)
			check(e.off <= len - at && e.why != NULL);
		if (rc == HTTP_OK) {
			check(m.len > 0 && m.len <= len - at);
			round_trip(buf + at, &m, &o);
			at += m.len;
		}
		http_msg_free(&m);
		if (rc != HTTP_OK || m.upgrade)
			break;
	}
	struct http_buf body = {0};
	struct http_error e;
	size_t used, nchunks;
	if (http_dechunk(buf, len, &body, NULL, &used, &nchunks, &e) == HTTP_OK)
		check(used <= len && body.len <= len);
	http_buf_free(&body);
	return 0;
}
