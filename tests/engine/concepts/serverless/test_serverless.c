/* Unit tests of engine/concepts/serverless: runs over given arrival times
 * worked by hand (reuse of the most recently freed environment, reclaiming,
 * throttling, provisioned environments, the timeline), and the errors. */
#include "unit.h"
#include "engine/concepts/serverless/serverless.h"

#include <math.h>

static int near(double got, double want)
{
	return fabs(got - want) <= 1e-9;
}

/* Arrivals 0, 0.2, 2.0, 2.1, 2.2, 4.9; work 0.5 s, Init 1 s, idle 2 s.
 *   0    cold A (busy to 1.5)     0.2  cold B (to 1.7)
 *   2.0  A (free 1.5) and B (free 1.7) idle: B, the last freed (to 2.5)
 *   2.1  A (to 2.6)               2.2  none idle: cold C (to 3.7)
 *   4.9  B reclaimed at 4.5, A at 4.6; C (free 3.7, expires 5.7) serves. */
static const double trace[] = {0, 0.2, 2.0, 2.1, 2.2, 4.9};

static struct sls_config base(void)
{
	return (struct sls_config){.arrivals = trace, .narrivals = 6, .work = 0.5,
				   .cold_start = 1.0, .idle_timeout = 2.0,
				   .max_concurrency = 100, .seed = 1};
}

static void t_hand_trace(void)
{
	struct sls_config c = base();
	struct sls_result r;
	const char *err;
	CHECK(serverless_run(&c, &r, &err) == 0);
	CHECK_INT(r.requests, 6);
	CHECK_INT(r.served, 6);
	CHECK_INT(r.cold_starts, 3);
	CHECK_INT(r.warm_starts, 3);
	CHECK_INT(r.environments, 3);
	CHECK_INT(r.reclaimed, 2);
	CHECK_INT(r.peak_environments, 3);
	CHECK(near(r.window, 4.9));
	CHECK(near(r.mean_latency, 1.0));          /* 1.5 1.5 .5 .5 1.5 .5 */
	CHECK(near(r.p50, 0.5));
	CHECK(near(r.p99, 1.5));
	CHECK(near(r.env_seconds, 4.6 + 4.3 + 2.7)); /* A, B till reclaimed; C till 4.9 */
	CHECK(near(r.mean_busy, 5.5 / 4.9));        /* C's last request starts at 4.9 */
	serverless_result_free(&r);
}

/* The same with room for two environments: 2.2 finds both busy and is
 * throttled; at 4.9 both are reclaimed, so a third is created cold. */
static void t_throttle(void)
{
	struct sls_config c = base();
	c.max_concurrency = 2;
	struct sls_result r;
	const char *err;
	CHECK(serverless_run(&c, &r, &err) == 0);
	CHECK_INT(r.throttled, 1);
	CHECK_INT(r.served, 5);
	CHECK_INT(r.cold_starts, 3);
	CHECK_INT(r.warm_starts, 2);
	CHECK_INT(r.peak_environments, 2);
	CHECK_INT(r.reclaimed, 2);
	serverless_result_free(&r);
}

/* One provisioned environment P: 0 P; 0.2 cold A (to 1.7); 2.0 P again (it
 * serves before on-demand ones); 2.1 A; 2.2 cold B (to 3.7); 4.9 P again;
 * A reclaimed at 4.6, B still alive. */
static void t_provisioned(void)
{
	struct sls_config c = base();
	c.provisioned = 1;
	struct sls_result r;
	const char *err;
	CHECK(serverless_run(&c, &r, &err) == 0);
	CHECK_INT(r.cold_starts, 2);
	CHECK_INT(r.warm_starts, 4);
	CHECK_INT(r.environments, 3);
	CHECK_INT(r.reclaimed, 1);
	CHECK_INT(r.peak_environments, 3);
	CHECK(near(r.env_seconds, 4.9 + (4.6 - 0.2) + (4.9 - 2.2)));
	serverless_result_free(&r);
}

/* Timeline with 1 s buckets over the 4.9 s window: five rows. */
static void t_timeline(void)
{
	struct sls_config c = base();
	c.bucket = 1;
	struct sls_result r;
	const char *err;
	CHECK(serverless_run(&c, &r, &err) == 0);
	CHECK(r.nbuckets == 5);
	static const int64_t arrivals[] = {2, 0, 3, 0, 1}, cold[] = {2, 0, 1, 0, 0};
	static const int64_t envs[] = {2, 2, 3, 3, 1}, busy[] = {2, 0, 1, 0, 1};
	for (size_t i = 0; i < 5; i++) {
		CHECK(near(r.timeline[i].t, (double)i));
		CHECK_INT(r.timeline[i].arrivals, arrivals[i]);
		CHECK_INT(r.timeline[i].cold, cold[i]);
		CHECK_INT(r.timeline[i].environments, envs[i]);
		CHECK_INT(r.timeline[i].busy, busy[i]);
	}
	serverless_result_free(&r);
}

static void t_errors(void)
{
	struct sls_result r;
	const char *err;
	struct sls_config c = base();
	static const double unsorted[] = {1, 0.5};
	c.arrivals = unsorted;
	c.narrivals = 2;
	CHECK(serverless_run(&c, &r, &err) == -1);
	CHECK(err && *err);
	c = base();
	c.provisioned = 101;
	CHECK(serverless_run(&c, &r, &err) == -1);
	c = base();
	c.work = 0;
	CHECK(serverless_run(&c, &r, &err) == -1);
	c = (struct sls_config){.rate = 10, .seconds = 0, .work = 1, .max_concurrency = 1};
	CHECK(serverless_run(&c, &r, &err) == -1);
	serverless_result_free(&r);
}

/* The same seed replays; another seed differs. */
static void t_replays(void)
{
	struct sls_config c = {.rate = 30, .seconds = 200, .work = 0.3, .work_dist = SLS_EXPONENTIAL,
			       .cold_start = 0.7, .idle_timeout = 5, .max_concurrency = 1000,
			       .seed = 9};
	struct sls_result a, b;
	const char *err;
	CHECK(serverless_run(&c, &a, &err) == 0);
	CHECK(serverless_run(&c, &b, &err) == 0);
	CHECK_INT(a.requests, b.requests);
	CHECK_INT(a.cold_starts, b.cold_starts);
	CHECK(a.p99 == b.p99 && a.env_seconds == b.env_seconds);
	c.seed = 10;
	CHECK(serverless_run(&c, &b, &err) == 0);
	CHECK(a.requests != b.requests || a.cold_starts != b.cold_starts);
	serverless_result_free(&a);
	serverless_result_free(&b);
}

static const struct test tests[] = {
	{"serverless/hand_trace", t_hand_trace},
	{"serverless/throttle", t_throttle},
	{"serverless/provisioned", t_provisioned},
	{"serverless/timeline", t_timeline},
	{"serverless/errors", t_errors},
	{"serverless/replays", t_replays},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
