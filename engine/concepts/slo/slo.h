/*
 * slo.h — service level objectives over a time series of request counts:
 * SLIs, error budgets, and the multiwindow, multi-burn-rate alerts of the
 * Google SRE Workbook, chapter 5 "Alerting on SLOs" (approach 6).
 *
 *   burn rate over a window = (bad / total in the window) / (1 - SLO)
 *   an alert (long L, short S, factor F) fires at t when the burn rate over
 *   (t - L, t] AND the one over (t - S, t] both exceed F, and that has held
 *   for its pending time (Prometheus's `for:`).
 *
 * The series is a list of steps of STEP seconds; step i (from 0) ends at
 * (i + 1) * STEP and holds TOTAL[i] requests of which BAD[i] failed (counts
 * may be fractional: expected values). Rules are evaluated at the end of
 * every step, as Prometheus evaluates a rule group every interval.
 * Everything is deterministic; allocation from the budget.
 */
#ifndef BACKLAB_SLO_H
#define BACKLAB_SLO_H

#include <stddef.h>

struct slo_rule {
	const char *name;       /* not owned */
	double long_window;     /* seconds, a multiple of the step */
	double short_window;    /* seconds, a multiple of the step */
	double factor;          /* the burn rate both windows must exceed */
	double pending;         /* seconds the condition must hold first (for:) */
};

/* One interval an alert fired: from the evaluation it started firing to
 * the first one it no longer did (TO is NaN if it still fires at the end). */
struct slo_firing {
	double from, to;
};

struct slo_rule_result {
	double first;           /* the first time it fired, NaN if never */
	double budget_at_first; /* fraction of the period's budget spent by then */
	struct slo_firing *firings;
	size_t nfirings;
	double *long_burn, *short_burn; /* per step */
};

struct slo_report {
	size_t nsteps, nrules;
	struct slo_rule_result *rules;
	double *budget_spent;   /* per step: fraction of the period's budget spent so far */
	double sli;             /* good / total over the whole series */
	double budget_total;    /* failed requests the period allows: (1 - SLO) * rate * period */
};

/*
 * Evaluates RULES over the series. The budget is (1 - SLO) times the
 * requests a whole PERIOD would see at the series' mean rate. Returns 0, or
 * -1 with *WHY (static): windows that are not multiples of STEP, bad counts,
 * no memory, or a stop (budget_stop()). slo_report_free() releases R.
 */
int slo_evaluate(double slo, double period, double step, const double *total, const double *bad,
		 size_t n, const struct slo_rule *rules, size_t nrules, struct slo_report *r,
		 const char **why);
void slo_report_free(struct slo_report *r);

/*
 * The same over counters, as Prometheus sees them: cumulative REQ (requests)
 * and ERR (failed requests) sampled at times T (M samples, increasing; a
 * drop is a restart). Rules are evaluated every STEP seconds, at the
 * multiples of STEP after the first sample up to the last (step i ends at
 * T0 + (i + 1) STEP, T0 the last multiple of STEP by T[0]); a window's burn
 * rate is
 * increase(ERR[w]) / increase(REQ[w]) / (1 - SLO) with lab.metrics'
 * increase() (left-open window, resets added back, extrapolation to the
 * window's edges), 0 when the window holds fewer than two samples. The
 * budget spent by a step counts the raw increase of ERR since the first
 * sample. Same return and ownership as slo_evaluate().
 */
int slo_evaluate_counters(double slo, double period, double step, const double *t,
			  const double *req, const double *err, size_t m,
			  const struct slo_rule *rules, size_t nrules, struct slo_report *r,
			  const char **why);

/* One incident in a generated series: from AT for DURATION seconds a
 * fraction ERROR_RATE of requests fail. */
struct slo_incident {
	double at, duration, error_rate;
};

/*
 * Fills TOTAL and BAD (N steps each, allocated by the caller) for a
 * constant RATE of requests per second, a BASELINE error rate and the
 * incidents: a step partly covered by an incident gets that share of its
 * errors. The error rate of a step is capped at 1.
 */
void slo_generate(double rate, double step, size_t n, double baseline,
		  const struct slo_incident *inc, size_t ninc, double *total, double *bad);

/*
 * The workbook's arithmetic for an incident of error rate E that starts
 * from a clean history and lasts: the time the rule first fires (the
 * long window's burn reaches F: t = F (1 - SLO) L / E; NaN when E is not
 * above F (1 - SLO)), the budget spent by then (F L / PERIOD, whatever E),
 * and how long after the incident ends the alert stops (the short window
 * drains: S (1 - F (1 - SLO) / E)).
 */
struct slo_detection {
	double detect, budget, reset, exhaustion;
};
void slo_detection(double slo, double period, double e, const struct slo_rule *rule,
		   struct slo_detection *d);

#endif
