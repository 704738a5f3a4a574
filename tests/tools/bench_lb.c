/*
 * bench_lb.c — simulated requests per second of the load-balancer simulator,
 * per strategy: 10^6 requests, 4 backends (one slower), Poisson arrivals at
 * 70% load, health checks every second and one backend down for 20 s.
 * Medians of 3 runs.
 */
#include "engine/concepts/lb/lbsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

int main(void)
{
	struct lbsim_backend b[] = {
		{"a", 1, 0, 16, -1, {LB_DIST_EXP, 0.010, 0, 0, 0}},
		{"b", 1, 0, 16, -1, {LB_DIST_EXP, 0.010, 0, 0, 0}},
		{"c", 1, 0, 16, -1, {LB_DIST_BIMODAL, 0.010, 0, 0.1, 0.01}},
		{"d", 1, 0, 16, -1, {LB_DIST_EXP, 0.020, 0, 0, 0}},
	};
	struct lbsim_event ev[] = {{50, 2, 1}, {70, 2, 0}};
	printf("lab.lb simulator in C (10^6 requests, 4 backends, health checks)\n");
	for (int s = LB_RR; s <= LB_CHASH; s++) {
		struct lbsim_config c = {.strategy = (enum lb_strategy)s, .backends = b,
					 .nbackends = 4, .rate = 3000, .requests = 1000000,
					 .seed = 1, .clients = 1000, .events = ev, .nevents = 2,
					 .health_interval = 1, .fall = 3, .rise = 2, .alpha = 0.1,
					 .bucket = 1};
		double t[3];
		for (int k = 0; k < 3; k++) {
			struct lbsim_report r;
			double t0 = now();
			lbsim_run(&c, &r);
			t[k] = now() - t0;
			lbsim_report_free(&r);
		}
		qsort(t, 3, sizeof *t, cmp);
		printf("  %-44s %8.2fM requests/s\n", lb_strategy_name((enum lb_strategy)s),
		       1e6 / t[1] / 1e6);
	}
	return 0;
}
