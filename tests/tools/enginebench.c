/*
 * enginebench.c — in-process timings of the lesson engine on a course:
 *
 *   enginebench DIR
 *
 * catalog load (the scan `list` needs), full parse of every lesson, and
 * rendering every step; medians of repeated runs.
 */
#include "engine/catalog.h"
#include "repl/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define RUNS 11

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	double load[RUNS], parse[RUNS], render[RUNS];
	size_t nles = 0, nsteps = 0, bytes = 0;
	for (int r = 0; r < RUNS; r++) {
		struct catalog c;
		char *err = NULL;
		double t0 = now_ms();
		if (catalog_load(&c, argv[1], &err) != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		double t1 = now_ms();
		for (size_t i = 0; i < c.nles; i++)
			lesson_parse(c.lessons[i]);
		double t2 = now_ms();
		struct render_opts o = {80, true, true};
		nsteps = bytes = 0;
		for (size_t i = 0; i < c.nles; i++) {
			struct lesson *l = c.lessons[i];
			for (size_t k = 0; k < l->nstep; k++) {
				struct sbuf sb = SBUF_INIT;
				render_blocks(&sb, l->steps[k].first, l->steps[k].end, &o);
				bytes += sb.len;
				nsteps++;
				sbuf_free(&sb);
			}
		}
		double t3 = now_ms();
		load[r] = t1 - t0, parse[r] = t2 - t1, render[r] = t3 - t2;
		nles = c.nles;
		catalog_free(&c);
	}
	/* one pathological step: a paragraph of 100,000 words */
	double para[RUNS];
	struct sbuf words = SBUF_INIT;
	sbuf_repeat(&words, "word ", 100000);
	for (int r = 0; r < RUNS; r++) {
		struct render_opts o = {80, true, true};
		struct sbuf sb = SBUF_INIT;
		double t0 = now_ms();
		render_markdown(&sb, words.buf, words.len, &o);
		para[r] = now_ms() - t0;
		sbuf_free(&sb);
	}
	sbuf_free(&words);
	qsort(para, RUNS, sizeof *para, cmp);
	qsort(load, RUNS, sizeof *load, cmp);
	qsort(parse, RUNS, sizeof *parse, cmp);
	qsort(render, RUNS, sizeof *render, cmp);
	printf("  %-44s median %7.2f ms\n", "catalog load (scan) of the course", load[RUNS / 2]);
	printf("  %-44s median %7.2f ms  (%.1f us per lesson)\n", "full parse of every lesson",
	       parse[RUNS / 2], parse[RUNS / 2] * 1000 / (double)nles);
	printf("  %-44s median %7.2f ms  (%.1f us per step, %zu steps)\n", "render every step",
	       render[RUNS / 2], render[RUNS / 2] * 1000 / (double)nsteps, nsteps);
	printf("  %-44s median %7.2f ms\n", "render a paragraph of 100,000 words", para[RUNS / 2]);
	return 0;
}
