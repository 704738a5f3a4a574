/*
 * Unit tests of engine/concepts/plot*.c.
 *
 * Golden files: each chart type at a fixed width, in UTF-8 and in ASCII, is
 * compared byte for byte with tests/engine/concepts/plot/golden/NAME.txt. They are
 * the specification of what a chart looks like: after a deliberate change,
 * run `UPDATE_GOLDEN=1 build/tests/engine/concepts/test_plot` from the top
 * directory, then read every changed file before committing it.
 *
 * Every chart drawn here also goes through check_lines(): every line ends
 * in '\n', has no trailing space, is valid UTF-8 (pure ASCII in ASCII mode)
 * and is at most the requested width as utf8_width() counts it.
 */
#include "unit.h"
#include "engine/concepts/plot/plot.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/utf8.h"

#include <math.h>

/* ---- helpers ---- */

static char golden_dir[256];

static const char *golden_path(const char *name)
{
	static char path[512];
	if (!golden_dir[0]) { /* beside this file: golden/ */
		snprintf(golden_dir, sizeof golden_dir, "%s", __FILE__);
		char *slash = strrchr(golden_dir, '/');
		if (slash)
			slash[1] = '\0';
		else
			golden_dir[0] = '\0';
		strcat(golden_dir, "golden/");
	}
	snprintf(path, sizeof path, "%s%s.txt", golden_dir, name);
	return path;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(f);
	return sbuf_detach(&sb);
}

/* 1 if GOT matches the golden file NAME (or UPDATE_GOLDEN=1 rewrote it). */
static int golden(const char *name, const char *got)
{
	const char *path = golden_path(name);
	if (getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0) {
		FILE *f = fopen(path, "wb");
		if (!f || fputs(got, f) < 0 || fclose(f) != 0) {
			printf("    cannot write %s\n", path);
			return 0;
		}
		return 1;
	}
	char *want = slurp(path);
	if (!want) {
		printf("    missing %s (UPDATE_GOLDEN=1 writes it)\n", path);
		return 0;
	}
	int ok = strcmp(want, got) == 0;
	if (!ok) { /* show the first line that differs */
		const char *w = want, *g = got;
		int line = 1;
		while (*w && *w == *g) {
			if (*w == '\n')
				line++;
			w++, g++;
		}
		while (w > want && w[-1] != '\n')
			w--, g--;
		printf("    %s differs at line %d:\n      want: %.*s\n      got:  %.*s\n", path, line,
		       (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
	}
	free(want);
	return ok;
}

/* 1 if every line of S is well formed and at most WIDTH columns. */
static int check_lines(const char *s, int width, int utf8)
{
	size_t len = strlen(s);
	if (len > 0 && s[len - 1] != '\n') {
		printf("    output does not end in a newline\n");
		return 0;
	}
	if (!utf8_valid(s, len, NULL)) {
		printf("    output is not valid UTF-8\n");
		return 0;
	}
	int line = 1;
	for (const char *p = s; *p; line++) {
		size_t n = strcspn(p, "\n");
		size_t w = utf8_width(p, n);
		if ((int)w > width || (n > 0 && p[n - 1] == ' ')) {
			printf("    line %d is %zu columns (max %d) or ends in a space: [%.*s]\n", line,
			       w, width, (int)n, p);
			return 0;
		}
		for (size_t i = 0; i < n && !utf8; i++)
			if ((unsigned char)p[i] >= 0x80) {
				printf("    line %d is not ASCII: [%.*s]\n", line, (int)n, p);
				return 0;
			}
		p += n + (p[n] == '\n');
	}
	return 1;
}

/* Seeded samples: a latency-like mix (exponential body, rare slow tail). */
static double *latencies(size_t n, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed);
	double *x = xmalloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = 2 + rng_exponential(&r, 1.0 / 8) + (rng_uniform(&r) < 0.02 ? 80 : 0);
	return x;
}

/* Draws into sb (appending) and checks the lines just drawn. */
#define CHART(call, width, utf8)                                           \
	do {                                                               \
		size_t at_ = sb.len;                                       \
		CHECK_INT((call), PLOT_OK);                                \
		CHECK(check_lines(sbuf_str(&sb) + at_, (width), (utf8)));  \
	} while (0)

/* ---- golden charts ---- */

static const struct plot_bar policies[] = {
	{"lru", 0.61}, {"lfu", 0.66}, {"arc", 0.705}, {"random", 0.42},
	{"clock (second chance, with a long name)", 0.598}, {"fifo", 0.5},
};

static void t_golden_bars(void)
{
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_bars_opts o = {.style = {60, utf8, "hit ratio, Zipf(1.0), 1000 keys"}};
		o.has_max = 1, o.max = 1;
		CHART(plot_bars(&sb, policies, 6, &o), 60, utf8);
		o.style.title = "same, as percentages, width 40";
		o.style.width = 40;
		o.format = "percent";
		CHART(plot_bars(&sb, policies, 6, &o), 40, utf8);
		CHECK(golden(utf8 ? "bars_utf8" : "bars_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

static void t_golden_bars_negative(void)
{
	static const struct plot_bar deltas[] = {
		{"p50", -1.25}, {"p90", 0.5}, {"p99", 3.75}, {"p99.9", NAN}, {"max", 12.0}, {"mean", 0},
	};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_bars_opts o = {.style = {50, utf8, "latency change (ms), max = 5"}};
		o.has_max = 1, o.max = 5;
		o.format = "%+.2f ms";
		CHART(plot_bars(&sb, deltas, 6, &o), 50, utf8);
		CHECK(golden(utf8 ? "bars_negative_utf8" : "bars_negative_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

static void t_golden_histogram(void)
{
	double *x = latencies(20000, 42);
	static const double pcts[] = {50, 99};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_hist_opts o = {.style = {72, utf8, "request latency, 20000 requests"}};
		o.bins = 30, o.pcts = pcts, o.npcts = 2, o.xlabel = "milliseconds";
		CHART(plot_histogram(&sb, x, 20000, &o), 72, utf8);
		CHECK(golden(utf8 ? "hist_vertical_utf8" : "hist_vertical_ascii", sbuf_str(&sb)));
		sbuf_truncate(&sb, 0);
		o.horizontal = 1, o.bins = 12, o.style.width = 64;
		CHART(plot_histogram(&sb, x, 20000, &o), 64, utf8);
		CHECK(golden(utf8 ? "hist_horizontal_utf8" : "hist_horizontal_ascii",
			     sbuf_str(&sb)));
		sbuf_free(&sb);
	}
	free(x);
}

static void t_golden_histogram_log(void)
{
	struct rng r;
	rng_seed(&r, 7);
	size_t n = 20000;
	double *x = xmalloc((n + 3) * sizeof *x);
	for (size_t i = 0; i < n; i++) /* log-normal: a straight bell on a log axis */
		x[i] = exp(rng_normal(&r, 1.0, 1.2));
	x[n] = 0, x[n + 1] = NAN, x[n + 2] = -INFINITY; /* left out, with a note */
	static const double pcts[] = {50, 90, 99, 99.9};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_hist_opts o = {.style = {72, utf8, "log-normal samples, log-spaced bins"}};
		o.log = 1, o.pcts = pcts, o.npcts = 4, o.height = 8;
		CHART(plot_histogram(&sb, x, n + 3, &o), 72, utf8);
		CHECK(golden(utf8 ? "hist_log_utf8" : "hist_log_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
	free(x);
}

static void t_golden_sparkline(void)
{
	double y[200];
	for (int i = 0; i < 200; i++)
		y[i] = 50 + 40 * sin(i / 12.0) + (i % 37 == 0 ? 30 : 0);
	double gaps[] = {1, 2, 3, NAN, 5, 8, 13, INFINITY, 8, 5, 3, 2, 1};
	double flat[] = {7, 7, 7, 7};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_spark_opts o = {.style = {60, utf8, "rps"}};
		CHART(plot_sparkline(&sb, y, 200, &o), 60, utf8); /* averaged into columns */
		CHART(plot_sparkline(&sb, y, 40, &o), 60, utf8);
		o.style.title = "gaps";
		CHART(plot_sparkline(&sb, gaps, 13, &o), 60, utf8);
		o.style.title = "fixed scale 0..20";
		o.lim = (struct plot_lim){1, 0, 20};
		CHART(plot_sparkline(&sb, gaps, 13, &o), 60, utf8);
		o.style.title = "flat";
		o.lim.set = 0;
		CHART(plot_sparkline(&sb, flat, 4, &o), 60, utf8);
		o.style.title = NULL;
		CHART(plot_sparkline(&sb, y, 0, &o), 60, utf8);
		CHECK(golden(utf8 ? "spark_utf8" : "spark_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

/* Hit ratio against cache size for four policies: the chart of module 05. */
static void t_golden_lines(void)
{
	static const double size[] = {10, 30, 100, 300, 1000, 3000, 10000};
	static const double lru[] = {0.08, 0.17, 0.31, 0.46, 0.63, 0.79, 0.93};
	static const double lfu[] = {0.12, 0.22, 0.36, 0.50, 0.66, 0.80, 0.93};
	static const double fifo[] = {0.06, 0.13, 0.26, 0.41, 0.58, 0.76, 0.93};
	static const double arc[] = {0.11, 0.22, 0.37, 0.52, 0.68, 0.82, 0.93};
	struct plot_series s[] = {
		{"lru", size, lru, 7}, {"lfu", size, lfu, 7}, {"fifo", size, fifo, 7}, {"arc", size, arc, 7},
	};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_lines_opts o = {.style = {72, utf8, "hit ratio by cache size (Zipf 0.9, 10^4 keys)"}};
		o.height = 16, o.xlabel = "cache size (entries)", o.ylabel = "hit ratio";
		o.logx = 1, o.ylim = (struct plot_lim){1, 0, 1};
		CHART(plot_lines(&sb, s, 4, &o), 72, utf8);
		CHECK(golden(utf8 ? "lines_utf8" : "lines_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

static void t_golden_lines_dense(void)
{
	double x[300], a[300], b[300];
	for (int i = 0; i < 300; i++) {
		x[i] = i * 0.1;
		a[i] = sin(x[i]) * 100;
		b[i] = i == 150 ? NAN : cos(x[i]) * 60 - 20; /* a gap in the line */
	}
	struct plot_series s[] = {{"sin", x, a, 300}, {"cos", x, b, 300}};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_lines_opts o = {.style = {64, utf8, NULL}};
		o.height = 12;
		CHART(plot_lines(&sb, s, 2, &o), 64, utf8);
		CHECK(golden(utf8 ? "lines_dense_utf8" : "lines_dense_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

static void t_golden_scatter(void)
{
	struct rng r;
	rng_seed(&r, 3);
	double x1[40], y1[40], x2[40], y2[40];
	for (int i = 0; i < 40; i++) {
		x1[i] = rng_uniform(&r) * 1000;
		y1[i] = x1[i] * 0.002 + rng_normal(&r, 0, 0.2);
		x2[i] = rng_uniform(&r) * 1000;
		y2[i] = 3 - x2[i] * 0.001 + rng_normal(&r, 0, 0.2);
	}
	struct plot_series s[] = {{"node a", x1, y1, 40}, {"node b", x2, y2, 40}};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_lines_opts o = {.style = {56, utf8, "queue length against load"}};
		o.height = 10, o.points = 1, o.xlabel = "requests/s";
		CHART(plot_lines(&sb, s, 2, &o), 56, utf8);
		CHECK(golden(utf8 ? "scatter_utf8" : "scatter_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

/* The small cases, all in one golden file per mode: what an edge looks like. */
static void t_golden_edges(void)
{
	double one = 5, same[] = {3, 3, 3, 3}, nan[] = {NAN, INFINITY};
	double huge[] = {1e300, -1e300, 2e300};
	struct plot_bar longb[] = {
		{"a label far longer than the width of the whole chart", 1},
		{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xa9\xe3\x83\x99\xe3\x83\xab"
		 "\xe3\x81\xa7\xe3\x81\x99\xe3\x82\x88", 2}, /* 日本語のラベルですよ: wide glyphs */
		{"tab\there\x01" "bad\xff", 3},
	};
	struct plot_bar bigb[] = {{"a", 1e15}, {"b", 123456789012.5}, {"c", 7}};
	for (int utf8 = 1; utf8 >= 0; utf8--) {
		struct sbuf sb = SBUF_INIT;
		struct plot_style st = {16, utf8, "width 16"};
		struct plot_bars_opts bo = {.style = st};
		CHART(plot_bars(&sb, longb, 3, &bo), 16, utf8);
		bo.style.title = "huge values";
		bo.style.width = 40;
		CHART(plot_bars(&sb, bigb, 3, &bo), 40, utf8);
		bo.style.title = "empty bars";
		CHART(plot_bars(&sb, NULL, 0, &bo), 40, utf8);

		struct plot_hist_opts ho = {.style = {40, utf8, "one sample"}};
		CHART(plot_histogram(&sb, &one, 1, &ho), 40, utf8);
		ho.style.title = "all equal, horizontal";
		ho.horizontal = 1, ho.bins = 4;
		CHART(plot_histogram(&sb, same, 4, &ho), 40, utf8);
		ho.style.title = "only NaN and inf";
		CHART(plot_histogram(&sb, nan, 2, &ho), 40, utf8);
		ho.style.title = "huge values";
		ho.horizontal = 0, ho.height = 4;
		CHART(plot_histogram(&sb, huge, 3, &ho), 40, utf8);

		double px = 2, py = 0.5;
		struct plot_series s1 = {NULL, &px, &py, 1};
		struct plot_lines_opts lo = {.style = {40, utf8, "one point"}};
		lo.height = 4;
		CHART(plot_lines(&sb, &s1, 1, &lo), 40, utf8);
		struct plot_series s0 = {"nothing", NULL, NULL, 0};
		lo.style.title = "no points";
		CHART(plot_lines(&sb, &s0, 1, &lo), 40, utf8);
		struct plot_series s3 = {NULL, NULL, same, 4};
		lo.style.title = "all equal, ylim {4, 6}: outside";
		lo.ylim = (struct plot_lim){1, 4, 6};
		CHART(plot_lines(&sb, &s3, 1, &lo), 40, utf8);
		CHECK(golden(utf8 ? "edges_utf8" : "edges_ascii", sbuf_str(&sb)));
		sbuf_free(&sb);
	}
}

/* ---- behaviour ---- */

static void t_invalid_options(void)
{
	struct sbuf sb = SBUF_INIT;
	double x[] = {1, 2, 3};
	struct plot_bar b[] = {{"a", 1}};
	struct plot_bars_opts bo = {.style = {15, 1, NULL}};
	CHECK_INT(plot_bars(&sb, b, 1, &bo), PLOT_EWIDTH);
	bo.style.width = 1001;
	CHECK_INT(plot_bars(&sb, b, 1, &bo), PLOT_EWIDTH);
	bo.style.width = 40;
	bo.format = "%s";
	CHECK_INT(plot_bars(&sb, b, 1, &bo), PLOT_EFORMAT);
	bo.format = NULL, bo.has_min = bo.has_max = 1, bo.min = 2, bo.max = 1;
	CHECK_INT(plot_bars(&sb, b, 1, &bo), PLOT_ERANGE);

	struct plot_hist_opts ho = {.style = {40, 1, NULL}};
	ho.bins = 501;
	CHECK_INT(plot_histogram(&sb, x, 3, &ho), PLOT_EBINS);
	ho.bins = 0, ho.height = 1;
	CHECK_INT(plot_histogram(&sb, x, 3, &ho), PLOT_EHEIGHT);
	ho.height = 0;
	double bad[] = {0};
	ho.pcts = bad, ho.npcts = 1;
	CHECK_INT(plot_histogram(&sb, x, 3, &ho), PLOT_EPCT);
	ho.npcts = 0, ho.log = 1, ho.range = (struct plot_lim){1, 0, 10};
	CHECK_INT(plot_histogram(&sb, x, 3, &ho), PLOT_ERANGE);

	struct plot_series s[PLOT_MAX_SERIES + 1];
	memset(s, 0, sizeof s);
	struct plot_lines_opts lo = {.style = {40, 1, NULL}};
	CHECK_INT(plot_lines(&sb, s, PLOT_MAX_SERIES + 1, &lo), PLOT_ESERIES);
	lo.xlim = (struct plot_lim){1, 3, 3};
	CHECK_INT(plot_lines(&sb, s, 1, &lo), PLOT_ERANGE);
	lo.xlim = (struct plot_lim){1, 0, 3}, lo.logx = 1;
	CHECK_INT(plot_lines(&sb, s, 1, &lo), PLOT_ERANGE);
	lo.xlim.set = 0, lo.height = 201;
	CHECK_INT(plot_lines(&sb, s, 1, &lo), PLOT_EHEIGHT);

	struct plot_spark_opts so = {.style = {40, 1, NULL}, .lim = {1, 1, 1}};
	CHECK_INT(plot_sparkline(&sb, x, 3, &so), PLOT_ERANGE);
	CHECK_INT(sb.len, 0); /* nothing appended on error */
	for (int e = PLOT_OK; e >= PLOT_ESERIES; e--)
		CHECK(strcmp(plot_strerror(e), "unknown error") != 0);
	CHECK_STR(plot_strerror(-99), "unknown error");
	sbuf_free(&sb);
}

static void t_formats(void)
{
	CHECK(plot_format_valid(NULL));
	CHECK(plot_format_valid("auto"));
	CHECK(plot_format_valid("percent"));
	CHECK(plot_format_valid("%.2f"));
	CHECK(plot_format_valid("%+8.3e ms"));
	CHECK(plot_format_valid("%d req/s, 100%%"));
	CHECK(plot_format_valid("%lf"));
	CHECK(!plot_format_valid("%s"));
	CHECK(!plot_format_valid("%n"));
	CHECK(!plot_format_valid("no conversion"));
	CHECK(!plot_format_valid("%f and %f"));
	CHECK(!plot_format_valid("%*f"));
	CHECK(!plot_format_valid("%100f"));
	CHECK(!plot_format_valid("%Lf"));
	CHECK(!plot_format_valid("%"));
}

static void t_bars_scale(void)
{
	/* width 21, values 4 wide, label 1: 21 - 4 - 1 - 2 = 14 bar columns, so
	 * 0.5 of max 1 is 7 full cells, 2 is cut with an arrow, and 0.01 is
	 * 1.12 eighths of a cell */
	struct plot_bar b[] = {{"a", 0.5}, {"b", 1}, {"c", 2}, {"d", 0.01}};
	struct plot_bars_opts o = {.style = {21, 1, NULL}};
	o.has_max = 1, o.max = 1;
	struct sbuf sb = SBUF_INIT, want = SBUF_INIT;
	CHECK_INT(plot_bars(&sb, b, 4, &o), PLOT_OK);
	sbuf_adds(&want, "a ");
	sbuf_repeat(&want, "\xe2\x96\x88", 7);
	sbuf_adds(&want, "         0.5\nb ");
	sbuf_repeat(&want, "\xe2\x96\x88", 14);
	sbuf_adds(&want, "    1\nc ");
	sbuf_repeat(&want, "\xe2\x96\x88", 13);
	sbuf_adds(&want, "\xe2\x96\xb8    2\nd \xe2\x96\x8f              0.01\n");
	CHECK_STR(sbuf_str(&sb), sbuf_str(&want));
	sbuf_free(&sb);
	sbuf_free(&want);
}

static void t_ticks(void)
{
	double t[32];
	CHECK_INT(plot_ticks(0, 1, 6, 0, t, 32), 6);
	CHECK(t[0] == 0 && t[1] == 0.2 && t[5] == 1);
	CHECK_INT(plot_ticks(0, 1, 5, 0, t, 32), 5);
	CHECK(t[1] == 0.25 && t[2] == 0.5 && t[3] == 0.75);
	CHECK_INT(plot_ticks(-3.7, 12.2, 6, 0, t, 32), 3); /* step 15.9/5 -> 5 */
	CHECK(t[0] == 0 && t[1] == 5 && t[2] == 10);
	CHECK_INT(plot_ticks(0.3, 0.7, 5, 0, t, 32), 5);
	CHECK(t[0] == 0.3 && t[4] == 0.7); /* 0.1 * 3 is exactly 0.3 here */
	CHECK_INT(plot_ticks(1, 1e4, 6, 1, t, 32), 5);
	CHECK(t[0] == 1 && t[1] == 10 && t[4] == 1e4);
	CHECK_INT(plot_ticks(1, 1e12, 5, 1, t, 32), 5);
	CHECK(t[0] == 1 && t[1] == 1e3 && t[4] == 1e12);
	CHECK_INT(plot_ticks(2, 8, 6, 1, t, 32), 2);
	CHECK(t[0] == 2 && t[1] == 5);
	CHECK_INT(plot_ticks(1e6, 2e6, 3, 0, t, 32), 3);
	CHECK(t[0] == 1e6 && t[1] == 1.5e6 && t[2] == 2e6);
	CHECK_INT(plot_ticks(1, 1, 6, 0, t, 32), 0);
	CHECK_INT(plot_ticks(0, 1, 1, 0, t, 32), 0);
	CHECK_INT(plot_ticks(0, 10, 6, 1, t, 32), 0);
	CHECK_INT(plot_ticks(0, NAN, 6, 0, t, 32), 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void t_bins_counts(void)
{
	/* round edges 0, 1, ..., 4: boundary samples go to the bin above, the
	 * maximum to the last (closed) bin */
	double x[] = {0, 0.5, 1, 1, 2.999, 3, 4, NAN};
	struct plot_hist_opts o = {.style = {40, 1, NULL}};
	o.bins = 4;
	struct plot_bins *b;
	CHECK_INT(plot_bins_compute(&b, x, 8, &o), PLOT_OK);
	CHECK(plot_bins_check(b) == 0);
	CHECK_INT(b->nbins, 4);
	CHECK(b->edges[0] == 0 && b->edges[4] == 4);
	CHECK_INT(b->counts[0], 2);
	CHECK_INT(b->counts[1], 2);
	CHECK_INT(b->counts[2], 1);
	CHECK_INT(b->counts[3], 2);
	CHECK_INT(b->nonfinite, 1);
	CHECK(b->min == 0 && b->max == 4 && fabs(b->mean - 12.499 / 7) < 1e-12);
	plot_bins_free(b);

	/* exact bins over a range; what falls outside is counted, not binned */
	double y[] = {-1, 0, 2.5, 5, 7.5, 10, 11};
	o.range = (struct plot_lim){1, 0, 10};
	CHECK_INT(plot_bins_compute(&b, y, 7, &o), PLOT_OK);
	CHECK(plot_bins_check(b) == 0);
	CHECK(b->edges[1] == 2.5 && b->edges[2] == 5 && b->edges[3] == 7.5);
	CHECK_INT(b->below, 1);
	CHECK_INT(b->above, 1);
	CHECK_INT(b->counts[0] + b->counts[1] + b->counts[2] + b->counts[3], 5);
	CHECK_INT(b->counts[3], 2);
	plot_bins_free(b);

	/* log bins: one per decade, samples <= 0 left out */
	double z[] = {1, 5, 10, 99, 100, 1000, 0, -3};
	memset(&o, 0, sizeof o);
	o.bins = 3, o.log = 1;
	CHECK_INT(plot_bins_compute(&b, z, 8, &o), PLOT_OK);
	CHECK(plot_bins_check(b) == 0);
	CHECK_INT(b->nbins, 3);
	CHECK(b->edges[0] == 1 && b->edges[1] == 10 && b->edges[2] == 100 && b->edges[3] == 1000);
	CHECK_INT(b->counts[0], 2);
	CHECK_INT(b->counts[1], 2);
	CHECK_INT(b->counts[2], 2);
	CHECK_INT(b->nonpositive, 2);
	plot_bins_free(b);

	/* nothing to bin */
	memset(&o, 0, sizeof o);
	CHECK_INT(plot_bins_compute(&b, NULL, 0, &o), PLOT_OK);
	CHECK(plot_bins_check(b) == 0 && b->nbins == 0 && isnan(b->min));
	plot_bins_free(b);
}

/* Nearest-rank percentiles against sorting, on random data with ties. */
static void t_bins_percentiles(void)
{
	static const double p[] = {0.1, 1, 25, 50, 90, 99, 99.9, 100};
	struct rng r;
	rng_seed(&r, 11);
	for (int round = 0; round < 60; round++) {
		size_t n = 1 + (size_t)rng_below(&r, round < 30 ? 50 : 5000);
		double *x = xmalloc(n * sizeof *x), *sorted = xmalloc(n * sizeof *x);
		int kind = round % 4;
		for (size_t i = 0; i < n; i++) {
			x[i] = kind == 0   ? rng_uniform(&r)
			       : kind == 1 ? (double)rng_below(&r, 5)          /* many ties */
			       : kind == 2 ? (double)i                         /* sorted */
					   : (double)(n - i);                  /* reversed */
			sorted[i] = x[i];
		}
		qsort(sorted, n, sizeof *sorted, cmp_double);
		struct plot_hist_opts o = {.style = {40, 1, NULL}};
		o.pcts = p, o.npcts = 8;
		struct plot_bins *b;
		CHECK_INT(plot_bins_compute(&b, x, n, &o), PLOT_OK);
		CHECK(plot_bins_check(b) == 0);
		for (int k = 0; k < 8; k++) {
			size_t rank = (size_t)ceil(p[k] / 100 * (double)n - 1e-9);
			rank = rank < 1 ? 1 : rank;
			CHECK(b->pctval[k] == sorted[rank - 1]);
		}
		plot_bins_free(b);
		free(x);
		free(sorted);
	}
	/* textbook case: nearest rank of 5 values */
	double v[] = {15, 20, 35, 40, 50};
	static const double q[] = {5, 30, 40, 50, 100};
	struct plot_hist_opts o = {.style = {40, 1, NULL}};
	o.pcts = q, o.npcts = 5;
	struct plot_bins *b;
	CHECK_INT(plot_bins_compute(&b, v, 5, &o), PLOT_OK);
	CHECK(b->pctval[0] == 15 && b->pctval[1] == 20 && b->pctval[2] == 20);
	CHECK(b->pctval[3] == 35 && b->pctval[4] == 50);
	plot_bins_free(b);
}

/* Random data of every kind through every chart, at random widths: the
 * output is always well formed and never wider than asked. */
static void t_fuzz_widths(void)
{
	struct rng r;
	rng_seed(&r, 2024);
	for (int round = 0; round < 300; round++) {
		int utf8 = (int)rng_below(&r, 2);
		int width = PLOT_MIN_WIDTH + (int)rng_below(&r, round % 3 ? 40 : 200);
		size_t n = (size_t)rng_below(&r, round % 5 ? 60 : 3000);
		double *x = xmalloc((n + 1) * sizeof *x), *y = xmalloc((n + 1) * sizeof *y);
		struct plot_bar *bars = xmalloc((n + 1) * sizeof *bars);
		char labels[8][40];
		for (int i = 0; i < 8; i++) {
			size_t len = (size_t)rng_below(&r, 39);
			for (size_t k = 0; k < len; k++)
				labels[i][k] = (char)('a' + rng_below(&r, 26));
			labels[i][len] = '\0';
		}
		double scale = pow(10, (double)rng_range(&r, -8, 12));
		for (size_t i = 0; i < n; i++) {
			uint64_t k = rng_below(&r, 40);
			x[i] = k == 0 ? NAN : k == 1 ? INFINITY : k == 2 ? 0 : rng_normal(&r, 0, 1) * scale;
			y[i] = k == 3 ? -INFINITY : fabs(rng_exponential(&r, 1)) * scale;
			bars[i] = (struct plot_bar){labels[i % 8], x[i]};
		}
		struct sbuf sb = SBUF_INIT;
		struct plot_style st = {width, utf8, round % 2 ? "a title that may well be too long" : NULL};
		struct plot_bars_opts bo = {.style = st};
		bo.format = round % 3 == 0 ? "percent" : round % 3 == 1 ? "%.3f" : NULL;
		CHART(plot_bars(&sb, bars, n < 20 ? n : 20, &bo), width, utf8);
		static const double pcts[] = {50, 99, 99.99};
		struct plot_hist_opts ho = {.style = st};
		ho.bins = 1 + (int)rng_below(&r, 100);
		ho.log = round % 4 == 1, ho.exact = round % 7 == 2, ho.horizontal = round % 2;
		ho.pcts = pcts, ho.npcts = 3, ho.xlabel = "x";
		CHART(plot_histogram(&sb, round % 4 == 1 ? y : x, n, &ho), width, utf8);
		struct plot_bins *b;
		CHECK_INT(plot_bins_compute(&b, x, n, &ho), PLOT_OK);
		CHECK(plot_bins_check(b) == 0);
		plot_bins_free(b);
		struct plot_spark_opts so = {.style = st};
		CHART(plot_sparkline(&sb, x, n, &so), width, utf8);
		struct plot_series s[2] = {{labels[0], x, y, n}, {NULL, NULL, x, n}};
		struct plot_lines_opts lo = {.style = st};
		lo.height = 2 + (int)rng_below(&r, 20);
		lo.logx = round % 5 == 1, lo.logy = round % 6 == 1, lo.points = round % 2;
		lo.xlabel = "xlabel", lo.ylabel = "ylabel";
		if (round % 4 == 3 && !lo.logy)
			lo.ylim = (struct plot_lim){1, -scale, scale};
		CHART(plot_lines(&sb, s, 2, &lo), width, utf8);
		sbuf_free(&sb);
		free(x);
		free(y);
		free(bars);
	}
}

static const struct test tests[] = {
	{"plot/golden_bars", t_golden_bars},
	{"plot/golden_bars_negative", t_golden_bars_negative},
	{"plot/golden_histogram", t_golden_histogram},
	{"plot/golden_histogram_log", t_golden_histogram_log},
	{"plot/golden_sparkline", t_golden_sparkline},
	{"plot/golden_lines", t_golden_lines},
	{"plot/golden_lines_dense", t_golden_lines_dense},
	{"plot/golden_scatter", t_golden_scatter},
	{"plot/golden_edges", t_golden_edges},
	{"plot/invalid_options", t_invalid_options},
	{"plot/formats", t_formats},
	{"plot/bars_scale", t_bars_scale},
	{"plot/ticks", t_ticks},
	{"plot/bins_counts", t_bins_counts},
	{"plot/bins_percentiles", t_bins_percentiles},
	{"plot/fuzz_widths", t_fuzz_widths},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
