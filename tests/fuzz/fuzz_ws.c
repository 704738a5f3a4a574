/*
 * fuzz_ws.c — libFuzzer target for lab.ws's frame reader (engine/concepts/ws).
 *
 * The first byte picks the role (bit 0) and the slice size (bits 1-7) the
 * stream is fed in; the rest is the stream. Properties: a failure names a
 * close code of 1002, 1007 or 1009 and an offset inside the stream, and
 * the reader stays failed; text messages and close reasons handed out are
 * UTF-8; control payloads are at most 125 bytes; feeding the same stream
 * in one piece gives the same events (count and bytes).
 *
 *   make fuzz && build/fuzz/fuzz_ws -max_total_time=60 tests/fuzz/corpus/fuzz_ws
 */
#include "engine/concepts/ws/ws.h"
#include "engine/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

struct seen {
	size_t events;
	uint64_t sum; /* a checksum of the events' bytes */
};

static int on_event(void *ctx, const struct ws_event *ev)
{
	struct seen *s = ctx;
	s->events++;
	if (ev->opcode == WS_TEXT || ev->opcode == WS_CLOSE)
		check(utf8_valid((const char *)ev->data, ev->len, NULL));
	if (ev->opcode >= 8)
		check(ev->len <= 125);
	s->sum = s->sum * 31 + (uint64_t)ev->opcode + ev->len;
	for (size_t i = 0; i < ev->len; i++)
		s->sum = s->sum * 131 + ev->data[i];
	return 0;
}

static int run(const uint8_t *p, size_t n, enum ws_role role, size_t slice, struct seen *s,
               struct ws_reader *r)
{
	ws_reader_init(r, role, 1 << 20);
	int rc = 0;
	for (size_t at = 0; at < n && rc == 0; at += slice)
		rc = ws_reader_feed(r, p + at, n - at < slice ? n - at : slice, on_event, s);
	if (rc == -1) {
		check(r->fail_code == 1002 || r->fail_code == 1007 || r->fail_code == 1009);
		check(r->fail_offset <= n && r->why);
		check(ws_reader_feed(r, "", 0, on_event, s) == -1);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	enum ws_role role = data[0] & 1 ? WS_CLIENT : WS_SERVER;
	size_t slice = (size_t)(data[0] >> 1) + 1;
	struct seen a = {0}, b = {0};
	struct ws_reader r1, r2;
	int rc1 = run(data + 1, size - 1, role, slice, &a, &r1);
	int rc2 = run(data + 1, size - 1, role, size, &b, &r2);
	check(rc1 == rc2);
	check(a.events == b.events && a.sum == b.sum);
	if (rc1 == -1)
		check(r1.fail_offset == r2.fail_offset && r1.fail_code == r2.fail_code);
	ws_reader_free(&r1);
	ws_reader_free(&r2);
	return 0;
}
