/* hashring.c — a ketama-compatible consistent-hash ring; see hashring.h. */
#include "engine/concepts/hash/hashring.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/crypto/md5.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
	char *name;
	size_t len;
	double weight;
	size_t npoints;
};

struct hashring {
	unsigned vnodes;
	struct node *nodes;
	size_t nnodes, capnodes;
	struct hashring_point *pts; /* the continuum, sorted by (hash, node name) */
	size_t npts, cappts;
};

struct hashring *hashring_new(unsigned vnodes)
{
	if (vnodes < 1 || vnodes > HASHRING_MAX_POINTS)
		return NULL;
	struct hashring *r = budget_calloc(1, sizeof *r);
	if (r)
		r->vnodes = vnodes;
	return r;
}

void hashring_free(struct hashring *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nnodes; i++)
		budget_free(r->nodes[i].name);
	budget_free(r->nodes);
	budget_free(r->pts);
	budget_free(r);
}

static int namecmp(const struct node *a, const struct node *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

/* The continuum order: by hash, then by node name. */
static int before(const struct hashring *r, struct hashring_point a, struct hashring_point b)
{
	if (a.hash != b.hash)
		return a.hash < b.hash;
	return namecmp(&r->nodes[a.node], &r->nodes[b.node]) < 0;
}

static int cmp_hash(const void *a, const void *b)
{
	uint32_t x = ((const struct hashring_point *)a)->hash;
	uint32_t y = ((const struct hashring_point *)b)->hash;
	return (x > y) - (x < y);
}

int hashring_find(const struct hashring *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].len == len && memcmp(r->nodes[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* Writes node NODE's N points ("NAME-rep", four per MD5 digest) to OUT. */
static int make_points(const char *name, size_t len, uint32_t node, size_t n,
		       struct hashring_point *out)
{
	char *buf = budget_malloc(len + 24);
	if (!buf)
		return -1;
	memcpy(buf, name, len);
	for (size_t i = 0; i < n; i += 4) {
		int k = snprintf(buf + len, 24, "-%zu", i / 4);
		unsigned char d[MD5_DIGEST_LEN];
		md5_digest(buf, len + (size_t)k, d);
		for (size_t j = 0; j < 4 && i + j < n; j++) {
			const unsigned char *w = d + 4 * j;
			out[i + j].hash = (uint32_t)w[0] | (uint32_t)w[1] << 8 |
					  (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
			out[i + j].node = node;
		}
	}
	budget_free(buf);
	return 0;
}

int hashring_add(struct hashring *r, const char *name, size_t len, double weight)
{
	if (!(weight > 0) || !isfinite(weight) || hashring_find(r, name, len) >= 0)
		return -1;
	double want = round(r->vnodes * weight);
	if (want > HASHRING_MAX_POINTS || r->nnodes >= UINT32_MAX)
		return -1;
	size_t n = want < 1 ? 1 : (size_t)want;

	if (r->nnodes == r->capnodes) {
		size_t cap = r->capnodes ? 2 * r->capnodes : 8;
		struct node *nodes = budget_realloc(r->nodes, cap * sizeof *nodes);
		if (!nodes)
			return -1;
		r->nodes = nodes;
		r->capnodes = cap;
	}
	if (r->npts + n > r->cappts) {
		size_t cap = r->cappts ? 2 * r->cappts : 256;
		while (cap < r->npts + n)
			cap *= 2;
		struct hashring_point *pts = budget_realloc(r->pts, cap * sizeof *pts);
		if (!pts)
			return -1;
		r->pts = pts;
		r->cappts = cap;
	}
	char *copy = budget_malloc(len ? len : 1);
	struct hashring_point *fresh = budget_malloc(n * sizeof *fresh);
	uint32_t idx = (uint32_t)r->nnodes;
	if (!copy || !fresh || make_points(name, len, idx, n, fresh) < 0) {
		budget_free(copy);
		budget_free(fresh);
		return -1;
	}
	memcpy(copy, name, len);
	r->nodes[idx] = (struct node){copy, len, weight, n};
	r->nnodes++;

	/* merge the sorted new points into the continuum, from the back */
	qsort(fresh, n, sizeof *fresh, cmp_hash);
	size_t i = r->npts, j = n, k = r->npts + n;
	while (j > 0) {
		if (i > 0 && before(r, fresh[j - 1], r->pts[i - 1]))
			r->pts[--k] = r->pts[--i];
		else
			r->pts[--k] = fresh[--j];
	}
	r->npts += n;
	budget_free(fresh);
	return (int)idx;
}

int hashring_remove(struct hashring *r, const char *name, size_t len)
{
	int x = hashring_find(r, name, len);
	if (x < 0)
		return -1;
	uint32_t gone = (uint32_t)x;
	size_t k = 0;
	for (size_t i = 0; i < r->npts; i++) { /* keep the others, in order */
		struct hashring_point p = r->pts[i];
		if (p.node == gone)
			continue;
		if (p.node > gone)
			p.node--;
		r->pts[k++] = p;
	}
	r->npts = k;
	budget_free(r->nodes[gone].name);
	memmove(&r->nodes[gone], &r->nodes[gone + 1], (r->nnodes - gone - 1) * sizeof *r->nodes);
	r->nnodes--;
	return 0;
}

size_t hashring_nodes(const struct hashring *r)
{
	return r->nnodes;
}

unsigned hashring_vnodes(const struct hashring *r)
{
	return r->vnodes;
}

const char *hashring_name(const struct hashring *r, size_t i, size_t *len)
{
	*len = r->nodes[i].len;
	return r->nodes[i].name;
}

double hashring_weight(const struct hashring *r, size_t i)
{
	return r->nodes[i].weight;
}

size_t hashring_npoints(const struct hashring *r, size_t i)
{
	return r->nodes[i].npoints;
}

const struct hashring_point *hashring_points(const struct hashring *r, size_t *n)
{
	*n = r->npts;
	return r->pts;
}

size_t hashring_locate(const struct hashring *r, uint32_t hash)
{
	size_t lo = 0, hi = r->npts; /* first point with pts[i].hash >= hash */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->pts[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == r->npts ? 0 : lo;
}

int hashring_lookup(const struct hashring *r, uint32_t hash)
{
	if (r->npts == 0)
		return -1;
	return (int)r->pts[hashring_locate(r, hash)].node;
}

int hashring_lookup_key(const struct hashring *r, const void *key, size_t len)
{
	if (r->npts == 0)
		return -1;
	return hashring_lookup(r, chash_ketama(key, len, 0));
}

void hashring_shares(const struct hashring *r, double *share)
{
	for (size_t i = 0; i < r->nnodes; i++)
		share[i] = 0;
	if (r->npts == 0)
		return;
	for (size_t i = 0; i < r->npts; i++) {
		/* the arc (previous point, this point]; the first wraps from the last */
		uint32_t prev = r->pts[i ? i - 1 : r->npts - 1].hash;
		uint32_t arc = r->pts[i].hash - prev; /* mod 2^32 */
		if (r->npts == 1)
			share[r->pts[i].node] += 1.0;
		else
			share[r->pts[i].node] += arc / 4294967296.0;
	}
}

int hashring_check(const struct hashring *r)
{
	size_t total = 0;
	for (size_t i = 0; i < r->nnodes; i++) {
		total += r->nodes[i].npoints;
		for (size_t j = 0; j < i; j++)
			if (namecmp(&r->nodes[i], &r->nodes[j]) == 0)
				return -1;
	}
	if (total != r->npts)
		return -1;
	size_t *seen = budget_calloc(r->nnodes + 1, sizeof *seen);
	if (!seen)
		return -1;
	int ok = 1;
	for (size_t i = 0; i < r->npts && ok; i++) {
		if (r->pts[i].node >= r->nnodes)
			ok = 0;
		else if (i > 0 && before(r, r->pts[i], r->pts[i - 1]))
			ok = 0;
		else
			seen[r->pts[i].node]++;
	}
	for (size_t i = 0; i < r->nnodes && ok; i++)
		if (seen[i] != r->nodes[i].npoints)
			ok = 0;
	budget_free(seen);
	return ok ? 0 : -1;
}
