/* merkle.c — Merkle trees and their comparison; see merkle.h. */
#include "engine/concepts/merkle/merkle.h"
#include "engine/concepts/crypto/md5.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

struct ent {
	char *k;
	size_t kl;
	size_t bucket;
	uint8_t vh[MERKLE_HASH];
};

struct merkle {
	int depth, fanout;
	size_t leaves;
	uint8_t **level;    /* level l: fanout^l hashes */
	struct ent *ents;   /* sorted by (bucket, key) */
	size_t n;
	size_t *start;      /* leaves + 1: entries of leaf b are start[b]..start[b+1]-1 */
};

static size_t bucket_of(size_t leaves, const char *k, size_t kl)
{
	uint8_t d[MD5_DIGEST_LEN];
	md5_digest(k, kl, d);
	uint64_t x = 0;
	for (int i = 0; i < 8; i++)
		x = x << 8 | d[i];
	/* floor(x * leaves / 2^64), without 128-bit arithmetic (leaves <= 2^20) */
	uint64_t hi = (x >> 32) * leaves, lo = (x & 0xffffffffu) * leaves;
	return (size_t)((hi + (lo >> 32)) >> 32);
}

static int ent_cmp(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;
	if (a->bucket != b->bucket)
		return a->bucket < b->bucket ? -1 : 1;
	int c = memcmp(a->k, b->k, a->kl < b->kl ? a->kl : b->kl);
	return c ? c : (a->kl > b->kl) - (a->kl < b->kl);
}

void merkle_free(struct merkle *t)
{
	if (!t)
		return;
	if (t->level)
		for (int l = 0; l <= t->depth; l++)
			budget_free(t->level[l]);
	budget_free(t->level);
	for (size_t i = 0; t->ents && i < t->n; i++)
		budget_free(t->ents[i].k);
	budget_free(t->ents);
	budget_free(t->start);
	budget_free(t);
}

static void leaf_hash(const struct merkle *t, size_t b, uint8_t *out)
{
	struct md5_ctx c;
	md5_init(&c);
	for (size_t i = t->start[b]; i < t->start[b + 1]; i++) {
		const struct ent *e = &t->ents[i];
		uint8_t len[4] = {(uint8_t)(e->kl >> 24), (uint8_t)(e->kl >> 16),
				  (uint8_t)(e->kl >> 8), (uint8_t)e->kl};
		md5_update(&c, len, 4);
		md5_update(&c, e->k, e->kl);
		md5_update(&c, e->vh, MERKLE_HASH);
	}
	md5_final(&c, out);
}

struct merkle *merkle_build(const struct merkle_kv *kv, size_t n, int depth, int fanout)
{
	if (depth < 0 || depth > 20 || fanout < 2 || fanout > 16)
		return NULL;
	size_t leaves = 1;
	for (int l = 0; l < depth; l++) {
		leaves *= (size_t)fanout;
		if (leaves > MERKLE_MAX_LEAVES)
			return NULL;
	}
	struct merkle *t = budget_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->depth = depth;
	t->fanout = fanout;
	t->leaves = leaves;
	t->level = budget_calloc((size_t)depth + 1, sizeof *t->level);
	t->ents = budget_calloc(n + 1, sizeof *t->ents);
	t->start = budget_calloc(leaves + 1, sizeof *t->start);
	if (!t->level || !t->ents || !t->start)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct ent *e = &t->ents[i];
		if (!(e->k = budget_malloc(kv[i].kl + 1)))
			goto fail;
		t->n = i + 1;
		memcpy(e->k, kv[i].k, kv[i].kl);
		e->k[kv[i].kl] = '\0';
		e->kl = kv[i].kl;
		e->bucket = bucket_of(leaves, kv[i].k, kv[i].kl);
		md5_digest(kv[i].v, kv[i].vl, e->vh);
	}
	qsort(t->ents, n, sizeof *t->ents, ent_cmp);
	for (size_t i = 0, b = 0; b <= leaves; b++) {
		while (i < n && t->ents[i].bucket < b)
			i++;
		t->start[b] = i;
	}
	size_t width = leaves;
	for (int l = depth; l >= 0; l--) {
		if (!(t->level[l] = budget_malloc(width * MERKLE_HASH)))
			goto fail;
		for (size_t i = 0; i < width; i++) {
			uint8_t *h = t->level[l] + i * MERKLE_HASH;
			if (l == depth)
				leaf_hash(t, i, h);
			else
				md5_digest(t->level[l + 1] + i * (size_t)fanout * MERKLE_HASH,
					   (size_t)fanout * MERKLE_HASH, h);
		}
		width /= (size_t)fanout;
	}
	return t;
fail:
	merkle_free(t);
	return NULL;
}

int merkle_depth(const struct merkle *t)
{
	return t->depth;
}

int merkle_fanout(const struct merkle *t)
{
	return t->fanout;
}

size_t merkle_count(const struct merkle *t)
{
	return t->n;
}

size_t merkle_width(const struct merkle *t, int level)
{
	size_t w = 1;
	for (int l = 0; l < level; l++)
		w *= (size_t)t->fanout;
	return level < 0 || level > t->depth ? 0 : w;
}

const uint8_t *merkle_hash(const struct merkle *t, int level, size_t i)
{
	if (level < 0 || level > t->depth || i >= merkle_width(t, level))
		return NULL;
	return t->level[level] + i * MERKLE_HASH;
}

size_t merkle_bucket(const struct merkle *t, const char *k, size_t kl)
{
	return bucket_of(t->leaves, k, kl);
}

void merkle_diff_free(struct merkle_diff *d)
{
	for (size_t i = 0; i < d->nkeys; i++)
		budget_free(d->keys[i]);
	budget_free(d->keys);
	budget_free(d->klen);
	memset(d, 0, sizeof *d);
}

static int add_key(struct merkle_diff *d, size_t *cap, const struct ent *e)
{
	if (d->nkeys == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		char **k = budget_realloc(d->keys, c * sizeof *k);
		if (!k)
			return -1;
		d->keys = k;
		size_t *l = budget_realloc(d->klen, c * sizeof *l);
		if (!l)
			return -1;
		d->klen = l;
		*cap = c;
	}
	char *s = budget_malloc(e->kl + 1);
	if (!s)
		return -1;
	memcpy(s, e->k, e->kl + 1);
	d->keys[d->nkeys] = s;
	d->klen[d->nkeys++] = e->kl;
	return 0;
}

/* The entries of leaf B of A and of B compared: the keys that differ. */
static int leaf_diff(const struct merkle *a, const struct merkle *b, size_t leaf,
		     struct merkle_diff *d, size_t *cap)
{
	size_t i = a->start[leaf], ie = a->start[leaf + 1];
	size_t j = b->start[leaf], je = b->start[leaf + 1];
	d->entries += (ie - i) + (je - j);
	while (i < ie || j < je) {
		int c = i >= ie ? 1 : j >= je ? -1 : ent_cmp(&a->ents[i], &b->ents[j]);
		if (c < 0) {
			if (add_key(d, cap, &a->ents[i++]) != 0)
				return -1;
		} else if (c > 0) {
			if (add_key(d, cap, &b->ents[j++]) != 0)
				return -1;
		} else {
			if (memcmp(a->ents[i].vh, b->ents[j].vh, MERKLE_HASH) != 0 &&
			    add_key(d, cap, &a->ents[i]) != 0)
				return -1;
			i++, j++;
		}
	}
	return 0;
}

struct kref {
	char *k;
	size_t l;
};

static int kref_cmp(const void *pa, const void *pb)
{
	const struct kref *a = pa, *b = pb;
	int c = memcmp(a->k, b->k, a->l < b->l ? a->l : b->l);
	return c ? c : (a->l > b->l) - (a->l < b->l);
}

int merkle_diff(const struct merkle *a, const struct merkle *b, struct merkle_diff *out)
{
	memset(out, 0, sizeof *out);
	if (a->depth != b->depth || a->fanout != b->fanout)
		return -1;
	size_t cap = 0, f = (size_t)a->fanout;
	size_t *cur = budget_malloc(sizeof *cur), *next = NULL;
	if (!cur)
		return -1;
	size_t ncur = 0;
	out->hashes = 1; /* the root */
	out->rounds = 1;
	if (memcmp(a->level[0], b->level[0], MERKLE_HASH) != 0)
		cur[ncur++] = 0;
	out->nodes = ncur;
	for (int l = 1; l <= a->depth && ncur; l++) {
		next = budget_malloc(ncur * f * sizeof *next);
		if (!next) {
			budget_free(cur);
			merkle_diff_free(out);
			return -1;
		}
		size_t nnext = 0;
		out->rounds++;
		for (size_t i = 0; i < ncur; i++)
			for (size_t c = cur[i] * f; c < cur[i] * f + f; c++) {
				out->hashes++;
				if (memcmp(a->level[l] + c * MERKLE_HASH, b->level[l] + c * MERKLE_HASH,
					   MERKLE_HASH) != 0)
					next[nnext++] = c;
			}
		budget_free(cur);
		cur = next;
		ncur = nnext;
		out->nodes += nnext;
	}
	if (ncur)
		out->rounds++; /* the entries of the differing leaves */
	for (size_t i = 0; i < ncur; i++)
		if (leaf_diff(a, b, cur[i], out, &cap) != 0) {
			budget_free(cur);
			merkle_diff_free(out);
			return -1;
		}
	budget_free(cur);
	/* keys come out bucket by bucket: sort them by bytes */
	struct kref *r = budget_malloc((out->nkeys + 1) * sizeof *r);
	if (!r) {
		merkle_diff_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->nkeys; i++)
		r[i] = (struct kref){out->keys[i], out->klen[i]};
	qsort(r, out->nkeys, sizeof *r, kref_cmp);
	for (size_t i = 0; i < out->nkeys; i++) {
		out->keys[i] = r[i].k;
		out->klen[i] = r[i].l;
	}
	budget_free(r);
	return 0;
}
