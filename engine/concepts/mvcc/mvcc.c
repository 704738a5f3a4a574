/*
 * mvcc.c — the multi-version store of mvcc.h.
 *
 * State: items, sorted by key, each with its committed versions oldest
 * first (commit timestamps increase); transactions, by id, each with its
 * buffered writes, and (serializable ones) the keys and ranges it read and
 * its rw-antidependency edges. The clock counts commits: a transaction's
 * snapshot is the clock when it began, its commit timestamp the clock
 * after it committed, so A committed before B began iff A.commit <= B.start.
 * Versions are never freed before mvcc_free: histories stay inspectable.
 * Transactions are kept too, but only those on the live list (active, or
 * committed after some active transaction began: concurrent with it) are
 * looked at by reads, writes and commits, so work stays proportional to the
 * concurrency, not to the history.
 */
#include "engine/concepts/mvcc/mvcc.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct version {
	struct mv_val v;
	uint32_t tx;
	uint64_t ts;
};

struct item {
	struct mv_key k;
	struct version *v;
	int n, cap;
};

struct pend {
	struct mv_key k;
	struct mv_val v;
	uint64_t seq;
};

struct span {
	int has_lo, has_hi;
	struct mv_key lo, hi;
};

struct txn {
	uint32_t id;
	int level, status;
	uint64_t start, commit;
	struct pend *w;
	int nw, capw;
	struct mv_key *reads;   /* serializable: keys read */
	int nr, capr;
	struct span *spans;     /* serializable: ranges scanned */
	int ns, caps;
	uint32_t *out, *in;     /* rw edges: this -> out[i], in[i] -> this */
	int nout, capout, nin, capin;
	int doomed;
	char reason[240];
};

struct mvcc {
	int level;
	struct item *items;
	int nitems, capitems;
	struct txn **tx;
	uint32_t ntx, captx;
	uint32_t *live;         /* ids of the transactions that still matter: active,
	                           or committed after some active one began */
	int nlive, caplive;
	uint64_t clock, seq;
	struct mvcc_stats st;
};

/* ---- keys and values ---- */

int mv_key_cmp(const struct mv_key *a, const struct mv_key *b)
{
	if (!a->s || !b->s) {
		if (a->s)
			return 1;
		if (b->s)
			return -1;
		return a->i < b->i ? -1 : a->i > b->i;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static char *dup(const char *s, size_t n)
{
	char *d = budget_malloc(n ? n : 1);
	if (d && n)
		memcpy(d, s, n);
	return d;
}

static int key_dup(const struct mv_key *k, struct mv_key *out)
{
	*out = *k;
	return k->s && !(out->s = dup(k->s, k->len)) ? -1 : 0;
}

static int val_dup(const struct mv_val *v, struct mv_val *out)
{
	*out = *v;
	return v->kind == MV_STR && !(out->s = dup(v->s, v->len)) ? -1 : 0;
}

static void key_free(struct mv_key *k)
{
	budget_free((char *)k->s);
	k->s = NULL;
}

static void val_free(struct mv_val *v)
{
	if (v->kind == MV_STR)
		budget_free((char *)v->s);
	v->s = NULL;
}

/* KEY as text for messages: 7 or 'name'. */
static void key_text(const struct mv_key *k, char *buf, size_t size)
{
	if (k->s)
		snprintf(buf, size, "'%.*s'", k->len > 40 ? 40 : (int)k->len, k->s);
	else
		snprintf(buf, size, "%lld", (long long)k->i);
}

/* Grows *P (N used of *CAP elements of SIZE bytes) to hold one more. */
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

/* ---- items ---- */

static int find_item(const struct mvcc *m, const struct mv_key *k, int *pos)
{
	int lo = 0, hi = m->nitems;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (mv_key_cmp(&m->items[mid].k, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < m->nitems && mv_key_cmp(&m->items[lo].k, k) == 0;
}

static const struct item *item_of(const struct mvcc *m, const struct mv_key *k)
{
	int pos;
	return find_item(m, k, &pos) ? &m->items[pos] : NULL;
}

/* The newest version of IT committed at or before TS, or NULL. */
static const struct version *version_at(const struct item *it, uint64_t ts)
{
	for (int i = it ? it->n - 1 : -1; i >= 0; i--)
		if (it->v[i].ts <= ts)
			return &it->v[i];
	return NULL;
}

/* ---- transactions ---- */

static struct txn *txn_of(const struct mvcc *m, uint32_t id)
{
	return id >= 1 && id <= m->ntx ? m->tx[id - 1] : NULL;
}

static struct pend *pending(const struct txn *t, const struct mv_key *k)
{
	for (int i = 0; i < t->nw; i++)
		if (mv_key_cmp(&t->w[i].k, k) == 0)
			return &t->w[i];
	return NULL;
}

static void drop_writes(struct txn *t)
{
	for (int i = 0; i < t->nw; i++) {
		key_free(&t->w[i].k);
		val_free(&t->w[i].v);
	}
	t->nw = 0;
}

static void txn_free(struct txn *t)
{
	drop_writes(t);
	budget_free(t->w);
	for (int i = 0; i < t->nr; i++)
		key_free(&t->reads[i]);
	budget_free(t->reads);
	for (int i = 0; i < t->ns; i++) {
		key_free(&t->spans[i].lo);
		key_free(&t->spans[i].hi);
	}
	budget_free(t->spans);
	budget_free(t->out);
	budget_free(t->in);
	budget_free(t);
}

/*
 * Drops from the live list what no active or future transaction can be
 * concurrent with: aborted ones, and committed ones that committed before
 * every active one began (a future one begins after their commit). Their
 * read sets are freed; their edges, ids only, stay harmless.
 */
static void prune(struct mvcc *m)
{
	uint64_t oldest = m->clock; /* the earliest start of an active one */
	for (int i = 0; i < m->nlive; i++) {
		const struct txn *t = txn_of(m, m->live[i]);
		if (t->status == MV_ACTIVE && t->start < oldest)
			oldest = t->start;
	}
	int k = 0;
	for (int i = 0; i < m->nlive; i++) {
		struct txn *t = txn_of(m, m->live[i]);
		if (t->status == MV_ABORTED ||
		    (t->status == MV_COMMITTED && t->commit <= oldest)) {
			for (int j = 0; j < t->nr; j++)
				key_free(&t->reads[j]);
			t->nr = 0;
			for (int j = 0; j < t->ns; j++) {
				key_free(&t->spans[j].lo);
				key_free(&t->spans[j].hi);
			}
			t->ns = 0;
			continue;
		}
		m->live[k++] = m->live[i];
	}
	m->nlive = k;
}

static void abort_with(struct mvcc *m, struct txn *t, const char *reason)
{
	if (t->status != MV_ACTIVE)
		return;
	t->status = MV_ABORTED;
	drop_writes(t);
	if (reason && !t->reason[0])
		snprintf(t->reason, sizeof t->reason, "%s", reason);
	m->st.aborts++;
	prune(m);
}

/* Whether A and B overlapped: neither committed before the other began. */
static int concurrent(const struct txn *a, const struct txn *b)
{
	if (a->status == MV_ABORTED || b->status == MV_ABORTED)
		return 0;
	if (a->status == MV_COMMITTED && a->commit <= b->start)
		return 0;
	if (b->status == MV_COMMITTED && b->commit <= a->start)
		return 0;
	return 1;
}

/* ---- serializable snapshot isolation ---- */

/* Whether T_in -> T_p -> T_out is dangerous now: T_out committed before
 * the others did (T_in may be T_out). */
static int dangerous(const struct txn *in, const struct txn *p, const struct txn *out)
{
	if (in->status == MV_ABORTED || p->status == MV_ABORTED || out->status != MV_COMMITTED)
		return 0;
	if (p->status == MV_COMMITTED && p->commit < out->commit)
		return 0;
	if (in != out && in->status == MV_COMMITTED && in->commit < out->commit)
		return 0;
	return 1;
}

/*
 * Breaks a dangerous structure: aborts the pivot if it is active, else
 * T_in. The victim is CUR and NOW: aborted at once (returns 1); another
 * transaction, or CUR in a read: doomed (its next write or commit fails).
 */
static int resolve(struct mvcc *m, struct txn *in, struct txn *p, struct txn *out,
		   struct txn *cur, int now)
{
	struct txn *victim = p->status == MV_ACTIVE ? p : in->status == MV_ACTIVE ? in : NULL;
	if (!victim || victim->doomed)
		return 0;
	char why[240];
	snprintf(why, sizeof why,
		 "could not serialize access due to read/write dependencies among transactions "
		 "(T%u -rw-> T%u -rw-> T%u, and T%u committed first)",
		 in->id, p->id, out->id, out->id);
	m->st.ssi_aborts++;
	if (victim == cur && now) {
		abort_with(m, victim, why);
		return 1;
	}
	victim->doomed = 1;
	snprintf(victim->reason, sizeof victim->reason, "%s", why);
	return 0;
}

static int has_edge(const uint32_t *list, int n, uint32_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i] == id)
			return 1;
	return 0;
}

/*
 * Records the edge R -rw-> W (R read what W wrote, without seeing it) and
 * breaks the dangerous structures it closes. Returns 1 if CUR was aborted
 * (NOW), -1 out of memory, 0 otherwise.
 */
static int add_edge(struct mvcc *m, struct txn *r, struct txn *w, struct txn *cur, int now)
{
	if (r == w || r->level != MV_SERIALIZABLE || w->level != MV_SERIALIZABLE ||
	    !concurrent(r, w) || has_edge(r->out, r->nout, w->id))
		return 0;
	if (grow(&r->out, r->nout, &r->capout, sizeof *r->out) != 0 ||
	    grow(&w->in, w->nin, &w->capin, sizeof *w->in) != 0)
		return -1;
	r->out[r->nout++] = w->id;
	w->in[w->nin++] = r->id;
	for (int i = 0; i < r->nin; i++) { /* x -> r -> w */
		struct txn *x = txn_of(m, r->in[i]);
		if (dangerous(x, r, w) && resolve(m, x, r, w, cur, now))
			return 1;
	}
	for (int i = 0; i < w->nout; i++) { /* r -> w -> y */
		struct txn *y = txn_of(m, w->out[i]);
		if (dangerous(r, w, y) && resolve(m, r, w, y, cur, now))
			return 1;
	}
	return 0;
}

static int in_span(const struct span *s, const struct mv_key *k)
{
	return (!s->has_lo || mv_key_cmp(k, &s->lo) >= 0) && (!s->has_hi || mv_key_cmp(k, &s->hi) <= 0);
}

/* Whether serializable T read K (a key, or a range holding it). */
static int read_by(const struct txn *t, const struct mv_key *k)
{
	for (int i = 0; i < t->nr; i++)
		if (mv_key_cmp(&t->reads[i], k) == 0)
			return 1;
	for (int i = 0; i < t->ns; i++)
		if (in_span(&t->spans[i], k))
			return 1;
	return 0;
}

/* Edges T -> W for every concurrent W that wrote K where T cannot see it
 * (an uncommitted write, or a version committed after T's snapshot). */
static int read_conflicts(struct mvcc *m, struct txn *t, const struct mv_key *k)
{
	const struct item *it = item_of(m, k);
	for (int i = 0; i < m->nlive; i++) {
		struct txn *w = txn_of(m, m->live[i]);
		if (w == t || w->level != MV_SERIALIZABLE)
			continue;
		int wrote = w->status == MV_ACTIVE && pending(w, k);
		for (int j = 0; !wrote && it && j < it->n; j++)
			wrote = it->v[j].tx == w->id && it->v[j].ts > t->start;
		if (wrote && add_edge(m, t, w, t, 0) < 0)
			return -1;
	}
	return 0;
}

/* ---- the store ---- */

struct mvcc *mvcc_new(int level)
{
	if (level < MV_READ_UNCOMMITTED || level > MV_SERIALIZABLE)
		return NULL;
	struct mvcc *m = budget_calloc(1, sizeof *m);
	if (m)
		m->level = level;
	return m;
}

void mvcc_free(struct mvcc *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nitems; i++) {
		key_free(&m->items[i].k);
		for (int j = 0; j < m->items[i].n; j++)
			val_free(&m->items[i].v[j].v);
		budget_free(m->items[i].v);
	}
	budget_free(m->items);
	for (uint32_t i = 0; i < m->ntx; i++)
		txn_free(m->tx[i]);
	budget_free(m->tx);
	budget_free(m->live);
	budget_free(m);
}

uint32_t mvcc_begin(struct mvcc *m, int level)
{
	if (level < 0)
		level = m->level;
	if (level > MV_SERIALIZABLE || m->ntx == UINT32_MAX - 1)
		return 0;
	int n = (int)m->ntx, cap = (int)m->captx;
	if (grow(&m->tx, n, &cap, sizeof *m->tx) != 0)
		return 0;
	m->captx = (uint32_t)cap;
	if (grow(&m->live, m->nlive, &m->caplive, sizeof *m->live) != 0)
		return 0;
	struct txn *t = budget_calloc(1, sizeof *t);
	if (!t)
		return 0;
	t->id = ++m->ntx;
	m->live[m->nlive++] = t->id;
	t->level = level;
	t->status = MV_ACTIVE;
	t->start = m->clock;
	m->tx[t->id - 1] = t;
	m->st.begins++;
	return t->id;
}

/* What T sees of K: *OUT set and 1, or 0. */
static int visible(const struct mvcc *m, const struct txn *t, const struct mv_key *k,
		   struct mv_val *out)
{
	const struct pend *own = pending(t, k);
	if (own) {
		*out = own->v;
		return out->kind != MV_DELETED;
	}
	if (t->level == MV_READ_UNCOMMITTED) {
		const struct pend *dirty = NULL;
		for (int i = 0; i < m->nlive; i++) {
			const struct txn *o = txn_of(m, m->live[i]);
			const struct pend *p = o->status == MV_ACTIVE ? pending(o, k) : NULL;
			if (p && (!dirty || p->seq > dirty->seq))
				dirty = p;
		}
		if (dirty) {
			*out = dirty->v;
			return out->kind != MV_DELETED;
		}
	}
	uint64_t at = t->level >= MV_REPEATABLE_READ ? t->start : m->clock;
	const struct version *v = version_at(item_of(m, k), at);
	if (!v)
		return 0;
	*out = v->v;
	return out->kind != MV_DELETED;
}

int mvcc_read(struct mvcc *m, uint32_t tx, const struct mv_key *k, struct mv_val *out)
{
	struct txn *t = txn_of(m, tx);
	if (!t || t->status != MV_ACTIVE)
		return -2;
	if (t->level == MV_SERIALIZABLE) {
		if (!read_by(t, k)) {
			if (grow(&t->reads, t->nr, &t->capr, sizeof *t->reads) != 0 ||
			    key_dup(k, &t->reads[t->nr]) != 0)
				return -1;
			t->nr++;
		}
		if (read_conflicts(m, t, k) != 0)
			return -1;
	}
	return visible(m, t, k, out);
}

static int cmp_keyp(const void *a, const void *b)
{
	return mv_key_cmp(*(const struct mv_key *const *)a, *(const struct mv_key *const *)b);
}

int mvcc_scan(struct mvcc *m, uint32_t tx, const struct mv_key *lo, const struct mv_key *hi,
	      void (*fn)(const struct mv_key *k, const struct mv_val *v, void *ud), void *ud)
{
	struct txn *t = txn_of(m, tx);
	if (!t || t->status != MV_ACTIVE)
		return -2;
	struct span s = {lo != NULL, hi != NULL, {0}, {0}};
	struct span q = {lo != NULL, hi != NULL, lo ? *lo : s.lo, hi ? *hi : s.hi}; /* borrowed */
	/* candidates: committed items, and pending writes (own, or anyone's
	 * for read uncommitted), in the range */
	int cap = m->nitems;
	for (int i = 0; i < m->nlive; i++)
		cap += txn_of(m, m->live[i])->nw;
	const struct mv_key **keys = budget_malloc((size_t)(cap ? cap : 1) * sizeof *keys);
	if (!keys)
		return -1;
	int n = 0;
	for (int i = 0; i < m->nitems; i++)
		if (in_span(&q, &m->items[i].k))
			keys[n++] = &m->items[i].k;
	for (int i = 0; i < m->nlive; i++) {
		const struct txn *o = txn_of(m, m->live[i]);
		if (o != t && !(t->level == MV_READ_UNCOMMITTED && o->status == MV_ACTIVE))
			continue;
		for (int j = 0; j < o->nw; j++)
			if (in_span(&q, &o->w[j].k))
				keys[n++] = &o->w[j].k;
	}
	qsort(keys, (size_t)n, sizeof *keys, cmp_keyp);
	if (t->level == MV_SERIALIZABLE) {
		if (grow(&t->spans, t->ns, &t->caps, sizeof *t->spans) != 0 ||
		    (lo && key_dup(lo, &s.lo) != 0) || (hi && key_dup(hi, &s.hi) != 0)) {
			key_free(&s.lo);
			budget_free(keys);
			return -1;
		}
		t->spans[t->ns++] = s;
		for (int i = 0; i < n; i++)
			if ((i == 0 || mv_key_cmp(keys[i - 1], keys[i]) != 0) &&
			    read_conflicts(m, t, keys[i]) != 0) {
				budget_free(keys);
				return -1;
			}
	}
	for (int i = 0; i < n; i++) {
		if (i > 0 && mv_key_cmp(keys[i - 1], keys[i]) == 0)
			continue;
		struct mv_val v;
		if (visible(m, t, keys[i], &v))
			fn(keys[i], &v, ud);
	}
	budget_free(keys);
	return 0;
}

int mvcc_write(struct mvcc *m, uint32_t tx, const struct mv_key *k, const struct mv_val *v)
{
	struct txn *t = txn_of(m, tx);
	if (!t || t->status != MV_ACTIVE)
		return -2;
	char kt[64], why[240];
	if (t->doomed) {
		abort_with(m, t, NULL);
		return 1;
	}
	if (t->level >= MV_REPEATABLE_READ) {
		const struct item *it = item_of(m, k);
		const struct version *last = it && it->n ? &it->v[it->n - 1] : NULL;
		if (last && last->ts > t->start) {
			key_text(k, kt, sizeof kt);
			snprintf(why, sizeof why,
				 "could not serialize access due to concurrent update: T%u committed a "
				 "newer version of key %s after this transaction's snapshot",
				 last->tx, kt);
			m->st.write_conflicts++;
			abort_with(m, t, why);
			return 1;
		}
		for (int i = 0; i < m->nlive; i++) {
			const struct txn *o = txn_of(m, m->live[i]);
			if (o != t && o->status == MV_ACTIVE && pending(o, k)) {
				key_text(k, kt, sizeof kt);
				snprintf(why, sizeof why,
					 "concurrent update: T%u has an uncommitted write to key %s "
					 "(a writer that would wait for it aborts here instead)",
					 o->id, kt);
				m->st.write_conflicts++;
				abort_with(m, t, why);
				return 1;
			}
		}
	}
	struct pend *p = pending(t, k);
	struct mv_val nv;
	if (val_dup(v, &nv) != 0)
		return -1;
	if (p) {
		val_free(&p->v);
		p->v = nv;
		p->seq = ++m->seq;
	} else {
		struct mv_key nk;
		if (grow(&t->w, t->nw, &t->capw, sizeof *t->w) != 0 || key_dup(k, &nk) != 0) {
			val_free(&nv);
			return -1;
		}
		t->w[t->nw++] = (struct pend){nk, nv, ++m->seq};
	}
	if (t->level == MV_SERIALIZABLE) /* edges from those who read it */
		for (int i = 0; i < m->nlive; i++) {
			struct txn *r = txn_of(m, m->live[i]);
			if (r != t && r->level == MV_SERIALIZABLE && read_by(r, k)) {
				int rc = add_edge(m, r, t, t, 1);
				if (rc)
					return rc;
			}
		}
	return 0;
}

/* Installs T's writes as versions at timestamp TS; -1 out of memory
 * (nothing visible installed: at worst an item with no version, which
 * reads as absent). */
static int install(struct mvcc *m, struct txn *t, uint64_t ts)
{
	if (m->nitems + t->nw > m->capitems) {
		int cap = m->nitems + t->nw;
		struct item *it = budget_realloc(m->items, (size_t)cap * sizeof *it);
		if (!it)
			return -1;
		m->items = it;
		m->capitems = cap;
	}
	for (int i = 0; i < t->nw; i++) {
		int pos;
		if (find_item(m, &t->w[i].k, &pos))
			continue;
		struct mv_key k;
		if (key_dup(&t->w[i].k, &k) != 0)
			return -1;
		memmove(m->items + pos + 1, m->items + pos, (size_t)(m->nitems - pos) * sizeof *m->items);
		m->items[pos] = (struct item){k, NULL, 0, 0};
		m->nitems++;
	}
	for (int i = 0; i < t->nw; i++) {
		int pos;
		find_item(m, &t->w[i].k, &pos);
		struct item *it = &m->items[pos];
		if (grow(&it->v, it->n, &it->cap, sizeof *it->v) != 0)
			return -1;
	}
	for (int i = 0; i < t->nw; i++) {
		int pos;
		find_item(m, &t->w[i].k, &pos);
		struct item *it = &m->items[pos];
		it->v[it->n++] = (struct version){t->w[i].v, t->id, ts};
		t->w[i].v.kind = MV_DELETED; /* the version owns the string now */
		t->w[i].v.s = NULL;
	}
	return 0;
}

int mvcc_commit(struct mvcc *m, uint32_t tx)
{
	struct txn *t = txn_of(m, tx);
	if (!t || t->status != MV_ACTIVE)
		return -2;
	if (t->doomed) {
		abort_with(m, t, NULL);
		return 1;
	}
	char kt[64], why[240];
	if (t->level >= MV_REPEATABLE_READ) /* first committer wins */
		for (int i = 0; i < t->nw; i++) {
			const struct item *it = item_of(m, &t->w[i].k);
			const struct version *last = it && it->n ? &it->v[it->n - 1] : NULL;
			if (last && last->ts > t->start) {
				key_text(&t->w[i].k, kt, sizeof kt);
				snprintf(why, sizeof why,
					 "could not serialize access due to concurrent update: T%u "
					 "committed key %s first",
					 last->tx, kt);
				m->st.commit_conflicts++;
				abort_with(m, t, why);
				return 1;
			}
		}
	if (t->level == MV_SERIALIZABLE) {
		/* as the pivot: x -> t -> y with y committed first */
		for (int i = 0; i < t->nin; i++)
			for (int j = 0; j < t->nout; j++) {
				struct txn *x = txn_of(m, t->in[i]), *y = txn_of(m, t->out[j]);
				if (dangerous(x, t, y) && resolve(m, x, t, y, t, 1))
					return 1;
			}
		/* as T_in: t -> p -> y, y committed first */
		for (int i = 0; i < t->nout; i++) {
			struct txn *p = txn_of(m, t->out[i]);
			for (int j = 0; j < p->nout; j++) {
				struct txn *y = txn_of(m, p->out[j]);
				if (dangerous(t, p, y) && resolve(m, t, p, y, t, 1))
					return 1;
			}
		}
	}
	uint64_t ts = m->clock + 1;
	if (install(m, t, ts) != 0)
		return -1;
	m->clock = ts;
	t->status = MV_COMMITTED;
	t->commit = ts;
	drop_writes(t);
	m->st.commits++;
	if (t->level == MV_SERIALIZABLE) /* as T_out, committing first: p -> t, x -> p */
		for (int i = 0; i < t->nin; i++) {
			struct txn *p = txn_of(m, t->in[i]);
			for (int j = 0; j < p->nin; j++) {
				struct txn *x = txn_of(m, p->in[j]);
				if (dangerous(x, p, t))
					resolve(m, x, p, t, NULL, 0);
			}
		}
	prune(m);
	return 0;
}

void mvcc_abort(struct mvcc *m, uint32_t tx)
{
	struct txn *t = txn_of(m, tx);
	if (t && t->status == MV_ACTIVE)
		abort_with(m, t, "aborted by the transaction itself");
}

int mvcc_status(const struct mvcc *m, uint32_t tx)
{
	const struct txn *t = txn_of(m, tx);
	return t ? t->status : -1;
}

int mvcc_level(const struct mvcc *m, uint32_t tx)
{
	const struct txn *t = txn_of(m, tx);
	return t ? t->level : -1;
}

const char *mvcc_reason(const struct mvcc *m, uint32_t tx)
{
	const struct txn *t = txn_of(m, tx);
	return t && t->reason[0] ? t->reason : NULL;
}

int mvcc_latest(const struct mvcc *m, const struct mv_key *k, struct mv_val *out)
{
	const struct version *v = version_at(item_of(m, k), m->clock);
	if (!v)
		return 0;
	*out = v->v;
	return out->kind != MV_DELETED;
}

int mvcc_versions(const struct mvcc *m, const struct mv_key *k)
{
	const struct item *it = item_of(m, k);
	return it ? it->n : 0;
}

void mvcc_version(const struct mvcc *m, const struct mv_key *k, int i, struct mv_val *v,
		  uint32_t *tx, uint64_t *ts)
{
	const struct item *it = item_of(m, k);
	const struct version *x = &it->v[i];
	*v = x->v;
	*tx = x->tx;
	*ts = x->ts;
}

const struct mvcc_stats *mvcc_stats(const struct mvcc *m)
{
	return &m->st;
}
