/* Unit tests of engine/concepts/crdt: each type's semantics, and the
 * semilattice laws on thousands of random histories per type. */
#include "unit.h"
#include "engine/concepts/crdt/crdt.h"

#include <string.h>

static int has(const struct crdt *c, const char *e)
{
	return crdt_has(c, e, strlen(e));
}

static void t_gcounter(void)
{
	struct crdt *a = crdt_new(CRDT_GCOUNTER, 1), *b = crdt_new(CRDT_GCOUNTER, 2);
	CHECK(crdt_inc(a, 3) == 0 && crdt_inc(b, 4) == 0 && crdt_inc(a, 1) == 0);
	CHECK(crdt_inc(a, -1) == -1); /* grow-only */
	CHECK(crdt_merge(a, b) == 0 && crdt_merge(a, b) == 0 && crdt_merge(b, a) == 0);
	CHECK_INT(crdt_count(a), 8);
	CHECK_INT(crdt_count(b), 8);
	CHECK(crdt_equal(a, b));
	crdt_free(a);
	crdt_free(b);
}

static void t_pncounter(void)
{
	struct crdt *a = crdt_new(CRDT_PNCOUNTER, 1), *b = crdt_new(CRDT_PNCOUNTER, 2);
	crdt_inc(a, 5);
	crdt_inc(b, -7);
	crdt_inc(a, -1);
	crdt_merge(a, b);
	crdt_merge(b, a);
	CHECK_INT(crdt_count(a), -3);
	CHECK(crdt_equal(a, b));
	crdt_free(a);
	crdt_free(b);
}

static void t_twophase_no_readd(void)
{
	struct crdt *a = crdt_new(CRDT_2PSET, 1);
	CHECK(crdt_remove(a, "x", 1) == -1); /* not there */
	crdt_add(a, "x", 1);
	CHECK(crdt_remove(a, "x", 1) == 0);
	crdt_add(a, "x", 1);
	CHECK(!has(a, "x")); /* a tombstone is forever */
	crdt_free(a);
}

static void t_orset_add_wins(void)
{
	struct crdt *a = crdt_new(CRDT_ORSET, 1), *b = crdt_new(CRDT_ORSET, 2);
	crdt_add(a, "x", 1);
	crdt_merge(b, a);            /* b has seen a's add */
	crdt_remove(b, "x", 1);      /* b removes what it saw */
	crdt_add(a, "x", 1);         /* concurrently, a adds again (a new tag) */
	crdt_merge(a, b);
	crdt_merge(b, a);
	CHECK(has(a, "x") && has(b, "x")); /* the unseen add wins */
	crdt_remove(a, "x", 1);
	crdt_merge(b, a);
	CHECK(!has(b, "x"));
	crdt_add(b, "x", 1);         /* and it can come back, unlike 2P-set */
	CHECK(has(b, "x"));
	crdt_free(a);
	crdt_free(b);
}

static void t_lww(void)
{
	struct crdt *a = crdt_new(CRDT_LWW, 1), *b = crdt_new(CRDT_LWW, 2);
	crdt_set(a, "old", 3, 10.0);
	crdt_set(b, "new", 3, 9.5); /* written later in real time, but its clock is behind */
	crdt_merge(a, b);
	crdt_merge(b, a);
	const struct crdt_str *v;
	CHECK(crdt_values(b, &v) == 1 && v[0].n == 3 && memcmp(v[0].s, "old", 3) == 0);
	crdt_set(b, "tie", 3, 10.0); /* same time: the larger replica id wins */
	crdt_merge(a, b);
	CHECK(crdt_values(a, &v) == 1 && memcmp(v[0].s, "tie", 3) == 0);
	crdt_free(a);
	crdt_free(b);
}

static void t_mvreg_siblings(void)
{
	struct crdt *a = crdt_new(CRDT_MVREG, 1), *b = crdt_new(CRDT_MVREG, 2);
	crdt_set(a, "x", 1, 0);
	crdt_merge(b, a);
	crdt_set(a, "y", 1, 0); /* both overwrite x, concurrently */
	crdt_set(b, "z", 1, 0);
	crdt_merge(a, b);
	const struct crdt_str *v;
	CHECK(crdt_values(a, &v) == 2);
	CHECK(v[0].s[0] == 'y' && v[1].s[0] == 'z');
	crdt_set(a, "w", 1, 0); /* a write after reading both resolves them */
	crdt_merge(b, a);
	CHECK(crdt_values(b, &v) == 1 && v[0].s[0] == 'w');
	uint32_t r;
	uint64_t n;
	CHECK(crdt_vv(b, 0, 0, &r, &n) == 0 && r == 1 && n == 3);
	CHECK(crdt_vv(b, 0, 1, &r, &n) == 0 && r == 2 && n == 1);
	crdt_free(a);
	crdt_free(b);
}

static void t_laws_every_type(void)
{
	for (int t = 0; t < CRDT_TYPES; t++) {
		struct crdt_laws l;
		CHECK(crdt_check_laws((enum crdt_type)t, 7, 400, 3, 25, &l) == 0);
		if (l.commutative != 400 || l.associative != 400 || l.idempotent != 400 ||
		    l.converged != 400 || l.correct != 400) {
			printf("    %s: %d %d %d %d %d of 400\n", crdt_type_name(t), l.commutative,
			       l.associative, l.idempotent, l.converged, l.correct);
			CHECK(0);
		}
	}
}

static void t_laws_many_replicas(void)
{
	for (int t = 0; t < CRDT_TYPES; t++) {
		struct crdt_laws l;
		CHECK(crdt_check_laws((enum crdt_type)t, 99, 100, 6, 40, &l) == 0);
		CHECK_INT(l.converged, 100);
		CHECK_INT(l.correct, 100);
	}
}

static void t_clone_equal_sizes(void)
{
	struct crdt *a = crdt_new(CRDT_ORSET, 1);
	for (int i = 0; i < 50; i++) {
		crdt_add(a, "k", 1);
		crdt_remove(a, "k", 1);
	}
	struct crdt *b = crdt_clone(a);
	CHECK(crdt_equal(a, b));
	CHECK(!has(b, "k"));
	CHECK(crdt_size(a) >= 100 * 13); /* 50 adds and 50 tombstones stay */
	crdt_free(a);
	crdt_free(b);
}

static const struct test tests[] = {
	{"crdt/gcounter", t_gcounter},
	{"crdt/pncounter", t_pncounter},
	{"crdt/twophase_no_readd", t_twophase_no_readd},
	{"crdt/orset_add_wins", t_orset_add_wins},
	{"crdt/lww", t_lww},
	{"crdt/mvreg_siblings", t_mvreg_siblings},
	{"crdt/laws_every_type", t_laws_every_type},
	{"crdt/laws_many_replicas", t_laws_many_replicas},
	{"crdt/clone_equal_sizes", t_clone_equal_sizes},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
