/* ratesim.c — a rate limiter driven by a stream of arrivals; see ratesim.h. */
#include "engine/concepts/ratelimit/ratesim.h"
#include "engine/base/budget.h"
#include "engine/base/stats.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The arrival stream: next() yields times in non-decreasing order. */
struct arrivals {
	const struct ratesim_config *c;
	struct rng rng;
	uint64_t k;      /* arrivals (constant) or bursts (burst) so far */
	int64_t in_burst; /* requests of the current burst still to come */
	double t;        /* poisson: time of the last arrival */
	double *sorted;  /* trace: sorted copy */
};

/* Sets *T to the next arrival time; returns 0 when there are no more. */
static int next(struct arrivals *a, double *t)
{
	const struct ratesim_config *c = a->c;
	switch (c->pattern) {
	case RATESIM_CONSTANT:
		*t = c->start + (double)a->k / c->rate; /* no drift from repeated adding */
		a->k++;
		return *t < c->duration;
	case RATESIM_POISSON:
		a->t += rng_exponential(&a->rng, c->rate);
		*t = a->t;
		return *t < c->duration;
	case RATESIM_BURST:
		if (a->in_burst == 0) {
			a->in_burst = c->size;
			a->k++;
		}
		a->in_burst--;
		*t = c->start + (double)(a->k - 1) * c->every;
		return *t < c->duration;
	case RATESIM_TRACE:
		if (a->k >= c->ntimes)
			return 0;
		*t = a->sorted[a->k++];
		return 1;
	}
	return 0;
}


/* Checks the arrival parameters; returns NULL or a message. */
static const char *check(const struct ratesim_config *c, double *expected)
{
	if (c->cost < 0)
		return "cost must be a non-negative integer";
	if (!(c->interval > 0 && c->interval <= RATELIMIT_MAX_TIME))
		return "interval must be a positive number of seconds";
	if (!(c->peak_window > 0 && c->peak_window <= RATELIMIT_MAX_TIME))
		return "peak_window must be a positive number of seconds";
	if (c->pattern == RATESIM_TRACE) {
		for (size_t i = 0; i < c->ntimes; i++)
			if (!(c->times[i] >= 0 && c->times[i] <= RATELIMIT_MAX_TIME))
				return "arrival times must be numbers of seconds between 0 and 1e9";
		if (!(c->duration >= 0 && c->duration <= RATELIMIT_MAX_TIME))
			return "duration must be a number of seconds between 0 and 1e9";
		*expected = (double)c->ntimes;
		return NULL;
	}
	if (!(c->duration > 0 && c->duration <= RATELIMIT_MAX_TIME))
		return "duration must be a positive number of seconds, at most 1e9";
	if (!(c->start >= 0 && c->start <= RATELIMIT_MAX_TIME))
		return "start must be a non-negative number of seconds";
	double span = c->duration > c->start ? c->duration - c->start : 0;
	switch (c->pattern) {
	case RATESIM_CONSTANT:
	case RATESIM_POISSON:
		if (!(c->rate > 0 && isfinite(c->rate)))
			return "rate must be a positive number of requests a second";
		*expected = c->rate * span;
		return NULL;
	case RATESIM_BURST:
		if (!(c->every > 0 && isfinite(c->every)))
			return "every must be a positive number of seconds";
		if (c->size < 1)
			return "size must be a positive integer";
		*expected = (double)c->size * ceil(span / c->every);
		return NULL;
	default:
		return "unknown arrival pattern";
	}
}

/*
 * Allowed times (ns) within the last peak_window, oldest first: a growable
 * ring, so memory follows the peak rather than the run. Its capacity is a
 * power of two, so positions wrap with a mask rather than a division.
 */
struct window {
	int64_t *t;
	size_t head, len, cap;
};

static int window_push(struct window *w, int64_t t)
{
	if (w->len == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		int64_t *nt = budget_malloc(cap * sizeof *nt);
		if (!nt)
			return -1;
		for (size_t i = 0; i < w->len; i++)
			nt[i] = w->t[(w->head + i) & (w->cap - 1)];
		budget_free(w->t);
		w->t = nt;
		w->head = 0;
		w->cap = cap;
	}
	w->t[(w->head + w->len++) & (w->cap - 1)] = t;
	return 0;
}

static void window_expire(struct window *w, int64_t before_or_at)
{
	while (w->len > 0 && w->t[w->head] <= before_or_at) {
		w->head = (w->head + 1) & (w->cap - 1);
		w->len--;
	}
}

int ratesim_run(const struct ratesim_config *c, struct ratesim_result *r, const char **err)
{
	memset(r, 0, sizeof *r);
	double expected = 0;
	const char *why = check(c, &expected);
	if (!why && expected > RATESIM_MAX_ARRIVALS)
		why = "too many arrivals (more than 1e9): shorten the duration or lower the rate";
	struct arrivals a = {.c = c, .t = c->start};
	rng_seed(&a.rng, c->seed);
	double end = c->duration;
	if (!why && c->pattern == RATESIM_TRACE) {
		a.sorted = budget_malloc((c->ntimes ? c->ntimes : 1) * sizeof *a.sorted);
		if (!a.sorted) {
			why = "not enough memory";
		} else {
			memcpy(a.sorted, c->times, c->ntimes * sizeof *a.sorted);
			stats_sort(a.sorted, c->ntimes);
			if (c->ntimes && a.sorted[c->ntimes - 1] >= end)
				end = nextafter(a.sorted[c->ntimes - 1], INFINITY);
		}
	}
	double nint = ceil(end / c->interval);
	if (!why && nint > RATESIM_MAX_INTERVALS)
		why = "too many intervals (more than 1e6): make interval longer";
	struct ratelimit *rl = NULL;
	if (!why)
		rl = ratelimit_new(&c->limiter, &why);
	if (!why) {
		r->intervals = nint < 1 ? 1 : (size_t)nint;
		r->interval = c->interval;
		r->allowed_series = budget_calloc(r->intervals, sizeof *r->allowed_series);
		r->denied_series = budget_calloc(r->intervals, sizeof *r->denied_series);
		if (!r->allowed_series || !r->denied_series)
			why = "not enough memory";
	}
	struct window w = {0};
	int64_t span = llround(c->peak_window * 1e9);
	double t, delay_sum = 0;
	int queue = c->limiter.algorithm == RATELIMIT_LEAKY_QUEUE;
	while (!why && next(&a, &t)) {
		if (budget_poll(r->requests)) {
			why = "stopped";
			break;
		}
		struct ratelimit_result res = {0};
		int ok = ratelimit_allow(rl, t, c->cost, queue ? &res : NULL);
		if (ok < 0) {
			why = ratelimit_strerror(ok);
			break;
		}
		size_t i = (size_t)(t / c->interval);
		if (i >= r->intervals)
			i = r->intervals - 1;
		r->requests++;
		if (!ok) {
			r->denied++;
			r->denied_series[i]++;
			continue;
		}
		r->allowed++;
		r->allowed_series[i]++;
		delay_sum += res.delay;
		if (res.delay > r->delay_max)
			r->delay_max = res.delay;
		int64_t ns = llround(t * 1e9);
		window_expire(&w, ns - span);
		if (window_push(&w, ns) < 0) {
			why = "not enough memory";
			break;
		}
		if (w.len > r->peak) {
			r->peak = w.len;
			r->peak_first = (double)w.t[w.head] / 1e9;
			r->peak_last = t;
		}
	}
	budget_free(w.t);
	budget_free(a.sorted);
	ratelimit_free(rl);
	if (why) {
		ratesim_result_free(r);
		if (err)
			*err = why;
		return -1;
	}
	r->delay_mean = r->allowed ? delay_sum / (double)r->allowed : 0;
	return 0;
}

void ratesim_result_free(struct ratesim_result *r)
{
	budget_free(r->allowed_series);
	budget_free(r->denied_series);
	r->allowed_series = r->denied_series = NULL;
	r->intervals = 0;
}
