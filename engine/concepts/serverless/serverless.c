/*
 * serverless.c — the cold-start simulator of serverless.h.
 *
 * Time moves from arrival to arrival. Before each arrival, advance() frees
 * the environments whose request finished (a min-heap of end times) and
 * reclaims those idle for too long. Idle on-demand environments wait in a
 * deque ordered by the time they freed: the back is the most recently
 * freed (reused first), the front the oldest (reclaimed first).
 */
#include "engine/concepts/serverless/serverless.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"
#include "engine/base/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct busy {
	double end;
	int provisioned;
};

struct sim {
	const struct sls_config *c;
	struct sls_result *r;
	double T;                  /* the window */
	struct busy *heap;         /* busy environments by end time */
	size_t nheap;
	double *idle;              /* ring of free times, capacity max_concurrency */
	size_t ihead, nidle;
	int64_t prov_idle;         /* idle provisioned environments */
	int64_t existing;          /* environments alive now */
	double *lat;               /* latency of each served request */
	size_t nlat, caplat;
	double busy_time;          /* busy environment-seconds inside [0, T] */
	size_t next_bucket;        /* first bucket whose end is not yet recorded */
};

static void heap_push(struct sim *s, double end, int provisioned)
{
	size_t i = s->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (s->heap[p].end <= end)
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = (struct busy){end, provisioned};
}

static struct busy heap_pop(struct sim *s)
{
	struct busy top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;
	for (;;) {
		size_t l = 2 * i + 1, m = l;
		if (l >= n)
			break;
		if (l + 1 < n && s->heap[l + 1].end < s->heap[l].end)
			m = l + 1;
		if (s->heap[m].end >= last.end)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n > 0)
		s->heap[i] = last;
	return top;
}

/* Frees the environments done by time T and reclaims the ones idle too long. */
static void advance(struct sim *s, double t)
{
	size_t cap = (size_t)s->c->max_concurrency;
	while (s->nheap > 0 && s->heap[0].end <= t) {
		struct busy b = heap_pop(s);
		if (b.provisioned) {
			s->prov_idle++;
			continue;
		}
		s->idle[(s->ihead + s->nidle) % cap] = b.end;
		s->nidle++;
	}
	while (s->nidle > 0 && s->idle[s->ihead] + s->c->idle_timeout <= t) {
		double gone = s->idle[s->ihead] + s->c->idle_timeout;
		s->ihead = (s->ihead + 1) % cap;
		s->nidle--;
		s->existing--;
		if (gone < s->T) {
			s->r->reclaimed++;
			s->r->env_seconds -= s->T - gone;
		}
	}
}

/* Records the state at the ends of the buckets that close by time T (an
 * arrival at T falls in the next bucket); the last bucket, which ends at
 * the window's end and holds an arrival there, only when FINAL. */
static void record_buckets(struct sim *s, double t, int final)
{
	struct sls_result *r = s->r;
	while (s->next_bucket < r->nbuckets) {
		struct sls_bucket *b = &r->timeline[s->next_bucket];
		double end = b->t + s->c->bucket;
		if (end >= s->T) {
			if (!final)
				return;
			end = s->T;
		}
		if (end > t)
			return;
		advance(s, end);
		b->environments = s->existing;
		b->busy = (int64_t)s->nheap;
		s->next_bucket++;
	}
}

static struct sls_bucket *bucket_of(struct sim *s, double t)
{
	if (!s->r->timeline)
		return NULL;
	size_t k = (size_t)(t / s->c->bucket);
	if (k >= s->r->nbuckets)
		k = s->r->nbuckets - 1;
	return &s->r->timeline[k];
}

static int keep_latency(struct sim *s, double v)
{
	if (s->nlat == s->caplat) {
		size_t cap = s->caplat ? 2 * s->caplat : 1024;
		double *p = budget_realloc(s->lat, cap * sizeof *p);
		if (!p)
			return -1;
		s->lat = p;
		s->caplat = cap;
	}
	s->lat[s->nlat++] = v;
	return 0;
}

/* Busy time of [a, b] inside [0, T]. */
static double inside(double a, double b, double T)
{
	if (b > T)
		b = T;
	return b > a ? b - a : 0.0;
}

/* One request arriving at T, needing WORK seconds. Returns -1 out of memory. */
static int arrive(struct sim *s, double t, double work)
{
	struct sls_result *r = s->r;
	record_buckets(s, t, 0);
	advance(s, t);
	r->requests++;
	struct sls_bucket *b = bucket_of(s, t);
	if (b)
		b->arrivals++;
	double latency = work;
	if (s->prov_idle > 0) {
		s->prov_idle--;
		heap_push(s, t + work, 1);
		r->warm_starts++;
	} else if (s->nidle > 0) {
		s->nidle--;               /* the back: the most recently freed */
		heap_push(s, t + work, 0);
		r->warm_starts++;
	} else if (s->existing < s->c->max_concurrency) {
		latency += s->c->cold_start;
		heap_push(s, t + latency, 0);
		s->existing++;
		r->environments++;
		r->cold_starts++;
		r->env_seconds += s->T - t;
		if (s->existing > r->peak_environments)
			r->peak_environments = s->existing;
		if (b)
			b->cold++;
	} else {
		r->throttled++;
		if (b)
			b->throttled++;
		return 0;
	}
	r->served++;
	s->busy_time += inside(t, t + latency, s->T);
	return keep_latency(s, latency);
}


static const char *check(const struct sls_config *c)
{
	if (!c->arrivals && !(c->rate >= 0 && isfinite(c->rate)))
		return "rate must be a number of requests a second, 0 or more";
	if (!c->arrivals && !(c->seconds > 0 && isfinite(c->seconds)))
		return "seconds must be a positive number";
	if (c->arrivals && c->narrivals == 0)
		return "arrivals must hold at least one time";
	for (size_t i = 0; c->arrivals && i < c->narrivals; i++)
		if (!(c->arrivals[i] >= 0 && isfinite(c->arrivals[i])) ||
		    (i > 0 && c->arrivals[i] < c->arrivals[i - 1]))
			return "arrivals must be times in seconds, 0 or more, in increasing order";
	if (c->narrivals > SLS_MAX_REQUESTS)
		return "arrivals may hold at most 5000000 times";
	for (size_t i = 0; i < c->nsteps; i++)
		if (!(c->steps[i].at >= 0 && isfinite(c->steps[i].at) && c->steps[i].rate >= 0 &&
		      isfinite(c->steps[i].rate)) || (i > 0 && c->steps[i].at <= c->steps[i - 1].at))
			return "steps must be {at = t, rate = r} with t increasing and r 0 or more";
	if (c->arrivals && c->nsteps)
		return "steps change the rate: they do not apply to given arrivals";
	if (!(c->work > 0 && isfinite(c->work)))
		return "work must be a positive number of seconds";
	if (!(c->cold_start >= 0 && isfinite(c->cold_start)))
		return "cold_start must be a number of seconds, 0 or more";
	if (!(c->idle_timeout >= 0))
		return "idle_timeout must be a number of seconds, 0 or more";
	if (c->max_concurrency < 1 || c->max_concurrency > SLS_MAX_ENVS)
		return "max_concurrency must be between 1 and 1000000";
	if (c->provisioned < 0 || c->provisioned > c->max_concurrency)
		return "provisioned must be between 0 and max_concurrency";
	if (!(c->bucket >= 0 && isfinite(c->bucket)))
		return "bucket must be a number of seconds, 0 or more";
	return NULL;
}

static double draw_work(const struct sls_config *c, struct rng *rw)
{
	return c->work_dist == SLS_EXPONENTIAL ? rng_exponential(rw, 1.0 / c->work) : c->work;
}

/* The Poisson arrivals with rate steps, fed to arrive(). */
static int poisson(struct sim *s, struct rng *ra, struct rng *rw, const char **err)
{
	const struct sls_config *c = s->c;
	double t = 0, rate = c->rate;
	size_t k = 0;
	unsigned long long n = 0;
	for (;;) {
		if (budget_poll(n++)) {
			*err = "stopped";
			return -1;
		}
		double cand = rate > 0 ? t + rng_exponential(ra, rate) : INFINITY;
		double step = k < c->nsteps ? c->steps[k].at : INFINITY;
		if (cand >= step && step <= c->seconds) {
			t = step;                 /* memoryless: draw again at the new rate */
			rate = c->steps[k++].rate;
			continue;
		}
		if (cand > c->seconds)
			return 0;
		t = cand;
		if (s->r->requests >= SLS_MAX_REQUESTS) {
			*err = "more than 5000000 requests: lower the rate or the seconds";
			return -1;
		}
		if (arrive(s, t, draw_work(c, rw))) {
			*err = "not enough memory";
			return -1;
		}
	}
}

static int given(struct sim *s, struct rng *rw, const char **err)
{
	for (size_t i = 0; i < s->c->narrivals; i++) {
		if (budget_poll(i)) {
			*err = "stopped";
			return -1;
		}
		if (arrive(s, s->c->arrivals[i], draw_work(s->c, rw))) {
			*err = "not enough memory";
			return -1;
		}
	}
	return 0;
}

static void summarise(struct sim *s)
{
	struct sls_result *r = s->r;
	record_buckets(s, s->T, 1);
	r->window = s->T;
	r->cold_rate = r->served ? (double)r->cold_starts / (double)r->served : 0.0;
	if (s->T > 0) {
		r->mean_busy = s->busy_time / s->T;
		r->arrival_rate = (double)r->served / s->T;
	}
	if (s->nlat == 0)
		return;
	double sum = 0;
	for (size_t i = 0; i < s->nlat; i++)
		sum += s->lat[i];
	r->mean_latency = sum / (double)s->nlat;
	stats_sort(s->lat, s->nlat);
	r->p50 = stats_rank(s->lat, s->nlat, 0.50);
	r->p90 = stats_rank(s->lat, s->nlat, 0.90);
	r->p99 = stats_rank(s->lat, s->nlat, 0.99);
	r->p999 = stats_rank(s->lat, s->nlat, 0.999);
	r->max = s->lat[s->nlat - 1];
}

static int setup(struct sim *s, const struct sls_config *c, struct sls_result *r, const char **err)
{
	s->c = c;
	s->r = r;
	s->T = c->arrivals ? c->arrivals[c->narrivals - 1] : c->seconds;
	size_t cap = (size_t)c->max_concurrency;
	s->heap = budget_malloc(cap * sizeof *s->heap);
	s->idle = budget_malloc(cap * sizeof *s->idle);
	if (c->bucket > 0 && s->T > 0) {
		double nb = ceil(s->T / c->bucket);
		if (nb > SLS_MAX_BUCKETS) {
			*err = "bucket is too small for the window: at most 100000 buckets";
			return -1;
		}
		r->nbuckets = (size_t)nb;
		r->timeline = budget_calloc(r->nbuckets, sizeof *r->timeline);
		for (size_t i = 0; r->timeline && i < r->nbuckets; i++)
			r->timeline[i].t = (double)i * c->bucket;
	}
	if (!s->heap || !s->idle || (r->nbuckets && !r->timeline)) {
		*err = "not enough memory";
		return -1;
	}
	s->prov_idle = c->provisioned;
	s->existing = c->provisioned;
	r->environments = c->provisioned;
	r->peak_environments = c->provisioned;
	r->env_seconds = c->provisioned * s->T;
	return 0;
}

int serverless_run(const struct sls_config *c, struct sls_result *r, const char **err)
{
	memset(r, 0, sizeof *r);
	if ((*err = check(c)))
		return -1;
	struct sim s = {0};
	struct rng ra, rw;
	rng_seed(&ra, c->seed);
	rng_seed(&rw, c->seed ^ 0x9e3779b97f4a7c15ULL);
	int rc = setup(&s, c, r, err);
	if (rc == 0)
		rc = c->arrivals ? given(&s, &rw, err) : poisson(&s, &ra, &rw, err);
	if (rc == 0)
		summarise(&s);
	budget_free(s.heap);
	budget_free(s.idle);
	budget_free(s.lat);
	return rc;
}

void serverless_result_free(struct sls_result *r)
{
	budget_free(r->timeline);
	r->timeline = NULL;
	r->nbuckets = 0;
}
