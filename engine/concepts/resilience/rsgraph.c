/*
 * rsgraph.c — services, calls and the caller's policy (resilience.h): what
 * happens to one request at one service, and to one call over one edge.
 */
#include "engine/concepts/resilience/rsim.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int find(const struct rs_config *c, const char *name)
{
	for (int i = 0; i < c->nservices; i++)
		if (strcmp(c->services[i].name, name) == 0)
			return i;
	return -1;
}

static const char *check_policy(const struct rs_policy *p)
{
	if (!(p->timeout >= 0 && isfinite(p->timeout)))
		return "timeout must be a number of seconds (0: none)";
	if (p->retries < 0 || p->retries > 100)
		return "retries must be between 0 and 100";
	if (!(p->backoff >= 0 && p->cap >= p->backoff && isfinite(p->cap)))
		return "backoff must be >= 0 and cap >= backoff";
	if (!(p->budget >= 0 && p->budget_min >= 1))
		return "budget must be >= 0 and budget_min >= 1";
	return NULL;
}

const char *rs_config_check(const struct rs_config *c, char *buf, size_t size)
{
	if (c->nservices < 1)
		return "there must be at least one service";
	if (!(c->duration > 0 && c->duration <= 1e6 && c->drain >= 0 && c->drain <= 1e6))
		return "duration must be in (0, 1e6] seconds and drain in [0, 1e6]";
	if (!(c->interval > 0) || (c->duration + c->drain) / c->interval > 1e6)
		return "interval must be positive, and the run at most 1000000 intervals";
	if (!(c->rate >= 0 && c->rate <= 1e7))
		return "rate must be between 0 and 1e7 requests a second";
	if (c->keys < 0 || c->keys > RS_MAX_KEYS || !(c->skew >= 0 && c->skew <= 5) ||
	    !(c->writes >= 0 && c->writes <= 1))
		return "keys must be in [0, 1e9], skew in [0, 5] and writes in [0, 1]";
	if (find(c, c->entry) < 0) {
		snprintf(buf, size, "the entry '%s' is no service", c->entry);
		return buf;
	}
	if (!(c->trace_sample >= 0 && c->trace_sample <= 1) ||
	    (c->trace_sample > 0 && (c->trace_max < 1 || c->trace_max > RS_MAX_TRACES)))
		return "trace: sample must be in [0, 1] and max in [1, 10000]";
	const char *why = check_policy(&c->client);
	if (why)
		return why;
	for (int i = 0; i < c->nservices; i++) {
		const struct rs_service_cfg *v = &c->services[i];
		if (find(c, v->name) != i) {
			snprintf(buf, size, "two services are called '%s'", v->name);
			return buf;
		}
		if (v->cache < 0 || v->cache > 100000000 || (unsigned)v->route > RS_ROUTE_KEY) {
			snprintf(buf, size, "service '%s': cache must be in [0, 1e8] items, route all, "
				 "one or key", v->name);
			return buf;
		}
		for (int k = 0; k < v->ncalls; k++) {
			int to = find(c, v->calls[k].to);
			if (to < 0 || to <= i) {
				snprintf(buf, size, "service '%s' calls '%s', which is %s", v->name,
					 v->calls[k].to, to < 0 ? "no service"
					 : "not listed after it (calls go down the list: no cycles)");
				return buf;
			}
			if (!(v->calls[k].weight > 0)) {
				snprintf(buf, size, "service '%s' calling '%s': weight must be "
					 "positive", v->name, v->calls[k].to);
				return buf;
			}
			if ((why = check_policy(&v->calls[k].p))) {
				snprintf(buf, size, "service '%s' calling '%s': %s", v->name,
					 v->calls[k].to, why);
				return buf;
			}
		}
	}
	for (int i = 0; i < c->nswitches; i++)
		if (find(c, c->switches[i].entry) < 0 || !(c->switches[i].at >= 0)) {
			snprintf(buf, size, "client.switches[%d]: '%s' is no service", i + 1,
				 c->switches[i].entry);
			return buf;
		}
	for (int f = 0; f < c->nfaults; f++) {
		const struct rs_fault *x = &c->faults[f];
		if (find(c, x->service) < 0) {
			snprintf(buf, size, "faults[%d]: '%s' is no service", f + 1, x->service);
			return buf;
		}
		if (!(x->at >= 0 && x->until > x->at)) {
			snprintf(buf, size, "faults[%d]: until must come after at", f + 1);
			return buf;
		}
	}
	return NULL;
}

/* Makes edge E from FROM (-1: the client) to TO with policy P, ASYNC or not. */
static int add_edge(struct sim *s, int from, int to, const struct rs_policy *p, int async)
{
	struct edge *e = &s->edges[s->nedges];
	e->from = from;
	e->to = to;
	e->p = p;
	e->async = async;
	rs_budget_init(&e->bud, p->budget, p->budget_min);
	const char *why;
	if (p->breaker && rs_breaker_init(&e->br, &p->br, &why))
		return s->failed = why, -1;
	s->r->edge_from[s->nedges] = from;
	s->r->edge_to[s->nedges] = to;
	return s->nedges++;
}

int rs_setup_graph(struct sim *s)
{
	const struct rs_config *c = s->c;
	for (int f = 0; f < c->nfaults; f++)
		s->fault_svc[f] = find(c, c->faults[f].service);
	for (int i = 0; i < c->nswitches; i++)
		s->switch_svc[i] = find(c, c->switches[i].entry);
	if (add_edge(s, -1, find(c, c->entry), &c->client, 0) < 0)
		return -1;
	for (int i = 0; i < c->nservices; i++) {
		struct svc *v = &s->svc[i];
		v->c = &c->services[i];
		rs_lru_init(&v->lru, v->c->cache);
		for (int k = 0; k < v->c->ncalls; k++) {
			int e = add_edge(s, i, find(c, v->c->calls[k].to), &v->c->calls[k].p,
					 v->c->calls[k].async);
			if (e < 0)
				return -1;
			v->edges[k] = e;
		}
		if (v->c->limited) {
			struct ratelimit_config rc = {.algorithm = RATELIMIT_TOKEN_BUCKET,
						      .rate = v->c->limit_rate,
						      .burst = v->c->limit_burst};
			const char *why = NULL;
			if (!(v->rl = ratelimit_new(&rc, &why)))
				return s->failed = why, -1;
		}
	}
	s->r->nedges = s->nedges;
	return 0;
}

void rs_free_graph(struct sim *s)
{
	for (int e = 0; e < s->nedges; e++) {
		s->r->edges[e].budget_refused = s->edges[e].bud.refused;
		rs_breaker_free(&s->edges[e].br);
	}
	for (int i = 0; i < s->c->nservices; i++) {
		budget_free(s->svc[i].q);
		ratelimit_free(s->svc[i].rl);
		rs_lru_free(&s->svc[i].lru);
		budget_free(s->svc[i].lag);
		s->svc[i].lag = NULL;
		s->svc[i].q = NULL;
		s->svc[i].rl = NULL;
	}
}

/* ---- breaker transitions, recorded for the result ---- */

static int note(struct sim *s, int e, enum rs_breaker_state from)
{
	enum rs_breaker_state to = s->edges[e].br.state;
	if (to == from)
		return 0;
	struct rs_result *r = s->r;
	if (r->ntransitions == s->cap_tr) {
		size_t cap = s->cap_tr ? 2 * s->cap_tr : 64;
		struct rs_transition *t = budget_realloc(r->transitions, cap * sizeof *t);
		if (!t)
			return s->failed = "not enough memory", -1;
		r->transitions = t;
		s->cap_tr = cap;
	}
	r->transitions[r->ntransitions++] = (struct rs_transition){s->now, e, from, to};
	return 0;
}

/* ---- calls: the caller's side ---- */

static int resolve(struct sim *s, int c, int outcome);
static int dep_result(struct sim *s, int j, int outcome);

/* Sends the next attempt of call C, or fails it fast (breaker, bulkhead). */
static int attempt(struct sim *s, int c)
{
	struct call *k = &s->calls[c];
	struct edge *e = &s->edges[k->edge];
	struct rs_edge_count *n = &s->r->edges[k->edge];
	/* a retry of a call whose job is gone (its service went down) is not
	 * traced: a crashed process sends nothing in a real system */
	if (k->tspan >= 0 && k->job >= 0 && (s->jobs[k->job].gen != k->job_gen ||
					     s->jobs[k->job].state != JOB_WAITING))
		k->tspan = -1;
	k->aspan = -1;
	if (k->tspan >= 0) {
		int a = rs_span_open(s, k->tspan, RS_SPAN_CLIENT, e->from, e->to, k->attempt);
		if (a < 0)
			return -1;
		k->aspan = a;
	}
	/* the bulkhead first: a call it refuses must not take a half-open
	 * breaker's probe, whose outcome would then never come */
	if (e->p->bulkhead && e->inflight >= e->p->bulkhead) {
		n->bulkhead_refused++;
		rs_span_end(s, k->aspan, RS_ST_BULKHEAD);
		return resolve(s, c, OUT_FAIL);
	}
	if (e->p->breaker) {
		enum rs_breaker_state was = e->br.state;
		int ok = rs_breaker_allow(&e->br, s->now);
		if (note(s, k->edge, was))
			return -1;
		if (!ok) {
			n->breaker_refused++;
			rs_span_end(s, k->aspan, RS_ST_BREAKER);
			return resolve(s, c, OUT_FAIL);
		}
	}
	int j = rs_new_job(s);
	if (j < 0)
		return -1;
	k = &s->calls[c];               /* the pools may have moved */
	e->inflight++;
	n->attempts++;
	k->gen++;
	k->pending = 1;
	struct job *b = &s->jobs[j];
	b->service = e->to;
	b->call = c;
	b->call_gen = k->gen;
	b->state = JOB_SENT;                  /* until its arrival event */
	b->arrived = s->now;
	b->dep = 0;
	b->degraded = 0;
	b->span = -1;
	b->key = k->key;
	b->op = k->op;
	b->async = (unsigned char)e->async;
	b->missed = 0;
	if (k->tspan >= 0) {
		int sv = rs_span_open(s, k->aspan, RS_SPAN_SERVER, e->to, -1, 0);
		if (sv < 0)
			return -1;
		s->jobs[j].span = sv;
	}
	if (rs_push(s, s->now, EV_JOB_ARRIVE, j, b->gen, 0))
		return -1;
	if (e->p->timeout > 0 && !e->async &&
	    rs_push(s, s->now + e->p->timeout, EV_TIMEOUT, c, k->gen, 0))
		return -1;
	return 0;
}

/* A new logical call over edge E for job J (-1: a client request), whose
 * attempts' spans hang from span TSPAN (-1: not traced), for a request
 * of KEY and OP. */
static int call(struct sim *s, int e, int j, int tspan, uint64_t key, int op)
{
	int c = rs_new_call(s);
	if (c < 0)
		return -1;
	struct call *k = &s->calls[c];
	k->edge = e;
	k->job = j;
	k->job_gen = j >= 0 ? s->jobs[j].gen : 0;
	k->live = 1;
	k->pending = 0;
	k->attempt = 0;
	k->created = s->now;
	k->prev = 0;
	k->tspan = tspan;
	k->aspan = -1;
	k->key = key;
	k->op = (unsigned char)op;
	s->r->edges[e].calls++;
	if (s->edges[e].p->budget > 0)
		rs_budget_request(&s->edges[e].bud);
	return attempt(s, c);
}

int rs_client_request(struct sim *s)
{
	s->r->client_series[rs_interval(s)].requests++;
	int root = rs_trace_request(s);
	if (root < -1)
		return -1;
	uint64_t key = s->c->keys > 0 ? (uint64_t)rs_zipf_draw(&s->zipf, &s->r_key) : 0;
	int op = s->c->writes > 0 && rng_uniform(&s->r_op) < s->c->writes ? OP_WRITE : OP_READ;
	if (op == OP_WRITE)
		s->r->writes++;
	else
		s->r->reads++;
	return call(s, 0, -1, root, key, op);
}

int rs_attempt_result(struct sim *s, int c, uint32_t gen, int outcome, int timed_out)
{
	struct call *k = &s->calls[c];
	if (!k->live || k->gen != gen || !k->pending)
		return 0;                       /* an attempt that already ended */
	struct edge *e = &s->edges[k->edge];
	struct rs_edge_count *n = &s->r->edges[k->edge];
	k->pending = 0;
	e->inflight--;
	if (timed_out)
		n->timeouts++;
	rs_span_end(s, k->aspan, timed_out ? RS_ST_TIMEOUT : outcome == OUT_FAIL ? RS_ST_ERROR
				 : outcome == OUT_DEGRADED ? RS_ST_DEGRADED : RS_ST_OK);
	if (e->p->breaker) {
		enum rs_breaker_state was = e->br.state;
		rs_breaker_record(&e->br, s->now, outcome != OUT_FAIL);
		if (note(s, k->edge, was))
			return -1;
	}
	if (outcome != OUT_FAIL)
		return resolve(s, c, outcome);
	if (k->attempt < e->p->retries && (e->p->budget <= 0 || rs_budget_retry(&e->bud))) {
		double d = rs_backoff(e->p->jitter, e->p->backoff, e->p->cap, k->attempt, k->prev,
				      &s->r_jitter);
		k->attempt++;
		k->prev = d;
		n->retries++;
		return rs_push(s, s->now + d, EV_RETRY, c, k->gen, 0);
	}
	return resolve(s, c, OUT_FAIL);
}

int rs_retry(struct sim *s, int c, uint32_t gen)
{
	struct call *k = &s->calls[c];
	if (!k->live || k->gen != gen)
		return 0;
	return attempt(s, c);
}

/* The end of call C: to the client, or to the job waiting for it. */
static int resolve(struct sim *s, int c, int outcome)
{
	struct call k = s->calls[c];
	struct rs_edge_count *n = &s->r->edges[k.edge];
	rs_free_call(s, c);
	if (outcome == OUT_FAIL) {
		n->failed++;
		if (s->edges[k.edge].p->fallback) {
			n->fallbacks++;
			outcome = OUT_DEGRADED;
		}
	}
	if (k.job >= 0) {
		struct job *b = &s->jobs[k.job];
		if (b->gen != k.job_gen || b->state != JOB_WAITING)
			return 0;               /* the job is gone (its service crashed) */
		return dep_result(s, k.job, outcome);
	}
	rs_span_end(s, k.tspan, outcome == OUT_OK ? RS_ST_OK : outcome == OUT_DEGRADED
				 ? RS_ST_DEGRADED : RS_ST_FAILED);
	struct rs_client_count *x = &s->r->client_series[rs_interval(s)];
	if (outcome == OUT_OK)
		x->ok++;
	else if (outcome == OUT_DEGRADED)
		x->degraded++;
	else
		x->failed++;
	if (outcome != OUT_FAIL)
		*(k.op == OP_WRITE ? &s->r->writes_ok : &s->r->reads_ok) += 1;
	if (outcome == OUT_DEGRADED && k.op == OP_WRITE)
		s->r->writes_degraded++;
	if (s->c->writes > 0 && rs_keep(s, &s->lat_op[k.op], &s->nlat_op[k.op],
					&s->cap_lat_op[k.op], s->now - k.created))
		return -1;
	return rs_keep_latency(s, s->now - k.created, 1);
}

/* ---- jobs: the callee's side ---- */

static int workers(const struct svc *v)
{
	return (int)floor(v->c->workers * v->brown + 1e-9);
}

/* Replies OUTCOME to the attempt that brought job J (none for an async
 * job once admitted), and frees J; its span ends with STATUS. */
static int reply(struct sim *s, int j, int outcome, enum rs_span_status status)
{
	struct job b = s->jobs[j];
	rs_span_end(s, b.span, status);
	rs_free_job(s, j);
	if (b.call < 0)
		return 0;
	return rs_push(s, s->now, EV_REPLY, b.call, b.call_gen, outcome);
}

static int start(struct sim *s, int j)
{
	struct job *b = &s->jobs[j];
	struct svc *v = &s->svc[b->service];
	if (v->c->shed_after > 0 && s->now - b->arrived > v->c->shed_after) {
		rs_svc_now(s, b->service)->shed++;
		v->async_failed += b->async;
		return reply(s, j, OUT_FAIL, RS_ST_SHED);
	}
	rs_busy(s, b->service, 1);
	b->state = JOB_WORKING;
	if (b->span >= 0)
		s->r->spans[b->span].queued = s->now - b->arrived;
	double mean = b->op == OP_WRITE && v->c->write_latency > 0 ? v->c->write_latency
								   : v->c->latency;
	double d = v->c->dist == RS_DETERMINISTIC ? mean : rng_exponential(&s->r_work, 1.0 / mean);
	return rs_push(s, s->now + d * v->slow, EV_WORK_DONE, j, b->gen, 0);
}

int rs_dispatch(struct sim *s, int i)
{
	struct svc *v = &s->svc[i];
	while (!v->down && v->qlen > 0 && v->busy < workers(v)) {
		int j = v->q[v->qhead];
		v->qhead = (v->qhead + 1) % v->qcap;
		v->qlen--;
		if (start(s, j))
			return -1;
	}
	return 0;
}

static int enqueue(struct sim *s, struct svc *v, int j)
{
	if (v->qlen == v->qcap) {
		size_t cap = v->qcap ? 2 * v->qcap : 64;
		int *q = budget_malloc(cap * sizeof *q);
		if (!q)
			return s->failed = "not enough memory", -1;
		for (size_t i = 0; i < v->qlen; i++)
			q[i] = v->q[(v->qhead + i) % v->qcap];
		budget_free(v->q);
		v->q = q;
		v->qcap = cap;
		v->qhead = 0;
	}
	v->q[(v->qhead + v->qlen++) % v->qcap] = j;
	return 0;
}

int rs_job_arrive(struct sim *s, int j, uint32_t gen)
{
	struct job *b = &s->jobs[j];
	if (b->gen != gen || b->state != JOB_SENT)
		return 0;
	struct svc *v = &s->svc[b->service];
	struct rs_count *n = rs_svc_now(s, b->service);
	n->arrivals++;
	if (b->op == OP_WRITE)
		n->writes++;
	else
		n->reads++;
	if (v->down || (v->rl && ratelimit_allow(v->rl, s->now, 1, NULL) != 1)) {
		n->rejected++;
		return reply(s, j, OUT_FAIL, RS_ST_REJECTED);
	}
	if (b->op == OP_WRITE && v->c->read_only) {
		n->errors++;                    /* a replica refuses writes */
		return reply(s, j, OUT_FAIL, RS_ST_ERROR);
	}
	int now = v->busy < workers(v) && v->qlen == 0;
	if (!now && (int)v->qlen >= v->c->queue) {
		n->rejected++;                  /* backpressure: the queue is full */
		return reply(s, j, OUT_FAIL, RS_ST_REJECTED);
	}
	if (b->async) {                         /* admitted: the caller goes on */
		if (rs_push(s, s->now, EV_REPLY, b->call, b->call_gen, OUT_OK))
			return -1;
		b = &s->jobs[j];
		b->call = -1;
	}
	if (now)
		return start(s, j);
	b->state = JOB_QUEUED;
	return enqueue(s, v, j);
}

/* Job J finished with OUTCOME: a read the cache missed and that
 * succeeded fills it; an async job's lag counts; its worker goes to the
 * next in the queue. */
static int finish(struct sim *s, int j, int outcome)
{
	struct job *b = &s->jobs[j];
	int i = b->service;
	struct svc *v = &s->svc[i];
	struct rs_count *n = rs_svc_now(s, i);
	if (outcome == OUT_FAIL)
		n->errors++;
	else
		n->ok++;
	if (b->degraded && outcome == OUT_OK)
		outcome = OUT_DEGRADED;
	if (b->missed && b->key && outcome == OUT_OK && rs_lru_insert(&v->lru, b->key))
		return s->failed = "not enough memory", -1;
	if (b->async && rs_keep(s, &v->lag, &v->nlag, &v->cap_lag, s->now - b->arrived))
		return -1;
	v->async_failed += b->async && outcome == OUT_FAIL;
	rs_busy(s, i, -1);
	if (reply(s, j, outcome, outcome == OUT_FAIL ? RS_ST_ERROR : outcome == OUT_DEGRADED
					  ? RS_ST_DEGRADED : RS_ST_OK))
		return -1;
	return rs_dispatch(s, i);
}

/* Whether call K is made for requests of OP. */
static int eligible(const struct rs_call_cfg *k, int op)
{
	return k->ops == RS_OPS_ALL || (k->ops == RS_OPS_WRITE) == (op == OP_WRITE);
}

/* Route "one": the eligible dependency a request of OP goes to, drawn by
 * weight; -1 if none is eligible. */
static int pick(struct sim *s, const struct rs_service_cfg *c, int op)
{
	double total = 0, x;
	int last = -1;
	for (int k = 0; k < c->ncalls; k++)
		if (eligible(&c->calls[k], op))
			total += c->calls[k].weight, last = k;
	if (last < 0)
		return -1;
	x = rng_uniform(&s->r_work) * total;
	for (int k = 0; k < last; k++)
		if (eligible(&c->calls[k], op) && (x -= c->calls[k].weight) < 0)
			return k;
	return last;
}

/* Route "key": the eligible dependency at index rs_shard(KEY, eligible). */
static int by_key(const struct rs_service_cfg *c, uint64_t key, int op)
{
	int n = 0;
	for (int k = 0; k < c->ncalls; k++)
		n += eligible(&c->calls[k], op);
	if (n == 0)
		return -1;
	int want = rs_shard(key, n);
	for (int k = 0;; k++)
		if (eligible(&c->calls[k], op) && want-- == 0)
			return k;
}

static int next_dep(struct sim *s, int j)
{
	struct job *b = &s->jobs[j];
	const struct rs_service_cfg *c = s->svc[b->service].c;
	int k;
	if (c->route == RS_ROUTE_ALL) {
		while (b->dep < c->ncalls && !eligible(&c->calls[b->dep], b->op))
			b->dep++;
		if (b->dep >= c->ncalls)
			return finish(s, j, OUT_OK);
		k = b->dep++;
	} else {
		if (b->dep >= c->ncalls)
			return finish(s, j, OUT_OK);
		k = c->route == RS_ROUTE_ONE ? pick(s, c, b->op) : by_key(c, b->key, b->op);
		b->dep = c->ncalls;
		if (k < 0)
			return finish(s, j, OUT_OK);
	}
	b->state = JOB_WAITING;
	return call(s, s->svc[b->service].edges[k], j, b->span, b->key, b->op);
}

static int dep_result(struct sim *s, int j, int outcome)
{
	if (outcome == OUT_FAIL)
		return finish(s, j, OUT_FAIL);
	if (outcome == OUT_DEGRADED)
		s->jobs[j].degraded = 1;
	return next_dep(s, j);
}

int rs_work_done(struct sim *s, int j, uint32_t gen)
{
	struct job *b = &s->jobs[j];
	if (b->gen != gen || b->state != JOB_WORKING)
		return 0;
	if (rng_uniform(&s->r_fail) < s->svc[b->service].err)
		return finish(s, j, OUT_FAIL);
	struct svc *v = &s->svc[b->service];
	if (v->c->cache > 0) {                  /* look-aside: before any dependency */
		if (b->op == OP_WRITE) {
			rs_lru_delete(&v->lru, b->key);   /* invalidation */
		} else if (b->key && rs_lru_hit(&v->lru, b->key)) {
			rs_svc_now(s, b->service)->hits++;
			return finish(s, j, OUT_OK);
		} else {
			rs_svc_now(s, b->service)->misses++;
			b->missed = 1;
		}
	}
	return next_dep(s, j);
}

/* Service I went down: every request inside it fails now. */
int rs_crash(struct sim *s, int i)
{
	struct svc *v = &s->svc[i];
	for (size_t j = 0; j < s->njobs; j++) {
		struct job *b = &s->jobs[j];
		if (b->service != i || b->state == JOB_FREE || b->state == JOB_SENT)
			continue;             /* a job on its way arrives to a down service */
		rs_svc_now(s, i)->errors++;
		v->async_failed += b->async;
		if (reply(s, (int)j, OUT_FAIL, RS_ST_CRASHED))
			return -1;
	}
	rs_busy(s, i, -v->busy);
	v->qlen = 0;
	v->qhead = 0;
	rs_lru_clear(&v->lru);                  /* a restarted cache is cold */
	return 0;
}
