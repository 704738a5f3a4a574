/* cache.c — a fixed-capacity cache with pluggable eviction; see cache.h. */
#include "engine/concepts/cache/cache_int.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[CACHE_NPOLICIES] = {"fifo", "lru", "lfu", "clock",
							  "random", "arc", "2q"};

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

void cache_heap_del(struct cache *c, uint32_t x)
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
		cache_heap_del(c, x);
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
		budget_free(e->str);
	e->str = NULL;
	e->where = W_FREE;
	e->next = c->free_head;
	c->free_head = x;
}

void cache_forget(struct cache *c, uint32_t x)
{
	tab_del(c, x);
	release(c, x);
}

/* Frees the entry kept from the previous call. */
static void bury(struct cache *c)
{
	if (c->grave != NIL) {
		release(c, c->grave);
		c->grave = NIL;
	}
}

uint32_t cache_alloc(struct cache *c, struct cache_key k, uint64_t h, char *copy)
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

void cache_retire(struct cache *c, uint32_t x)
{
	cachepol_unlink(c, x);
	cache_heap_del(c, x);
	tab_del(c, x);
	bury(c);
	c->e[x].where = W_GRAVE;
	c->grave = x;
}

/* ---- the cache ---- */

struct cache *cache_new(enum cache_policy policy, size_t capacity, uint64_t seed)
{
	if ((unsigned)policy >= CACHE_NPOLICIES || capacity < 1 || capacity > CACHE_MAX_CAPACITY)
		return NULL;
	struct cache *c = budget_calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->policy = policy;
	c->cap = (uint32_t)capacity;
	/* ARC keeps up to c ghosts, 2Q up to kout; one more slot holds the grave */
	c->kin = policy == CACHE_2Q ? (c->cap / 4 > 0 ? c->cap / 4 : 1) : 0;
	c->kout = policy == CACHE_2Q ? (c->cap / 2 > 0 ? c->cap / 2 : 1) : 0;
	c->nslots = (policy == CACHE_ARC ? 2 * c->cap : c->cap + c->kout) + 1;
	/* four list heads (ARC's four; list 0 for the others), or one per LFU
	 * bucket (at most cap + 1 of them, plus the bucket list's sentinel) */
	uint32_t nlists = policy == CACHE_LFU && c->cap + 2 > 4 ? c->cap + 2 : 4;
	uint32_t tsize = 4;
	while (tsize < 2 * c->nslots)
		tsize *= 2;
	c->mask = tsize - 1;
	c->e = budget_calloc((size_t)c->nslots + nlists, sizeof *c->e);
	c->tab = budget_malloc((size_t)tsize * sizeof *c->tab);
	c->heap = budget_malloc((size_t)c->nslots * sizeof *c->heap);
	if (policy == CACHE_LFU)
		c->bk = budget_malloc((size_t)(c->cap + 2) * sizeof *c->bk);
	if (policy == CACHE_RANDOM)
		c->dense = budget_malloc((size_t)c->cap * sizeof *c->dense);
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
				budget_free(c->e[i].str);
	budget_free(c->e);
	budget_free(c->tab);
	budget_free(c->heap);
	budget_free(c->bk);
	budget_free(c->dense);
	budget_free(c);
}

void cache_clear(struct cache *c)
{
	for (uint32_t i = 0; i < c->nslots; i++) {
		struct entry *e = &c->e[i];
		if (e->str && e->str != e->inl)
			budget_free(e->str);
		e->str = NULL;
		e->where = W_FREE;
		e->heap = NIL;
		e->next = i + 1 < c->nslots ? i + 1 : NIL;
	}
	c->free_head = 0;
	c->grave = NIL;
	memset(c->tab, 0xff, ((size_t)c->mask + 1) * sizeof *c->tab);
	c->used = c->size = c->nheap = 0;
	cachepol_clear(c);
}

/* Removes the entries expired by NOW, silently (cache_expire reports them). */
static void expire_all(struct cache *c, double now)
{
	while (c->nheap && c->e[c->heap[0]].expires <= now) {
		uint32_t x = c->heap[0];
		cachepol_unlink(c, x);
		cache_heap_del(c, x);
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
	cache_retire(c, x);
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
	cachepol_touch(c, x);
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
		cachepol_touch(c, x);
		c->st.updates++;
		return CACHE_UPDATED;
	}
	char *copy = NULL;
	if (x == NIL && key.str && key.len > INLINE_KEY && !(copy = budget_malloc(key.len)))
		return -1;
	uint32_t victim = NIL;
	if (c->policy == CACHE_ARC) {
		x = cachepol_arc_admit(c, x, key, h, copy, &victim);
	} else if (c->policy == CACHE_2Q) {
		x = cachepol_2q_admit(c, x, key, h, copy, &victim);
	} else {
		if (c->size == c->cap) {
			victim = cachepol_victim(c);
			if (evicted)
				fill_item(c, victim, evicted);
			cache_retire(c, victim);
		}
		x = cache_alloc(c, key, h, copy);
		cachepol_link(c, x);
	}
	c->e[x].data = data;
	set_expiry(c, x, now + ttl);
	c->st.inserts++;
	if (victim == NIL)
		return CACHE_INSERTED;
	c->st.evictions++;
	if (evicted && (c->policy == CACHE_ARC || c->policy == CACHE_2Q))
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
	cache_retire(c, x);
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

size_t cache_2q_kin(const struct cache *c)
{
	return c->kin;
}

size_t cache_2q_kout(const struct cache *c)
{
	return c->kout;
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
		if (c->policy != CACHE_ARC && c->policy != CACHE_2Q)
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
	case CACHE_2Q:
		n = list_items(c, LIST(c, T1), items, max, 0);
		return list_items(c, LIST(c, T2), items, max, n);
	}
	return 0;
}

/* ---- invariants ---- */

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
	return cachepol_check(c);
}
