/* pool.c — a connection pool and a database, as a discrete-event simulation; see pool.h. */
#include "engine/concepts/pool/pool.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARRIVALS 1e9 /* expected arrivals in one run */

/* A request in flight. */
struct req {
	double arrival; /* when it arrived */
	double work;    /* its query's work, seconds of one core */
	double ready;   /* connecting: when its connection is open */
	double start;   /* on the database: when its query started */
};

/* A FIFO of requests (the wait queue; the connecting requests, whose ready
 * times are in arrival order because CONNECT is a constant). */
struct fifo {
	struct req *v;
	size_t head, len, cap;
};

/*
 * A query on the database. Processor sharing is simulated in virtual time:
 * V is the work each running query has received since the start (all running
 * queries receive the same), so a query started when V was v0 finishes when
 * V reaches finish = v0 + work. A min-heap on finish gives the next to end.
 */
struct job {
	double finish;
	struct req r;
};

/*
 * The simulation.
 *
 * Invariants (pool_check):
 *  - in_system = waiting + connecting + active, where active = jobs running;
 *  - requests = served + timed_out + rejected + in_system;
 *  - with a pool: idle + active = size, and nobody waits while a connection
 *    is idle; without one: idle = 0, nobody waits, and connecting + active
 *    <= max_connections when that is set;
 *  - the job heap is a min-heap on finish, and no finish is behind V by more
 *    than rounding; waiting arrivals are in order;
 *  - closed: thinking clients + requests in the system <= clients.
 */
struct pool {
	struct pool_config cfg;
	struct rng arrivals_rng, work_rng;
	double now, V;
	int failed;             /* memory ran out: stopped */
	double next_arrival;    /* open: INFINITY once past duration */
	double *think;          /* closed: min-heap of think-end times */
	size_t nthink;
	struct fifo waiting, connecting;
	struct job *jobs;
	size_t njobs, capjobs;
	int64_t idle;
	uint64_t requests, served, timed_out, rejected;
	/* window statistics */
	double area_n, area_waiting, area_active;
	uint64_t win_arrivals, win_departed, win_completed;
	double sum_sojourn, sum_wait, sum_latency, max_latency;
	double *latency;        /* served latencies of the window's arrivals */
	size_t nlatency, caplatency;
};

double pool_speed(const struct pool_config *cfg, int64_t a)
{
	if (a <= cfg->cores)
		return 1.0;
	return ((double)cfg->cores / (double)a) /
	       (1.0 + cfg->contention * (double)(a - cfg->cores));
}

const char *pool_event_name(enum pool_event_kind k)
{
	static const char *const names[] = {"acquire", "wait",	  "reject", "connect",
					    "start",   "timeout", "done"};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* --- small containers ----------------------------------------------------- */

static int grow(void **v, size_t *cap, size_t size)
{
	size_t ncap = *cap ? 2 * *cap : 64;
	void *nv = budget_realloc(*v, ncap * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static int fifo_push(struct fifo *f, struct req r)
{
	if (f->len == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		struct req *v = budget_malloc(cap * sizeof *v);
		if (!v)
			return -1;
		for (size_t i = 0; i < f->len; i++)
			v[i] = f->v[(f->head + i) % f->cap];
		budget_free(f->v);
		f->v = v;
		f->head = 0;
		f->cap = cap;
	}
	f->v[(f->head + f->len++) % f->cap] = r;
	return 0;
}

static struct req fifo_pop(struct fifo *f)
{
	struct req r = f->v[f->head];
	f->head = (f->head + 1) % f->cap;
	f->len--;
	return r;
}

static void think_push(struct pool *p, double t)
{
	/* capacity is `clients`, allocated up front: never grows */
	size_t i = p->nthink++;
	while (i > 0 && t < p->think[(i - 1) / 2]) {
		p->think[i] = p->think[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	p->think[i] = t;
}

static void think_pop(struct pool *p)
{
	double t = p->think[--p->nthink];
	size_t i = 0, n = p->nthink;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		double best = t;
		if (l < n && p->think[l] < best)
			m = l, best = p->think[l];
		if (l + 1 < n && p->think[l + 1] < best)
			m = l + 1;
		if (m == i)
			break;
		p->think[i] = p->think[m];
		i = m;
	}
	if (n > 0)
		p->think[i] = t;
}

static int job_push(struct pool *p, struct job j)
{
	if (p->njobs == p->capjobs && grow((void **)&p->jobs, &p->capjobs, sizeof *p->jobs) < 0)
		return -1;
	size_t i = p->njobs++;
	while (i > 0 && j.finish < p->jobs[(i - 1) / 2].finish) {
		p->jobs[i] = p->jobs[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	p->jobs[i] = j;
	return 0;
}

static struct job job_pop(struct pool *p)
{
	struct job top = p->jobs[0], j = p->jobs[--p->njobs];
	size_t i = 0, n = p->njobs;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		double best = j.finish;
		if (l < n && p->jobs[l].finish < best)
			m = l, best = p->jobs[l].finish;
		if (l + 1 < n && p->jobs[l + 1].finish < best)
			m = l + 1;
		if (m == i)
			break;
		p->jobs[i] = p->jobs[m];
		i = m;
	}
	if (n > 0)
		p->jobs[i] = j;
	return top;
}

/* --- configuration -------------------------------------------------------- */

const char *pool_config_check(const struct pool_config *c)
{
	int open = c->rate != 0, closed = c->clients != 0;
	if (open == closed)
		return "give either rate (open arrivals, a second) or clients (a closed loop), "
		       "not both";
	if (open && !(c->rate > 0 && isfinite(c->rate)))
		return "rate must be a positive number of requests a second";
	if (closed && !(c->clients >= 1 && c->clients <= 1000000))
		return "clients must be an integer between 1 and 1e6";
	if (!(c->think >= 0 && isfinite(c->think)))
		return "think must be a non-negative number of seconds";
	if (!(c->size >= 0 && c->size <= 100000))
		return "size must be an integer between 0 (no pool) and 100000";
	if (!(c->timeout >= 0))
		return "timeout must be a non-negative number of seconds (math.huge: wait forever)";
	if (c->max_waiting < -1)
		return "max_waiting must be a non-negative integer (or -1: unbounded)";
	if (!(c->connect >= 0 && isfinite(c->connect)))
		return "connect must be a non-negative number of seconds";
	if (!(c->cores >= 1 && c->cores <= 100000))
		return "cores must be an integer between 1 and 100000";
	if (!(c->service > 0 && isfinite(c->service)))
		return "service must be a positive number of seconds";
	if ((unsigned)c->service_dist > POOL_CONSTANT)
		return "service_dist must be exponential or constant";
	if (!(c->contention >= 0 && isfinite(c->contention)))
		return "contention must be a non-negative number";
	if (c->max_connections < 0)
		return "max_connections must be a non-negative integer (0: unlimited)";
	if (c->max_connections > 0 && c->size > c->max_connections)
		return "size must not exceed max_connections: the database would refuse them";
	if (!(c->duration > 0 && c->duration <= 1e9))
		return "duration must be a positive number of seconds, at most 1e9";
	if (!(c->warmup >= 0 && c->warmup < c->duration))
		return "warmup must be a number of seconds in [0, duration)";
	if (open && c->rate * c->duration > MAX_ARRIVALS)
		return "rate * duration must be at most 1e9 requests";
	int turned_away = c->max_waiting >= 0 || c->max_connections > 0 ||
			  (c->size > 0 && c->timeout == 0);
	if (closed && c->think == 0 && turned_away)
		return "think must be positive when requests can be turned away at once "
		       "(a client would retry at the same instant forever)";
	return NULL;
}

struct pool *pool_new(const struct pool_config *cfg, const char **err)
{
	const char *why = pool_config_check(cfg);
	struct pool *p = NULL;
	if (!why) {
		p = budget_calloc(1, sizeof *p);
		if (p && cfg->clients > 0) {
			p->think = budget_malloc((size_t)cfg->clients * sizeof *p->think);
			if (!p->think) {
				budget_free(p);
				p = NULL;
			}
		}
		if (!p)
			why = "not enough memory";
	}
	if (why) {
		if (err)
			*err = why;
		return NULL;
	}
	p->cfg = *cfg;
	rng_seed(&p->arrivals_rng, cfg->seed);
	rng_seed(&p->work_rng, cfg->seed ^ 0x9E3779B97F4A7C15ull);
	p->idle = cfg->size;
	if (cfg->clients > 0) {
		for (int64_t i = 0; i < cfg->clients; i++) {
			double t = cfg->think > 0
					   ? rng_exponential(&p->arrivals_rng, 1 / cfg->think)
					   : 0;
			if (t < cfg->duration)
				think_push(p, t);
		}
		p->next_arrival = INFINITY;
	} else {
		p->next_arrival = rng_exponential(&p->arrivals_rng, cfg->rate);
		if (p->next_arrival >= cfg->duration)
			p->next_arrival = INFINITY;
	}
	return p;
}

void pool_free(struct pool *p)
{
	if (p) {
		budget_free(p->think);
		budget_free(p->waiting.v);
		budget_free(p->connecting.v);
		budget_free(p->jobs);
		budget_free(p->latency);
		budget_free(p);
	}
}

const struct pool_config *pool_config(const struct pool *p)
{
	return &p->cfg;
}

/* --- the event loop ------------------------------------------------------- */

static uint64_t in_system(const struct pool *p)
{
	return p->waiting.len + p->connecting.len + p->njobs;
}

static int in_window(const struct pool *p, double t)
{
	return t >= p->cfg.warmup && t < p->cfg.duration;
}

/* Moves the clock to T, integrating the time averages and the virtual work. */
static void advance(struct pool *p, double t)
{
	double lo = p->now > p->cfg.warmup ? p->now : p->cfg.warmup;
	double hi = t < p->cfg.duration ? t : p->cfg.duration;
	if (hi > lo) {
		p->area_n += (double)in_system(p) * (hi - lo);
		p->area_waiting += (double)p->waiting.len * (hi - lo);
		p->area_active += (double)p->njobs * (hi - lo);
	}
	if (p->njobs > 0)
		p->V += pool_speed(&p->cfg, (int64_t)p->njobs) * (t - p->now);
	p->now = t;
}

/* A request leaves: counts it, and in a closed loop its client thinks again. */
static int depart(struct pool *p, const struct req *r, double sojourn, int served)
{
	if (in_window(p, r->arrival)) {
		p->win_departed++;
		p->sum_sojourn += sojourn;
		if (served) {
			if (p->nlatency == p->caplatency &&
			    grow((void **)&p->latency, &p->caplatency, sizeof *p->latency) < 0)
				return -1;
			p->latency[p->nlatency++] = sojourn;
			p->sum_latency += sojourn;
			p->sum_wait += r->start - r->arrival;
			if (sojourn > p->max_latency)
				p->max_latency = sojourn;
		}
	}
	if (p->cfg.clients > 0) {
		double t = p->now + (p->cfg.think > 0
					     ? rng_exponential(&p->arrivals_rng, 1 / p->cfg.think)
					     : 0);
		if (t < p->cfg.duration)
			think_push(p, t);
	}
	return 0;
}

static int start_query(struct pool *p, struct req r)
{
	r.start = p->now;
	return job_push(p, (struct job){p->V + r.work, r});
}

static int arrive(struct pool *p, enum pool_event_kind *kind)
{
	struct req r = {.arrival = p->now};
	r.work = p->cfg.service_dist == POOL_CONSTANT
			 ? p->cfg.service
			 : rng_exponential(&p->work_rng, 1 / p->cfg.service);
	p->requests++;
	if (in_window(p, p->now))
		p->win_arrivals++;
	if (p->cfg.size > 0 && p->idle > 0) {
		p->idle--;
		*kind = POOL_ACQUIRE;
		return start_query(p, r);
	}
	int full = p->cfg.size > 0
			   ? p->cfg.max_waiting >= 0 && p->waiting.len >= (size_t)p->cfg.max_waiting
			   : p->cfg.max_connections > 0 &&
				     p->connecting.len + p->njobs >= (size_t)p->cfg.max_connections;
	if (full) {
		p->rejected++;
		*kind = POOL_REJECT;
		return depart(p, &r, 0, 0);
	}
	if (p->cfg.size > 0) {
		*kind = POOL_WAIT;
		return fifo_push(&p->waiting, r);
	}
	*kind = POOL_CONNECT;
	if (p->cfg.connect == 0)
		return start_query(p, r);
	r.ready = p->now + p->cfg.connect;
	return fifo_push(&p->connecting, r);
}

static int finish(struct pool *p)
{
	struct job j = job_pop(p);
	p->served++;
	if (in_window(p, p->now))
		p->win_completed++;
	if (depart(p, &j.r, p->now - j.r.arrival, 1) < 0)
		return -1;
	if (p->cfg.size == 0)
		return 0; /* the connection closes */
	if (p->waiting.len > 0)
		return start_query(p, fifo_pop(&p->waiting)); /* hand it over */
	p->idle++;
	return 0;
}

/* The time of the next event and its source (0 job, 1 connect, 2 timeout, 3 arrival). */
static double next_event(const struct pool *p, int *src)
{
	double best = INFINITY, t;
	*src = -1;
	if (p->njobs > 0) {
		double left = p->jobs[0].finish - p->V;
		best = p->now + (left > 0 ? left : 0) / pool_speed(&p->cfg, (int64_t)p->njobs);
		*src = 0;
	}
	if (p->connecting.len > 0 && (t = p->connecting.v[p->connecting.head].ready) < best)
		best = t, *src = 1;
	if (p->waiting.len > 0 && isfinite(p->cfg.timeout) &&
	    (t = p->waiting.v[p->waiting.head].arrival + p->cfg.timeout) < best)
		best = t, *src = 2;
	t = p->cfg.clients > 0 ? (p->nthink ? p->think[0] : INFINITY) : p->next_arrival;
	if (t < best)
		best = t, *src = 3;
	return best;
}

int pool_step(struct pool *p, struct pool_event *ev)
{
	if (p->failed)
		return -1;
	int src;
	double t = next_event(p, &src);
	if (src < 0)
		return 0;
	advance(p, t < p->now ? p->now : t);
	enum pool_event_kind kind = POOL_DONE;
	int rc = 0;
	switch (src) {
	case 0:
		rc = finish(p);
		break;
	case 1:
		kind = POOL_START;
		rc = start_query(p, fifo_pop(&p->connecting));
		break;
	case 2: {
		struct req r = fifo_pop(&p->waiting);
		kind = POOL_TIMEOUT;
		p->timed_out++;
		rc = depart(p, &r, p->cfg.timeout, 0);
		break;
	}
	default:
		if (p->cfg.clients > 0) {
			think_pop(p);
		} else {
			p->next_arrival = p->now + rng_exponential(&p->arrivals_rng, p->cfg.rate);
			if (p->next_arrival >= p->cfg.duration)
				p->next_arrival = INFINITY;
		}
		rc = arrive(p, &kind);
		break;
	}
	if (rc < 0) {
		p->failed = 1;
		return -1;
	}
	if (ev) {
		ev->time = p->now;
		ev->kind = kind;
	}
	return 1;
}

int64_t pool_run(struct pool *p, double until)
{
	int64_t n = 0;
	int src;
	while (next_event(p, &src) <= until && src >= 0) {
		if (budget_poll((uint64_t)n + 1) || pool_step(p, NULL) < 0)
			return -1;
		n++;
	}
	if (src >= 0 && until > p->now && isfinite(until))
		advance(p, until);
	return n;
}

static int over(const struct pool *p)
{
	int src;
	next_event(p, &src);
	return src < 0;
}

/* --- statistics ----------------------------------------------------------- */

/* The k-th smallest of v[0..n) (0-based), by quickselect (Hoare); reorders v. */
static double select_kth(double *v, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		ptrdiff_t i = lo, j = hi;
		while (i <= j) { /* after: v[lo..j] <= pivot <= v[i..hi] */
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return v[kk]; /* between the parts: equal to the pivot */
	}
	return v[kk];
}

/* Nearest-rank percentile: the smallest value with at least q of them at or below it. */
static double percentile(double *v, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);
	return select_kth(v, n, rank > 0 ? rank - 1 : 0);
}

void pool_state(const struct pool *p, struct pool_state *st)
{
	st->now = p->now;
	st->requests = p->requests;
	st->served = p->served;
	st->timed_out = p->timed_out;
	st->rejected = p->rejected;
	st->in_system = in_system(p);
	st->waiting = p->waiting.len;
	st->connecting = p->connecting.len;
	st->active = p->njobs;
	st->idle = (uint64_t)p->idle;
	st->thinking = p->nthink;
	st->done = over(p);
}

void pool_stats(struct pool *p, struct pool_stats *st)
{
	memset(st, 0, sizeof *st);
	pool_state(p, &st->state);
	double end = p->now < p->cfg.duration ? p->now : p->cfg.duration;
	st->window = end > p->cfg.warmup ? end - p->cfg.warmup : 0;
	st->arrivals = p->win_arrivals;
	st->departed = p->win_departed;
	st->completed = p->win_completed;
	if (st->window > 0) {
		st->throughput = (double)p->win_completed / st->window;
		st->arrival_rate = (double)p->win_arrivals / st->window;
		st->L = p->area_n / st->window;
		st->mean_waiting = p->area_waiting / st->window;
		st->mean_active = p->area_active / st->window;
	}
	st->W = p->win_departed ? p->sum_sojourn / (double)p->win_departed : 0;
	st->lambda_W = st->arrival_rate * st->W;
	size_t n = p->nlatency;
	if (n == 0) {
		st->wait_mean = st->latency_mean = NAN;
		st->p50 = st->p95 = st->p99 = st->latency_max = NAN;
		return;
	}
	st->wait_mean = p->sum_wait / (double)n;
	st->latency_mean = p->sum_latency / (double)n;
	st->latency_max = p->max_latency;
	st->p99 = percentile(p->latency, n, 0.99);
	st->p95 = percentile(p->latency, n, 0.95);
	st->p50 = percentile(p->latency, n, 0.50);
}

int pool_check(const struct pool *p)
{
	const struct pool_config *c = &p->cfg;
	uint64_t inside = in_system(p);
	if (p->requests != p->served + p->timed_out + p->rejected + inside)
		return -1;
	if (c->size > 0) {
		if (p->idle < 0 || (uint64_t)p->idle + p->njobs != (uint64_t)c->size)
			return -1;
		if (p->waiting.len > 0 && p->idle > 0)
			return -1;
		if (p->connecting.len > 0)
			return -1;
	} else {
		if (p->idle != 0 || p->waiting.len > 0)
			return -1;
		if (c->max_connections > 0 &&
		    p->connecting.len + p->njobs > (uint64_t)c->max_connections)
			return -1;
	}
	for (size_t i = 1; i < p->njobs; i++)
		if (p->jobs[i].finish < p->jobs[(i - 1) / 2].finish)
			return -1;
	if (p->njobs > 0 && p->jobs[0].finish < p->V - 1e-9 * (1 + fabs(p->V)))
		return -1;
	for (size_t i = 1; i < p->waiting.len; i++)
		if (p->waiting.v[(p->waiting.head + i) % p->waiting.cap].arrival <
		    p->waiting.v[(p->waiting.head + i - 1) % p->waiting.cap].arrival)
			return -1;
	if (c->clients > 0 && p->nthink + inside > (uint64_t)c->clients)
		return -1;
	return 0;
}
