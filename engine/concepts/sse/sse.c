/*
 * sse.c — the event-stream parser and writer (sse.h).
 */
#include "engine/concepts/sse/sse.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <string.h>

int sse_buf_add(struct sse_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *q = budget_realloc(b->p, cap);
		if (!q)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void sse_buf_free(struct sse_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void sse_init(struct sse_parser *p)
{
	memset(p, 0, sizeof *p);
	p->retry = -1;
	p->first_line = 1;
}

void sse_free(struct sse_parser *p)
{
	sse_buf_free(&p->line);
	sse_buf_free(&p->data);
	sse_buf_free(&p->type);
	sse_buf_free(&p->id);
	sse_buf_free(&p->last);
}

/* The length of the valid prefix of the UTF-8 sequence at S (N bytes):
 * the whole sequence when *OK, else its longest valid start (at least 1
 * byte), the "maximal subpart" the WHATWG decoder replaces by one U+FFFD. */
static size_t utf8_step(const unsigned char *s, size_t n, int *ok)
{
	unsigned char c = s[0];
	size_t k;
	unsigned char lo = 0x80, hi = 0xBF;
	*ok = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else {
		*ok = 0;
		return 1;
	}
	for (size_t i = 1; i < k; i++) {
		unsigned char b = i < n ? s[i] : 0;
		if (i >= n || b < lo || b > hi) {
			*ok = 0;
			return i;
		}
		lo = 0x80, hi = 0xBF;
	}
	return k;
}

/* Rewrites the line buffer with every invalid sequence as U+FFFD. */
static int repair_utf8(struct sse_parser *p)
{
	const unsigned char *s = (const unsigned char *)p->line.p;
	size_t n = p->line.len, i = 0;
	int ok;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_step(s + i, n - i, &ok);
		if (!ok)
			break;
		i += k;
	}
	if (i == n)
		return 0;
	struct sse_buf out = {0};
	for (i = 0; i < n;) {
		size_t k = utf8_step(s + i, n - i, &ok);
		if (sse_buf_add(&out, ok ? (const char *)s + i : "\xEF\xBF\xBD", ok ? k : 3) != 0) {
			sse_buf_free(&out);
			return -1;
		}
		i += k;
	}
	sse_buf_free(&p->line);
	p->line = out;
	return 0;
}

static int dispatch(struct sse_parser *p, sse_callback cb, void *ctx)
{
	p->pending = 0;
	p->last.len = 0;
	if (sse_buf_add(&p->last, p->id.p, p->id.len) != 0)
		return -1;
	if (p->data.len == 0) {
		p->type.len = 0;
		p->has_type = 0;
		return 0;
	}
	p->data.len--; /* the last LF */
	struct sse_event ev = {
		.type = p->has_type && p->type.len ? p->type.p : "message",
		.type_len = p->has_type && p->type.len ? p->type.len : 7,
		.data = p->data.p, .data_len = p->data.len,
		.id = p->last.p, .id_len = p->last.len, .line = p->lines};
	int rc = cb(ctx, &ev);
	p->data.len = 0;
	p->type.len = 0;
	p->has_type = 0;
	return rc ? -1 : 0;
}

static int is_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int field(struct sse_parser *p, const char *name, size_t nlen, const char *v, size_t vlen)
{
	p->pending = 1;
	if (nlen == 5 && memcmp(name, "event", 5) == 0) {
		p->type.len = 0;
		p->has_type = 1;
		return sse_buf_add(&p->type, v, vlen);
	}
	if (nlen == 4 && memcmp(name, "data", 4) == 0) {
		if (sse_buf_add(&p->data, v, vlen) != 0)
			return -1;
		return sse_buf_add(&p->data, "\n", 1);
	}
	if (nlen == 2 && memcmp(name, "id", 2) == 0) {
		if (memchr(v, '\0', vlen))
			return 0;
		p->id.len = 0;
		return sse_buf_add(&p->id, v, vlen);
	}
	if (nlen == 5 && memcmp(name, "retry", 5) == 0 && is_digits(v, vlen)) {
		int64_t ms = 0;
		for (size_t i = 0; i < vlen; i++)
			ms = ms > (INT64_MAX - 9) / 10 ? INT64_MAX : ms * 10 + (v[i] - '0');
		p->retry = ms;
	}
	return 0;
}

/* One complete line (in p->line). */
static int line(struct sse_parser *p, sse_callback cb, void *ctx)
{
	p->lines++;
	if (repair_utf8(p) != 0)
		return -1;
	const char *s = p->line.p ? p->line.p : "";
	size_t n = p->line.len;
	if (p->first_line) {
		p->first_line = 0;
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
	}
	int rc = 0;
	if (n == 0) {
		rc = dispatch(p, cb, ctx);
	} else if (s[0] != ':') {
		const char *colon = memchr(s, ':', n);
		if (!colon) {
			rc = field(p, s, n, "", 0);
		} else {
			const char *v = colon + 1;
			size_t vlen = n - (size_t)(v - s);
			if (vlen && *v == ' ')
				v++, vlen--;
			rc = field(p, s, (size_t)(colon - s), v, vlen);
		}
	}
	p->line.len = 0;
	return rc;
}

int sse_feed(struct sse_parser *p, const char *s, size_t n, sse_callback cb, void *ctx)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\r' && c != '\n') {
			p->cr = 0;
			continue;
		}
		if (c == '\n' && p->cr) {    /* the LF of a CR LF */
			p->cr = 0;
			run = i + 1;
			continue;
		}
		p->cr = c == '\r';
		if (budget_poll(p->work++))
			return -1;
		if (sse_buf_add(&p->line, s + run, i - run) != 0 || line(p, cb, ctx) != 0)
			return -1;
		run = i + 1;
	}
	return sse_buf_add(&p->line, s + run, n - run) != 0 ? -1 : 0;
}

int sse_finish(struct sse_parser *p)
{
	int had = p->pending || p->line.len > 0 || p->data.len > 0;
	p->line.len = 0;
	p->data.len = 0;
	p->type.len = 0;
	p->id.len = 0;
	p->has_type = 0;
	p->pending = 0;
	p->cr = 0;
	p->first_line = 1;
	return had;
}

/* Appends "NAME: VALUE\n". */
static int put_field(struct sse_buf *b, const char *name, const char *v, size_t n)
{
	if (sse_buf_add(b, name, strlen(name)) != 0 || sse_buf_add(b, ": ", 2) != 0 ||
	    sse_buf_add(b, v, n) != 0 || sse_buf_add(b, "\n", 1) != 0)
		return -2;
	return 0;
}

int sse_write(struct sse_buf *b, const char *type, size_t type_len, const char *data,
              size_t data_len, const char *id, size_t id_len, int64_t retry, const char **why)
{
	if (type && (memchr(type, '\r', type_len) || memchr(type, '\n', type_len))) {
		*why = "an event type cannot hold CR or LF";
		return -1;
	}
	if (id && (memchr(id, '\r', id_len) || memchr(id, '\n', id_len) || memchr(id, '\0', id_len))) {
		*why = "an id cannot hold CR, LF or NUL";
		return -1;
	}
	if (id && put_field(b, "id", id, id_len) != 0)
		return -2;
	if (type && put_field(b, "event", type, type_len) != 0)
		return -2;
	if (retry >= 0) {
		char t[32];
		int k = snprintf(t, sizeof t, "%lld", (long long)retry);
		if (put_field(b, "retry", t, (size_t)k) != 0)
			return -2;
	}
	if (data) {
		size_t start = 0;
		for (size_t i = 0; i <= data_len; i++) {
			if (i < data_len && data[i] != '\r' && data[i] != '\n')
				continue;
			if (put_field(b, "data", data + start, i - start) != 0)
				return -2;
			if (i < data_len && data[i] == '\r' && i + 1 < data_len && data[i + 1] == '\n')
				i++;
			start = i + 1;
		}
	}
	return sse_buf_add(b, "\n", 1) != 0 ? -2 : 0;
}
