/*
 * paging.c — offset and cursor pagination over a changing table
 * (paging.h).
 */
#include "engine/concepts/paging/paging.h"
#include "engine/base/budget.h"

#include <string.h>

int paging_init(struct paging_table *t, size_t rows, int desc, uint64_t secret)
{
	memset(t, 0, sizeof *t);
	t->desc = desc;
	t->secret = secret;
	t->cap = rows > 8 ? rows : 8;
	t->keys = budget_malloc(t->cap * sizeof *t->keys);
	if (!t->keys)
		return -1;
	for (size_t i = 0; i < rows; i++)
		t->keys[i] = (int64_t)i + 1;
	t->n = rows;
	t->next = (int64_t)rows + 1;
	return 0;
}

void paging_free(struct paging_table *t)
{
	budget_free(t->keys);
	t->keys = NULL;
	t->n = t->cap = 0;
}

/* The first index whose key is >= KEY (ascending storage). */
static size_t lower_bound(const struct paging_table *t, int64_t key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int paging_insert(struct paging_table *t, int64_t key)
{
	size_t i = lower_bound(t, key);
	if (i < t->n && t->keys[i] == key)
		return 0;
	if (t->n == t->cap) {
		int64_t *p = budget_realloc(t->keys, 2 * t->cap * sizeof *p);
		if (!p)
			return -1;
		t->keys = p;
		t->cap *= 2;
	}
	memmove(t->keys + i + 1, t->keys + i, (t->n - i) * sizeof *t->keys);
	t->keys[i] = key;
	t->n++;
	if (key >= t->next)
		t->next = key + 1;
	return 1;
}

int paging_delete(struct paging_table *t, int64_t key)
{
	size_t i = lower_bound(t, key);
	if (i >= t->n || t->keys[i] != key)
		return 0;
	memmove(t->keys + i, t->keys + i + 1, (t->n - i - 1) * sizeof *t->keys);
	t->n--;
	return 1;
}

int64_t paging_at(const struct paging_table *t, size_t i)
{
	return t->desc ? t->keys[t->n - 1 - i] : t->keys[i];
}

size_t paging_offset(const struct paging_table *t, size_t offset, size_t limit, int64_t *out)
{
	size_t k = 0;
	for (size_t i = offset; i < t->n && k < limit; i++)
		out[k++] = paging_at(t, i);
	return k;
}

size_t paging_after(const struct paging_table *t, int have, int64_t key, size_t limit,
		    int64_t *out, int *more)
{
	/* the list position of the first key after KEY in the table's order */
	size_t pos = 0;
	if (have) {
		size_t lb = lower_bound(t, key);
		if (t->desc)
			pos = t->n - lb;  /* keys < KEY start there */
		else
			pos = lb < t->n && t->keys[lb] == key ? lb + 1 : lb;
	}
	size_t k = paging_offset(t, pos, limit, out);
	*more = pos + k < t->n;
	return k;
}

/* 32 bits of a keyed mix of KEY (splitmix64's finalizer). */
static uint32_t tag(uint64_t secret, int64_t key)
{
	uint64_t z = secret ^ ((uint64_t)key * 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return (uint32_t)(z ^ (z >> 31));
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void paging_cursor(const struct paging_table *t, int64_t key, char *buf)
{
	unsigned char raw[12];
	uint64_t k = (uint64_t)key;
	uint32_t g = tag(t->secret, key);
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(k >> (56 - 8 * i));
	for (int i = 0; i < 4; i++)
		raw[8 + i] = (unsigned char)(g >> (24 - 8 * i));
	for (int i = 0; i < 4; i++) {
		uint32_t v = (uint32_t)raw[3 * i] << 16 | (uint32_t)raw[3 * i + 1] << 8 | raw[3 * i + 2];
		for (int j = 0; j < 4; j++)
			buf[4 * i + j] = b64[(v >> (18 - 6 * j)) & 63];
	}
	buf[16] = '\0';
}

int paging_decode(const struct paging_table *t, const char *s, size_t len, int64_t *key)
{
	if (len != 16)
		return -1;
	unsigned char raw[12];
	for (int i = 0; i < 4; i++) {
		uint32_t v = 0;
		for (int j = 0; j < 4; j++) {
			const char *p = memchr(b64, s[4 * i + j], 64);
			if (!p || s[4 * i + j] == '\0')
				return -1;
			v = v << 6 | (uint32_t)(p - b64);
		}
		raw[3 * i] = (unsigned char)(v >> 16);
		raw[3 * i + 1] = (unsigned char)(v >> 8);
		raw[3 * i + 2] = (unsigned char)v;
	}
	uint64_t k = 0;
	uint32_t g = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | raw[i];
	for (int i = 0; i < 4; i++)
		g = g << 8 | raw[8 + i];
	if (g != tag(t->secret, (int64_t)k))
		return -1;
	*key = (int64_t)k;
	return 0;
}

void paging_walk_free(struct paging_walk *w)
{
	budget_free(w->dups);
	budget_free(w->skipped);
	budget_free(w->fresh);
	w->dups = w->skipped = w->fresh = NULL;
}

/* Per-key bookkeeping of a walk, indexed by key. */
struct seen {
	uint32_t *count;
	unsigned char *deleted;
	size_t cap;
};

static int seen_grow(struct seen *s, size_t need)
{
	if (need < s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 64;
	while (cap <= need)
		cap *= 2;
	uint32_t *c = budget_realloc(s->count, cap * sizeof *c);
	if (c)
		s->count = c;
	unsigned char *d = budget_realloc(s->deleted, cap);
	if (d)
		s->deleted = d;
	if (!c || !d)
		return -1;
	memset(c + s->cap, 0, (cap - s->cap) * sizeof *c);
	memset(d + s->cap, 0, cap - s->cap);
	s->cap = cap;
	return 0;
}

/* Collects the keys 1..TOP for which WANT holds into a new array. */
static int collect(const struct seen *s, size_t rows, int64_t top, int which, int64_t **out,
		   size_t *n)
{
	*n = 0;
	*out = budget_malloc((size_t)top * sizeof **out + 1);
	if (!*out)
		return -1;
	for (int64_t k = 1; k < top; k++) {
		uint32_t c = s->count[k];
		int stable = (size_t)k <= rows && !s->deleted[k];
		if ((which == 0 && c >= 2) || (which == 1 && stable && c == 0) ||
		    (which == 2 && (size_t)k > rows && c > 0))
			(*out)[(*n)++] = k;
	}
	return 0;
}

/* Between two fetches: the inserts and deletes of W. */
static int change(struct paging_walk *w, struct paging_table *t, struct seen *s, struct rng *r)
{
	for (size_t i = 0; i < w->inserts; i++)
		if (paging_insert(t, t->next) < 0 || seen_grow(s, (size_t)t->next))
			return -1;
	for (size_t i = 0; i < w->deletes && t->n > 0; i++) {
		int64_t k = t->keys[rng_below(r, t->n)];
		paging_delete(t, k);
		s->deleted[k] = 1;
	}
	return 0;
}

int paging_walk_run(struct paging_walk *w)
{
	struct paging_table t;
	struct seen s = {0};
	struct rng r;
	rng_seed(&r, w->seed);
	w->pages = w->returned = 0;
	w->truncated = 0;
	int64_t *page = budget_malloc((w->limit + 1) * sizeof *page);
	int rc = page && paging_init(&t, w->rows, w->desc, w->seed) == 0 ? 0 : -1;
	if (rc == 0 && seen_grow(&s, w->rows + 1))
		rc = -1;
	size_t offset = 0;
	int have = 0;
	int64_t last = 0;
	while (rc == 0) {
		if (budget_stop()) {
			rc = -2;
			break;
		}
		if (w->pages == w->max_pages) {
			w->truncated = 1;
			break;
		}
		int more = 0;
		size_t got;
		if (w->cursor) {
			got = paging_after(&t, have, last, w->limit, page, &more);
		} else {
			got = paging_offset(&t, offset, w->limit, page);
			more = got == w->limit;
			offset += got;
		}
		w->pages++;
		w->returned += got;
		for (size_t i = 0; i < got; i++)
			s.count[page[i]]++;
		if (got > 0) {
			have = 1;
			last = page[got - 1];
		}
		if (!more || got == 0)
			break;
		rc = change(w, &t, &s, &r);
	}
	if (rc == 0 && (collect(&s, w->rows, t.next, 0, &w->dups, &w->ndups) ||
			collect(&s, w->rows, t.next, 1, &w->skipped, &w->nskipped) ||
			collect(&s, w->rows, t.next, 2, &w->fresh, &w->nfresh)))
		rc = -1;
	if (page)
		paging_free(&t);
	budget_free(page);
	budget_free(s.count);
	budget_free(s.deleted);
	return rc;
}
