/*
 * cache_policy.c — the eviction policies of cache.h: where a new entry goes,
 * what a use does, which entry is the victim, and ARC's admission. The
 * container (entries, index, expiry heap) is cache.c; both share cache_int.h.
 */
#include "engine/concepts/cache/cache_int.h"

#include <math.h>

void cachepol_clear(struct cache *c)
{
	for (int i = 0; i < 4; i++) {
		list_init(c, LIST(c, i));
		c->len[i] = 0;
	}
	c->p = 0;
	if (c->bk) {
		c->bk[0].prev = c->bk[0].next = 0;
		c->bk[0].freq = 0;
		c->bk_free = 1;
		for (uint32_t b = 1; b < c->cap + 2; b++)
			c->bk[b].next = b + 1 < c->cap + 2 ? b + 1 : 0;
	}
}

static uint32_t bucket_new(struct cache *c, uint64_t freq, uint32_t after)
{
	uint32_t b = c->bk_free;
	c->bk_free = c->bk[b].next;
	c->bk[b].freq = freq;
	c->bk[b].prev = after;
	c->bk[b].next = c->bk[after].next;
	c->bk[c->bk[after].next].prev = b;
	c->bk[after].next = b;
	list_init(c, LIST(c, b));
	return b;
}

static void bucket_drop_if_empty(struct cache *c, uint32_t b)
{
	if (!list_empty(c, LIST(c, b)))
		return;
	c->bk[c->bk[b].prev].next = c->bk[b].next;
	c->bk[c->bk[b].next].prev = c->bk[b].prev;
	c->bk[b].next = c->bk_free;
	c->bk_free = b;
}

void cachepol_link(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	e->where = W_MAIN;
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
		push_front(c, LIST(c, 0), x);
		break;
	case CACHE_CLOCK:
		push_back(c, LIST(c, 0), x); /* just behind the hand */
		break;
	case CACHE_LFU: {
		uint32_t b = c->bk[0].next;
		if (b == 0 || c->bk[b].freq != 1)
			b = bucket_new(c, 1, 0);
		push_front(c, LIST(c, b), x);
		e->aux = b;
		break;
	}
	case CACHE_RANDOM:
		e->aux = c->size;
		c->dense[c->size] = x;
		break;
	case CACHE_ARC:
	case CACHE_2Q:
		break; /* cachepol_arc_admit and cachepol_2q_admit place it */
	}
	c->size++;
}

void cachepol_touch(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_RANDOM:
		break;
	case CACHE_LRU:
		unlink_entry(c, x);
		push_front(c, LIST(c, 0), x);
		break;
	case CACHE_CLOCK:
		e->ref = 1;
		break;
	case CACHE_LFU: {
		uint32_t b = e->aux, nb = c->bk[b].next;
		uint64_t f = c->bk[b].freq + 1;
		if (nb == 0 || c->bk[nb].freq != f)
			nb = bucket_new(c, f, b);
		unlink_entry(c, x);
		push_front(c, LIST(c, nb), x);
		e->aux = nb;
		bucket_drop_if_empty(c, b);
		break;
	}
	case CACHE_2Q: /* a hit in A1in changes nothing; in Am, to its front */
		if (e->where == W_T2) {
			unlink_entry(c, x);
			push_front(c, LIST(c, 1), x);
		}
		break;
	case CACHE_ARC: /* case I: to the MRU end of T2 */
		c->len[e->where - W_T1]--;
		unlink_entry(c, x);
		push_front(c, LIST(c, 1), x);
		e->where = W_T2;
		c->len[1]++;
		break;
	}
}

uint32_t cachepol_victim(struct cache *c)
{
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
		return c->e[LIST(c, 0)].prev;
	case CACHE_CLOCK:
		for (;;) {
			uint32_t h = c->e[LIST(c, 0)].next;
			if (!c->e[h].ref)
				return h;
			c->e[h].ref = 0; /* second chance: clear, and the hand moves on */
			unlink_entry(c, h);
			push_back(c, LIST(c, 0), h);
		}
	case CACHE_LFU:
		return c->e[LIST(c, c->bk[0].next)].prev;
	case CACHE_RANDOM:
		c->draws++;
		return c->dense[rng_below(&c->rng, c->size)];
	case CACHE_ARC:
	case CACHE_2Q:
		break;
	}
	return NIL; /* not reached: arc and 2q evict in their admit functions */
}

void cachepol_unlink(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
	case CACHE_CLOCK:
		unlink_entry(c, x);
		break;
	case CACHE_LFU:
		unlink_entry(c, x);
		bucket_drop_if_empty(c, e->aux);
		break;
	case CACHE_RANDOM: {
		uint32_t last = c->dense[c->size - 1];
		c->dense[e->aux] = last;
		c->e[last].aux = e->aux;
		break;
	}
	case CACHE_ARC:
	case CACHE_2Q:
		unlink_entry(c, x);
		c->len[e->where - W_T1]--;
		break;
	}
	c->size--;
}

/* ---- ARC (Megiddo & Modha 2003, Fig. 4) ---- */

static void arc_move(struct cache *c, uint32_t x, int to)
{
	struct entry *e = &c->e[x];
	if (resident(e))
		c->size--;
	c->len[e->where - W_T1]--;
	unlink_entry(c, x);
	push_front(c, LIST(c, to), x);
	e->where = (uint8_t)(W_T1 + to);
	c->len[to]++;
	if (to == T1 || to == T2)
		c->size++;
}

/* Forgets the LRU ghost of list L (B1 or B2). */
static void arc_drop_ghost(struct cache *c, int l)
{
	uint32_t x = c->e[LIST(c, l)].prev;
	unlink_entry(c, x);
	c->len[l]--;
	cache_forget(c, x);
}

/* REPLACE(x, p): demotes T1's or T2's LRU entry to its ghost list; returns it. */
static uint32_t arc_replace(struct cache *c, int x_in_b2)
{
	double t1 = c->len[T1];
	int from_t1 = c->len[T1] >= 1 && (t1 > c->p || (x_in_b2 && t1 == c->p));
	if (c->len[T2] == 0)
		from_t1 = 1; /* beyond the paper: T2 has nothing to give */
	uint32_t v = c->e[LIST(c, from_t1 ? T1 : T2)].prev;
	cache_heap_del(c, v);
	arc_move(c, v, from_t1 ? B1 : B2);
	return v;
}

/* Cases II, III and IV of the paper's Fig. 4; see cache_int.h. */
uint32_t cachepol_arc_admit(struct cache *c, uint32_t g, struct cache_key k, uint64_t h,
			    char *copy, uint32_t *victim)
{
	double cap = c->cap;
	int full = c->size == c->cap;
	*victim = NIL;
	if (g != NIL) { /* cases II and III: a ghost hit adapts p */
		int in_b1 = c->e[g].where == W_B1;
		double b1 = c->len[B1], b2 = c->len[B2];
		if (in_b1)
			c->p = fmin(c->p + (b1 >= b2 ? 1 : b2 / b1), cap);
		else
			c->p = fmax(c->p - (b2 >= b1 ? 1 : b1 / b2), 0);
		if (full)
			*victim = arc_replace(c, !in_b1);
		arc_move(c, g, T2);
		return g;
	}
	uint32_t l1 = c->len[T1] + c->len[B1];
	uint32_t total = l1 + c->len[T2] + c->len[B2];
	if (l1 == c->cap) { /* case IV.A */
		if (c->len[T1] < c->cap) {
			arc_drop_ghost(c, B1);
			if (full)
				*victim = arc_replace(c, 0);
		} else { /* B1 is empty: T1's LRU goes without a ghost */
			*victim = c->e[LIST(c, T1)].prev;
			cache_retire(c, *victim);
		}
	} else if (total >= c->cap) { /* case IV.B */
		if (total == 2 * c->cap)
			arc_drop_ghost(c, B2);
		if (full)
			*victim = arc_replace(c, 0);
	}
	uint32_t x = cache_alloc(c, k, h, copy);
	c->e[x].where = W_T1;
	push_front(c, LIST(c, T1), x);
	c->len[T1]++;
	c->size++;
	return x;
}

/* ---- 2Q (Johnson & Shasha 1994, the full version) ---- */

/* The paper's reclaimfor, on a full cache: returns the entry evicted, now a
 * ghost in A1out or the grave. */
static uint32_t twoq_reclaim(struct cache *c)
{
	if (c->len[T1] > c->kin || c->len[T2] == 0) {
		uint32_t y = c->e[LIST(c, T1)].prev; /* A1in's oldest */
		cache_heap_del(c, y);
		arc_move(c, y, B1);
		if (c->len[B1] > c->kout)
			arc_drop_ghost(c, B1);
		return y;
	}
	uint32_t y = c->e[LIST(c, T2)].prev; /* Am's least recent: no ghost */
	cache_retire(c, y);
	return y;
}

uint32_t cachepol_2q_admit(struct cache *c, uint32_t g, struct cache_key k, uint64_t h,
			   char *copy, uint32_t *victim)
{
	int full = c->size == c->cap;
	*victim = NIL;
	if (g != NIL) { /* seen again while in A1out: to Am */
		unlink_entry(c, g);
		c->len[B1]--;
		c->e[g].where = W_FREE; /* in no list while room is made */
		if (full)
			*victim = twoq_reclaim(c);
		push_front(c, LIST(c, T2), g);
		c->e[g].where = W_T2;
		c->len[T2]++;
		c->size++;
		return g;
	}
	if (full)
		*victim = twoq_reclaim(c);
	uint32_t x = cache_alloc(c, k, h, copy);
	c->e[x].where = W_T1;
	push_front(c, LIST(c, T1), x);
	c->len[T1]++;
	c->size++;
	return x;
}

/* ---- invariants ---- */

/* Walks list S: links consistent, members are at WHERE; returns its length
 * or -1. */
static long check_list(const struct cache *c, uint32_t s, int where)
{
	long n = 0;
	uint32_t prev = s;
	for (uint32_t x = c->e[s].next; x != s; prev = x, x = c->e[x].next) {
		if (x >= c->nslots || c->e[x].prev != prev || c->e[x].where != where ||
		    n > (long)c->nslots)
			return -1;
		n++;
	}
	return c->e[s].prev == prev ? n : -1;
}

int cachepol_check(const struct cache *c)
{
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
	case CACHE_CLOCK:
		if (check_list(c, LIST(c, 0), W_MAIN) != (long)c->size)
			return -1;
		for (uint32_t x = c->e[LIST(c, 0)].next; x != LIST(c, 0); x = c->e[x].next)
			if (c->e[x].ref > 1)
				return -1;
		break;
	case CACHE_LFU: {
		long n = 0;
		uint64_t last = 0;
		for (uint32_t b = c->bk[0].next; b != 0; b = c->bk[b].next) {
			long k = check_list(c, LIST(c, b), W_MAIN);
			if (k <= 0 || c->bk[b].freq <= last || c->bk[c->bk[b].next].prev != b)
				return -1;
			for (uint32_t x = c->e[LIST(c, b)].next; x != LIST(c, b); x = c->e[x].next)
				if (c->e[x].aux != b)
					return -1;
			last = c->bk[b].freq;
			n += k;
		}
		if (n != (long)c->size)
			return -1;
		break;
	}
	case CACHE_RANDOM:
		for (uint32_t i = 0; i < c->size; i++)
			if (c->e[c->dense[i]].aux != i || c->e[c->dense[i]].where != W_MAIN)
				return -1;
		break;
	case CACHE_2Q:
		for (int l = 0; l < 4; l++)
			if (check_list(c, LIST(c, l), W_T1 + l) != (long)c->len[l])
				return -1;
		if (c->len[T1] + c->len[T2] != c->size || c->size > c->cap ||
		    c->len[B1] > c->kout || c->len[B2] != 0 || c->kin < 1 || c->kout < 1)
			return -1;
		break;
	case CACHE_ARC: {
		uint32_t cap = c->cap;
		for (int l = 0; l < 4; l++)
			if (check_list(c, LIST(c, l), W_T1 + l) != (long)c->len[l])
				return -1;
		if (c->len[T1] + c->len[T2] != c->size || c->len[T1] + c->len[T2] > cap ||
		    c->len[T1] + c->len[B1] > cap ||
		    c->len[T1] + c->len[T2] + c->len[B1] + c->len[B2] > 2 * cap ||
		    !(c->p >= 0 && c->p <= cap))
			return -1;
		break;
	}
	}
	return 0;
}
