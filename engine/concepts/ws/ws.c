/*
 * ws.c — the WebSocket handshake key, frames and reader (ws.h).
 */
#include "engine/concepts/ws/ws.h"
#include "engine/base/budget.h"
#include "engine/base/utf8.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/sha1.h"

#include <string.h>

const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void ws_accept(const char *key, size_t len, char out[29])
{
	struct sha1_ctx c;
	unsigned char d[SHA1_DIGEST_LEN];
	sha1_init(&c);
	sha1_update(&c, key, len);
	sha1_update(&c, ws_guid, sizeof ws_guid - 1);
	sha1_final(&c, d);
	base64_encode(d, sizeof d, BASE64_STD, 1, out);
}

int ws_parse_header(const unsigned char *p, size_t n, struct ws_frame *f, const char **why)
{
	if (n < 2)
		return 0;
	f->fin = p[0] >> 7;
	f->rsv = (p[0] >> 4) & 7;
	f->opcode = p[0] & 15;
	f->masked = p[1] >> 7;
	uint64_t len = p[1] & 127;
	size_t h = 2;
	if (len == 126) {
		if (n < 4)
			return 0;
		len = (uint64_t)p[2] << 8 | p[3];
		h = 4;
		if (len < 126) {
			*why = "a 16-bit length below 126 (lengths use the fewest bytes, 5.2)";
			return -1;
		}
	} else if (len == 127) {
		if (n < 10)
			return 0;
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | p[2 + i];
		h = 10;
		if (len >> 63) {
			*why = "a 64-bit length with its most significant bit set (5.2)";
			return -1;
		}
		if (len <= 0xFFFF) {
			*why = "a 64-bit length below 65536 (lengths use the fewest bytes, 5.2)";
			return -1;
		}
	}
	if (f->masked) {
		if (n < h + 4)
			return 0;
		memcpy(f->key, p + h, 4);
		h += 4;
	} else {
		memset(f->key, 0, 4);
	}
	f->len = len;
	f->head = h;
	return (int)h;
}

void ws_mask(unsigned char *p, size_t n, const unsigned char key[4], uint64_t offset)
{
	for (size_t i = 0; i < n; i++)
		p[i] ^= key[(offset + i) & 3];
}

int ws_buf_add(struct ws_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *q = budget_realloc(b->p, cap);
		if (!q)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void ws_buf_free(struct ws_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int ws_write_frame(struct ws_buf *b, const struct ws_frame *f, const void *payload, size_t n)
{
	unsigned char h[14];
	size_t k = 2;
	h[0] = (unsigned char)((f->fin ? 0x80 : 0) | (f->rsv & 7) << 4 | (f->opcode & 15));
	h[1] = f->masked ? 0x80 : 0;
	if (n < 126) {
		h[1] |= (unsigned char)n;
	} else if (n <= 0xFFFF) {
		h[1] |= 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		k = 4;
	} else {
		h[1] |= 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
		k = 10;
	}
	if (f->masked) {
		memcpy(h + k, f->key, 4);
		k += 4;
	}
	size_t start = b->len;
	if (ws_buf_add(b, h, k) != 0 || ws_buf_add(b, payload, n) != 0) {
		b->len = start;
		return -1;
	}
	if (f->masked)
		ws_mask(b->p + start + k, n, f->key, 0);
	return 0;
}

int ws_close_code_ok(int code)
{
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
	       (code >= 3000 && code <= 4999);
}

/* ---- the reader ---- */

void ws_reader_init(struct ws_reader *r, enum ws_role role, uint64_t max_message)
{
	memset(r, 0, sizeof *r);
	r->role = role;
	r->max_message = max_message;
}

void ws_reader_free(struct ws_reader *r)
{
	ws_buf_free(&r->in);
	ws_buf_free(&r->msg);
}

static int rfail(struct ws_reader *r, uint64_t at, int code, const char *why)
{
	r->failed = 1;
	r->fail_code = code;
	r->why = why;
	r->fail_offset = at;
	return -1;
}

/* Checks a frame header against section 5 for this reader. */
static int check_frame(struct ws_reader *r, const struct ws_frame *f, uint64_t at)
{
	if (r->closed)
		return rfail(r, at, 1002, "a frame after the Close frame (5.5.1)");
	if (f->rsv)
		return rfail(r, at, 1002, "RSV bits set without an extension that defines them (5.2)");
	if ((f->opcode >= 3 && f->opcode <= 7) || f->opcode >= 11)
		return rfail(r, at, 1002, "a reserved opcode (5.2)");
	if (r->role == WS_SERVER && !f->masked)
		return rfail(r, at, 1002, "an unmasked frame from a client (5.1)");
	if (r->role == WS_CLIENT && f->masked)
		return rfail(r, at, 1002, "a masked frame from a server (5.1)");
	if (f->opcode >= 8) {
		if (!f->fin)
			return rfail(r, at, 1002, "a fragmented control frame (5.5)");
		if (f->len > 125)
			return rfail(r, at, 1002, "a control frame longer than 125 bytes (5.5)");
		return 0;
	}
	if (f->opcode == WS_CONT && !r->in_message)
		return rfail(r, at, 1002, "a continuation frame with no message to continue (5.4)");
	if (f->opcode != WS_CONT && r->in_message)
		return rfail(r, at, 1002, "a new message inside a fragmented one (5.4)");
	uint64_t total = (f->opcode == WS_CONT ? r->msg.len : 0) + f->len;
	if (r->max_message && total > r->max_message)
		return rfail(r, at, 1009, "message too big (max_message)");
	return 0;
}

static int control(struct ws_reader *r, const struct ws_frame *f, const unsigned char *pl,
                   uint64_t at, ws_callback cb, void *ctx)
{
	struct ws_event ev = {.opcode = f->opcode, .data = pl, .len = (size_t)f->len, .frames = 1,
	                      .offset = at};
	if (f->opcode == WS_CLOSE) {
		if (f->len == 1)
			return rfail(r, at, 1002, "a Close payload of 1 byte (a code takes 2, 5.5.1)");
		ev.code = 1005;
		if (f->len >= 2) {
			ev.code = pl[0] << 8 | pl[1];
			if (!ws_close_code_ok(ev.code))
				return rfail(r, at, 1002, "a close code no endpoint may send (7.4)");
			ev.data = pl + 2;
			ev.len -= 2;
			if (!utf8_valid((const char *)ev.data, ev.len, NULL))
				return rfail(r, at, 1007, "a close reason that is not UTF-8 (5.5.1)");
		}
		r->closed = 1;
	}
	return cb(ctx, &ev) ? -2 : 0;
}

/* One whole frame at FR (in r->in), which starts at stream offset AT. */
static int frame(struct ws_reader *r, struct ws_frame *f, unsigned char *fr, uint64_t at,
                 ws_callback cb, void *ctx)
{
	if (check_frame(r, f, at) != 0)
		return -1;
	unsigned char *pl = fr + f->head;
	if (f->masked)
		ws_mask(pl, (size_t)f->len, f->key, 0);
	if (f->opcode >= 8)
		return control(r, f, pl, at, cb, ctx);
	if (f->opcode != WS_CONT) {
		r->in_message = 1;
		r->msg_opcode = f->opcode;
		r->msg.len = 0;
		r->msg_frames = 0;
		r->msg_offset = at;
	}
	if (ws_buf_add(&r->msg, pl, (size_t)f->len) != 0)
		return -2;
	r->msg_frames++;
	if (!f->fin)
		return 0;
	r->in_message = 0;
	if (r->msg_opcode == WS_TEXT && !utf8_valid((const char *)r->msg.p, r->msg.len, NULL))
		return rfail(r, r->msg_offset, 1007, "a text message that is not UTF-8 (8.1)");
	struct ws_event ev = {.opcode = r->msg_opcode, .data = r->msg.p, .len = r->msg.len,
	                      .frames = r->msg_frames, .offset = r->msg_offset};
	return cb(ctx, &ev) ? -2 : 0;
}

int ws_reader_feed(struct ws_reader *r, const void *p, size_t n, ws_callback cb, void *ctx)
{
	if (r->failed)
		return -1;
	if (ws_buf_add(&r->in, p, n) != 0)
		return -2;
	size_t used = 0;
	int rc = 0;
	for (unsigned long long i = 0; rc == 0; i++) {
		struct ws_frame f;
		const char *why;
		if (budget_poll(i))
			return -2;
		int h = ws_parse_header(r->in.p + used, r->in.len - used, &f, &why);
		if (h < 0) {
			rc = rfail(r, r->consumed, 1002, why);
			break;
		}
		if (h == 0 || f.len > r->in.len - used - (size_t)h) {
			/* the header or the payload is not all here; refuse early what cannot fit */
			if (h > 0 && check_frame(r, &f, r->consumed) != 0)
				rc = -1;
			break;
		}
		/* the frame is complete: unmask and read it in place */
		rc = frame(r, &f, r->in.p + used, r->consumed, cb, ctx);
		size_t whole = f.head + (size_t)f.len;
		used += whole;
		r->consumed += whole;
	}
	memmove(r->in.p, r->in.p + used, r->in.len - used);
	r->in.len -= used;
	return rc;
}
