/*
 * bench_protocols.c — parse throughput of the protocol codecs in C, in MB/s
 * of input: HTTP/1.1 requests (a pipelined stream of realistic requests),
 * a chunked response body, the WHATWG URL parser over a mix of URLs, DNS
 * message decoding and HPACK header blocks. Medians of 5 runs.
 */
#include "engine/concepts/dns/dnswire.h"
#include "engine/concepts/http/hpack.h"
#include "engine/concepts/http/http1.h"
#include "engine/concepts/url/url.h"

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

/* Median of 5 runs of RUN, in seconds; RUN processes BYTES bytes. */
static void report(const char *name, double (*run)(void), double bytes)
{
	double t[5];
	for (int i = 0; i < 5; i++)
		t[i] = run();
	qsort(t, 5, sizeof *t, cmp);
	printf("  %-44s %8.1f MB/s\n", name, bytes / t[2] / 1e6);
}

static const char request[] =
	"GET /api/v2/orders/12345?include=items,customer&sort=-date HTTP/1.1\r\n"
	"Host: shop.example.com\r\n"
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
	"Accept: application/json, text/plain, */*\r\n"
	"Accept-Language: en-GB,en;q=0.7,fr;q=0.3\r\n"
	"Accept-Encoding: gzip, deflate, br\r\n"
	"Referer: https://shop.example.com/orders\r\n"
	"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl\r\n"
	"Connection: keep-alive\r\n"
	"Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n"
	"Cache-Control: no-cache\r\n"
	"\r\n";

#define NREQ 20000
static char *stream;
static size_t stream_len;

static double run_http(void)
{
	struct http_opts o = {0};
	double t0 = now();
	size_t at = 0, n = 0;
	while (at < stream_len) {
		struct http_msg m;
		struct http_error e;
		if (http_parse(stream + at, stream_len - at, HTTP_REQUEST, &o, &m, &e) != HTTP_OK)
			abort();
		n += m.nfields;
		at += m.len;
		http_msg_free(&m);
	}
	sink = n;
	return now() - t0;
}

static char *chunked;
static size_t chunked_len;

static double run_chunked(void)
{
	double t0 = now();
	struct http_buf body = {0};
	struct http_error e;
	size_t used, nchunks;
	if (http_dechunk(chunked, chunked_len, &body, NULL, &used, &nchunks, &e) != HTTP_OK)
		abort();
	sink = body.len;
	http_buf_free(&body);
	return now() - t0;
}

static const char *const urls[] = {
	"https://shop.example.com/api/v2/orders/12345?include=items&sort=-date#top",
	"http://user:pass@example.org:8080/a/b/../c/./d.html?q=a%20b",
	"https://www.example.com/",
	"../images/logo.png",
	"//cdn.example.net/static/app.8f14e45f.js",
	"https://[2001:db8::1]:8443/health",
	"mailto:someone@example.com",
	"https://example.com/search?q=caf%C3%A9+cr%C3%A8me&lang=fr",
	"file:///home/user/notes.txt",
	"http://192.168.1.10/router/status",
};
#define NURL (sizeof urls / sizeof *urls)
#define URL_ROUNDS 20000

static double run_url(void)
{
	struct url base;
	struct url_error e;
	if (url_parse("https://www.example.com/docs/page.html", 38, NULL, &base, &e) != 0)
		abort();
	double t0 = now();
	size_t n = 0;
	for (int r = 0; r < URL_ROUNDS; r++)
		for (size_t i = 0; i < NURL; i++) {
			struct url u;
			if (url_parse(urls[i], strlen(urls[i]), &base, &u, &e) != 0)
				abort();
			n += u.nsegs;
			url_free(&u);
		}
	url_free(&base);
	sink = n;
	return now() - t0;
}

static uint8_t dnsmsg[512];
static size_t dnslen;

static double run_dns(void)
{
	double t0 = now();
	size_t n = 0;
	for (int i = 0; i < 100000; i++) {
		struct dns_msg m;
		struct dns_error e;
		if (dns_decode(dnsmsg, dnslen, &m, &e) != 0)
			abort();
		n += m.nrr[0];
		dns_msg_free(&m);
	}
	sink = n;
	return now() - t0;
}

static struct http_buf hpack_blocks[3];

static int count(void *arg, const struct hpack_field *f)
{
	(*(size_t *)arg) += f->vlen;
	return 0;
}

static double run_hpack(void)
{
	double t0 = now();
	size_t n = 0;
	for (int r = 0; r < 20000; r++) {
		struct hpack_table t;
		struct hpack_error e;
		hpack_table_init(&t, 4096);
		for (int k = 0; k < 3; k++)
			if (hpack_decode(&t, (uint8_t *)hpack_blocks[k].p, hpack_blocks[k].len, count,
					 &n, &e) != 0)
				abort();
		hpack_table_free(&t);
	}
	sink = n;
	return now() - t0;
}

int main(void)
{
	size_t rl = strlen(request);
	stream_len = rl * NREQ;
	stream = malloc(stream_len);
	for (size_t i = 0; i < NREQ; i++)
		memcpy(stream + i * rl, request, rl);
	struct http_buf cb = {0};
	char *data = malloc(1 << 20);
	for (int i = 0; i < 1 << 20; i++)
		data[i] = (char)('a' + i % 26);
	http_write_chunked((struct http_text){data, 1 << 20}, 4096, NULL, 0, &cb);
	chunked = cb.p;
	chunked_len = cb.len;
	size_t url_bytes = 0;
	for (size_t i = 0; i < NURL; i++)
		url_bytes += strlen(urls[i]);

	struct dns_msg m = {0};
	uint8_t rd[4] = {192, 0, 2, 10};
	dns_msg_question(&m, "www.example.com.", DNS_A, DNS_IN);
	dns_msg_rr(&m, DNS_ANSWER, "www.example.com.", DNS_CNAME, DNS_IN, 3600,
		   (const uint8_t *)"\7example\3com\0", 13);
	dns_msg_rr(&m, DNS_ANSWER, "example.com.", DNS_A, DNS_IN, 300, rd, 4);
	struct dns_buf db = {0};
	const char *why;
	dns_encode(&m, 1, &db, &why);
	memcpy(dnsmsg, db.p, db.len);
	dnslen = db.len;
	dns_buf_free(&db);
	dns_msg_free(&m);

	struct hpack_table enc;
	hpack_table_init(&enc, 4096);
	struct hpack_field f[] = {
		{":method", "GET", 7, 3, HPACK_INDEXED},
		{":scheme", "https", 7, 5, HPACK_INDEXED},
		{":authority", "shop.example.com", 10, 16, HPACK_INDEXED},
		{":path", "/api/v2/orders/12345", 5, 20, HPACK_INDEXED},
		{"user-agent", "Mozilla/5.0 (X11; Linux x86_64)", 10, 31, HPACK_INDEXED},
		{"accept", "application/json", 6, 16, HPACK_INDEXED},
		{"cookie", "session=8f14e45fceea167a5a36dedd4bea2543", 6, 40, HPACK_INDEXED},
	};
	struct hpack_enc_opts eo = {1, 1, 0};
	size_t hp_bytes = 0;
	for (int k = 0; k < 3; k++) {
		hpack_encode(&enc, f, sizeof f / sizeof *f, &eo, &hpack_blocks[k]);
		hp_bytes += hpack_blocks[k].len;
	}
	hpack_table_free(&enc);

	printf("protocol codecs (C), MB/s of input, median of 5\n");
	report("http: parse pipelined requests (~700 B each)", run_http, (double)stream_len);
	report("http: decode a chunked 1 MiB body (4 KiB chunks)", run_chunked, (double)chunked_len);
	report("url: WHATWG parse, 10 kinds of URL", run_url, (double)url_bytes * URL_ROUNDS);
	report("dns: decode a response (CNAME + A)", run_dns, (double)dnslen * 100000);
	report("hpack: decode 3 blocks, fresh table each time", run_hpack, (double)hp_bytes * 20000);
	free(stream);
	free(data);
	http_buf_free(&cb);
	for (int k = 0; k < 3; k++)
		http_buf_free(&hpack_blocks[k]);
	return 0;
}
