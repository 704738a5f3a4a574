/* Unit tests of engine/concepts/ratesim.c. */
#include "unit.h"
#include "engine/concepts/ratelimit/ratesim.h"

#include <math.h>

static struct ratesim_config base(enum ratelimit_algorithm a)
{
	struct ratesim_config c = {
		.limiter = {.algorithm = a, .rate = 10, .burst = 10, .capacity = 10, .limit = 10,
			    .window = 1},
		.pattern = RATESIM_POISSON,
		.rate = 50,
		.duration = 100,
		.seed = 1,
		.cost = 1,
		.interval = 1,
		.peak_window = 1,
	};
	return c;
}

static uint64_t sum(const uint64_t *v, size_t n)
{
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

static void t_totals_and_series(void)
{
	for (int a = 0; a < RATELIMIT_NALGORITHMS; a++) {
		struct ratesim_config c = base((enum ratelimit_algorithm)a);
		struct ratesim_result r;
		CHECK(ratesim_run(&c, &r, NULL) == 0);
		CHECK(r.requests == r.allowed + r.denied);
		CHECK(r.intervals == 100);
		CHECK(sum(r.allowed_series, r.intervals) == r.allowed);
		CHECK(sum(r.denied_series, r.intervals) == r.denied);
		/* about 50 arrivals a second, about 10 of them allowed (9 for the
		   sliding-window counter: saturated, the previous window's share
		   never quite reaches 0, so each window keeps one unit back) */
		CHECK(r.requests > 4500 && r.requests < 5500);
		CHECK(r.allowed >= 890 && r.allowed < 1100);
		ratesim_result_free(&r);
	}
}

static void t_deterministic(void)
{
	struct ratesim_config c = base(RATELIMIT_GCRA);
	struct ratesim_result a, b;
	CHECK(ratesim_run(&c, &a, NULL) == 0 && ratesim_run(&c, &b, NULL) == 0);
	CHECK(a.requests == b.requests && a.allowed == b.allowed && a.peak == b.peak);
	CHECK(memcmp(a.allowed_series, b.allowed_series, a.intervals * sizeof(uint64_t)) == 0);
	ratesim_result_free(&b);
	c.seed = 3;
	CHECK(ratesim_run(&c, &b, NULL) == 0);
	CHECK(a.requests != b.requests); /* another seed, another run */
	ratesim_result_free(&a);
	ratesim_result_free(&b);
}

static void t_patterns(void)
{
	struct ratesim_config c = base(RATELIMIT_TOKEN_BUCKET);
	struct ratesim_result r;
	c.pattern = RATESIM_CONSTANT; /* 0, 0.02, ..., 9.98: 500 arrivals */
	c.duration = 10;
	CHECK(ratesim_run(&c, &r, NULL) == 0);
	CHECK_INT(r.requests, 500);
	/* a full bucket of 10, then exactly 10 a second: 10 + 10 * 9.98 s */
	CHECK_INT(r.allowed, 10 + 99);
	ratesim_result_free(&r);
	c.pattern = RATESIM_BURST; /* 25 at once at 0.5, 2.5, 4.5, 6.5, 8.5 */
	c.size = 25;
	c.every = 2;
	c.start = 0.5;
	CHECK(ratesim_run(&c, &r, NULL) == 0);
	CHECK_INT(r.requests, 125);
	CHECK_INT(r.allowed, 50); /* each burst finds the bucket full: 10 of 25 */
	CHECK_INT(r.allowed_series[2], 10);
	CHECK_INT(r.denied_series[2], 15);
	CHECK_INT(r.allowed_series[1], 0);
	ratesim_result_free(&r);
	double times[] = {3, 1, 2, 2, 0.5}; /* unsorted: sorted first */
	c.pattern = RATESIM_TRACE;
	c.times = times;
	c.ntimes = 5;
	c.duration = 0; /* up to the last time */
	CHECK(ratesim_run(&c, &r, NULL) == 0);
	CHECK_INT(r.requests, 5);
	CHECK_INT(r.intervals, 4); /* [0,1) .. [3,4) */
	CHECK_INT(r.allowed_series[3], 1);
	ratesim_result_free(&r);
}

/*
 * The lesson's point: with arrivals crowded at a window edge, a fixed window
 * lets twice its limit through within one window's length; a sliding log
 * never lets more than its limit through in any such span.
 */
static void t_peak_at_window_edge(void)
{
	double times[40];
	for (int i = 0; i < 20; i++) {
		times[i] = 0.95 + i * 0.001;      /* 20 just before the edge at 1 */
		times[20 + i] = 1.0 + i * 0.001;  /* 20 just after */
	}
	struct ratesim_config c = base(RATELIMIT_FIXED_WINDOW);
	c.pattern = RATESIM_TRACE;
	c.times = times;
	c.ntimes = 40;
	c.duration = 0;
	struct ratesim_result r;
	CHECK(ratesim_run(&c, &r, NULL) == 0);
	CHECK_INT(r.allowed, 20);
	CHECK_INT(r.peak, 20); /* 2x the limit within 0.1 s */
	CHECK(r.peak_first == 0.95 && r.peak_last == 1.009);
	ratesim_result_free(&r);
	c.limiter.algorithm = RATELIMIT_SLIDING_LOG;
	CHECK(ratesim_run(&c, &r, NULL) == 0);
	CHECK_INT(r.allowed, 10);
	CHECK_INT(r.peak, 10);
	ratesim_result_free(&r);
}

/* Bounds each algorithm guarantees for any arrivals, on heavy Poisson load. */
static void t_peak_bounds(void)
{
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct ratesim_config c = base(RATELIMIT_SLIDING_LOG);
		c.seed = seed;
		c.rate = 400;
		c.duration = 30;
		struct ratesim_result r;
		CHECK(ratesim_run(&c, &r, NULL) == 0);
		CHECK(r.peak == 10); /* never more than the limit in any window */
		ratesim_result_free(&r);
		c.limiter.algorithm = RATELIMIT_FIXED_WINDOW;
		CHECK(ratesim_run(&c, &r, NULL) == 0);
		CHECK(r.peak <= 20 && r.peak > 10);
		ratesim_result_free(&r);
		c.limiter.algorithm = RATELIMIT_TOKEN_BUCKET; /* burst + rate * span */
		CHECK(ratesim_run(&c, &r, NULL) == 0);
		CHECK(r.peak <= 10 + 10);
		ratesim_result_free(&r);
		c.limiter.algorithm = RATELIMIT_LEAKY_QUEUE; /* delayed at most capacity/rate */
		CHECK(ratesim_run(&c, &r, NULL) == 0);
		CHECK(r.delay_max <= 1.0 && r.delay_mean > 0.5);
		ratesim_result_free(&r);
	}
}

static void t_errors(void)
{
	struct ratesim_config c = base(RATELIMIT_GCRA);
	struct ratesim_result r;
	const char *err = NULL;
	c.interval = 0;
	CHECK(ratesim_run(&c, &r, &err) == -1 && strstr(err, "interval"));
	c = base(RATELIMIT_GCRA);
	c.interval = 1e-6; /* 1e8 intervals */
	CHECK(ratesim_run(&c, &r, &err) == -1 && strstr(err, "intervals"));
	c = base(RATELIMIT_GCRA);
	c.rate = 1e9;
	c.duration = 1e6;
	CHECK(ratesim_run(&c, &r, &err) == -1 && strstr(err, "too many arrivals"));
	c = base(RATELIMIT_GCRA);
	c.limiter.burst = 0;
	CHECK(ratesim_run(&c, &r, &err) == -1 && strstr(err, "burst"));
	c = base(RATELIMIT_GCRA);
	c.cost = -1;
	CHECK(ratesim_run(&c, &r, &err) == -1 && strstr(err, "cost"));
	CHECK(r.allowed_series == NULL);
}

static const struct test tests[] = {
	{"ratesim/totals_and_series", t_totals_and_series},
	{"ratesim/deterministic", t_deterministic},
	{"ratesim/patterns", t_patterns},
	{"ratesim/peak_at_window_edge", t_peak_at_window_edge},
	{"ratesim/peak_bounds", t_peak_bounds},
	{"ratesim/errors", t_errors},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
