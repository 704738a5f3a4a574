/* cachewrite.c — write policies over a simulated store; see cachewrite.h. */
#include "engine/concepts/cache/cachewrite.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[CW_NPOLICIES] = {
	"cache-aside", "read-through", "write-through", "write-back", "write-around"};

int cachewrite_policy_parse(const char *name)
{
	for (int i = 0; i < CW_NPOLICIES; i++)
		if (strcmp(name, policy_names[i]) == 0)
			return i;
	return -1;
}

const char *cachewrite_policy_name(enum cachewrite_policy p)
{
	return (unsigned)p < CW_NPOLICIES ? policy_names[p] : "?";
}

/*
 * A growable map from keys to 64-bit values, for the store's versions and
 * the writer's leases. Keys are never removed (a store keeps every key it
 * was written; a lease is reset to 0). Entries stay in insertion order in
 * `ents`; `slots` (open addressing, linear probing, at most half full)
 * holds indices into it plus one (0: empty).
 */
struct kventry {
	uint64_t hash, val;
	char *str; /* malloc'd copy of a string key, or NULL */
	size_t len;
	int64_t num;
};

struct kvmap {
	struct kventry *ents;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots; /* a power of two */
};

static uint64_t kv_hash(struct cache_key k)
{
	uint64_t h = 0xcbf29ce484222325ull;
	if (!k.str)
		return (((uint64_t)k.num) ^ h) * 0x9E3779B97F4A7C15ull;
	for (size_t i = 0; i < k.len; i++)
		h = (h ^ (unsigned char)k.str[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static int kv_eq(const struct kventry *e, struct cache_key k)
{
	if (!k.str)
		return !e->str && e->num == k.num;
	return e->str && e->len == k.len && memcmp(e->str, k.str, k.len) == 0;
}

/* The slot where K is or would go. */
static size_t kv_slot(const struct kvmap *m, struct cache_key k, uint64_t h)
{
	size_t i = (size_t)h & (m->nslots - 1);
	while (m->slots[i] && !(m->ents[m->slots[i] - 1].hash == h &&
				kv_eq(&m->ents[m->slots[i] - 1], k)))
		i = (i + 1) & (m->nslots - 1);
	return i;
}

static struct kventry *kv_find(const struct kvmap *m, struct cache_key k)
{
	if (!m->nslots)
		return NULL;
	size_t i = kv_slot(m, k, kv_hash(k));
	return m->slots[i] ? &m->ents[m->slots[i] - 1] : NULL;
}

/* The entry of K, added with value 0 if absent; NULL if memory runs out. */
static struct kventry *kv_get(struct kvmap *m, struct cache_key k)
{
	struct kventry *e = kv_find(m, k);
	if (e)
		return e;
	if (2 * (m->n + 1) > m->nslots) { /* grow and rehash */
		size_t ns = m->nslots ? 2 * m->nslots : 16;
		uint32_t *slots = budget_calloc(ns, sizeof *slots);
		if (!slots || ns > UINT32_MAX) {
			budget_free(slots);
			return NULL;
		}
		budget_free(m->slots);
		m->slots = slots;
		m->nslots = ns;
		for (size_t j = 0; j < m->n; j++) {
			size_t i = (size_t)m->ents[j].hash & (ns - 1);
			while (slots[i])
				i = (i + 1) & (ns - 1);
			slots[i] = (uint32_t)j + 1;
		}
	}
	if (m->n == m->cap) {
		size_t nc = m->cap ? 2 * m->cap : 16;
		struct kventry *ents = budget_realloc(m->ents, nc * sizeof *ents);
		if (!ents)
			return NULL;
		m->ents = ents;
		m->cap = nc;
	}
	char *copy = NULL;
	if (k.str && !(copy = budget_malloc(k.len + 1)))
		return NULL;
	if (copy)
		memcpy(copy, k.str, k.len);
	uint64_t h = kv_hash(k);
	e = &m->ents[m->n];
	e->hash = h;
	e->val = 0;
	e->str = copy;
	e->len = k.len;
	e->num = k.num;
	m->slots[kv_slot(m, k, h)] = (uint32_t)++m->n;
	return e;
}

static void kv_free(struct kvmap *m)
{
	for (size_t j = 0; j < m->n; j++)
		budget_free(m->ents[j].str);
	budget_free(m->ents);
	budget_free(m->slots);
}

/* ---- the store ---- */

struct cachestore {
	struct kvmap versions;
	uint64_t last_version;
	double rlat, wlat;
	struct cachestore_stats st;
};

struct cachestore *cachestore_new(double read_latency, double write_latency)
{
	if (!(read_latency >= 0) || !(write_latency >= 0) || isinf(read_latency) ||
	    isinf(write_latency))
		return NULL;
	struct cachestore *s = budget_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->rlat = read_latency;
	s->wlat = write_latency;
	return s;
}

void cachestore_free(struct cachestore *s)
{
	if (s) {
		kv_free(&s->versions);
		budget_free(s);
	}
}

uint64_t cachestore_read(struct cachestore *s, struct cache_key key)
{
	s->st.reads++;
	s->st.busy += s->rlat;
	return cachestore_version(s, key);
}

uint64_t cachestore_write(struct cachestore *s, struct cache_key key, uint64_t version)
{
	struct kventry *e = kv_get(&s->versions, key);
	if (!e)
		return 0;
	e->val = version ? version : cachestore_next_version(s);
	s->st.writes++;
	s->st.busy += s->wlat;
	return e->val;
}

uint64_t cachestore_version(const struct cachestore *s, struct cache_key key)
{
	const struct kventry *e = kv_find(&s->versions, key);
	return e ? e->val : 0;
}

uint64_t cachestore_next_version(struct cachestore *s)
{
	return ++s->last_version;
}

const struct cachestore_stats *cachestore_stats(const struct cachestore *s)
{
	return &s->st;
}

double cachestore_read_latency(const struct cachestore *s)
{
	return s->rlat;
}

double cachestore_write_latency(const struct cachestore *s)
{
	return s->wlat;
}

size_t cachestore_list(const struct cachestore *s, struct cache_item *items, size_t max)
{
	for (size_t j = 0; j < s->versions.n && j < max; j++) {
		const struct kventry *e = &s->versions.ents[j];
		memset(&items[j], 0, sizeof items[j]);
		items[j].key.str = e->str;
		items[j].key.len = e->len;
		items[j].key.num = e->num;
		items[j].data = e->val;
		items[j].expires = INFINITY;
	}
	return s->versions.n;
}

/* ---- the writer ---- */

/*
 * Invariants (cachewriter_check): the cache's own; `dirty` is the number of
 * cached entries whose word has the dirty bit; no cached version exceeds the
 * store's last version; only write-back has dirty entries.
 */
struct cachewriter {
	enum cachewrite_policy policy;
	struct cache *c;
	struct cachestore *s;
	double ttl, lat;
	size_t dirty;
	struct kvmap leases; /* key -> token of the read in flight, 0: none */
	uint64_t last_lease;
	struct cachewriter_stats st;
};

#define WORD(version, dirty) ((version) << 1 | (uint64_t)(dirty))
#define VERSION(word) ((word) >> 1)
#define DIRTY(word) ((int)((word)&1))

struct cachewriter *cachewriter_new(enum cachewrite_policy policy, size_t capacity,
				    enum cache_policy eviction, double ttl, double latency,
				    struct cachestore *store)
{
	if ((unsigned)policy >= CW_NPOLICIES || !(ttl > 0) || !(latency >= 0) || !store)
		return NULL;
	struct cachewriter *w = budget_calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->c = cache_new(eviction, capacity, 1);
	if (!w->c) {
		budget_free(w);
		return NULL;
	}
	w->policy = policy;
	w->s = store;
	w->ttl = ttl;
	w->lat = latency;
	return w;
}

void cachewriter_free(struct cachewriter *w)
{
	if (w) {
		cache_free(w->c);
		kv_free(&w->leases);
		budget_free(w);
	}
}

/* Notes that OP removed entry IT; writes it to the store if dirty.
 * Returns the store time spent. */
static double removed(struct cachewriter *w, const struct cache_item *it, struct cw_op *op)
{
	op->evicted = 1;
	op->key = it->key;
	op->written_back = DIRTY(it->data);
	if (!op->written_back)
		return 0;
	w->dirty--;
	if (!cachestore_write(w->s, it->key, VERSION(it->data))) {
		w->st.lost_writes++; /* out of memory for a new key in the store */
		return 0;
	}
	w->st.writebacks++;
	w->st.store_writes++;
	return cachestore_write_latency(w->s);
}

/* Puts KEY with WORD in the cache; returns the store time of a write-back,
 * or -1 if memory runs out. */
static double cache_in(struct cachewriter *w, struct cache_key key, uint64_t word, double now,
		       struct cw_op *op)
{
	uint64_t old;
	int had = cache_peek(w->c, key, now, &old);
	struct cache_item ev;
	int r = cache_put(w->c, key, word, w->ttl, now, &ev);
	if (r < 0)
		return -1;
	if (had && DIRTY(old))
		w->dirty--;
	if (DIRTY(word))
		w->dirty++;
	return r == CACHE_EVICTED ? removed(w, &ev, op) : 0;
}

/* Cancels a read in flight on KEY, if any: its fill will be dropped. */
static void invalidate_lease(struct cachewriter *w, struct cache_key key)
{
	struct kventry *e = kv_find(&w->leases, key);
	if (e)
		e->val = 0;
}

/* Expires entries (writing dirty ones back) that the caller did not drain. */
static void drain(struct cachewriter *w, double now)
{
	struct cw_op op;
	while (cachewriter_expire(w, now, &op))
		;
}

int cachewriter_read(struct cachewriter *w, struct cache_key key, double now, struct cw_op *op)
{
	drain(w, now);
	memset(op, 0, sizeof *op);
	uint64_t word;
	w->st.reads++;
	op->latency = w->lat;
	if (cache_get(w->c, key, now, &word)) {
		op->version = VERSION(word);
		op->outcome = op->version < cachestore_version(w->s, key) ? CW_STALE : CW_HIT;
		w->st.hits++;
		w->st.stale_reads += op->outcome == CW_STALE;
		w->st.read_time += op->latency;
		return op->outcome;
	}
	struct kventry *lease = kv_get(&w->leases, key);
	if (!lease)
		return -1;
	lease->val = op->lease = ++w->last_lease;
	w->st.misses++;
	w->st.store_reads++;
	op->version = cachestore_read(w->s, key);
	op->latency += cachestore_read_latency(w->s);
	op->outcome = CW_MISS;
	w->st.read_time += op->latency;
	return CW_MISS;
}

int cachewriter_fill(struct cachewriter *w, struct cache_key key, uint64_t version,
		     uint64_t lease, double now, struct cw_op *op)
{
	drain(w, now);
	memset(op, 0, sizeof *op);
	struct kventry *e = kv_find(&w->leases, key);
	int valid = e && e->val == lease;
	if (valid)
		e->val = 0;
	if (!valid && w->policy != CW_CACHE_ASIDE) {
		w->st.fills_dropped++;
		return 0;
	}
	uint64_t old;
	if (cache_peek(w->c, key, now, &old) && DIRTY(old)) {
		w->st.fills_dropped++; /* never overwrite a newer dirty value */
		return 0;
	}
	double t = cache_in(w, key, WORD(version, 0), now, op);
	if (t < 0)
		return -1;
	op->latency = t;
	w->st.read_time += t;
	return 1;
}

int cachewriter_write(struct cachewriter *w, struct cache_key key, double now, struct cw_op *op)
{
	drain(w, now);
	memset(op, 0, sizeof *op);
	uint64_t v = cachestore_next_version(w->s);
	double t = w->lat;
	switch (w->policy) {
	case CW_CACHE_ASIDE:
	case CW_READ_THROUGH:
		if (!cachestore_write(w->s, key, v))
			return -1;
		t += cachestore_write_latency(w->s);
		w->st.store_writes++;
		op->stored = 1;
		cache_delete(w->c, key, now, NULL);
		break;
	case CW_WRITE_THROUGH: {
		if (!cachestore_write(w->s, key, v))
			return -1;
		op->stored = 1;
		double wb = cache_in(w, key, WORD(v, 0), now, op);
		if (wb < 0)
			return -1;
		op->cached = 1;
		t += wb + cachestore_write_latency(w->s);
		w->st.store_writes++;
		break;
	}
	case CW_WRITE_BACK: {
		double wb = cache_in(w, key, WORD(v, 1), now, op);
		if (wb < 0)
			return -1;
		op->cached = 1;
		t += wb;
		break;
	}
	case CW_WRITE_AROUND:
		if (!cachestore_write(w->s, key, v))
			return -1;
		t += cachestore_write_latency(w->s);
		w->st.store_writes++;
		op->stored = 1;
		op->cached = cache_set_data(w->c, key, WORD(v, 0));
		break;
	}
	invalidate_lease(w, key);
	op->version = v;
	op->latency = t;
	w->st.writes++;
	w->st.write_time += t;
	return 0;
}

int cachewriter_invalidate(struct cachewriter *w, struct cache_key key, double now,
			   struct cw_op *op)
{
	drain(w, now);
	memset(op, 0, sizeof *op);
	invalidate_lease(w, key);
	struct cache_item it;
	if (!cache_delete(w->c, key, now, &it))
		return 0;
	removed(w, &it, op);
	return 1;
}

int cachewriter_expire(struct cachewriter *w, double now, struct cw_op *op)
{
	memset(op, 0, sizeof *op);
	struct cache_item it;
	if (!cache_expire(w->c, now, &it))
		return 0;
	removed(w, &it, op);
	return 1;
}

size_t cachewriter_list(const struct cachewriter *w, int dirty_only, struct cache_item *items,
			size_t max)
{
	size_t n = cache_list(w->c, CACHE_ORDER, NULL, 0);
	struct cache_item *all = budget_malloc(n * sizeof *all + 1);
	if (!all)
		return 0;
	cache_list(w->c, CACHE_ORDER, all, n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (dirty_only && !DIRTY(all[i].data))
			continue;
		if (k < max)
			items[k] = all[i];
		k++;
	}
	budget_free(all);
	return k;
}

size_t cachewriter_flush(struct cachewriter *w)
{
	size_t n = cachewriter_list(w, 1, NULL, 0);
	struct cache_item *d = budget_malloc(n * sizeof *d + 1);
	if (!d)
		return 0;
	cachewriter_list(w, 1, d, n);
	size_t written = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cachestore_write(w->s, d[i].key, VERSION(d[i].data)))
			continue; /* out of memory: it stays dirty */
		cache_set_data(w->c, d[i].key, WORD(VERSION(d[i].data), 0));
		written++;
	}
	budget_free(d);
	w->dirty -= written;
	w->st.writebacks += written;
	w->st.store_writes += written;
	return written;
}

size_t cachewriter_crash(struct cachewriter *w)
{
	size_t lost = w->dirty;
	cache_clear(w->c);
	w->dirty = 0;
	w->st.lost_writes += lost;
	return lost;
}

const struct cachewriter_stats *cachewriter_stats(const struct cachewriter *w)
{
	return &w->st;
}

size_t cachewriter_dirty(const struct cachewriter *w)
{
	return w->dirty;
}

enum cachewrite_policy cachewriter_policy(const struct cachewriter *w)
{
	return w->policy;
}

const struct cache *cachewriter_cache(const struct cachewriter *w)
{
	return w->c;
}

int cachewriter_check(const struct cachewriter *w)
{
	if (cache_check(w->c) < 0)
		return -1;
	size_t n = cachewriter_list(w, 0, NULL, 0);
	struct cache_item *all = budget_malloc(n * sizeof *all + 1);
	if (!all)
		return -1;
	cachewriter_list(w, 0, all, n);
	size_t dirty = 0;
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		dirty += DIRTY(all[i].data);
		bad |= VERSION(all[i].data) > w->s->last_version;
	}
	budget_free(all);
	if (dirty && w->policy != CW_WRITE_BACK)
		bad = 1;
	return bad || dirty != w->dirty ? -1 : 0;
}
