/*
 * Unit tests of engine/concepts/metrics: every histogram_quantile case of
 * Prometheus's histograms.test (data/prometheus_histogram_quantile.tsv),
 * every HdrHistogram_c expectation (data/hdr_histogram_c_cases.tsv),
 * rate()/increase() worked by hand from extrapolatedRate's rule, native
 * bucket indexes, the exposition writer read back by the parser, and
 * parse errors with their line and column.
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/metrics/hdr.h"
#include "engine/concepts/metrics/metrics.h"

#define DATA "tests/engine/concepts/metrics/data/"

static double parse_num(const char *s)
{
	if (strcmp(s, "+Inf") == 0)
		return INFINITY;
	if (strcmp(s, "-Inf") == 0)
		return -INFINITY;
	if (strcmp(s, "NaN") == 0)
		return NAN;
	const char *slash = strchr(s, '/');
	if (slash)
		return strtod(s, NULL) / strtod(slash + 1, NULL);
	return strtod(s, NULL);
}

static int same(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= 1e-9 * fmax(1, fabs(want));
}

static void t_quantile_vectors(void)
{
	FILE *f = fopen(DATA "prometheus_histogram_quantile.tsv", "r");
	CHECK(f);
	char line[512];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *name = strtok(line, "\t"), *buckets = strtok(NULL, "\t");
		char *q = strtok(NULL, "\t"), *want = strtok(NULL, "\t");
		CHECK(name && buckets && q && want);
		if (!want)
			continue;
		double up[16], cnt[16];
		size_t n = 0;
		for (char *b = strtok(buckets, ","); b && n < 16; b = strtok(NULL, ",")) {
			char *colon = strrchr(b, ':');
			*colon = '\0';
			up[n] = parse_num(b);
			cnt[n++] = strtod(colon + 1, NULL);
		}
		double got;
		CHECK_INT(metrics_bucket_quantile(parse_num(q), up, cnt, n, &got), 0);
		if (!same(got, parse_num(want)))
			printf("    %s q=%s: got %.17g, want %s\n", name, q, got, want);
		CHECK(same(got, parse_num(want)));
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 55);
	CHECK_INT(budget_bytes(), 0);
}

/* The setups of the HDR file: raw, cor, large. */
static void hdr_setup(struct hdr *h, const char *which)
{
	const char *why;
	if (strcmp(which, "large") == 0) {
		CHECK_INT(hdr_init(h, 20000000, 100000000, 5, &why), 0);
		hdr_record(h, 100000000, 1);
		hdr_record(h, 20000000, 1);
		hdr_record(h, 30000000, 1);
		return;
	}
	CHECK_INT(hdr_init(h, 1, 3600LL * 1000 * 1000, 3, &why), 0);
	int cor = strcmp(which, "cor") == 0;
	for (int i = 0; i < 10000; i++)
		CHECK_INT(cor ? hdr_record_corrected(h, 1000, 10000) : hdr_record(h, 1000, 1), 0);
	CHECK_INT(cor ? hdr_record_corrected(h, 100000000, 10000) : hdr_record(h, 100000000, 1), 0);
}

static void t_hdr_vectors(void)
{
	FILE *f = fopen(DATA "hdr_histogram_c_cases.tsv", "r");
	CHECK(f);
	char line[512];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char which[16], query[32], arg[16], want[32], tol[16];
		if (sscanf(line, "%15s %31s %15s %31s %15s", which, query, arg, want, tol) != 5)
			continue;
		struct hdr h;
		hdr_setup(&h, which);
		double w = strtod(want, NULL), got;
		if (strcmp(query, "total_count") == 0)
			got = (double)h.total;
		else if (strcmp(query, "min") == 0)
			got = (double)hdr_min(&h);
		else if (strcmp(query, "max") == 0)
			got = (double)hdr_max(&h);
		else
			got = (double)hdr_value_at_percentile(&h, strtod(arg, NULL));
		int ok;
		if (strcmp(tol, "equivalent") == 0)
			ok = hdr_equivalent(&h, (int64_t)got, (int64_t)w);
		else
			ok = fabs(got - w) <= strtod(tol, NULL) * w;
		if (!ok)
			printf("    %s %s %s: got %.0f, want %s (%s)\n", which, query, arg, got, want, tol);
		CHECK(ok);
		hdr_free(&h);
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 22);
	/* the layout line: hdr_init(1, 3600000000, 3) has 23552 counters */
	struct hdr h;
	const char *why;
	CHECK_INT(hdr_init(&h, 1, 3600000000LL, 3, &why), 0);
	CHECK_INT(h.counts_len, 23552);
	CHECK_INT(h.sub_bucket_count, 2048);
	hdr_free(&h);
	CHECK_INT(hdr_init(&h, 0, 100, 3, &why), -1);
	CHECK_INT(hdr_init(&h, 1, 100, 6, &why), -1);
	CHECK_INT(budget_bytes(), 0);
}

static void t_rate(void)
{
	/* A: 1/s sampled every 15 s; [60s] at 60 holds t = 15..60 (left-open):
	 * raw 45 over 45 s; 15 s to the start < 1.1 * 15: extrapolate to it;
	 * the zero point (45 * 15/45 = 15 s back) is not nearer. 45 * 60/45 */
	double ta[] = {0, 15, 30, 45, 60}, va[] = {0, 15, 30, 45, 60};
	size_t used;
	CHECK(fabs(metrics_increase(ta, va, 5, 60, 60, &used) - 60) < 1e-9);
	CHECK_INT(used, 4);
	/* B: a reset. raw 15 - 10 + 20 = 25 over 45 s; 5 s to the start, 10 s
	 * to the end, both < 16.5: 25 * 60/45 */
	double tb[] = {5, 20, 35, 50}, vb[] = {10, 20, 5, 15};
	CHECK(fabs(metrics_increase(tb, vb, 4, 60, 60, NULL) - 25.0 * 60 / 45) < 1e-9);
	CHECK(fabs(metrics_increase_raw(tb, vb, 4, 60, 60) - 25) < 1e-12);
	CHECK_INT(metrics_resets(tb, vb, 4, 60, 60), 1);
	/* C: the series starts inside the window: 40 s to the start >= 11:
	 * half an interval (5 s) only: 20 * 25/20 */
	double tc[] = {40, 50, 60}, vc[] = {100, 110, 120};
	CHECK(fabs(metrics_increase(tc, vc, 3, 60, 60, NULL) - 25) < 1e-9);
	/* D: the zero point clamps: 30 s to the start -> 7.5 s, but the
	 * counter was 0 only 30 * 1/30 = 1 s before the first sample: 30 * 31/30 */
	double td[] = {30, 45, 60}, vd[] = {1, 16, 31};
	CHECK(fabs(metrics_increase(td, vd, 3, 60, 60, NULL) - 31) < 1e-9);
	/* one sample: NaN */
	CHECK(isnan(metrics_increase(td, vd, 3, 30, 10, NULL)));
}

static void t_native(void)
{
	/* schema 0: buckets (2^(i-1), 2^i]: 1 is in bucket 0, 1.5 and 2 in 1 */
	CHECK_INT(metrics_native_key(1, 0), 0);
	CHECK_INT(metrics_native_key(1.5, 0), 1);
	CHECK_INT(metrics_native_key(2, 0), 1);
	CHECK_INT(metrics_native_key(2.0001, 0), 2);
	CHECK_INT(metrics_native_key(0.75, 0), 0);
	CHECK_INT(metrics_native_key(0.5, 0), -1);
	/* schema 3: 8 buckets per power of two; 2 is the top of bucket 8 */
	CHECK_INT(metrics_native_key(2, 3), 8);
	CHECK_INT(metrics_native_key(1.0001, 3), 1);
	CHECK_INT(metrics_native_key(-3, 3), metrics_native_key(3, 3));
	/* schema -1: buckets (4^(i-1), 4^i] */
	CHECK_INT(metrics_native_key(4, -1), 1);
	CHECK_INT(metrics_native_key(5, -1), 2);
	CHECK_INT(metrics_native_key(16, -1), 2);
	/* every key's value lies in its bounds, for every schema */
	for (int s = METRICS_SCHEMA_MIN; s <= METRICS_SCHEMA_MAX; s++)
		for (double v = 1e-6; v < 1e6; v *= 1.37) {
			int32_t k = metrics_native_key(v, s);
			CHECK(v > metrics_native_upper(k - 1, s) && v <= metrics_native_upper(k, s));
		}
}

struct collect {
	int helps, types, samples;
	double last;
	char family[64];
};

static int collect(void *ctx, const struct metrics_event *ev)
{
	struct collect *c = ctx;
	if (ev->kind == METRICS_EV_HELP)
		c->helps++;
	else if (ev->kind == METRICS_EV_TYPE)
		c->types++;
	else {
		c->samples++;
		c->last = ev->value;
		snprintf(c->family, sizeof c->family, "%s", ev->family);
	}
	return 0;
}

static void t_expose_parse(void)
{
	struct metrics_registry r;
	metrics_registry_init(&r);
	const char *why;
	double bounds[] = {0.1, 0.5};
	CHECK(metrics_add(&r, "req_total", "Requests\nserved \\ total.", METRICS_COUNTER, NULL, 0, NULL, 0,
			  0, 0, 0, &why));
	CHECK(metrics_add(&r, "lat_seconds", "", METRICS_HISTOGRAM, bounds, 2, NULL, 0, 0, 0, 0, &why));
	CHECK(!metrics_add(&r, "req_total", "", METRICS_GAUGE, NULL, 0, NULL, 0, 0, 0, 0, &why));
	CHECK(!metrics_add(&r, "9bad", "", METRICS_GAUGE, NULL, 0, NULL, 0, 0, 0, 0, &why));
	const char *names[] = {"path", "code"}, *values[] = {"/a\"b", "200"};
	struct sbuf lt = SBUF_INIT;
	CHECK_INT(metrics_labels(names, values, 2, METRICS_COUNTER, &lt, &why), 0);
	CHECK_STR(lt.buf, "code=\"200\",path=\"/a\\\"b\"");
	struct metrics_family *c = metrics_find(&r, "req_total"), *h = metrics_find(&r, "lat_seconds");
	struct metrics_series *s = metrics_series(c, lt.buf);
	CHECK_INT(metrics_inc(c, s, 2, &why), 0);
	CHECK_INT(metrics_inc(c, s, -1, &why), -1);
	struct metrics_series *hs = metrics_series(h, "");
	CHECK_INT(metrics_observe(h, hs, 0.1, &why), 0); /* le is inclusive */
	CHECK_INT(metrics_observe(h, hs, 0.3, &why), 0);
	CHECK_INT(metrics_observe(h, hs, 7, &why), 0);
	struct sbuf out = SBUF_INIT;
	metrics_expose(&r, &out);
	CHECK_STR(out.buf, "# HELP req_total Requests\\nserved \\\\ total.\n"
			   "# TYPE req_total counter\n"
			   "req_total{code=\"200\",path=\"/a\\\"b\"} 2\n"
			   "# TYPE lat_seconds histogram\n"
			   "lat_seconds_bucket{le=\"0.1\"} 1\n"
			   "lat_seconds_bucket{le=\"0.5\"} 2\n"
			   "lat_seconds_bucket{le=\"+Inf\"} 3\n"
			   "lat_seconds_sum 7.4\n"
			   "lat_seconds_count 3\n");
	struct metrics_parser *ps = metrics_parser_new();
	struct collect col = {0};
	size_t line, cl;
	CHECK_INT(metrics_parse(ps, out.buf, out.len, collect, &col, &line, &cl, &why), 0);
	CHECK_INT(col.helps, 1);
	CHECK_INT(col.types, 2);
	CHECK_INT(col.samples, 6);
	CHECK_STR(col.family, "lat_seconds");
	CHECK(col.last == 3);
	metrics_parser_free(ps);
	sbuf_free(&out);
	sbuf_free(&lt);
	metrics_registry_free(&r);
	CHECK_INT(budget_bytes(), 0);
}

static void bad(const char *text, size_t want_line, size_t want_col, const char *want_why)
{
	struct metrics_parser *ps = metrics_parser_new();
	struct collect col = {0};
	size_t line = 0, cl = 0;
	const char *why = "";
	CHECK_INT(metrics_parse(ps, text, strlen(text), collect, &col, &line, &cl, &why), -1);
	if (line != want_line || cl != want_col || !strstr(why, want_why))
		printf("    %s -> line %zu col %zu: %s\n", text, line, cl, why);
	CHECK(line == want_line && cl == want_col && strstr(why, want_why));
	metrics_parser_free(ps);
	if (budget_bytes() != 0)
		printf("    leak after %s\n", text);
}

static void t_parse_errors(void)
{
	bad("a 1\nb{x=\"1} 2\n", 2, 10, "no closing quote");
	bad("a{x=\"\\t\"} 1\n", 1, 6, "escape");
	bad("a{x=1} 1\n", 1, 5, "double quotes");
	bad("a one\n", 1, 3, "not a number");
	bad("# TYPE a counter\n# TYPE a gauge\n", 2, 8, "second TYPE");
	bad("a 1\n# TYPE a counter\n", 2, 8, "before the metric's first sample");
	bad("# TYPE a countr\n", 1, 10, "the type must be");
	bad("a 1\nb 2\na 3\n", 3, 1, "not in one group");
	bad("a 1 17 x\n", 1, 8, "nothing may follow");
	bad("a 1 1.5\n", 1, 5, "timestamp");
	bad("{x=\"1\"} 1\n", 1, 1, "metric name");
	bad("a{x=\"1\",x=\"2\"} 1\n", 1, 14, "twice");
	/* what is allowed: comments, blank lines, a trailing comma, NaN, +Inf,
	 * timestamps, blanks and tabs, a histogram's series in its group */
	const char *ok = "# a comment\n\n  a{x=\"1\",} NaN 1700000000000\n"
			 "# TYPE h histogram\nh_bucket{le=\"+Inf\"}\t+Inf\nh_sum -Inf\nh_count 0\n";
	struct metrics_parser *ps = metrics_parser_new();
	struct collect col = {0};
	size_t line, cl;
	const char *why;
	CHECK_INT(metrics_parse(ps, ok, strlen(ok), collect, &col, &line, &cl, &why), 0);
	CHECK_INT(col.samples, 4);
	CHECK_STR(col.family, "h");
	metrics_parser_free(ps);
	CHECK_INT(budget_bytes(), 0);
}

static void t_format(void)
{
	struct sbuf b = SBUF_INIT;
	double v[] = {0.1, 1e-9, 123456789, 1e21, -0.5, 2.5e-5};
	const char *want[] = {"0.1", "1e-09", "123456789", "1e+21", "-0.5", "2.5e-05"};
	for (int i = 0; i < 6; i++) {
		sbuf_truncate(&b, 0);
		metrics_format_value(v[i], &b);
		CHECK_STR(b.buf, want[i]);
	}
	sbuf_free(&b);
}

static const struct test tests[] = {
	{"metrics/quantile_vectors", t_quantile_vectors},
	{"metrics/hdr_vectors", t_hdr_vectors},
	{"metrics/rate", t_rate},
	{"metrics/native", t_native},
	{"metrics/expose_parse", t_expose_parse},
	{"metrics/parse_errors", t_parse_errors},
	{"metrics/format", t_format},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
