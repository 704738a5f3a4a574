/* Unit tests of engine/base/stats: sorting and nearest-rank quantiles. */
#include "unit.h"
#include "engine/base/stats.h"

#include <math.h>

static void t_sort(void)
{
	double v[] = {3, -1, 2.5, 0, 3, -7};
	stats_sort(v, 6);
	for (int i = 1; i < 6; i++)
		CHECK(v[i - 1] <= v[i]);
	CHECK(v[0] == -7 && v[5] == 3);
	stats_sort(NULL, 0);            /* nothing to sort, no pointer needed */
}

/* Nearest rank: the ceil(p n)-th smallest. Of 1..10, p50 is 5, p90 9,
 * p91 10, p0 the smallest; none of an empty list. */
static void t_rank(void)
{
	double v[10];
	for (int i = 0; i < 10; i++)
		v[i] = i + 1;
	CHECK(stats_rank(v, 10, 0.50) == 5);
	CHECK(stats_rank(v, 10, 0.90) == 9);
	CHECK(stats_rank(v, 10, 0.91) == 10);
	CHECK(stats_rank(v, 10, 0.0) == 1);
	CHECK(stats_rank(v, 10, 1.0) == 10);
	CHECK(stats_rank(v, 1, 0.99) == 1);
	CHECK(isnan(stats_rank(v, 0, 0.5)));
}

static const struct test tests[] = {
	{"stats/sort", t_sort},
	{"stats/rank", t_rank},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
