/* Unit tests of the service-graph simulation (rsim.c, rsgraph.c) from C:
 * the counts balance, a seed replays, the config is checked, and the
 * mechanisms do what resilience.h says on small graphs. */
#include "unit.h"
#include "engine/concepts/resilience/resilience.h"

#include <math.h>
#include <string.h>

static struct rs_config two_tier(void)
{
	struct rs_config c = {.seed = 1, .duration = 20, .drain = 5, .interval = 1, .rate = 300};
	strcpy(c.entry, "api");
	c.client.backoff = 0.1;
	c.client.cap = 10;
	c.client.budget_min = 10;
	c.nservices = 2;
	c.services[0] = (struct rs_service_cfg){.name = "api", .workers = 100, .queue = 100,
						.latency = 0.002, .ncalls = 1};
	strcpy(c.services[0].calls[0].to, "db");
	c.services[0].calls[0].weight = 1;
	c.services[0].calls[0].p = (struct rs_policy){.timeout = 0.1, .retries = 2, .backoff = 0.01,
						      .cap = 1, .jitter = RS_JITTER_FULL,
						      .budget_min = 10};
	c.services[1] = (struct rs_service_cfg){.name = "db", .workers = 10, .queue = 100,
						.latency = 0.01};
	return c;
}

static void t_balances(void)
{
	struct rs_config c = two_tier();
	c.nfaults = 1;
	c.faults[0] = (struct rs_fault){.service = "db", .at = 5, .until = 10, .mode = RS_DOWN};
	struct rs_result r;
	const char *err;
	char buf[160];
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == 0);
	uint64_t done = r.client.ok + r.client.degraded + r.client.failed;
	CHECK(done <= r.client.requests);
	CHECK(r.nedges == 2);
	for (int e = 0; e < r.nedges; e++) {
		const struct rs_edge_count *x = &r.edges[e];
		CHECK(x->attempts + x->breaker_refused + x->bulkhead_refused == x->calls + x->retries);
	}
	CHECK(r.services[1].arrivals == r.edges[1].attempts);
	CHECK(r.services[0].arrivals == r.edges[0].attempts);
	CHECK(r.services[1].rejected > 0);        /* refused while down */
	CHECK(r.edges[1].retries > 0);
	rs_result_free(&r);
}

static void t_replays(void)
{
	struct rs_config c = two_tier();
	struct rs_result a, b;
	const char *err;
	char buf[160];
	CHECK(rs_run(&c, &a, &err, buf, sizeof buf) == 0);
	CHECK(rs_run(&c, &b, &err, buf, sizeof buf) == 0);
	CHECK(a.events == b.events && a.client.ok == b.client.ok && a.p99 == b.p99);
	rs_result_free(&a);
	rs_result_free(&b);
}

static void t_config(void)
{
	struct rs_config c = two_tier();
	struct rs_result r;
	const char *err;
	char buf[160];
	strcpy(c.services[0].calls[0].to, "nope");
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == -1);
	CHECK(strstr(err, "which is no service") != NULL);
	c = two_tier();
	strcpy(c.entry, "db2");
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == -1);
	CHECK_STR(err, "the entry 'db2' is no service");
	c = two_tier();
	c.interval = 0;
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == -1);
}

/* A breaker on the edge, a dead db: it opens, refuses, probes, closes. */
static void t_breaker(void)
{
	struct rs_config c = two_tier();
	struct rs_policy *p = &c.services[0].calls[0].p;
	p->breaker = 1;
	p->br = (struct rs_breaker_config){.threshold = 0.5, .window = 20, .min_calls = 10,
					   .open_for = 1, .probes = 2};
	p->fallback = 1;
	c.nfaults = 1;
	c.faults[0] = (struct rs_fault){.service = "db", .at = 5, .until = 10, .mode = RS_DOWN};
	struct rs_result r;
	const char *err;
	char buf[160];
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == 0);
	CHECK(r.ntransitions >= 3);
	CHECK(r.transitions[0].from == RS_CLOSED && r.transitions[0].to == RS_OPEN);
	CHECK(r.transitions[0].t >= 5);
	CHECK(r.transitions[r.ntransitions - 1].to == RS_CLOSED);
	CHECK(r.edges[1].breaker_refused > 0);
	CHECK(r.client.failed == 0 && r.client.degraded > 0);
	rs_result_free(&r);
}

/* Deterministic work and arrivals through bursts: a burst larger than
 * workers + queue is rejected beyond them, at once. */
static void t_backpressure(void)
{
	struct rs_config c = {.seed = 1, .duration = 1, .drain = 5, .interval = 1};
	strcpy(c.entry, "api");
	c.client.cap = 10;
	c.client.budget_min = 10;
	c.nservices = 1;
	c.services[0] = (struct rs_service_cfg){.name = "api", .workers = 5, .queue = 10,
						.latency = 0.1, .dist = RS_DETERMINISTIC};
	c.nbursts = 1;
	c.bursts[0] = (struct rs_burst){.at = 0.5, .count = 40};
	struct rs_result r;
	const char *err;
	char buf[160];
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == 0);
	CHECK_INT(r.services[0].rejected, 25);
	CHECK_INT(r.services[0].ok, 15);
	CHECK_INT(r.client.ok, 15);
	/* the last of them waited two rounds of 0.1 s, then its own */
	CHECK(fabs(r.p99 - 0.3) < 1e-9);
	rs_result_free(&r);
}

/* The service goes down at the instant a burst is on its way: the requests
 * in transit arrive to a down service and are refused, each once. */
static void t_crash_in_transit(void)
{
	struct rs_config c = {.seed = 1, .duration = 2, .drain = 2, .interval = 1};
	strcpy(c.entry, "api");
	c.client.cap = 10;
	c.client.budget_min = 10;
	c.nservices = 1;
	c.services[0] = (struct rs_service_cfg){.name = "api", .workers = 5, .queue = 10,
						.latency = 0.1};
	c.nbursts = 1;
	c.bursts[0] = (struct rs_burst){.at = 1, .count = 30};
	c.nfaults = 1;
	c.faults[0] = (struct rs_fault){.service = "api", .at = 1, .until = 1.5, .mode = RS_DOWN};
	struct rs_result r;
	const char *err;
	char buf[160];
	CHECK(rs_run(&c, &r, &err, buf, sizeof buf) == 0);
	CHECK_INT(r.services[0].arrivals, 30);
	CHECK_INT(r.services[0].rejected, 30);
	CHECK_INT(r.services[0].errors + r.services[0].ok, 0);
	CHECK_INT(r.client.failed, 30);
	rs_result_free(&r);
}

static const struct test tests[] = {
	{"rsim/crash_in_transit", t_crash_in_transit},
	{"rsim/balances", t_balances},
	{"rsim/replays", t_replays},
	{"rsim/config", t_config},
	{"rsim/breaker", t_breaker},
	{"rsim/backpressure", t_backpressure},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
