/*
 * metrics.h — the four Prometheus metric types in a registry, the text
 * exposition format written and parsed, and the PromQL arithmetic people
 * get wrong: rate()/increase() with counter resets and extrapolation to the
 * window's edges, and histogram_quantile() over classic buckets. Native
 * (exponential) histogram buckets follow Prometheus's schema: bucket i of
 * schema s covers (2^((i-1)/2^s), 2^(i/2^s)].
 *
 * Sources: Prometheus docs "Exposition formats" (text format details),
 * "Metric types", "Query functions" (rate, increase, histogram_quantile);
 * prometheus/prometheus promql/functions.go extrapolatedRate and
 * promql/quantile.go BucketQuantile (Apache-2.0, read, not copied);
 * Prometheus docs "Native histograms" (schemas, zero bucket).
 *
 * Everything is allocated from the budget (engine/base/budget.h); strings
 * handed in are copied.
 */
#ifndef BACKLAB_METRICS_H
#define BACKLAB_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

enum metrics_type { METRICS_COUNTER, METRICS_GAUGE, METRICS_HISTOGRAM, METRICS_SUMMARY, METRICS_UNTYPED };

extern const char *const metrics_type_names[]; /* "counter" ... "untyped", NULL */

/* One native bucket: KEY is the bucket index, COUNT its observations. */
struct metrics_nbucket {
	int32_t key;
	uint64_t count;
};

/* One series of a family: its labels as they are written between the
 * braces (canonical: names sorted, values escaped; "" for none). */
struct metrics_series {
	char *labels;
	double value;            /* counter, gauge, untyped */
	double sum;              /* histogram, summary */
	uint64_t count;          /* histogram, summary */
	uint64_t *buckets;       /* histogram: per bucket (not cumulative), nbounds + 1 (+Inf last) */
	struct metrics_nbucket *pos, *neg; /* native: sorted by key */
	size_t npos, nneg, cappos, capneg;
	uint64_t zero;           /* native: observations with |v| <= zero_threshold */
	double *obs;             /* summary: every observation (exact quantiles) */
	size_t nobs, capobs;
};

struct metrics_family {
	char *name, *help;
	enum metrics_type type;
	double *bounds;          /* histogram: the finite upper bounds, increasing */
	size_t nbounds;
	int native;              /* histogram: native buckets kept too */
	int schema;              /* native: -4 .. 8 */
	double zero_threshold;   /* native */
	double *quantiles;       /* summary */
	size_t nquantiles;
	struct metrics_series *series;
	size_t nseries, capseries;
};

struct metrics_registry {
	struct metrics_family *fam;
	size_t n, cap;
};

/* An empty registry; metrics_registry_free() releases what it holds. */
void metrics_registry_init(struct metrics_registry *r);
void metrics_registry_free(struct metrics_registry *r);

/*
 * Adds a family. NAME must match [a-zA-Z_:][a-zA-Z0-9_:]* and be new;
 * BOUNDS (histogram) strictly increasing and finite; QUANTILES (summary)
 * in [0, 1]. Copies everything. Returns the family, or NULL with a static
 * message in *WHY (nothing added).
 */
struct metrics_family *metrics_add(struct metrics_registry *r, const char *name, const char *help,
				   enum metrics_type type, const double *bounds, size_t nbounds,
				   const double *quantiles, size_t nq, int native, int schema,
				   double zero_threshold, const char **why);
struct metrics_family *metrics_find(struct metrics_registry *r, const char *name);

/*
 * The canonical label text of N pairs (names sorted, `a="x",b="y"`, values
 * escaped as the text format says) appended to OUT. Refuses an invalid or
 * reserved name ("__" prefix; "le" in a histogram, "quantile" in a summary)
 * or a duplicate: returns -1 with *WHY (static), OUT then unspecified.
 */
int metrics_labels(const char *const *names, const char *const *values, size_t n,
		   enum metrics_type type, struct sbuf *out, const char **why);

/* The series of F with label text LABELS, created (zeroed) when absent.
 * NULL when memory runs out. */
struct metrics_series *metrics_series(struct metrics_family *f, const char *labels);

/*
 * Counter: adds V (>= 0, else -1); gauge: adds V (any sign); set: gauge
 * only. Histogram/summary: observe V (not NaN). Returns 0, or -1 with *WHY.
 */
int metrics_inc(struct metrics_family *f, struct metrics_series *s, double v, const char **why);
int metrics_set(struct metrics_family *f, struct metrics_series *s, double v, const char **why);
int metrics_observe(struct metrics_family *f, struct metrics_series *s, double v, const char **why);

/* The summary quantile Q of S's observations: the nearest rank,
 * the ceil(Q*n)-th smallest (the smallest for Q = 0); NaN when empty. */
double metrics_summary_quantile(struct metrics_series *s, double q);

/* The text exposition format (version 0.0.4) of the registry, appended to
 * OUT: families in the order added, series in the order created. Native
 * buckets have no text form: only a native histogram's classic buckets,
 * _sum and _count are written (as a text scrape of a client does). */
void metrics_expose(const struct metrics_registry *r, struct sbuf *out);

/* Appends the shortest text of V that reads back as V (Go's 'g', -1),
 * with NaN, +Inf, -Inf written as the format says. */
void metrics_format_value(double v, struct sbuf *out);

/* ---- the parser ---- */

enum metrics_event_kind { METRICS_EV_HELP, METRICS_EV_TYPE, METRICS_EV_SAMPLE };

/* What the parser found on one line. Strings are valid during the callback
 * only (they point into the parser's buffers). */
struct metrics_event {
	enum metrics_event_kind kind;
	size_t line;
	const char *name;                 /* the metric name */
	const char *text;                 /* HELP: the docstring, unescaped */
	enum metrics_type type;           /* TYPE; SAMPLE: the family's (untyped if none) */
	const char *family;               /* SAMPLE: the family it belongs to */
	const char *const *lnames, *const *lvalues; /* SAMPLE: labels, unescaped */
	size_t nlabels;
	double value;
	int has_ts;
	int64_t ts;                       /* milliseconds */
};

/* Return 0 to go on, -1 to stop (metrics_parse then returns -1 with
 * *WHY = "stopped"). */
typedef int (*metrics_parse_cb)(void *ctx, const struct metrics_event *ev);

/* A parser: metrics_parser_new() (NULL: no memory), metrics_parser_free().
 * It owns the buffers a parse needs, so that a callback that does not
 * return (a Lua error) leaks nothing once the parser is freed. */
struct metrics_parser;
struct metrics_parser *metrics_parser_new(void);
void metrics_parser_free(struct metrics_parser *ps);

/*
 * Parses TEXT (LEN bytes) as the text exposition format, calling CB for
 * every HELP, TYPE and sample line in order. Returns 0, or -1 with the
 * 1-based *LINE and *COL (bytes) of the error and *WHY (static).
 */
int metrics_parse(struct metrics_parser *ps, const char *text, size_t len, metrics_parse_cb cb,
		  void *ctx, size_t *line, size_t *col, const char **why);

/* ---- PromQL arithmetic ---- */

/*
 * rate()/increase() at time AT over a window RANGE (seconds) of the
 * samples (T[i], V[i]), sorted by time: the samples with AT - RANGE < t <=
 * AT count (Prometheus 3's left-open window). A drop in value is a counter
 * reset: the value before it is added back. The increase between the first
 * and last sample is then extrapolated to the window's edges, by
 * Prometheus's rule (extrapolatedRate in promql/functions.go): to an edge
 * when the gap to it is below 1.1 times the average sample interval, else
 * by half an interval; and never back past where the counter would have
 * been zero. Rate = increase / RANGE. Fewer than 2 samples: NaN.
 * *USED, if not NULL, gets the number of samples in the window.
 */
double metrics_increase(const double *t, const double *v, size_t n, double at, double range,
			size_t *used);
/* The same without extrapolation: what happened between the first and last
 * sample in the window, resets added back (for comparison). */
double metrics_increase_raw(const double *t, const double *v, size_t n, double at, double range);
/* The number of counter resets among the samples in the window. */
size_t metrics_resets(const double *t, const double *v, size_t n, double at, double range);

/*
 * histogram_quantile(Q, buckets) for classic buckets: UPPER[i] the bucket's
 * `le` (one must be +Inf), COUNT[i] its cumulative count, in any order.
 * Prometheus's rules (promql/quantile.go): sort by upper bound, merge equal
 * bounds (their counts added), force the counts monotonic (running max),
 * rank = Q * total, linear interpolation inside the bucket that holds the
 * rank, the lowest bucket starting at 0 unless its bound is <= 0 (then the
 * bound is the answer), a rank in the +Inf bucket answering the highest
 * finite bound. Q < 0: -Inf, Q > 1: +Inf, Q NaN, no +Inf bucket, fewer than
 * two buckets or a zero total: NaN. Returns -1 (memory) or 0 with *OUT.
 */
int metrics_bucket_quantile(double q, const double *upper, const double *count, size_t n,
			    double *out);

/* ---- native (exponential) buckets ---- */

#define METRICS_SCHEMA_MIN (-4)
#define METRICS_SCHEMA_MAX 8
#define METRICS_ZERO_THRESHOLD 2.938735877055719e-39 /* 2^-128, client_golang's default */

/* The index of the native bucket of schema S holding |V| (V != 0,
 * finite): the i with base^(i-1) < |v| <= base^i, base = 2^(2^-S). */
int32_t metrics_native_key(double v, int schema);
/* That bucket's upper bound base^KEY (its lower is base^(KEY-1)). */
double metrics_native_upper(int32_t key, int schema);

/*
 * histogram_quantile(Q) of a native histogram: buckets in order (negative
 * ones from the most negative, the zero bucket, positive), rank = Q *
 * count; inside the bucket that holds the rank, exponential interpolation
 * for a positive or negative bucket (the value is base^(lower index +
 * fraction)), linear in the zero bucket. Edge cases as for classic buckets.
 */
double metrics_native_quantile(const struct metrics_family *f, const struct metrics_series *s,
			       double q);

#endif
