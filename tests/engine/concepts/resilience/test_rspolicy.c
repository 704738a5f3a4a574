/* Unit tests of engine/concepts/resilience/rspolicy.c: backoff with
 * jitter (the formulas of the AWS post), the retry budget, the circuit
 * breaker's transitions. */
#include "unit.h"
#include "engine/concepts/resilience/resilience.h"

#include <math.h>

static void t_backoff_none(void)
{
	struct rng r;
	rng_seed(&r, 1);
	CHECK(rs_backoff(RS_JITTER_NONE, 0.1, 10, 0, 0, &r) == 0.1);
	CHECK(rs_backoff(RS_JITTER_NONE, 0.1, 10, 3, 0, &r) == 0.8);
	CHECK(rs_backoff(RS_JITTER_NONE, 0.1, 10, 10, 0, &r) == 10);   /* capped */
	CHECK(rs_backoff(RS_JITTER_NONE, 0.1, 10, 5000, 0, &r) == 10);  /* no overflow */
}

/* Full jitter: uniform on [0, t], mean t/2; equal: [t/2, t], mean 3t/4. */
static void t_backoff_jitter_ranges(void)
{
	struct rng r;
	rng_seed(&r, 7);
	double sf = 0, se = 0;
	int n = 200000;
	for (int i = 0; i < n; i++) {
		double f = rs_backoff(RS_JITTER_FULL, 0.1, 10, 2, 0, &r);
		double e = rs_backoff(RS_JITTER_EQUAL, 0.1, 10, 2, 0, &r);
		CHECK(f >= 0 && f <= 0.4);
		CHECK(e >= 0.2 && e <= 0.4);
		sf += f;
		se += e;
	}
	/* standard error of the mean: 0.4/sqrt(12 n) < 3e-4; allow 5 of them */
	CHECK(fabs(sf / n - 0.2) < 1.5e-3);
	CHECK(fabs(se / n - 0.3) < 1e-3);
}

static void t_backoff_decorrelated(void)
{
	struct rng r;
	rng_seed(&r, 3);
	double prev = 0;
	for (int i = 0; i < 1000; i++) {
		double d = rs_backoff(RS_JITTER_DECORRELATED, 0.1, 5, i, prev, &r);
		double hi = 3 * (prev > 0 ? prev : 0.1);
		CHECK(d >= 0.1 && d <= fmin(5, hi));
		prev = d;
	}
	CHECK(rs_jitter_parse("decorrelated") == RS_JITTER_DECORRELATED);
	CHECK(rs_jitter_parse("fll") == -1);
}

static void t_budget(void)
{
	struct rs_budget b;
	rs_budget_init(&b, 0.1, 2);
	CHECK(rs_budget_retry(&b) && rs_budget_retry(&b));  /* starts at min */
	CHECK(!rs_budget_retry(&b));
	for (int i = 0; i < 9; i++)
		rs_budget_request(&b);
	CHECK(!rs_budget_retry(&b));                       /* 0.9 tokens */
	rs_budget_request(&b);
	CHECK(rs_budget_retry(&b));                        /* 1.0 */
	for (int i = 0; i < 1000; i++)
		rs_budget_request(&b);
	CHECK(b.tokens == 2);                              /* never above min */
	CHECK(b.refused == 2 && b.withdrawn == 3);
}

static struct rs_breaker_config cfg(void)
{
	return (struct rs_breaker_config){.threshold = 0.5, .window = 4, .min_calls = 4,
					  .open_for = 10, .probes = 2};
}

/* closed -> open at the outcome that reaches the threshold over min_calls */
static void t_breaker_opens(void)
{
	struct rs_breaker b;
	const char *err;
	struct rs_breaker_config c = cfg();
	CHECK(rs_breaker_init(&b, &c, &err) == 0);
	rs_breaker_record(&b, 1, 0);
	rs_breaker_record(&b, 2, 0);
	rs_breaker_record(&b, 3, 1);
	CHECK(b.state == RS_CLOSED);          /* 3 outcomes < min_calls */
	rs_breaker_record(&b, 4, 1);
	CHECK(b.state == RS_OPEN && b.opened == 4); /* 2 of 4 failed: 0.5 */
	CHECK(!rs_breaker_allow(&b, 13.9));
	rs_breaker_record(&b, 5, 1);          /* ignored while open */
	CHECK(b.state == RS_OPEN);
	rs_breaker_free(&b);
}

/* the window slides: old failures leave it */
static void t_breaker_window(void)
{
	struct rs_breaker b;
	const char *err;
	struct rs_breaker_config c = cfg();
	CHECK(rs_breaker_init(&b, &c, &err) == 0);
	rs_breaker_record(&b, 1, 0);
	for (int i = 0; i < 10; i++)
		rs_breaker_record(&b, 2 + i, 1);
	CHECK(b.failures == 0 && b.count == 4 && b.state == RS_CLOSED);
	rs_breaker_record(&b, 20, 0);
	CHECK(b.state == RS_CLOSED);          /* 1 of 4 */
	rs_breaker_record(&b, 21, 0);
	CHECK(b.state == RS_OPEN);            /* 2 of 4 */
	rs_breaker_free(&b);
}

/* open -> half-open after open_for; probes; failure reopens, successes close */
static void t_breaker_half_open(void)
{
	struct rs_breaker b;
	const char *err;
	struct rs_breaker_config c = cfg();
	CHECK(rs_breaker_init(&b, &c, &err) == 0);
	for (int i = 0; i < 4; i++)
		rs_breaker_record(&b, 1, 0);
	CHECK(b.state == RS_OPEN);
	CHECK(rs_breaker_state_at(&b, 11) == RS_HALF_OPEN && b.state == RS_OPEN);
	CHECK(rs_breaker_allow(&b, 11) && b.state == RS_HALF_OPEN);
	CHECK(rs_breaker_allow(&b, 11));
	CHECK(!rs_breaker_allow(&b, 11));     /* only 2 probes */
	rs_breaker_record(&b, 12, 1);
	CHECK(b.state == RS_HALF_OPEN);
	rs_breaker_record(&b, 12.5, 0);       /* a probe fails */
	CHECK(b.state == RS_OPEN && b.opened == 12.5);
	CHECK(!rs_breaker_allow(&b, 22));
	CHECK(rs_breaker_allow(&b, 22.5) && rs_breaker_allow(&b, 22.5));
	rs_breaker_record(&b, 23, 1);
	rs_breaker_record(&b, 23, 1);
	CHECK(b.state == RS_CLOSED && b.count == 0);
	CHECK(b.transitions == 5);
	rs_breaker_free(&b);
}

static void t_breaker_config(void)
{
	struct rs_breaker b;
	const char *err = NULL;
	struct rs_breaker_config c = cfg();
	c.min_calls = 5;
	CHECK(rs_breaker_init(&b, &c, &err) == -1);
	CHECK_STR(err, "min_calls must be between 1 and the window");
	c = cfg();
	c.threshold = 0;
	CHECK(rs_breaker_init(&b, &c, &err) == -1);
}

static const struct test tests[] = {
	{"rspolicy/backoff_none", t_backoff_none},
	{"rspolicy/backoff_jitter_ranges", t_backoff_jitter_ranges},
	{"rspolicy/backoff_decorrelated", t_backoff_decorrelated},
	{"rspolicy/budget", t_budget},
	{"rspolicy/breaker_opens", t_breaker_opens},
	{"rspolicy/breaker_window", t_breaker_window},
	{"rspolicy/breaker_half_open", t_breaker_half_open},
	{"rspolicy/breaker_config", t_breaker_config},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
