/*
 * qsim.c — the simulated FCFS queue of queue.h.
 *
 * Arrivals are generated in order; each request starts on the server that
 * frees first (a min-heap of the servers' free times), at its arrival or
 * when that server frees, whichever is later. That is exactly first-come
 * first-served with SERVERS servers (Kiefer and Wolfowitz, 1955), without
 * an event list.
 */
#include "engine/concepts/queue/queue.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"
#include "engine/base/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const dist_names[] = {"exponential", "deterministic", "uniform"};

int queue_dist_parse(const char *name)
{
	for (int i = 0; i < QUEUE_NDISTS; i++)
		if (strcmp(name, dist_names[i]) == 0)
			return i;
	return -1;
}

static double draw(struct rng *r, enum queue_dist d, double rate)
{
	switch (d) {
	case QUEUE_DETERMINISTIC:
		return 1.0 / rate;
	case QUEUE_UNIFORM:
		return 2.0 * rng_uniform(r) / rate;
	default:
		return rng_exponential(r, rate);
	}
}

/* The heap of free times: h[0] is the earliest. */
static void heap_down(double *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
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

/* The length of [a, b] inside [lo, hi]. */
static double overlap(double a, double b, double lo, double hi)
{
	if (a < lo)
		a = lo;
	if (b > hi)
		b = hi;
	return b > a ? b - a : 0.0;
}

static const char *check(const struct queue_sim_config *c)
{
	if (!(c->arrival > 0 && c->arrival <= QUEUE_MAX_RATE))
		return "arrival must be a positive rate (requests a second)";
	if (!(c->service > 0 && c->service <= QUEUE_MAX_RATE))
		return "service must be a positive rate (requests a second per server)";
	if (c->servers < 1 || c->servers > QUEUE_MAX_SERVERS)
		return "servers must be between 1 and 100000";
	if (c->requests < 1 || c->requests > QUEUE_MAX_REQUESTS)
		return "requests must be between 1 and 5000000";
	if (c->warmup < 0 || c->warmup > QUEUE_MAX_REQUESTS)
		return "warmup must be between 0 and 5000000";
	if (c->arrival_dist >= QUEUE_NDISTS || c->service_dist >= QUEUE_NDISTS)
		return "unknown distribution";
	return NULL;
}

struct run {
	double *free_at;        /* servers' free times, a heap */
	double *resp, *wait;    /* per measured request */
	double first, last;     /* the window */
	double *arr, *start, *end; /* per measured request: for the time averages */
};

static void run_free(struct run *w)
{
	budget_free(w->free_at);
	budget_free(w->resp);
	budget_free(w->wait);
	budget_free(w->arr);
	budget_free(w->start);
	budget_free(w->end);
}

/* Fills R's time averages from the measured requests and the window; the
 * requests that arrived before the window (warmup) still in the system at
 * its start are counted through WARM_* sums. */
static void averages(const struct queue_sim_config *c, struct run *w, double warm_sys,
		     double warm_queue, double warm_busy, struct queue_sim_result *r)
{
	double sys = warm_sys, queue = warm_queue, busy = warm_busy, waited = 0;
	double sw = 0, sr = 0, T = w->last - w->first;
	for (int64_t i = 0; i < c->requests; i++) {
		sys += overlap(w->arr[i], w->end[i], w->first, w->last);
		queue += overlap(w->arr[i], w->start[i], w->first, w->last);
		busy += overlap(w->start[i], w->end[i], w->first, w->last);
		waited += w->wait[i] > 0;
		sw += w->wait[i];
		sr += w->resp[i];
	}
	double n = (double)c->requests;
	r->requests = c->requests;
	r->duration = T;
	r->mean_wait = sw / n;
	r->mean_response = sr / n;
	r->wait_probability = waited / n;
	if (T > 0) {
		r->arrival_rate = n / T;
		r->mean_in_system = sys / T;
		r->mean_in_queue = queue / T;
		r->utilisation = busy / (c->servers * T);
	}
	r->little_lw = r->arrival_rate * r->mean_response;
	r->little_error = r->little_lw > 0 ? fabs(r->mean_in_system - r->little_lw) / r->little_lw
					   : 0.0;
}

int queue_sim_run(const struct queue_sim_config *c, struct queue_sim_result *r, const char **err)
{
	memset(r, 0, sizeof *r);
	if ((*err = check(c)))
		return QUEUE_EINPUT;
	struct run w = {0};
	size_t n = (size_t)c->requests;
	w.free_at = budget_calloc((size_t)c->servers, sizeof *w.free_at);
	w.resp = budget_malloc(n * sizeof *w.resp);
	w.wait = budget_malloc(n * sizeof *w.wait);
	w.arr = budget_malloc(n * sizeof *w.arr);
	w.start = budget_malloc(n * sizeof *w.start);
	w.end = budget_malloc(n * sizeof *w.end);
	if (!w.free_at || !w.resp || !w.wait || !w.arr || !w.start || !w.end) {
		run_free(&w);
		*err = "not enough memory";
		return -3;
	}
	struct rng ra, rs;
	rng_seed(&ra, c->seed);
	rng_seed(&rs, c->seed ^ 0x9e3779b97f4a7c15ULL);
	double t = 0;
	/* warmup requests: their stays after the window opens are added below */
	double *warm = NULL;
	int64_t nwarm = 0;
	if (c->warmup > 0 && !(warm = budget_malloc((size_t)c->warmup * 3 * sizeof *warm))) {
		run_free(&w);
		*err = "not enough memory";
		return -3;
	}
	int64_t total = c->warmup + c->requests;
	for (int64_t i = 0; i < total; i++) {
		if (budget_poll((unsigned long long)i)) {
			budget_free(warm);
			run_free(&w);
			*err = "stopped";
			return -3;
		}
		t += draw(&ra, c->arrival_dist, c->arrival);
		double s = draw(&rs, c->service_dist, c->service);
		double begin = w.free_at[0] > t ? w.free_at[0] : t;
		double end = begin + s;
		w.free_at[0] = end;
		heap_down(w.free_at, c->servers, 0);
		if (i < c->warmup) {
			warm[3 * nwarm] = t;
			warm[3 * nwarm + 1] = begin;
			warm[3 * nwarm + 2] = end;
			nwarm++;
			continue;
		}
		int64_t k = i - c->warmup;
		w.arr[k] = t;
		w.start[k] = begin;
		w.end[k] = end;
		w.wait[k] = begin - t;
		w.resp[k] = end - t;
	}
	w.first = w.arr[0];
	w.last = w.arr[n - 1];
	double ws = 0, wq = 0, wb = 0;
	for (int64_t i = 0; i < nwarm; i++) {
		ws += overlap(warm[3 * i], warm[3 * i + 2], w.first, w.last);
		wq += overlap(warm[3 * i], warm[3 * i + 1], w.first, w.last);
		wb += overlap(warm[3 * i + 1], warm[3 * i + 2], w.first, w.last);
	}
	budget_free(warm);
	averages(c, &w, ws, wq, wb, r);
	stats_sort(w.resp, n);
	stats_sort(w.wait, n);
	r->p50 = stats_rank(w.resp, n, 0.50);
	r->p90 = stats_rank(w.resp, n, 0.90);
	r->p99 = stats_rank(w.resp, n, 0.99);
	r->p999 = stats_rank(w.resp, n, 0.999);
	r->max = w.resp[n - 1];
	r->wait_p50 = stats_rank(w.wait, n, 0.50);
	r->wait_p99 = stats_rank(w.wait, n, 0.99);
	run_free(&w);
	return 0;
}
