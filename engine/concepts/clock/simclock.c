/* simclock.c — simulated time and a timer heap; see simclock.h. */
#include "engine/concepts/clock/simclock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"

struct timer {
	double at;
	uint64_t id;
};

struct simclock {
	double now;
	uint64_t next_id;
	struct timer *heap;
	size_t n, cap;
};

static int before(const struct timer *a, const struct timer *b)
{
	return a->at < b->at || (a->at == b->at && a->id < b->id);
}

static void swap(struct timer *a, struct timer *b)
{
	struct timer t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct timer *h, size_t i)
{
	while (i > 0 && before(&h[i], &h[(i - 1) / 2])) {
		swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct timer *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && before(&h[l], &h[m]))
			m = l;
		if (r < n && before(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		swap(&h[i], &h[m]);
		i = m;
	}
}

static void remove_at(struct simclock *c, size_t i)
{
	c->heap[i] = c->heap[--c->n];
	if (i < c->n) {
		sift_down(c->heap, c->n, i);
		sift_up(c->heap, i);
	}
}

struct simclock *simclock_new(double start)
{
	struct simclock *c = budget_calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->now = isfinite(start) ? start : 0;
	c->next_id = 1;
	return c;
}

void simclock_free(struct simclock *c)
{
	if (c) {
		budget_free(c->heap);
		budget_free(c);
	}
}

double simclock_now(const struct simclock *c)
{
	return c->now;
}

size_t simclock_pending(const struct simclock *c)
{
	return c->n;
}

uint64_t simclock_after(struct simclock *c, double delay)
{
	if (!(delay >= 0) || !isfinite(delay))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct timer *h = budget_realloc(c->heap, cap * sizeof *h);
		if (!h)
			return 0;
		c->heap = h;
		c->cap = cap;
	}
	c->heap[c->n] = (struct timer){c->now + delay, c->next_id};
	sift_up(c->heap, c->n++);
	return c->next_id++;
}

int simclock_cancel(struct simclock *c, uint64_t id)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->heap[i].id == id) {
			remove_at(c, i);
			return 1;
		}
	}
	return 0;
}

int simclock_pop_due(struct simclock *c, double t, uint64_t *id, double *at)
{
	if (!(t >= c->now) || !isfinite(t))
		return -1;
	if (c->n > 0 && c->heap[0].at <= t) {
		*id = c->heap[0].id;
		*at = c->heap[0].at;
		c->now = c->heap[0].at;
		remove_at(c, 0);
		return 1;
	}
	c->now = t;
	return 0;
}

int simclock_check(const struct simclock *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->heap[i].at < c->now || c->heap[i].id >= c->next_id)
			return -1;
		if (i > 0 && before(&c->heap[i], &c->heap[(i - 1) / 2]))
			return -1;
	}
	return 0;
}

static int cmp_timer(const void *a, const void *b)
{
	return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

size_t simclock_timers(const struct simclock *c, uint64_t *ids, double *ats, size_t max)
{
	struct timer *t = budget_malloc((c->n ? c->n : 1) * sizeof *t);
	if (!t)
		return 0;
	memcpy(t, c->heap, c->n * sizeof *t);
	qsort(t, c->n, sizeof *t, cmp_timer);
	size_t n = c->n < max ? c->n : max;
	for (size_t i = 0; i < n; i++) {
		ids[i] = t[i].id;
		ats[i] = t[i].at;
	}
	budget_free(t);
	return n;
}
