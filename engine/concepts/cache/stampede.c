/* stampede.c — a hot key expiring under load; see stampede.h. */
#include "engine/concepts/cache/stampede.h"
#include "engine/base/budget.h"
#include "engine/base/stats.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const strategy_names[] = {"none", "coalesce", "xfetch"};

int stampede_strategy_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, strategy_names[i]) == 0)
			return i;
	return -1;
}

void stampede_result_free(struct stampede_result *r)
{
	budget_free(r->bin_calls);
	budget_free(r->bin_requests);
	budget_free(r->bin_latency);
	budget_free(r->bin_max);
	memset(r, 0, sizeof *r);
}

/* A growable array of doubles. */
struct dvec {
	double *v;
	size_t n, cap;
};

static int dvec_push(struct dvec *a, double x)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? 2 * a->cap : 1024;
		double *v = budget_realloc(a->v, nc * sizeof *v);
		if (!v)
			return -1;
		a->v = v;
		a->cap = nc;
	}
	a->v[a->n++] = x;
	return 0;
}

/*
 * The state of a run. Invariants: calls[head .. n) are the calls in flight,
 * in order of completion (which is the order they were made); `free_at` is a
 * min-heap of the times the workers become free.
 */
struct sim {
	const struct stampede_params *p;
	struct stampede_result *r;
	struct dvec done, took; /* calls: completion time, and time its client waited */
	size_t head;
	double *free_at;        /* workers > 0 */
	double expiry, delta;   /* the cached value: fresh until expiry; last recompute time */
	struct dvec lat;        /* every request's latency */
};

static void sift_down(double *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && h[l] < h[m])
			m = l;
		if (r < n && h[r] < h[m])
			m = r;
		if (m == i)
			return;
		double t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The bin of time T (< duration). */
static size_t bin_of(const struct sim *s, double t)
{
	size_t b = (size_t)(t / s->p->bin);
	return b < s->r->nbins ? b : s->r->nbins - 1;
}

/* A backend call made at time T; returns its completion time, or -1. */
static double call(struct sim *s, double t)
{
	const struct stampede_params *p = s->p;
	double start = t;
	if (p->workers) {
		start = fmax(t, s->free_at[0]);
		s->free_at[0] = start + p->recompute;
		sift_down(s->free_at, p->workers, 0);
	}
	double done = start + p->recompute;
	if (s->done.n > s->head && done < s->done.v[s->done.n - 1])
		return -1; /* cannot happen: completions keep the order of calls */
	if (dvec_push(&s->done, done) < 0 || dvec_push(&s->took, done - t) < 0)
		return -1;
	s->r->calls++;
	s->r->bin_calls[bin_of(s, t)]++;
	if (s->done.n - s->head > s->r->max_inflight)
		s->r->max_inflight = s->done.n - s->head;
	return done;
}

/* Applies the completions due by T: each refreshes the cached value. */
static void complete(struct sim *s, double t)
{
	while (s->head < s->done.n && s->done.v[s->head] <= t) {
		s->expiry = s->done.v[s->head] + s->p->ttl;
		s->delta = s->took.v[s->head];
		s->head++;
	}
}


static int simulate(struct sim *s)
{
	const struct stampede_params *p = s->p;
	struct stampede_result *r = s->r;
	struct rng g, coins; /* arrivals; xfetch's draws (apart, so arrivals never vary) */
	rng_seed(&g, p->seed);
	rng_seed(&coins, p->seed ^ 0x9E3779B97F4A7C15ull);
	s->expiry = p->ttl; /* warm: computed at 0 */
	s->delta = p->recompute;
	double t = 0;
	for (;;) {
		t += rng_exponential(&g, p->rate);
		if (t >= p->duration)
			break;
		if (r->requests == STAMPEDE_MAX_REQUESTS || budget_poll(r->requests))
			return -1;
		complete(s, t);
		double latency = 0;
		if (t < s->expiry) {
			if (p->strategy == STAMPEDE_XFETCH &&
			    t - s->delta * p->beta * log(1.0 - rng_uniform(&coins)) >= s->expiry) {
				double done = call(s, t);
				if (done < 0)
					return -1;
				latency = done - t;
				r->early++;
			} else {
				r->hits++;
			}
		} else if (p->strategy == STAMPEDE_COALESCE && s->head < s->done.n) {
			latency = s->done.v[s->head] - t; /* wait for the call in flight */
			r->waited++;
		} else {
			double done = call(s, t);
			if (done < 0)
				return -1;
			latency = done - t;
		}
		size_t b = bin_of(s, t);
		r->requests++;
		r->bin_requests[b]++;
		r->bin_latency[b] += latency;
		r->bin_max[b] = fmax(r->bin_max[b], latency);
		if (dvec_push(&s->lat, latency) < 0)
			return -1;
	}
	for (size_t b = 0; b < r->nbins; b++)
		if (r->bin_requests[b])
			r->bin_latency[b] /= r->bin_requests[b];
	if (r->requests) {
		double sum = 0;
		for (size_t i = 0; i < s->lat.n; i++)
			sum += s->lat.v[i];
		stats_sort(s->lat.v, s->lat.n);
		r->latency_mean = sum / (double)s->lat.n;
		r->latency_p50 = stats_rank(s->lat.v, s->lat.n, 0.50);
		r->latency_p99 = stats_rank(s->lat.v, s->lat.n, 0.99);
		r->latency_max = s->lat.v[s->lat.n - 1];
	}
	return 0;
}

int stampede_run(const struct stampede_params *p, struct stampede_result *r)
{
	memset(r, 0, sizeof *r);
	if ((unsigned)p->strategy > STAMPEDE_XFETCH || !(p->rate > 0) || !(p->duration > 0) ||
	    !(p->ttl > 0) || !(p->recompute > 0) || !(p->beta > 0) || !(p->bin > 0) ||
	    !isfinite(p->duration) || !isfinite(p->ttl) || !isfinite(p->recompute) ||
	    !isfinite(p->beta) || p->rate * p->duration > STAMPEDE_MAX_REQUESTS / 2 ||
	    p->duration / p->bin > STAMPEDE_MAX_BINS)
		return -1;
	r->nbins = (size_t)ceil(p->duration / p->bin);
	r->bin_calls = budget_calloc(r->nbins, sizeof *r->bin_calls);
	r->bin_requests = budget_calloc(r->nbins, sizeof *r->bin_requests);
	r->bin_latency = budget_calloc(r->nbins, sizeof *r->bin_latency);
	r->bin_max = budget_calloc(r->nbins, sizeof *r->bin_max);
	struct sim s = {p, r, {0}, {0}, 0, NULL, 0, 0, {0}};
	if (p->workers)
		s.free_at = budget_calloc(p->workers, sizeof *s.free_at); /* all free at 0 */
	int rc = -1;
	if (r->bin_calls && r->bin_requests && r->bin_latency && r->bin_max &&
	    (!p->workers || s.free_at))
		rc = simulate(&s);
	budget_free(s.done.v);
	budget_free(s.took.v);
	budget_free(s.lat.v);
	budget_free(s.free_at);
	if (rc < 0)
		stampede_result_free(r);
	return rc;
}
