/* cache.c — a fixed-capacity cache with pluggable eviction; see cache.h. */
#include "engine/concepts/cache.h"
#include "engine/concepts/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define INLINE_KEY 24 /* string keys up to this many bytes live in the entry */

/* Where an entry is. Resident entries are in MAIN (one list, LFU buckets or
 * the random slot array) or, for ARC, in T1/T2; ghosts are in B1/B2. */
enum { W_FREE, W_MAIN, W_T1, W_T2, W_B1, W_B2, W_GRAVE };

struct entry {
	uint64_t hash;
	uint64_t data;
	double expires;        /* INFINITY: no TTL */
	int64_t num;           /* integer key */
	char *str;             /* string key: inl or malloc'd; NULL for an integer key */
	uint32_t len;          /* string key length */
	uint32_t prev, next;   /* list links; next also chains the free list */
	uint32_t heap;         /* index in the expiry heap, or NIL */
	uint32_t aux;          /* lfu: bucket; random: slot */
	uint8_t where;         /* W_* */
	uint8_t ref;           /* clock reference bit */
	char inl[INLINE_KEY];
};

/* An LFU frequency bucket: the buckets form a list in increasing frequency
 * (bk[0] is its sentinel); bucket b's entries hang off list sentinel b. */
struct bucket {
	uint64_t freq;
	uint32_t prev, next;
};

/* A slot of the index: an entry and the low bits of its key's hash, so that
 * probing rarely touches entries that do not match. */
struct slot {
	uint32_t e; /* entry index, or NIL: empty */
	uint32_t h; /* (uint32_t)hash of the entry's key */
};

/*
 * Invariants (checked by cache_check):
 * - e[0 .. nslots) are entries, e[nslots ..) list sentinels (circular doubly
 *   linked lists through prev/next, indices into e).
 * - Every resident or ghost entry is in the index `tab` exactly once, beside
 *   the low 32 bits of its hash (open addressing, linear probing, no
 *   tombstones: removal shifts back), and nothing else is; `used` counts
 *   them. size = resident entries <= cap.
 * - fifo/lru/clock: the resident entries are list 0. lfu: bucket list in
 *   strictly increasing freq, no empty bucket, each entry in its aux bucket.
 *   random: dense[0 .. size) are the resident entries, dense[e.aux] == e.
 *   arc: lists 0..3 are T1, T2, B1, B2 with lengths len[]; |T1|+|T2| <= c,
 *   |T1|+|B1| <= c, |T1|+|T2|+|B1|+|B2| <= 2c, 0 <= p <= c.
 * - The expiry heap holds exactly the resident entries with a finite expiry,
 *   as a binary min-heap on (expires, index), and e.heap is each one's place.
 * - At most one entry is W_GRAVE: the last one removed, kept so that the key
 *   reported to the caller stays readable until the next call.
 */
struct cache {
	enum cache_policy policy;
	uint32_t cap, size, nslots;
	struct entry *e;
	uint32_t free_head, grave;
	struct slot *tab;     /* the index */
	uint32_t mask, used;
	uint32_t *heap, nheap;
	uint32_t len[4];      /* arc list lengths */
	double p;             /* arc target size of T1 */
	struct bucket *bk;    /* lfu */
	uint32_t bk_free;
	uint32_t *dense;      /* random */
	struct rng rng;
	uint64_t draws;
	struct cache_stats st;
};

static const char *const policy_names[CACHE_NPOLICIES] = {"fifo", "lru", "lfu", "clock",
							  "random", "arc"};

int cache_policy_parse(const char *name)
{
	for (int i = 0; i < CACHE_NPOLICIES; i++)
		if (strcmp(name, policy_names[i]) == 0)
			return i;
	return -1;
}

const char *cache_policy_name(enum cache_policy p)
{
	return (unsigned)p < CACHE_NPOLICIES ? policy_names[p] : "?";
}

/* ---- keys and the index ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint64_t key_hash(struct cache_key k)
{
	if (!k.str)
		return mix64((uint64_t)k.num);
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then mixed */
	for (size_t i = 0; i < k.len; i++)
		h = (h ^ (unsigned char)k.str[i]) * 0x100000001b3ull;
	return mix64(h ^ k.len);
}

static int key_eq(const struct entry *e, struct cache_key k, uint64_t h)
{
	if (e->hash != h)
		return 0;
	if (!k.str)
		return !e->str && e->num == k.num;
	return e->str && e->len == k.len && memcmp(e->str, k.str, k.len) == 0;
}

static struct cache_key entry_key(const struct entry *e)
{
	struct cache_key k = {e->str, e->len, e->num};
	return k;
}

static uint32_t find(const struct cache *c, struct cache_key k, uint64_t h)
{
	for (uint32_t i = (uint32_t)h & c->mask;; i = (i + 1) & c->mask) {
		uint32_t x = c->tab[i].e;
		if (x == NIL || (c->tab[i].h == (uint32_t)h && key_eq(&c->e[x], k, h)))
			return x;
	}
}

static void tab_add(struct cache *c, uint32_t x)
{
	uint32_t h = (uint32_t)c->e[x].hash, i = h & c->mask;
	while (c->tab[i].e != NIL)
		i = (i + 1) & c->mask;
	c->tab[i].e = x;
	c->tab[i].h = h;
	c->used++;
}

static void tab_del(struct cache *c, uint32_t x)
{
	uint32_t i = (uint32_t)c->e[x].hash & c->mask;
	while (c->tab[i].e != x)
		i = (i + 1) & c->mask;
	/* backward-shift deletion: pull later members of the run into the hole */
	for (uint32_t j = (i + 1) & c->mask; c->tab[j].e != NIL; j = (j + 1) & c->mask) {
		uint32_t home = c->tab[j].h & c->mask;
		if (((j - home) & c->mask) >= ((j - i) & c->mask)) {
			c->tab[i] = c->tab[j];
			i = j;
		}
	}
	c->tab[i].e = NIL;
	c->used--;
}

/* ---- lists (sentinel s = nslots + list number) ---- */

#define LIST(c, n) ((c)->nslots + (uint32_t)(n))

static void list_init(struct cache *c, uint32_t s)
{
	c->e[s].prev = c->e[s].next = s;
}

static void unlink_entry(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	c->e[e->prev].next = e->next;
	c->e[e->next].prev = e->prev;
}

static void link_after(struct cache *c, uint32_t at, uint32_t x)
{
	uint32_t n = c->e[at].next;
	c->e[x].prev = at;
	c->e[x].next = n;
	c->e[n].prev = x;
	c->e[at].next = x;
}

static void push_front(struct cache *c, uint32_t s, uint32_t x)
{
	link_after(c, s, x);
}

static void push_back(struct cache *c, uint32_t s, uint32_t x)
{
	link_after(c, c->e[s].prev, x);
}

static int list_empty(const struct cache *c, uint32_t s)
{
	return c->e[s].next == s;
}

/* ---- the expiry heap ---- */

static int heap_before(const struct cache *c, uint32_t a, uint32_t b)
{
	double x = c->e[a].expires, y = c->e[b].expires;
	return x < y || (x == y && a < b);
}

static void heap_set(struct cache *c, uint32_t i, uint32_t x)
{
	c->heap[i] = x;
	c->e[x].heap = i;
}

static void heap_up(struct cache *c, uint32_t i)
{
	uint32_t x = c->heap[i];
	while (i > 0 && heap_before(c, x, c->heap[(i - 1) / 2])) {
		heap_set(c, i, c->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(c, i, x);
}

static void heap_down(struct cache *c, uint32_t i)
{
	uint32_t x = c->heap[i];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = l;
		if (l >= c->nheap)
			break;
		if (r < c->nheap && heap_before(c, c->heap[r], c->heap[l]))
			m = r;
		if (!heap_before(c, c->heap[m], x))
			break;
		heap_set(c, i, c->heap[m]);
		i = m;
	}
	heap_set(c, i, x);
}

static void heap_del(struct cache *c, uint32_t x)
{
	uint32_t i = c->e[x].heap;
	if (i == NIL)
		return;
	c->e[x].heap = NIL;
	uint32_t last = c->heap[--c->nheap];
	if (last != x) {
		heap_set(c, i, last);
		heap_down(c, i);
		heap_up(c, c->e[last].heap);
	}
}

/* Sets the entry's expiry and its place in the heap. */
static void set_expiry(struct cache *c, uint32_t x, double expires)
{
	struct entry *e = &c->e[x];
	if (e->heap != NIL && isinf(expires)) {
		heap_del(c, x);
	} else if (e->heap == NIL && !isinf(expires)) {
		e->expires = expires;
		heap_set(c, c->nheap++, x);
		heap_up(c, e->heap);
	} else if (e->heap != NIL) {
		e->expires = expires;
		heap_down(c, e->heap);
		heap_up(c, e->heap);
	}
	e->expires = expires;
}

/* ---- entry slots ---- */

static void release(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	if (e->str && e->str != e->inl)
		free(e->str);
	e->str = NULL;
	e->where = W_FREE;
	e->next = c->free_head;
	c->free_head = x;
}

/* Frees the entry kept from the previous call. */
static void bury(struct cache *c)
{
	if (c->grave != NIL) {
		release(c, c->grave);
		c->grave = NIL;
	}
}

/* A free slot holding KEY; COPY is a malloc'd copy of a long string key. */
static uint32_t alloc_entry(struct cache *c, struct cache_key k, uint64_t h, char *copy)
{
	uint32_t x = c->free_head;
	struct entry *e = &c->e[x];
	c->free_head = e->next;
	e->hash = h;
	e->data = 0;
	e->expires = INFINITY;
	e->heap = NIL;
	e->ref = 0;
	e->num = k.num;
	e->len = (uint32_t)k.len;
	if (!k.str) {
		e->str = NULL;
	} else {
		e->str = copy ? copy : e->inl;
		if (k.len)
			memcpy(e->str, k.str, k.len);
	}
	tab_add(c, x);
	return x;
}

static void fill_item(const struct cache *c, uint32_t x, struct cache_item *it)
{
	const struct entry *e = &c->e[x];
	it->key = entry_key(e);
	it->data = e->data;
	it->expires = e->expires;
	it->count = c->policy == CACHE_LFU && e->where == W_MAIN ? c->bk[e->aux].freq : 0;
	it->ref = e->ref;
}

/* ---- policies: link a new resident entry, note a use, pick a victim,
 * unlink a resident entry ---- */

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

static void pol_link(struct cache *c, uint32_t x)
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
		break; /* arc_admit places it */
	}
	c->size++;
}

static void pol_touch(struct cache *c, uint32_t x)
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
	case CACHE_ARC: /* case I: to the MRU end of T2 */
		c->len[e->where - W_T1]--;
		unlink_entry(c, x);
		push_front(c, LIST(c, 1), x);
		e->where = W_T2;
		c->len[1]++;
		break;
	}
}

static uint32_t pol_victim(struct cache *c)
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
		break;
	}
	return NIL; /* not reached: arc evicts in arc_admit */
}

static void pol_unlink(struct cache *c, uint32_t x)
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
		unlink_entry(c, x);
		c->len[e->where - W_T1]--;
		break;
	}
	c->size--;
}

static int resident(const struct entry *e)
{
	return e->where == W_MAIN || e->where == W_T1 || e->where == W_T2;
}

/* Takes a resident entry out of the cache and keeps it as the grave, so that
 * its key can be reported. */
static void retire(struct cache *c, uint32_t x)
{
	pol_unlink(c, x);
	heap_del(c, x);
	tab_del(c, x);
	bury(c);
	c->e[x].where = W_GRAVE;
	c->grave = x;
}

/* ---- ARC (Megiddo & Modha 2003, Fig. 4) ---- */

enum { T1, T2, B1, B2 };

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
	tab_del(c, x);
	release(c, x);
}

/* REPLACE(x, p): demotes T1's or T2's LRU entry to its ghost list; returns it. */
static uint32_t arc_replace(struct cache *c, int x_in_b2)
{
	double t1 = c->len[T1];
	int from_t1 = c->len[T1] >= 1 && (t1 > c->p || (x_in_b2 && t1 == c->p));
	if (c->len[T2] == 0)
		from_t1 = 1; /* beyond the paper: T2 has nothing to give */
	uint32_t v = c->e[LIST(c, from_t1 ? T1 : T2)].prev;
	heap_del(c, v);
	arc_move(c, v, from_t1 ? B1 : B2);
	return v;
}

/*
 * A put of a key that is not resident: G is its ghost entry or NIL. Returns
 * the key's resident entry; *VICTIM is the evicted entry or NIL.
 */
static uint32_t arc_admit(struct cache *c, uint32_t g, struct cache_key k, uint64_t h, char *copy,
			  uint32_t *victim)
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
			retire(c, *victim);
		}
	} else if (total >= c->cap) { /* case IV.B */
		if (total == 2 * c->cap)
			arc_drop_ghost(c, B2);
		if (full)
			*victim = arc_replace(c, 0);
	}
	uint32_t x = alloc_entry(c, k, h, copy);
	c->e[x].where = W_T1;
	push_front(c, LIST(c, T1), x);
	c->len[T1]++;
	c->size++;
	return x;
}

/* ---- the cache ---- */

struct cache *cache_new(enum cache_policy policy, size_t capacity, uint64_t seed)
{
	if ((unsigned)policy >= CACHE_NPOLICIES || capacity < 1 || capacity > CACHE_MAX_CAPACITY)
		return NULL;
	struct cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->policy = policy;
	c->cap = (uint32_t)capacity;
	/* ARC keeps up to c ghosts; one more slot holds the grave */
	c->nslots = (policy == CACHE_ARC ? 2 * c->cap : c->cap) + 1;
	/* four list heads (ARC's four; list 0 for the others), or one per LFU
	 * bucket (at most cap + 1 of them, plus the bucket list's sentinel) */
	uint32_t nlists = policy == CACHE_LFU && c->cap + 2 > 4 ? c->cap + 2 : 4;
	uint32_t tsize = 4;
	while (tsize < 2 * c->nslots)
		tsize *= 2;
	c->mask = tsize - 1;
	c->e = calloc((size_t)c->nslots + nlists, sizeof *c->e);
	c->tab = malloc((size_t)tsize * sizeof *c->tab);
	c->heap = malloc((size_t)c->nslots * sizeof *c->heap);
	if (policy == CACHE_LFU)
		c->bk = malloc((size_t)(c->cap + 2) * sizeof *c->bk);
	if (policy == CACHE_RANDOM)
		c->dense = malloc((size_t)c->cap * sizeof *c->dense);
	if (!c->e || !c->tab || !c->heap || (policy == CACHE_LFU && !c->bk) ||
	    (policy == CACHE_RANDOM && !c->dense)) {
		cache_free(c);
		return NULL;
	}
	memset(c->tab, 0xff, (size_t)tsize * sizeof *c->tab);
	rng_seed(&c->rng, seed);
	c->grave = NIL;
	cache_clear(c);
	return c;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	if (c->e)
		for (uint32_t i = 0; i < c->nslots; i++)
			if (c->e[i].str && c->e[i].str != c->e[i].inl)
				free(c->e[i].str);
	free(c->e);
	free(c->tab);
	free(c->heap);
	free(c->bk);
	free(c->dense);
	free(c);
}

void cache_clear(struct cache *c)
{
	for (uint32_t i = 0; i < c->nslots; i++) {
		struct entry *e = &c->e[i];
		if (e->str && e->str != e->inl)
			free(e->str);
		e->str = NULL;
		e->where = W_FREE;
		e->heap = NIL;
		e->next = i + 1 < c->nslots ? i + 1 : NIL;
	}
	c->free_head = 0;
	c->grave = NIL;
	memset(c->tab, 0xff, ((size_t)c->mask + 1) * sizeof *c->tab);
	c->used = c->size = c->nheap = 0;
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

/* Removes the entries expired by NOW, silently (cache_expire reports them). */
static void expire_all(struct cache *c, double now)
{
	while (c->nheap && c->e[c->heap[0]].expires <= now) {
		uint32_t x = c->heap[0];
		pol_unlink(c, x);
		heap_del(c, x);
		tab_del(c, x);
		release(c, x);
		c->st.expirations++;
	}
}

int cache_expire(struct cache *c, double now, struct cache_item *expired)
{
	bury(c);
	if (!c->nheap || !(c->e[c->heap[0]].expires <= now))
		return 0;
	uint32_t x = c->heap[0];
	if (expired)
		fill_item(c, x, expired); /* its key bytes stay with the grave */
	retire(c, x);
	c->st.expirations++;
	return 1;
}

static uint32_t lookup_resident(struct cache *c, struct cache_key k)
{
	uint32_t x = find(c, k, key_hash(k));
	return x != NIL && resident(&c->e[x]) ? x : NIL;
}

int cache_get(struct cache *c, struct cache_key key, double now, uint64_t *data)
{
	bury(c);
	expire_all(c, now);
	uint32_t x = lookup_resident(c, key);
	if (x == NIL) {
		c->st.misses++;
		return 0;
	}
	c->st.hits++;
	if (data)
		*data = c->e[x].data;
	pol_touch(c, x);
	return 1;
}

int cache_peek(struct cache *c, struct cache_key key, double now, uint64_t *data)
{
	bury(c);
	expire_all(c, now);
	uint32_t x = lookup_resident(c, key);
	if (x != NIL && data)
		*data = c->e[x].data;
	return x != NIL;
}

int cache_put(struct cache *c, struct cache_key key, uint64_t data, double ttl, double now,
	      struct cache_item *evicted)
{
	if (!(ttl > 0) || isnan(now))
		return -1;
	bury(c);
	expire_all(c, now);
	uint64_t h = key_hash(key);
	uint32_t x = find(c, key, h);
	if (x != NIL && resident(&c->e[x])) {
		c->e[x].data = data;
		set_expiry(c, x, now + ttl);
		pol_touch(c, x);
		c->st.updates++;
		return CACHE_UPDATED;
	}
	char *copy = NULL;
	if (x == NIL && key.str && key.len > INLINE_KEY && !(copy = malloc(key.len)))
		return -1;
	uint32_t victim = NIL;
	if (c->policy == CACHE_ARC) {
		x = arc_admit(c, x, key, h, copy, &victim);
	} else {
		if (c->size == c->cap) {
			victim = pol_victim(c);
			if (evicted)
				fill_item(c, victim, evicted);
			retire(c, victim);
		}
		x = alloc_entry(c, key, h, copy);
		pol_link(c, x);
	}
	c->e[x].data = data;
	set_expiry(c, x, now + ttl);
	c->st.inserts++;
	if (victim == NIL)
		return CACHE_INSERTED;
	c->st.evictions++;
	if (evicted && c->policy == CACHE_ARC)
		fill_item(c, victim, evicted); /* a ghost now, or the grave */
	return CACHE_EVICTED;
}

int cache_set_data(struct cache *c, struct cache_key key, uint64_t data)
{
	uint32_t x = lookup_resident(c, key);
	if (x == NIL)
		return 0;
	c->e[x].data = data;
	return 1;
}

int cache_delete(struct cache *c, struct cache_key key, double now, struct cache_item *removed)
{
	bury(c);
	expire_all(c, now);
	uint32_t x = lookup_resident(c, key);
	if (x == NIL)
		return 0;
	if (removed)
		fill_item(c, x, removed);
	retire(c, x);
	c->st.deletes++;
	return 1;
}

size_t cache_size(const struct cache *c)
{
	return c->size;
}

size_t cache_capacity(const struct cache *c)
{
	return c->cap;
}

enum cache_policy cache_policy(const struct cache *c)
{
	return c->policy;
}

const struct cache_stats *cache_stats(const struct cache *c)
{
	return &c->st;
}

void cache_reset_stats(struct cache *c)
{
	memset(&c->st, 0, sizeof c->st);
}

double cache_arc_p(const struct cache *c)
{
	return c->policy == CACHE_ARC ? c->p : 0;
}

uint64_t cache_draws(const struct cache *c)
{
	return c->draws;
}

/* Appends list S front to back; returns the new count N. */
static size_t list_items(const struct cache *c, uint32_t s, struct cache_item *items, size_t max,
			 size_t n)
{
	for (uint32_t x = c->e[s].next; x != s; x = c->e[x].next, n++)
		if (n < max)
			fill_item(c, x, &items[n]);
	return n;
}

size_t cache_list(const struct cache *c, enum cache_list which, struct cache_item *items,
		  size_t max)
{
	size_t n = 0;
	if (which != CACHE_ORDER) {
		if (c->policy != CACHE_ARC)
			return 0;
		return list_items(c, LIST(c, which - CACHE_T1), items, max, 0);
	}
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
	case CACHE_CLOCK:
		return list_items(c, LIST(c, 0), items, max, 0);
	case CACHE_LFU:
		for (uint32_t b = c->bk[0].prev; b != 0; b = c->bk[b].prev)
			n = list_items(c, LIST(c, b), items, max, n);
		return n;
	case CACHE_RANDOM:
		for (; n < c->size; n++)
			if (n < max)
				fill_item(c, c->dense[n], &items[n]);
		return n;
	case CACHE_ARC:
		n = list_items(c, LIST(c, T1), items, max, 0);
		return list_items(c, LIST(c, T2), items, max, n);
	}
	return 0;
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

int cache_check(const struct cache *c)
{
	uint32_t resident_n = 0, indexed = 0;
	for (uint32_t x = 0; x < c->nslots; x++) {
		const struct entry *e = &c->e[x];
		if (e->where == W_FREE || e->where == W_GRAVE)
			continue;
		indexed++;
		if (find(c, entry_key(e), e->hash) != x || e->hash != key_hash(entry_key(e)))
			return -1;
		if (resident(e)) {
			resident_n++;
			if ((e->heap == NIL) != (isinf(e->expires) != 0))
				return -1;
			if (c->policy == CACHE_CLOCK && e->ref > 1)
				return -1;
		} else if (e->heap != NIL) {
			return -1;
		}
	}
	if (resident_n != c->size || indexed != c->used || c->size > c->cap)
		return -1;
	uint32_t in_tab = 0;
	for (uint32_t i = 0; i <= c->mask; i++)
		in_tab += c->tab[i].e != NIL &&
			  c->tab[i].h == (uint32_t)c->e[c->tab[i].e].hash;
	if (in_tab != c->used)
		return -1;
	for (uint32_t i = 0; i < c->nheap; i++) {
		uint32_t x = c->heap[i];
		if (c->e[x].heap != i || !resident(&c->e[x]))
			return -1;
		if (i > 0 && heap_before(c, x, c->heap[(i - 1) / 2]))
			return -1;
	}
	switch (c->policy) {
	case CACHE_FIFO:
	case CACHE_LRU:
	case CACHE_CLOCK:
		if (check_list(c, LIST(c, 0), W_MAIN) != (long)c->size)
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
