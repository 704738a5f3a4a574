/*
 * rsim.c — the event loop of resilience.h's service graph.
 *
 * Events sit in a min-heap ordered by (time, sequence number), so ties
 * replay in the order they were made. Jobs (a request at a service) and
 * calls (a caller's logical call with its retries) live in pools and are
 * referred to by index and generation: an event for a job or an attempt
 * that has moved on (timed out, crashed, retried) finds another
 * generation and is ignored.
 */
#include "engine/concepts/resilience/rsim.h"
#include "engine/base/budget.h"
#include "engine/base/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- events ---- */

static int ev_less(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int rs_push(struct sim *s, double t, int type, int a, uint32_t gen, int b)
{
	if (s->nev == s->cap_ev) {
		size_t cap = s->cap_ev ? 2 * s->cap_ev : 1024;
		struct ev *e = budget_realloc(s->ev, cap * sizeof *e);
		if (!e)
			return s->failed = "not enough memory", -1;
		s->ev = e;
		s->cap_ev = cap;
	}
	size_t i = s->nev++;
	struct ev x = {.t = t, .seq = s->seq++, .type = type, .a = a, .gen = gen, .b = b};
	while (i > 0 && ev_less(&x, &s->ev[(i - 1) / 2])) {
		s->ev[i] = s->ev[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->ev[i] = x;
	return 0;
}

static struct ev pop(struct sim *s)
{
	struct ev top = s->ev[0], x = s->ev[--s->nev];
	size_t i = 0, n = s->nev;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct ev *best = &x;
		if (l < n && ev_less(&s->ev[l], best))
			m = l, best = &s->ev[l];
		if (r < n && ev_less(&s->ev[r], best))
			m = r;
		if (m == i)
			break;
		s->ev[i] = s->ev[m];
		i = m;
	}
	if (n)
		s->ev[i] = x;
	return top;
}

/* ---- pools ---- */

/* A free slot of a pool of SIZE-byte items (grown by doubling); its index,
 * or -1 when memory runs out. The slot keeps its generation. */
static int slot(struct sim *s, void **items, size_t *n, size_t *cap, int **freelist,
		size_t *nfree, size_t size)
{
	if (*nfree)
		return (*freelist)[--*nfree];
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 256;
		void *p = budget_realloc(*items, c * size);
		int *f = p ? budget_realloc(*freelist, c * sizeof *f) : NULL;
		if (p)
			*items = p;
		if (!f)
			return s->failed = "not enough memory", -1;
		*freelist = f;
		memset((char *)*items + *cap * size, 0, (c - *cap) * size);
		*cap = c;
	}
	return (int)(*n)++;
}

int rs_new_job(struct sim *s)
{
	return slot(s, (void **)&s->jobs, &s->njobs, &s->cap_jobs, &s->free_jobs, &s->nfree_jobs,
		    sizeof *s->jobs);
}

int rs_new_call(struct sim *s)
{
	return slot(s, (void **)&s->calls, &s->ncalls, &s->cap_calls, &s->free_calls,
		    &s->nfree_calls, sizeof *s->calls);
}

void rs_free_job(struct sim *s, int j)
{
	s->jobs[j].state = JOB_FREE;
	s->jobs[j].gen++;
	s->free_jobs[s->nfree_jobs++] = j;
}

void rs_free_call(struct sim *s, int c)
{
	s->calls[c].live = 0;
	s->calls[c].gen++;
	s->free_calls[s->nfree_calls++] = c;
}

/* ---- counting ---- */

size_t rs_interval(const struct sim *s)
{
	size_t k = (size_t)(s->now / s->c->interval);
	return k < s->r->nintervals ? k : s->r->nintervals - 1;
}

struct rs_count *rs_svc_now(struct sim *s, int svc)
{
	return &s->r->service_series[rs_interval(s) * (size_t)s->c->nservices + (size_t)svc];
}

/* Appends V to the array *ARR of *N values (grown by doubling). */
int rs_keep(struct sim *s, double **arr, size_t *n, size_t *cap, double v)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 1024;
		double *p = budget_realloc(*arr, c * sizeof *p);
		if (!p)
			return s->failed = "not enough memory", -1;
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

/* Keeps the latency of a finished client request. */
int rs_keep_latency(struct sim *s, double v, int interval_too)
{
	if (rs_keep(s, &s->lat, &s->nlat, &s->cap_lat, v))
		return -1;
	return interval_too ? rs_keep(s, &s->ilat, &s->nilat, &s->cap_ilat, v) : 0;
}

/* Service SVC's busy workers change by DELTA now (the busy time counts). */
void rs_busy(struct sim *s, int svc, int delta)
{
	struct svc *v = &s->svc[svc];
	v->area += v->busy * (s->now - v->since);
	v->since = s->now;
	v->busy += delta;
}


/* The gauges and the client's p99 of the interval ending now. */
static void tick(struct sim *s, size_t k)
{
	for (int i = 0; i < s->c->nservices; i++) {
		struct rs_count *x = &s->r->service_series[k * (size_t)s->c->nservices + (size_t)i];
		x->busy = s->svc[i].busy;
		x->queued = (double)s->svc[i].qlen;
	}
	if (s->nilat)                 /* qsort(NULL, 0) is undefined */
		stats_sort(s->ilat, s->nilat);
	s->r->client_series[k].p99 = stats_rank(s->ilat, s->nilat, 0.99);
	s->nilat = 0;
}

/* ---- faults ---- */

/* Recomputes each service's condition from the faults active at now. */
static void apply_faults(struct sim *s)
{
	for (int i = 0; i < s->c->nservices; i++) {
		struct svc *v = &s->svc[i];
		v->down = 0;
		v->slow = 1;
		v->err = s->c->services[i].errors;
		v->brown = 1;
	}
	for (int f = 0; f < s->c->nfaults; f++) {
		const struct rs_fault *x = &s->c->faults[f];
		if (!(x->at <= s->now && s->now < x->until))
			continue;
		struct svc *v = &s->svc[s->fault_svc[f]];
		if (x->mode == RS_DOWN)
			v->down = 1;
		else if (x->mode == RS_SLOW)
			v->slow *= x->factor;
		else if (x->mode == RS_ERROR)
			v->err = fmax(v->err, x->rate);
		else
			v->brown *= x->factor;
	}
}

static int on_fault(struct sim *s)
{
	int was[RS_MAX_SERVICES];
	for (int i = 0; i < s->c->nservices; i++)
		was[i] = s->svc[i].down;
	apply_faults(s);
	for (int i = 0; i < s->c->nservices; i++) {
		if (!was[i] && s->svc[i].down && rs_crash(s, i))
			return -1;
		if (!s->svc[i].down && rs_dispatch(s, i))  /* brownout over: more workers */
			return -1;
	}
	return 0;
}

/* ---- the run ---- */

static int setup(struct sim *s)
{
	const struct rs_config *c = s->c;
	struct rs_result *r = s->r;
	double end = c->duration + c->drain;
	double n = ceil(end / c->interval);
	r->nintervals = n < 1 ? 1 : (size_t)n;
	r->client_series = budget_calloc(r->nintervals, sizeof *r->client_series);
	r->service_series = budget_calloc(r->nintervals * (size_t)c->nservices,
					  sizeof *r->service_series);
	if (!r->client_series || !r->service_series)
		return s->failed = "not enough memory", -1;
	rng_seed(&s->r_arrive, c->seed);
	rng_seed(&s->r_work, c->seed ^ 0x9e3779b97f4a7c15ULL);
	rng_seed(&s->r_fail, c->seed ^ 0xbf58476d1ce4e5b9ULL);
	rng_seed(&s->r_jitter, c->seed ^ 0x94d049bb133111ebULL);
	rng_seed(&s->r_trace, c->trace_seed);
	rs_key_rngs(c->seed, &s->r_key, &s->r_op);
	if (c->keys > 0)
		rs_zipf_init(&s->zipf, c->keys, c->skew);
	s->id_state = c->trace_seed ^ 0xd1b54a32d192ed03ULL;
	if (rs_setup_graph(s))
		return -1;
	if (c->rate > 0 && rs_push(s, rng_exponential(&s->r_arrive, c->rate), EV_ARRIVAL, 0, 0, 0))
		return -1;
	for (int i = 0; i < c->nbursts; i++)
		if (rs_push(s, c->bursts[i].at, EV_BURST, i, 0, 0))
			return -1;
	for (int i = 0; i < c->nswitches; i++)
		if (rs_push(s, c->switches[i].at, EV_SWITCH, i, 0, 0))
			return -1;
	for (int f = 0; f < c->nfaults; f++)
		if (rs_push(s, c->faults[f].at, EV_FAULT, f, 0, 0) ||
		    rs_push(s, c->faults[f].until, EV_FAULT, f, 0, 1))
			return -1;
	for (size_t k = 0; k < r->nintervals; k++)
		if (rs_push(s, fmin((double)(k + 1) * c->interval, end), EV_TICK, (int)k, 0, 0))
			return -1;
	apply_faults(s);
	return 0;
}

static int step(struct sim *s, const struct ev *e)
{
	switch (e->type) {
	case EV_ARRIVAL: {
		double next = s->now + rng_exponential(&s->r_arrive, s->c->rate);
		if (next < s->c->duration && rs_push(s, next, EV_ARRIVAL, 0, 0, 0))
			return -1;
		return rs_client_request(s);
	}
	case EV_BURST:
		for (int64_t i = 0; i < s->c->bursts[e->a].count; i++)
			if (rs_client_request(s))
				return -1;
		return 0;
	case EV_JOB_ARRIVE:
		return rs_job_arrive(s, e->a, e->gen);
	case EV_WORK_DONE:
		return rs_work_done(s, e->a, e->gen);
	case EV_REPLY:
		return rs_attempt_result(s, e->a, e->gen, e->b, 0);
	case EV_TIMEOUT:
		return rs_attempt_result(s, e->a, e->gen, 0, 1);
	case EV_RETRY:
		return rs_retry(s, e->a, e->gen);
	case EV_FAULT:
		return on_fault(s);
	case EV_TICK:
		tick(s, (size_t)e->a);
		return 0;
	case EV_SWITCH:
		s->edges[0].to = s->switch_svc[e->a];  /* edge 0: the clients' */
		return 0;
	}
	return 0;
}

static void sim_free(struct sim *s)
{
	budget_free(s->ev);
	budget_free(s->jobs);
	budget_free(s->free_jobs);
	budget_free(s->calls);
	budget_free(s->free_calls);
	budget_free(s->lat);
	budget_free(s->ilat);
	budget_free(s->lat_op[0]);
	budget_free(s->lat_op[1]);
	rs_free_graph(s);
}

/* The figures by op, and each service's busy time and lags. */
static void summarise_more(struct sim *s)
{
	struct rs_result *r = s->r;
	double end = s->c->duration + s->c->drain;
	if (s->c->writes > 0) {
		for (int op = 0; op < 2; op++)
			if (s->nlat_op[op])
				stats_sort(s->lat_op[op], s->nlat_op[op]);
		r->read_p99 = stats_rank(s->lat_op[OP_READ], s->nlat_op[OP_READ], 0.99);
		r->write_p99 = stats_rank(s->lat_op[OP_WRITE], s->nlat_op[OP_WRITE], 0.99);
	} else {
		r->read_p99 = r->p99;
		r->write_p99 = NAN;
	}
	for (size_t j = 0; j < s->njobs; j++)
		if (s->jobs[j].state != JOB_FREE && s->jobs[j].state != JOB_SENT && s->jobs[j].async)
			r->stats[s->jobs[j].service].async_unfinished++;
	for (int i = 0; i < s->c->nservices; i++) {
		struct svc *v = &s->svc[i];
		struct rs_service_stats *x = &r->stats[i];
		x->busy_time = v->area + v->busy * (end - v->since);
		x->utilization = v->c->workers > 0 ? x->busy_time / (v->c->workers * end) : 0;
		x->async_jobs = v->nlag;
		x->async_failed = v->async_failed;
		if (v->nlag) {
			stats_sort(v->lag, v->nlag);
			x->lag_p50 = stats_rank(v->lag, v->nlag, 0.50);
			x->lag_p99 = stats_rank(v->lag, v->nlag, 0.99);
			x->lag_max = v->lag[v->nlag - 1];
		}
	}
}

static void summarise(struct sim *s)
{
	struct rs_result *r = s->r;
	double sum = 0;
	for (size_t i = 0; i < s->nlat; i++)
		sum += s->lat[i];
	if (s->nlat)
		stats_sort(s->lat, s->nlat);
	r->mean = s->nlat ? sum / (double)s->nlat : NAN;
	r->p50 = stats_rank(s->lat, s->nlat, 0.50);
	r->p90 = stats_rank(s->lat, s->nlat, 0.90);
	r->p99 = stats_rank(s->lat, s->nlat, 0.99);
	r->client = (struct rs_client_count){0};
	for (size_t k = 0; k < r->nintervals; k++) {
		r->client.requests += r->client_series[k].requests;
		r->client.ok += r->client_series[k].ok;
		r->client.degraded += r->client_series[k].degraded;
		r->client.failed += r->client_series[k].failed;
		for (int i = 0; i < s->c->nservices; i++) {
			const struct rs_count *x = &r->service_series[k * (size_t)s->c->nservices + (size_t)i];
			struct rs_count *t = &r->services[i];
			t->arrivals += x->arrivals;
			t->ok += x->ok;
			t->errors += x->errors;
			t->rejected += x->rejected;
			t->shed += x->shed;
			t->reads += x->reads;
			t->writes += x->writes;
			t->hits += x->hits;
			t->misses += x->misses;
		}
	}
	r->client.p99 = r->p99;
	summarise_more(s);
}

int rs_run(const struct rs_config *c, struct rs_result *r, const char **err, char *buf,
	   size_t size)
{
	memset(r, 0, sizeof *r);
	if ((*err = rs_config_check(c, buf, size)))
		return -1;
	struct sim s = {.c = c, .r = r};
	int rc = setup(&s);
	double end = c->duration + c->drain;
	while (!rc && s.nev > 0) {
		if (budget_poll(r->events)) {
			s.failed = "stopped";
			rc = -1;
			break;
		}
		if (r->events >= RS_MAX_EVENTS) {
			s.failed = "too many events (more than 50000000): shorten the run or lower the rate";
			rc = -1;
			break;
		}
		struct ev e = pop(&s);
		if (e.t > end)
			break;
		s.now = e.t;
		r->events++;
		rc = step(&s, &e);
	}
	if (!rc)
		rc = rs_trace_close(&s, end);
	if (!rc)
		summarise(&s);
	sim_free(&s);
	if (rc) {
		*err = s.failed ? s.failed : "not enough memory";
		rs_result_free(r);
		return -1;
	}
	return 0;
}

void rs_result_free(struct rs_result *r)
{
	budget_free(r->client_series);
	budget_free(r->service_series);
	budget_free(r->transitions);
	budget_free(r->spans);
	budget_free(r->traces);
	r->spans = NULL;
	r->traces = NULL;
	r->client_series = NULL;
	r->service_series = NULL;
	r->transitions = NULL;
}
