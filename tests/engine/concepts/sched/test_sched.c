/*
 * Unit tests of engine/concepts/sched: NodeResourcesFit's scores worked by
 * hand (kube-scheduler's integer division, the non-zero defaults), the
 * balanced score, PodTopologySpread worked by hand, kube-scheduler's
 * pending message, quantities, and a brute-force cross-check on small
 * random clusters: every pick is a best node by an independent scorer,
 * requests never pass allocatable, and nothing places more pods than the
 * best assignment found by trying them all.
 */
#include <math.h>

#include "unit.h"
#include "engine/concepts/sched/sched.h"

static const struct sched_config plain = {SCHED_LEAST, {1, 0, 0, 0}, 1, 1};

static struct sched_podspec pod(int64_t cpu, int64_t mem)
{
	return (struct sched_podspec){.name = "p", .cpu = cpu, .mem = mem, .lim_cpu = -1,
				      .lim_mem = -1};
}

static void t_fit_by_hand(void)
{
	/* 4 cores, 8 GiB; 1 core and 2 GiB requested with the pod's:
	 * least: cpu (4000-1000)*100/4000 = 75, mem 75 -> 75;
	 * most:  cpu 1000*100/4000 = 25, mem 25 -> 25. */
	int64_t g = 1024LL * 1024 * 1024;
	CHECK_INT(sched_fit_score(SCHED_LEAST, 4000, 8 * g, 1000, 2 * g), 75);
	CHECK_INT(sched_fit_score(SCHED_MOST, 4000, 8 * g, 1000, 2 * g), 25);
	/* integer division at each step: cpu 333*100/1000 = 33, mem
	 * (3000-1000)*100/3000 = 66.67 -> 66; (33 + 66) / 2 = 49 (not 50). */
	CHECK_INT(sched_fit_score(SCHED_MOST, 1000, 3000, 333, 2000), 49);
	CHECK_INT(sched_fit_score(SCHED_LEAST, 1000, 3000, 333, 1000), (66 + 66) / 2);
	/* requested above capacity: least gives 0, most caps at 100 */
	CHECK_INT(sched_fit_score(SCHED_LEAST, 100, 100, 150, 50), (0 + 50) / 2);
	CHECK_INT(sched_fit_score(SCHED_MOST, 100, 100, 150, 50), (100 + 50) / 2);
	/* balanced: 2000/4000 = 0.5 and 2/8 = 0.25, std 0.125 -> 87 */
	CHECK_INT(sched_balanced_score(4000, 8 * g, 2000, 2 * g), 87);
	CHECK_INT(sched_balanced_score(4000, 8 * g, 2000, 4 * g), 100);
}

static void t_nonzero_defaults(void)
{
	/* a pod with no requests counts 100m and 200 MiB for scoring: on a
	 * 1000m, 1000 MiB node, least = ((900*100/1000) + (800*100/1000)) / 2 = 85 */
	struct sched_nodespec n = {"n", 1000, 1000LL * 1024 * 1024, 110, NULL, 0};
	struct sched s;
	CHECK_INT(sched_init(&s, &plain, &n, 1), 0);
	struct sched_podspec p = pod(-1, -1);
	int err;
	CHECK_INT(sched_explain(&s, &p, &err), 0);
	CHECK_INT(s.eval[0].fit, 85);
	/* an explicit 0 is not defaulted: least 100 */
	p = pod(0, 0);
	sched_explain(&s, &p, &err);
	CHECK_INT(s.eval[0].fit, 100);
	/* placed, the no-request pod adds nothing to requests but counts in
	 * the non-zero sums the next pod is scored against */
	long node;
	p = pod(-1, -1);
	CHECK_INT(sched_submit(&s, &p, &node), 0);
	CHECK_INT(s.nodes[0].req_cpu, 0);
	CHECK_INT(s.nodes[0].nz_cpu, 100);
	p = pod(100, 100LL * 1024 * 1024);
	sched_explain(&s, &p, &err);
	CHECK_INT(s.eval[0].fit, (80 + 70) / 2);
	sched_free(&s);
}

static void t_pending_message(void)
{
	struct sched_nodespec n[3] = {{"a", 1000, 1000, 110, NULL, 0},
				      {"b", 1000, 1000, 110, NULL, 0},
				      {"c", 3000, 1000, 1, NULL, 0}};
	struct sched s;
	CHECK_INT(sched_init(&s, &plain, n, 3), 0);
	long node;
	struct sched_podspec p = pod(500, 500);
	CHECK_INT(sched_submit(&s, &p, &node), 0);
	CHECK_INT(node, 2);                  /* c: (83 + 50) / 2 = 66 beats 50 */
	p = pod(2000, 2000);
	CHECK_INT(sched_submit(&s, &p, &node), 0);
	CHECK_INT(node, -1);
	/* a and b: cpu and memory; c: memory and its one pod. Sorted as
	 * strings, as kube-scheduler's FitError does. */
	CHECK_STR(s.pods[1].reason, "0/3 nodes are available: 1 Too many pods, "
				    "2 Insufficient cpu, 3 Insufficient memory.");
	size_t placed;
	CHECK_INT(sched_remove(&s, "p"), 1); /* the first p: frees c */
	CHECK_INT(sched_retry(&s, &placed), 0);
	CHECK_INT(placed, 0);
	CHECK_STR(s.pods[0].reason, "0/3 nodes are available: 2 Insufficient cpu, "
				    "3 Insufficient memory.");
	size_t evicted;
	CHECK_INT(sched_fail(&s, 0, &evicted), 0);
	CHECK_INT(sched_fail(&s, 1, &evicted), 0);
	CHECK_INT(sched_fail(&s, 2, &evicted), 0);
	CHECK_INT(sched_retry(&s, &placed), 0);
	CHECK_STR(s.pods[0].reason, "no nodes available to schedule pods");
	sched_free(&s);
}

static void t_spread_by_hand(void)
{
	/* n1, n2 in zone a, n3 in zone b; two pods of app web on n1. With
	 * the system defaults (hostname maxSkew 3, zone maxSkew 5): weights
	 * ln(3 + 2) and ln(2 + 2); raw n1 = 2 ln5 + 2 + 2 ln4 + 4 = 11.99 ->
	 * 12, n2 = 2 + 2 ln4 + 4 = 8.77 -> 9, n3 = 6; normalised 100 * (12 +
	 * 6 - s) / 12 = 50, 75, 100. */
	struct sched_label za = {"zone", "a"}, zb = {"zone", "b"};
	struct sched_nodespec n[3] = {{"n1", 4000, 4000, 110, &za, 1},
				      {"n2", 4000, 4000, 110, &za, 1},
				      {"n3", 4000, 4000, 110, &zb, 1}};
	struct sched_config cfg = {SCHED_LEAST, {0, 0, 1, 0}, 7, 1};
	struct sched s;
	CHECK_INT(sched_init(&s, &cfg, n, 3), 0);
	struct sched_label on1 = {"hostname", "n1"};
	struct sched_podspec p = pod(100, 100);
	p.app = "web";
	p.selector = &on1;
	p.nselector = 1;
	long node;
	for (int i = 0; i < 2; i++) {
		CHECK_INT(sched_submit(&s, &p, &node), 0);
		CHECK_INT(node, 0);
	}
	p.selector = NULL;
	p.nselector = 0;
	int err;
	CHECK_INT(sched_explain(&s, &p, &err), 2);
	CHECK_INT(s.eval[0].spread, 50);
	CHECK_INT(s.eval[1].spread, 75);
	CHECK_INT(s.eval[2].spread, 100);
	/* an explicit constraint on a key n3 lacks: n3 is ignored (0) */
	struct sched_spread rack = {"rack", 1};
	p.spread = &rack;
	p.nspread = 1;
	sched_explain(&s, &p, &err);
	CHECK_INT(s.eval[2].spread, 0);
	sched_free(&s);
}

static void t_quantities(void)
{
	int64_t v;
	CHECK(sched_quantity("500m", 1, &v) == 0 && v == 500);
	CHECK(sched_quantity("2", 1, &v) == 0 && v == 2000);
	CHECK(sched_quantity("1.5", 1, &v) == 0 && v == 1500);
	CHECK(sched_quantity("0.1", 1, &v) == 0 && v == 100);
	CHECK(sched_quantity("256Mi", 0, &v) == 0 && v == 268435456);
	CHECK(sched_quantity("1G", 0, &v) == 0 && v == 1000000000);
	CHECK(sched_quantity("1.5Gi", 0, &v) == 0 && v == 1610612736);
	CHECK(sched_quantity("500m", 0, &v) == -1);
	CHECK(sched_quantity("2Gi", 1, &v) == -1);
	CHECK(sched_quantity("", 1, &v) == -1);
	CHECK(sched_quantity("-1", 1, &v) == -1);
	CHECK(sched_quantity("99999999999Ti", 0, &v) == -1);
}

/* ---- brute force ---- */

#define BN 4
#define BP 7

struct inst {
	int nn, np;
	int64_t cpu[BN], mem[BN], pc[BP], pm[BP];
};

static int best;

/* Tries every assignment of pods i.. to a node or none. */
static void brute(const struct inst *in, int i, int placed, int64_t *fc, int64_t *fm)
{
	if (placed + (in->np - i) <= best)
		return;
	if (i == in->np) {
		best = placed;
		return;
	}
	for (int k = 0; k < in->nn; k++)
		if (in->pc[i] <= fc[k] && in->pm[i] <= fm[k]) {
			fc[k] -= in->pc[i];
			fm[k] -= in->pm[i];
			brute(in, i + 1, placed + 1, fc, fm);
			fc[k] += in->pc[i];
			fm[k] += in->pm[i];
		}
	brute(in, i + 1, placed, fc, fm);
}

/* An independent NodeResourcesFit score, in doubles then floored. */
static int64_t ref_score(int most, int64_t a, int64_t r)
{
	if (most)
		return (int64_t)floor(100.0 * (double)(r > a ? a : r) / (double)a);
	return r > a ? 0 : (int64_t)floor(100.0 * (double)(a - r) / (double)a);
}

static void t_brute_force(void)
{
	struct rng r;
	rng_seed(&r, 2026);
	for (int round = 0; round < 300; round++) {
		struct inst in = {.nn = (int)rng_range(&r, 1, BN), .np = (int)rng_range(&r, 1, BP)};
		struct sched_nodespec ns[BN];
		char names[BN][16];
		for (int k = 0; k < in.nn; k++) {
			in.cpu[k] = rng_range(&r, 1, 8) * 500;
			in.mem[k] = rng_range(&r, 1, 8) * 512;
			snprintf(names[k], sizeof names[k], "n%d", k);
			ns[k] = (struct sched_nodespec){names[k], in.cpu[k], in.mem[k], 110, NULL, 0};
		}
		struct sched_config cfg = {(enum sched_strategy)(round & 1), {1, 0, 0, 0},
					   (uint64_t)round, 1};
		struct sched s;
		CHECK_INT(sched_init(&s, &cfg, ns, (size_t)in.nn), 0);
		int placed = 0;
		for (int i = 0; i < in.np; i++) {
			in.pc[i] = rng_range(&r, 1, 6) * 250;
			in.pm[i] = rng_range(&r, 1, 6) * 256;
			struct sched_podspec p = pod(in.pc[i], in.pm[i]);
			int err;
			long want = sched_explain(&s, &p, &err);
			int64_t top = -1;
			for (int k = 0; k < in.nn; k++) {
				const struct sched_node *n = &s.nodes[k];
				int fits = n->req_cpu + in.pc[i] <= n->cpu && n->req_mem + in.pm[i] <= n->mem;
				CHECK_INT(s.eval[k].fits, fits);
				if (!fits)
					continue;
				int64_t sc = (ref_score(round & 1, n->cpu, n->nz_cpu + in.pc[i]) +
					      ref_score(round & 1, n->mem, n->nz_mem + in.pm[i])) / 2;
				CHECK_INT(s.eval[k].total, sc);
				top = sc > top ? sc : top;
			}
			long node;
			CHECK_INT(sched_submit(&s, &p, &node), 0);
			CHECK_INT(node, want);
			CHECK(node < 0 ? top < 0 : s.eval[node].total == top);
			placed += node >= 0;
		}
		for (int k = 0; k < in.nn; k++)
			CHECK(s.nodes[k].req_cpu <= in.cpu[k] && s.nodes[k].req_mem <= in.mem[k]);
		int64_t fc[BN], fm[BN];
		memcpy(fc, in.cpu, sizeof fc);
		memcpy(fm, in.mem, sizeof fm);
		best = 0;
		brute(&in, 0, 0, fc, fm);
		CHECK(placed <= best);
		sched_free(&s);
	}
}

static void t_fragmentation(void)
{
	struct sched_nodespec n[2] = {{"a", 4000, 4000, 110, NULL, 0},
				      {"b", 4000, 4000, 110, NULL, 0}};
	struct sched s;
	CHECK_INT(sched_init(&s, &plain, n, 2), 0);
	long node;
	struct sched_podspec p = pod(2500, 1000);
	sched_submit(&s, &p, &node);
	sched_submit(&s, &p, &node);        /* one on each: 1500 cpu free on both */
	struct sched_frag f;
	CHECK_INT(sched_frag(&s, 2000, 1000, &f), 0);
	CHECK_INT(f.free_cpu, 3000);
	CHECK_INT(f.largest_cpu, 1500);
	CHECK_INT(f.fits, 0);                /* 3000 free, yet no 2000m pod fits */
	CHECK_INT(f.stranded_cpu, 3000);
	CHECK_INT(sched_frag(&s, 1000, 1000, &f), 0);
	CHECK_INT(f.fits, 2);
	CHECK_INT(f.stranded_cpu, 1000);
	CHECK_INT(f.stranded_mem, 2 * 3000 - 2 * 1000);
	CHECK_INT(sched_frag(&s, 0, 0, &f), 0);
	CHECK_INT(f.stranded_cpu, 0);        /* nothing pending */
	p = pod(2000, 100);
	sched_submit(&s, &p, &node);
	CHECK_INT(node, -1);
	CHECK_INT(sched_frag(&s, 0, 0, &f), 0);
	CHECK_INT(f.stranded_cpu, 3000);
	CHECK_INT(f.nodes_used, 2);
	sched_free(&s);
}

static const struct test tests[] = {
	{"sched/fit_by_hand", t_fit_by_hand},
	{"sched/nonzero_defaults", t_nonzero_defaults},
	{"sched/pending_message", t_pending_message},
	{"sched/spread_by_hand", t_spread_by_hand},
	{"sched/quantities", t_quantities},
	{"sched/brute_force", t_brute_force},
	{"sched/fragmentation", t_fragmentation},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
