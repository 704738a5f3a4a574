/*
 * slo.c — burn rates, error budgets and multiwindow alerts (slo.h).
 */
#include <math.h>
#include <string.h>

#include "engine/base/budget.h"
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

/* Burn over the K steps ending at step I (fewer at the start). */
static double burn(const double *pt, const double *pb, size_t i, size_t k, double allowed)
{
	size_t j = i + 1 > k ? i + 1 - k : 0;
	double t = pt[i + 1] - pt[j], b = pb[i + 1] - pb[j];
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

/* Evaluates one rule over the prefix sums PT, PB. */
static int eval_rule(const struct slo_rule *rule, double step, size_t n, const double *pt,
		     const double *pb, double allowed, const double *spent, struct slo_rule_result *rr,
		     const char **why)
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
		double t = (double)(i + 1) * step;
		rr->long_burn[i] = burn(pt, pb, i, kl, allowed);
		rr->short_burn[i] = burn(pt, pb, i, ks, allowed);
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

int slo_evaluate(double slo, double period, double step, const double *total, const double *bad,
		 size_t n, const struct slo_rule *rules, size_t nrules, struct slo_report *r,
		 const char **why)
{
	memset(r, 0, sizeof *r);
	*why = "the SLO must be between 0 and 1 (0.999), the step and period positive";
	if (!(slo > 0 && slo < 1) || !(step > 0) || !(period > 0) || n == 0)
		return -1;
	double *pt = budget_malloc((n + 1) * 2 * sizeof *pt);
	r->rules = budget_calloc(nrules ? nrules : 1, sizeof *r->rules);
	r->budget_spent = budget_malloc(n * sizeof *r->budget_spent);
	r->nsteps = n;
	r->nrules = nrules;
	*why = "out of memory";
	int rc = -1;
	if (!pt || !r->rules || !r->budget_spent)
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
	for (size_t k = 0; k < nrules; k++)
		if (eval_rule(&rules[k], step, n, pt, pb, allowed, r->budget_spent, &r->rules[k], why) != 0)
			goto out;
	rc = 0;
out:
	budget_free(pt);
	if (rc != 0)
		slo_report_free(r);
	return rc;
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
