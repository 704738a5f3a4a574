/*
 * Unit tests of engine/concepts/pipeline: the critical path and slack of a
 * DAG worked by hand, schedules on one and two runners worked by hand,
 * Graham's bounds on random DAGs (critical path and work / m below, work /
 * m + (1 - 1/m) * critical path above), flaky attempts independent of the
 * runners, skipping after a failure, gates, and cycles named.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/pipeline/pipeline.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

/* build(3) -> unit(2), build -> e2e(6), lint(1); deploy(1) gate */
static const size_t n_build[] = {0};
static struct pipe_job demo[] = {
	{"build", 3, 1, 0, 0, NULL, 0},
	{"lint", 1, -1, 0, 0, NULL, 0},
	{"unit", 2, -1, 0, 0, n_build, 1},
	{"e2e", 6, -1, 0, 0, n_build, 1},
	{"deploy", 1, -1, 0, 1, NULL, 0},
};

static struct pipe_config demo_config(size_t workers)
{
	return (struct pipe_config){demo, 5, workers, 0, 0, PIPE_LISTED, 1};
}

static void t_critical_path(void)
{
	struct pipe_config c = demo_config(0);
	char buf[200];
	CHECK(pipe_validate(&c, buf, sizeof buf) == NULL);
	struct pipe_report r;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.critical == 10);                     /* build 3 + e2e 6 + deploy 1 */
	CHECK_INT((int)r.npath, 3);
	CHECK_STR(demo[r.path[0]].name, "build");
	CHECK_STR(demo[r.path[1]].name, "e2e");
	CHECK_STR(demo[r.path[2]].name, "deploy");
	CHECK(r.jobs[2].slack == 4);                 /* unit may end at 9, ends at 5 */
	CHECK(r.jobs[1].slack == 8);                 /* lint may end at 9, ends at 1 */
	CHECK(r.jobs[3].slack == 0 && r.jobs[3].critical);
	CHECK(!r.jobs[2].critical);
	CHECK(r.makespan == 10);                     /* unlimited runners: the critical path */
	CHECK(r.passed && r.first_failed == PIPE_NONE);
	pipe_report_free(&r);
	c.warm = 1;                                  /* build takes 1 */
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.critical == 8);
	pipe_report_free(&r);
	CHECK_INT(budget_bytes(), 0);
}

static void t_by_hand(void)
{
	struct pipe_config c = demo_config(1);       /* one runner: work 13 */
	struct pipe_report r;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.makespan == 13 && r.work == 13);
	CHECK(r.jobs[1].start == 3 && r.jobs[2].start == 4 && r.jobs[3].start == 6);
	CHECK(r.jobs[4].start == 12 && r.jobs[4].ready == 12);
	pipe_report_free(&r);
	/* two runners, listed order: build|lint at 0; lint ends 1, nothing
	 * ready; build ends 3: unit, e2e; unit ends 5, e2e 9; deploy 9..10 */
	c.workers = 2;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.makespan == 10);
	CHECK(r.jobs[3].start == 3 && r.jobs[3].finish == 9 && r.jobs[4].start == 9);
	pipe_report_free(&r);
}

/* Listed order can lose to critical-first: a(1), b(1), c(1) ready at
 * once, d(4) needs c; on two runners listed runs a,b then c,
 * then d: 1 + 1 + 4 = 6; critical-first runs c first: d ends at 5. */
static void t_order(void)
{
	static const size_t n_c[] = {2};
	struct pipe_job jobs[] = {
		{"a", 1, -1, 0, 0, NULL, 0}, {"b", 1, -1, 0, 0, NULL, 0},
		{"c", 1, -1, 0, 0, NULL, 0}, {"d", 4, -1, 0, 0, n_c, 1},
	};
	struct pipe_config c = {jobs, 4, 2, 0, 0, PIPE_LISTED, 1};
	struct pipe_report r;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.makespan == 6);
	pipe_report_free(&r);
	c.order = PIPE_CRITICAL;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(r.makespan == 5);
	CHECK_STR(jobs[r.started[0]].name, "c");
	pipe_report_free(&r);
}

/* A random DAG of N jobs: each needs up to 3 earlier ones. */
static void random_dag(struct rng *g, struct pipe_job *jobs, size_t *needs, char (*names)[8],
		       size_t n)
{
	for (size_t j = 0; j < n; j++) {
		snprintf(names[j], 8, "j%zu", j);
		size_t k = j ? (size_t)rng_below(g, 4) : 0;
		for (size_t i = 0; i < k; i++)
			needs[3 * j + i] = (size_t)rng_below(g, j);
		jobs[j] = (struct pipe_job){names[j], 1 + (double)rng_below(g, 20), -1, 0, 0,
					    needs + 3 * j, k};
	}
}

static void t_graham_bounds(void)
{
	enum { N = 40 };
	struct pipe_job jobs[N];
	size_t needs[3 * N];
	char names[N][8];
	struct rng g;
	rng_seed(&g, 42);
	int runs = 0, ok = 1;
	for (int trial = 0; trial < 300; trial++) {
		random_dag(&g, jobs, needs, names, N);
		for (size_t m = 1; m <= 4; m++)
			for (int order = 0; order < 2; order++) {
				struct pipe_config c = {jobs, N, m, 0, 0, (enum pipe_order)order, 1};
				struct pipe_report r;
				char buf[100];
				CHECK(pipe_validate(&c, buf, sizeof buf) == NULL);
				CHECK_INT(pipe_run(&c, &r), 0);
				double lo = fmax(r.critical, r.work / (double)m);
				double hi = r.work / (double)m + (1 - 1.0 / (double)m) * r.critical;
				if (!(r.makespan >= lo - 1e-9 && r.makespan <= hi + 1e-9)) {
					ok = 0;
					fprintf(stderr, "trial %d m %zu: makespan %g outside [%g, %g]\n",
						trial, m, r.makespan, lo, hi);
				}
				runs++;
				pipe_report_free(&r);
			}
	}
	CHECK(ok);
	CHECK_INT(runs, 2400);
	CHECK_INT(budget_bytes(), 0);
}

static void t_flaky(void)
{
	struct pipe_job jobs[5];
	memcpy(jobs, demo, sizeof jobs);
	jobs[3].flaky = 0.5;                         /* e2e */
	jobs[2].flaky = 0.3;                         /* unit */
	int failed = 0, same = 1;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct pipe_config c = {jobs, 5, 1, 2, 0, PIPE_LISTED, seed};
		struct pipe_report a, b;
		CHECK_INT(pipe_run(&c, &a), 0);
		c.workers = 3;
		c.order = PIPE_CRITICAL;
		CHECK_INT(pipe_run(&c, &b), 0);
		for (size_t j = 0; j < 5; j++)
			same &= a.jobs[j].attempts == b.jobs[j].attempts &&
				a.jobs[j].status == b.jobs[j].status;
		if (!a.passed) {
			failed++;
			CHECK(a.jobs[4].status == PIPE_SKIPPED && a.jobs[4].attempts == 0);
			CHECK(a.jobs[a.first_failed].status == PIPE_FAILED);
			CHECK_INT(a.jobs[a.first_failed].attempts, 3);
		}
		/* the work counts every attempt */
		double w = 0;
		for (size_t j = 0; j < 5; j++)
			w += a.jobs[j].attempts * jobs[j].duration;
		CHECK(fabs(w - a.work) < 1e-9);
		pipe_report_free(&a);
		pipe_report_free(&b);
	}
	CHECK(same);
	/* P(fail) = 1 - (1 - 0.5^3)(1 - 0.3^3) = 0.1487...: 200 runs give 30 */
	CHECK(failed > 12 && failed < 50);
	CHECK_INT(budget_bytes(), 0);
}

static void t_skip_chain(void)
{
	static const size_t n_a[] = {0}, n_b[] = {1};
	struct pipe_job jobs[] = {
		{"a", 2, -1, 0.999, 0, NULL, 0}, {"b", 1, -1, 0, 0, n_a, 1},
		{"c", 1, -1, 0, 0, n_b, 1},      {"free", 5, -1, 0, 0, NULL, 0},
	};
	struct pipe_config c = {jobs, 4, 2, 0, 0, PIPE_LISTED, 9};
	struct pipe_report r;
	CHECK_INT(pipe_run(&c, &r), 0);
	CHECK(!r.passed);
	CHECK(r.jobs[0].status == PIPE_FAILED);
	CHECK(r.jobs[1].status == PIPE_SKIPPED && r.jobs[2].status == PIPE_SKIPPED);
	CHECK(r.jobs[2].ready == 2);                 /* skipped when a failed */
	CHECK(r.jobs[3].status == PIPE_PASSED && r.makespan == 5);
	pipe_report_free(&r);
}

static void t_invalid(void)
{
	static const size_t n_b[] = {1}, n_a[] = {0}, n_self[] = {0}, n_gate[] = {1};
	char buf[200];
	struct pipe_job cyc[] = {{"a", 1, -1, 0, 0, n_b, 1}, {"b", 1, -1, 0, 0, n_a, 1}};
	struct pipe_config c = {cyc, 2, 1, 0, 0, PIPE_LISTED, 1};
	const char *e = pipe_validate(&c, buf, sizeof buf);
	CHECK(e && strcmp(e, "a cycle: b -> a -> b") == 0);
	struct pipe_job self[] = {{"a", 1, -1, 0, 0, n_self, 1}};
	c = (struct pipe_config){self, 1, 1, 0, 0, PIPE_LISTED, 1};
	e = pipe_validate(&c, buf, sizeof buf);
	CHECK(e && strcmp(e, "a cycle: a -> a") == 0);
	struct pipe_job gate[] = {{"a", 1, -1, 0, 0, n_gate, 1}, {"d", 1, -1, 0, 1, NULL, 0}};
	c = (struct pipe_config){gate, 2, 1, 0, 0, PIPE_LISTED, 1};
	e = pipe_validate(&c, buf, sizeof buf);
	CHECK(e && strstr(e, "a gate needs every job"));
	struct pipe_job dup[] = {{"a", 1, -1, 0, 0, NULL, 0}, {"a", 1, -1, 0, 0, NULL, 0}};
	c = (struct pipe_config){dup, 2, 1, 0, 0, PIPE_LISTED, 1};
	e = pipe_validate(&c, buf, sizeof buf);
	CHECK(e && strstr(e, "two jobs are named 'a'"));
	struct pipe_job slow[] = {{"a", 1, 2, 0, 0, NULL, 0}};
	c = (struct pipe_config){slow, 1, 1, 0, 0, PIPE_LISTED, 1};
	CHECK(pipe_validate(&c, buf, sizeof buf) != NULL);
	CHECK_INT(budget_bytes(), 0);
}

static const struct test tests[] = {
	{"pipeline/critical_path", t_critical_path},
	{"pipeline/by_hand", t_by_hand},
	{"pipeline/order", t_order},
	{"pipeline/graham_bounds", t_graham_bounds},
	{"pipeline/flaky", t_flaky},
	{"pipeline/skip_chain", t_skip_chain},
	{"pipeline/invalid", t_invalid},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
