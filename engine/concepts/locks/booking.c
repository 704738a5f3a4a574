/*
 * booking.c — the double-booking race of locks.h, simulated.
 *
 * CLIENTS book slots (a room for a night) chosen by a Zipf law of SKEW, one
 * attempt after another, THINK seconds apart on average; a booking holds
 * its slot for HOLD seconds, then the slot is free again. Every statement
 * takes QUERY seconds. An attempt by strategy:
 *
 *   none         read the slot; if free, insert the booking and commit.
 *                Two attempts that both read "free" both book: a double
 *                booking (counted when the second commits while the first
 *                holds the slot).
 *   for_update   lock the slot exclusively first (SELECT ... FOR UPDATE),
 *                waiting in line if another attempt holds the lock; then
 *                read, insert, commit, unlock.
 *   unique       insert at once; a unique index on the slot refuses a
 *                second booking. If another attempt's insert is still
 *                uncommitted, the index makes this one wait for it (as
 *                PostgreSQL does), then refuses it.
 *   optimistic   read the slot and its version; insert with "... WHERE
 *                version = v" at commit; if the version moved, start again
 *                (a retry), at most RETRIES times.
 *
 * Discrete events on a simulated clock, seeded: the same config gives the
 * same result. Loops poll budget_stop().
 */
#include "engine/concepts/locks/locks.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum kind { EV_START, EV_READ, EV_INSERT, EV_COMMIT, EV_FREE };

struct event {
	double t;
	uint64_t seq;
	int client;   /* EV_FREE: the slot */
	enum kind kind;
};

struct client {
	int slot;
	double start, waited_since;
	long long version;
	int tries;
	int waiting;  /* for a lock or an insert */
};

struct slot {
	double until;        /* held by a booking until then (free when <= now) */
	long long version;
	int lock;            /* for_update: the client holding the lock, or -1 */
	int pending;         /* unique: the client with an uncommitted insert, or -1 */
	int *queue, nq, capq;
};

struct sim {
	const struct bk_config *c;
	struct bk_result *r;
	struct rng rng;
	struct zipf *z;
	struct event *heap;
	size_t n, cap;
	uint64_t seq;
	struct client *cl;
	struct slot *sl;
	double *lat;
	size_t nlat, caplat;
	double now;
};

static int ev_less(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int push(struct sim *s, double t, int client, enum kind k)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct event *h = budget_realloc(s->heap, cap * sizeof *h);
		if (!h)
			return -1;
		s->heap = h;
		s->cap = cap;
	}
	size_t i = s->n++;
	s->heap[i] = (struct event){t, s->seq++, client, k};
	while (i > 0 && ev_less(&s->heap[i], &s->heap[(i - 1) / 2])) {
		struct event x = s->heap[i];
		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = x;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct event pop(struct sim *s)
{
	struct event top = s->heap[0];
	s->heap[0] = s->heap[--s->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->n && ev_less(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->n && ev_less(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		struct event x = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = x;
		i = m;
	}
	return top;
}

static int enqueue(struct slot *sl, int client)
{
	if (sl->nq == sl->capq) {
		int cap = sl->capq ? 2 * sl->capq : 4;
		int *q = budget_realloc(sl->queue, (size_t)cap * sizeof *q);
		if (!q)
			return -1;
		sl->queue = q;
		sl->capq = cap;
	}
	sl->queue[sl->nq++] = client;
	return 0;
}

static int dequeue(struct slot *sl)
{
	int c = sl->queue[0];
	memmove(sl->queue, sl->queue + 1, (size_t)(sl->nq - 1) * sizeof *sl->queue);
	sl->nq--;
	return c;
}

/* An attempt of client I ends now; its next starts after some thought. */
static int finish(struct sim *s, int i)
{
	struct client *c = &s->cl[i];
	if (s->nlat == s->caplat) {
		size_t cap = s->caplat ? 2 * s->caplat : 1024;
		double *l = budget_realloc(s->lat, cap * sizeof *l);
		if (!l)
			return -1;
		s->lat = l;
		s->caplat = cap;
	}
	s->lat[s->nlat++] = s->now - c->start;
	return push(s, s->now + rng_exponential(&s->rng, 1.0 / s->c->think), i, EV_START);
}

static void stop_waiting(struct sim *s, int i)
{
	struct client *c = &s->cl[i];
	if (c->waiting) {
		s->r->wait_time += s->now - c->waited_since;
		c->waiting = 0;
	}
}

/* for_update: client I's lock is released; the next in line gets it. */
static int unlock(struct sim *s, struct slot *sl)
{
	sl->lock = -1;
	if (!sl->nq)
		return 0;
	int next = dequeue(sl);
	sl->lock = next;
	stop_waiting(s, next);
	return push(s, s->now + s->c->query, next, EV_READ);
}

/* unique: the pending insert ends; those waiting on it are refused. */
static int end_pending(struct sim *s, struct slot *sl)
{
	sl->pending = -1;
	while (sl->nq) {
		int w = dequeue(sl);
		stop_waiting(s, w);
		s->r->taken++;
		if (finish(s, w) != 0)
			return -1;
	}
	return 0;
}

static int step(struct sim *s, struct event ev)
{
	const struct bk_config *cf = s->c;
	struct bk_result *r = s->r;
	if (ev.kind == EV_FREE) {
		struct slot *sl = &s->sl[ev.client];
		if (sl->until <= s->now)
			sl->version++; /* the booking ended */
		return 0;
	}
	int i = ev.client;
	struct client *c = &s->cl[i];
	struct slot *sl = c->slot >= 0 ? &s->sl[c->slot] : NULL;
	switch (ev.kind) {
	case EV_START:
		if (s->now >= cf->duration)
			return 0; /* no new attempt after the end */
		r->attempts++;
		c->slot = (int)zipf_sample(s->z, &s->rng) - 1;
		sl = &s->sl[c->slot];
		c->start = s->now;
		c->tries = 0;
		if (cf->strategy == BK_FOR_UPDATE) {
			if (sl->lock < 0) {
				sl->lock = i;
				return push(s, s->now + cf->query, i, EV_READ);
			}
			r->waits++;
			c->waiting = 1;
			c->waited_since = s->now;
			return enqueue(sl, i);
		}
		if (cf->strategy == BK_UNIQUE)
			return push(s, s->now + cf->query, i, EV_INSERT);
		return push(s, s->now + cf->query, i, EV_READ);
	case EV_READ: /* the read statement's answer */
		c->version = sl->version;
		if (sl->until > s->now) {
			r->taken++;
			if (cf->strategy == BK_FOR_UPDATE && unlock(s, sl) != 0)
				return -1;
			return finish(s, i);
		}
		return push(s, s->now + cf->query, i, cf->strategy == BK_OPTIMISTIC ? EV_COMMIT : EV_INSERT);
	case EV_INSERT:
		if (cf->strategy == BK_UNIQUE) {
			if (sl->until > s->now) {
				r->taken++; /* the unique index refuses it */
				return finish(s, i);
			}
			if (sl->pending >= 0) {
				r->waits++;
				c->waiting = 1;
				c->waited_since = s->now;
				return enqueue(sl, i);
			}
			sl->pending = i;
		}
		return push(s, s->now + cf->query, i, EV_COMMIT);
	case EV_COMMIT:
		if (cf->strategy == BK_OPTIMISTIC && sl->version != c->version) {
			if (++c->tries >= cf->retries) {
				r->gave_up++;
				return finish(s, i);
			}
			r->retries++;
			return push(s, s->now + cf->query, i, EV_READ);
		}
		if (sl->until > s->now)
			r->double_bookings++;
		r->booked++;
		sl->until = s->now + cf->hold > sl->until ? s->now + cf->hold : sl->until;
		sl->version++;
		if (push(s, sl->until, c->slot, EV_FREE) != 0)
			return -1;
		if (cf->strategy == BK_FOR_UPDATE && unlock(s, sl) != 0)
			return -1;
		if (cf->strategy == BK_UNIQUE && end_pending(s, sl) != 0)
			return -1;
		return finish(s, i);
	default:
		return 0;
	}
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int bk_simulate(const struct bk_config *c, struct bk_result *r)
{
	memset(r, 0, sizeof *r);
	if (c->clients < 1 || c->slots < 1 || !(c->think > 0) || !(c->query > 0) ||
	    !(c->hold >= 0) || c->retries < 1 || !(c->duration > 0) || !(c->skew >= 0) ||
	    c->strategy < BK_NONE || c->strategy > BK_OPTIMISTIC)
		return -1;
	struct sim s = {.c = c, .r = r};
	rng_seed(&s.rng, c->seed);
	s.z = zipf_new((uint64_t)c->slots, c->skew);
	s.cl = budget_calloc((size_t)c->clients, sizeof *s.cl);
	s.sl = budget_calloc((size_t)c->slots, sizeof *s.sl);
	int rc = (!s.z || !s.cl || !s.sl) ? -1 : 0;
	for (int i = 0; rc == 0 && i < c->slots; i++)
		s.sl[i].lock = s.sl[i].pending = -1;
	for (int i = 0; rc == 0 && i < c->clients; i++) {
		s.cl[i].slot = -1;
		rc = push(&s, rng_exponential(&s.rng, 1.0 / c->think), i, EV_START);
	}
	long long steps = 0;
	while (rc == 0 && s.n) {
		if (++steps % 4096 == 0 && budget_stop()) {
			rc = -1;
			break;
		}
		struct event ev = pop(&s);
		s.now = ev.t;
		rc = step(&s, ev);
	}
	if (rc == 0) {
		double sum = 0;
		for (size_t i = 0; i < s.nlat; i++)
			sum += s.lat[i];
		r->latency_mean = s.nlat ? sum / (double)s.nlat : 0;
		qsort(s.lat, s.nlat, sizeof *s.lat, by_double);
		r->latency_p99 = s.nlat ? s.lat[(size_t)ceil(0.99 * (double)s.nlat) - 1] : 0;
		r->throughput = (double)r->booked / c->duration;
	}
	for (int i = 0; s.sl && i < c->slots; i++)
		budget_free(s.sl[i].queue);
	zipf_free(s.z);
	budget_free(s.cl);
	budget_free(s.sl);
	budget_free(s.heap);
	budget_free(s.lat);
	return rc;
}
