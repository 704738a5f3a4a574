/*
 * bench_ratelimit.c — allow() calls a second for each limiter, and simulated
 * requests a second for the ratesim driver. Medians of 5 runs; reported,
 * never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/concepts/ratelimit/ratelimit.h"
#include "engine/concepts/ratelimit/ratesim.h"

#define CALLS 5000000

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	return t[n / 2];
}

static const char *si(double x, char *buf)
{
	if (x >= 1e6)
		snprintf(buf, 32, "%.2fM", x / 1e6);
	else
		snprintf(buf, 32, "%.1fk", x / 1e3);
	return buf;
}

/* CALLS calls at 20 a second of simulated time against a limit of 10 a
 * second: about half allowed, half denied. */
static double time_allow(enum ratelimit_algorithm a, long *allowed)
{
	struct ratelimit_config c = {.algorithm = a, .rate = 10, .burst = 10, .capacity = 10,
				     .limit = 10, .window = 1};
	struct ratelimit *rl = ratelimit_new(&c, NULL);
	double t0 = seconds();
	long ok = 0;
	for (long i = 0; i < CALLS; i++)
		ok += ratelimit_allow(rl, (double)i * 0.05, 1, NULL);
	double t = seconds() - t0;
	ratelimit_free(rl);
	*allowed = ok;
	return t;
}

int main(void)
{
	char buf[32];
	double t[5];
	printf("ratelimit (C): allow() at twice the limit, %d calls\n", CALLS);
	for (int a = 0; a < RATELIMIT_NALGORITHMS; a++) {
		long ok = 0;
		for (int k = 0; k < 5; k++)
			t[k] = time_allow((enum ratelimit_algorithm)a, &ok);
		printf("  %-44s %10s calls/s  (%.0f%% allowed)\n",
		       ratelimit_algorithm_name((enum ratelimit_algorithm)a),
		       si(CALLS / median(t, 5), buf), 100.0 * (double)ok / CALLS);
	}
	struct ratesim_config c = {
		.limiter = {.algorithm = RATELIMIT_SLIDING_LOG, .limit = 100, .window = 1},
		.pattern = RATESIM_POISSON,
		.rate = 1000,
		.duration = 5000,
		.seed = 1,
		.cost = 1,
		.interval = 1,
		.peak_window = 1,
	};
	uint64_t n = 0;
	for (int k = 0; k < 5; k++) {
		struct ratesim_result r;
		double t0 = seconds();
		ratesim_run(&c, &r, NULL);
		t[k] = seconds() - t0;
		n = r.requests;
		ratesim_result_free(&r);
	}
	printf("  %-44s %10s requests/s\n", "simulate: Poisson into a sliding log",
	       si((double)n / median(t, 5), buf));
	return 0;
}
