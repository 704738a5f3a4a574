/*
 * fuzz_sse.c — libFuzzer target for lab.sse's event-stream parser
 * (engine/concepts/sse).
 *
 * The first byte is the slice size the stream is fed in; the rest is the
 * stream. Properties: events carry valid UTF-8 and a non-empty type
 * without line breaks; their data holds no CR; feeding the stream in
 * slices and in one piece gives the same events and the same last event
 * ID; an event re-written with sse_write parses back to the same event.
 *
 *   make fuzz && build/fuzz/fuzz_sse -max_total_time=60 tests/fuzz/corpus/fuzz_sse
 */
#include "engine/concepts/sse/sse.h"
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
	uint64_t sum;
	const struct sse_event *want; /* in the re-parse: the event expected */
	int matched;
};

static void mix(struct seen *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s->sum = s->sum * 131 + (unsigned char)p[i];
	s->sum = s->sum * 7 + n;
}

static int reparsed(void *ctx, const struct sse_event *ev)
{
	struct seen *s = ctx;
	const struct sse_event *w = s->want;
	check(ev->data_len == w->data_len && memcmp(ev->data, w->data, w->data_len) == 0);
	check(ev->type_len == w->type_len && memcmp(ev->type, w->type, w->type_len) == 0);
	check(ev->id_len == w->id_len && memcmp(ev->id, w->id, w->id_len) == 0);
	s->matched++;
	return 0;
}

static int on_event(void *ctx, const struct sse_event *ev)
{
	struct seen *s = ctx;
	s->events++;
	check(utf8_valid(ev->data, ev->data_len, NULL) && utf8_valid(ev->type, ev->type_len, NULL));
	check(ev->type_len > 0 && !memchr(ev->type, '\n', ev->type_len) &&
	      !memchr(ev->type, '\r', ev->type_len) && !memchr(ev->data, '\r', ev->data_len));
	check(!memchr(ev->id, '\0', ev->id_len));
	mix(s, ev->type, ev->type_len);
	mix(s, ev->data, ev->data_len);
	mix(s, ev->id, ev->id_len);
	if (s->want)
		return 0;
	/* written again, it reads back the same (an id of "" is written too) */
	struct sse_buf b = {0};
	const char *why;
	check(sse_write(&b, ev->type, ev->type_len, ev->data, ev->data_len, ev->id, ev->id_len, -1,
	                &why) == 0);
	struct sse_parser p;
	struct seen again = {.want = ev};
	sse_init(&p);
	check(sse_feed(&p, b.p, b.len, reparsed, &again) == 0);
	check(again.matched == 1);
	sse_free(&p);
	sse_buf_free(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t slice = (size_t)data[0] + 1;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	struct sse_parser a, b;
	struct seen sa = {0}, sb = {0};
	sse_init(&a);
	sse_init(&b);
	for (size_t at = 0; at < n; at += slice)
		check(sse_feed(&a, s + at, n - at < slice ? n - at : slice, on_event, &sa) == 0);
	check(sse_feed(&b, s, n, on_event, &sb) == 0);
	check(sa.events == sb.events && sa.sum == sb.sum);
	check(a.last.len == b.last.len && (a.last.len == 0 || memcmp(a.last.p, b.last.p, a.last.len) == 0));
	sse_finish(&a);
	sse_free(&a);
	sse_free(&b);
	return 0;
}
