/*
 * crdt_laws.c — crdt_check_laws(): random histories of operations and
 * merges (in random orders, with duplicates and stale states), then the
 * semilattice laws on the states reached, convergence after everyone
 * merges with everyone, and the value against an independent model:
 *
 *   counters  the sum of the increments (and decrements)
 *   gset      every element added anywhere
 *   2pset     added anywhere and removed nowhere
 *   orset     an element whose add some replica made and no remove saw
 *             (each replica's knowledge kept as a bit set of add tags)
 *   lww       the write with the largest (timestamp, replica, value)
 *   mvreg     the writes no other write had seen (causal histories as
 *             bit sets of write ids)
 */
#include "engine/concepts/crdt/crdt.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"

#include <string.h>

#define ALPHABET 6

/* What one replica knows, in the model. */
struct know {
	uint64_t *seen;   /* bit set of events: add tags (orset), writes (mvreg) */
};

struct model {
	int type, replicas, words;
	int64_t sum;
	unsigned added, removed;            /* gset / 2pset: element bit sets */
	int nevents;
	int *ev_elem;                       /* orset tag -> element; mvreg write -> value */
	uint64_t *killed;                   /* orset: tags some remove saw */
	uint64_t **hist;                    /* mvreg: write -> the writes seen before it */
	double best_ts;                     /* lww */
	uint32_t best_r;
	int best_v, has_best;
	struct know *k;                     /* per replica */
	struct know *snap_k;                /* per replica: at its snapshot */
};

static const char *elem(int i)
{
	static const char *const e[ALPHABET] = {"a", "b", "c", "d", "e", "f"};
	return e[i];
}

static void bits_or(uint64_t *a, const uint64_t *b, int words)
{
	for (int i = 0; i < words; i++)
		a[i] |= b[i];
}

static int bit(const uint64_t *a, int i)
{
	return (int)((a[i / 64] >> (i % 64)) & 1);
}

static void set_bit(uint64_t *a, int i)
{
	a[i / 64] |= 1ull << (i % 64);
}

/* One random operation at replica I, on the CRDT and in the model. */
static int operate(struct crdt *c, struct model *m, int i, struct rng *r)
{
	int e = (int)rng_below(r, ALPHABET);
	switch (m->type) {
	case CRDT_GCOUNTER:
	case CRDT_PNCOUNTER: {
		int64_t by = rng_range(r, m->type == CRDT_GCOUNTER ? 0 : -5, 5);
		m->sum += by;
		return crdt_inc(c, by);
	}
	case CRDT_GSET:
		m->added |= 1u << e;
		return crdt_add(c, elem(e), 1);
	case CRDT_2PSET:
		if (rng_below(r, 3) == 0 && crdt_has(c, elem(e), 1)) {
			m->removed |= 1u << e;
			return crdt_remove(c, elem(e), 1);
		}
		m->added |= 1u << e;
		return crdt_add(c, elem(e), 1);
	case CRDT_ORSET:
		if (rng_below(r, 3) == 0) { /* remove: kills the tags of e this replica saw */
			for (int t = 0; t < m->nevents; t++)
				if (m->ev_elem[t] == e && bit(m->k[i].seen, t))
					set_bit(m->killed, t);
			return crdt_remove(c, elem(e), 1);
		}
		m->ev_elem[m->nevents] = e;
		set_bit(m->k[i].seen, m->nevents++);
		return crdt_add(c, elem(e), 1);
	case CRDT_LWW: {
		double ts = (double)rng_below(r, 8); /* few values: ties happen */
		if (!m->has_best || ts > m->best_ts ||
		    (ts == m->best_ts && ((uint32_t)i + 1 > m->best_r ||
					  ((uint32_t)i + 1 == m->best_r && e > m->best_v)))) {
			m->best_ts = ts;
			m->best_r = (uint32_t)i + 1;
			m->best_v = e;
			m->has_best = 1;
		}
		return crdt_set(c, elem(e), 1, ts);
	}
	case CRDT_MVREG: {
		int w = m->nevents++;
		m->ev_elem[w] = e;
		memcpy(m->hist[w], m->k[i].seen, (size_t)m->words * 8);
		set_bit(m->k[i].seen, w);
		return crdt_set(c, elem(e), 1, 0);
	}
	}
	return -1;
}

/* The value the model predicts, as a bit set of elements (counters: -1). */
static unsigned expected(const struct model *m)
{
	unsigned want = 0;
	switch (m->type) {
	case CRDT_GSET: return m->added;
	case CRDT_2PSET: return m->added & ~m->removed;
	case CRDT_ORSET:
		for (int t = 0; t < m->nevents; t++)
			if (!bit(m->killed, t))
				want |= 1u << m->ev_elem[t];
		return want;
	case CRDT_LWW: return m->has_best ? 1u << m->best_v : 0;
	case CRDT_MVREG:
		for (int w = 0; w < m->nevents; w++) {
			int seen = 0;
			for (int v = 0; v < m->nevents && !seen; v++)
				seen = v != w && bit(m->hist[v], w);
			if (!seen)
				want |= 1u << m->ev_elem[w];
		}
		return want;
	}
	return 0;
}

static int correct(const struct crdt *c, const struct model *m)
{
	if (m->type == CRDT_GCOUNTER || m->type == CRDT_PNCOUNTER)
		return crdt_count(c) == m->sum;
	const struct crdt_str *v;
	size_t n = crdt_values(c, &v);
	unsigned got = 0;
	for (size_t i = 0; i < n; i++)
		for (int e = 0; e < ALPHABET; e++)
			if (v[i].n == 1 && v[i].s[0] == elem(e)[0])
				got |= 1u << e;
	if (m->type == CRDT_LWW && m->has_best && (n != 1 || got != expected(m)))
		return 0;
	return got == expected(m);
}

/* A ⊔ B as a new state, or NULL. */
static struct crdt *join(const struct crdt *a, const struct crdt *b)
{
	struct crdt *x = crdt_clone(a);
	if (x && crdt_merge(x, b) != 0) {
		crdt_free(x);
		return NULL;
	}
	return x;
}

/* The three laws on A, B, C; bits 1 commutative, 2 associative, 4
 * idempotent; -1 without memory. */
static int laws(const struct crdt *a, const struct crdt *b, const struct crdt *c)
{
	struct crdt *ab = join(a, b), *ba = join(b, a);
	struct crdt *bc = join(b, c);
	struct crdt *ab_c = ab ? join(ab, c) : NULL, *a_bc = bc ? join(a, bc) : NULL;
	struct crdt *aa = join(a, a);
	int rc = -1;
	if (ab && ba && bc && ab_c && a_bc && aa)
		rc = crdt_equal(ab, ba) | crdt_equal(ab_c, a_bc) << 1 | crdt_equal(aa, a) << 2;
	crdt_free(ab);
	crdt_free(ba);
	crdt_free(bc);
	crdt_free(ab_c);
	crdt_free(a_bc);
	crdt_free(aa);
	return rc;
}

/* One case; 0 with the flags of what held in *HELD, or -1. */
static int one_case(enum crdt_type t, struct rng *r, int replicas, int ops, int *held)
{
	int events = replicas * ops + 1, words = (events + 63) / 64;
	struct model m = {.type = (int)t, .replicas = replicas, .words = words};
	struct crdt **c = budget_calloc((size_t)replicas, sizeof *c);
	struct crdt **snap = budget_calloc((size_t)replicas, sizeof *snap);
	uint64_t *bits = budget_calloc((size_t)words * (size_t)(2 * replicas + events + 1), 8);
	m.ev_elem = budget_calloc((size_t)events, sizeof *m.ev_elem);
	m.hist = budget_calloc((size_t)events, sizeof *m.hist);
	m.k = budget_calloc((size_t)replicas, sizeof *m.k);
	m.snap_k = budget_calloc((size_t)replicas, sizeof *m.snap_k);
	int rc = -1;
	if (!c || !snap || !bits || !m.ev_elem || !m.hist || !m.k || !m.snap_k)
		goto out;
	uint64_t *p = bits;
	m.killed = p;
	p += words;
	for (int i = 0; i < replicas; i++) {
		m.k[i].seen = p;
		p += words;
		m.snap_k[i].seen = p;
		p += words;
	}
	for (int w = 0; w < events; w++) {
		m.hist[w] = p;
		p += words;
	}
	for (int i = 0; i < replicas; i++)
		if (!(c[i] = crdt_new(t, (uint32_t)i + 1)) || !(snap[i] = crdt_clone(c[i])))
			goto out;
	for (int step = 0; step < replicas * ops; step++) {
		int i = (int)rng_below(r, (uint64_t)replicas);
		int j = (int)rng_below(r, (uint64_t)replicas);
		uint64_t what = rng_below(r, 10);
		if (what < 2) {                          /* merge j's current state into i */
			if (crdt_merge(c[i], c[j]) != 0)
				goto out;
			bits_or(m.k[i].seen, m.k[j].seen, words);
		} else if (what < 3) {                   /* merge j's stale snapshot into i */
			if (crdt_merge(c[i], snap[j]) != 0)
				goto out;
			bits_or(m.k[i].seen, m.snap_k[j].seen, words);
		} else if (what < 4) {                   /* j takes a snapshot of itself */
			crdt_free(snap[j]);
			if (!(snap[j] = crdt_clone(c[j])))
				goto out;
			memcpy(m.snap_k[j].seen, m.k[j].seen, (size_t)words * 8);
		} else if (operate(c[i], &m, i, r) != 0) {
			goto out;
		}
	}
	int l = replicas >= 3 ? laws(c[0], c[1], c[2]) : laws(c[0], c[replicas - 1], c[0]);
	if (l < 0)
		goto out;
	*held = l;
	for (int round = 0; round < 2; round++)          /* everyone with everyone */
		for (int k = 0; k < replicas * replicas; k++) {
			int i = (int)rng_below(r, (uint64_t)replicas);
			int j = (int)rng_below(r, (uint64_t)replicas);
			if (crdt_merge(c[i], c[j]) != 0)
				goto out;
		}
	for (int i = 1; i < replicas; i++)               /* then a star: 0 learns all */
		if (crdt_merge(c[0], c[i]) != 0)
			goto out;
	for (int i = 1; i < replicas; i++)               /* and tells everyone */
		if (crdt_merge(c[i], c[0]) != 0)
			goto out;
	int conv = 1;
	for (int i = 1; i < replicas; i++)
		conv &= crdt_equal(c[0], c[i]);
	*held |= conv << 3 | correct(c[0], &m) << 4;
	rc = 0;
out:
	for (int i = 0; c && i < replicas; i++)
		crdt_free(c[i]);
	for (int i = 0; snap && i < replicas; i++)
		crdt_free(snap[i]);
	budget_free(c);
	budget_free(snap);
	budget_free(bits);
	budget_free(m.ev_elem);
	budget_free(m.hist);
	budget_free(m.k);
	budget_free(m.snap_k);
	return rc;
}

int crdt_check_laws(enum crdt_type t, uint64_t seed, int cases, int replicas, int ops,
		    struct crdt_laws *out)
{
	memset(out, 0, sizeof *out);
	if (t >= CRDT_TYPES || cases < 1 || replicas < 1 || replicas > 16 || ops < 1 || ops > 200)
		return -1;
	for (int k = 0; k < cases; k++) {
		struct rng r;
		rng_seed(&r, seed * 1000003 + (uint64_t)k);
		int held;
		if (one_case(t, &r, replicas, ops, &held) != 0)
			return -1;
		out->cases++;
		out->commutative += held & 1;
		out->associative += (held >> 1) & 1;
		out->idempotent += (held >> 2) & 1;
		out->converged += (held >> 3) & 1;
		out->correct += (held >> 4) & 1;
		if (budget_stop())
			return -1;
	}
	return 0;
}
