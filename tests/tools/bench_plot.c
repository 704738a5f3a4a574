/*
 * bench_plot.c — how long charts take to draw, from C (medians of 15 runs).
 *
 *   histogram of 10^5 samples (with p50/p99, vertical and horizontal)
 *   4-series line plot, 1000 points per series (Braille and ASCII)
 *   bars (20 bars), sparkline (10^4 values)
 */
#include "engine/concepts/plot/plot.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 15

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median milliseconds of RUNS calls of FN(ARG). */
static double median_ms(void (*fn)(void *), void *arg)
{
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		double t0 = now();
		fn(arg);
		t[i] = (now() - t0) * 1000;
	}
	qsort(t, RUNS, sizeof *t, cmpd);
	return t[RUNS / 2];
}

static void report(const char *name, double ms)
{
	printf("  %-44s %10.3f ms   %10.0f charts/s\n", name, ms, 1000 / ms);
}

#define N 100000
#define NPTS 1000
static double samples[N];
static double xs[NPTS], ys[4][NPTS];
static int horizontal, utf8 = 1;

static void hist(void *arg)
{
	static const double p[] = {50, 99};
	struct sbuf sb = SBUF_INIT;
	struct plot_hist_opts o = {.style = {72, 1, "latency"}, .pcts = p, .npcts = 2};
	o.horizontal = horizontal;
	if (plot_histogram(&sb, samples, N, &o) != PLOT_OK)
		abort();
	sbuf_free(&sb);
}

static void lines(void *arg)
{
	struct plot_series s[4] = {
		{"lru", xs, ys[0], NPTS}, {"lfu", xs, ys[1], NPTS},
		{"fifo", xs, ys[2], NPTS}, {"arc", xs, ys[3], NPTS},
	};
	struct sbuf sb = SBUF_INIT;
	struct plot_lines_opts o = {.style = {72, utf8, "hit ratio"}, .logx = 1};
	if (plot_lines(&sb, s, 4, &o) != PLOT_OK)
		abort();
	sbuf_free(&sb);
}

static void bars(void *arg)
{
	struct plot_bar b[20];
	for (int i = 0; i < 20; i++)
		b[i] = (struct plot_bar){"policy", ys[0][i * 50]};
	struct sbuf sb = SBUF_INIT;
	struct plot_bars_opts o = {.style = {72, 1, NULL}};
	if (plot_bars(&sb, b, 20, &o) != PLOT_OK)
		abort();
	sbuf_free(&sb);
}

static void spark(void *arg)
{
	struct sbuf sb = SBUF_INIT;
	struct plot_spark_opts o = {.style = {72, 1, NULL}};
	if (plot_sparkline(&sb, samples, 10000, &o) != PLOT_OK)
		abort();
	sbuf_free(&sb);
}

int main(void)
{
	struct rng r;
	rng_seed(&r, 1);
	for (int i = 0; i < N; i++)
		samples[i] = rng_exponential(&r, 0.05) + (rng_uniform(&r) < 0.01 ? 100 : 0);
	for (int i = 0; i < NPTS; i++) {
		xs[i] = pow(10, 1 + 3.0 * i / NPTS);
		for (int k = 0; k < 4; k++)
			ys[k][i] = (1 - exp(-xs[i] / (1000.0 * (k + 1)))) * (0.9 + 0.02 * k);
	}
	printf("lab.plot (C)\n");
	report("histogram, 10^5 samples, p50/p99", median_ms(hist, NULL));
	horizontal = 1;
	report("histogram, 10^5 samples, horizontal", median_ms(hist, NULL));
	report("lines, 4 series x 1000 points, Braille", median_ms(lines, NULL));
	utf8 = 0;
	report("lines, 4 series x 1000 points, ASCII", median_ms(lines, NULL));
	report("bars, 20 bars", median_ms(bars, NULL));
	report("sparkline, 10^4 values", median_ms(spark, NULL));
	return 0;
}
