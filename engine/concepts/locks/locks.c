/*
 * locks.c — the lock manager and the cycle finder of locks.h. The
 * double-booking simulation is in booking.c.
 */
#include "engine/concepts/locks/locks.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

struct req {
	uint32_t tx;
	int mode;
	int upgrade;      /* queued: holds S, wants X */
};

struct lres {
	int64_t res;
	struct req *held, *queue;
	int nheld, capheld, nqueue, capqueue;
};

struct ltx {
	int known;
	int aborted;
	int waiting;      /* queued somewhere */
	int64_t wres;
	int wmode;
	int nlocks;
};

struct lockmgr {
	int rule;
	struct lres *res;
	int nres, capres;
	struct ltx *tx;   /* by id */
	uint32_t ntx;
	struct lk_stats st;
};

static int grow(void *p, int n, int *cap, size_t size)
{
	if (n < *cap)
		return 0;
	int c = *cap ? 2 * *cap : 4;
	void *q = budget_realloc(*(void **)p, (size_t)c * size);
	if (!q)
		return -1;
	*(void **)p = q;
	*cap = c;
	return 0;
}

static int compatible(int a, int b)
{
	return a == LK_S && b == LK_S;
}

struct lockmgr *lk_new(int rule)
{
	struct lockmgr *m = budget_calloc(1, sizeof *m);
	if (m)
		m->rule = rule;
	return m;
}

void lk_free(struct lockmgr *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nres; i++) {
		budget_free(m->res[i].held);
		budget_free(m->res[i].queue);
	}
	budget_free(m->res);
	budget_free(m->tx);
	budget_free(m);
}

/* The transaction record of ID, made on first use; NULL out of memory. */
static struct ltx *tx_of(struct lockmgr *m, uint32_t id)
{
	if (id >= m->ntx) {
		uint32_t n = m->ntx ? m->ntx : 16;
		while (n <= id)
			n *= 2;
		struct ltx *t = budget_realloc(m->tx, (size_t)n * sizeof *t);
		if (!t)
			return NULL;
		memset(t + m->ntx, 0, (size_t)(n - m->ntx) * sizeof *t);
		m->tx = t;
		m->ntx = n;
	}
	m->tx[id].known = 1;
	return &m->tx[id];
}

static const struct ltx *tx_peek(const struct lockmgr *m, uint32_t id)
{
	return id < m->ntx && m->tx[id].known ? &m->tx[id] : NULL;
}

static struct lres *res_find(const struct lockmgr *m, int64_t res, int *pos)
{
	int lo = 0, hi = m->nres;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (m->res[mid].res < res)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < m->nres && m->res[lo].res == res ? &m->res[lo] : NULL;
}

static struct lres *res_get(struct lockmgr *m, int64_t res)
{
	int pos;
	struct lres *r = res_find(m, res, &pos);
	if (r)
		return r;
	if (grow(&m->res, m->nres, &m->capres, sizeof *m->res) != 0)
		return NULL;
	memmove(m->res + pos + 1, m->res + pos, (size_t)(m->nres - pos) * sizeof *m->res);
	memset(&m->res[pos], 0, sizeof m->res[pos]);
	m->res[pos].res = res;
	m->nres++;
	return &m->res[pos];
}

static int held_by(const struct lres *r, uint32_t tx)
{
	for (int i = 0; i < r->nheld; i++)
		if (r->held[i].tx == tx)
			return i;
	return -1;
}

/* Whether the request Q could be granted now against R's holders. */
static int grantable(const struct lres *r, const struct req *q)
{
	for (int i = 0; i < r->nheld; i++)
		if (r->held[i].tx != q->tx && !compatible(r->held[i].mode, q->mode))
			return 0;
	return 1;
}

static void add_grant(struct lk_grant *out, size_t max, size_t *n, uint32_t tx, int64_t res,
		      int mode)
{
	if (out && *n < max)
		out[*n] = (struct lk_grant){tx, res, mode};
	(*n)++;
}

/* Grants R's queue in order while it can. */
static void grant_queue(struct lockmgr *m, struct lres *r, struct lk_grant *out, size_t max,
			size_t *n)
{
	while (r->nqueue && grantable(r, &r->queue[0])) {
		struct req q = r->queue[0];
		memmove(r->queue, r->queue + 1, (size_t)(r->nqueue - 1) * sizeof *r->queue);
		r->nqueue--;
		int h = held_by(r, q.tx);
		if (h >= 0) {
			r->held[h].mode = q.mode; /* an upgrade */
		} else {
			/* room was reserved when it queued (capheld >= holders + queue) */
			r->held[r->nheld++] = q;
			m->tx[q.tx].nlocks++;
		}
		m->tx[q.tx].waiting = 0;
		m->st.granted++;
		add_grant(out, max, n, q.tx, r->res, q.mode);
	}
}

/* Removes TX from R (held and queued); 1 if it held a lock there. */
static int drop_from(struct lres *r, uint32_t tx)
{
	int had = 0;
	for (int i = 0; i < r->nheld; i++)
		if (r->held[i].tx == tx) {
			memmove(r->held + i, r->held + i + 1, (size_t)(r->nheld - i - 1) * sizeof *r->held);
			r->nheld--;
			had = 1;
			break;
		}
	for (int i = 0; i < r->nqueue; i++)
		if (r->queue[i].tx == tx) {
			memmove(r->queue + i, r->queue + i + 1, (size_t)(r->nqueue - i - 1) * sizeof *r->queue);
			r->nqueue--;
			break;
		}
	return had;
}

static int release_all(struct lockmgr *m, uint32_t tx, struct lk_grant *out, size_t max,
		       size_t *n)
{
	int released = 0;
	for (int i = 0; i < m->nres; i++)
		released += drop_from(&m->res[i], tx);
	for (int i = 0; i < m->nres; i++)
		grant_queue(m, &m->res[i], out, max, n);
	struct ltx *t = &m->tx[tx];
	t->waiting = 0;
	t->nlocks = 0;
	return released;
}

size_t lk_edges(const struct lockmgr *m, uint32_t *out, size_t max)
{
	size_t n = 0;
	for (int i = 0; i < m->nres; i++) {
		const struct lres *r = &m->res[i];
		for (int w = 0; w < r->nqueue; w++) {
			const struct req *q = &r->queue[w];
			for (int h = 0; h < r->nheld; h++)
				if (r->held[h].tx != q->tx && !compatible(r->held[h].mode, q->mode)) {
					if (n < max) {
						out[2 * n] = q->tx;
						out[2 * n + 1] = r->held[h].tx;
					}
					n++;
				}
			for (int a = 0; a < w; a++)
				if (!compatible(r->queue[a].mode, q->mode)) {
					if (n < max) {
						out[2 * n] = q->tx;
						out[2 * n + 1] = r->queue[a].tx;
					}
					n++;
				}
		}
	}
	return n;
}

/* ---- cycles ---- */

struct edge {
	uint32_t from, to;
};

static int by_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static size_t index_of(const uint32_t *nodes, size_t k, uint32_t id)
{
	size_t lo = 0, hi = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nodes[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Writes the cycle STACK[from..top] to CYCLE, starting at its smallest id. */
static size_t emit_cycle(const uint32_t *nodes, const size_t *stack, size_t from, size_t top,
			 uint32_t *cycle, size_t max)
{
	size_t len = top - from + 1, start = from;
	for (size_t i = from; i <= top; i++)
		if (nodes[stack[i]] < nodes[stack[start]])
			start = i;
	for (size_t j = 0; j < len && j < max; j++)
		cycle[j] = nodes[stack[from + (start - from + j) % len]];
	return len;
}

size_t lk_find_cycle(const uint32_t *from, const uint32_t *to, size_t n, uint32_t *cycle,
		     size_t max)
{
	if (n == 0)
		return 0;
	struct edge *e = budget_malloc(n * sizeof *e);
	uint32_t *nodes = budget_malloc(2 * n * sizeof *nodes);
	size_t *first = budget_malloc((2 * n + 1) * sizeof *first);
	size_t *stack = budget_malloc(2 * n * sizeof *stack);
	size_t *cursor = budget_malloc(2 * n * sizeof *cursor);
	unsigned char *color = budget_calloc(2 * n, 1);
	size_t found = 0;
	if (!e || !nodes || !first || !stack || !cursor || !color)
		goto out;
	for (size_t i = 0; i < n; i++) {
		e[i] = (struct edge){from[i], to[i]};
		nodes[2 * i] = from[i];
		nodes[2 * i + 1] = to[i];
	}
	qsort(e, n, sizeof *e, by_edge);
	qsort(nodes, 2 * n, sizeof *nodes, by_u32);
	size_t k = 0;
	for (size_t i = 0; i < 2 * n; i++)
		if (k == 0 || nodes[k - 1] != nodes[i])
			nodes[k++] = nodes[i];
	/* first[i]: the first edge of node i; edges of i are first[i]..first[i+1] */
	for (size_t i = 0, j = 0; i <= k; i++) {
		while (j < n && i < k && e[j].from < nodes[i])
			j++;
		first[i] = i < k ? j : n;
	}
	for (size_t root = 0; root < k && !found; root++) {
		if (color[root])
			continue;
		size_t top = 0;
		stack[0] = root;
		cursor[0] = first[root];
		color[root] = 1;
		for (;;) {
			size_t u = stack[top];
			size_t end = first[u + 1] < n && u + 1 < k ? first[u + 1] : n;
			if (cursor[top] < end && e[cursor[top]].from == nodes[u]) {
				size_t v = index_of(nodes, k, e[cursor[top]++].to);
				if (color[v] == 1) {
					size_t at = 0;
					while (stack[at] != v)
						at++;
					found = emit_cycle(nodes, stack, at, top, cycle, max);
					break;
				}
				if (color[v] == 0) {
					color[v] = 1;
					stack[++top] = v;
					cursor[top] = first[v];
				}
			} else {
				color[u] = 2;
				if (top == 0)
					break;
				top--;
			}
		}
	}
out:
	budget_free(e);
	budget_free(nodes);
	budget_free(first);
	budget_free(stack);
	budget_free(cursor);
	budget_free(color);
	return found;
}

/* ---- requests ---- */

/* Picks the victim of CYCLE (LEN ids) by M's rule. */
static uint32_t pick_victim(const struct lockmgr *m, const uint32_t *cycle, size_t len)
{
	uint32_t v = cycle[0];
	for (size_t i = 1; i < len; i++) {
		uint32_t c = cycle[i];
		if (m->rule == LK_VICTIM_FEWEST_LOCKS) {
			int a = m->tx[c].nlocks, b = m->tx[v].nlocks;
			if (a < b || (a == b && c > v))
				v = c;
		} else if (c > v) {
			v = c;
		}
	}
	return v;
}

int lk_lock(struct lockmgr *m, uint32_t tx, int64_t res, int mode, uint32_t *victim,
	    uint32_t *cycle, size_t max, size_t *ncycle, struct lk_grant *granted, size_t maxg,
	    size_t *ngranted)
{
	*ncycle = 0;
	*ngranted = 0;
	struct ltx *t = tx_of(m, tx);
	struct lres *r = t ? res_get(m, res) : NULL;
	if (!r)
		return -1;
	if (t->waiting || t->aborted)
		return -2;
	/* room for this request as a holder and as a waiter, before anything */
	if (grow(&r->held, r->nheld + r->nqueue, &r->capheld, sizeof *r->held) != 0 ||
	    grow(&r->queue, r->nqueue, &r->capqueue, sizeof *r->queue) != 0)
		return -1;
	m->st.requests++;
	int h = held_by(r, tx);
	struct req q = {tx, mode, 0};
	if (h >= 0) {
		if (r->held[h].mode == LK_X || mode == LK_S) {
			m->st.granted++;
			return LK_GRANTED;   /* already covered */
		}
		if (r->nheld == 1) {
			r->held[h].mode = LK_X; /* the only holder upgrades */
			m->st.granted++;
			return LK_GRANTED;
		}
		q.upgrade = 1;
		memmove(r->queue + 1, r->queue, (size_t)r->nqueue * sizeof *r->queue);
		r->queue[0] = q;
		r->nqueue++;
	} else if (r->nqueue == 0 && grantable(r, &q)) {
		r->held[r->nheld++] = q;
		t->nlocks++;
		m->st.granted++;
		return LK_GRANTED;
	} else {
		r->queue[r->nqueue++] = q;
	}
	t->waiting = 1;
	t->wres = res;
	t->wmode = mode;
	m->st.waits++;
	/* did waiting close a cycle? */
	size_t ne = lk_edges(m, NULL, 0);
	uint32_t *pairs = budget_malloc((ne ? ne : 1) * 2 * sizeof *pairs);
	uint32_t *fr = budget_malloc((ne ? ne : 1) * sizeof *fr);
	uint32_t *to = budget_malloc((ne ? ne : 1) * sizeof *to);
	uint32_t *cyc = budget_malloc((2 * ne + 1) * sizeof *cyc);
	int rc = LK_WAITING;
	if (!pairs || !fr || !to || !cyc) {
		rc = -1;
	} else {
		lk_edges(m, pairs, ne);
		for (size_t i = 0; i < ne; i++) {
			fr[i] = pairs[2 * i];
			to[i] = pairs[2 * i + 1];
		}
		size_t len = lk_find_cycle(fr, to, ne, cyc, 2 * ne + 1);
		if (len) {
			/* report it starting at TX */
			size_t at = 0;
			while (at < len && cyc[at] != tx)
				at++;
			for (size_t j = 0; j < len && j < max; j++)
				cycle[j] = cyc[(at + j) % len];
			*ncycle = len;
			*victim = pick_victim(m, cyc, len);
			m->st.deadlocks++;
			release_all(m, *victim, granted, maxg, ngranted);
			m->tx[*victim].aborted = 1;
			rc = LK_DEADLOCK;
		}
	}
	budget_free(pairs);
	budget_free(fr);
	budget_free(to);
	budget_free(cyc);
	if (rc == -1) { /* undo the wait */
		drop_from(r, tx);
		if (h >= 0) {
			r->held[r->nheld++] = (struct req){tx, LK_S, 0};
		}
		t->waiting = 0;
	}
	return rc;
}

int lk_release(struct lockmgr *m, uint32_t tx, struct lk_grant *granted, size_t max, size_t *n)
{
	*n = 0;
	if (!tx_peek(m, tx))
		return 0;
	int released = release_all(m, tx, granted, max, n);
	m->tx[tx].aborted = 0;
	m->st.releases++;
	return released;
}

int lk_aborted(const struct lockmgr *m, uint32_t tx)
{
	const struct ltx *t = tx_peek(m, tx);
	return t && t->aborted;
}

int lk_waiting(const struct lockmgr *m, uint32_t tx, int64_t *res, int *mode)
{
	const struct ltx *t = tx_peek(m, tx);
	if (!t || !t->waiting)
		return 0;
	*res = t->wres;
	*mode = t->wmode;
	return 1;
}

size_t lk_holders(const struct lockmgr *m, int64_t res, struct lk_grant *out, size_t max)
{
	int pos;
	const struct lres *r = res_find(m, res, &pos);
	if (!r)
		return 0;
	for (int i = 0; i < r->nheld && (size_t)i < max; i++)
		out[i] = (struct lk_grant){r->held[i].tx, res, r->held[i].mode};
	return (size_t)r->nheld;
}

const struct lk_stats *lk_stats(const struct lockmgr *m)
{
	return &m->st;
}
