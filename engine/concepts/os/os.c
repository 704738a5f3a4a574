/*
 * os.c — page replacement, Belady's anomaly search and page-table sizes
 * (os.h).
 */
#include "engine/concepts/os/os.h"

#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

struct pair {
	int64_t page;
	size_t idx;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * NEXT[i]: the index of the next reference to refs[i]'s page (N if none);
 * PREV[i]: of the previous one ((size_t)-1 if none). 0, or -1 on memory.
 */
static int next_prev(const int64_t *refs, size_t n, size_t *next, size_t *prev)
{
	struct pair *p = budget_malloc((n ? n : 1) * sizeof *p);
	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		p[i] = (struct pair){refs[i], i};
	qsort(p, n, sizeof *p, cmp_pair);
	for (size_t i = 0; i < n; i++) {
		int same_next = i + 1 < n && p[i + 1].page == p[i].page;
		int same_prev = i > 0 && p[i - 1].page == p[i].page;
		next[p[i].idx] = same_next ? p[i + 1].idx : n;
		prev[p[i].idx] = same_prev ? p[i - 1].idx : (size_t)-1;
	}
	budget_free(p);
	return 0;
}

/* Frame state of the fixed-frame policies. */
struct mem {
	int F, used;
	int64_t *page;     /* F pages, -1 free */
	size_t *stamp;     /* fifo: load time; lru: last use; opt: next use */
	char *bit;         /* clock, second: use bits */
	int *queue;        /* second: frames in FIFO order (used entries) */
	int hand;          /* clock */
};

static int find(const struct mem *m, int64_t page)
{
	for (int f = 0; f < m->used; f++)
		if (m->page[f] == page)
			return f;
	return -1;
}

static int argmin(const size_t *v, int n)
{
	int best = 0;
	for (int f = 1; f < n; f++)
		if (v[f] < v[best])
			best = f;
	return best;
}

static int argmax(const size_t *v, int n)
{
	int best = 0;
	for (int f = 1; f < n; f++)
		if (v[f] > v[best])
			best = f;
	return best;
}

/* The frame the policy empties for a fault (every frame is full). */
static int victim(struct mem *m, enum os_policy p, struct rng *g)
{
	switch (p) {
	case OS_FIFO:
	case OS_LRU:
		return argmin(m->stamp, m->F);
	case OS_OPT:
		return argmax(m->stamp, m->F);
	case OS_RANDOM:
		return (int)rng_below(g, (uint64_t)m->F);
	case OS_CLOCK:
		for (;;) {
			int f = m->hand;
			m->hand = (m->hand + 1) % m->F;
			if (!m->bit[f])
				return f;
			m->bit[f] = 0;
		}
	case OS_SECOND:
		for (;;) {
			int f = m->queue[0];
			memmove(m->queue, m->queue + 1, (size_t)(m->F - 1) * sizeof *m->queue);
			if (!m->bit[f])
				return f;   /* the caller appends it again, loaded */
			m->bit[f] = 0;
			m->queue[m->F - 1] = f;
		}
	default:
		return 0;
	}
}

static void mem_free(struct mem *m)
{
	budget_free(m->page);
	budget_free(m->stamp);
	budget_free(m->bit);
	budget_free(m->queue);
}

/* The working-set policy: no frames, a window of references. */
static void run_ws(const int64_t *refs, size_t n, const size_t *next, const size_t *prev,
		   size_t tau, struct os_paging_result *r, struct os_ref *trace)
{
	size_t ws = 0;
	double sum = 0;
	for (size_t t = 0; t < n; t++) {
		/* a hit: the page was referenced in the tau references before t */
		int hit = prev[t] != (size_t)-1 && t - prev[t] <= tau;
		if (prev[t] == (size_t)-1 || t - prev[t] >= tau)
			ws++;      /* not in (t - tau, t): it enters W(t, tau) */
		if (t >= tau) {    /* reference t - tau leaves the window */
			size_t k = t - tau;
			if (next[k] > t)
				ws--;   /* its page is referenced no later in the window */
		}
		if (hit)
			r->hits++;
		else
			r->faults++;
		if (ws > r->max_ws)
			r->max_ws = ws;
		sum += (double)ws;
		if (trace)
			trace[t] = (struct os_ref){refs[t], hit, -1, -1};
	}
	r->mean_ws = n ? sum / (double)n : 0;
}

int os_paging(const int64_t *refs, size_t n, const struct os_paging_config *c,
	      struct os_paging_result *r, struct os_ref *trace, int64_t *frames)
{
	memset(r, 0, sizeof *r);
	size_t *next = budget_malloc((n ? n : 1) * sizeof *next);
	size_t *prev = budget_malloc((n ? n : 1) * sizeof *prev);
	struct mem m = {.F = c->frames};
	int rc = -1;
	struct rng g;
	rng_seed(&g, c->seed);
	if (!next || !prev || next_prev(refs, n, next, prev) != 0)
		goto out;
	if (c->policy == OS_WS) {
		run_ws(refs, n, next, prev, (size_t)c->window, r, trace);
		rc = 0;
		goto out;
	}
	m.page = budget_malloc((size_t)m.F * sizeof *m.page);
	m.stamp = budget_calloc((size_t)m.F, sizeof *m.stamp);
	m.bit = budget_calloc((size_t)m.F, 1);
	m.queue = budget_calloc((size_t)m.F, sizeof *m.queue);
	if (!m.page || !m.stamp || !m.bit || !m.queue)
		goto out;
	for (int f = 0; f < m.F; f++)
		m.page[f] = -1;
	for (size_t t = 0; t < n; t++) {
		if (budget_poll(t))
			goto out;
		int64_t evicted = -1;
		int f = find(&m, refs[t]);
		int hit = f >= 0;
		if (hit) {
			r->hits++;
		} else {
			r->faults++;
			if (m.used < m.F) {
				f = m.used++;
			} else {
				f = victim(&m, c->policy, &g);
				evicted = m.page[f];
			}
			m.page[f] = refs[t];
			if (c->policy == OS_FIFO)
				m.stamp[f] = t;
			if (c->policy == OS_SECOND)
				m.queue[m.used - 1] = f;   /* the tail: fill, or after victim() */
			if (c->policy == OS_CLOCK && evicted < 0)
				m.hand = m.used % m.F;
		}
		if (c->policy == OS_LRU)
			m.stamp[f] = t;
		if (c->policy == OS_OPT)
			m.stamp[f] = next[t];
		m.bit[f] = 1;
		if (trace)
			trace[t] = (struct os_ref){refs[t], hit, evicted, f};
		if (frames)
			memcpy(frames + t * (size_t)m.F, m.page, (size_t)m.F * sizeof *m.page);
	}
	r->max_ws = (size_t)m.used;
	r->mean_ws = m.used;
	rc = 0;
out:
	mem_free(&m);
	budget_free(next);
	budget_free(prev);
	return rc;
}

long os_belady(enum os_policy policy, int f, int pages, size_t length, long tries,
	       uint64_t seed, int64_t *out, size_t *faults_f, size_t *faults_f1)
{
	struct rng g;
	rng_seed(&g, seed);
	for (long k = 1; k <= tries; k++) {
		for (size_t i = 0; i < length; i++)
			out[i] = 1 + (int64_t)rng_below(&g, (uint64_t)pages);
		struct os_paging_config a = {policy, f, 1, seed}, b = {policy, f + 1, 1, seed};
		struct os_paging_result ra, rb;
		if (os_paging(out, length, &a, &ra, NULL, NULL) != 0 ||
		    os_paging(out, length, &b, &rb, NULL, NULL) != 0)
			return -1;
		if (rb.faults > ra.faults) {
			*faults_f = ra.faults;
			*faults_f1 = rb.faults;
			return k;
		}
		if (budget_poll((unsigned long long)k))
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The number of distinct values of the sorted V[0..N). */
static size_t distinct(const uint64_t *v, size_t n)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			d++;
	return d;
}

int os_pagetable(const struct os_pt_config *c, const int64_t *addrs, size_t n,
		 struct os_pt_result *r)
{
	memset(r, 0, sizeof *r);
	uint64_t *vpn = budget_malloc((n ? n : 1) * sizeof *vpn);
	uint64_t *pre = budget_malloc((n ? n : 1) * sizeof *pre);
	if (!vpn || !pre) {
		budget_free(vpn);
		budget_free(pre);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		vpn[i] = (uint64_t)addrs[i] >> c->page_bits;
	qsort(vpn, n, sizeof *vpn, cmp_u64);
	r->pages = distinct(vpn, n);
	int below = c->va_bits - c->page_bits;   /* VPN bits not yet consumed */
	for (int lv = 0; lv < c->nlevels; lv++) {
		/* a table at level lv exists for each distinct prefix above it */
		for (size_t i = 0; i < n; i++)
			pre[i] = vpn[i] >> below;
		r->tables[lv] = n ? distinct(pre, n) : (lv == 0);
		if (lv == 0)
			r->tables[0] = 1;   /* the root exists even with nothing mapped */
		r->bytes += (double)r->tables[lv] * (double)((uint64_t)1 << c->levels[lv]) * c->pte_bytes;
		below -= c->levels[lv];
	}
	r->linear_bytes = (double)((uint64_t)1 << (c->va_bits - c->page_bits)) * c->pte_bytes;
	budget_free(vpn);
	budget_free(pre);
	return 0;
}
