/* Unit tests of engine/concepts/queue: Erlang B and C against values worked
 * by hand and published (see data/SOURCES.md), the two routes to Erlang C
 * against each other, and the simulator's bookkeeping. */
#include "unit.h"
#include "engine/concepts/queue/queue.h"

#include <math.h>

static int close_to(double got, double want, double rel)
{
	return fabs(got - want) <= rel * fabs(want);
}

/* Erlang B of small cases, worked by hand: B(c, A) = (A^c/c!) / sum A^k/k! */
static void t_erlang_b_exact(void)
{
	CHECK(close_to(queue_erlang_b(1, 1), 0.5, 1e-12));
	CHECK(close_to(queue_erlang_b(2, 2), 2.0 / 5.0, 1e-12));
	CHECK(close_to(queue_erlang_b(3, 3), 9.0 / 26.0, 1e-12));
	CHECK(close_to(queue_erlang_b(1, 2), 1.0 / 5.0, 1e-12)); /* (1/2) / (1 + 1 + 1/2) */
	CHECK(queue_erlang_b(0, 4) == 0.0);
	CHECK(queue_erlang_b(5, 0) == 1.0);
}

/* M/M/1: C = rho, W = 1/(mu - lambda), L = rho/(1 - rho) (Kleinrock §3.2);
 * response time exponential of rate mu - lambda. */
static void t_mm1(void)
{
	struct queue_erlang q;
	CHECK(queue_erlang_c(8, 10, 1, &q) == 0);
	CHECK(close_to(q.utilisation, 0.8, 1e-12));
	CHECK(close_to(q.wait_probability, 0.8, 1e-12));
	CHECK(close_to(q.mean_response, 0.5, 1e-12));
	CHECK(close_to(q.mean_wait, 0.4, 1e-12));
	CHECK(close_to(q.mean_in_system, 4.0, 1e-12));
	CHECK(close_to(q.mean_in_queue, 3.2, 1e-12));
	CHECK(close_to(q.p50, log(2) / 2, 1e-9));
	CHECK(close_to(q.p99, log(100) / 2, 1e-9));
	CHECK(close_to(q.wait_p99, log(0.8 / 0.01) / 2, 1e-12));
}

/* M/M/2: C = 2 rho^2 / (1 + rho), Wq = C / (2 mu - lambda). */
static void t_mm2(void)
{
	struct queue_erlang q;
	CHECK(queue_erlang_c(3, 2, 2, &q) == 0);  /* rho = 0.75 */
	double c = 2 * 0.75 * 0.75 / 1.75;
	CHECK(close_to(q.wait_probability, c, 1e-12));
	CHECK(close_to(q.mean_wait, c / 1.0, 1e-12));
	CHECK(close_to(q.mean_response, c + 0.5, 1e-12));
}

/* Published values (data/SOURCES.md), given to 4 decimals. */
static void t_published(void)
{
	struct queue_erlang q;
	CHECK(queue_erlang_c(123, 1, 132, &q) == 0);
	CHECK(fabs(q.wait_probability - 0.3211) < 0.00005);
	CHECK(fabs(q.erlang_b - 0.0312) < 0.00005);
	CHECK(queue_erlang_c(12345, 1, 12421, &q) == 0);
	CHECK(fabs(q.wait_probability - 0.3812) < 0.00005);
	CHECK(queue_erlang_c(1, 1, 2, &q) == 0);
	CHECK(close_to(q.wait_probability, 1.0 / 3.0, 1e-12)); /* 2 rho^2/(1+rho), rho = 1/2 */
}

/* The recursion route and the direct sum agree everywhere we look. */
static void t_two_routes(void)
{
	struct queue_erlang q;
	int servers[] = {1, 2, 3, 5, 10, 50, 200, 1000};
	double rhos[] = {0.05, 0.3, 0.5, 0.8, 0.95, 0.99};
	for (size_t i = 0; i < sizeof servers / sizeof *servers; i++)
		for (size_t j = 0; j < sizeof rhos / sizeof *rhos; j++) {
			int c = servers[i];
			CHECK(queue_erlang_c(rhos[j] * c * 3, 3, c, &q) == 0);
			double sum = queue_erlang_c_sum(rhos[j] * c, c);
			CHECK(close_to(q.wait_probability, sum, 1e-9));
		}
}

/* Response quantiles invert the tail: P(R > p99) = 1%. Checked against
 * the M/M/1 exponential and, for c > 1, by the mean of the quantiles. */
static void t_quantiles(void)
{
	struct queue_erlang q;
	CHECK(queue_erlang_c(15, 2, 10, &q) == 0);
	CHECK(q.p50 < q.p90 && q.p90 < q.p99);
	CHECK(q.p50 > 0 && q.p99 > 1.0 / 2);
	/* integrate the quantile function: the mean response */
	double s = 0;
	int n = 20000;
	for (int i = 0; i < n; i++)
		s += queue_response_quantile(&q, (i + 0.5) / n);
	CHECK(close_to(s / n, q.mean_response, 2e-3));
}

static void t_errors(void)
{
	struct queue_erlang q;
	CHECK(queue_erlang_c(10, 10, 1, &q) == QUEUE_EUNSTABLE);
	CHECK(queue_erlang_c(21, 10, 2, &q) == QUEUE_EUNSTABLE);
	CHECK(close_to(q.utilisation, 1.05, 1e-12));
	CHECK(queue_erlang_c(0, 10, 1, &q) == QUEUE_EINPUT);
	CHECK(queue_erlang_c(1, NAN, 1, &q) == QUEUE_EINPUT);
	CHECK(queue_erlang_c(1, 10, 0, &q) == QUEUE_EINPUT);
	CHECK(isnan(queue_erlang_c_sum(3, 3)));
}

/* Deterministic arrivals and service below capacity: nobody waits, the
 * response is the service time, L = rho exactly up to the window's edge. */
static void t_sim_deterministic(void)
{
	struct queue_sim_config c = {.arrival = 5, .service = 10, .servers = 1, .requests = 1000,
				     .seed = 1, .arrival_dist = QUEUE_DETERMINISTIC,
				     .service_dist = QUEUE_DETERMINISTIC};
	struct queue_sim_result r;
	const char *err;
	CHECK(queue_sim_run(&c, &r, &err) == 0);
	CHECK(r.wait_probability == 0);
	CHECK(close_to(r.mean_response, 0.1, 1e-9));
	CHECK(close_to(r.p99, 0.1, 1e-9));
	CHECK(close_to(r.utilisation, 0.5, 1e-3));
	CHECK(close_to(r.mean_in_system, 0.5, 1e-3));
	CHECK(r.little_error < 1e-3);
}

static void t_sim_replays(void)
{
	struct queue_sim_config c = {.arrival = 9, .service = 10, .servers = 1, .requests = 5000,
				     .warmup = 100, .seed = 42};
	struct queue_sim_result a, b;
	const char *err;
	CHECK(queue_sim_run(&c, &a, &err) == 0);
	CHECK(queue_sim_run(&c, &b, &err) == 0);
	CHECK(a.mean_response == b.mean_response && a.p99 == b.p99);
	c.seed = 43;
	CHECK(queue_sim_run(&c, &b, &err) == 0);
	CHECK(a.mean_response != b.mean_response);
	c.requests = 0;
	CHECK(queue_sim_run(&c, &b, &err) == QUEUE_EINPUT);
	CHECK_STR(err, "requests must be between 1 and 5000000");
}

static const struct test tests[] = {
	{"queue/erlang_b_exact", t_erlang_b_exact},
	{"queue/mm1", t_mm1},
	{"queue/mm2", t_mm2},
	{"queue/published", t_published},
	{"queue/two_routes", t_two_routes},
	{"queue/quantiles", t_quantiles},
	{"queue/errors", t_errors},
	{"queue/sim_deterministic", t_sim_deterministic},
	{"queue/sim_replays", t_sim_replays},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
