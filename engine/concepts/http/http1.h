/*
 * http1.h — an HTTP/1.1 message parser and serializer (RFC 9112), strict.
 *
 * The parser reads one message from the start of a buffer and says how many
 * bytes it took, so a caller parses a connection's pipelined messages by
 * calling it again on the rest (see http_stream in the binding). It never
 * reads past LEN, never allocates for the start line or the header fields
 * (they are spans of the input), and allocates the body only when it must be
 * reassembled from chunks.
 *
 * Strict means RFC 9112's MUSTs are errors, and so are the framing
 * ambiguities request smuggling exploits (section 11.2):
 *   - a line ends with CRLF; a bare LF or a bare CR (not followed by LF)
 *     anywhere in the head is an error (section 2.2);
 *   - exactly one SP between the parts of the start line (section 3);
 *   - whitespace between a field name and its colon is an error (5.1), and
 *     so is a field line starting with whitespace (obs-fold, 5.2);
 *   - field values hold only HTAB, SP, VCHAR and obs-text (RFC 9110 5.5);
 *   - Content-Length must be digits only, and may appear once (6.3 item 5);
 *   - Content-Length together with Transfer-Encoding is an error (6.1, 6.3
 *     item 3), and so is Transfer-Encoding in an HTTP/1.0 message (6.1);
 *   - in a request, Transfer-Encoding whose final coding is not chunked is
 *     an error (6.3 item 4); chunked may be applied only once (7);
 *   - chunk sizes are hex digits only, at most 2^60 - 1; chunk data must be
 *     followed by CRLF (7.1).
 * Only HTTP/1.0 and HTTP/1.1 are accepted; the method is any token (RFC
 * 9110 9.1); the request-target any run of visible ASCII (RFC 9112 3.2).
 *
 * Framing (RFC 9112 section 6.3): responses to HEAD, 1xx, 204 and 304 have
 * no body; Transfer-Encoding chunked; else Content-Length; else a request has
 * no body and a response's body runs to the end of the connection (which the
 * caller signals with opts.eof). A request with Upgrade (and Connection:
 * upgrade) or CONNECT, and a 101 or a 2xx response to CONNECT, end the HTTP
 * stream: the message is complete after its head and `upgrade` is set.
 */
#ifndef BACKLAB_HTTP1_H
#define BACKLAB_HTTP1_H

#include <stddef.h>
#include <stdint.h>

enum http_type { HTTP_REQUEST, HTTP_RESPONSE };

enum http_result {
	HTTP_OK = 0,         /* a whole message: m->len bytes taken */
	HTTP_INCOMPLETE = 1, /* the input stops inside a message */
	HTTP_ERROR = -1,     /* malformed: see the http_error */
	HTTP_NOMEM = -2,     /* out of memory (the budget refused) */
};

struct http_span {
	size_t off, len; /* into the parsed buffer */
};

struct http_field {
	struct http_span name, value; /* value without surrounding whitespace */
};

struct http_opts {
	int head_response;    /* the response answers HEAD: it has no body */
	int connect_response; /* the response answers CONNECT */
	int eof;              /* the input is all the connection will send */
};

struct http_msg {
	enum http_type type;
	struct http_span method, target, reason;
	int status; /* responses */
	int major, minor;
	struct http_field *fields, *trailers;
	size_t nfields, ntrailers;
	size_t capfields, captrailers;
	int64_t content_length; /* -1 if absent */
	int chunked;            /* Transfer-Encoding ends in chunked */
	int has_te;
	int keep_alive;  /* the connection persists after this message */
	int upgrade;     /* the stream leaves HTTP after this message */
	int until_close; /* the body ran to the end of the input */
	int head_done;   /* the head was complete (even if the body is not) */
	size_t nchunks;
	const char *body; /* into the input, or into body_buf */
	size_t body_len;
	char *body_buf;  /* owned (budget), for chunked bodies */
	size_t head_len; /* bytes of the start line and fields */
	size_t len;      /* bytes of the whole message */
	size_t need;     /* HTTP_INCOMPLETE: retry when the input is at least this long */
};

/* A growable byte buffer allocated from the budget (engine/base/budget.h). */
struct http_buf {
	char *p;
	size_t len, cap;
};

/* Appends N bytes; -1 if the budget refuses (the buffer is unchanged). */
int http_buf_add(struct http_buf *b, const void *data, size_t n);
void http_buf_free(struct http_buf *b);

struct http_error {
	size_t off; /* byte offset into the input */
	const char *why;
};

/*
 * Parses one message of TYPE from BUF[0..LEN). Fills *M (spans into BUF;
 * free with http_msg_free even after an error) and returns an enum
 * http_result; on HTTP_ERROR *E says where and why.
 */
int http_parse(const char *buf, size_t len, enum http_type type, const struct http_opts *o,
               struct http_msg *m, struct http_error *e);
void http_msg_free(struct http_msg *m);

/*
 * Decodes a chunked body (RFC 9112 7.1) at BUF[0..LEN): the data into BODY
 * (appended), trailer fields into *M's trailers (M may be NULL: trailers are
 * then checked and dropped). Returns HTTP_OK with *USED bytes taken,
 * HTTP_INCOMPLETE, HTTP_NOMEM, or HTTP_ERROR with *E (offsets into BUF).
 */
int http_dechunk(const char *buf, size_t len, struct http_buf *body, struct http_msg *m,
                 size_t *used, size_t *nchunks, struct http_error *e);

/* ---- the serializer ---- */

struct http_text {
	const char *p;
	size_t len;
};

struct http_out_field {
	struct http_text name, value;
};

/* A message to write. Fields are written as given, in order; then, unless
 * the fields already frame the body: chunked adds "Transfer-Encoding:
 * chunked", and a non-empty body (not chunked) adds "Content-Length". */
struct http_out {
	enum http_type type;
	struct http_text method, target, reason;
	int status, minor;
	const struct http_out_field *fields, *trailers;
	size_t nfields, ntrailers;
	struct http_text body;
	int chunked;
	size_t chunk_size; /* chunked: data bytes per chunk (0: one chunk) */
};

/*
 * Appends the message to OUT. Refuses (HTTP_ERROR, *E with off = the index
 * of the offending field, or 0, and a reason) what a strict parser would
 * refuse or read differently: a method or name that is not a token, CR, LF
 * or other controls in a value (header injection, response splitting),
 * whitespace around a value, a Content-Length that is not the body's length,
 * both Content-Length and Transfer-Encoding. HTTP_NOMEM without memory.
 */
int http_write(const struct http_out *o, struct http_buf *out, struct http_error *e);

/* Appends BODY encoded with the chunked coding, SIZE bytes per chunk (0:
 * one chunk), then the last chunk and an empty trailer section. */
int http_write_chunked(struct http_text body, size_t size, const struct http_out_field *trailers,
                       size_t ntrailers, struct http_buf *out);

/* Whether C may appear in a token (RFC 9110 5.6.2). */
int http_tchar(unsigned char c);

/* Case-insensitive comparison of a span of BUF with the NUL-terminated S. */
int http_span_is(const char *buf, struct http_span s, const char *lower);

#endif
