/*
 * lin.c — the linearizability checker (lin.h): Wing and Gong's search with
 * Lowe's memoization, one key at a time.
 */
#include "engine/concepts/lin/lin.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"

/* ---- the history ---- */

struct lin_str lin_text(struct lin_history *h, const char *s, size_t len)
{
	struct lin_str r = {0, 0, 0};
	if (h->tlen + len + 1 > h->tcap) {
		size_t cap = h->tcap ? h->tcap : 256;
		while (cap < h->tlen + len + 1)
			cap *= 2;
		char *t = budget_realloc(h->text, cap);
		if (!t) {
			h->cap = SIZE_MAX; /* lin_history_add fails from now on */
			return r;
		}
		h->text = t;
		h->tcap = cap;
	}
	if (len)
		memcpy(h->text + h->tlen, s, len);
	r.off = h->tlen;
	r.len = len;
	r.set = 1;
	h->tlen += len;
	h->text[h->tlen] = '\0';
	return r;
}

int lin_history_add(struct lin_history *h, const struct lin_op *op)
{
	if (h->cap == SIZE_MAX)
		return -1;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct lin_op *o = budget_realloc(h->ops, cap * sizeof *o);
		if (!o)
			return -1;
		h->ops = o;
		h->cap = cap;
	}
	h->ops[h->n++] = *op;
	return 0;
}

void lin_history_free(struct lin_history *h)
{
	budget_free(h->ops);
	budget_free(h->text);
	memset(h, 0, sizeof *h);
}

/* ---- interned strings: equal bytes, equal id; 0 is nil ---- */

struct intern {
	struct lin_history *h;
	struct lin_str *strs; /* by id; strs[0] is nil */
	uint64_t *hashes;
	size_t n, cap;
	uint32_t *slots; /* id + 1, 0 empty */
	size_t nslots;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t x = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211ULL;
	return x ^ (x >> 29);
}

static int intern_grow(struct intern *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64;
	uint32_t *slots = budget_calloc(ns, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t id = 1; id < t->n; id++) {
		size_t i = t->hashes[id] & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)id + 1;
	}
	budget_free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

/* The id of the bytes S (LEN) of the history's text, adding them; -1 when
 * memory is refused. With COPY the bytes are not yet in the text (S points
 * elsewhere) and are added when new. */
static long intern_bytes(struct intern *t, const char *s, size_t len, int copy)
{
	if ((t->n + 1) * 2 > t->nslots && intern_grow(t) != 0)
		return -1;
	uint64_t x = hash_bytes(s, len);
	size_t i = x & (t->nslots - 1);
	for (; t->slots[i]; i = (i + 1) & (t->nslots - 1)) {
		uint32_t id = t->slots[i] - 1;
		struct lin_str e = t->strs[id];
		if (t->hashes[id] == x && e.len == len && memcmp(t->h->text + e.off, s, len) == 0)
			return id;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap * 2;
		struct lin_str *strs = budget_realloc(t->strs, cap * sizeof *strs);
		if (!strs)
			return -1;
		t->strs = strs;
		uint64_t *hashes = budget_realloc(t->hashes, cap * sizeof *hashes);
		if (!hashes)
			return -1;
		t->hashes = hashes;
		t->cap = cap;
	}
	struct lin_str e;
	if (copy) {
		e = lin_text(t->h, s, len);
		if (!e.set)
			return -1;
	} else {
		e.off = (size_t)(s - t->h->text);
		e.len = len;
		e.set = 1;
	}
	t->strs[t->n] = e;
	t->hashes[t->n] = x;
	t->slots[i] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

static long intern_str(struct intern *t, struct lin_str s)
{
	if (!s.set)
		return 0;
	return intern_bytes(t, t->h->text + s.off, s.len, 0);
}

/* ---- one key ---- */

struct entry {
	int call;          /* 1 call, 0 return */
	size_t op;         /* local index */
	double time;
	struct entry *match, *prev, *next;
};

struct lop {
	enum lin_f f;
	enum lin_status status;
	int cas_ok;
	long a, b, out;    /* interned ids */
	size_t index;      /* in the history */
	double invoke, complete;
};

struct memo {
	uint64_t *keys;    /* nslots * (w + 1) words: bitset, then state + 1 (0 empty) */
	size_t nslots, n, w;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t memo_hash(const uint64_t *bits, size_t w, long state)
{
	uint64_t x = mix((uint64_t)state + 0x9e3779b97f4a7c15ULL);
	for (size_t i = 0; i < w; i++)
		x = mix(x ^ bits[i]);
	return x;
}

static int memo_grow(struct memo *m)
{
	size_t ns = m->nslots ? m->nslots * 2 : 1024;
	size_t stride = m->w + 1;
	uint64_t *keys = budget_calloc(ns * stride, sizeof *keys);
	if (!keys)
		return -1;
	for (size_t s = 0; s < m->nslots; s++) {
		const uint64_t *k = m->keys + s * stride;
		if (!k[m->w])
			continue;
		size_t i = memo_hash(k, m->w, (long)k[m->w] - 1) & (ns - 1);
		while (keys[i * stride + m->w])
			i = (i + 1) & (ns - 1);
		memcpy(keys + i * stride, k, stride * sizeof *k);
	}
	budget_free(m->keys);
	m->keys = keys;
	m->nslots = ns;
	return 0;
}

/* Adds (BITS, STATE): 1 added, 0 already there, -1 memory refused. */
static int memo_add(struct memo *m, const uint64_t *bits, long state)
{
	if ((m->n + 1) * 2 > m->nslots && memo_grow(m) != 0)
		return -1;
	size_t stride = m->w + 1;
	size_t i = memo_hash(bits, m->w, state) & (m->nslots - 1);
	for (;; i = (i + 1) & (m->nslots - 1)) {
		uint64_t *k = m->keys + i * stride;
		if (!k[m->w]) {
			memcpy(k, bits, m->w * sizeof *k);
			k[m->w] = (uint64_t)state + 1;
			m->n++;
			return 1;
		}
		if (k[m->w] == (uint64_t)state + 1 && memcmp(k, bits, m->w * sizeof *k) == 0)
			return 0;
	}
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->call != b->call)
		return a->call ? -1 : 1; /* at the same time: calls first (overlap) */
	return a->op < b->op ? -1 : a->op > b->op;
}

/* The model's step: 1 legal (the new state in *NEXT), 0 not, -1 memory. */
static int step(struct intern *t, enum lin_model model, long state, const struct lop *o, long *next)
{
	*next = state;
	switch (o->f) {
	case LIN_READ:
		return o->status == LIN_INFO || state == o->out;
	case LIN_WRITE:
		*next = o->a;
		return 1;
	case LIN_CAS: {
		int match = state == o->a;
		if (match)
			*next = o->b;
		if (o->status == LIN_INFO)
			return 1;
		return o->cas_ok ? match : !match;
	}
	case LIN_APPEND: {
		struct lin_str s = t->strs[state], v = t->strs[o->a];
		size_t len = s.len + v.len;
		char *buf = budget_malloc(len + 1);
		if (!buf)
			return -1;
		memcpy(buf, t->h->text + s.off, s.len);
		memcpy(buf + s.len, t->h->text + v.off, v.len);
		long id = intern_bytes(t, buf, len, 1);
		budget_free(buf);
		if (id < 0)
			return -1;
		*next = id;
		return 1;
	}
	}
	return 0;
}

static void lift(struct entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	struct entry *m = e->match;
	m->prev->next = m->next;
	if (m->next)
		m->next->prev = m->prev;
}

static void unlift(struct entry *e)
{
	struct entry *m = e->match;
	m->prev->next = m;
	if (m->next)
		m->next->prev = m;
	e->prev->next = e;
	e->next->prev = e;
}

/* Checks the operations LOPS[0..M) of one key from state INIT: 1
 * linearizable, 0 not (R's explanation filled), -1 memory refused or told
 * to stop. */
static int check_key(struct intern *t, enum lin_model model, const struct lop *lops, size_t m,
		     long init, struct lin_result *r)
{
	int rc = -1;
	size_t w = (m + 63) / 64;
	struct entry *es = budget_calloc(2 * m + 1, sizeof *es);
	size_t *callpos = budget_calloc(m + 1, sizeof *callpos);
	size_t *retpos = budget_calloc(m + 1, sizeof *retpos);
	uint64_t *bits = budget_calloc(w + 1, sizeof *bits);
	struct entry **stack = budget_calloc(m + 1, sizeof *stack);
	long *states = budget_calloc(m + 1, sizeof *states);
	size_t *best = budget_calloc(m + 1, sizeof *best);
	struct memo memo = {NULL, 0, 0, w};
	if (!es || !callpos || !retpos || !bits || !stack || !states || !best)
		goto done;
	for (size_t i = 0; i < m; i++) {
		es[2 * i] = (struct entry){1, i, lops[i].invoke, NULL, NULL, NULL};
		es[2 * i + 1] = (struct entry){0, i, lops[i].status == LIN_INFO ? INFINITY
										: lops[i].complete,
					       NULL, NULL, NULL};
	}
	qsort(es, 2 * m, sizeof *es, cmp_entry);
	for (size_t i = 0; i < 2 * m; i++)
		(es[i].call ? callpos : retpos)[es[i].op] = i;
	struct entry *head = &es[2 * m];
	*head = (struct entry){0, 0, 0, NULL, NULL, NULL};
	struct entry *prev = head;
	for (size_t i = 0; i < 2 * m; i++) {
		es[i].prev = prev;
		prev->next = &es[i];
		prev = &es[i];
		if (es[i].call)
			es[i].match = &es[retpos[es[i].op]];
	}
	prev->next = NULL;

	struct entry *e = head->next;
	size_t depth = 0, best_n = 0;
	int have_best = 0;
	long state = init, stuck_state = init;
	size_t stuck = 0;
	unsigned long long it = 0;
	while (head->next) {
		if (budget_poll(++it))
			goto done;
		if (e->call) {
			long next;
			int ok = step(t, model, state, &lops[e->op], &next);
			if (ok < 0)
				goto done;
			if (ok) {
				bits[e->op / 64] |= 1ULL << (e->op % 64);
				int added = memo_add(&memo, bits, next);
				if (added < 0)
					goto done;
				if (added) {
					r->explored++;
					stack[depth] = e;
					states[depth] = state;
					depth++;
					state = next;
					lift(e);
					e = head->next;
					continue;
				}
				bits[e->op / 64] &= ~(1ULL << (e->op % 64));
			}
			e = e->next;
			continue;
		}
		/* the completion of an operation not yet placed: a dead end */
		if (!have_best || depth > best_n) {
			have_best = 1;
			best_n = depth;
			for (size_t i = 0; i < depth; i++)
				best[i] = lops[stack[i]->op].index;
			stuck = lops[e->op].index;
			stuck_state = state;
		}
		if (depth == 0) {
			r->order = budget_malloc((best_n + 1) * sizeof *r->order);
			if (!r->order)
				goto done;
			memcpy(r->order, best, best_n * sizeof *best);
			r->order_n = best_n;
			r->stuck = (long)stuck;
			r->state = t->strs[stuck_state];
			rc = 0;
			goto done;
		}
		depth--;
		e = stack[depth];
		state = states[depth];
		bits[e->op / 64] &= ~(1ULL << (e->op % 64));
		unlift(e);
		e = e->next;
	}
	rc = 1;
done:
	budget_free(es);
	budget_free(callpos);
	budget_free(retpos);
	budget_free(bits);
	budget_free(stack);
	budget_free(states);
	budget_free(best);
	budget_free(memo.keys);
	return rc;
}

int lin_check(struct lin_history *h, enum lin_model model, struct lin_result *r)
{
	memset(r, 0, sizeof *r);
	r->linearizable = -1;
	r->key_op = -1;
	r->stuck = -1;
	int rc = -1;
	int map = model == LIN_KV || model == LIN_KV_APPEND;
	struct intern t = {h, NULL, NULL, 1, 64, NULL, 0};
	long *kid = budget_calloc(h->n + 1, sizeof *kid);
	size_t *count = NULL, *first = NULL;
	struct lop *lops = budget_calloc(h->n + 1, sizeof *lops);
	t.strs = budget_calloc(t.cap, sizeof *t.strs);
	t.hashes = budget_calloc(t.cap, sizeof *t.hashes);
	if (!kid || !lops || !t.strs || !t.hashes || intern_grow(&t) != 0)
		goto done;
	long init = 0;
	if (model == LIN_KV_APPEND && (init = intern_bytes(&t, "", 0, 1)) < 0)
		goto done;
	for (size_t i = 0; i < h->n; i++) {
		const struct lin_op *o = &h->ops[i];
		kid[i] = -1;
		if (o->status == LIN_FAIL)
			continue;
		long k = map ? intern_str(&t, o->key) : 0;
		if (k < 0)
			goto done;
		kid[i] = k;
		struct lop *l = &lops[i];
		l->f = o->f;
		l->status = o->status;
		l->cas_ok = o->cas_ok;
		l->index = i;
		l->invoke = o->invoke;
		l->complete = o->complete;
		if ((l->a = intern_str(&t, o->a)) < 0 || (l->b = intern_str(&t, o->b)) < 0 ||
		    (l->out = intern_str(&t, o->out)) < 0)
			goto done;
	}
	/* group by key, keys in the order they first appear */
	size_t nk = t.n + 1;
	count = budget_calloc(nk, sizeof *count);
	first = budget_calloc(nk, sizeof *first);
	if (!count || !first)
		goto done;
	for (size_t i = 0; i < h->n; i++)
		if (kid[i] >= 0 && count[kid[i]]++ == 0)
			first[kid[i]] = i + 1;
	struct lop *group = budget_calloc(h->n + 1, sizeof *group);
	if (!group)
		goto done;
	r->linearizable = 1;
	for (size_t i = 0; i < h->n && r->linearizable == 1; i++) {
		if (kid[i] < 0 || first[kid[i]] != i + 1)
			continue;
		size_t m = 0;
		for (size_t j = i; j < h->n; j++)
			if (kid[j] == kid[i])
				group[m++] = lops[j];
		r->keys++;
		int k = check_key(&t, model, group, m, init, r);
		if (k < 0) {
			r->linearizable = -1;
			budget_free(group);
			goto done;
		}
		if (k == 0) {
			r->linearizable = 0;
			r->key_op = map ? (long)i : -1;
		}
	}
	budget_free(group);
	rc = 0;
done:
	if (rc != 0)
		r->linearizable = -1;
	budget_free(kid);
	budget_free(lops);
	budget_free(count);
	budget_free(first);
	budget_free(t.strs);
	budget_free(t.hashes);
	budget_free(t.slots);
	return rc;
}

void lin_result_free(struct lin_result *r)
{
	budget_free(r->order);
	r->order = NULL;
	r->order_n = 0;
}
