/* crdt.c — state-based CRDTs; see crdt.h. The law checker is crdt_laws.c. */
#include "engine/concepts/crdt/crdt.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

struct cnt {
	uint32_t r;
	uint64_t p, n;
};

/* A set entry: an element, with a tag for orset (r = seq = 0 otherwise). */
struct tag {
	char *s;
	size_t n;
	uint32_t r;
	uint64_t seq;
};

struct vvent {
	uint32_t r;
	uint64_t c;
};

struct sib {
	char *s;
	size_t n;
	struct vvent *vv; /* sorted by replica, no zero counts */
	size_t nvv;
};

struct crdt {
	enum crdt_type t;
	uint32_t replica;
	struct cnt *cnt;      /* counters, sorted by replica */
	size_t ncnt;
	struct tag *set[2];   /* sets: sorted by (element, r, seq) */
	size_t nset[2];
	uint64_t seq;         /* orset: the last tag this replica made */
	char *v;              /* lww */
	size_t vn;
	double ts;
	uint32_t vr;
	int has;
	struct sib *sib;      /* mvreg, sorted by (value, vector) */
	size_t nsib;
	struct crdt_str *vals;/* crdt_values() cache */
	size_t nvals;
};

static const char *const names[] = {"gcounter", "pncounter", "gset", "2pset", "orset", "lww",
				    "mvreg"};

const char *crdt_type_name(enum crdt_type t)
{
	return t < CRDT_TYPES ? names[t] : "?";
}

int crdt_type_of(const char *name)
{
	for (int i = 0; i < CRDT_TYPES; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

struct crdt *crdt_new(enum crdt_type t, uint32_t replica)
{
	if (t >= CRDT_TYPES || replica < 1)
		return NULL;
	struct crdt *c = budget_calloc(1, sizeof *c);
	if (c) {
		c->t = t;
		c->replica = replica;
	}
	return c;
}

static void free_tags(struct tag *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		budget_free(t[i].s);
	budget_free(t);
}

static void free_sibs(struct sib *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		budget_free(s[i].s);
		budget_free(s[i].vv);
	}
	budget_free(s);
}

void crdt_free(struct crdt *c)
{
	if (!c)
		return;
	budget_free(c->cnt);
	free_tags(c->set[0], c->nset[0]);
	free_tags(c->set[1], c->nset[1]);
	budget_free(c->v);
	free_sibs(c->sib, c->nsib);
	budget_free(c->vals);
	budget_free(c);
}

enum crdt_type crdt_type(const struct crdt *c)
{
	return c->t;
}

uint32_t crdt_replica(const struct crdt *c)
{
	return c->replica;
}

static char *dup(const char *s, size_t n)
{
	char *d = budget_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static int tag_cmp(const struct tag *a, const struct tag *b)
{
	int c = bytes_cmp(a->s, a->n, b->s, b->n);
	if (c)
		return c;
	if (a->r != b->r)
		return a->r < b->r ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int vv_cmp(const struct vvent *a, size_t an, const struct vvent *b, size_t bn)
{
	for (size_t i = 0; i < an && i < bn; i++) {
		if (a[i].r != b[i].r)
			return a[i].r < b[i].r ? -1 : 1;
		if (a[i].c != b[i].c)
			return a[i].c < b[i].c ? -1 : 1;
	}
	return (an > bn) - (an < bn);
}

static int sib_cmp(const struct sib *a, const struct sib *b)
{
	int c = bytes_cmp(a->s, a->n, b->s, b->n);
	return c ? c : vv_cmp(a->vv, a->nvv, b->vv, b->nvv);
}

/* ---- copying ---- */

static int copy_tags(struct tag **out, const struct tag *in, size_t n)
{
	*out = NULL;
	if (!n)
		return 0;
	struct tag *t = budget_calloc(n, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++) {
		t[i] = in[i];
		if (!(t[i].s = dup(in[i].s, in[i].n))) {
			free_tags(t, i);
			return -1;
		}
	}
	*out = t;
	return 0;
}

static int copy_sib(struct sib *out, const struct sib *in)
{
	out->n = in->n;
	out->nvv = in->nvv;
	out->s = dup(in->s, in->n);
	out->vv = budget_malloc((in->nvv ? in->nvv : 1) * sizeof *out->vv);
	if (!out->s || !out->vv) {
		budget_free(out->s);
		budget_free(out->vv);
		return -1;
	}
	memcpy(out->vv, in->vv, in->nvv * sizeof *out->vv);
	return 0;
}

static int copy_sibs(struct sib **out, const struct sib *in, size_t n)
{
	*out = NULL;
	if (!n)
		return 0;
	struct sib *s = budget_calloc(n, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (copy_sib(&s[i], &in[i]) != 0) {
			free_sibs(s, i);
			return -1;
		}
	*out = s;
	return 0;
}

struct crdt *crdt_clone(const struct crdt *c)
{
	struct crdt *d = crdt_new(c->t, c->replica);
	if (!d)
		return NULL;
	d->seq = c->seq;
	d->ts = c->ts;
	d->vr = c->vr;
	d->has = c->has;
	d->ncnt = c->ncnt;
	d->vn = c->vn;
	int ok = 1;
	if (c->ncnt) {
		d->cnt = budget_malloc(c->ncnt * sizeof *d->cnt);
		if (d->cnt)
			memcpy(d->cnt, c->cnt, c->ncnt * sizeof *d->cnt);
		else
			ok = 0;
	}
	for (int k = 0; k < 2 && ok; k++) {
		ok = copy_tags(&d->set[k], c->set[k], c->nset[k]) == 0;
		if (ok)
			d->nset[k] = c->nset[k];
	}
	if (ok && c->v)
		ok = (d->v = dup(c->v, c->vn)) != NULL;
	if (ok) {
		ok = copy_sibs(&d->sib, c->sib, c->nsib) == 0;
		if (ok)
			d->nsib = c->nsib;
	}
	if (!ok) {
		if (!d->cnt)
			d->ncnt = 0;
		crdt_free(d);
		return NULL;
	}
	return d;
}

/* ---- counters ---- */

static int counter_of(struct crdt *c, uint32_t r, struct cnt **out)
{
	size_t i = 0;
	while (i < c->ncnt && c->cnt[i].r < r)
		i++;
	if (i < c->ncnt && c->cnt[i].r == r) {
		*out = &c->cnt[i];
		return 0;
	}
	struct cnt *x = budget_realloc(c->cnt, (c->ncnt + 1) * sizeof *x);
	if (!x)
		return -1;
	memmove(&x[i + 1], &x[i], (c->ncnt - i) * sizeof *x);
	x[i] = (struct cnt){r, 0, 0};
	c->cnt = x;
	c->ncnt++;
	*out = &x[i];
	return 0;
}

int crdt_inc(struct crdt *c, int64_t by)
{
	if (c->t != CRDT_GCOUNTER && c->t != CRDT_PNCOUNTER)
		return -1;
	if (c->t == CRDT_GCOUNTER && by < 0)
		return -1;
	struct cnt *x;
	if (counter_of(c, c->replica, &x) != 0)
		return -1;
	if (by >= 0)
		x->p += (uint64_t)by;
	else
		x->n += (uint64_t)(-(by + 1)) + 1;
	return 0;
}

int64_t crdt_count(const struct crdt *c)
{
	uint64_t p = 0, n = 0;
	for (size_t i = 0; i < c->ncnt; i++) {
		p += c->cnt[i].p;
		n += c->cnt[i].n;
	}
	return (int64_t)(p - n);
}

static int merge_counters(struct crdt *a, const struct crdt *b)
{
	/* the union of replicas, each count the max: build aside, then swap */
	size_t n = 0, i = 0, j = 0;
	struct cnt *x = budget_malloc((a->ncnt + b->ncnt + 1) * sizeof *x);
	if (!x)
		return -1;
	while (i < a->ncnt || j < b->ncnt) {
		if (j >= b->ncnt || (i < a->ncnt && a->cnt[i].r < b->cnt[j].r)) {
			x[n++] = a->cnt[i++];
		} else if (i >= a->ncnt || b->cnt[j].r < a->cnt[i].r) {
			x[n++] = b->cnt[j++];
		} else {
			struct cnt m = a->cnt[i++];
			const struct cnt *o = &b->cnt[j++];
			m.p = m.p > o->p ? m.p : o->p;
			m.n = m.n > o->n ? m.n : o->n;
			x[n++] = m;
		}
	}
	budget_free(a->cnt);
	a->cnt = x;
	a->ncnt = n;
	return 0;
}

/* ---- sets ---- */

/* Index where T would go in part K (found: *AT is it). */
static size_t find(const struct crdt *c, int k, const struct tag *t, int *found)
{
	size_t lo = 0, hi = c->nset[k];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = tag_cmp(&c->set[k][mid], t);
		if (d == 0) {
			*found = 1;
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static int insert(struct crdt *c, int k, const char *e, size_t n, uint32_t r, uint64_t seq)
{
	struct tag t = {(char *)e, n, r, seq};
	int found;
	size_t at = find(c, k, &t, &found);
	if (found)
		return 0;
	char *s = dup(e, n);
	struct tag *x = s ? budget_realloc(c->set[k], (c->nset[k] + 1) * sizeof *x) : NULL;
	if (!x) {
		budget_free(s);
		return -1;
	}
	memmove(&x[at + 1], &x[at], (c->nset[k] - at) * sizeof *x);
	x[at] = (struct tag){s, n, r, seq};
	c->set[k] = x;
	c->nset[k]++;
	return 0;
}

/* Whether part K holds an entry for element E (any tag). */
static int holds(const struct crdt *c, int k, const char *e, size_t n)
{
	struct tag t = {(char *)e, n, 0, 0};
	int found;
	size_t at = find(c, k, &t, &found);
	return found || (at < c->nset[k] && bytes_cmp(c->set[k][at].s, c->set[k][at].n, e, n) == 0);
}

int crdt_has(const struct crdt *c, const char *e, size_t n)
{
	switch (c->t) {
	case CRDT_GSET: return holds(c, 0, e, n);
	case CRDT_2PSET: return holds(c, 0, e, n) && !holds(c, 1, e, n);
	case CRDT_ORSET: {
		/* present iff some add tag of e is not tombstoned */
		struct tag t = {(char *)e, n, 0, 0};
		int found;
		for (size_t i = find(c, 0, &t, &found);
		     i < c->nset[0] && bytes_cmp(c->set[0][i].s, c->set[0][i].n, e, n) == 0; i++) {
			int dead;
			find(c, 1, &c->set[0][i], &dead);
			if (!dead)
				return 1;
		}
		return 0;
	}
	default: return 0;
	}
}

int crdt_add(struct crdt *c, const char *e, size_t n)
{
	switch (c->t) {
	case CRDT_GSET:
	case CRDT_2PSET: return insert(c, 0, e, n, 0, 0);
	case CRDT_ORSET:
		if (insert(c, 0, e, n, c->replica, c->seq + 1) != 0)
			return -1;
		c->seq++;
		return 0;
	default: return -1;
	}
}

int crdt_remove(struct crdt *c, const char *e, size_t n)
{
	if (c->t == CRDT_2PSET) {
		if (!crdt_has(c, e, n))
			return -1; /* only what is here can be removed */
		return insert(c, 1, e, n, 0, 0);
	}
	if (c->t != CRDT_ORSET)
		return -1;
	/* tombstone every tag of e observed here; build aside for atomicity */
	struct crdt *tmp = crdt_clone(c);
	if (!tmp)
		return -1;
	struct tag t = {(char *)e, n, 0, 0};
	int found;
	for (size_t i = find(c, 0, &t, &found);
	     i < c->nset[0] && bytes_cmp(c->set[0][i].s, c->set[0][i].n, e, n) == 0; i++)
		if (insert(tmp, 1, e, n, c->set[0][i].r, c->set[0][i].seq) != 0) {
			crdt_free(tmp);
			return -1;
		}
	/* swap the tombstones in */
	free_tags(c->set[1], c->nset[1]);
	c->set[1] = tmp->set[1];
	c->nset[1] = tmp->nset[1];
	tmp->set[1] = NULL;
	tmp->nset[1] = 0;
	crdt_free(tmp);
	return 0;
}

/* The sorted union of two tag arrays, into *OUT (copies). */
static int union_tags(const struct tag *a, size_t an, const struct tag *b, size_t bn,
		      struct tag **out, size_t *outn)
{
	struct tag *x = budget_calloc(an + bn + 1, sizeof *x);
	if (!x)
		return -1;
	size_t n = 0, i = 0, j = 0;
	while (i < an || j < bn) {
		const struct tag *pick;
		if (j >= bn || (i < an && tag_cmp(&a[i], &b[j]) < 0)) {
			pick = &a[i++];
		} else if (i >= an || tag_cmp(&b[j], &a[i]) < 0) {
			pick = &b[j++];
		} else {
			pick = &a[i++];
			j++;
		}
		x[n] = *pick;
		if (!(x[n].s = dup(pick->s, pick->n))) {
			free_tags(x, n);
			return -1;
		}
		n++;
	}
	*out = x;
	*outn = n;
	return 0;
}

static int merge_sets(struct crdt *a, const struct crdt *b)
{
	struct tag *u[2];
	size_t un[2];
	if (union_tags(a->set[0], a->nset[0], b->set[0], b->nset[0], &u[0], &un[0]) != 0)
		return -1;
	if (union_tags(a->set[1], a->nset[1], b->set[1], b->nset[1], &u[1], &un[1]) != 0) {
		free_tags(u[0], un[0]);
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		free_tags(a->set[k], a->nset[k]);
		a->set[k] = u[k];
		a->nset[k] = un[k];
	}
	return 0;
}

/* ---- registers ---- */

/* The order of LWW writes: timestamp, then replica, then value bytes (so
 * that merge is a join even when one replica writes twice at one time). */
static int lww_cmp(double ta, uint32_t ra, const char *va, size_t na, double tb, uint32_t rb,
		   const char *vb, size_t nb)
{
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return bytes_cmp(va, na, vb, nb);
}

/* Whether vector A is <= B everywhere. */
static int vv_leq(const struct vvent *a, size_t an, const struct vvent *b, size_t bn)
{
	size_t j = 0;
	for (size_t i = 0; i < an; i++) {
		while (j < bn && b[j].r < a[i].r)
			j++;
		if (j >= bn || b[j].r != a[i].r || b[j].c < a[i].c)
			return 0;
	}
	return 1;
}

/* The pointwise max of every sibling's vector, plus one for REPLICA. */
static struct vvent *next_vv(const struct crdt *c, size_t *n)
{
	size_t cap = 1;
	for (size_t i = 0; i < c->nsib; i++)
		cap += c->sib[i].nvv;
	struct vvent *x = budget_malloc(cap * sizeof *x);
	if (!x)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < c->nsib; i++)
		for (size_t j = 0; j < c->sib[i].nvv; j++) {
			const struct vvent *e = &c->sib[i].vv[j];
			size_t p = 0;
			while (p < k && x[p].r != e->r)
				p++;
			if (p == k)
				x[k++] = *e;
			else if (x[p].c < e->c)
				x[p].c = e->c;
		}
	size_t p = 0;
	while (p < k && x[p].r != c->replica)
		p++;
	if (p == k)
		x[k++] = (struct vvent){c->replica, 0};
	x[p].c++;
	for (size_t i = 1; i < k; i++) /* insertion sort by replica */
		for (size_t j = i; j > 0 && x[j - 1].r > x[j].r; j--) {
			struct vvent t = x[j];
			x[j] = x[j - 1];
			x[j - 1] = t;
		}
	*n = k;
	return x;
}

int crdt_set(struct crdt *c, const char *v, size_t n, double ts)
{
	if (c->t == CRDT_LWW) {
		char *d = dup(v, n);
		if (!d)
			return -1;
		/* a local write wins over what is here only if it is later */
		if (c->has && lww_cmp(ts, c->replica, v, n, c->ts, c->vr, c->v, c->vn) <= 0) {
			budget_free(d);
			return 0;
		}
		budget_free(c->v);
		c->v = d;
		c->vn = n;
		c->ts = ts;
		c->vr = c->replica;
		c->has = 1;
		return 0;
	}
	if (c->t != CRDT_MVREG)
		return -1;
	struct sib s = {dup(v, n), n, NULL, 0};
	s.vv = next_vv(c, &s.nvv);
	struct sib *one = budget_malloc(sizeof *one);
	if (!s.s || !s.vv || !one) {
		budget_free(s.s);
		budget_free(s.vv);
		budget_free(one);
		return -1;
	}
	*one = s;
	free_sibs(c->sib, c->nsib);
	c->sib = one;
	c->nsib = 1;
	return 0;
}

static int merge_lww(struct crdt *a, const struct crdt *b)
{
	if (!b->has)
		return 0;
	if (a->has && lww_cmp(a->ts, a->vr, a->v, a->vn, b->ts, b->vr, b->v, b->vn) >= 0)
		return 0;
	char *d = dup(b->v, b->vn);
	if (!d)
		return -1;
	budget_free(a->v);
	a->v = d;
	a->vn = b->vn;
	a->ts = b->ts;
	a->vr = b->vr;
	a->has = 1;
	return 0;
}

static int merge_mv(struct crdt *a, const struct crdt *b)
{
	size_t total = a->nsib + b->nsib, n = 0;
	const struct sib **all = budget_malloc((total + 1) * sizeof *all);
	struct sib *keep = budget_calloc(total + 1, sizeof *keep);
	if (!all || !keep) {
		budget_free(all);
		budget_free(keep);
		return -1;
	}
	for (size_t i = 0; i < a->nsib; i++)
		all[i] = &a->sib[i];
	for (size_t i = 0; i < b->nsib; i++)
		all[a->nsib + i] = &b->sib[i];
	for (size_t i = 0; i < total; i++) {
		int drop = 0;
		for (size_t j = 0; j < total && !drop; j++) {
			if (i == j)
				continue;
			int le = vv_leq(all[i]->vv, all[i]->nvv, all[j]->vv, all[j]->nvv);
			int ge = vv_leq(all[j]->vv, all[j]->nvv, all[i]->vv, all[i]->nvv);
			/* dominated, or a duplicate of an earlier one */
			drop = (le && !ge) || (le && ge && sib_cmp(all[i], all[j]) == 0 && j < i);
		}
		if (!drop) {
			if (copy_sib(&keep[n], all[i]) != 0) {
				free_sibs(keep, n);
				budget_free(all);
				return -1;
			}
			n++;
		}
	}
	for (size_t i = 1; i < n; i++) /* canonical order */
		for (size_t j = i; j > 0 && sib_cmp(&keep[j - 1], &keep[j]) > 0; j--) {
			struct sib t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	budget_free(all);
	free_sibs(a->sib, a->nsib);
	a->sib = keep;
	a->nsib = n;
	return 0;
}

/* ---- merge, equality, values ---- */

int crdt_merge(struct crdt *into, const struct crdt *from)
{
	if (into->t != from->t)
		return -1;
	switch (into->t) {
	case CRDT_GCOUNTER:
	case CRDT_PNCOUNTER: return merge_counters(into, from);
	case CRDT_GSET:
	case CRDT_2PSET:
	case CRDT_ORSET: return merge_sets(into, from);
	case CRDT_LWW: return merge_lww(into, from);
	case CRDT_MVREG: return merge_mv(into, from);
	default: return -1;
	}
}

int crdt_equal(const struct crdt *a, const struct crdt *b)
{
	if (a->t != b->t)
		return 0;
	switch (a->t) {
	case CRDT_GCOUNTER:
	case CRDT_PNCOUNTER:
		if (a->ncnt != b->ncnt)
			return 0;
		for (size_t i = 0; i < a->ncnt; i++)
			if (a->cnt[i].r != b->cnt[i].r || a->cnt[i].p != b->cnt[i].p ||
			    a->cnt[i].n != b->cnt[i].n)
				return 0;
		return 1;
	case CRDT_LWW:
		return a->has == b->has && (!a->has || (a->ts == b->ts && a->vr == b->vr &&
							bytes_cmp(a->v, a->vn, b->v, b->vn) == 0));
	case CRDT_MVREG:
		if (a->nsib != b->nsib)
			return 0;
		for (size_t i = 0; i < a->nsib; i++)
			if (sib_cmp(&a->sib[i], &b->sib[i]) != 0)
				return 0;
		return 1;
	default:
		for (int k = 0; k < 2; k++) {
			if (a->nset[k] != b->nset[k])
				return 0;
			for (size_t i = 0; i < a->nset[k]; i++)
				if (tag_cmp(&a->set[k][i], &b->set[k][i]) != 0)
					return 0;
		}
		return 1;
	}
}

size_t crdt_values(const struct crdt *c, const struct crdt_str **out)
{
	struct crdt *m = (struct crdt *)c; /* the cache is not part of the state */
	size_t cap = c->nset[0] + c->nsib + 1;
	struct crdt_str *v = budget_realloc(m->vals, cap * sizeof *v);
	if (!v) {
		*out = NULL;
		return 0;
	}
	m->vals = v;
	size_t n = 0;
	if (c->t == CRDT_LWW) {
		if (c->has)
			v[n++] = (struct crdt_str){c->v, c->vn};
	} else if (c->t == CRDT_MVREG) {
		for (size_t i = 0; i < c->nsib; i++) /* sorted by value; equal values once */
			if (n == 0 || bytes_cmp(v[n - 1].s, v[n - 1].n, c->sib[i].s, c->sib[i].n) != 0)
				v[n++] = (struct crdt_str){c->sib[i].s, c->sib[i].n};
	} else {
		for (size_t i = 0; i < c->nset[0]; i++) {
			const struct tag *t = &c->set[0][i];
			if (n && bytes_cmp(v[n - 1].s, v[n - 1].n, t->s, t->n) == 0)
				continue;
			if (crdt_has(c, t->s, t->n))
				v[n++] = (struct crdt_str){t->s, t->n};
		}
	}
	m->nvals = n;
	*out = v;
	return n;
}

int crdt_entry(const struct crdt *c, int part, size_t i, struct crdt_entry *e)
{
	memset(e, 0, sizeof *e);
	switch (c->t) {
	case CRDT_GCOUNTER:
	case CRDT_PNCOUNTER:
		if (i >= c->ncnt || part < 0 || part > 1)
			return -1;
		e->replica = c->cnt[i].r;
		e->count = part ? c->cnt[i].n : c->cnt[i].p;
		return 0;
	case CRDT_LWW:
		if (i > 0 || !c->has)
			return -1;
		*e = (struct crdt_entry){c->v, c->vn, c->vr, 0, c->ts, 0};
		return 0;
	case CRDT_MVREG:
		if (i >= c->nsib)
			return -1;
		*e = (struct crdt_entry){c->sib[i].s, c->sib[i].n, 0, 0, 0, c->sib[i].nvv};
		return 0;
	default:
		if (part < 0 || part > 1 || i >= c->nset[part])
			return -1;
		e->s = c->set[part][i].s;
		e->n = c->set[part][i].n;
		e->replica = c->set[part][i].r;
		e->count = c->set[part][i].seq;
		return 0;
	}
}

int crdt_vv(const struct crdt *c, size_t i, size_t j, uint32_t *replica, uint64_t *count)
{
	if (c->t != CRDT_MVREG || i >= c->nsib || j >= c->sib[i].nvv)
		return -1;
	*replica = c->sib[i].vv[j].r;
	*count = c->sib[i].vv[j].c;
	return 0;
}

size_t crdt_size(const struct crdt *c)
{
	size_t n = c->ncnt * (4 + 8 + (c->t == CRDT_PNCOUNTER ? 8 : 0));
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < c->nset[k]; i++)
			n += c->set[k][i].n + (c->t == CRDT_ORSET ? 12 : 0);
	if (c->has)
		n += c->vn + 12;
	for (size_t i = 0; i < c->nsib; i++)
		n += c->sib[i].n + 12 * c->sib[i].nvv;
	return n;
}
