/*
 * Unit tests of engine/concepts/hll: Redis's PFCOUNT for n = 1 .. 100,000
 * (data/redis_pfcount.tsv) and its hash, register and run per element
 * (data/redis_elements.tsv); merge; the error over many seeds stays within
 * a few standard errors.
 */
#include <math.h>

#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/hll/hll.h"

#define DATA "tests/engine/concepts/hll/data/"

static void t_redis_counts(void)
{
	FILE *f = fopen(DATA "redis_pfcount.tsv", "r");
	CHECK(f);
	char line[256];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long n, want;
		if (line[0] == '#' || sscanf(line, "%lu %lu", &n, &want) != 2)
			continue;
		struct hll h;
		CHECK_INT(hll_init(&h, 14), 0);
		char el[32];
		for (unsigned long i = 0; i < n; i++) {
			int len = snprintf(el, sizeof el, "elem:%lu", i);
			hll_add(&h, el, (size_t)len);
		}
		CHECK_INT((long)hll_count(&h), (long)want);
		hll_free(&h);
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 10);
}

static void t_redis_elements(void)
{
	FILE *f = fopen(DATA "redis_elements.tsv", "r");
	CHECK(f);
	char line[256];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char *el = line, *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char hex[32];
		unsigned long idx;
		int run;
		CHECK_INT(sscanf(tab + 1, "%31s %lu %d", hex, &idx, &run), 3);
		char got[32];
		snprintf(got, sizeof got, "%016llx",
			 (unsigned long long)hll_murmur64a(el, strlen(el), HLL_SEED));
		CHECK_STR(got, hex);
		size_t gi;
		int gr;
		hll_position(el, strlen(el), 14, &gi, &gr);
		CHECK_INT((long)gi, (long)idx);
		CHECK_INT(gr, run);
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 7);
}

static void t_merge_and_error(void)
{
	struct hll a, b, c;
	CHECK_INT(hll_init(&a, 14), 0);
	CHECK_INT(hll_init(&b, 14), 0);
	CHECK_INT(hll_init(&c, 12), 0);
	char el[32];
	for (int i = 0; i < 30000; i++) {
		int len = snprintf(el, sizeof el, "k%d", i);
		hll_add(i < 20000 ? &a : &b, el, (size_t)len); /* 20,000 and 10,000 */
		if (i >= 15000)
			hll_add(&b, el, (size_t)len);          /* overlap 15,000-19,999 */
	}
	CHECK_INT(hll_merge(&a, &b), 0);
	uint64_t n = hll_count(&a);
	CHECK(n > 30000 * 0.97 && n < 30000 * 1.03); /* ~3.7 standard errors */
	CHECK_INT(hll_merge(&a, &c), -1);
	/* adding again changes nothing */
	CHECK_INT(hll_add(&a, "k1", 2), 0);
	hll_free(&a);
	hll_free(&b);
	hll_free(&c);
	/* 200 seeds of 10,000 elements at p = 10 (3.25 % standard error): the
	 * relative errors' root mean square is near 1.04 / sqrt(1024) */
	double sum2 = 0;
	for (int s = 0; s < 200; s++) {
		struct hll h;
		CHECK_INT(hll_init(&h, 10), 0);
		for (int i = 0; i < 10000; i++) {
			int len = snprintf(el, sizeof el, "s%d:%d", s, i);
			hll_add(&h, el, (size_t)len);
		}
		double e = ((double)hll_count(&h) - 10000) / 10000;
		sum2 += e * e;
		hll_free(&h);
	}
	double rmse = sqrt(sum2 / 200);
	printf("    p=10, n=10,000, 200 seeds: rms relative error %.4f (theory 0.0325)\n", rmse);
	CHECK(rmse > 0.025 && rmse < 0.040);
	CHECK_INT(budget_bytes(), 0);
}

static const struct test tests[] = {
	{"hll/redis_counts", t_redis_counts},
	{"hll/redis_elements", t_redis_elements},
	{"hll/merge_and_error", t_merge_and_error},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
