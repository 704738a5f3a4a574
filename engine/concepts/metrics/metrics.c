/*
 * metrics.c — the registry, the exposition writer, rate()/increase(),
 * histogram_quantile() and native buckets (metrics.h). The parser is in
 * metrics_parse.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/metrics/metrics.h"

const char *const metrics_type_names[] = {"counter", "gauge", "histogram", "summary", "untyped", NULL};

void metrics_registry_init(struct metrics_registry *r)
{
	memset(r, 0, sizeof *r);
}

static void series_free(struct metrics_series *s)
{
	budget_free(s->labels);
	budget_free(s->buckets);
	budget_free(s->pos);
	budget_free(s->neg);
	budget_free(s->obs);
}

void metrics_registry_free(struct metrics_registry *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct metrics_family *f = &r->fam[i];
		for (size_t j = 0; j < f->nseries; j++)
			series_free(&f->series[j]);
		budget_free(f->series);
		budget_free(f->name);
		budget_free(f->help);
		budget_free(f->bounds);
		budget_free(f->quantiles);
	}
	budget_free(r->fam);
	memset(r, 0, sizeof *r);
}

/* Grows *P (an array of *CAP elements of SIZE bytes) to hold N + 1.
 * Returns -1 (nothing changed) when memory runs out. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 8;
	void *q = budget_realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int name_ok(const char *s, int colon)
{
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++) {
		int c = (unsigned char)*p;
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			    (colon && c == ':');
		if (!alpha && !(p > s && c >= '0' && c <= '9'))
			return 0;
	}
	return 1;
}

struct metrics_family *metrics_find(struct metrics_registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->fam[i].name, name) == 0)
			return &r->fam[i];
	return NULL;
}

static double *dupnums(const double *v, size_t n)
{
	double *d = budget_malloc((n ? n : 1) * sizeof *d);
	if (d && n)
		memcpy(d, v, n * sizeof *d);
	return d;
}

static const char *check_family(struct metrics_registry *r, const char *name, enum metrics_type type,
				const double *bounds, size_t nb, const double *qs, size_t nq,
				int native, int schema)
{
	if (!name_ok(name, 1))
		return "a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*";
	if (metrics_find(r, name))
		return "a metric of that name is already registered";
	for (size_t i = 0; type == METRICS_HISTOGRAM && i < nb; i++)
		if (!isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
			return "bucket bounds must be finite and strictly increasing";
	for (size_t i = 0; type == METRICS_SUMMARY && i < nq; i++)
		if (!(qs[i] >= 0 && qs[i] <= 1))
			return "quantiles must be between 0 and 1";
	if (native && (schema < METRICS_SCHEMA_MIN || schema > METRICS_SCHEMA_MAX))
		return "a native schema must be between -4 and 8";
	return NULL;
}

struct metrics_family *metrics_add(struct metrics_registry *r, const char *name, const char *help,
				   enum metrics_type type, const double *bounds, size_t nbounds,
				   const double *quantiles, size_t nq, int native, int schema,
				   double zero_threshold, const char **why)
{
	*why = check_family(r, name, type, bounds, nbounds, quantiles, nq, native, schema);
	if (*why)
		return NULL;
	*why = "out of memory";
	if (grow((void **)&r->fam, &r->cap, r->n, sizeof *r->fam) != 0)
		return NULL;
	struct metrics_family f = {.type = type, .native = native && type == METRICS_HISTOGRAM,
				   .schema = schema, .zero_threshold = zero_threshold};
	f.name = budget_strdup(name);
	f.help = budget_strdup(help ? help : "");
	if (type == METRICS_HISTOGRAM) {
		f.bounds = dupnums(bounds, nbounds);
		f.nbounds = nbounds;
	}
	if (type == METRICS_SUMMARY) {
		f.quantiles = dupnums(quantiles, nq);
		f.nquantiles = nq;
	}
	if (!f.name || !f.help || (type == METRICS_HISTOGRAM && !f.bounds) ||
	    (type == METRICS_SUMMARY && !f.quantiles)) {
		budget_free(f.name);
		budget_free(f.help);
		budget_free(f.bounds);
		budget_free(f.quantiles);
		return NULL;
	}
	*why = NULL;
	r->fam[r->n] = f;
	return &r->fam[r->n++];
}

/* ---- labels ---- */

static void escape_value(const char *s, struct sbuf *out)
{
	for (; *s; s++) {
		if (*s == '\\')
			sbuf_adds(out, "\\\\");
		else if (*s == '"')
			sbuf_adds(out, "\\\"");
		else if (*s == '\n')
			sbuf_adds(out, "\\n");
		else
			sbuf_addc(out, *s);
	}
}

int metrics_labels(const char *const *names, const char *const *values, size_t n,
		   enum metrics_type type, struct sbuf *out, const char **why)
{
	size_t *ord = budget_malloc((n ? n : 1) * sizeof *ord);
	if (!ord) {
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	for (size_t i = 1; i < n; i++) /* insertion sort: label sets are small */
		for (size_t j = i; j > 0 && strcmp(names[ord[j - 1]], names[ord[j]]) > 0; j--) {
			size_t t = ord[j];
			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	*why = NULL;
	for (size_t k = 0; k < n && !*why; k++) {
		const char *nm = names[ord[k]];
		if (!name_ok(nm, 0))
			*why = "a label name must match [a-zA-Z_][a-zA-Z0-9_]*";
		else if (strncmp(nm, "__", 2) == 0)
			*why = "label names beginning with __ are reserved";
		else if (type == METRICS_HISTOGRAM && strcmp(nm, "le") == 0)
			*why = "'le' is the bucket label of a histogram";
		else if (type == METRICS_SUMMARY && strcmp(nm, "quantile") == 0)
			*why = "'quantile' is the label of a summary's quantiles";
		else if (k > 0 && strcmp(nm, names[ord[k - 1]]) == 0)
			*why = "a label name appears twice";
		if (*why)
			break;
		if (k > 0)
			sbuf_addc(out, ',');
		sbuf_addf(out, "%s=\"", nm);
		escape_value(values[ord[k]], out);
		sbuf_addc(out, '"');
	}
	budget_free(ord);
	return *why ? -1 : 0;
}

struct metrics_series *metrics_series(struct metrics_family *f, const char *labels)
{
	for (size_t i = 0; i < f->nseries; i++)
		if (strcmp(f->series[i].labels, labels) == 0)
			return &f->series[i];
	if (grow((void **)&f->series, &f->capseries, f->nseries, sizeof *f->series) != 0)
		return NULL;
	struct metrics_series s = {0};
	s.labels = budget_strdup(labels);
	if (f->type == METRICS_HISTOGRAM)
		s.buckets = budget_calloc(f->nbounds + 1, sizeof *s.buckets);
	if (!s.labels || (f->type == METRICS_HISTOGRAM && !s.buckets)) {
		series_free(&s);
		return NULL;
	}
	f->series[f->nseries] = s;
	return &f->series[f->nseries++];
}

/* ---- updates ---- */

int metrics_inc(struct metrics_family *f, struct metrics_series *s, double v, const char **why)
{
	if (f->type == METRICS_HISTOGRAM || f->type == METRICS_SUMMARY) {
		*why = "a histogram or summary observes; it has no inc";
		return -1;
	}
	if (f->type == METRICS_COUNTER && !(v >= 0)) {
		*why = "a counter only goes up (inc by a number >= 0)";
		return -1;
	}
	s->value += v;
	return 0;
}

int metrics_set(struct metrics_family *f, struct metrics_series *s, double v, const char **why)
{
	if (f->type != METRICS_GAUGE && f->type != METRICS_UNTYPED) {
		*why = "only a gauge can be set";
		return -1;
	}
	s->value = v;
	return 0;
}

/* Adds one observation to native bucket KEY of the list *B (sorted). */
static int native_add(struct metrics_nbucket **b, size_t *n, size_t *cap, int32_t key)
{
	size_t lo = 0, hi = *n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((*b)[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < *n && (*b)[lo].key == key) {
		(*b)[lo].count++;
		return 0;
	}
	if (grow((void **)b, cap, *n, sizeof **b) != 0)
		return -1;
	memmove(&(*b)[lo + 1], &(*b)[lo], (*n - lo) * sizeof **b);
	(*b)[lo] = (struct metrics_nbucket){key, 1};
	(*n)++;
	return 0;
}

static int observe_native(struct metrics_family *f, struct metrics_series *s, double v)
{
	if (fabs(v) <= f->zero_threshold) {
		s->zero++;
		return 0;
	}
	int32_t key = metrics_native_key(v, f->schema);
	if (v > 0)
		return native_add(&s->pos, &s->npos, &s->cappos, key);
	return native_add(&s->neg, &s->nneg, &s->capneg, key);
}

int metrics_observe(struct metrics_family *f, struct metrics_series *s, double v, const char **why)
{
	*why = "out of memory";
	if (isnan(v)) {
		*why = "an observation cannot be NaN";
		return -1;
	}
	if (f->type == METRICS_HISTOGRAM) {
		size_t i = 0;
		while (i < f->nbounds && v > f->bounds[i]) /* le: v <= bound */
			i++;
		if (f->native && isfinite(v) && observe_native(f, s, v) != 0)
			return -1;
		s->buckets[i]++;
	} else if (f->type == METRICS_SUMMARY) {
		if (grow((void **)&s->obs, &s->capobs, s->nobs, sizeof *s->obs) != 0)
			return -1;
		s->obs[s->nobs++] = v;
	} else {
		*why = "only a histogram or a summary observes";
		return -1;
	}
	s->sum += v;
	s->count++;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double metrics_summary_quantile(struct metrics_series *s, double q)
{
	if (s->nobs == 0)
		return NAN;
	qsort(s->obs, s->nobs, sizeof *s->obs, cmp_double);
	size_t rank = (size_t)ceil(q * (double)s->nobs);
	return s->obs[rank == 0 ? 0 : rank - 1];
}

/* ---- the writer ---- */

void metrics_format_value(double v, struct sbuf *out)
{
	if (isnan(v)) {
		sbuf_adds(out, "NaN");
		return;
	}
	if (isinf(v)) {
		sbuf_adds(out, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sbuf_adds(out, buf);
}

static void help_line(const char *s, struct sbuf *out)
{
	for (; *s; s++) {
		if (*s == '\\')
			sbuf_adds(out, "\\\\");
		else if (*s == '\n')
			sbuf_adds(out, "\\n");
		else
			sbuf_addc(out, *s);
	}
}

/* NAME SUFFIX {LABELS[,EXTRA]} V\n */
static void sample_line(const char *name, const char *suffix, const char *labels, const char *extra,
			double v, struct sbuf *out)
{
	sbuf_addf(out, "%s%s", name, suffix);
	if (*labels || extra) {
		sbuf_addc(out, '{');
		sbuf_adds(out, labels);
		if (extra)
			sbuf_addf(out, "%s%s", *labels ? "," : "", extra);
		sbuf_addc(out, '}');
	}
	sbuf_addc(out, ' ');
	metrics_format_value(v, out);
	sbuf_addc(out, '\n');
}

static void expose_histogram(const struct metrics_family *f, const struct metrics_series *s,
			     struct sbuf *out)
{
	struct sbuf le = SBUF_INIT;
	uint64_t cum = 0;
	for (size_t i = 0; i <= f->nbounds; i++) {
		cum += s->buckets[i];
		sbuf_truncate(&le, 0);
		sbuf_adds(&le, "le=\"");
		metrics_format_value(i < f->nbounds ? f->bounds[i] : INFINITY, &le);
		sbuf_addc(&le, '"');
		sample_line(f->name, "_bucket", s->labels, sbuf_str(&le), (double)cum, out);
	}
	sbuf_free(&le);
	sample_line(f->name, "_sum", s->labels, NULL, s->sum, out);
	sample_line(f->name, "_count", s->labels, NULL, (double)s->count, out);
}

static void expose_summary(const struct metrics_family *f, struct metrics_series *s,
			   struct sbuf *out)
{
	struct sbuf q = SBUF_INIT;
	for (size_t i = 0; i < f->nquantiles; i++) {
		sbuf_truncate(&q, 0);
		sbuf_adds(&q, "quantile=\"");
		metrics_format_value(f->quantiles[i], &q);
		sbuf_addc(&q, '"');
		sample_line(f->name, "", s->labels, sbuf_str(&q), metrics_summary_quantile(s, f->quantiles[i]),
			    out);
	}
	sbuf_free(&q);
	sample_line(f->name, "_sum", s->labels, NULL, s->sum, out);
	sample_line(f->name, "_count", s->labels, NULL, (double)s->count, out);
}

void metrics_expose(const struct metrics_registry *r, struct sbuf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct metrics_family *f = &r->fam[i];
		if (*f->help) {
			sbuf_addf(out, "# HELP %s ", f->name);
			help_line(f->help, out);
			sbuf_addc(out, '\n');
		}
		sbuf_addf(out, "# TYPE %s %s\n", f->name, metrics_type_names[f->type]);
		for (size_t j = 0; j < f->nseries; j++) {
			struct metrics_series *s = &f->series[j];
			if (f->type == METRICS_HISTOGRAM)
				expose_histogram(f, s, out);
			else if (f->type == METRICS_SUMMARY)
				expose_summary(f, s, out);
			else
				sample_line(f->name, "", s->labels, NULL, s->value, out);
		}
	}
}

/* ---- rate() and increase() ---- */

/* The index range [*lo, *hi) of the samples with at - range < t <= at. */
static void window(const double *t, size_t n, double at, double range, size_t *lo, size_t *hi)
{
	size_t a = 0;
	while (a < n && !(t[a] > at - range))
		a++;
	size_t b = a;
	while (b < n && t[b] <= at)
		b++;
	*lo = a;
	*hi = b;
}

/* Last minus first, every drop (a reset) adding back the value before it. */
static double raw_increase(const double *v, size_t lo, size_t hi)
{
	double d = v[hi - 1] - v[lo];
	for (size_t i = lo + 1; i < hi; i++)
		if (v[i] < v[i - 1])
			d += v[i - 1];
	return d;
}

double metrics_increase_raw(const double *t, const double *v, size_t n, double at, double range)
{
	size_t lo, hi;
	window(t, n, at, range, &lo, &hi);
	return hi - lo < 2 ? NAN : raw_increase(v, lo, hi);
}

size_t metrics_resets(const double *t, const double *v, size_t n, double at, double range)
{
	size_t lo, hi, k = 0;
	window(t, n, at, range, &lo, &hi);
	for (size_t i = lo + 1; i < hi; i++)
		k += v[i] < v[i - 1];
	return k;
}

double metrics_increase(const double *t, const double *v, size_t n, double at, double range,
			size_t *used)
{
	size_t lo, hi;
	window(t, n, at, range, &lo, &hi);
	if (used)
		*used = hi - lo;
	if (hi - lo < 2)
		return NAN;
	double result = raw_increase(v, lo, hi);
	double first = t[lo], last = t[hi - 1];
	double to_start = first - (at - range), to_end = at - last;
	double sampled = last - first;
	double avg = sampled / (double)(hi - lo - 1);
	double threshold = avg * 1.1;
	if (to_start >= threshold)
		to_start = avg / 2;
	/* a counter is never negative: do not extrapolate back past zero */
	if (result > 0 && v[lo] >= 0) {
		double to_zero = sampled * (v[lo] / result);
		if (to_zero < to_start)
			to_start = to_zero;
	}
	if (to_end >= threshold)
		to_end = avg / 2;
	return result * (sampled + to_start + to_end) / sampled;
}

/* ---- histogram_quantile over classic buckets ---- */

struct bucket {
	double upper, count;
};

static int cmp_bucket(const void *a, const void *b)
{
	return cmp_double(&((const struct bucket *)a)->upper, &((const struct bucket *)b)->upper);
}

int metrics_bucket_quantile(double q, const double *upper, const double *count, size_t n,
			    double *out)
{
	if (isnan(q) || q < 0 || q > 1) {
		*out = isnan(q) ? NAN : q < 0 ? -INFINITY : INFINITY;
		return 0;
	}
	struct bucket *b = budget_malloc((n ? n : 1) * sizeof *b);
	if (!b)
		return -1;
	for (size_t i = 0; i < n; i++)
		b[i] = (struct bucket){upper[i], count[i]};
	qsort(b, n, sizeof *b, cmp_bucket);
	*out = NAN;
	if (n == 0 || !(isinf(b[n - 1].upper) && b[n - 1].upper > 0))
		goto done;
	size_t m = 0; /* merge equal bounds */
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && b[m - 1].upper == b[i].upper)
			b[m - 1].count += b[i].count;
		else
			b[m++] = b[i];
	}
	for (size_t i = 1; i < m; i++) /* force monotonic */
		if (b[i].count < b[i - 1].count)
			b[i].count = b[i - 1].count;
	if (m < 2 || b[m - 1].count == 0)
		goto done;
	double rank = q * b[m - 1].count;
	size_t k = 0;
	while (k < m - 1 && b[k].count < rank)
		k++;
	if (k == m - 1) {
		*out = b[m - 2].upper;
	} else if (k == 0 && b[0].upper <= 0) {
		*out = b[0].upper;
	} else {
		double start = 0, end = b[k].upper, c = b[k].count;
		if (k > 0) {
			start = b[k - 1].upper;
			c -= b[k - 1].count;
			rank -= b[k - 1].count;
		}
		*out = start + (end - start) * (rank / c);
	}
done:
	budget_free(b);
	return 0;
}

/* ---- native buckets ---- */

int32_t metrics_native_key(double v, int schema)
{
	int exp;
	double frac = frexp(fabs(v), &exp); /* |v| = frac * 2^exp, frac in [0.5, 1) */
	if (schema <= 0) {
		int32_t key = exp;
		if (frac == 0.5)
			key--; /* a power of two is the upper bound of the bucket below */
		int32_t offset = ((int32_t)1 << -schema) - 1;
		return (key + offset) >> -schema;
	}
	/* the 2^schema buckets between 2^(exp-1) and 2^exp: bucket j ends at
	 * frac = 2^(j/2^s - 1); the first bound >= frac is the bucket */
	int32_t per = (int32_t)1 << schema;
	int32_t j = 0;
	while (j < per && metrics_native_upper(j, schema) / 2 < frac)
		j++;
	return (exp - 1) * per + j;
}

double metrics_native_upper(int32_t key, int schema)
{
	/* base^key = 2^(key * 2^-schema), computed as an exact power of two
	 * times a root so that powers of two come out exact */
	if (schema <= 0)
		return ldexp(1.0, key * (1 << -schema));
	int32_t per = (int32_t)1 << schema;
	int32_t whole = key >= 0 ? key / per : -((-key + per - 1) / per);
	int32_t rest = key - whole * per;
	return ldexp(exp2((double)rest / per), whole);
}

static double native_lower(int32_t key, int schema)
{
	return metrics_native_upper(key - 1, schema);
}

double metrics_native_quantile(const struct metrics_family *f, const struct metrics_series *s,
			       double q)
{
	if (isnan(q) || q < 0 || q > 1)
		return isnan(q) ? NAN : q < 0 ? -INFINITY : INFINITY;
	double total = (double)s->zero;
	for (size_t i = 0; i < s->npos; i++)
		total += (double)s->pos[i].count;
	for (size_t i = 0; i < s->nneg; i++)
		total += (double)s->neg[i].count;
	if (total == 0)
		return NAN;
	double rank = q * total, cum = 0;
	/* negative buckets, most negative (largest key) first */
	for (size_t i = s->nneg; i-- > 0;) {
		double c = (double)s->neg[i].count;
		if (cum + c >= rank && c > 0) {
			double frac = (rank - cum) / c;
			double lo = log2(metrics_native_upper(s->neg[i].key, f->schema));
			double hi = log2(native_lower(s->neg[i].key, f->schema));
			return -exp2(lo + (hi - lo) * frac);
		}
		cum += c;
	}
	if (s->zero > 0 && cum + (double)s->zero >= rank) {
		double lo = s->nneg || !s->npos ? -f->zero_threshold : 0;
		double hi = s->npos || !s->nneg ? f->zero_threshold : 0;
		return lo + (hi - lo) * ((rank - cum) / (double)s->zero);
	}
	cum += (double)s->zero;
	for (size_t i = 0; i < s->npos; i++) {
		double c = (double)s->pos[i].count;
		if ((cum + c >= rank && c > 0) || i == s->npos - 1) {
			double frac = c > 0 ? (rank - cum) / c : 1;
			if (frac > 1)
				frac = 1;
			double lo = log2(native_lower(s->pos[i].key, f->schema));
			double hi = log2(metrics_native_upper(s->pos[i].key, f->schema));
			return exp2(lo + (hi - lo) * frac);
		}
		cum += c;
	}
	return NAN;
}
