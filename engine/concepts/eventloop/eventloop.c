/*
 * eventloop.c — the loop's queues and phases, and the server models
 * (eventloop.h).
 */
#include "engine/concepts/eventloop/eventloop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/base/stats.h"
#include "engine/concepts/rand/rand.h"

const char *const evl_kind_names[] = {"main", "timer", "io", "immediate", "tick", "microtask", NULL};

enum { PH_TIMERS, PH_POLL, PH_CHECK };

void evl_init(struct evl *e)
{
	memset(e, 0, sizeof *e);
}

void evl_free(struct evl *e)
{
	budget_free(e->timers.v);
	budget_free(e->io.v);
	budget_free(e->immediates.v);
	budget_free(e->ticks.v);
	budget_free(e->micros.v);
	memset(e, 0, sizeof *e);
}

static size_t qlen(const struct evl_queue *q)
{
	return q->n - q->head;
}

static int before(struct evl_item a, struct evl_item b)
{
	return a.due < b.due || (a.due == b.due && a.seq < b.seq);
}

/* Appends IT; SORTED makes the queue a binary heap on (due, seq) instead of
 * a FIFO (head stays 0). 0, or -1 on memory. */
static int qpush(struct evl_queue *q, struct evl_item it, int sorted)
{
	if (q->head > 0 && q->head == q->n)
		q->head = q->n = 0;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct evl_item *v = budget_realloc(q->v, cap * sizeof *v);
		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	size_t i = q->n++;
	if (sorted)
		for (; i > 0 && before(it, q->v[(i - 1) / 2]); i = (i - 1) / 2)
			q->v[i] = q->v[(i - 1) / 2];   /* sift up */
	q->v[i] = it;
	return 0;
}

static struct evl_item qpop(struct evl_queue *q)
{
	return q->v[q->head++];
}

/* Removes the heap's first item (the earliest). */
static struct evl_item hpop(struct evl_queue *q)
{
	struct evl_item top = q->v[0], last = q->v[--q->n];
	size_t i = 0;
	for (;;) {   /* sift LAST down from the root */
		size_t c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && before(q->v[c + 1], q->v[c]))
			c++;
		if (!before(q->v[c], last))
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n > 0)
		q->v[i] = last;
	return top;
}

int evl_add(struct evl *e, enum evl_kind kind, double delay, int id)
{
	struct evl_item it = {id, e->now, e->seq++};
	switch (kind) {
	case EVL_TIMER:
		it.due = e->now + (delay < 1 ? 1 : delay);   /* Node: under 1 ms is 1 ms */
		return qpush(&e->timers, it, 1);
	case EVL_IO:
		it.due = e->now + (delay < 0 ? 0 : delay);
		return qpush(&e->io, it, 1);
	case EVL_IMMEDIATE:
		return qpush(&e->immediates, it, 0);
	case EVL_TICK:
		return qpush(&e->ticks, it, 0);
	case EVL_MICRO:
		return qpush(&e->micros, it, 0);
	default:
		return -1;
	}
}

static int give(struct evl_queue *q, int *id)
{
	*id = qpop(q).id;
	return 1;
}

static int hgive(struct evl_queue *q, int *id)
{
	*id = hpop(q).id;
	return 1;
}

int evl_next(struct evl *e, int *id, enum evl_kind *kind)
{
	/* between callbacks: nextTicks, then microtasks (all of them), again */
	if (e->in_micro && qlen(&e->micros))
		return *kind = EVL_MICRO, give(&e->micros, id);
	e->in_micro = 0;
	if (qlen(&e->ticks))
		return *kind = EVL_TICK, give(&e->ticks, id);
	if (qlen(&e->micros)) {
		e->in_micro = 1;
		return *kind = EVL_MICRO, give(&e->micros, id);
	}
	if (!e->started) {   /* the main script and its ticks are done: the loop starts */
		e->started = 1;
		e->now += e->startup;
	}
	for (;;) {
		if (!qlen(&e->timers) && !qlen(&e->io) && !qlen(&e->immediates))
			return 0;
		switch (e->phase) {
		case PH_TIMERS:
			if (qlen(&e->timers) && e->timers.v[0].due <= e->now)
				return *kind = EVL_TIMER, hgive(&e->timers, id);
			e->phase = PH_POLL;
			break;
		case PH_POLL:
			if (qlen(&e->io) && e->io.v[0].due <= e->now)
				return *kind = EVL_IO, hgive(&e->io, id);
			if (!qlen(&e->immediates)) {   /* wait for the next timer or I/O */
				double t = INFINITY;
				if (qlen(&e->timers))
					t = e->timers.v[0].due;
				int io_first = qlen(&e->io) && e->io.v[0].due < t;
				if (io_first)
					t = e->io.v[0].due;
				if (t > e->now)
					e->now = t;
				if (io_first)
					return *kind = EVL_IO, hgive(&e->io, id);
			}
			e->phase = PH_CHECK;
			e->check_left = qlen(&e->immediates);
			break;
		default:   /* check */
			if (e->check_left > 0) {
				e->check_left--;
				return *kind = EVL_IMMEDIATE, give(&e->immediates, id);
			}
			e->phase = PH_TIMERS;
			break;
		}
	}
}

/* ---- server models ---- */


/* The index of the smallest of V[0..N). */
static int earliest(const double *v, int n)
{
	int b = 0;
	for (int i = 1; i < n; i++)
		if (v[i] < v[b])
			b = i;
	return b;
}

void evl_serve_free(struct evl_serve_result *r)
{
	budget_free(r->arrival);
	budget_free(r->latency);
	memset(r, 0, sizeof *r);
}

/* The peak of requests in the system: arrivals +1, completions -1. */
static size_t peak(const double *arr, const double *done, size_t n, double *scratch)
{
	/* encode: sort completions, walk arrivals (already in order) */
	memcpy(scratch, done, n * sizeof *scratch);
	stats_sort(scratch, n);
	size_t in = 0, best = 0, j = 0;
	for (size_t i = 0; i < n; i++) {
		while (j < n && scratch[j] <= arr[i])
			j++, in--;
		in++;
		if (in > best)
			best = in;
	}
	return best;
}

int evl_serve(const struct evl_serve_config *c, struct evl_serve_result *r)
{
	size_t n = c->requests;
	int cores = c->model == EVL_LOOP ? 1 : c->cores, W = c->workers;
	memset(r, 0, sizeof *r);
	r->arrival = budget_malloc(n * sizeof *r->arrival);
	r->latency = budget_malloc(n * sizeof *r->latency);
	double *done = budget_malloc(n * sizeof *done), *tmp = budget_malloc(n * sizeof *tmp);
	double *core = budget_calloc((size_t)cores, sizeof *core);
	double *worker = budget_calloc((size_t)(W > 0 ? W : 1), sizeof *worker);
	int rc = -1;
	if (!r->arrival || !r->latency || !done || !tmp || !core || !worker)
		goto out;
	struct rng g;
	rng_seed(&g, c->seed);
	double t = 0;
	for (size_t i = 0; i < n; i++) {
		if (budget_poll(i))
			goto out;
		t += rng_exponential(&g, c->rate) * 1000;   /* ms */
		int blocks = c->block_every && (i + 1) % c->block_every == 0;
		double wait = blocks ? c->block_ms : c->io_ms, start = t, end;
		if (c->model == EVL_POOL) {   /* first a free worker, held to the end */
			int w = earliest(worker, W);
			start = worker[w] > t ? worker[w] : t;
			int k = earliest(core, cores);
			double cs = core[k] > start ? core[k] : start;
			core[k] = cs + c->cpu_ms;
			end = core[k] + wait;
			worker[w] = end;
		} else {
			int k = earliest(core, cores);
			double cs = core[k] > t ? core[k] : t;
			if (c->model == EVL_LOOP && blocks) {   /* the wait holds the only thread */
				core[k] = cs + c->cpu_ms + wait;
				end = core[k];
			} else {
				core[k] = cs + c->cpu_ms;
				end = core[k] + wait;
			}
		}
		r->arrival[i] = t;
		done[i] = end;
		r->latency[i] = end - t;
	}
	r->n = n;
	double last = 0;
	for (size_t i = 0; i < n; i++)
		if (done[i] > last)
			last = done[i];
	r->throughput = n && last > r->arrival[0] ? (double)n / ((last - r->arrival[0]) / 1000) : 0;
	memcpy(tmp, r->latency, n * sizeof *tmp);
	stats_sort(tmp, n);
	r->p50 = n ? stats_rank(tmp, n, 0.50) : 0;
	r->p99 = n ? stats_rank(tmp, n, 0.99) : 0;
	r->max = n ? tmp[n - 1] : 0;
	r->peak_concurrent = peak(r->arrival, done, n, tmp);
	double per = c->model == EVL_THREADS ? c->stack_kb + c->conn_kb : c->conn_kb;
	r->peak_kb = (double)r->peak_concurrent * per + (c->model == EVL_POOL ? W * c->stack_kb : 0) +
		     (c->model == EVL_LOOP ? c->stack_kb : 0);
	rc = 0;
out:
	budget_free(done);
	budget_free(tmp);
	budget_free(core);
	budget_free(worker);
	if (rc != 0)
		evl_serve_free(r);
	return rc;
}
