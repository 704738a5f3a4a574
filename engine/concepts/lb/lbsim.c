/* lbsim.c — discrete-event simulation of a balancer and its backends; see lbsim.h. */
#include "engine/concepts/lb/lbsim.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Heap events. Arrivals are not among them: the one pending arrival is kept
 * beside the heap (struct sim), which halves the heap traffic. */
enum kind { EV_CHANGE, EV_COMPLETE, EV_CHECK, EV_RETURN };

struct ev {
	double t;
	uint64_t seq;      /* ties at equal t: scheduled first, first */
	double arrival;    /* EV_COMPLETE: when the request arrived */
	uint32_t req;      /* EV_COMPLETE: request number */
	uint32_t backend;  /* EV_CHANGE, EV_COMPLETE, EV_RETURN */
	uint32_t epoch;    /* EV_COMPLETE: the backend's epoch when service began */
	uint8_t kind;
	uint8_t down;      /* EV_CHANGE */
};

struct heap {
	struct ev *v;
	size_t n, cap;
	uint64_t seq;
};

struct waiting {
	double arrival;
	uint32_t req;
};

struct be {
	const struct lbsim_backend *cfg;
	struct rng rng;       /* service times */
	int up;               /* really up (the balancer may think otherwise) */
	uint32_t epoch;       /* bumped when it goes down: its in-service events go stale */
	int64_t active;
	struct waiting *q;    /* FIFO ring buffer */
	size_t qhead, qlen, qcap;
	double last;          /* when busy was last brought up to date */
	int hc_ok, hc_fail;   /* consecutive health-check results */
	int marked;           /* the health checks' verdict: up (1) or down */
	int ejected;          /* ejected by outlier detection */
	int64_t consec;       /* consecutive failed requests */
	uint64_t times;       /* ejections so far */
	struct lbsim_backend_stats *st;
};

struct sim {
	const struct lbsim_config *c;
	struct lbsim_report *r;
	struct heap h;
	struct be *b;
	struct lbpick *pick;
	struct rng arrivals;   /* gaps between arrivals */
	struct rng clientrng;  /* who sends each request (drawn only when it matters) */
	double next_arrival;   /* the pending arrival, kept out of the heap: */
	uint64_t arrival_seq;  /* its place among events at the same time */
	int arrival_pending;
	double bucket_lo, bucket_hi; /* the current series bucket's time span */
	size_t bucket_at;
	struct zipf *zipf;
	struct lb_key *keys;   /* per client, computed on first use (keyed strategies) */
	uint8_t *have_key;
	double *lat;           /* latencies of completed requests */
	uint8_t *seen;         /* audit: per request, ended already */
	int audit_bad;
	uint64_t next_req;     /* arrivals so far */
	uint64_t in_system;    /* arrived and not ended */
	size_t capmarks, capbuckets, capejections;
	size_t nejected;       /* backends ejected now */
};

/* ---- event heap ---------------------------------------------------------- */

static int ev_before(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int push(struct heap *h, struct ev e)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct ev *v = budget_realloc(h->v, cap * sizeof *v);
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	e.seq = h->seq++;
	size_t i = h->n++;
	while (i > 0 && ev_before(&e, &h->v[(i - 1) / 2])) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = e;
	return 0;
}

static struct ev pop(struct heap *h)
{
	struct ev top = h->v[0], last = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, m = l;
		if (l >= h->n)
			break;
		if (l + 1 < h->n && ev_before(&h->v[l + 1], &h->v[l]))
			m = l + 1;
		if (!ev_before(&h->v[m], &last))
			break;
		h->v[i] = h->v[m];
		i = m;
	}
	if (h->n)
		h->v[i] = last;
	return top;
}

/* ---- configuration ------------------------------------------------------- */

static int finite_nonneg(double x)
{
	return x >= 0 && isfinite(x);
}

static const char *check_service(const struct lb_service *s)
{
	if ((unsigned)s->dist > LB_DIST_BIMODAL)
		return "service dist must be const, exp, normal or bimodal";
	if (!finite_nonneg(s->mean))
		return "service mean must be a non-negative number of seconds";
	if ((s->dist == LB_DIST_EXP || s->dist == LB_DIST_BIMODAL) && s->mean <= 0)
		return "service mean must be positive for exp and bimodal";
	if (s->dist == LB_DIST_NORMAL && !finite_nonneg(s->sd))
		return "service sd must be a non-negative number";
	if (s->dist == LB_DIST_BIMODAL && (!(s->slow > 0) || !isfinite(s->slow)))
		return "service slow (the slow mode's mean) must be positive";
	if (s->dist == LB_DIST_BIMODAL && !(s->p_slow >= 0 && s->p_slow <= 1))
		return "service p_slow must be between 0 and 1";
	return NULL;
}

const char *lbsim_validate(const struct lbsim_config *c)
{
	if ((unsigned)c->strategy > LB_CHASH)
		return "unknown strategy";
	if (c->nbackends < 1 || c->nbackends > LB_MAX_BACKENDS)
		return "there must be between 1 and 10000 backends";
	for (size_t i = 0; i < c->nbackends; i++) {
		const struct lbsim_backend *b = &c->backends[i];
		if (!b->name)
			return "every backend needs a name";
		for (size_t j = 0; j < i; j++)
			if (strcmp(b->name, c->backends[j].name) == 0)
				return "backend names must be unique";
		if (b->weight < 1 || b->weight > LB_MAX_WEIGHT)
			return "backend weight must be an integer between 1 and 1000";
		if (b->capacity < 1 || b->capacity > 1000000)
			return "backend capacity must be an integer between 1 and 10^6";
		if (b->queue < -1)
			return "backend queue must be -1 (no limit) or a limit >= 0";
		const char *e = check_service(&b->service);
		if (e)
			return e;
	}
	if (!(c->rate > 0) || !isfinite(c->rate))
		return "rate must be a positive number of requests per second";
	if (c->requests < 1 || c->requests > LBSIM_MAX_REQUESTS)
		return "requests must be between 1 and 2*10^7";
	if (c->clients < 1 || c->clients > LBSIM_MAX_CLIENTS)
		return "clients must be between 1 and 10^6";
	if (!finite_nonneg(c->client_skew))
		return "client_skew must be a non-negative number";
	for (size_t i = 0; i < c->nevents; i++) {
		if (!finite_nonneg(c->events[i].at))
			return "event times must be non-negative numbers";
		if (c->events[i].backend >= c->nbackends)
			return "event backend out of range";
	}
	if (!finite_nonneg(c->health_interval))
		return "health interval must be a non-negative number";
	if (c->health_interval > 0 && (c->fall < 1 || c->rise < 1))
		return "health fall and rise must be at least 1";
	if (!(c->alpha > 0 && c->alpha <= 1))
		return "alpha must be in (0, 1]";
	if (c->outlier_consecutive < 0 || c->outlier_consecutive > 1000000)
		return "outlier consecutive must be an integer between 1 and 10^6";
	if (c->outlier_consecutive > 0 &&
	    (!(c->outlier_ejection > 0) || !isfinite(c->outlier_ejection)))
		return "outlier ejection must be a positive number of seconds";
	if (c->outlier_consecutive > 0 &&
	    !(c->outlier_max_percent >= 0 && c->outlier_max_percent <= 100))
		return "outlier max_percent must be between 0 and 100";
	if (!finite_nonneg(c->bucket))
		return "the series bucket must be a non-negative number of seconds";
	return NULL;
}

double lb_service_draw(const struct lb_service *s, struct rng *r)
{
	switch (s->dist) {
	case LB_DIST_CONST: return s->mean;
	case LB_DIST_EXP: return rng_exponential(r, 1 / s->mean);
	case LB_DIST_NORMAL: {
		double x = rng_normal(r, s->mean, s->sd);
		return x > 0 ? x : 0;
	}
	case LB_DIST_BIMODAL:
		if (rng_uniform(r) < s->p_slow)
			return rng_exponential(r, 1 / s->slow);
		return rng_exponential(r, 1 / s->mean);
	}
	return s->mean;
}

/* ---- bookkeeping ---------------------------------------------------------- */

static void ended(struct sim *s, uint32_t req)
{
	s->in_system--;
	if (s->seen) {
		if (s->seen[req])
			s->audit_bad = 1;
		s->seen[req] = 1;
	}
}

/* Adds to the time series; beyond LBSIM_MAX_BUCKETS the series stops. */
static int series(struct sim *s, double t, int completed, double latency, uint64_t errors)
{
	struct lbsim_report *r = s->r;
	if (s->c->bucket <= 0)
		return 0;
	if (!(t >= s->bucket_lo && t < s->bucket_hi)) { /* times only grow: rarely */
		double k = floor(t / s->c->bucket);
		if (k >= LBSIM_MAX_BUCKETS)
			return 0;
		s->bucket_at = (size_t)k;
		s->bucket_lo = k * s->c->bucket;
		s->bucket_hi = (k + 1) * s->c->bucket;
	}
	size_t i = s->bucket_at;
	if (i >= s->capbuckets) {
		size_t cap = s->capbuckets ? s->capbuckets : 64;
		while (cap <= i)
			cap *= 2;
		uint64_t *bc = budget_realloc(r->bucket_completed, cap * sizeof *bc);
		if (bc)
			r->bucket_completed = bc;
		uint64_t *be = budget_realloc(r->bucket_errors, cap * sizeof *be);
		if (be)
			r->bucket_errors = be;
		double *bm = budget_realloc(r->bucket_mean, cap * sizeof *bm);
		if (bm)
			r->bucket_mean = bm;
		double *bx = budget_realloc(r->bucket_max, cap * sizeof *bx);
		if (bx)
			r->bucket_max = bx;
		if (!bc || !be || !bm || !bx)
			return -1;
		for (size_t j = s->capbuckets; j < cap; j++)
			bc[j] = be[j] = 0, bm[j] = bx[j] = 0;
		s->capbuckets = cap;
	}
	if (i >= r->nbuckets)
		r->nbuckets = i + 1;
	if (completed) {
		r->bucket_completed[i]++;
		r->bucket_mean[i] += latency; /* a sum until the end */
		if (latency > r->bucket_max[i])
			r->bucket_max[i] = latency;
	}
	r->bucket_errors[i] += errors;
	return 0;
}

static void touch(struct be *b, double now)
{
	b->st->busy += (double)b->active * (now - b->last);
	b->last = now;
}

static int start(struct sim *s, uint32_t i, double now, uint32_t req, double arrival)
{
	struct be *b = &s->b[i];
	double t = lb_service_draw(&b->cfg->service, &b->rng);
	return push(&s->h, (struct ev){.t = now + t, .arrival = arrival, .req = req, .backend = i,
				       .epoch = b->epoch, .kind = EV_COMPLETE});
}

static int enqueue(struct be *b, double arrival, uint32_t req)
{
	if (b->qlen == b->qcap) {
		size_t cap = b->qcap ? 2 * b->qcap : 64;
		struct waiting *q = budget_malloc(cap * sizeof *q);
		if (!q)
			return -1;
		for (size_t k = 0; k < b->qlen; k++)
			q[k] = b->q[(b->qhead + k) % b->qcap];
		budget_free(b->q);
		b->q = q;
		b->qhead = 0;
		b->qcap = cap;
	}
	b->q[(b->qhead + b->qlen++) % b->qcap] = (struct waiting){arrival, req};
	if (b->qlen > b->st->max_queue)
		b->st->max_queue = b->qlen;
	return 0;
}

static struct waiting dequeue(struct be *b)
{
	struct waiting w = b->q[b->qhead];
	b->qhead = (b->qhead + 1) % b->qcap;
	b->qlen--;
	return w;
}

static const struct lb_key *client_key(struct sim *s, uint32_t client)
{
	if (!s->keys)
		return NULL;
	if (!s->have_key[client - 1]) {
		char buf[16];
		int len = snprintf(buf, sizeof buf, "%u", client);
		lb_key_make(&s->keys[client - 1], buf, (size_t)len);
		s->have_key[client - 1] = 1;
	}
	return &s->keys[client - 1];
}

/* ---- passive health: outlier ejection -------------------------------------- */

/* Tells the picker whether backend I is eligible: marked up by the health
 * checks and not ejected. */
static void apply_mark(struct sim *s, size_t i)
{
	int up = s->b[i].marked && !s->b[i].ejected;
	if (lbpick_up(s->pick, i) != up)
		lbpick_mark(s->pick, i, up);
}

/* A request to backend I failed at NOW: counts it, and ejects the backend
 * after outlier_consecutive failures in a row if the cap allows. Returns 0,
 * or -1 if memory runs out. */
static int outlier_failed(struct sim *s, size_t i, double now)
{
	const struct lbsim_config *c = s->c;
	struct be *b = &s->b[i];
	if (c->outlier_consecutive <= 0 || b->ejected)
		return 0;
	if (++b->consec < c->outlier_consecutive)
		return 0;
	if (s->nejected > 0 &&
	    (double)(s->nejected + 1) * 100 > c->outlier_max_percent * (double)c->nbackends)
		return 0; /* the cap: try again at its next failure */
	struct lbsim_report *r = s->r;
	if (r->nejections == s->capejections) {
		size_t cap = s->capejections ? 2 * s->capejections : 16;
		struct lbsim_ejection *v = budget_realloc(r->ejections, cap * sizeof *v);
		if (!v)
			return -1;
		r->ejections = v;
		s->capejections = cap;
	}
	b->ejected = 1;
	b->consec = 0;
	b->times++;
	b->st->ejections++;
	s->nejected++;
	double until = now + c->outlier_ejection * (double)b->times;
	r->ejections[r->nejections++] = (struct lbsim_ejection){now, until, i};
	apply_mark(s, i);
	return push(&s->h, (struct ev){.t = until, .backend = (uint32_t)i, .kind = EV_RETURN});
}

/* The ejection of backend B ends. */
static void on_return(struct sim *s, const struct ev *e)
{
	struct be *b = &s->b[e->backend];
	b->ejected = 0;
	b->consec = 0;
	s->nejected--;
	apply_mark(s, e->backend);
}

/* ---- events --------------------------------------------------------------- */

/* The next arrival after NOW, if requests remain. */
static void schedule_arrival(struct sim *s, double now)
{
	s->arrival_pending = s->next_req < s->c->requests;
	if (s->arrival_pending) {
		s->next_arrival = now + rng_exponential(&s->arrivals, s->c->rate);
		s->arrival_seq = s->h.seq++;
	}
}

static int on_arrival(struct sim *s, double now)
{
	const struct lbsim_config *c = s->c;
	struct lbsim_report *r = s->r;
	uint32_t req = (uint32_t)s->next_req++;
	s->in_system++;
	schedule_arrival(s, now);
	const struct lb_key *key = NULL;
	if (s->keys) {
		uint32_t client = s->zipf ? (uint32_t)zipf_sample(s->zipf, &s->clientrng)
					  : (uint32_t)rng_below(&s->clientrng, c->clients) + 1;
		key = client_key(s, client);
	}
	r->duration = now;
	int i = lbpick_pick(s->pick, key);
	if (i < 0) {
		r->unavailable++;
		ended(s, req);
		return series(s, now, 0, 0, 1);
	}
	struct be *b = &s->b[i];
	b->st->routed++;
	if (!b->up) { /* connection refused */
		r->failed++;
		b->st->failed++;
		lbpick_fail(s->pick, (size_t)i);
		ended(s, req);
		if (outlier_failed(s, (size_t)i, now) < 0)
			return -1;
		return series(s, now, 0, 0, 1);
	}
	if (b->active < b->cfg->capacity) {
		touch(b, now);
		b->active++;
		return start(s, (uint32_t)i, now, req, now);
	}
	if (b->cfg->queue < 0 || b->qlen < (size_t)b->cfg->queue)
		return enqueue(b, now, req);
	r->rejected++;
	b->st->rejected++;
	lbpick_fail(s->pick, (size_t)i);
	ended(s, req);
	if (outlier_failed(s, (size_t)i, now) < 0)
		return -1;
	return series(s, now, 0, 0, 1);
}

static int on_complete(struct sim *s, const struct ev *e)
{
	struct be *b = &s->b[e->backend];
	if (e->epoch != b->epoch) { /* it went down meanwhile: counted as failed then */
		ended(s, e->req);
		return 0;
	}
	struct lbsim_report *r = s->r;
	double lat = e->t - e->arrival;
	touch(b, e->t);
	r->duration = e->t;
	s->lat[r->completed++] = lat;
	b->st->completed++;
	b->st->latency_sum += lat;
	b->consec = 0;
	lbpick_done(s->pick, e->backend, lat);
	ended(s, e->req);
	if (b->qlen) { /* the freed slot takes the next in line */
		struct waiting w = dequeue(b);
		if (start(s, e->backend, e->t, w.req, w.arrival) < 0)
			return -1;
	} else {
		b->active--;
	}
	return series(s, e->t, 1, lat, 0);
}

static int on_change(struct sim *s, const struct ev *e)
{
	struct be *b = &s->b[e->backend];
	if (!e->down) {
		if (!b->up) {
			b->up = 1;
			b->last = e->t;
		}
		return 0;
	}
	if (!b->up)
		return 0;
	touch(b, e->t);
	b->up = 0;
	b->epoch++;
	uint64_t lost = (uint64_t)b->active + b->qlen;
	s->r->failed += lost;
	b->st->failed += lost;
	for (uint64_t k = 0; k < lost; k++) {
		lbpick_fail(s->pick, e->backend);
		if (outlier_failed(s, e->backend, e->t) < 0)
			return -1;
	}
	while (b->qlen) /* the ones in service end when their stale events come up */
		ended(s, dequeue(b).req);
	b->active = 0;
	return series(s, e->t, 0, 0, lost);
}

static int on_check(struct sim *s, double now)
{
	const struct lbsim_config *c = s->c;
	struct lbsim_report *r = s->r;
	for (size_t i = 0; i < c->nbackends; i++) {
		struct be *b = &s->b[i];
		int marked = b->marked, flip = 0;
		if (b->up) {
			b->hc_fail = 0;
			if (b->hc_ok < c->rise)
				b->hc_ok++;
			flip = !marked && b->hc_ok >= c->rise;
		} else {
			b->hc_ok = 0;
			if (b->hc_fail < c->fall)
				b->hc_fail++;
			flip = marked && b->hc_fail >= c->fall;
		}
		if (!flip)
			continue;
		b->marked = !marked;
		apply_mark(s, i);
		if (r->nmarks == s->capmarks) {
			size_t cap = s->capmarks ? 2 * s->capmarks : 16;
			struct lbsim_mark *m = budget_realloc(r->marks, cap * sizeof *m);
			if (!m)
				return -1;
			r->marks = m;
			s->capmarks = cap;
		}
		r->marks[r->nmarks++] = (struct lbsim_mark){now, i, !marked};
	}
	if (s->next_req < c->requests || s->in_system > 0)
		return push(&s->h, (struct ev){.t = now + c->health_interval, .kind = EV_CHECK});
	return 0;
}

/* ---- the run --------------------------------------------------------------- */

/* Moves the K-th smallest of V[lo..hi] to V[k], with no larger value before
 * it and no smaller one after (Hoare's FIND with Wirth's partition and a
 * median-of-three pivot). Expected O(hi - lo). */
static void select_kth(double *v, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
	while (lo < hi) {
		double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
		double x = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		ptrdiff_t i = lo, j = hi;
		do { /* x is in the range, so both scans stop inside it */
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		} while (i <= j);
		/* now v[lo..j] <= x <= v[i..hi], and everything between equals x */
		if (j < k)
			lo = i;
		if (k < i)
			hi = j;
	}
}

/* Nearest-rank percentile P of the N latencies in V (reordered), with every
 * value before FROM already known to be smaller: the value at rank
 * ceil(p * n). Returns its index. */
static size_t percentile(double *v, size_t n, size_t from, double p)
{
	size_t k = (size_t)ceil(p * (double)n);
	k = k ? k - 1 : 0;
	select_kth(v, (ptrdiff_t)from, (ptrdiff_t)n - 1, (ptrdiff_t)k);
	return k;
}

static uint64_t stream(uint64_t seed, uint64_t k)
{
	return chash_mix64(seed + 0x9E3779B97F4A7C15ull * (k + 1));
}

static int setup(struct sim *s)
{
	const struct lbsim_config *c = s->c;
	struct lbsim_report *r = s->r;
	size_t n = c->nbackends;
	struct lbpick_backend *pb = budget_calloc(n, sizeof *pb);
	s->b = budget_calloc(n, sizeof *s->b);
	r->backend = budget_calloc(n, sizeof *r->backend);
	s->lat = budget_malloc(c->requests * sizeof *s->lat);
	if (!pb || !s->b || !r->backend || !s->lat) {
		budget_free(pb);
		return -1;
	}
	r->nbackends = n;
	for (size_t i = 0; i < n; i++) {
		pb[i] = (struct lbpick_backend){c->backends[i].name, c->backends[i].weight,
						c->backends[i].backup};
		s->b[i].cfg = &c->backends[i];
		s->b[i].up = 1;
		s->b[i].marked = 1;
		s->b[i].st = &r->backend[i];
		rng_seed(&s->b[i].rng, stream(c->seed, 1 + i));
	}
	s->pick = lbpick_new(c->strategy, pb, n, stream(c->seed, 0x7069636b), c->alpha);
	budget_free(pb);
	if (!s->pick)
		return -1;
	rng_seed(&s->arrivals, stream(c->seed, 0));
	rng_seed(&s->clientrng, stream(c->seed, 0x636c69656e74));
	if (c->client_skew > 0 && !(s->zipf = zipf_new(c->clients, c->client_skew)))
		return -1;
	if (lb_strategy_keyed(c->strategy)) {
		s->keys = budget_malloc(c->clients * sizeof *s->keys);
		s->have_key = budget_calloc(c->clients, 1);
		if (!s->keys || !s->have_key)
			return -1;
	}
	if (c->audit && !(s->seen = budget_calloc(c->requests, 1)))
		return -1;
	/* backend changes first, so at equal times they precede everything else */
	for (size_t i = 0; i < c->nevents; i++)
		if (push(&s->h, (struct ev){.t = c->events[i].at, .backend = (uint32_t)c->events[i].backend,
					    .down = (uint8_t)(c->events[i].down != 0), .kind = EV_CHANGE}) < 0)
			return -1;
	schedule_arrival(s, 0);
	if (c->health_interval > 0 &&
	    push(&s->h, (struct ev){.t = c->health_interval, .kind = EV_CHECK}) < 0)
		return -1;
	return 0;
}

static int finish(struct sim *s)
{
	const struct lbsim_config *c = s->c;
	struct lbsim_report *r = s->r;
	r->requests = c->requests;
	r->throughput = r->duration > 0 ? (double)r->completed / r->duration : 0;
	for (size_t i = 0; i < c->nbackends; i++) {
		struct be *b = &s->b[i];
		if (b->up)
			touch(b, r->duration > b->last ? r->duration : b->last);
		double cap = (double)b->cfg->capacity * r->duration;
		r->backend[i].utilisation = cap > 0 ? r->backend[i].busy / cap : 0;
	}
	for (size_t k = 0; k < r->nbuckets; k++)
		if (r->bucket_completed[k])
			r->bucket_mean[k] /= (double)r->bucket_completed[k];
	r->bucket = c->bucket;
	size_t n = (size_t)r->completed;
	if (n) {
		double sum = 0, max = 0;
		for (size_t k = 0; k < n; k++) {
			sum += s->lat[k];
			if (s->lat[k] > max)
				max = s->lat[k];
		}
		r->mean = sum / (double)n;
		r->max = max;
		/* each selection leaves the smaller values in front, so the next
		 * one only searches the rest */
		size_t k50 = percentile(s->lat, n, 0, 0.50);
		r->p50 = s->lat[k50];
		size_t k95 = percentile(s->lat, n, k50, 0.95);
		r->p95 = s->lat[k95];
		r->p99 = s->lat[percentile(s->lat, n, k95, 0.99)];
	}
	r->audit_ok = -1;
	if (s->seen) {
		int ok = !s->audit_bad && s->in_system == 0 &&
			 r->completed + r->failed + r->rejected + r->unavailable == c->requests;
		for (uint64_t k = 0; k < c->requests && ok; k++)
			ok = s->seen[k] == 1;
		for (size_t i = 0; i < c->nbackends && ok; i++)
			ok = lbpick_outstanding(s->pick, i) == 0 && lbpick_check(s->pick) == 0;
		r->audit_ok = ok;
	}
	return 0;
}

int lbsim_run(const struct lbsim_config *c, struct lbsim_report *r)
{
	memset(r, 0, sizeof *r);
	if (lbsim_validate(c))
		return -1;
	struct sim s = {.c = c, .r = r};
	int rc = setup(&s);
	for (uint64_t round = 1; rc == 0 && (s.h.n > 0 || s.arrival_pending); round++) {
		if (budget_poll(round)) {
			rc = -1;
			break;
		}
		if (s.arrival_pending &&
		    (s.h.n == 0 || ev_before(&(struct ev){.t = s.next_arrival, .seq = s.arrival_seq},
					     &s.h.v[0]))) {
			rc = on_arrival(&s, s.next_arrival);
			continue;
		}
		struct ev e = pop(&s.h);
		switch (e.kind) {
		case EV_COMPLETE: rc = on_complete(&s, &e); break;
		case EV_CHANGE: rc = on_change(&s, &e); break;
		case EV_CHECK: rc = on_check(&s, e.t); break;
		case EV_RETURN: on_return(&s, &e); break;
		}
	}
	if (rc == 0)
		rc = finish(&s);
	budget_free(s.h.v);
	for (size_t i = 0; s.b && i < c->nbackends; i++)
		budget_free(s.b[i].q);
	budget_free(s.b);
	lbpick_free(s.pick);
	zipf_free(s.zipf);
	budget_free(s.keys);
	budget_free(s.have_key);
	budget_free(s.lat);
	budget_free(s.seen);
	if (rc < 0)
		lbsim_report_free(r);
	return rc;
}

void lbsim_report_free(struct lbsim_report *r)
{
	budget_free(r->backend);
	budget_free(r->marks);
	budget_free(r->ejections);
	budget_free(r->bucket_completed);
	budget_free(r->bucket_errors);
	budget_free(r->bucket_mean);
	budget_free(r->bucket_max);
	memset(r, 0, sizeof *r);
}
