/*
 * Unit tests of engine/concepts/lsm: a differential run against a sorted
 * array under 10^5 random puts, deletes, gets and range scans for both
 * policies and several shapes; the policies' structure after each flush;
 * amplification identities; tombstones reaching the bottom; the merge on
 * its own; out of memory leaving the tree as it was.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/lsm/lsm.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdint.h>

static struct lsm_key ik(int64_t i)
{
	return (struct lsm_key){.i = i};
}

static struct lsm_val iv(int64_t i)
{
	return (struct lsm_val){.kind = LSM_INT, .i = i};
}

static const struct lsm_val tomb = {.kind = LSM_TOMBSTONE};

/* Every run sorted, and (SETTLED) the levels as the policy wants them:
 * after a merge failed for want of memory, one may still be due. */
static int structure_is(const struct lsm *t, int settled)
{
	const struct lsm_config *c = lsm_config(t);
	for (int i = 0; i < lsm_levels(t); i++) {
		int runs = lsm_runs(t, i);
		if (settled && c->policy == LSM_TIERED && runs >= c->ratio)
			return 0;
		if (settled && c->policy == LSM_LEVELED && i == 0 && runs >= c->level0)
			return 0;
		if (c->policy == LSM_LEVELED && i > 0 && runs > 1)
			return 0;
		for (int r = 0; r < runs; r++) {
			const struct lsm_key *a = lsm_run_first(t, i, r), *b = lsm_run_last(t, i, r);
			if (a && lsm_key_cmp(a, b) > 0)
				return 0;
		}
	}
	return 1;
}

static int structure_ok(const struct lsm *t)
{
	return structure_is(t, 1);
}

struct model {
	int64_t *val; /* by key; NONE: absent */
	int keys;
};
#define NONE INT64_MIN

struct scan {
	const struct model *m;
	int64_t next, hi;
	int bad;
};

static int scan_one(const struct lsm_entry *e, void *ud)
{
	struct scan *s = ud;
	while (s->next <= s->hi && s->m->val[s->next] == NONE)
		s->next++;
	if (e->k.i != s->next || e->v.kind != LSM_INT || e->v.i != s->m->val[s->next])
		s->bad = 1;
	s->next++;
	return 0;
}

static int differential(struct lsm_config c, uint64_t seed, int ops, int keys)
{
	struct lsm *t = lsm_new(&c);
	struct model m = {malloc((size_t)keys * sizeof(int64_t)), keys};
	for (int i = 0; i < keys; i++)
		m.val[i] = NONE;
	struct rng r;
	rng_seed(&r, seed);
	int failed = 0, op;
	for (op = 1; op <= ops && !failed; op++) {
		int64_t k = (int64_t)rng_below(&r, (uint64_t)keys);
		int x = (int)rng_below(&r, 100);
		if (x < 45) {
			int64_t v = (int64_t)rng_below(&r, 1000000);
			failed = lsm_put(t, ik(k), iv(v)) != 0;
			m.val[k] = v;
		} else if (x < 65) {
			failed = lsm_put(t, ik(k), tomb) != 0;
			m.val[k] = NONE;
		} else if (x < 97) {
			struct lsm_val v;
			int got = lsm_get(t, ik(k), &v);
			failed = got != (m.val[k] != NONE) || (got && (v.kind != LSM_INT || v.i != m.val[k]));
		} else {
			int64_t hi = k + (int64_t)rng_below(&r, 60);
			if (hi >= keys)
				hi = keys - 1;
			struct lsm_key a = ik(k), b = ik(hi);
			struct scan s = {&m, k, hi, 0};
			lsm_range(t, &a, &b, scan_one, &s);
			while (s.next <= hi && m.val[s.next] == NONE)
				s.next++;
			failed = s.bad || s.next != hi + 1;
		}
		if (op % 5000 == 0 || op == ops) {
			long long live = 0;
			for (int i = 0; i < keys; i++)
				live += m.val[i] != NONE;
			failed |= !structure_ok(t) || lsm_live_keys(t) != live ||
				  (long long)lsm_stored_entries(t) < live;
		}
	}
	if (failed)
		printf("    %s ratio %d memtable %d bloom %d block %d: diverged at op %d\n",
		       c.policy == LSM_LEVELED ? "leveled" : "tiered", c.ratio, c.memtable,
		       c.bloom_bits, c.block, op - 1);
	/* a full compaction keeps every live key and drops every tombstone */
	if (!failed) {
		failed = lsm_compact(t) != 0;
		long long live = 0;
		for (int i = 0; i < keys; i++)
			live += m.val[i] != NONE;
		failed |= (long long)lsm_stored_entries(t) != live || lsm_live_keys(t) != live;
		for (int i = 0; i < keys && !failed; i++) {
			struct lsm_val v;
			failed = lsm_get(t, ik(i), &v) != (m.val[i] != NONE);
		}
		if (failed)
			printf("    compact: wrong\n");
	}
	lsm_free(t);
	free(m.val);
	return failed ? -1 : 0;
}

static void t_differential(void)
{
	struct lsm_config cs[] = {
		{.memtable = 32, .policy = LSM_LEVELED, .ratio = 4, .level0 = 4, .bloom_bits = 10, .block = 8},
		{.memtable = 7, .policy = LSM_LEVELED, .ratio = 2, .level0 = 1, .bloom_bits = 0, .block = 1},
		{.memtable = 100, .policy = LSM_LEVELED, .ratio = 10, .level0 = 2, .bloom_bits = 5, .block = 16},
		{.memtable = 32, .policy = LSM_TIERED, .ratio = 4, .level0 = 4, .bloom_bits = 10, .block = 8},
		{.memtable = 5, .policy = LSM_TIERED, .ratio = 2, .level0 = 4, .bloom_bits = 0, .block = 3},
		{.memtable = 64, .policy = LSM_TIERED, .ratio = 8, .level0 = 4, .bloom_bits = 16, .block = 32},
	};
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
		CHECK(differential(cs[i], 7 + i, 100000, 3000) == 0);
}

/* Leveled: each level i >= 1 at most memtable * ratio^i after settling;
 * tiered writes less and keeps more runs. */
static void t_policies_compared(void)
{
	double wa[2];
	int runs[2];
	for (int p = 0; p < 2; p++) {
		struct lsm_config c = {.memtable = 50, .policy = p, .ratio = 4, .level0 = 4,
				       .bloom_bits = 10, .block = 10};
		struct lsm *t = lsm_new(&c);
		struct rng r;
		rng_seed(&r, 3);
		for (int i = 0; i < 50000; i++)
			CHECK(lsm_put(t, ik((int64_t)rng_below(&r, 1u << 30)), iv(i)) == 0);
		const struct lsm_stats *s = lsm_stats(t);
		wa[p] = (double)(s->flushed + s->compacted) / (double)(s->puts);
		CHECK_INT(s->flushed, 50000 - (long long)lsm_memtable_entries(t));
		runs[p] = 0;
		for (int i = 0; i < lsm_levels(t); i++) {
			runs[p] += lsm_runs(t, i);
			if (p == LSM_LEVELED && i > 0 && lsm_runs(t, i))
				CHECK((double)lsm_run_entries(t, i, 0) <= 50.0 * pow(4, i));
		}
		lsm_free(t);
	}
	CHECK(wa[LSM_TIERED] < wa[LSM_LEVELED]);
	CHECK(runs[LSM_TIERED] > runs[LSM_LEVELED]);
	CHECK(wa[LSM_TIERED] > 3 && wa[LSM_LEVELED] < 15);
}

/* Overwrites and deletes cost space until merges reach them. */
static void t_space_and_tombstones(void)
{
	struct lsm_config c = {.memtable = 10, .policy = LSM_TIERED, .ratio = 3, .level0 = 4,
			       .bloom_bits = 0, .block = 4};
	struct lsm *t = lsm_new(&c);
	for (int round = 0; round < 3; round++)
		for (int k = 0; k < 10; k++)
			lsm_put(t, ik(k), iv(round));
	CHECK_INT(lsm_live_keys(t), 10);
	CHECK_INT(lsm_stored_entries(t), 10); /* 3 runs of 10 merged into one at level 1 */
	CHECK_INT(lsm_stats(t)->versions_dropped, 20);
	for (int k = 0; k < 10; k++)
		lsm_put(t, ik(k), tomb);
	CHECK_INT(lsm_live_keys(t), 0);
	CHECK_INT(lsm_stored_entries(t), 20); /* tombstones shadow the values below */
	struct lsm_val v;
	CHECK(!lsm_get(t, ik(3), &v));
	CHECK(lsm_compact(t) == 0);
	CHECK_INT(lsm_stored_entries(t), 0);
	CHECK_INT(lsm_stats(t)->tombstones_dropped, 10);
	lsm_free(t);
}

/* Reads: a miss costs no block with a filter that rules it out. */
static void t_bloom_saves_reads(void)
{
	long long reads[2];
	for (int b = 0; b < 2; b++) {
		struct lsm_config c = {.memtable = 100, .policy = LSM_TIERED, .ratio = 10,
				       .level0 = 4, .bloom_bits = b ? 10 : 0, .block = 10};
		struct lsm *t = lsm_new(&c);
		for (int i = 0; i < 5000; i++)
			lsm_put(t, ik(2 * i), iv(i));
		lsm_reset_stats(t);
		struct lsm_val v;
		for (int i = 0; i < 5000; i++)
			CHECK(!lsm_get(t, ik(2 * i + 1), &v)); /* odd keys: never written */
		reads[b] = lsm_stats(t)->block_reads;
		if (b)
			CHECK(lsm_stats(t)->bloom_false < 5000 / 20);
		lsm_free(t);
	}
	CHECK(reads[1] * 10 < reads[0]);
}

static void t_merge(void)
{
	struct lsm_entry newer[] = {{ik(1), iv(10)}, {ik(3), tomb}, {ik(5), iv(50)}};
	struct lsm_entry older[] = {{ik(1), iv(1)}, {ik(2), iv(2)}, {ik(3), iv(3)}, {ik(4), tomb}};
	const struct lsm_entry *runs[] = {newer, older};
	size_t lens[] = {3, 4};
	struct lsm_entry out[7];
	size_t n = lsm_merge(runs, lens, 2, 0, out);
	CHECK_INT(n, 5);
	CHECK(out[0].k.i == 1 && out[0].v.i == 10);
	CHECK(out[2].k.i == 3 && out[2].v.kind == LSM_TOMBSTONE);
	CHECK(out[3].k.i == 4 && out[3].v.kind == LSM_TOMBSTONE);
	n = lsm_merge(runs, lens, 2, 1, out);
	CHECK_INT(n, 3);
	CHECK(out[0].k.i == 1 && out[1].k.i == 2 && out[2].k.i == 5);
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

/* Out of memory: the failing write changes nothing; everything written
 * before it reads back. */
static void t_out_of_memory(void)
{
	struct account a = {{acc_charge, acc_credit, acc_stop, NULL}, 0, 200 << 10};
	struct budget *prev = budget_enter(&a.b);
	struct lsm_config c = {.memtable = 16, .policy = LSM_LEVELED, .ratio = 3, .level0 = 2,
			       .bloom_bits = 8, .block = 4};
	struct lsm *t = lsm_new(&c);
	CHECK(t);
	char v[64];
	memset(v, 'v', sizeof v);
	int i;
	for (i = 0; i < 1000000; i++)
		if (lsm_put(t, ik(i), (struct lsm_val){.kind = LSM_STR, .s = v, .len = sizeof v}) != 0)
			break;
	CHECK(i < 1000000);
	CHECK(structure_is(t, 0));
	a.limit = (size_t)1 << 40; /* room to look */
	CHECK_INT(lsm_live_keys(t), i);
	struct lsm_val got;
	for (int k = 0; k < i; k += 97)
		CHECK(lsm_get(t, ik(k), &got) && got.kind == LSM_STR && got.len == sizeof v);
	CHECK(!lsm_get(t, ik(i), &got));
	lsm_free(t);
	CHECK_INT(a.used, 0);
	budget_leave(prev);
}

static void t_bad_config(void)
{
	struct lsm_config c = {.memtable = 0, .policy = LSM_LEVELED, .ratio = 4, .level0 = 4,
			       .bloom_bits = 10, .block = 8};
	CHECK(lsm_new(&c) == NULL);
	c.memtable = 4;
	c.ratio = 1;
	CHECK(lsm_new(&c) == NULL);
}

static const struct test tests[] = {
	{"lsm/differential_1e5_ops", t_differential},
	{"lsm/policies_compared", t_policies_compared},
	{"lsm/space_and_tombstones", t_space_and_tombstones},
	{"lsm/bloom_saves_reads", t_bloom_saves_reads},
	{"lsm/merge", t_merge},
	{"lsm/out_of_memory", t_out_of_memory},
	{"lsm/bad_config", t_bad_config},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
