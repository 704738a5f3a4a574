/* Unit tests of engine/concepts/merkle: on many random pairs of maps, the
 * exchange finds exactly the keys that differ, within its hash bound. */
#include "unit.h"
#include "engine/concepts/merkle/merkle.h"
#include "engine/concepts/rand/rand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2000

static char keys[N][16], vals_a[N][16], vals_b[N][16];

/* Builds A with every key, and B with K keys changed, removed or added;
 * marks the keys that differ in WANT. */
static void pair(struct rng *r, size_t k, struct merkle **a, struct merkle **b, int depth,
		 int fanout, char *want)
{
	struct merkle_kv *ka = malloc(N * sizeof *ka), *kb = malloc(N * sizeof *kb);
	size_t na = 0, nb = 0;
	memset(want, 0, N);
	for (size_t i = 0; i < k; i++) /* K distinct keys to touch */
		for (;;) {
			size_t j = (size_t)rng_below(r, N);
			if (!want[j]) {
				want[j] = (char)(1 + rng_below(r, 3)); /* 1 change 2 remove 3 add */
				break;
			}
		}
	for (size_t i = 0; i < N; i++) {
		snprintf(vals_a[i], sizeof vals_a[i], "v%zu", i);
		snprintf(vals_b[i], sizeof vals_b[i], "w%zu", i);
		if (want[i] != 3)
			ka[na++] = (struct merkle_kv){keys[i], vals_a[i], strlen(keys[i]), strlen(vals_a[i])};
		if (want[i] != 2)
			kb[nb++] = (struct merkle_kv){keys[i], want[i] == 1 ? vals_b[i] : vals_a[i],
						      strlen(keys[i]), strlen(vals_a[i])};
	}
	*a = merkle_build(ka, na, depth, fanout);
	*b = merkle_build(kb, nb, depth, fanout);
	free(ka);
	free(kb);
}

static void t_diff_exact(void)
{
	for (size_t i = 0; i < N; i++)
		snprintf(keys[i], sizeof keys[i], "key-%zu", i);
	static char want[N];
	int shapes[][2] = {{10, 2}, {5, 4}, {3, 16}, {0, 2}, {12, 2}};
	for (uint64_t seed = 1; seed <= 120; seed++) {
		struct rng r;
		rng_seed(&r, seed);
		int *sh = shapes[seed % 5];
		size_t k = seed % 7 == 0 ? 0 : 1 + (size_t)rng_below(&r, seed % 3 ? 10 : 300);
		struct merkle *a, *b;
		pair(&r, k, &a, &b, sh[0], sh[1], want);
		CHECK(a && b);
		struct merkle_diff d;
		CHECK(merkle_diff(a, b, &d) == 0);
		CHECK_INT(d.nkeys, k);
		for (size_t i = 0; i < d.nkeys; i++) {
			int idx = atoi(d.keys[i] + 4);
			CHECK(strcmp(d.keys[i], keys[idx]) == 0 && want[idx]);
			CHECK(i == 0 || strcmp(d.keys[i - 1], d.keys[i]) < 0);
		}
		/* at most the root plus fanout hashes per level per differing key */
		CHECK(d.hashes <= 1 + k * (size_t)sh[1] * (size_t)sh[0]);
		if (k == 0) {
			CHECK_INT(d.hashes, 1);
			CHECK_INT(d.rounds, 1);
			CHECK(memcmp(merkle_hash(a, 0, 0), merkle_hash(b, 0, 0), MERKLE_HASH) == 0);
		} else {
			CHECK_INT(d.rounds, (size_t)sh[0] + 2);
		}
		merkle_diff_free(&d);
		merkle_free(a);
		merkle_free(b);
	}
}

static void t_order_free(void)
{
	/* the tree of a map does not depend on the order of its entries */
	struct merkle_kv kv[3] = {{"a", "1", 1, 1}, {"b", "2", 1, 1}, {"c", "3", 1, 1}};
	struct merkle_kv rev[3] = {kv[2], kv[0], kv[1]};
	struct merkle *x = merkle_build(kv, 3, 4, 2), *y = merkle_build(rev, 3, 4, 2);
	CHECK(memcmp(merkle_hash(x, 0, 0), merkle_hash(y, 0, 0), MERKLE_HASH) == 0);
	CHECK(merkle_build(kv, 3, 21, 2) == NULL);
	CHECK(merkle_build(kv, 3, 6, 16) == NULL); /* 2^24 leaves */
	merkle_free(x);
	merkle_free(y);
}

static const struct test tests[] = {
	{"merkle/diff_exact", t_diff_exact},
	{"merkle/order_free", t_order_free},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
