/* Unit tests of engine/concepts/stampede.c. */
#include "unit.h"
#include "engine/concepts/cache/stampede.h"

#include <math.h>

static struct stampede_params params(enum stampede_strategy s)
{
	struct stampede_params p = {s, 100, 300, 60, 2, 1, 0, 1, 7};
	return p;
}

static uint64_t sum32(const uint32_t *v, size_t n)
{
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Bookkeeping that holds for every strategy. */
static int consistent(const struct stampede_params *p, const struct stampede_result *r)
{
	uint64_t served = r->hits + r->waited + r->calls;
	return served == r->requests && sum32(r->bin_calls, r->nbins) == r->calls &&
	       sum32(r->bin_requests, r->nbins) == r->requests &&
	       r->nbins == (size_t)ceil(p->duration / p->bin) &&
	       r->latency_p50 <= r->latency_p99 && r->latency_p99 <= r->latency_max;
}

/*
 * The value expires at 60; the first request after that refreshes it for 60
 * s from the call's completion (2 s later), so expiries come every ~62 s:
 * 60, ~122, ~184, ~246 in 300 s. Coalescing makes exactly one call for each,
 * and nobody waits longer than one recomputation.
 */
static void t_coalesce_one_call_per_expiry(void)
{
	struct stampede_params p = params(STAMPEDE_COALESCE);
	struct stampede_result r;
	CHECK(stampede_run(&p, &r) == 0);
	CHECK(consistent(&p, &r));
	CHECK_INT(r.calls, 4);
	CHECK_INT(r.max_inflight, 1);
	CHECK(r.latency_max <= 2 && r.latency_p50 == 0);
	CHECK(r.waited > 4 * 150 && r.waited < 4 * 250); /* ~200 arrive in each 2 s gap */
	for (size_t b = 0; b < 60; b++)
		CHECK(r.bin_calls[b] == 0);
	CHECK(r.bin_calls[60] == 1);                  /* the first call, right at expiry */
	stampede_result_free(&r);
}

/* Without protection, every request during the 2 s recomputation calls the
 * backend: the herd. Requests are identical across strategies. */
static void t_herd(void)
{
	struct stampede_params p = params(STAMPEDE_NONE), q = params(STAMPEDE_COALESCE);
	struct stampede_result r, c;
	CHECK(stampede_run(&p, &r) == 0);
	CHECK(stampede_run(&q, &c) == 0);
	CHECK(consistent(&p, &r));
	CHECK_INT(r.requests, c.requests);             /* the same arrivals */
	CHECK(r.calls > 100 * c.calls);
	CHECK(r.max_inflight > 150);
	CHECK(r.bin_calls[60] + r.bin_calls[61] > 150);
	stampede_result_free(&r);
	stampede_result_free(&c);
}

/* With one backend worker the herd queues: latencies grow far beyond one
 * recomputation. */
static void t_herd_queues(void)
{
	struct stampede_params p = params(STAMPEDE_NONE);
	p.workers = 1;
	struct stampede_result r;
	CHECK(stampede_run(&p, &r) == 0);
	CHECK(consistent(&p, &r));
	CHECK(r.latency_max > 100);
	stampede_result_free(&r);
}

/* XFetch refreshes before expiry: few calls, almost all of them early, and
 * almost nobody waits. */
static void t_xfetch(void)
{
	struct stampede_params p = params(STAMPEDE_XFETCH);
	struct stampede_result r;
	CHECK(stampede_run(&p, &r) == 0);
	CHECK(consistent(&p, &r));
	CHECK(r.calls >= 4 && r.calls <= 15);
	CHECK(r.early == r.calls);                    /* the value never expired */
	CHECK(r.latency_p99 == 0);
	/* a huge beta recomputes all the time */
	p.beta = 1000;
	struct stampede_result big;
	CHECK(stampede_run(&p, &big) == 0);
	CHECK(big.calls > 10 * r.calls);
	stampede_result_free(&r);
	stampede_result_free(&big);
}

static void t_determinism_and_bad_params(void)
{
	struct stampede_params p = params(STAMPEDE_XFETCH);
	struct stampede_result a, b;
	CHECK(stampede_run(&p, &a) == 0);
	CHECK(stampede_run(&p, &b) == 0);
	CHECK(a.requests == b.requests && a.calls == b.calls && a.latency_mean == b.latency_mean);
	CHECK(memcmp(a.bin_calls, b.bin_calls, a.nbins * sizeof *a.bin_calls) == 0);
	stampede_result_free(&a);
	stampede_result_free(&b);
	struct stampede_result r;
	p.rate = 0;
	CHECK(stampede_run(&p, &r) == -1);
	p = params(STAMPEDE_NONE);
	p.bin = 0;
	CHECK(stampede_run(&p, &r) == -1);
	p = params(STAMPEDE_NONE);
	p.rate = 1e9;                                 /* too many requests */
	CHECK(stampede_run(&p, &r) == -1);
	CHECK(stampede_strategy_parse("xfetch") == STAMPEDE_XFETCH);
	CHECK(stampede_strategy_parse("single-flight") == -1);
}

static const struct test tests[] = {
	{"stampede/coalesce_one_call_per_expiry", t_coalesce_one_call_per_expiry},
	{"stampede/herd", t_herd},
	{"stampede/herd_queues", t_herd_queues},
	{"stampede/xfetch", t_xfetch},
	{"stampede/determinism_and_bad_params", t_determinism_and_bad_params},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
