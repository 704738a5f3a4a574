/* maglev.c — the Maglev lookup table and its population loop; see maglev.h. */
#include "engine/concepts/hash/maglev.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"

#include <stdlib.h>
#include <string.h>

struct backend {
	char *name;
	size_t len;
	uint32_t offset, skip;
};

struct maglev {
	uint32_t size; /* M, prime */
	int32_t *entry;
	struct backend *b;
	size_t n, cap;
};

int maglev_is_prime(uint32_t n)
{
	if (n < 2)
		return 0;
	for (uint32_t d = 2; (uint64_t)d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

struct maglev *maglev_new(uint32_t size)
{
	if (size < 3 || size > MAGLEV_MAX_SIZE || !maglev_is_prime(size))
		return NULL;
	struct maglev *m = budget_calloc(1, sizeof *m);
	int32_t *entry = budget_malloc(size * sizeof *entry);
	if (!m || !entry) {
		budget_free(m);
		budget_free(entry);
		return NULL;
	}
	for (uint32_t i = 0; i < size; i++)
		entry[i] = -1;
	m->size = size;
	m->entry = entry;
	return m;
}

void maglev_free(struct maglev *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		budget_free(m->b[i].name);
	budget_free(m->b);
	budget_free(m->entry);
	budget_free(m);
}

/* The population loop of the paper (section 3.4, pseudocode 1) over backends
 * B[0..N), into ENTRY. Returns -1 if memory runs out or the running code
 * must stop (budget_poll; ENTRY untouched). */
static int populate(uint32_t M, const struct backend *B, size_t N, int32_t *entry)
{
	if (N == 0) {
		for (uint32_t i = 0; i < M; i++)
			entry[i] = -1;
		return 0;
	}
	uint32_t *next = budget_calloc(N, sizeof *next); /* how far down its list each has gone */
	int32_t *fill = budget_malloc(M * sizeof *fill);
	if (!next || !fill) {
		budget_free(next);
		budget_free(fill);
		return -1;
	}
	for (uint32_t i = 0; i < M; i++)
		fill[i] = -1;
	uint32_t filled = 0;
	for (;;) {
		for (size_t i = 0; i < N; i++) {
			uint32_t c;
			do /* the next preferred entry that is still empty */
				c = (uint32_t)((B[i].offset + (uint64_t)next[i]++ * B[i].skip) % M);
			while (fill[c] >= 0);
			fill[c] = (int32_t)i;
			if (++filled == M)
				goto done;
			if (budget_poll(filled)) {
				budget_free(fill);
				budget_free(next);
				return -1;
			}
		}
	}
done:
	memcpy(entry, fill, M * sizeof *entry);
	budget_free(fill);
	budget_free(next);
	return 0;
}

int maglev_find(const struct maglev *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->b[i].len == len && memcmp(m->b[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int maglev_add(struct maglev *m, const char *name, size_t len)
{
	if (maglev_find(m, name, len) >= 0 || m->n + 1 > m->size)
		return -1;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		struct backend *b = budget_realloc(m->b, cap * sizeof *b);
		if (!b)
			return -1;
		m->b = b;
		m->cap = cap;
	}
	char *copy = budget_malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, name, len);
	uint64_t h = chash_hash64(name, len);
	m->b[m->n] = (struct backend){copy, len, (uint32_t)(h % m->size),
				      (uint32_t)(chash_mix64(h) % (m->size - 1) + 1)};
	if (populate(m->size, m->b, m->n + 1, m->entry) < 0) {
		budget_free(copy);
		return -1;
	}
	return (int)m->n++;
}

int maglev_remove(struct maglev *m, const char *name, size_t len)
{
	int x = maglev_find(m, name, len);
	if (x < 0)
		return -1;
	size_t i = (size_t)x;
	struct backend gone = m->b[i];
	memmove(&m->b[i], &m->b[i + 1], (m->n - i - 1) * sizeof *m->b);
	if (populate(m->size, m->b, m->n - 1, m->entry) < 0) {
		memmove(&m->b[i + 1], &m->b[i], (m->n - i - 1) * sizeof *m->b);
		m->b[i] = gone;
		return -1;
	}
	budget_free(gone.name);
	m->n--;
	return 0;
}

size_t maglev_nodes(const struct maglev *m)
{
	return m->n;
}

uint32_t maglev_size(const struct maglev *m)
{
	return m->size;
}

const char *maglev_name(const struct maglev *m, size_t i, size_t *len)
{
	*len = m->b[i].len;
	return m->b[i].name;
}

uint32_t maglev_offset(const struct maglev *m, size_t i)
{
	return m->b[i].offset;
}

uint32_t maglev_skip(const struct maglev *m, size_t i)
{
	return m->b[i].skip;
}

const int32_t *maglev_table(const struct maglev *m)
{
	return m->entry;
}

int maglev_lookup(const struct maglev *m, uint64_t key)
{
	return m->entry[key % m->size];
}

int maglev_check(const struct maglev *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < i; j++)
			if (m->b[j].len == m->b[i].len &&
			    memcmp(m->b[j].name, m->b[i].name, m->b[i].len) == 0)
				return -1;
	if (m->n == 0) {
		for (uint32_t i = 0; i < m->size; i++)
			if (m->entry[i] != -1)
				return -1;
		return 0;
	}
	size_t *count = budget_calloc(m->n, sizeof *count);
	if (!count)
		return -1;
	int ok = 1;
	for (uint32_t i = 0; i < m->size && ok; i++) {
		if (m->entry[i] < 0 || (size_t)m->entry[i] >= m->n)
			ok = 0;
		else
			count[m->entry[i]]++;
	}
	size_t lo = m->size / m->n, hi = lo + (m->size % m->n != 0);
	for (size_t i = 0; i < m->n && ok; i++)
		if (count[i] < lo || count[i] > hi)
			ok = 0;
	budget_free(count);
	return ok ? 0 : -1;
}
