/* hashmove.c — the key-movement experiment across hashing schemes; see hashmove.h. */
#include "engine/concepts/hash/hashmove.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/hash/rendezvous.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scheme_names[] = {
	[HASHMOVE_MODULO] = "modulo",         [HASHMOVE_RING] = "ring",
	[HASHMOVE_JUMP] = "jump",             [HASHMOVE_RENDEZVOUS] = "rendezvous",
	[HASHMOVE_MAGLEV] = "maglev",
};

const char *hashmove_scheme_name(enum hashmove_scheme s)
{
	return (unsigned)s < sizeof scheme_names / sizeof *scheme_names ? scheme_names[s] : "?";
}

int hashmove_scheme_parse(const char *name, enum hashmove_scheme *out)
{
	for (size_t i = 0; i < sizeof scheme_names / sizeof *scheme_names; i++) {
		if (strcmp(name, scheme_names[i]) == 0) {
			*out = (enum hashmove_scheme)i;
			return 0;
		}
	}
	return -1;
}

/* One side of the experiment (before or after the change): a node set in one
 * of the schemes. Node k of the set is "node-(ids[k] + 1)". */
struct side {
	enum hashmove_scheme scheme;
	uint32_t n;
	uint32_t *ids;
	struct hashring *ring;
	struct rendezvous *hrw;
	struct maglev *mag;
};

static void side_free(struct side *s)
{
	budget_free(s->ids);
	hashring_free(s->ring);
	rendezvous_free(s->hrw);
	maglev_free(s->mag);
}

/* Builds the set of nodes 0..total-1 except SKIP (UINT32_MAX: none). */
static int side_build(struct side *s, const struct hashmove_config *c, uint32_t total,
		      uint32_t skip)
{
	memset(s, 0, sizeof *s);
	s->scheme = c->scheme;
	s->ids = budget_malloc(total * sizeof *s->ids);
	if (!s->ids)
		return -1;
	if (c->scheme == HASHMOVE_RING && !(s->ring = hashring_new(c->vnodes)))
		return -1;
	if (c->scheme == HASHMOVE_RENDEZVOUS && !(s->hrw = rendezvous_new()))
		return -1;
	if (c->scheme == HASHMOVE_MAGLEV && !(s->mag = maglev_new(c->table_size)))
		return -1;
	for (uint32_t id = 0; id < total; id++) {
		if (id == skip)
			continue;
		if (s->mag ? budget_stop() != NULL : budget_poll(id)) /* a Maglev add is O(M) */
			return -1;
		char name[32];
		int len = snprintf(name, sizeof name, "node-%u", id + 1);
		if ((s->ring && hashring_add(s->ring, name, (size_t)len, 1.0) < 0) ||
		    (s->hrw && rendezvous_add(s->hrw, name, (size_t)len, 1.0) < 0) ||
		    (s->mag && maglev_add(s->mag, name, (size_t)len) < 0))
			return -1;
		s->ids[s->n++] = id;
	}
	return 0;
}

/* The node (an index into the side) of a key with ketama hash K32 and
 * 64-bit hash K64. */
static uint32_t side_lookup(const struct side *s, uint32_t k32, uint64_t k64)
{
	switch (s->scheme) {
	case HASHMOVE_MODULO: return (uint32_t)(k64 % s->n);
	case HASHMOVE_RING: return (uint32_t)hashring_lookup(s->ring, k32);
	case HASHMOVE_JUMP: return (uint32_t)chash_jump(k64, (int32_t)s->n);
	case HASHMOVE_RENDEZVOUS: return (uint32_t)rendezvous_lookup(s->hrw, k64);
	case HASHMOVE_MAGLEV: return (uint32_t)maglev_lookup(s->mag, k64);
	}
	return 0;
}

static int valid(const struct hashmove_config *c)
{
	if ((unsigned)c->scheme > HASHMOVE_MAGLEV || c->nodes < 1 ||
	    c->nodes > HASHMOVE_MAX_NODES || c->keys < 1 || c->keys > HASHMOVE_MAX_KEYS)
		return 0;
	if (!c->add && (c->nodes < 2 || c->remove >= c->nodes))
		return 0;
	if (!c->add && c->scheme == HASHMOVE_JUMP && c->remove != c->nodes - 1)
		return 0; /* jump hash can only shrink from the end */
	if (c->scheme == HASHMOVE_RING &&
	    (c->vnodes < 1 || (uint64_t)c->vnodes * (c->nodes + 1) > 10000000u))
		return 0;
	if (c->scheme == HASHMOVE_MAGLEV &&
	    (!maglev_is_prime(c->table_size) || c->table_size <= c->nodes + 1 ||
	     c->table_size > MAGLEV_MAX_SIZE))
		return 0;
	return 1;
}

static double max_mean(const uint64_t *count, size_t n, uint64_t keys)
{
	uint64_t top = 0;
	for (size_t i = 0; i < n; i++)
		if (count[i] > top)
			top = count[i];
	return (double)top / ((double)keys / (double)n);
}

int hashmove_run(const struct hashmove_config *c, struct hashmove_result *out)
{
	memset(out, 0, sizeof *out);
	if (!valid(c))
		return -1;
	uint32_t n = c->nodes;
	struct side a, b;
	int rc = -1;
	int built = side_build(&a, c, n, UINT32_MAX) == 0;
	built = (c->add ? side_build(&b, c, n + 1, UINT32_MAX) : side_build(&b, c, n, c->remove)) == 0 && built;
	out->nbefore = a.n;
	out->nafter = b.n;
	out->before = budget_calloc(a.n, sizeof *out->before);
	out->after = budget_calloc(b.n, sizeof *out->after);
	if (!built || !out->before || !out->after)
		goto done;

	char key[32] = "key-";
	for (uint64_t i = 1; i <= c->keys; i++) {
		if (budget_poll(i))
			goto done;
		char digits[24];
		int d = 0;
		for (uint64_t x = i; x; x /= 10)
			digits[d++] = (char)('0' + x % 10);
		size_t len = 4;
		while (d)
			key[len++] = digits[--d];
		uint32_t k32 = c->scheme == HASHMOVE_RING ? chash_ketama(key, len, 0) : 0;
		uint64_t k64 = chash_hash64(key, len);
		uint32_t x = side_lookup(&a, k32, k64), y = side_lookup(&b, k32, k64);
		out->before[x]++;
		out->after[y]++;
		out->moved += a.ids[x] != b.ids[y];
	}
	out->fraction = (double)out->moved / (double)c->keys;
	if (c->scheme == HASHMOVE_MODULO)
		out->expected = c->add ? (double)n / (n + 1) : (double)(n - 1) / n;
	else
		out->expected = c->add ? 1.0 / (n + 1) : 1.0 / n;
	out->max_mean_before = max_mean(out->before, out->nbefore, c->keys);
	out->max_mean_after = max_mean(out->after, out->nafter, c->keys);
	rc = 0;
done:
	side_free(&a);
	side_free(&b);
	if (rc < 0)
		hashmove_result_free(out);
	return rc;
}

void hashmove_result_free(struct hashmove_result *r)
{
	budget_free(r->before);
	budget_free(r->after);
	memset(r, 0, sizeof *r);
}
