/*
 * bench_cache.c — the cache family in C: operations per second of each
 * eviction policy, the hit-ratio simulator's requests per second (OPT
 * included), the stampede simulation and the HTTP caching evaluator.
 *
 * The cache workload is a Zipf(0.9) trace over 100,000 integer keys replayed
 * as get, then put on a miss, through a cache of 10,000 entries; one
 * operation is one get or one put. Medians of 5 runs.
 */
#include "engine/concepts/cache/cache.h"
#include "engine/concepts/cache/cachesim.h"
#include "engine/concepts/httpcache/httpcache.h"
#include "engine/concepts/cache/stampede.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REQUESTS 1000000
#define KEYS 100000
#define SIZE 10000

static uint32_t trace[REQUESTS];
static volatile uint64_t sink;

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

/* Runs RUN five times and returns the median seconds; RUN returns its
 * operation count through *OPS. */
static double median(double (*run)(void *, double *), void *arg, double *ops)
{
	double t[5];
	for (int i = 0; i < 5; i++)
		t[i] = run(arg, ops);
	qsort(t, 5, sizeof *t, cmp);
	return t[2];
}

static double run_policy(void *arg, double *ops)
{
	enum cache_policy p = *(enum cache_policy *)arg;
	struct cache *c = cache_new(p, SIZE, 1);
	double t0 = now();
	uint64_t n = 0;
	for (int i = 0; i < REQUESTS; i++) {
		struct cache_key k = cache_int(trace[i]);
		n++;
		if (!cache_get(c, k, 0, NULL)) {
			cache_put(c, k, 0, INFINITY, 0, NULL);
			n++;
		}
	}
	double t = now() - t0;
	sink += cache_stats(c)->hits;
	cache_free(c);
	*ops = (double)n;
	return t;
}

static double run_strings(void *arg, double *ops)
{
	static char keys[KEYS + 1][16];
	static int lens[KEYS + 1];
	if (!lens[1])
		for (int k = 1; k <= KEYS; k++)
			lens[k] = snprintf(keys[k], sizeof keys[k], "user:%d", k);
	struct cache *c = cache_new(CACHE_LRU, SIZE, 1);
	double t0 = now();
	uint64_t n = 0;
	for (int i = 0; i < REQUESTS; i++) {
		struct cache_key k = cache_str(keys[trace[i]], (size_t)lens[trace[i]]);
		n++;
		if (!cache_get(c, k, 0, NULL)) {
			cache_put(c, k, 0, INFINITY, 0, NULL);
			n++;
		}
	}
	double t = now() - t0;
	cache_free(c);
	*ops = (double)n;
	(void)arg;
	return t;
}

static double run_sim(void *arg, double *ops)
{
	int p = *(int *)arg;
	double t0 = now();
	sink += (uint64_t)cachesim_run(trace, REQUESTS, p, SIZE, 1, 0, NULL);
	*ops = REQUESTS;
	return now() - t0;
}

static double run_trace(void *arg, double *ops)
{
	struct cachesim_params p = {CACHESIM_ZIPF, KEYS, 0.9, REQUESTS, 0, 0, 1};
	double t0 = now();
	cachesim_trace(&p, trace);
	*ops = REQUESTS;
	(void)arg;
	return now() - t0;
}

static double run_stampede(void *arg, double *ops)
{
	struct stampede_params p = {STAMPEDE_NONE, 1000, 1000, 60, 2, 1, 0, 1, 1};
	struct stampede_result r;
	double t0 = now();
	stampede_run(&p, &r);
	double t = now() - t0;
	*ops = (double)r.requests;
	stampede_result_free(&r);
	(void)arg;
	return t;
}

static double run_http(void *arg, double *ops)
{
	static const struct httpc_field rf[] = {
		{"Cache-Control", "public, max-age=60, must-revalidate"},
		{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
		{"ETag", "\"abc\""},
		{"Last-Modified", "Sat, 05 Nov 1994 08:49:37 GMT"},
	};
	static const struct httpc_field qf[] = {{"If-None-Match", "W/\"abc\""}};
	struct httpc_message res = {NULL, 200, rf, 4}, req = {"GET", 0, qf, 1};
	struct httpc_input in = {&req, &res, 784111777 + 30, 784111777, 784111777, 1};
	struct httpc_decision d;
	double t0 = now();
	for (int i = 0; i < 100000; i++) {
		in.now = 784111777 + i % 120;
		httpc_evaluate(&in, &d);
		sink += (uint64_t)d.action;
	}
	*ops = 100000;
	(void)arg;
	return now() - t0;
}

int main(void)
{
	double ops;
	double t = median(run_trace, NULL, &ops);
	printf("lab.cache in C (Zipf 0.9, %d keys, %d requests, cache of %d)\n", KEYS, REQUESTS,
	       SIZE);
	printf("  %-44s %8.2fM requests/s\n", "trace generation (zipf)", ops / t / 1e6);
	for (int p = 0; p < CACHE_NPOLICIES; p++) {
		char name[64];
		snprintf(name, sizeof name, "%s get/put", cache_policy_name((enum cache_policy)p));
		enum cache_policy pol = (enum cache_policy)p;
		t = median(run_policy, &pol, &ops);
		printf("  %-44s %8.2fM ops/s\n", name, ops / t / 1e6);
	}
	t = median(run_strings, NULL, &ops);
	printf("  %-44s %8.2fM ops/s\n", "lru get/put, string keys", ops / t / 1e6);
	for (int p = 0; p <= CACHE_NPOLICIES; p++) {
		int pol = p < CACHE_NPOLICIES ? p : CACHESIM_OPT;
		char name[64];
		snprintf(name, sizeof name, "simulate %s, 10^6 requests",
			 pol == CACHESIM_OPT ? "opt" : cache_policy_name((enum cache_policy)pol));
		t = median(run_sim, &pol, &ops);
		printf("  %-44s %8.1f ms (%.2fM requests/s)\n", name, t * 1e3, ops / t / 1e6);
	}
	t = median(run_stampede, NULL, &ops);
	printf("  %-44s %8.1f ms (%.2fM requests/s)\n", "stampede, none, 10^6 requests", t * 1e3,
	       ops / t / 1e6);
	t = median(run_http, NULL, &ops);
	printf("  %-44s %8.2fM decisions/s\n", "httpcache evaluate", ops / t / 1e6);
	return 0;
}
