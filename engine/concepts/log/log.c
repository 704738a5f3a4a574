/*
 * log.c — partitions, retention, compaction and the partitioner (log.h).
 */
#include "engine/concepts/log/log.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

int32_t plog_murmur2(const char *data, size_t n)
{
	const unsigned char *d = (const unsigned char *)data;
	const uint32_t m = 0x5bd1e995u;
	uint32_t h = 0x9747b28cu ^ (uint32_t)n;
	size_t n4 = n / 4;
	for (size_t i = 0; i < n4; i++) {
		const unsigned char *p = d + 4 * i;
		uint32_t k = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
	}
	const unsigned char *t = d + (n & ~(size_t)3);
	switch (n % 4) {
	case 3:
		h ^= (uint32_t)t[2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)t[1] << 8;
		/* fall through */
	case 1:
		h ^= t[0];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return (int32_t)h;
}

uint32_t plog_partition_for(const char *key, size_t klen, uint32_t n)
{
	return ((uint32_t)plog_murmur2(key, klen) & 0x7fffffffu) % n;
}

int plog_init(struct plog *l, uint32_t nparts, enum plog_partitioner partitioner)
{
	memset(l, 0, sizeof *l);
	l->p = budget_calloc(nparts, sizeof *l->p);
	if (!l->p)
		return -1;
	l->nparts = nparts;
	l->partitioner = partitioner;
	return 0;
}

static void free_rec(struct plog_rec *r)
{
	budget_free(r->key);
	budget_free(r->value);
}

void plog_free(struct plog *l)
{
	for (uint32_t i = 0; l->p && i < l->nparts; i++) {
		for (size_t k = 0; k < l->p[i].n; k++)
			free_rec(&l->p[i].r[k]);
		budget_free(l->p[i].r);
	}
	budget_free(l->p);
	memset(l, 0, sizeof *l);
}

/* A copy of N bytes (NUL-terminated), or NULL when memory is refused. */
static char *dup_bytes(const char *s, size_t n)
{
	char *c = budget_malloc(n + 1);
	if (c) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

int plog_produce(struct plog *l, long part, const char *key, size_t klen,
		 const char *value, size_t vlen, uint32_t *partout, uint64_t *offset)
{
	uint32_t p;
	if (part >= 0)
		p = (uint32_t)part;
	else if (key && l->partitioner == PLOG_MURMUR2)
		p = plog_partition_for(key, klen, l->nparts);
	else
		p = l->rr++ % l->nparts;
	struct plog_part *pp = &l->p[p];
	if (pp->n == pp->cap) {
		size_t ncap = pp->cap ? 2 * pp->cap : 16;
		struct plog_rec *nr = budget_realloc(pp->r, ncap * sizeof *nr);
		if (!nr)
			return -1;
		pp->r = nr;
		pp->cap = ncap;
	}
	struct plog_rec r = {.offset = pp->end, .klen = klen, .vlen = vlen};
	r.key = key ? dup_bytes(key, klen) : NULL;
	r.value = value ? dup_bytes(value, vlen) : NULL;
	if ((key && !r.key) || (value && !r.value)) {
		free_rec(&r);
		return -1;
	}
	pp->r[pp->n++] = r;
	*partout = p;
	*offset = pp->end++;
	return 0;
}

size_t plog_seek(const struct plog_part *p, uint64_t offset)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->r[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t plog_retain(struct plog_part *p, size_t keep)
{
	if (p->n <= keep)
		return 0;
	size_t drop = p->n - keep;
	for (size_t k = 0; k < drop; k++)
		free_rec(&p->r[k]);
	memmove(p->r, p->r + drop, keep * sizeof *p->r);
	p->n = keep;
	p->start = keep ? p->r[0].offset : p->end;
	return drop;
}

/* One keyed record, for sorting by key. */
struct keyref {
	const char *key;
	size_t klen, idx;
};

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	if (c == 0 && x->klen != y->klen)
		c = x->klen < y->klen ? -1 : 1;
	if (c == 0)
		c = x->idx < y->idx ? -1 : x->idx > y->idx;
	return c;
}

long plog_compact(struct plog_part *p, int drop_tombstones)
{
	struct keyref *refs = budget_malloc((p->n ? p->n : 1) * sizeof *refs);
	unsigned char *drop = budget_calloc(p->n ? p->n : 1, 1);
	if (!refs || !drop) {
		budget_free(refs);
		budget_free(drop);
		return -1;
	}
	size_t nrefs = 0;
	for (size_t k = 0; k < p->n; k++)
		if (p->r[k].key)
			refs[nrefs++] = (struct keyref){p->r[k].key, p->r[k].klen, k};
	qsort(refs, nrefs, sizeof *refs, keyref_cmp);
	for (size_t j = 0; j < nrefs; j++) {
		int last = j + 1 == nrefs || refs[j + 1].klen != refs[j].klen ||
			   memcmp(refs[j + 1].key, refs[j].key, refs[j].klen) != 0;
		size_t k = refs[j].idx;
		drop[k] = !last || (drop_tombstones && !p->r[k].value);
	}
	size_t kept = 0;
	long removed = 0;
	for (size_t k = 0; k < p->n; k++) {
		if (drop[k]) {
			free_rec(&p->r[k]);
			removed++;
		} else {
			p->r[kept++] = p->r[k];
		}
	}
	p->n = kept;
	budget_free(refs);
	budget_free(drop);
	return removed;
}
