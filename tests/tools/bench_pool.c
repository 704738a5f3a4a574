/*
 * bench_pool.c — simulated requests a second of the pool simulation (open
 * and closed loops, with and without a pool). Medians of 5 runs; reported,
 * never asserted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/concepts/pool/pool.h"

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

static void bench(const char *name, struct pool_config c)
{
	double t[5];
	uint64_t n = 0;
	for (int k = 0; k < 5; k++) {
		double t0 = seconds();
		struct pool *p = pool_new(&c, NULL);
		pool_run(p, INFINITY);
		struct pool_stats st;
		pool_stats(p, &st);
		t[k] = seconds() - t0;
		n = st.state.requests;
		pool_free(p);
	}
	qsort(t, 5, sizeof *t, cmp);
	printf("  %-44s %9.2fM requests/s  (%llu requests)\n", name, (double)n / t[2] / 1e6,
	       (unsigned long long)n);
}

int main(void)
{
	struct pool_config c = {
		.rate = 600,
		.size = 8,
		.timeout = 30,
		.max_waiting = -1,
		.connect = 0.005,
		.cores = 4,
		.service = 0.005,
		.contention = 0.05,
		.duration = 2000,
		.seed = 1,
	};
	printf("pool (C): whole simulations, with latency percentiles\n");
	bench("open, 600/s, pool of 8", c);
	c.size = 64;
	bench("open, 600/s, pool of 64", c);
	c.size = 0;
	c.rate = 300;
	bench("open, 300/s, no pool (connect per request)", c);
	c.rate = 0;
	c.clients = 100;
	c.size = 8;
	c.duration = 1000;
	bench("closed, 100 clients, pool of 8", c);
	return 0;
}
