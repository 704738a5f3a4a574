/* clocks.c — Lamport, vector and hybrid logical clocks, a version-vector
 * store; see clocks.h. Random histories are in clocks_hist.c. */
#include "engine/concepts/clocks/clocks.h"
#include "engine/base/budget.h"

#include <string.h>

uint64_t lamport_tick(uint64_t *clock)
{
	return ++*clock;
}

uint64_t lamport_recv(uint64_t *clock, uint64_t t)
{
	*clock = (*clock > t ? *clock : t) + 1;
	return *clock;
}

enum vc_order vc_compare(const uint64_t *a, const uint64_t *b, size_t n)
{
	int less = 0, more = 0;
	for (size_t i = 0; i < n; i++) {
		less |= a[i] < b[i];
		more |= a[i] > b[i];
	}
	return less && more ? VC_CONCURRENT : less ? VC_BEFORE : more ? VC_AFTER : VC_EQUAL;
}

void vc_merge(uint64_t *a, const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] > a[i])
			a[i] = b[i];
}

const char *vc_order_name(enum vc_order o)
{
	static const char *const names[] = {"equal", "before", "after", "concurrent"};
	return names[o];
}

void hlc_now(struct hlc *h, double pt)
{
	double l = h->l > pt ? h->l : pt;
	h->c = l == h->l ? h->c + 1 : 0;
	h->l = l;
}

void hlc_recv(struct hlc *h, double pt, double lm, uint64_t cm)
{
	double l = h->l;
	if (lm > l)
		l = lm;
	if (pt > l)
		l = pt;
	if (l == h->l && l == lm)
		h->c = (h->c > cm ? h->c : cm) + 1;
	else if (l == h->l)
		h->c = h->c + 1;
	else if (l == lm)
		h->c = cm + 1;
	else
		h->c = 0;
	h->l = l;
}

int hlc_cmp(const struct hlc *a, const struct hlc *b)
{
	if (a->l != b->l)
		return a->l < b->l ? -1 : 1;
	return (a->c > b->c) - (a->c < b->c);
}

/* ---- the version-vector store ---- */

/*
 * Each sibling is a dotted version: the write's dot (replica r, its n-th
 * write of the key there) and the context its client read. A sibling is
 * covered by a context C when C[r] >= n: whoever wrote with C had seen it.
 * Comparing whole vectors instead would lose writes: two clients writing
 * through one replica with the same context get vectors [2,0,0] and
 * [3,0,0], and the second would seem to have seen the first (Preguiça,
 * Baquero, Almeida, Fonte, Gonçalves, "Dotted Version Vectors", 2010).
 */
struct vsib {
	char *v;
	size_t vlen;
	uint32_t r;      /* the dot */
	uint64_t dn;
	uint64_t *ctx;   /* the context written with */
	uint64_t *vv;    /* ctx with the dot: the sibling's version vector */
};

struct vkey {
	char *key;
	size_t klen;
	struct vsib *sib;
	size_t nsib;
};

struct vvstore {
	uint32_t replica, n;
	struct vkey *keys; /* sorted by key bytes */
	size_t nkeys;
};

struct vvstore *vvstore_new(uint32_t replica, uint32_t n)
{
	if (n < 1 || replica < 1 || replica > n)
		return NULL;
	struct vvstore *s = budget_calloc(1, sizeof *s);
	if (s) {
		s->replica = replica;
		s->n = n;
	}
	return s;
}

static void free_sibs(struct vsib *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		budget_free(s[i].v);
		budget_free(s[i].ctx);
		budget_free(s[i].vv);
	}
	budget_free(s);
}

void vvstore_free(struct vvstore *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nkeys; i++) {
		budget_free(s->keys[i].key);
		free_sibs(s->keys[i].sib, s->keys[i].nsib);
	}
	budget_free(s->keys);
	budget_free(s);
}

uint32_t vvstore_n(const struct vvstore *s)
{
	return s->n;
}

static int kcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static size_t find_key(const struct vvstore *s, const char *k, size_t kl, int *found)
{
	size_t lo = 0, hi = s->nkeys;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = kcmp(s->keys[mid].key, s->keys[mid].klen, k, kl);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static const struct vkey *get(const struct vvstore *s, const char *k, size_t kl)
{
	int found;
	size_t at = find_key(s, k, kl, &found);
	return found ? &s->keys[at] : NULL;
}

int vvstore_sibling(const struct vvstore *s, const char *key, size_t klen, size_t i,
		    const char **v, size_t *vlen, const uint64_t **vv)
{
	const struct vkey *k = get(s, key, klen);
	if (!k || i >= k->nsib)
		return -1;
	*v = k->sib[i].v;
	*vlen = k->sib[i].vlen;
	*vv = k->sib[i].vv;
	return 0;
}

void vvstore_context(const struct vvstore *s, const char *key, size_t klen, uint64_t *ctx)
{
	memset(ctx, 0, s->n * sizeof *ctx);
	const struct vkey *k = get(s, key, klen);
	for (size_t i = 0; k && i < k->nsib; i++)
		vc_merge(ctx, k->sib[i].vv, s->n);
}

size_t vvstore_keys(const struct vvstore *s)
{
	return s->nkeys;
}

const char *vvstore_key(const struct vvstore *s, size_t i, size_t *len)
{
	if (i >= s->nkeys)
		return NULL;
	*len = s->keys[i].klen;
	return s->keys[i].key;
}

/* The slot of KEY, created empty if absent; NULL without memory. */
static struct vkey *slot(struct vvstore *s, const char *key, size_t klen)
{
	int found;
	size_t at = find_key(s, key, klen, &found);
	if (found)
		return &s->keys[at];
	char *k = budget_malloc(klen + 1);
	struct vkey *x = k ? budget_realloc(s->keys, (s->nkeys + 1) * sizeof *x) : NULL;
	if (!x) {
		budget_free(k);
		return NULL;
	}
	memcpy(k, key, klen);
	k[klen] = '\0';
	memmove(&x[at + 1], &x[at], (s->nkeys - at) * sizeof *x);
	x[at] = (struct vkey){k, klen, NULL, 0, };
	s->keys = x;
	s->nkeys++;
	return &x[at];
}

/* Whether sibling A was seen by whoever wrote B (or is the same write). */
static int covered(const struct vsib *a, const struct vsib *b)
{
	return b->ctx[a->r - 1] >= a->dn;
}

static int same_dot(const struct vsib *a, const struct vsib *b)
{
	return a->r == b->r && a->dn == b->dn;
}

static int sib_less(const struct vsib *a, const struct vsib *b)
{
	if (a->r != b->r)
		return a->r < b->r;
	return a->dn < b->dn;
}

/*
 * Replaces K's siblings with the candidates CAND[0..m) that no other
 * candidate covers, each dot once, sorted by dot; copies them. 0, or -1
 * with K unchanged.
 */
static int settle(struct vkey *k, const struct vsib *cand, size_t m, uint32_t n)
{
	struct vsib *keep = budget_calloc(m + 1, sizeof *keep);
	if (!keep)
		return -1;
	size_t kept = 0;
	for (size_t i = 0; i < m; i++) {
		int drop = 0;
		for (size_t j = 0; j < m && !drop; j++)
			drop = same_dot(&cand[i], &cand[j]) ? j < i
							    : covered(&cand[i], &cand[j]);
		if (drop)
			continue;
		struct vsib *x = &keep[kept];
		*x = cand[i];
		x->v = budget_malloc(cand[i].vlen + 1);
		x->ctx = budget_malloc(n * sizeof *x->ctx);
		x->vv = budget_malloc(n * sizeof *x->vv);
		if (!x->v || !x->ctx || !x->vv) {
			budget_free(x->v);
			budget_free(x->ctx);
			budget_free(x->vv);
			free_sibs(keep, kept);
			return -1;
		}
		memcpy(x->v, cand[i].v, cand[i].vlen);
		x->v[cand[i].vlen] = '\0';
		memcpy(x->ctx, cand[i].ctx, n * sizeof *x->ctx);
		memcpy(x->vv, cand[i].vv, n * sizeof *x->vv);
		kept++;
	}
	for (size_t i = 1; i < kept; i++)
		for (size_t j = i; j > 0 && sib_less(&keep[j], &keep[j - 1]); j--) {
			struct vsib t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	free_sibs(k->sib, k->nsib);
	k->sib = keep;
	k->nsib = kept;
	return 0;
}

int vvstore_put(struct vvstore *s, const char *key, size_t klen, const char *v, size_t vlen,
		const uint64_t *ctx)
{
	struct vkey *k = slot(s, key, klen);
	if (!k)
		return -1;
	uint64_t *vv = budget_malloc(s->n * sizeof *vv);
	struct vsib *cand = budget_malloc((k->nsib + 1) * sizeof *cand);
	if (!vv || !cand) {
		budget_free(vv);
		budget_free(cand);
		return -1;
	}
	/* the dot: one past every write of this replica to the key known here */
	uint64_t mine = ctx[s->replica - 1];
	for (size_t i = 0; i < k->nsib; i++)
		if (k->sib[i].vv[s->replica - 1] > mine)
			mine = k->sib[i].vv[s->replica - 1];
	memcpy(vv, ctx, s->n * sizeof *vv);
	vv[s->replica - 1] = mine + 1;
	size_t m = 0;
	for (size_t i = 0; i < k->nsib; i++)
		cand[m++] = k->sib[i];
	cand[m++] = (struct vsib){(char *)v, vlen, s->replica, mine + 1, (uint64_t *)ctx, vv};
	int rc = settle(k, cand, m, s->n);
	budget_free(vv);
	budget_free(cand);
	return rc;
}

int vvstore_merge(struct vvstore *s, const struct vvstore *from)
{
	if (from->n != s->n)
		return -1;
	for (size_t i = 0; i < from->nkeys; i++) {
		const struct vkey *o = &from->keys[i];
		struct vkey *k = slot(s, o->key, o->klen);
		if (!k)
			return -1;
		struct vsib *cand = budget_malloc((k->nsib + o->nsib + 1) * sizeof *cand);
		if (!cand)
			return -1;
		size_t m = 0;
		for (size_t j = 0; j < k->nsib; j++)
			cand[m++] = k->sib[j];
		for (size_t j = 0; j < o->nsib; j++)
			cand[m++] = o->sib[j];
		int rc = settle(k, cand, m, s->n);
		budget_free(cand);
		if (rc != 0)
			return -1;
	}
	return 0;
}
