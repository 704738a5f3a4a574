/* Unit tests of the consistent-hashing concepts: chash.c (FNV-1a, jump),
 * hashring.c (ketama), rendezvous.c, maglev.c and hashmove.c. */
#include "unit.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashmove.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/rand/rand.h"
#include "engine/concepts/hash/rendezvous.h"

#include <math.h>

#define DATA "tests/engine/concepts/hash/data/"

static void t_hash64(void)
{
	/* FNV-1a 64 reference values (the FNV authors' published test suite) */
	CHECK(chash_hash64("", 0) == 0xcbf29ce484222325ull);
	CHECK(chash_hash64("a", 1) == 0xaf63dc4c8601ec8cull);
	CHECK(chash_hash64("foobar", 6) == 0x85944171f73967e8ull);
	CHECK(chash_mix64(0) == 0);
	/* ketama hash of a key: MD5("abc") = 900150983cd24fb0..., first word LE */
	CHECK(chash_ketama("abc", 3, 0) == 0x98500190u);
	CHECK(chash_ketama("abc", 3, 1) == 0xb04fd23cu);
}

/* Every row of go-jump's vectors (from the paper's reference C++ code). */
static void t_jump_vectors(void)
{
	FILE *f = fopen(DATA "jump_hash_vectors.tsv", "r");
	CHECK(f);
	char line[512];
	int rows = 0, cells = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *p = line, *end;
		uint64_t key = strtoull(p, &end, 0);
		CHECK(end != p && *end == '\t');
		p = end + 1;
		for (int32_t buckets = 1; *p && *p != '\n'; buckets++) {
			long want = strtol(p, &end, 10);
			CHECK(end != p);
			CHECK_INT(chash_jump(key, buckets), want);
			cells++;
			p = *end == ',' ? end + 1 : end;
		}
		rows++;
	}
	fclose(f);
	CHECK_INT(rows, 4);
	CHECK(cells >= 76);
	CHECK(chash_jump(1, 0) == -1);
}

/* Jump hash's promise: growing from n to n+1 buckets, a key stays or moves to
 * bucket n, and about 1/(n+1) of keys move. */
static void t_jump_monotone(void)
{
	struct rng r;
	rng_seed(&r, 7);
	int moved = 0;
	for (int i = 0; i < 100000; i++) {
		uint64_t k = rng_next(&r);
		int32_t a = chash_jump(k, 9), b = chash_jump(k, 10);
		CHECK(a >= 0 && a < 9);
		CHECK(b == a || b == 9);
		moved += b != a;
	}
	CHECK(fabs(moved / 100000.0 - 0.1) < 0.005);
}

/* Reads the Couchbase ketama JSON: {"hash": N, "hostname": "..."} objects. */
static int read_ketama(uint32_t *hash, char (*host)[32], int max)
{
	FILE *f = fopen(DATA "ketama-hashes.json", "r");
	if (!f)
		return -1;
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, f) && n < max) {
		char *h = strstr(line, "\"hash\":");
		char *s = strstr(line, "\"hostname\":");
		if (h)
			hash[n] = (uint32_t)strtoul(h + 7, NULL, 10);
		if (s && sscanf(s + 11, " \"%31[^\"]\"", host[n]) == 1)
			n++;
	}
	fclose(f);
	return n;
}

static void t_ring_ketama_vectors(void)
{
	static uint32_t want[700];
	static char host[700][32];
	int n = read_ketama(want, host, 700);
	CHECK_INT(n, 640);
	struct hashring *r = hashring_new(160); /* 40 repetitions x 4 points */
	const char *servers[] = {"192.168.1.101:11210", "192.168.1.102:11210",
				 "192.168.1.103:11210", "192.168.1.104:11210"};
	for (int i = 0; i < 4; i++)
		CHECK_INT(hashring_add(r, servers[i], strlen(servers[i]), 1.0), i);
	size_t np;
	const struct hashring_point *p = hashring_points(r, &np);
	CHECK_INT(np, 640);
	for (int i = 0; i < 640; i++) {
		size_t len;
		const char *name = hashring_name(r, p[i].node, &len);
		CHECK_INT(p[i].hash, want[i]);
		CHECK(len == strlen(host[i]) && memcmp(name, host[i], len) == 0);
		/* a key hashing exactly onto a point belongs to that point's server */
		CHECK_INT(hashring_lookup(r, want[i]), p[i].node);
	}
	CHECK_INT(hashring_lookup(r, want[639] + 1), p[0].node); /* wraps */
	CHECK_INT(hashring_lookup(r, 0), p[0].node);
	CHECK(hashring_check(r) == 0);
	/* insertion order does not matter */
	struct hashring *q = hashring_new(160);
	for (int i = 3; i >= 0; i--)
		hashring_add(q, servers[i], strlen(servers[i]), 1.0);
	size_t nq;
	const struct hashring_point *pq = hashring_points(q, &nq);
	for (int i = 0; i < 640; i++) {
		size_t l1, l2;
		const char *a = hashring_name(r, p[i].node, &l1), *b = hashring_name(q, pq[i].node, &l2);
		CHECK(pq[i].hash == p[i].hash && l1 == l2 && memcmp(a, b, l1) == 0);
	}
	hashring_free(q);
	hashring_free(r);
}

static void t_ring_add_remove_weights(void)
{
	struct hashring *r = hashring_new(100);
	CHECK(hashring_lookup(r, 5) == -1);
	CHECK(hashring_add(r, "a", 1, 1.0) == 0);
	CHECK(hashring_add(r, "a", 1, 1.0) == -1); /* duplicate */
	CHECK(hashring_add(r, "b", 1, 0) == -1);   /* bad weight */
	CHECK(hashring_add(r, "b", 1, NAN) == -1);
	CHECK(hashring_add(r, "b", 1, 2.0) == 1);
	CHECK(hashring_add(r, "c", 1, 0.001) == 2); /* at least one point */
	CHECK_INT(hashring_npoints(r, 0), 100);
	CHECK_INT(hashring_npoints(r, 1), 200);
	CHECK_INT(hashring_npoints(r, 2), 1);
	CHECK(hashring_check(r) == 0);
	double share[3];
	hashring_shares(r, share);
	CHECK(fabs(share[0] + share[1] + share[2] - 1) < 1e-9);
	CHECK(share[1] > share[0]);
	CHECK(hashring_remove(r, "a", 1) == 0);
	CHECK(hashring_remove(r, "a", 1) == -1);
	CHECK_INT(hashring_nodes(r), 2);
	CHECK(hashring_find(r, "c", 1) == 1); /* shifted down */
	CHECK(hashring_check(r) == 0);
	hashring_free(r);
	CHECK(hashring_new(0) == NULL);
}

/* Random adds and removes keep the invariants, and after removing a node the
 * keys of the other nodes stay where they were. */
static void t_ring_random_ops(void)
{
	struct rng g;
	rng_seed(&g, 42);
	struct hashring *r = hashring_new(40);
	char name[16];
	for (int step = 0; step < 300; step++) {
		int k = (int)rng_below(&g, 30);
		int len = snprintf(name, sizeof name, "n%d", k);
		if (rng_below(&g, 3))
			hashring_add(r, name, (size_t)len, 0.5 + (double)rng_below(&g, 4));
		else
			hashring_remove(r, name, (size_t)len);
		CHECK(hashring_check(r) == 0);
	}
	CHECK(hashring_nodes(r) > 2);
	size_t gone_len;
	const char *g0 = hashring_name(r, 0, &gone_len);
	char gone[16];
	memcpy(gone, g0, gone_len);
	uint32_t keys[2000];
	char owner[2000][16];
	for (int i = 0; i < 2000; i++) {
		keys[i] = (uint32_t)rng_next(&g);
		size_t l;
		const char *o = hashring_name(r, (size_t)hashring_lookup(r, keys[i]), &l);
		memcpy(owner[i], o, l);
		owner[i][l] = '\0';
	}
	CHECK(hashring_remove(r, gone, gone_len) == 0);
	for (int i = 0; i < 2000; i++) {
		if (strlen(owner[i]) == gone_len && memcmp(owner[i], gone, gone_len) == 0)
			continue;
		size_t l;
		const char *o = hashring_name(r, (size_t)hashring_lookup(r, keys[i]), &l);
		CHECK(l == strlen(owner[i]) && memcmp(o, owner[i], l) == 0);
	}
	hashring_free(r);
}

static void t_rendezvous(void)
{
	struct rendezvous *h = rendezvous_new();
	CHECK(rendezvous_lookup(h, 1) == -1);
	char name[16];
	for (int i = 0; i < 5; i++) {
		int len = snprintf(name, sizeof name, "node-%d", i + 1);
		CHECK(rendezvous_add(h, name, (size_t)len, 1.0) == i);
	}
	CHECK(rendezvous_add(h, "node-1", 6, 1.0) == -1);
	CHECK(rendezvous_check(h) == 0);
	/* the winner has the highest integer score */
	struct rng g;
	rng_seed(&g, 3);
	int count[5] = {0}, before[5000];
	for (int i = 0; i < 5000; i++) {
		uint64_t k = rng_next(&g);
		int w = rendezvous_lookup(h, k);
		for (int j = 0; j < 5; j++)
			CHECK(rendezvous_raw(h, (size_t)j, k) <= rendezvous_raw(h, (size_t)w, k));
		count[w]++;
		before[i] = w;
	}
	for (int j = 0; j < 5; j++)
		CHECK(count[j] > 850 && count[j] < 1150);
	/* removing node-3 moves only node-3's keys */
	CHECK(rendezvous_remove(h, "node-3", 6) == 0);
	rng_seed(&g, 3);
	for (int i = 0; i < 5000; i++) {
		int w = rendezvous_lookup(h, rng_next(&g));
		int was = before[i];
		if (was != 2)
			CHECK(w == (was > 2 ? was - 1 : was));
	}
	rendezvous_free(h);
}

/* Logarithmic weights: node shares follow the weights. */
static void t_rendezvous_weighted(void)
{
	struct rendezvous *h = rendezvous_new();
	rendezvous_add(h, "a", 1, 1.0);
	rendezvous_add(h, "b", 1, 2.0);
	rendezvous_add(h, "c", 1, 5.0);
	int count[3] = {0};
	for (uint64_t i = 0; i < 80000; i++)
		count[rendezvous_lookup(h, chash_mix64(i + 1))]++;
	CHECK(fabs(count[0] / 80000.0 - 1.0 / 8) < 0.01);
	CHECK(fabs(count[1] / 80000.0 - 2.0 / 8) < 0.01);
	CHECK(fabs(count[2] / 80000.0 - 5.0 / 8) < 0.01);
	CHECK(rendezvous_add(h, "d", 1, -1) == -1);
	CHECK(rendezvous_check(h) == 0);
	rendezvous_free(h);
}

static void t_maglev(void)
{
	CHECK(maglev_new(65536) == NULL);
	CHECK(maglev_new(1) == NULL);
	struct maglev *m = maglev_new(65537);
	CHECK(m && maglev_lookup(m, 9) == -1 && maglev_check(m) == 0);
	char name[16];
	for (int i = 0; i < 7; i++) {
		int len = snprintf(name, sizeof name, "backend-%d", i);
		CHECK(maglev_add(m, name, (size_t)len) == i);
		CHECK(maglev_check(m) == 0); /* full, each M/N entries to within 1 */
		CHECK(maglev_skip(m, (size_t)i) >= 1 && maglev_skip(m, (size_t)i) < 65537);
	}
	CHECK(maglev_add(m, "backend-0", 9) == -1);
	int32_t *old = malloc(65537 * sizeof *old);
	memcpy(old, maglev_table(m), 65537 * sizeof *old);
	CHECK(maglev_remove(m, "backend-3", 9) == 0);
	CHECK(maglev_check(m) == 0);
	/* entries of surviving backends mostly stay; modulo 7 -> 6 would move ~6/7 */
	const int32_t *now = maglev_table(m);
	int changed = 0;
	for (int i = 0; i < 65537; i++) {
		if (old[i] == 3)
			continue;
		int32_t want = old[i] > 3 ? old[i] - 1 : old[i];
		changed += now[i] != want;
	}
	CHECK(changed < 65537 / 50); /* the paper reports a few percent at most */
	free(old);
	maglev_free(m);
	/* small table by hand: M = 7, one backend takes all */
	m = maglev_new(7);
	maglev_add(m, "x", 1);
	for (int i = 0; i < 7; i++)
		CHECK(maglev_table(m)[i] == 0);
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "%d", i);
		maglev_add(m, name, 1);
	}
	CHECK(maglev_add(m, "too-many", 8) == -1); /* 8 backends, 7 entries */
	CHECK(maglev_check(m) == 0);
	maglev_free(m);
}

static void t_movement_theory(void)
{
	const enum hashmove_scheme consistent[] = {HASHMOVE_RING, HASHMOVE_JUMP,
						   HASHMOVE_RENDEZVOUS, HASHMOVE_MAGLEV};
	struct hashmove_config c = {.nodes = 10, .keys = 100000, .add = 1,
				    .vnodes = 160, .table_size = 65537};
	struct hashmove_result res;
	for (int i = 0; i < 4; i++) {
		c.scheme = consistent[i];
		CHECK(hashmove_run(&c, &res) == 0);
		CHECK(fabs(res.expected - 1.0 / 11) < 1e-12);
		/* ring: vnode arcs are uneven, so looser; others track 1/(N+1) */
		CHECK(fabs(res.fraction - 1.0 / 11) < (c.scheme == HASHMOVE_RING ? 0.03 : 0.01));
		uint64_t sum = 0;
		for (size_t k = 0; k < res.nafter; k++)
			sum += res.after[k];
		CHECK(sum == 100000 && res.nbefore == 10 && res.nafter == 11);
		hashmove_result_free(&res);
	}
	c.scheme = HASHMOVE_MODULO;
	CHECK(hashmove_run(&c, &res) == 0);
	CHECK(fabs(res.fraction - 10.0 / 11) < 0.01);
	CHECK(res.max_mean_before < 1.05);
	hashmove_result_free(&res);

	c.add = 0;
	c.remove = 9;
	for (int i = 0; i < 4; i++) {
		c.scheme = consistent[i];
		CHECK(hashmove_run(&c, &res) == 0);
		/* exactly the removed node's keys move (maglev: a few more) */
		if (c.scheme != HASHMOVE_MAGLEV)
			CHECK(res.moved == res.before[9]);
		else
			CHECK(res.moved >= res.before[9] && res.fraction < 0.1 + 0.02);
		hashmove_result_free(&res);
	}
	c.scheme = HASHMOVE_MODULO;
	CHECK(hashmove_run(&c, &res) == 0);
	CHECK(fabs(res.fraction - 0.9) < 0.01);
	hashmove_result_free(&res);
	c.scheme = HASHMOVE_JUMP; /* jump cannot remove a middle bucket */
	c.remove = 3;
	CHECK(hashmove_run(&c, &res) == -1 && res.before == NULL);
	c.scheme = HASHMOVE_MAGLEV;
	c.table_size = 65536;
	CHECK(hashmove_run(&c, &res) == -1);
}

static const struct test tests[] = {
	{"chash/hash64", t_hash64},
	{"chash/jump_vectors", t_jump_vectors},
	{"chash/jump_monotone", t_jump_monotone},
	{"hashring/ketama_vectors", t_ring_ketama_vectors},
	{"hashring/add_remove_weights", t_ring_add_remove_weights},
	{"hashring/random_ops", t_ring_random_ops},
	{"rendezvous/basic", t_rendezvous},
	{"rendezvous/weighted", t_rendezvous_weighted},
	{"maglev/table", t_maglev},
	{"hashmove/theory", t_movement_theory},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
