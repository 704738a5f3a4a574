/* Unit tests of engine/concepts/pool.c. */
#include "unit.h"
#include "engine/concepts/pool/pool.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

static struct pool_config base(void)
{
	struct pool_config c = {
		.size = 10,
		.timeout = INFINITY,
		.max_waiting = -1,
		.connect = 0.005,
		.cores = 4,
		.service = 0.005,
		.service_dist = POOL_EXPONENTIAL,
		.contention = 0.05,
		.duration = 60,
		.seed = 1,
	};
	return c;
}

/* Runs to the end, checking the invariants after every event. */
static int run_checked(struct pool *p)
{
	int rc;
	while ((rc = pool_step(p, NULL)) == 1)
		if (pool_check(p) != 0)
			return -1;
	return rc;
}

/*
 * Three clients that never think, a pool of 2, queries of exactly 1 s on an
 * idle database (2 running <= 4 cores: full speed), arrivals until 2.5.
 *
 *   t=0  A, B acquire; C waits
 *   t=1  A, B done: A's connection goes to C, B's back to idle; A and B come
 *        again at once: A' acquires, B' waits
 *   t=2  C, A' done: C's connection to B', A''s to idle; C'' acquires, A'' waits
 *   t=3  B', C'' done: B''s connection to A''; no more arrivals (3 >= 2.5)
 *   t=4  A'' done
 */
static void t_hand_worked_trace(void)
{
	struct pool_config c = base();
	c.clients = 3;
	c.size = 2;
	c.service = 1;
	c.service_dist = POOL_CONSTANT;
	c.contention = 0;
	c.duration = 2.5;
	struct pool *p = pool_new(&c, NULL);
	static const struct {
		double t;
		enum pool_event_kind kind;
	} want[] = {
		{0, POOL_ACQUIRE}, {0, POOL_ACQUIRE}, {0, POOL_WAIT},	 {1, POOL_DONE},
		{1, POOL_DONE},	   {1, POOL_ACQUIRE}, {1, POOL_WAIT},	 {2, POOL_DONE},
		{2, POOL_DONE},	   {2, POOL_ACQUIRE}, {2, POOL_WAIT},	 {3, POOL_DONE},
		{3, POOL_DONE},	   {4, POOL_DONE},
	};
	struct pool_event ev;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		CHECK(pool_step(p, &ev) == 1);
		if (ev.time != want[i].t || ev.kind != want[i].kind)
			printf("      event %zu: got %s at %g\n", i, pool_event_name(ev.kind),
			       ev.time);
		CHECK(ev.time == want[i].t && ev.kind == want[i].kind);
		CHECK(pool_check(p) == 0);
	}
	CHECK(pool_step(p, &ev) == 0);
	struct pool_stats st;
	pool_stats(p, &st);
	CHECK(st.state.requests == 7 && st.state.served == 7 && st.state.done);
	CHECK(st.state.in_system == 0 && st.state.idle == 2 && st.state.thinking == 0);
	/* latencies 1 (A, B, A', C'') and 2 (C, B', A''): nearest-rank percentiles */
	CHECK(st.p50 == 1 && st.p95 == 2 && st.p99 == 2 && st.latency_max == 2);
	CHECK(fabs(st.latency_mean - 10.0 / 7) < 1e-12);
	CHECK(fabs(st.wait_mean - 3.0 / 7) < 1e-12); /* C, B', A'' waited 1 s each */
	/* window [0, 2.5]: 3 in the system throughout; 7 arrivals; 4 done by 2.5 */
	CHECK(st.window == 2.5 && st.arrivals == 7 && st.completed == 4);
	CHECK(st.L == 3 && st.arrival_rate == 2.8 && st.throughput == 1.6);
	CHECK(fabs(st.W - 10.0 / 7) < 1e-12); /* lambda*W = 4 != L: the run is too short */
	pool_free(p);
}

/* Processor sharing: 8 queries of 1 s on 4 cores take 2 s; contention 0.1 makes it 2.8. */
static void t_processor_sharing(void)
{
	for (int k = 0; k < 2; k++) {
		struct pool_config c = base();
		c.clients = 8;
		c.size = 8;
		c.service = 1;
		c.service_dist = POOL_CONSTANT;
		c.contention = k ? 0.1 : 0;
		c.duration = 0.1;
		struct pool *p = pool_new(&c, NULL);
		struct pool_event ev;
		for (int i = 0; i < 8; i++)
			CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_ACQUIRE);
		CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_DONE);
		CHECK(fabs(ev.time - (k ? 2.8 : 2.0)) < 1e-12);
		CHECK(pool_run(p, INFINITY) == 7);
		pool_free(p);
	}
	struct pool_config c = base();
	CHECK(pool_speed(&c, 1) == 1 && pool_speed(&c, 4) == 1);
	CHECK(fabs(pool_speed(&c, 8) - 0.5 / 1.2) < 1e-15);
}

/* No pool: every request pays CONNECT before its query, and the database's limit applies. */
static void t_no_pool(void)
{
	struct pool_config c = base();
	c.clients = 2;
	c.size = 0;
	c.connect = 0.5;
	c.service = 1;
	c.service_dist = POOL_CONSTANT;
	c.duration = 1;
	struct pool *p = pool_new(&c, NULL);
	struct pool_event ev;
	CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_CONNECT && ev.time == 0);
	CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_CONNECT);
	CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_START && ev.time == 0.5);
	CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_START);
	CHECK(pool_step(p, &ev) == 1 && ev.kind == POOL_DONE && ev.time == 1.5);
	CHECK(run_checked(p) == 0);
	struct pool_stats st;
	pool_stats(p, &st);
	CHECK(st.state.served == 2 && st.latency_max == 1.5 && st.wait_mean == 0.5);
	pool_free(p);
	c = base(); /* open, 300 a second, at most 2 connections */
	c.rate = 300;
	c.size = 0;
	c.max_connections = 2;
	c.duration = 10;
	p = pool_new(&c, NULL);
	CHECK(run_checked(p) == 0);
	pool_stats(p, &st);
	CHECK(st.state.rejected > 100 && st.state.served > 1000);
	CHECK(st.state.requests == st.state.served + st.state.rejected && st.state.timed_out == 0);
	pool_free(p);
}

/*
 * An M/M/c queue: with c connections on at least c cores every query runs at
 * full speed, so the pool is c servers with exponential service. Erlang's C
 * formula (1917) gives the mean time in the system for lambda = 1.5,
 * mu = 1, c = 2: offered load A = 1.5, P(wait) = (A^2/2! * c/(c-A)) /
 * (1 + A + A^2/2! * c/(c-A)) = 4.5/7, Wq = P(wait)/(c*mu - lambda) = 9/7,
 * W = Wq + 1/mu = 16/7.
 */
static void t_mmc_erlang_c(void)
{
	struct pool_config c = base();
	c.rate = 1.5;
	c.size = 2;
	c.service = 1;
	c.duration = 200000;
	c.warmup = 1000;
	struct pool *p = pool_new(&c, NULL);
	CHECK(pool_run(p, INFINITY) > 0);
	struct pool_stats st;
	pool_stats(p, &st);
	double W = 16.0 / 7;
	CHECK(fabs(st.latency_mean - W) / W < 0.03);
	CHECK(fabs(st.L - 1.5 * W) / (1.5 * W) < 0.03);
	CHECK(fabs(st.mean_active - 1.5) < 0.03); /* utilisation: A busy servers */
	pool_free(p);
}

/*
 * Little's law, L = lambda * W, on long runs: open with timeouts and
 * rejections, and closed. In the closed loop the response time law
 * R = N/X - Z holds too.
 */
static void t_littles_law(void)
{
	struct pool_config c = base();
	c.rate = 900;
	c.size = 4;
	c.timeout = 0.05;
	c.max_waiting = 20;
	c.duration = 300;
	c.warmup = 10;
	struct pool *p = pool_new(&c, NULL);
	CHECK(pool_run(p, INFINITY) > 0);
	struct pool_stats st;
	pool_stats(p, &st);
	CHECK(st.state.timed_out > 0 && st.state.rejected > 0);
	CHECK(fabs(st.L - st.lambda_W) / st.L < 0.01);
	CHECK(st.state.requests == st.state.served + st.state.timed_out + st.state.rejected);
	pool_free(p);
	c = base();
	c.clients = 50;
	c.think = 0.02;
	c.size = 8;
	c.duration = 300;
	c.warmup = 10;
	p = pool_new(&c, NULL);
	CHECK(pool_run(p, INFINITY) > 0);
	pool_stats(p, &st);
	CHECK(fabs(st.L - st.lambda_W) / st.L < 0.01);
	double R = 50 / st.throughput - 0.02;
	CHECK(fabs(R - st.latency_mean) / st.latency_mean < 0.02);
	pool_free(p);
}

/* Timeouts: nobody who got a connection waited longer than the timeout. */
static void t_timeouts(void)
{
	struct pool_config c = base();
	c.rate = 1000;
	c.size = 1;
	c.timeout = 0.01;
	c.duration = 20;
	struct pool *p = pool_new(&c, NULL);
	CHECK(run_checked(p) == 0);
	struct pool_stats st;
	pool_stats(p, &st);
	CHECK(st.state.timed_out > st.state.served); /* 5x overload */
	CHECK(st.wait_mean <= 0.01 && st.throughput < 200 && st.throughput > 150);
	pool_free(p);
}

/* Every request ends exactly once, whatever the configuration. */
static void t_conservation_random(void)
{
	struct rng r;
	rng_seed(&r, 77);
	for (int i = 0; i < 60; i++) {
		struct pool_config c = base();
		if (rng_below(&r, 2)) {
			c.rate = 50 + (double)rng_below(&r, 1500);
		} else {
			c.clients = rng_range(&r, 1, 80);
			c.think = (double)rng_below(&r, 3) / 100;
		}
		c.size = rng_range(&r, 0, 12);
		c.timeout = rng_below(&r, 3) ? (double)rng_range(&r, 1, 50) / 1000 : INFINITY;
		c.max_waiting = rng_below(&r, 2) ? rng_range(&r, 0, 10) : -1;
		if (c.size == 0 && rng_below(&r, 2))
			c.max_connections = rng_range(&r, 1, 20);
		if (c.clients && c.think == 0)
			c.think = 0.001;
		c.cores = rng_range(&r, 1, 8);
		c.contention = (double)rng_below(&r, 20) / 100;
		c.service_dist = rng_below(&r, 2) ? POOL_CONSTANT : POOL_EXPONENTIAL;
		c.duration = 2;
		c.seed = (uint64_t)i;
		const char *err = NULL;
		struct pool *p = pool_new(&c, &err);
		if (!p)
			printf("      config %d: %s\n", i, err);
		CHECK(p != NULL);
		CHECK(run_checked(p) == 0);
		struct pool_stats st;
		pool_stats(p, &st);
		CHECK(st.state.in_system == 0 && st.state.requests > 0);
		const struct pool_state *s = &st.state;
		CHECK(s->requests == s->served + s->timed_out + s->rejected);
		CHECK(st.arrivals == st.departed);
		pool_free(p);
	}
}

static void t_deterministic(void)
{
	struct pool_config c = base();
	c.rate = 700;
	c.size = 3;
	c.timeout = 0.02;
	c.duration = 30;
	struct pool_stats a, b;
	for (int k = 0; k < 2; k++) {
		struct pool *p = pool_new(&c, NULL);
		pool_run(p, INFINITY);
		pool_stats(p, k ? &b : &a);
		pool_free(p);
	}
	CHECK(memcmp(&a, &b, sizeof a) == 0);
	/* common random numbers: another pool size sees the same arrivals */
	c.size = 6;
	struct pool *p = pool_new(&c, NULL);
	pool_run(p, INFINITY);
	pool_stats(p, &b);
	CHECK(b.state.requests == a.state.requests && b.state.served > a.state.served);
	pool_free(p);
}

/*
 * The lesson's curve: 100 clients hammering (no think time) a 4-core
 * database. Throughput rises with the pool up to the cores, then falls as
 * contention grows; without contention it stays flat.
 */
static void t_pool_size_curve(void)
{
	static const int64_t sizes[] = {1, 2, 4, 8, 16, 32, 64};
	double x[7];
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 7; i++) {
			struct pool_config c = base();
			c.clients = 100;
			c.size = sizes[i];
			c.contention = k ? 0.05 : 0;
			c.duration = 20;
			struct pool *p = pool_new(&c, NULL);
			pool_run(p, INFINITY);
			struct pool_stats st;
			pool_stats(p, &st);
			x[i] = st.throughput;
			pool_free(p);
		}
		CHECK(x[0] < x[1] && x[1] < x[2]); /* 1, 2, 4: more connections, more done */
		CHECK(fabs(x[2] - 800) / 800 < 0.05); /* 4 cores / 5 ms */
		if (k) {
			CHECK(x[3] < x[2] && x[4] < x[3] && x[6] < x[5]);
			CHECK(x[6] < 0.4 * x[2]); /* 64: 4 / (1 + 0.05 * 60) = 1/4 of the peak */
		} else {
			CHECK(fabs(x[6] - x[2]) / x[2] < 0.05);
		}
	}
}

static void t_config_errors(void)
{
	struct pool_config c = base();
	const char *err = NULL;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "either rate"));
	c.rate = 10;
	c.clients = 5;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "not both"));
	c.clients = 0;
	c.cores = 0;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "cores"));
	c = base();
	c.clients = 5;
	c.max_waiting = 0;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "think must be positive"));
	c = base();
	c.rate = 5;
	c.max_connections = 5;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "max_connections"));
	c = base();
	c.rate = 5;
	c.warmup = 60;
	CHECK(pool_new(&c, &err) == NULL && strstr(err, "warmup"));
}

static const struct test tests[] = {
	{"pool/hand_worked_trace", t_hand_worked_trace},
	{"pool/processor_sharing", t_processor_sharing},
	{"pool/no_pool", t_no_pool},
	{"pool/mmc_erlang_c", t_mmc_erlang_c},
	{"pool/littles_law", t_littles_law},
	{"pool/timeouts", t_timeouts},
	{"pool/conservation_random", t_conservation_random},
	{"pool/deterministic", t_deterministic},
	{"pool/pool_size_curve", t_pool_size_curve},
	{"pool/config_errors", t_config_errors},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
