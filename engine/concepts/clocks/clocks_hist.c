/*
 * clocks_hist.c — random message-passing histories and what the clocks get
 * right about them (clocks.h). Happens-before is computed as sets of
 * events (each event's predecessors: those of the previous event of its
 * process, plus, for a receive, those of its send), not from any clock.
 */
#include "engine/concepts/clocks/clocks.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"

#include <string.h>

void history_free(struct history *h)
{
	if (h->ev)
		for (size_t i = 0; i < h->count; i++)
			budget_free(h->ev[i].vc);
	budget_free(h->ev);
	budget_free(h->hb);
	memset(h, 0, sizeof *h);
}

static void set(uint8_t *row, size_t j)
{
	row[j / 8] |= (uint8_t)(1u << (j % 8));
}

static int get(const uint8_t *row, size_t j)
{
	return (row[j / 8] >> (j % 8)) & 1;
}

int history_random(struct history *h, uint32_t n, size_t count, double skew, uint64_t seed)
{
	memset(h, 0, sizeof *h);
	if (n < 1 || n > 64 || count < 1 || count > 2000 || !(skew >= 0 && skew <= 1e6))
		return -1;
	size_t row = (count + 7) / 8;
	struct rng r;
	rng_seed(&r, seed);
	h->n = n;
	h->count = count;
	h->ev = budget_calloc(count, sizeof *h->ev);
	h->hb = budget_calloc(count * row, 1);
	uint64_t *lam = budget_calloc(n, sizeof *lam);
	uint64_t *vc = budget_calloc((size_t)n * n, sizeof *vc);
	struct hlc *hl = budget_calloc(n, sizeof *hl);
	double *offset = budget_calloc(n, sizeof *offset);
	long *last = budget_malloc(n * sizeof *last);          /* last event of each process */
	uint32_t *dest = budget_calloc(count, sizeof *dest);   /* sends: to whom; 0: received */
	int rc = -1;
	if (!h->ev || !h->hb || !lam || !vc || !hl || !offset || !last || !dest)
		goto out;
	for (uint32_t p = 0; p < n; p++) {
		offset[p] = skew * rng_uniform(&r);
		last[p] = -1;
	}
	double t = 0;
	for (size_t i = 0; i < count; i++) {
		t += rng_exponential(&r, 100.0);                 /* ~10 ms between events */
		uint32_t p = (uint32_t)rng_below(&r, n);
		struct hist_event *e = &h->ev[i];
		e->proc = p + 1;
		e->pt = t + offset[p];
		e->kind = (enum hist_kind)rng_below(&r, 3);
		if (e->kind == HIST_RECV) {                     /* the oldest send to p waiting */
			size_t s = 0;
			while (s < i && dest[s] != p + 1)
				s++;
			if (s == i)
				e->kind = HIST_LOCAL;
			else
				e->msg = s, dest[s] = 0;
		}
		if (e->kind == HIST_SEND && n > 1) {
			uint32_t q = (uint32_t)rng_below(&r, n - 1);
			dest[i] = 1 + (q >= p ? q + 1 : q);
		} else if (e->kind == HIST_SEND) {
			e->kind = HIST_LOCAL;
		}
		uint64_t *mine = &vc[(size_t)p * n];
		if (!(e->vc = budget_malloc(n * sizeof *e->vc)))
			goto out;
		if (e->kind == HIST_RECV) {
			const struct hist_event *s = &h->ev[e->msg];
			lamport_recv(&lam[p], s->lamport);
			vc_merge(mine, s->vc, n);
			mine[p]++;
			hlc_recv(&hl[p], e->pt, s->hlc.l, s->hlc.c);
		} else {
			lamport_tick(&lam[p]);
			mine[p]++;
			hlc_now(&hl[p], e->pt);
		}
		e->lamport = lam[p];
		memcpy(e->vc, mine, n * sizeof *e->vc);
		e->hlc = hl[p];
		/* happens-before: as sets of predecessors */
		uint8_t *pred = &h->hb[i * row]; /* row i: the events before i (transposed below) */
		if (last[p] >= 0) {
			const uint8_t *prev = &h->hb[(size_t)last[p] * row];
			for (size_t b = 0; b < row; b++)
				pred[b] |= prev[b];
			set(pred, (size_t)last[p]);
		}
		if (e->kind == HIST_RECV) {
			const uint8_t *sp = &h->hb[e->msg * row];
			for (size_t b = 0; b < row; b++)
				pred[b] |= sp[b];
			set(pred, e->msg);
		}
		last[p] = (long)i;
	}
	rc = 0;
out:
	budget_free(lam);
	budget_free(vc);
	budget_free(hl);
	budget_free(offset);
	budget_free(last);
	budget_free(dest);
	if (rc != 0)
		history_free(h);
	return rc;
}

/* Whether event A happened before event B. */
static int before(const struct history *h, size_t a, size_t b)
{
	return get(&h->hb[b * ((h->count + 7) / 8)], a);
}

void history_check(const struct history *h, struct history_check *out)
{
	memset(out, 0, sizeof *out);
	for (size_t a = 0; a < h->count; a++) {
		double d = h->ev[a].hlc.l - h->ev[a].pt;
		if (d > out->hlc_drift)
			out->hlc_drift = d;
		for (size_t b = 0; b < h->count; b++) {
			if (a == b)
				continue;
			out->pairs++;
			const struct hist_event *x = &h->ev[a], *y = &h->ev[b];
			int ab = before(h, a, b), ba = before(h, b, a);
			enum vc_order o = vc_compare(x->vc, y->vc, h->n);
			if (ab) {
				out->ordered++;
				out->lamport_ok += x->lamport < y->lamport;
				out->hlc_ok += hlc_cmp(&x->hlc, &y->hlc) < 0;
				out->vc_ok += o == VC_BEFORE;
			} else if (ba) {
				out->vc_ok += o == VC_AFTER;
			} else {
				out->concurrent++;
				out->lamport_orders += x->lamport != y->lamport;
				out->vc_ok += o == VC_CONCURRENT;
			}
		}
	}
	out->concurrent /= 2; /* each unordered pair was seen twice */
	out->lamport_orders /= 2;
}
