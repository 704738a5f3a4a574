/* Unit tests of engine/concepts/partition: balance, hot spots, and what
 * each scheme moves when nodes come and go. */
#include "unit.h"
#include "engine/concepts/partition/partition.h"

#include <math.h>

static struct part_move move(enum part_scheme s, uint32_t from, uint32_t to, uint64_t seed)
{
	struct part_config c = part_config_default();
	c.scheme = s;
	c.nodes = from;
	c.to = to;
	c.keys = 20000;
	c.seed = seed;
	c.vary = 1;
	c.split = 200000;
	struct part_move m;
	if (part_rebalance(&c, &m) != 0)
		m.fraction = -1;
	return m;
}

static void t_mod_moves_most(void)
{
	/* N -> N + 1 under mod moves about N / (N + 1) of the keys */
	for (uint32_t n = 2; n <= 9; n++) {
		struct part_move m = move(PART_MOD, n, n + 1, n);
		CHECK(fabs(m.fraction - (double)n / (n + 1)) < 0.03);
	}
}

static void t_fixed_ring_move_their_share(void)
{
	for (uint32_t n = 2; n <= 9; n++) {
		double ideal = 1.0 / (n + 1);
		struct part_move f = move(PART_FIXED, n, n + 1, n), r = move(PART_RING, n, n + 1, n);
		struct part_move d = move(PART_DYNAMIC, n, n + 1, n), t = move(PART_DIRECTORY, n, n + 1, n);
		CHECK(fabs(f.ideal - ideal) < 1e-12);
		CHECK(fabs(f.fraction - ideal) < 0.06);
		CHECK(fabs(r.fraction - ideal) < 0.06);
		CHECK(d.fraction > 0 && d.fraction < 2 * ideal);
		CHECK(fabs(t.fraction - ideal) < 0.01);
		/* and they end balanced */
		CHECK(f.max_mean_after < 1.25);
		CHECK(t.max_mean_after < 1.1); /* keys balanced; sizes vary */
		CHECK(d.max_mean_after < 1.5);
		/* removing a node moves what it held */
		struct part_move back = move(PART_FIXED, n + 1, n, n);
		CHECK(fabs(back.fraction - 1.0 / (n + 1)) < 0.06);
	}
}

static void t_dynamic_splits(void)
{
	struct part_config c = part_config_default();
	c.scheme = PART_DYNAMIC;
	c.keys = 50000;
	c.size = 100;        /* 5 MB */
	c.split = 500000;    /* partitions of at most 0.5 MB: at least 10 */
	struct part_load l;
	CHECK(part_load(&c, &l) == 0);
	CHECK(l.partitions >= 10 && l.partitions <= 40);
	CHECK(l.key_max_mean < 1.5);
	part_load_free(&l);
}

static void t_hot_spots(void)
{
	struct part_config c = part_config_default();
	c.nodes = 4;
	c.keys = 10000;
	struct part_load l;
	/* sequential keys: every new write on the last range */
	c.scheme = PART_RANGE;
	c.workload = PART_SEQUENTIAL;
	CHECK(part_load(&c, &l) == 0);
	CHECK(fabs(l.share[3] - 1.0) < 1e-9 && fabs(l.load_max_mean - 4.0) < 1e-9);
	CHECK(l.key_max_mean == 1.0);
	part_load_free(&l);
	/* ... which hashing spreads */
	c.scheme = PART_MOD;
	CHECK(part_load(&c, &l) == 0);
	CHECK(l.load_max_mean < 1.1);
	part_load_free(&l);
	/* a skewed workload: one key's share no scheme can split */
	c.workload = PART_ZIPF;
	c.zipf = 1.2;
	CHECK(part_load(&c, &l) == 0);
	CHECK(l.hottest > 0.15);
	CHECK(l.load_max_mean > 1.2);
	part_load_free(&l);
	c.scheme = PART_DIRECTORY;
	c.workload = PART_UNIFORM;
	CHECK(part_load(&c, &l) == 0);
	CHECK(l.key_max_mean == 1.0 && l.directory == 10000);
	part_load_free(&l);
}

static void t_checks(void)
{
	struct part_config c = part_config_default();
	c.scheme = PART_FIXED;
	c.partitions = 3;
	c.nodes = 4;
	CHECK(part_check(&c, 0) != NULL);
	struct part_move m;
	CHECK(part_rebalance(&c, &m) == -1);
}

static const struct test tests[] = {
	{"partition/mod_moves_most", t_mod_moves_most},
	{"partition/fixed_ring_move_their_share", t_fixed_ring_move_their_share},
	{"partition/dynamic_splits", t_dynamic_splits},
	{"partition/hot_spots", t_hot_spots},
	{"partition/checks", t_checks},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
