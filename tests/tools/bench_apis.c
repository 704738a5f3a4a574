/*
 * bench_apis.c — throughput of module 06's codecs in C, in MB/s of input:
 * the JSON parser (events only, no values built), protobuf records walked,
 * the WebSocket reader over masked frames, the SSE parser. Medians of 5.
 */
#include "engine/concepts/json/json.h"
#include "engine/concepts/proto/proto.h"
#include "engine/concepts/sse/sse.h"
#include "engine/concepts/ws/ws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile size_t sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *name, double (*run)(void), double bytes)
{
	double t[5];
	for (int i = 0; i < 5; i++)
		t[i] = run();
	qsort(t, 5, sizeof *t, cmp);
	printf("  %-44s %8.1f MB/s\n", name, bytes / t[2] / 1e6);
}

static char *doc;
static size_t doc_len;

static const char *count(void *ctx, const struct json_event *ev)
{
	(void)ctx;
	sink += ev->kind;
	return NULL;
}

static double run_json(void)
{
	struct json_error e;
	double t0 = now();
	for (int i = 0; i < 50; i++)
		if (json_parse(doc, doc_len, NULL, count, NULL, &e) != 0)
			abort();
	return now() - t0;
}

static struct proto_buf msg;

static double run_proto(void)
{
	double t0 = now();
	for (int i = 0; i < 200; i++) {
		size_t pos = 0;
		struct proto_record r;
		const char *why;
		while (pos < msg.len)
			if (proto_next(msg.p, msg.len, &pos, &r, &why) == 0)
				sink += r.field;
			else
				abort();
	}
	return now() - t0;
}

static struct ws_buf frames;

static int ws_event(void *ctx, const struct ws_event *ev)
{
	(void)ctx;
	sink += ev->len;
	return 0;
}

static double run_ws(void)
{
	struct ws_reader r;
	ws_reader_init(&r, WS_SERVER, 0);
	double t0 = now();
	if (ws_reader_feed(&r, frames.p, frames.len, ws_event, NULL) != 0)
		abort();
	double t = now() - t0;
	ws_reader_free(&r);
	return t;
}

static struct sse_buf events;

static int sse_event(void *ctx, const struct sse_event *ev)
{
	(void)ctx;
	sink += ev->data_len;
	return 0;
}

static double run_sse(void)
{
	struct sse_parser p;
	sse_init(&p);
	double t0 = now();
	if (sse_feed(&p, events.p, events.len, sse_event, NULL) != 0)
		abort();
	double t = now() - t0;
	sse_free(&p);
	return t;
}

int main(void)
{
	/* JSON: 200 orders, as tests/bench/apis_bench.lua builds them */
	struct json_buf b = {0};
	json_buf_add(&b, "{\"orders\":[", 11);
	for (int i = 1; i <= 200; i++) {
		char t[400];
		int n = snprintf(t, sizeof t,
		                 "%s{\"customer\":{\"email\":\"c%d@example.com\",\"name\":\"Customer %d\"},"
		                 "\"id\":%d,\"items\":[{\"price\":9.99,\"qty\":%d,\"sku\":\"SKU-%d\"}],"
		                 "\"status\":\"%s\",\"tags\":[\"a\",\"b\"],\"total\":%g}",
		                 i > 1 ? "," : "", i, i, 100000 + i, i % 5 + 1, i,
		                 i % 3 ? "open" : "shipped", i * 3.25);
		json_buf_add(&b, t, (size_t)n);
	}
	json_buf_add(&b, "],\"count\":200}", 14);
	doc = b.p;
	doc_len = b.len;
	/* protobuf: 1000 Reading messages back to back */
	for (int i = 0; i < 1000; i++) {
		static const char sensor[] = "kitchen-thermometer-3";
		proto_put_tag(&msg, 1, PROTO_LEN);
		proto_put_varint(&msg, sizeof sensor - 1);
		proto_buf_add(&msg, sensor, sizeof sensor - 1);
		proto_put_tag(&msg, 2, PROTO_VARINT);
		proto_put_varint(&msg, proto_zigzag32(-i));
		proto_put_tag(&msg, 4, PROTO_VARINT);
		proto_put_varint(&msg, 1);
	}
	/* websocket: 1000 masked 1 kB frames */
	unsigned char payload[1024];
	memset(payload, 'x', sizeof payload);
	struct ws_frame f = {.fin = 1, .opcode = WS_BINARY, .masked = 1, .key = {1, 2, 3, 4}};
	for (int i = 0; i < 1000; i++)
		ws_write_frame(&frames, &f, payload, sizeof payload);
	/* SSE: 5000 events */
	for (int i = 0; i < 5000; i++) {
		char id[16], data[64];
		const char *why;
		int k = snprintf(id, sizeof id, "%d", i);
		int d = snprintf(data, sizeof data, "{\"sym\":\"ACME\",\"px\":%d}", i);
		sse_write(&events, "price", 5, data, (size_t)d, id, (size_t)k, -1, &why);
	}
	report("json: json_parse, events only (34 kB doc)", run_json, 50.0 * doc_len);
	report("proto: proto_next over 1000 messages", run_proto, 200.0 * msg.len);
	report("ws: ws_reader_feed, 1000 masked 1 kB frames", run_ws, (double)frames.len);
	report("sse: sse_feed, 5000 events", run_sse, (double)events.len);
	json_buf_free(&b);
	proto_buf_free(&msg);
	ws_buf_free(&frames);
	sse_buf_free(&events);
	return 0;
}
