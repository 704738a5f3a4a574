/* partition.c — partitioning schemes, loads and rebalancing; see partition.h. */
#include "engine/concepts/partition/partition.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"range", "mod", "ring", "fixed", "dynamic", "directory"};

const char *part_scheme_name(enum part_scheme s)
{
	return s < PART_SCHEMES ? names[s] : "?";
}

int part_scheme_of(const char *name)
{
	for (int i = 0; i < PART_SCHEMES; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

struct part_config part_config_default(void)
{
	return (struct part_config){.scheme = PART_MOD, .nodes = 4, .to = 5, .keys = 100000,
				    .partitions = 256, .vnodes = 160, .size = 1000,
				    .split = 10e6, .zipf = 1.0, .seed = 1};
}

const char *part_check(const struct part_config *c, int rebalance)
{
	if (c->scheme >= PART_SCHEMES)
		return "unknown scheme";
	if (c->nodes < 1 || c->nodes > PART_MAX_NODES ||
	    (rebalance && (c->to < 1 || c->to > PART_MAX_NODES)))
		return "nodes must be between 1 and 1000";
	if (c->keys < 1 || c->keys > PART_MAX_KEYS)
		return "keys must be between 1 and 2000000";
	if (c->scheme == PART_FIXED &&
	    (c->partitions < 1 || c->partitions > 1000000 || c->partitions < c->nodes ||
	     (rebalance && c->partitions < c->to)))
		return "fixed partitioning needs at least as many partitions as nodes (at most 10^6)";
	if (c->scheme == PART_RING && (c->vnodes < 1 || c->vnodes > 10000))
		return "vnodes must be between 1 and 10000";
	if (!(c->size > 0 && c->size <= 1e12))
		return "size must be between 1 byte and 10^12";
	if (c->scheme == PART_DYNAMIC && !(c->split >= c->size && c->split <= 1e15))
		return "split must be at least one key's size";
	if (!(c->zipf >= 0 && c->zipf <= 10))
		return "zipf must be between 0 and 10";
	return NULL;
}

/* ---- the keys ---- */

struct keyset {
	uint32_t n;
	uint64_t *h;       /* hash of key i (i from 0: "key-(i+1)") */
	double *bytes;
};

static uint64_t key_hash(uint64_t i)
{
	char k[32];
	int len = snprintf(k, sizeof k, "key-%llu", (unsigned long long)(i + 1));
	return chash_hash64(k, (size_t)len);
}

static void keyset_free(struct keyset *k)
{
	budget_free(k->h);
	budget_free(k->bytes);
}

static int keyset_make(struct keyset *k, const struct part_config *c)
{
	k->n = c->keys;
	k->h = budget_malloc(k->n * sizeof *k->h);
	k->bytes = budget_malloc(k->n * sizeof *k->bytes);
	if (!k->h || !k->bytes) {
		keyset_free(k);
		return -1;
	}
	struct rng r;
	rng_seed(&r, c->seed ^ 0x5151);
	for (uint32_t i = 0; i < k->n; i++) {
		k->h[i] = key_hash(i);
		k->bytes[i] = c->vary ? c->size * rng_exponential(&r, 1.0) : c->size;
	}
	return 0;
}

/* ---- the ring ---- */

static struct hashring *ring_with(uint32_t nodes, uint32_t vnodes)
{
	struct hashring *r = hashring_new(vnodes);
	for (uint32_t i = 1; r && i <= nodes; i++) {
		char name[16];
		int len = snprintf(name, sizeof name, "n%u", i);
		if (hashring_add(r, name, (size_t)len, 1.0) < 0) {
			hashring_free(r);
			return NULL;
		}
	}
	return r;
}

/* The node number of a ring name "n12" (LEN bytes, not NUL-terminated). */
static uint32_t node_of(const char *name, size_t len)
{
	uint32_t x = 0;
	for (size_t i = 1; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		x = x * 10 + (uint32_t)(name[i] - '0');
	return x;
}

/* The node (1..) of each key under the ring of NODES nodes. */
static int ring_place(const struct keyset *k, uint32_t nodes, uint32_t vnodes, uint32_t *out)
{
	struct hashring *r = ring_with(nodes, vnodes);
	if (!r)
		return -1;
	for (uint32_t i = 0; i < k->n; i++) {
		char key[32];
		int len = snprintf(key, sizeof key, "key-%u", i + 1);
		int at = hashring_lookup_key(r, key, (size_t)len);
		size_t nl;
		const char *name = hashring_name(r, (size_t)at, &nl);
		out[i] = node_of(name, nl);
	}
	hashring_free(r);
	return 0;
}

/* ---- fixed partitions ---- */

static uint32_t busiest(const uint32_t *count, uint32_t nodes)
{
	uint32_t b = 1;
	for (uint32_t i = 2; i <= nodes; i++)
		if (count[i] > count[b])
			b = i;
	return b;
}

static uint32_t idlest(const uint32_t *count, uint32_t nodes)
{
	uint32_t b = 1;
	for (uint32_t i = 2; i <= nodes; i++)
		if (count[i] < count[b])
			b = i;
	return b;
}

/* Moves partitions so that TO nodes share them: each new node steals whole
 * partitions from the node holding the most until it holds its share; the
 * partitions of removed nodes go to those holding the fewest. OWNER[p] is
 * updated in place. */
static int fixed_rebalance(uint32_t *owner, uint32_t parts, uint32_t from, uint32_t to)
{
	uint32_t most = from > to ? from : to;
	uint32_t *count = budget_calloc(most + 1, sizeof *count);
	if (!count)
		return -1;
	for (uint32_t p = 0; p < parts; p++)
		count[owner[p]]++;
	if (to > from) {
		for (uint32_t j = from + 1; j <= to; j++) /* each new node steals its share */
			while (count[j] < parts / j) {
				uint32_t b = busiest(count, j - 1);
				for (uint32_t p = parts; p-- > 0;)
					if (owner[p] == b) {
						owner[p] = j;
						count[b]--;
						count[j]++;
						break;
					}
			}
	} else {
		for (uint32_t p = 0; p < parts; p++)
			if (owner[p] > to) {
				uint32_t b = idlest(count, to);
				count[owner[p]]--;
				owner[p] = b;
				count[b]++;
			}
	}
	budget_free(count);
	return 0;
}

/* ---- dynamic splitting ---- */

struct dpart {
	uint64_t lo, hi;  /* hash range [lo, hi], inclusive */
	double bytes;
	uint32_t node;
};

struct dyn {
	struct dpart *p;
	size_t n, cap;
	double *node_bytes; /* [nodes + 1] */
	uint32_t nodes;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Bytes of the keys with hash in [lo, hi]: SORTED holds the hashes in
 * order, PREFIX[i] the bytes of the first i of them. */
static double range_bytes(const uint64_t *sorted, const double *prefix, size_t n, uint64_t lo,
			  uint64_t hi)
{
	size_t a = 0, b = n, m;
	while (a < b) { /* first >= lo */
		m = (a + b) / 2;
		if (sorted[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	size_t first = a;
	b = n;
	while (a < b) { /* first > hi */
		m = (a + b) / 2;
		if (sorted[m] <= hi)
			a = m + 1;
		else
			b = m;
	}
	return prefix[a] - prefix[first];
}

static int dyn_push(struct dyn *d, struct dpart x)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct dpart *p = budget_realloc(d->p, cap * sizeof *p);
		if (!p)
			return -1;
		d->p = p;
		d->cap = cap;
	}
	d->p[d->n++] = x;
	return 0;
}

/* Splits the key space from one partition on node 1 until none exceeds
 * SPLIT bytes; each new upper half goes to the idlest node. Adds the
 * bytes that changed node to *MOVED. */
static int dyn_load(struct dyn *d, const uint64_t *sorted, const double *prefix, size_t n,
		    double split, double *moved)
{
	if (dyn_push(d, (struct dpart){0, UINT64_MAX, prefix[n], 1}) != 0)
		return -1;
	d->node_bytes[1] = prefix[n];
	for (size_t i = 0; i < d->n; i++) {
		while (d->p[i].bytes > split && d->p[i].hi > d->p[i].lo) {
			struct dpart *x = &d->p[i];
			uint64_t mid = x->lo + (x->hi - x->lo) / 2;
			struct dpart up = {mid + 1, x->hi, 0, 0};
			up.bytes = range_bytes(sorted, prefix, n, up.lo, up.hi);
			x->hi = mid;
			x->bytes -= up.bytes;
			d->node_bytes[x->node] -= up.bytes;
			uint32_t to = 1;
			for (uint32_t k = 2; k <= d->nodes; k++)
				if (d->node_bytes[k] < d->node_bytes[to])
					to = k;
			up.node = to;
			d->node_bytes[to] += up.bytes;
			if (to != x->node)
				*moved += up.bytes;
			if (dyn_push(d, up) != 0)
				return -1;
		}
	}
	return 0;
}

/* Moves whole partitions from the busiest node to the idlest while that
 * lowers the busiest's load; adds the bytes moved to *MOVED. Nodes above
 * NODES (removed) first give all they hold to the idlest. */
static void dyn_balance(struct dyn *d, uint32_t nodes, double *moved)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->p[i].node > nodes) {
			uint32_t to = 1;
			for (uint32_t k = 2; k <= nodes; k++)
				if (d->node_bytes[k] < d->node_bytes[to])
					to = k;
			d->node_bytes[d->p[i].node] -= d->p[i].bytes;
			d->node_bytes[to] += d->p[i].bytes;
			d->p[i].node = to;
			*moved += d->p[i].bytes;
		}
	for (;;) {
		uint32_t a = 1, b = 1;
		for (uint32_t k = 2; k <= nodes; k++) {
			if (d->node_bytes[k] > d->node_bytes[a])
				a = k;
			if (d->node_bytes[k] < d->node_bytes[b])
				b = k;
		}
		/* the largest partition of a that leaves a above b after the move */
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < d->n; i++) {
			const struct dpart *x = &d->p[i];
			if (x->node == a && d->node_bytes[b] + x->bytes < d->node_bytes[a] &&
			    x->bytes > 0 && (best == SIZE_MAX || x->bytes > d->p[best].bytes))
				best = i;
		}
		if (best == SIZE_MAX || a == b)
			return;
		d->node_bytes[a] -= d->p[best].bytes;
		d->node_bytes[b] += d->p[best].bytes;
		d->p[best].node = b;
		*moved += d->p[best].bytes;
	}
}

static int cmp_lo(const void *a, const void *b)
{
	const struct dpart *x = a, *y = b;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* The node of each key under D: the partitions sorted by range (they tile
 * the hash space), then a binary search per key. */
static int dyn_place(const struct dyn *d, const struct keyset *k, uint32_t *out)
{
	struct dpart *s = budget_malloc(d->n * sizeof *s);
	if (!s)
		return -1;
	memcpy(s, d->p, d->n * sizeof *s);
	qsort(s, d->n, sizeof *s, cmp_lo);
	for (uint32_t i = 0; i < k->n; i++) {
		size_t lo = 0, hi = d->n;
		while (hi - lo > 1) { /* the last partition with lo <= h */
			size_t m = (lo + hi) / 2;
			if (s[m].lo <= k->h[i])
				lo = m;
			else
				hi = m;
		}
		out[i] = s[lo].node;
	}
	budget_free(s);
	return 0;
}

/* ---- placing keys ---- */

struct placement {
	uint32_t *node;       /* [keys]: 1-based */
	uint32_t *owner;      /* fixed: [partitions] */
	struct dyn dyn;
	uint64_t *sorted;     /* dynamic */
	double *prefix;
};

static void placement_free(struct placement *p)
{
	budget_free(p->node);
	budget_free(p->owner);
	budget_free(p->dyn.p);
	budget_free(p->dyn.node_bytes);
	budget_free(p->sorted);
	budget_free(p->prefix);
}

/* Places the keys on NODES nodes, from scratch. */
static int place(const struct part_config *c, const struct keyset *k, uint32_t nodes,
		 struct placement *p, double *split_moves)
{
	uint32_t n = k->n;
	if (!(p->node = budget_malloc(n * sizeof *p->node)))
		return -1;
	switch (c->scheme) {
	case PART_RANGE:
		for (uint32_t i = 0; i < n; i++)
			p->node[i] = 1 + (uint32_t)((uint64_t)i * nodes / n);
		return 0;
	case PART_MOD:
		for (uint32_t i = 0; i < n; i++)
			p->node[i] = 1 + (uint32_t)(k->h[i] % nodes);
		return 0;
	case PART_RING: return ring_place(k, nodes, c->vnodes, p->node);
	case PART_DIRECTORY:
		for (uint32_t i = 0; i < n; i++) /* the node with the fewest: in turn */
			p->node[i] = 1 + i % nodes;
		return 0;
	case PART_FIXED:
		if (!(p->owner = budget_malloc(c->partitions * sizeof *p->owner)))
			return -1;
		for (uint32_t q = 0; q < c->partitions; q++)
			p->owner[q] = 1 + q % nodes;
		for (uint32_t i = 0; i < n; i++)
			p->node[i] = p->owner[k->h[i] % c->partitions];
		return 0;
	case PART_DYNAMIC: {
		uint32_t most = nodes > c->to ? nodes : c->to;
		p->dyn.nodes = nodes;
		p->dyn.node_bytes = budget_calloc(most + 1, sizeof *p->dyn.node_bytes);
		p->sorted = budget_malloc(n * sizeof *p->sorted);
		p->prefix = budget_malloc((n + 1) * sizeof *p->prefix);
		uint32_t *order = budget_malloc(n * sizeof *order);
		if (!p->dyn.node_bytes || !p->sorted || !p->prefix || !order) {
			budget_free(order);
			return -1;
		}
		/* keys sorted by hash, with their bytes */
		uint64_t *pairs = budget_malloc(n * 2 * sizeof *pairs);
		if (!pairs) {
			budget_free(order);
			return -1;
		}
		for (uint32_t i = 0; i < n; i++) {
			pairs[2 * i] = k->h[i];
			pairs[2 * i + 1] = i;
		}
		qsort(pairs, n, 2 * sizeof *pairs, cmp_u64);
		p->prefix[0] = 0;
		for (uint32_t i = 0; i < n; i++) {
			p->sorted[i] = pairs[2 * i];
			p->prefix[i + 1] = p->prefix[i] + k->bytes[pairs[2 * i + 1]];
		}
		budget_free(pairs);
		budget_free(order);
		if (dyn_load(&p->dyn, p->sorted, p->prefix, n, c->split, split_moves) != 0)
			return -1;
		return dyn_place(&p->dyn, k, p->node);
	}
	default: return -1;
	}
}

/* ---- loads ---- */

void part_load_free(struct part_load *l)
{
	budget_free(l->keys);
	budget_free(l->share);
	memset(l, 0, sizeof *l);
}

static double max_mean_u(const uint64_t *x, uint32_t n)
{
	double sum = 0, max = 0;
	for (uint32_t i = 0; i < n; i++) {
		sum += (double)x[i];
		max = fmax(max, (double)x[i]);
	}
	return sum > 0 ? max / (sum / n) : 0;
}

static double max_mean_d(const double *x, uint32_t n)
{
	double sum = 0, max = 0;
	for (uint32_t i = 0; i < n; i++) {
		sum += x[i];
		max = fmax(max, x[i]);
	}
	return sum > 0 ? max / (sum / n) : 0;
}

int part_load(const struct part_config *c, struct part_load *out)
{
	memset(out, 0, sizeof *out);
	if (part_check(c, 0))
		return -1;
	struct keyset k = {0};
	struct placement p = {0};
	double ignored = 0;
	uint32_t N = c->nodes, n = c->keys;
	out->nodes = N;
	out->keys = budget_calloc(N, sizeof *out->keys);
	out->share = budget_calloc(N, sizeof *out->share);
	double *weight = budget_malloc(n * sizeof *weight);
	int rc = -1;
	if (!out->keys || !out->share || !weight || keyset_make(&k, c) != 0 ||
	    place(c, &k, N, &p, &ignored) != 0)
		goto out;
	for (uint32_t i = 0; i < n; i++)
		out->keys[p.node[i] - 1]++;
	out->key_max_mean = max_mean_u(out->keys, N);
	if (c->scheme == PART_DIRECTORY)
		out->directory = n;
	if (c->scheme == PART_FIXED)
		out->partitions = c->partitions;
	if (c->scheme == PART_DYNAMIC)
		out->partitions = p.dyn.n;
	if (c->workload == PART_SEQUENTIAL) {
		/* new keys n+1..2n, in increasing order: where do they land? */
		struct keyset fresh = {0};
		struct part_config c2 = *c;
		c2.keys = n;
		if (keyset_make(&fresh, &c2) != 0)
			goto out;
		for (uint32_t i = 0; i < n; i++)
			fresh.h[i] = key_hash((uint64_t)n + i);
		uint32_t *where = budget_malloc(n * sizeof *where);
		int bad = !where;
		if (!bad && c->scheme == PART_RING) {
			struct hashring *r = ring_with(N, c->vnodes);
			bad = !r;
			for (uint32_t i = 0; r && i < n; i++) {
				char key[32];
				int len = snprintf(key, sizeof key, "key-%u", n + i + 1);
				size_t nl;
				const char *name = hashring_name(r, (size_t)hashring_lookup_key(r, key, (size_t)len), &nl);
				where[i] = node_of(name, nl);
			}
			hashring_free(r);
		} else if (!bad && c->scheme == PART_DYNAMIC) {
			bad = dyn_place(&p.dyn, &fresh, where) != 0;
		} else if (!bad) {
			for (uint32_t i = 0; i < n; i++) {
				uint64_t h = fresh.h[i];
				where[i] = c->scheme == PART_RANGE       ? N /* beyond the last boundary */
					   : c->scheme == PART_DIRECTORY ? 1 + (n + i) % N
					   : c->scheme == PART_FIXED     ? p.owner[h % c->partitions]
									 : 1 + (uint32_t)(h % N);
			}
		}
		for (uint32_t i = 0; !bad && i < n; i++)
			out->share[where[i] - 1] += 1.0 / n;
		budget_free(where);
		keyset_free(&fresh);
		if (bad)
			goto out;
	} else {
		double total = 0;
		if (c->workload == PART_ZIPF) {
			/* rank r (1-based) with weight r^-s, ranks dealt to keys at random */
			struct rng r;
			rng_seed(&r, c->seed);
			uint32_t *perm = budget_malloc(n * sizeof *perm);
			if (!perm)
				goto out;
			for (uint32_t i = 0; i < n; i++)
				perm[i] = i;
			for (uint32_t i = n; i > 1; i--) {
				uint32_t j = (uint32_t)rng_below(&r, i);
				uint32_t t = perm[i - 1];
				perm[i - 1] = perm[j];
				perm[j] = t;
			}
			for (uint32_t i = 0; i < n; i++)
				weight[perm[i]] = pow((double)i + 1, -c->zipf);
			budget_free(perm);
		} else {
			for (uint32_t i = 0; i < n; i++)
				weight[i] = 1;
		}
		double top = 0;
		for (uint32_t i = 0; i < n; i++) {
			total += weight[i];
			top = fmax(top, weight[i]);
		}
		for (uint32_t i = 0; i < n; i++)
			out->share[p.node[i] - 1] += weight[i] / total;
		out->hottest = top / total;
	}
	out->load_max_mean = max_mean_d(out->share, N);
	rc = 0;
out:
	budget_free(weight);
	keyset_free(&k);
	placement_free(&p);
	if (rc != 0)
		part_load_free(out);
	return rc;
}

/* ---- rebalancing ---- */

int part_rebalance(const struct part_config *c, struct part_move *out)
{
	memset(out, 0, sizeof *out);
	if (part_check(c, 1))
		return -1;
	struct keyset k = {0};
	struct placement before = {0}, after = {0};
	uint32_t from = c->nodes, to = c->to, n = c->keys;
	uint32_t most = from > to ? from : to;
	double *load = budget_calloc(2 * (most + 1), sizeof *load);
	int rc = -1;
	if (!load || keyset_make(&k, c) != 0 || place(c, &k, from, &before, &out->split_moves) != 0)
		goto out;
	if (c->scheme == PART_FIXED || c->scheme == PART_DYNAMIC || c->scheme == PART_DIRECTORY) {
		/* stateful: move from the placement before */
		if (!(after.node = budget_malloc(n * sizeof *after.node)))
			goto out;
		memcpy(after.node, before.node, n * sizeof *after.node);
		if (c->scheme == PART_FIXED) {
			if (fixed_rebalance(before.owner, c->partitions, from, to) != 0)
				goto out;
			for (uint32_t i = 0; i < n; i++)
				after.node[i] = before.owner[k.h[i] % c->partitions];
			out->partitions_before = out->partitions_after = c->partitions;
		} else if (c->scheme == PART_DYNAMIC) {
			out->partitions_before = before.dyn.n;
			double moved = 0;
			dyn_balance(&before.dyn, to, &moved);
			if (dyn_place(&before.dyn, &k, after.node) != 0)
				goto out;
			out->partitions_after = before.dyn.n;
		} else {
			/* the directory moves keys from nodes above their share to those below */
			uint64_t *cnt = budget_calloc(most + 1, sizeof *cnt);
			if (!cnt)
				goto out;
			for (uint32_t i = 0; i < n; i++)
				cnt[after.node[i]]++;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t a = after.node[i];
				uint64_t fair = n / to + 1;
				if (a > to || cnt[a] > fair) {
					uint32_t b = 1;
					for (uint32_t j = 2; j <= to; j++)
						if (cnt[j] < cnt[b])
							b = j;
					if (a > to || cnt[b] + 1 < cnt[a]) {
						cnt[a]--;
						cnt[b]++;
						after.node[i] = b;
					}
				}
			}
			budget_free(cnt);
		}
	} else if (place(c, &k, to, &after, &out->split_moves) != 0) {
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		out->bytes_total += k.bytes[i];
		load[before.node[i]] += k.bytes[i];
		load[most + 1 + after.node[i]] += k.bytes[i];
		if (before.node[i] != after.node[i]) {
			out->keys_moved++;
			out->bytes_moved += k.bytes[i];
		}
	}
	out->fraction = out->bytes_moved / out->bytes_total;
	out->ideal = (double)(to > from ? to - from : from - to) / (double)(to > from ? to : from);
	out->max_mean_before = max_mean_d(load + 1, from);
	out->max_mean_after = max_mean_d(load + most + 2, to);
	rc = 0;
out:
	budget_free(load);
	keyset_free(&k);
	placement_free(&before);
	placement_free(&after);
	return rc;
}
