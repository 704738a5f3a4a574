/*
 * slo.c — burn rates, error budgets and multiwindow alerts (slo.h).
 */
#include <math.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/metrics/metrics.h"
#include "engine/concepts/slo/slo.h"

void slo_generate(double rate, double step, size_t n, double baseline,
		  const struct slo_incident *inc, size_t ninc, double *total, double *bad)
{
	for (size_t i = 0; i < n; i++) {
		double a = (double)i * step, b = a + step, e = baseline;
		for (size_t k = 0; k < ninc; k++) {
			double lo = fmax(a, inc[k].at), hi = fmin(b, inc[k].at + inc[k].duration);
			if (hi > lo)
				e += inc[k].error_rate * (hi - lo) / step;
		}
		total[i] = rate * step;
		bad[i] = total[i] * fmin(e, 1.0);
	}
}

void slo_report_free(struct slo_report *r)
{
	for (size_t k = 0; r->rules && k < r->nrules; k++) {
		budget_free(r->rules[k].firings);
		budget_free(r->rules[k].long_burn);
		budget_free(r->rules[k].short_burn);
	}
	budget_free(r->rules);
	budget_free(r->budget_spent);
	memset(r, 0, sizeof *r);
}

/* Window W in steps; 0 when it is not a positive multiple of STEP. */
static size_t steps_of(double w, double step)
{
	double k = w / step;
	if (!(k >= 1) || fabs(k - round(k)) > 1e-9 || k > 1e9)
		return 0;
	return (size_t)round(k);
}

/* Where a window's requests come from: the requests and failures of the
 * K steps ending at step I (window() returns the requests, *BAD the
 * failures; 0 requests when there are none). */
struct slo_source {
	double (*window)(const struct slo_source *src, size_t i, size_t k, double *bad);
	double step;
	double t0;              /* step i ends at T0 + (i + 1) * STEP */
	/* step counts: prefix sums PT, PB (n + 1 each) */
	const double *pt, *pb;
	/* counters: samples (T, REQ, ERR), M of each */
	const double *t, *req, *err;
	size_t m;
};

/* Step counts: sums over the K steps ending at step I (fewer at the start). */
static double steps_window(const struct slo_source *src, size_t i, size_t k, double *bad)
{
	size_t j = i + 1 > k ? i + 1 - k : 0;
	*bad = src->pb[i + 1] - src->pb[j];
	return src->pt[i + 1] - src->pt[j];
}

/* The index of the first of the M sorted times T after X (M if none). */
static size_t first_after(const double *t, size_t m, double x)
{
	size_t lo = 0, hi = m;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Counters: increase() of both over the window of K steps ending at the
 * end of step I, as PromQL computes it (lab.metrics: left-open window,
 * resets added back, extrapolation); no requests when it is NaN (fewer than
 * two samples in the window). */
static double counters_window(const struct slo_source *src, size_t i, size_t k, double *bad)
{
	double at = src->t0 + (double)(i + 1) * src->step, range = (double)k * src->step;
	/* only the samples in the window go to metrics_increase(), which scans
	 * what it is given: a binary search finds them */
	size_t lo = first_after(src->t, src->m, at - range), hi = first_after(src->t, src->m, at);
	double t = metrics_increase(src->t + lo, src->req + lo, hi - lo, at, range, NULL);
	double b = metrics_increase(src->t + lo, src->err + lo, hi - lo, at, range, NULL);
	if (!(t > 0) || isnan(b)) {
		*bad = 0;
		return 0;
	}
	*bad = b;
	return t;
}

/* Burn over the K steps ending at step I. */
static double burn(const struct slo_source *src, size_t i, size_t k, double allowed)
{
	double b, t = src->window(src, i, k, &b);
	return t > 0 ? (b / t) / allowed : 0;
}

static int add_firing(struct slo_rule_result *rr, size_t *cap, double from)
{
	if (rr->nfirings == *cap) {
		size_t c = *cap ? *cap * 2 : 4;
		struct slo_firing *f = budget_realloc(rr->firings, c * sizeof *f);
		if (!f)
			return -1;
		rr->firings = f;
		*cap = c;
	}
	rr->firings[rr->nfirings++] = (struct slo_firing){from, NAN};
	return 0;
}

/* Evaluates one rule over the windows of SRC. */
static int eval_rule(const struct slo_rule *rule, double step, size_t n,
		     const struct slo_source *src, double allowed, const double *spent,
		     struct slo_rule_result *rr, const char **why)
{
	size_t kl = steps_of(rule->long_window, step), ks = steps_of(rule->short_window, step);
	*why = "windows must be whole multiples of the step";
	if (!kl || !ks)
		return -1;
	*why = "out of memory";
	rr->long_burn = budget_malloc(n * sizeof *rr->long_burn);
	rr->short_burn = budget_malloc(n * sizeof *rr->short_burn);
	if (!rr->long_burn || !rr->short_burn)
		return -1;
	rr->first = NAN;
	rr->budget_at_first = NAN;
	size_t cap = 0;
	double since = NAN; /* when the condition last became true */
	int firing = 0;
	for (size_t i = 0; i < n; i++) {
		if (budget_poll(i)) {
			*why = "stopped";
			return -1;
		}
		double t = src->t0 + (double)(i + 1) * step;
		rr->long_burn[i] = burn(src, i, kl, allowed);
		rr->short_burn[i] = burn(src, i, ks, allowed);
		int cond = rr->long_burn[i] > rule->factor && rr->short_burn[i] > rule->factor;
		if (!cond)
			since = NAN;
		else if (isnan(since))
			since = t;
		int fire = cond && t - since >= rule->pending - 1e-9;
		if (fire && !firing) {
			if (add_firing(rr, &cap, t) != 0)
				return -1;
			if (isnan(rr->first)) {
				rr->first = t;
				rr->budget_at_first = spent[i];
			}
		} else if (!fire && firing) {
			rr->firings[rr->nfirings - 1].to = t;
		}
		firing = fire;
	}
	return 0;
}

/* Allocates R for N steps and NRULES rules; -1 when out of memory. */
static int report_alloc(struct slo_report *r, size_t n, size_t nrules)
{
	r->rules = budget_calloc(nrules ? nrules : 1, sizeof *r->rules);
	r->budget_spent = budget_malloc(n * sizeof *r->budget_spent);
	r->nsteps = n;
	r->nrules = nrules;
	return r->rules && r->budget_spent ? 0 : -1;
}

/* Evaluates every rule over SRC into R (budget_spent already filled). */
static int eval_rules(double slo, double step, size_t n, const struct slo_source *src,
		      const struct slo_rule *rules, size_t nrules, struct slo_report *r,
		      const char **why)
{
	for (size_t k = 0; k < nrules; k++)
		if (eval_rule(&rules[k], step, n, src, 1 - slo, r->budget_spent, &r->rules[k],
			      why) != 0)
			return -1;
	return 0;
}

int slo_evaluate(double slo, double period, double step, const double *total, const double *bad,
		 size_t n, const struct slo_rule *rules, size_t nrules, struct slo_report *r,
		 const char **why)
{
	memset(r, 0, sizeof *r);
	*why = "the SLO must be between 0 and 1 (0.999), the step and period positive";
	if (!(slo > 0 && slo < 1) || !(step > 0) || !(period > 0) || n == 0)
		return -1;
	double *pt = budget_malloc((n + 1) * 2 * sizeof *pt);
	*why = "out of memory";
	int rc = -1;
	if (report_alloc(r, n, nrules) != 0 || !pt)
		goto out;
	double *pb = pt + n + 1;
	pt[0] = pb[0] = 0;
	*why = "counts must be finite, total >= bad >= 0";
	for (size_t i = 0; i < n; i++) {
		if (!(bad[i] >= 0 && total[i] >= bad[i] && isfinite(total[i])))
			goto out;
		pt[i + 1] = pt[i] + total[i];
		pb[i + 1] = pb[i] + bad[i];
	}
	double allowed = 1 - slo;
	r->sli = pt[n] > 0 ? 1 - pb[n] / pt[n] : NAN;
	r->budget_total = allowed * (pt[n] / ((double)n * step)) * period;
	for (size_t i = 0; i < n; i++)
		r->budget_spent[i] = r->budget_total > 0 ? pb[i + 1] / r->budget_total : 0;
	struct slo_source src = {.window = steps_window, .step = step, .pt = pt, .pb = pb};
	if (eval_rules(slo, step, n, &src, rules, nrules, r, why) != 0)
		goto out;
	rc = 0;
out:
	budget_free(pt);
	if (rc != 0)
		slo_report_free(r);
	return rc;
}

/* Whether the counter samples (T, REQ, ERR), M of each, are usable: times
 * finite and increasing, values finite and >= 0. */
static int counters_ok(const double *t, const double *req, const double *err, size_t m)
{
	for (size_t i = 0; i < m; i++) {
		if (!isfinite(t[i]) || !(req[i] >= 0 && err[i] >= 0) || !isfinite(req[i]) ||
		    !isfinite(err[i]))
			return 0;
		if (i > 0 && !(t[i] > t[i - 1]))
			return 0;
	}
	return 1;
}

int slo_evaluate_counters(double slo, double period, double step, const double *t,
			  const double *req, const double *err, size_t m,
			  const struct slo_rule *rules, size_t nrules, struct slo_report *r,
			  const char **why)
{
	memset(r, 0, sizeof *r);
	*why = "the SLO must be between 0 and 1 (0.999), the step and period positive";
	if (!(slo > 0 && slo < 1) || !(step > 0) || !(period > 0))
		return -1;
	*why = "counter samples need increasing finite times and finite values >= 0, at least "
	       "two, the first at or after 0";
	if (m < 2 || !counters_ok(t, req, err, m) || t[0] < 0)
		return -1;
	*why = "the samples must cover at least one step, and at most 10^8";
	double t0 = floor(t[0] / step + 1e-9) * step; /* the last multiple of STEP by t[0] */
	double nd = floor((t[m - 1] - t0) / step + 1e-9);
	if (!(nd >= 1) || nd > 1e8)
		return -1;
	size_t n = (size_t)nd;
	*why = "out of memory";
	if (report_alloc(r, n, nrules) != 0) {
		slo_report_free(r);
		return -1;
	}
	double span = t[m - 1] - t[0];
	double all_req = metrics_increase_raw(t, req, m, t[m - 1], span + 1);
	double all_err = metrics_increase_raw(t, err, m, t[m - 1], span + 1);
	r->sli = all_req > 0 ? 1 - all_err / all_req : NAN;
	r->budget_total = span > 0 ? (1 - slo) * (all_req / span) * period : 0;
	for (size_t i = 0; i < n; i++) {
		double at = t0 + (double)(i + 1) * step;
		double spent = metrics_increase_raw(t, err, m, at, at - t[0] + 1);
		r->budget_spent[i] = r->budget_total > 0 && !isnan(spent) ? spent / r->budget_total
									   : 0;
	}
	struct slo_source src = {.window = counters_window, .step = step, .t0 = t0, .t = t,
				 .req = req, .err = err, .m = m};
	if (eval_rules(slo, step, n, &src, rules, nrules, r, why) != 0) {
		slo_report_free(r);
		return -1;
	}
	return 0;
}

void slo_detection(double slo, double period, double e, const struct slo_rule *rule,
		   struct slo_detection *d)
{
	double threshold = rule->factor * (1 - slo);
	d->exhaustion = e > 0 ? period * (1 - slo) / e : INFINITY;
	if (!(e > threshold)) {
		d->detect = d->budget = d->reset = NAN;
		return;
	}
	d->detect = threshold * rule->long_window / e + rule->pending;
	d->budget = e * d->detect / ((1 - slo) * period);
	d->reset = rule->short_window * (1 - threshold / e);
}
