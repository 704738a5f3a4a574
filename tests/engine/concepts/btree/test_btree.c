/*
 * Unit tests of engine/concepts/btree: the split and merge rules on known
 * shapes, page reads, and a differential run against a sorted array under
 * 10^5 random inserts, deletes, lookups and range scans per order, with
 * every invariant checked along the way; out-of-memory leaves the tree as
 * it was.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/btree/btree.h"
#include "engine/concepts/rand/rand.h"

static struct bt_key ik(int64_t i)
{
	return (struct bt_key){.i = i};
}

static void shape_is(struct btree *t, const char *want, int *ok)
{
	struct sbuf sb = SBUF_INIT;
	btree_shape(t, &sb);
	if (strcmp(sbuf_str(&sb), want) != 0) {
		printf("    shape %s\n    want  %s\n", sbuf_str(&sb), want);
		*ok = 0;
	}
	sbuf_free(&sb);
}

/* The documented rules, on small trees worked by hand. */
static void t_split_rules(void)
{
	struct btree *t = btree_new(3);
	int ok = 1;
	for (int i = 1; i <= 5; i++)
		CHECK(btree_insert(t, ik(i), i * 10) == 1);
	shape_is(t, "[3: [2: (1) (2)] [4: (3) (4 5)]]", &ok);
	CHECK(ok);
	CHECK_INT(btree_height(t), 3);
	CHECK_INT(btree_insert(t, ik(4), 99), 0);
	int64_t v;
	CHECK(btree_get(t, ik(4), &v) && v == 99);
	btree_free(t);

	t = btree_new(4); /* at most 3 keys; a split leaves 2 and 2 */
	for (int i = 10; i <= 60; i += 10)
		btree_insert(t, ik(i), 0);
	shape_is(t, "[30 50: (10 20) (30 40) (50 60)]", &ok);
	btree_insert(t, ik(70), 0);
	btree_insert(t, ik(80), 0);
	shape_is(t, "[30 50 70: (10 20) (30 40) (50 60) (70 80)]", &ok);
	btree_insert(t, ik(90), 0);
	btree_insert(t, ik(100), 0);
	shape_is(t, "[70: [30 50: (10 20) (30 40) (50 60)] [90: (70 80) (90 100)]]", &ok);
	CHECK(ok);
	btree_free(t);
}

/* Deleting: borrow from the left, then the right, then merge; the root
 * goes when it has one child left. */
static void t_delete_rules(void)
{
	struct btree *t = btree_new(4);
	int ok = 1;
	for (int i = 10; i <= 60; i += 10)
		btree_insert(t, ik(i), 0);
	btree_insert(t, ik(25), 0); /* (10 20 25) */
	shape_is(t, "[30 50: (10 20 25) (30 40) (50 60)]", &ok);
	btree_delete(t, ik(30));
	btree_delete(t, ik(40)); /* (.) borrows 25 from the left */
	shape_is(t, "[25 50: (10 20) (25) (50 60)]", &ok);
	btree_delete(t, ik(25)); /* left has the minimum + 1: borrows 20 */
	shape_is(t, "[20 50: (10) (20) (50 60)]", &ok);
	btree_delete(t, ik(20)); /* left (10) at minimum, right (50 60) lends 50 */
	shape_is(t, "[20 60: (10) (50) (60)]", &ok);
	btree_delete(t, ik(50)); /* nobody can lend: merge with the left */
	shape_is(t, "[60: (10) (60)]", &ok);
	btree_delete(t, ik(10)); /* the first child merges with its right; root goes */
	shape_is(t, "(60)", &ok);
	CHECK_INT(btree_height(t), 1);
	CHECK_INT(btree_delete(t, ik(10)), 0);
	CHECK(ok);
	struct sbuf err = SBUF_INIT;
	CHECK(btree_check(t, &err) == 0);
	btree_free(t);
	sbuf_free(&err);
}

static int collect(const struct bt_key *k, int64_t v, void *ud)
{
	(void)v;
	struct sbuf *sb = ud;
	sbuf_addf(sb, "%lld ", (long long)k->i);
	return 0;
}

/* A lookup reads one page per level; a range scan one per level and one
 * per further leaf; a full scan every leaf. */
static void t_page_reads(void)
{
	struct btree *t = btree_new(5); /* 4 keys a page at most */
	for (int i = 0; i < 1000; i++)
		btree_insert(t, ik(i), i);
	int h = btree_height(t);
	btree_reset_stats(t);
	int64_t v;
	CHECK(btree_get(t, ik(500), &v) && v == 500);
	CHECK_INT(btree_stats(t)->reads, h);
	btree_reset_stats(t);
	struct sbuf sb = SBUF_INIT;
	btree_range(t, NULL, NULL, collect, &sb);
	CHECK_INT(btree_stats(t)->reads, h - 1 + (long long)btree_leaves(t));
	btree_reset_stats(t);
	sbuf_truncate(&sb, 0);
	struct bt_key lo = ik(100), hi = ik(109);
	btree_range(t, &lo, &hi, collect, &sb);
	CHECK_STR(sbuf_str(&sb), "100 101 102 103 104 105 106 107 108 109 ");
	long long r = btree_stats(t)->reads;
	CHECK(r >= h + 2 && r <= h + 5); /* 10 keys span 3 to 6 leaves of 2-4 keys */
	btree_free(t);
	sbuf_free(&sb);
}

/* The model: a sorted array of (key, value). */
struct model {
	int64_t *k, *v;
	int n;
};

static int model_find(const struct model *m, int64_t k, int *at)
{
	int lo = 0, hi = m->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->k[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < m->n && m->k[lo] == k;
}

struct range_check {
	const struct model *m;
	int at, bad;
};

static int range_step(const struct bt_key *k, int64_t v, void *ud)
{
	struct range_check *rc = ud;
	if (rc->at >= rc->m->n || rc->m->k[rc->at] != k->i || rc->m->v[rc->at] != v)
		rc->bad = 1;
	rc->at++;
	return 0;
}

static int differential(int order, uint64_t seed, int ops, int keyspace)
{
	struct btree *t = btree_new(order);
	struct model m = {calloc((size_t)keyspace, 8), calloc((size_t)keyspace, 8), 0};
	struct rng r;
	rng_seed(&r, seed);
	struct sbuf err = SBUF_INIT;
	int failed = 0;
	for (int op = 1; op <= ops && !failed; op++) {
		int64_t k = (int64_t)rng_below(&r, (uint64_t)keyspace);
		int at, there = model_find(&m, k, &at), kind = (int)rng_below(&r, 10);
		/* inserts outweigh deletes in the first half, then the tree drains */
		int insert = op < ops / 2 ? kind < 5 : kind < 3;
		if (kind == 9) {
			int64_t hi = k + (int64_t)rng_below(&r, 50);
			struct bt_key a = ik(k), b = ik(hi);
			struct range_check rc = {&m, at, 0};
			btree_range(t, &a, &b, range_step, &rc);
			int end;
			model_find(&m, hi + 1, &end);
			failed = rc.bad || rc.at != end;
		} else if (kind == 8) {
			int64_t v = -1;
			int got = btree_get(t, ik(k), &v);
			failed = got != there || (there && v != m.v[at]);
		} else if (insert) {
			int64_t v = (int64_t)rng_next(&r);
			failed = btree_insert(t, ik(k), v) != !there;
			if (!there) {
				memmove(m.k + at + 1, m.k + at, (size_t)(m.n - at) * 8);
				memmove(m.v + at + 1, m.v + at, (size_t)(m.n - at) * 8);
				m.k[at] = k;
				m.n++;
			}
			m.v[at] = v;
		} else {
			failed = btree_delete(t, ik(k)) != there;
			if (there) {
				memmove(m.k + at, m.k + at + 1, (size_t)(m.n - at - 1) * 8);
				memmove(m.v + at, m.v + at + 1, (size_t)(m.n - at - 1) * 8);
				m.n--;
			}
		}
		if ((op % 997 == 0 || op == ops) && btree_check(t, &err) != 0) {
			printf("    order %d, op %d: %s\n", order, op, sbuf_str(&err));
			failed = 1;
		}
		if (!failed && btree_count(t) != (size_t)m.n)
			failed = 1;
		if (failed)
			printf("    order %d seed %llu: diverged at op %d (key %lld)\n", order,
			       (unsigned long long)seed, op, (long long)k);
	}
	btree_free(t);
	free(m.k);
	free(m.v);
	sbuf_free(&err);
	return failed ? -1 : 0;
}

static void t_differential(void)
{
	static const int orders[] = {3, 4, 5, 7, 16, 128};
	for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++)
		CHECK(differential(orders[i], 100 + i, 100000, orders[i] < 8 ? 3000 : 20000) == 0);
}

/* String keys: ordered by bytes, integers first; shared separators are
 * freed exactly once (ASan would see a double free or a leak). */
static void t_string_keys(void)
{
	struct btree *t = btree_new(3);
	const char *words[] = {"pear", "apple", "fig", "kiwi", "banana", "cherry", "date", "lime",
			       "mango", "a", "ab", ""};
	size_t n = sizeof words / sizeof words[0];
	for (size_t i = 0; i < n; i++)
		CHECK(btree_insert(t, (struct bt_key){.s = words[i], .len = strlen(words[i])},
				   (int64_t)i) == 1);
	CHECK(btree_insert(t, ik(7), 7) == 1);
	struct sbuf sb = SBUF_INIT, err = SBUF_INIT;
	CHECK(btree_check(t, &err) == 0);
	for (size_t i = 0; i < n; i += 2)
		CHECK(btree_delete(t, (struct bt_key){.s = words[i], .len = strlen(words[i])}) == 1);
	CHECK(btree_check(t, &err) == 0);
	btree_shape(t, &sb);
	/* stale separators (fig, banana, ab) stay: they are still valid bounds */
	CHECK_STR(sbuf_str(&sb), "[ab fig: [: (7) ( a)] [banana: (apple) (cherry)] [lime: (kiwi) (lime)]]");
	btree_free(t);
	sbuf_free(&sb);
	sbuf_free(&err);
}

struct account {
	struct budget b;
	size_t used, limit;
};

static int acc_charge(struct budget *b, size_t n)
{
	struct account *a = (struct account *)b;
	if (a->used + n > a->limit)
		return -1;
	a->used += n;
	return 0;
}

static void acc_credit(struct budget *b, size_t n)
{
	((struct account *)b)->used -= n;
}

static const char *acc_stop(struct budget *b)
{
	(void)b;
	return NULL;
}

/* Out of memory: the insert fails and the tree is as it was. */
static void t_out_of_memory(void)
{
	struct account a = {{acc_charge, acc_credit, acc_stop, NULL}, 0, 64 << 10};
	struct budget *prev = budget_enter(&a.b);
	struct btree *t = btree_new(4);
	CHECK(t);
	struct sbuf before = SBUF_INIT, after = SBUF_INIT, err = SBUF_INIT;
	int i, rc = 0;
	char key[32];
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "key-%06d", i);
		sbuf_truncate(&before, 0);
		btree_shape(t, &before);
		rc = btree_insert(t, (struct bt_key){.s = key, .len = strlen(key)}, i);
		if (rc < 0)
			break;
	}
	CHECK_INT(rc, -1);
	btree_shape(t, &after);
	CHECK_STR(sbuf_str(&after), sbuf_str(&before));
	CHECK(btree_check(t, &err) == 0);
	CHECK_INT(btree_count(t), i);
	btree_free(t);
	CHECK_INT(a.used, 0);
	budget_leave(prev);
	sbuf_free(&before);
	sbuf_free(&after);
	sbuf_free(&err);
}

static const struct test tests[] = {
	{"btree/split_rules", t_split_rules},
	{"btree/delete_rules", t_delete_rules},
	{"btree/page_reads", t_page_reads},
	{"btree/differential_1e5_ops", t_differential},
	{"btree/string_keys", t_string_keys},
	{"btree/out_of_memory", t_out_of_memory},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
