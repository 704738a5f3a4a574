/*
 * Unit tests of engine/concepts/bloom: no false negatives; the measured
 * false-positive rate of every row of bloom_fp_table.tsv (m/n from 2 to 32,
 * k from 1 to 8) within sampling error of the formula; the sizing anchor.
 */
#include "unit.h"
#include "engine/concepts/bloom/bloom.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

static struct bloom_key ik(int64_t i)
{
	return (struct bloom_key){.i = i};
}

static void t_no_false_negatives(void)
{
	struct bloom *b = bloom_new(1000, 5);
	char buf[32];
	for (int i = 0; i < 300; i++) {
		bloom_add(b, &(struct bloom_key){.i = i * 7919});
		snprintf(buf, sizeof buf, "key-%d", i);
		bloom_add(b, &(struct bloom_key){.s = buf, .len = strlen(buf)});
	}
	for (int i = 0; i < 300; i++) {
		CHECK(bloom_has(b, &(struct bloom_key){.i = i * 7919}));
		snprintf(buf, sizeof buf, "key-%d", i);
		CHECK(bloom_has(b, &(struct bloom_key){.s = buf, .len = strlen(buf)}));
	}
	CHECK(bloom_added(b) == 600);
	bloom_free(b);
}

/* The documented positions: (h1 + i h2) % m, h1 < 2^32, h2 odd. */
static void t_positions(void)
{
	struct bloom *b = bloom_new(97, 4);
	struct bloom_key k = {.s = "apple", .len = 5};
	uint64_t h1, h2;
	bloom_hash(&k, &h1, &h2);
	CHECK(h1 < ((uint64_t)1 << 32) && h2 < ((uint64_t)1 << 32) && (h2 & 1));
	bloom_add(b, &k);
	uint64_t ones = 0;
	for (uint64_t i = 0; i < 97; i++) {
		int want = 0;
		for (uint64_t j = 0; j < 4; j++)
			want |= (h1 + j * h2) % 97 == i;
		CHECK_INT(bloom_bit(b, i), want);
		ones += (uint64_t)want;
	}
	CHECK(bloom_ones(b) == ones);
	/* an integer and its decimal string are different keys */
	uint64_t a1, a2, s1, s2;
	bloom_hash(&(struct bloom_key){.i = 1}, &a1, &a2);
	bloom_hash(&(struct bloom_key){.s = "1", .len = 1}, &s1, &s2);
	CHECK(a1 != s1 || a2 != s2);
	bloom_free(b);
}

/* Every row of the table: the formula gives its value, and filters give
 * that rate within sampling error. */
static void t_fp_table(void)
{
	FILE *f = fopen("tests/engine/concepts/bloom/data/bloom_fp_table.tsv", "r");
	CHECK(f);
	char line[256];
	int rows = 0, bad = 0;
	struct rng r;
	rng_seed(&r, 2024);
	while (fgets(line, sizeof line, f)) {
		int ratio, k;
		double want;
		if (line[0] == '#' || sscanf(line, "%d\t%d\t%lf", &ratio, &k, &want) != 3)
			continue;
		rows++;
		const uint64_t n = 5000;
		double formula = bloom_fp_rate((uint64_t)ratio * n, k, n);
		if (fabs(formula - want) > 5e-6 * want) {
			printf("    m/n %d k %d: formula %.6g, table %.6g\n", ratio, k, formula, want);
			bad++;
		}
		/* three filters, 100,000 probes of keys never added */
		long fp = 0, probes = 0;
		for (int rep = 0; rep < 3; rep++) {
			struct bloom *b = bloom_new((uint64_t)ratio * n, k);
			for (uint64_t i = 0; i < n; i++)
				bloom_add(b, &(struct bloom_key){.i = (int64_t)(rng_next(&r) >> 1)});
			for (int i = 0; i < 33334; i++, probes++)
				fp += bloom_has(b, &(struct bloom_key){.i = -(int64_t)(rng_next(&r) >> 1) - 1});
			bloom_free(b);
		}
		double got = (double)fp / (double)probes;
		double sigma = sqrt(want * (1 - want) / (double)probes);
		/* 5 sigma of the probes, plus 3% for filter-to-filter spread */
		if (fabs(got - want) > 5 * sigma + 0.03 * want) {
			printf("    m/n %d k %d: measured %.6g, table %.6g (sigma %.2g)\n", ratio, k, got,
			       want, sigma);
			bad++;
		}
	}
	fclose(f);
	CHECK_INT(rows, 80);
	CHECK_INT(bad, 0);
}

/* The sizing anchor of the table's header: 10^6 keys at 1% need
 * 9,585,059 bits and 7 hashes. */
static void t_sizing_anchor(void)
{
	double m = ceil(-1e6 * log(0.01) / (log(2) * log(2)));
	CHECK(m == 9585059);
	CHECK(floor(m / 1e6 * log(2) + 0.5) == 7);
	CHECK(fabs(bloom_fp_rate(9585059, 7, 1000000) - 0.01) < 0.0005);
}

static void t_bad_arguments(void)
{
	CHECK(bloom_new(0, 3) == NULL);
	CHECK(bloom_new(10, 0) == NULL);
	CHECK(bloom_new(10, 65) == NULL);
	struct bloom *b = bloom_new(1, 1);
	CHECK(b);
	CHECK(!bloom_has(b, &(struct bloom_key){.i = 5}));
	bloom_add(b, &(struct bloom_key){.i = 5});
	CHECK(bloom_has(b, &(struct bloom_key){.i = 6})); /* one bit: everything matches */
	bloom_free(b);
	(void)ik;
}

static const struct test tests[] = {
	{"bloom/no_false_negatives", t_no_false_negatives},
	{"bloom/positions", t_positions},
	{"bloom/fp_table", t_fp_table},
	{"bloom/sizing_anchor", t_sizing_anchor},
	{"bloom/bad_arguments", t_bad_arguments},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
