/*
 * Unit tests of engine/concepts/cachesim.c.
 *
 * Reference counts: the reference string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7
 * 0 1 with 3 frames gives 15 faults under FIFO, 12 under LRU and 9 under OPT
 * (the worked example of Silberschatz, Galvin & Gagne, "Operating System
 * Concepts", chapter on virtual memory); the string 1 2 3 4 1 2 5 1 2 3 4 5
 * gives FIFO 9 faults with 3 frames and 10 with 4 (Belady's anomaly: Belady,
 * Nelson & Shedler, CACM 12(6), 1969). Both were re-counted by hand and by an
 * independent Python model when this test was written.
 */
#include "unit.h"
#include "engine/concepts/cache/cache.h"
#include "engine/concepts/cache/cachesim.h"

static const uint32_t textbook[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
static const uint32_t anomaly[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

/* Hits of TRACE (keys shifted by one: cachesim keys start at 1). */
static int64_t hits(const uint32_t *t, size_t n, int policy, size_t size)
{
	uint32_t shifted[64];
	for (size_t i = 0; i < n; i++)
		shifted[i] = t[i] + 1;
	return cachesim_run(shifted, n, policy, size, 1, 0, NULL);
}

static void t_textbook(void)
{
	CHECK_INT(20 - hits(textbook, 20, CACHE_FIFO, 3), 15);
	CHECK_INT(20 - hits(textbook, 20, CACHE_LRU, 3), 12);
	CHECK_INT(20 - hits(textbook, 20, CACHESIM_OPT, 3), 9);
}

static void t_belady_anomaly(void)
{
	CHECK_INT(12 - hits(anomaly, 12, CACHE_FIFO, 3), 9);
	CHECK_INT(12 - hits(anomaly, 12, CACHE_FIFO, 4), 10); /* more memory, more faults */
	CHECK_INT(12 - hits(anomaly, 12, CACHE_LRU, 3), 10);
	CHECK_INT(12 - hits(anomaly, 12, CACHE_LRU, 4), 8);   /* LRU is a stack algorithm */
	CHECK_INT(12 - hits(anomaly, 12, CACHESIM_OPT, 3), 7);
	CHECK_INT(12 - hits(anomaly, 12, CACHESIM_OPT, 4), 6);
}

/*
 * A loop over c + 1 keys: LRU, FIFO and CLOCK (new keys enter with bit 0)
 * always evict the key needed next, so nothing hits. OPT misses the first
 * pass (c + 1), then once every c requests: with c = 3 and 40 requests,
 * 4 + 36 / 3 = 16 misses, 24 hits.
 */
static void t_loop(void)
{
	struct cachesim_params p = {CACHESIM_LOOP, 4, 0, 40, 0, 0, 1};
	uint32_t t[40];
	CHECK(cachesim_trace(&p, t) == 0);
	CHECK(t[0] == 1 && t[3] == 4 && t[4] == 1 && t[39] == 4);
	CHECK_INT(cachesim_run(t, 40, CACHE_LRU, 3, 1, 0, NULL), 0);
	CHECK_INT(cachesim_run(t, 40, CACHE_FIFO, 3, 1, 0, NULL), 0);
	CHECK_INT(cachesim_run(t, 40, CACHE_CLOCK, 3, 1, 0, NULL), 0);
	CHECK_INT(cachesim_run(t, 40, CACHESIM_OPT, 3, 1, 0, NULL), 24);
	CHECK_INT(cachesim_run(t, 40, CACHE_LRU, 4, 1, 0, NULL), 36); /* it fits */
}

static void t_scan(void)
{
	struct cachesim_params p = {CACHESIM_SCAN, 0, 0, 1000, 0, 0, 1};
	uint32_t t[1000];
	CHECK(cachesim_trace(&p, t) == 0);
	CHECK(t[0] == 1 && t[999] == 1000);
	for (int pol = 0; pol < CACHE_NPOLICIES; pol++)
		CHECK_INT(cachesim_run(t, 1000, pol, 100, 1, 0, NULL), 0);
	CHECK_INT(cachesim_run(t, 1000, CACHESIM_OPT, 100, 1, 0, NULL), 0);
}

static void t_mixed_layout(void)
{
	struct cachesim_params p = {CACHESIM_MIXED, 50, 1.0, 1000, 200, 30, 3};
	uint32_t t[1000];
	CHECK(cachesim_trace(&p, t) == 0);
	uint32_t fresh = 50;
	for (uint32_t i = 0; i < 1000; i++) {
		int in_scan = i >= 200 && i % 200 < 30;
		if (in_scan)
			CHECK_INT(t[i], ++fresh);    /* consecutive fresh keys */
		else
			CHECK(t[i] >= 1 && t[i] <= 50);
	}
	p.scan_length = 200;
	CHECK(cachesim_trace(&p, t) == -1); /* a scan must fit in its period */
}

static void t_zipf_determinism(void)
{
	static uint32_t a[20000], b[20000], c[20000];
	struct cachesim_params p = {CACHESIM_ZIPF, 1000, 1.0, 20000, 0, 0, 42};
	CHECK(cachesim_trace(&p, a) == 0);
	CHECK(cachesim_trace(&p, b) == 0);
	p.seed = 43;
	CHECK(cachesim_trace(&p, c) == 0);
	CHECK(memcmp(a, b, sizeof a) == 0);
	CHECK(memcmp(a, c, sizeof a) != 0);
	int count1 = 0, count2 = 0;
	for (int i = 0; i < 20000; i++) {
		CHECK(a[i] >= 1 && a[i] <= 1000);
		count1 += a[i] == 1;
		count2 += a[i] == 2;
	}
	/* P(1) = 1 / H(1000) ~ 0.1336, P(2) half of it */
	CHECK(count1 > 2400 && count1 < 2950);
	CHECK(count2 > 1150 && count2 < 1530);
	for (int pol = 0; pol < CACHE_NPOLICIES; pol++)
		CHECK(cachesim_run(a, 20000, pol, 50, 9, 0, NULL) ==
		      cachesim_run(b, 20000, pol, 50, 9, 0, NULL));
}

/* No online policy beats OPT; hits in windows add up to the total. */
static void t_opt_bounds_and_windows(void)
{
	static uint32_t t[30000], w[300];
	struct cachesim_params p = {CACHESIM_MIXED, 2000, 0.8, 30000, 5000, 1500, 5};
	CHECK(cachesim_trace(&p, t) == 0);
	for (size_t size = 10; size <= 1000; size *= 10) {
		int64_t opt = cachesim_run(t, 30000, CACHESIM_OPT, size, 1, 0, NULL);
		for (int pol = 0; pol < CACHE_NPOLICIES; pol++) {
			int64_t h = cachesim_run(t, 30000, pol, size, 1, 100, w);
			CHECK(h >= 0 && h <= opt);
			int64_t sum = 0;
			for (int i = 0; i < 300; i++)
				sum += w[i];
			CHECK_INT(sum, h);
		}
	}
}

static void t_bad_params(void)
{
	uint32_t t[10];
	struct cachesim_params p = {CACHESIM_ZIPF, 0, 1.0, 10, 0, 0, 1};
	CHECK(cachesim_trace(&p, t) == -1);  /* no keys */
	p.keys = 10;
	p.s = -1;
	CHECK(cachesim_trace(&p, t) == -1);
	p.s = 1;
	p.requests = 0;
	CHECK(cachesim_trace(&p, t) == -1);
	CHECK(cachesim_run(t, 0, CACHE_LRU, 0, 1, 0, NULL) == -1); /* size 0 */
	CHECK(cachesim_workload_parse("loop") == CACHESIM_LOOP);
	CHECK(cachesim_workload_parse("zip") == -1);
}

static const struct test tests[] = {
	{"cachesim/textbook", t_textbook},
	{"cachesim/belady_anomaly", t_belady_anomaly},
	{"cachesim/loop", t_loop},
	{"cachesim/scan", t_scan},
	{"cachesim/mixed_layout", t_mixed_layout},
	{"cachesim/zipf_determinism", t_zipf_determinism},
	{"cachesim/opt_bounds_and_windows", t_opt_bounds_and_windows},
	{"cachesim/bad_params", t_bad_params},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
