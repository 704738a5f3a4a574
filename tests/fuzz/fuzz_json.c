/*
 * fuzz_json.c — libFuzzer target for lab.json's parser and string writer
 * (engine/concepts/json).
 *
 * The first byte picks the options (bit 0: lone surrogates replaced; bits
 * 1-3: a small max_depth), the rest is the text. Properties: an error lies
 * inside the text with a line and column from 1; containers open and close
 * in balance, never deeper than max_depth; every string and key the parser
 * hands out is valid UTF-8 that json_write_string writes as a JSON string
 * which parses back to the same bytes.
 *
 *   make fuzz && build/fuzz/fuzz_json -max_total_time=60 tests/fuzz/corpus/fuzz_json
 */
#include "engine/concepts/json/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

struct state {
	size_t open, max_depth, values;
	int nested; /* inside the round-trip parse */
	const char *want;
	size_t wantlen;
	int matched;
};

static const char *inner(void *ud, const struct json_event *ev)
{
	struct state *s = ud;
	if (ev->kind == JSON_STRING) {
		check(ev->len == s->wantlen && memcmp(ev->s, s->want, ev->len) == 0);
		s->matched = 1;
	}
	return NULL;
}

/* A string the parser gave must write and parse back to itself. */
static void round_trip(const char *p, size_t n, int ascii)
{
	struct json_buf b = {0};
	size_t bad = 0;
	int rc = json_write_string(&b, p, n, ascii, &bad);
	check(rc == 0);
	struct state s = {.want = p, .wantlen = n};
	struct json_error e;
	check(json_parse(b.p, b.len, NULL, inner, &s, &e) == 0);
	check(s.matched);
	json_buf_free(&b);
}

static const char *outer(void *ud, const struct json_event *ev)
{
	struct state *s = ud;
	switch (ev->kind) {
	case JSON_ARRAY:
	case JSON_OBJECT:
		s->open++;
		check(s->open <= s->max_depth);
		break;
	case JSON_END:
		check(s->open > 0);
		s->open--;
		break;
	case JSON_STRING:
	case JSON_KEY:
		round_trip(ev->s, ev->len, (int)(s->values & 1));
		break;
	default:
		break;
	}
	if (ev->kind != JSON_KEY && ev->kind != JSON_ARRAY && ev->kind != JSON_OBJECT)
		s->values++;
	check(ev->depth == s->open || ev->kind == JSON_ARRAY || ev->kind == JSON_OBJECT);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	struct json_options o = {.lone = data[0] & 1 ? JSON_LONE_REPLACE : JSON_LONE_ERROR,
	                         .max_depth = (data[0] >> 1) & 7 ? (size_t)((data[0] >> 1) & 7) : 0};
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct state s = {.max_depth = o.max_depth ? o.max_depth : JSON_DEFAULT_DEPTH};
	struct json_error e;
	int rc = json_parse(text, len, &o, outer, &s, &e);
	check(rc == 0 || rc == -1);
	if (rc == -1) {
		check(e.off <= len && e.why && e.line >= 1 && e.column >= 1);
	} else {
		check(s.open == 0 && s.values >= 1);
	}
	return 0;
}
