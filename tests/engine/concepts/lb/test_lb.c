/* Unit tests of engine/concepts/lb/lbpick.c and lbsim.c. */
#include "unit.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/lb/lbpick.h"
#include "engine/concepts/lb/lbsim.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

static struct lbpick *picker(enum lb_strategy s, const int *weights, size_t n)
{
	static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	struct lbpick_backend b[8];
	for (size_t i = 0; i < n; i++)
		b[i] = (struct lbpick_backend){names[i], weights ? weights[i] : 1, 0};
	return lbpick_new(s, b, n, 1, 0.5);
}

/* nginx's smooth weighted round robin: weights 5,1,1 give a a b a c a a. */
static void t_swrr_sequence(void)
{
	static const int w[] = {5, 1, 1};
	struct lbpick *p = picker(LB_SWRR, w, 3);
	const char *want = "aabacaaaabacaa";
	for (int k = 0; want[k]; k++) {
		int i = lbpick_pick(p, NULL);
		CHECK(i >= 0);
		CHECK_INT(*lbpick_name(p, (size_t)i), want[k]);
		CHECK(lbpick_check(p) == 0); /* current weights sum to 0 */
		CHECK(lbpick_done(p, (size_t)i, 0.001) == 0);
	}
	CHECK_INT(lbpick_current_weight(p, 0), 0); /* back to the start after 7 */
	lbpick_free(p);
}

static void t_rr_and_lc(void)
{
	struct lbpick *p = picker(LB_RR, NULL, 3);
	CHECK(lbpick_pick(p, NULL) == 0 && lbpick_pick(p, NULL) == 1 && lbpick_pick(p, NULL) == 2);
	CHECK(lbpick_pick(p, NULL) == 0);
	lbpick_mark(p, 1, 0);
	CHECK(lbpick_pick(p, NULL) == 2 && lbpick_pick(p, NULL) == 0); /* skips b */
	CHECK(lbpick_fail(p, 1) == 0 && lbpick_fail(p, 1) == -1);      /* nothing outstanding */
	lbpick_free(p);

	static const int w[] = {1, 2, 1};
	p = picker(LB_LC, w, 3);
	/* all idle: ties rotate a, b, c; then b (weight 2) has room for a second */
	CHECK(lbpick_pick(p, NULL) == 0);
	CHECK(lbpick_pick(p, NULL) == 1);
	CHECK(lbpick_pick(p, NULL) == 2);
	CHECK(lbpick_pick(p, NULL) == 1); /* 1/2 < 1/1 */
	CHECK(lbpick_done(p, 0, 0.1) == 0);
	CHECK(lbpick_pick(p, NULL) == 0); /* a is idle again */
	CHECK(lbpick_check(p) == 0);
	lbpick_free(p);
}

/* lrt: ewma * (outstanding + 1) / weight, untried backends first. */
static void t_lrt(void)
{
	struct lbpick *p = picker(LB_LRT, NULL, 2);
	CHECK(lbpick_pick(p, NULL) == 0 && lbpick_pick(p, NULL) == 1); /* both untried */
	lbpick_done(p, 0, 0.100);
	lbpick_done(p, 1, 0.010);
	CHECK(fabs(lbpick_ewma(p, 0) - 0.100) < 1e-12); /* the first sample sets it */
	/* b: 0.010 * (k + 1) stays below a's 0.100 until k = 9 outstanding */
	for (int k = 0; k < 9; k++)
		CHECK(lbpick_pick(p, NULL) == 1);
	CHECK(lbpick_pick(p, NULL) == 0);
	lbpick_done(p, 1, 0.030); /* alpha 0.5: 0.010 + 0.5 * 0.020 */
	CHECK(fabs(lbpick_ewma(p, 1) - 0.020) < 1e-12);
	CHECK(lbpick_done(p, 1, -1) == -1);
	CHECK(lbpick_check(p) == 0);
	lbpick_free(p);
}

static void t_p2c_random(void)
{
	struct lbpick *p = picker(LB_P2C, NULL, 2);
	for (int k = 0; k < 5; k++)
		CHECK(lbpick_pick(p, NULL) >= 0);
	/* with two backends both are always drawn: the less loaded wins */
	int64_t a = lbpick_outstanding(p, 0), b = lbpick_outstanding(p, 1);
	CHECK(a + b == 5 && (a - b == 1 || b - a == 1));
	lbpick_free(p);

	static const int w[] = {3, 1};
	p = picker(LB_RANDOM, w, 2);
	int count = 0;
	for (int k = 0; k < 40000; k++) {
		int i = lbpick_pick(p, NULL);
		count += i == 0;
		lbpick_fail(p, (size_t)i);
	}
	CHECK(fabs(count / 40000.0 - 0.75) < 0.01);
	lbpick_free(p);
}

static void t_keyed(void)
{
	struct lbpick *p = picker(LB_IPHASH, NULL, 4);
	struct lb_key k;
	char buf[16];
	for (int c = 1; c <= 200; c++) {
		int len = snprintf(buf, sizeof buf, "%d", c);
		lb_key_make(&k, buf, (size_t)len);
		CHECK(lbpick_pick(p, &k) == (int)(chash_hash64(buf, (size_t)len) % 4));
	}
	lbpick_mark(p, 2, 0);
	for (int c = 1; c <= 200; c++) {
		int len = snprintf(buf, sizeof buf, "%d", c);
		lb_key_make(&k, buf, (size_t)len);
		int want = (int)(chash_hash64(buf, (size_t)len) % 4);
		CHECK(lbpick_pick(p, &k) == (want == 2 ? 3 : want)); /* the next one up */
	}
	lbpick_free(p);

	/* chash agrees with a ketama ring of the same names; a backend marked
	 * down gives its keys to the next point clockwise, the rest stay */
	p = picker(LB_CHASH, NULL, 4);
	struct hashring *r = hashring_new(160);
	const char *names[] = {"a", "b", "c", "d"};
	for (int i = 0; i < 4; i++)
		hashring_add(r, names[i], 1, 1.0);
	int before[300];
	for (int c = 0; c < 300; c++) {
		int len = snprintf(buf, sizeof buf, "%d", c);
		lb_key_make(&k, buf, (size_t)len);
		before[c] = lbpick_pick(p, &k);
		CHECK(before[c] == hashring_lookup_key(r, buf, (size_t)len));
	}
	lbpick_mark(p, 1, 0);
	hashring_remove(r, "b", 1);
	for (int c = 0; c < 300; c++) {
		int len = snprintf(buf, sizeof buf, "%d", c);
		lb_key_make(&k, buf, (size_t)len);
		int now = lbpick_pick(p, &k);
		if (before[c] != 1)
			CHECK(now == before[c]);
		int want = hashring_lookup_key(r, buf, (size_t)len); /* index in a,c,d */
		CHECK(now == (want >= 1 ? want + 1 : want));
	}
	hashring_free(r);
	lbpick_free(p);
}

/* Active-passive: the backup takes traffic only while no primary is up. */
static void t_backup(void)
{
	struct lbpick_backend b[] = {{"main", 1, 0}, {"standby", 1, 1}};
	struct lbpick *p = lbpick_new(LB_RR, b, 2, 1, 0.1);
	for (int k = 0; k < 5; k++)
		CHECK(lbpick_pick(p, NULL) == 0);
	lbpick_mark(p, 0, 0);
	CHECK(lbpick_pick(p, NULL) == 1);
	lbpick_mark(p, 1, 0);
	CHECK(lbpick_pick(p, NULL) == -1 && lbpick_eligible(p) == 0);
	lbpick_mark(p, 0, 1);
	CHECK(lbpick_pick(p, NULL) == 0);
	CHECK(lbpick_check(p) == 0);
	lbpick_free(p);
	struct lbpick_backend dup[] = {{"x", 1, 0}, {"x", 1, 0}};
	CHECK(lbpick_new(LB_RR, dup, 2, 1, 0.1) == NULL);
	CHECK(lbpick_new(LB_RR, b, 0, 1, 0.1) == NULL);
}

/* Random operations on every strategy keep the invariants. */
static void t_random_ops(void)
{
	static const int w[] = {3, 1, 2, 5, 1};
	struct rng g;
	rng_seed(&g, 99);
	for (int s = LB_RR; s <= LB_CHASH; s++) {
		struct lbpick *p = picker((enum lb_strategy)s, w, 5);
		for (int step = 0; step < 3000; step++) {
			uint64_t op = rng_below(&g, 10);
			size_t i = (size_t)rng_below(&g, 5);
			if (op < 5) {
				struct lb_key k = {rng_next(&g), (uint32_t)rng_next(&g)};
				lbpick_pick(p, &k);
			} else if (op < 7) {
				lbpick_done(p, i, rng_uniform(&g));
			} else if (op < 9) {
				lbpick_fail(p, i);
			} else {
				lbpick_mark(p, i, (int)rng_below(&g, 2));
			}
			CHECK(lbpick_check(p) == 0);
		}
		lbpick_free(p);
	}
}

static struct lbsim_config base(struct lbsim_backend *b, size_t n)
{
	return (struct lbsim_config){.strategy = LB_P2C, .backends = b, .nbackends = n, .rate = 1000,
				     .requests = 50000, .seed = 5, .clients = 100, .alpha = 0.1,
				     .bucket = 1, .fall = 3, .rise = 2, .audit = 1};
}

static void t_sim_determinism_conservation(void)
{
	struct lbsim_backend b[] = {
		{"a", 2, 0, 4, 8, {LB_DIST_EXP, 0.004, 0, 0, 0}},
		{"b", 1, 0, 2, -1, {LB_DIST_BIMODAL, 0.003, 0, 0.05, 0.05}},
		{"c", 1, 0, 3, 0, {LB_DIST_NORMAL, 0.005, 0.002, 0, 0}},
		{"d", 1, 1, 8, -1, {LB_DIST_CONST, 0.002, 0, 0, 0}},
	};
	struct lbsim_event ev[] = {{5, 0, 1}, {8, 1, 1}, {9, 2, 1}, {12, 0, 0}, {14, 2, 0}, {30, 1, 0}};
	for (int s = LB_RR; s <= LB_CHASH; s++) {
		struct lbsim_config c = base(b, 4);
		c.strategy = (enum lb_strategy)s;
		c.events = ev;
		c.nevents = 6;
		c.health_interval = 0.5;
		c.client_skew = s % 2 ? 1.1 : 0;
		struct lbsim_report r1, r2;
		CHECK(lbsim_run(&c, &r1) == 0 && lbsim_run(&c, &r2) == 0);
		CHECK_INT(r1.audit_ok, 1); /* every request ended exactly once */
		CHECK(r1.completed + r1.failed + r1.rejected + r1.unavailable == 50000);
		uint64_t routed = 0, ended = 0;
		for (size_t i = 0; i < 4; i++) {
			routed += r1.backend[i].routed;
			ended += r1.backend[i].completed + r1.backend[i].failed + r1.backend[i].rejected;
			CHECK(r1.backend[i].utilisation >= 0 && r1.backend[i].utilisation <= 1 + 1e-9);
		}
		CHECK(routed == ended && routed + r1.unavailable == 50000);
		uint64_t sc = 0, se = 0;
		for (size_t k = 0; k < r1.nbuckets; k++)
			sc += r1.bucket_completed[k], se += r1.bucket_errors[k];
		CHECK(sc == r1.completed && se == r1.failed + r1.rejected + r1.unavailable);
		/* the same seed gives the same report */
		CHECK(r1.completed == r2.completed && r1.failed == r2.failed && r1.p99 == r2.p99 &&
		      r1.mean == r2.mean && r1.nmarks == r2.nmarks && r1.duration == r2.duration);
		for (size_t i = 0; i < 4; i++)
			CHECK(r1.backend[i].routed == r2.backend[i].routed &&
			      r1.backend[i].busy == r2.backend[i].busy);
		CHECK(r1.p50 <= r1.p95 && r1.p95 <= r1.p99 && r1.p99 <= r1.max);
		lbsim_report_free(&r1);
		lbsim_report_free(&r2);
	}
	/* a different seed gives a different run */
	struct lbsim_config c = base(b, 4);
	struct lbsim_report r1, r2;
	lbsim_run(&c, &r1);
	c.seed = 6;
	lbsim_run(&c, &r2);
	CHECK(r1.mean != r2.mean);
	lbsim_report_free(&r1);
	lbsim_report_free(&r2);
}

/* One M/M/1 backend: mean time in system 1/(mu - lambda), utilisation
 * lambda/mu, and the percentiles of an exponential sojourn time. */
static void t_sim_mm1(void)
{
	struct lbsim_backend b[] = {{"solo", 1, 0, 1, -1, {LB_DIST_EXP, 0.010, 0, 0, 0}}};
	struct lbsim_config c = base(b, 1);
	c.rate = 70;
	c.requests = 400000;
	c.seed = 1;
	struct lbsim_report r;
	CHECK(lbsim_run(&c, &r) == 0);
	double w = 1 / (100.0 - 70.0);
	CHECK(fabs(r.mean - w) / w < 0.05);
	/* the sojourn time is exponential with rate mu - lambda: quantile q is
	 * -ln(1 - q) / (mu - lambda) */
	CHECK(fabs(r.p50 - w * log(2)) / (w * log(2)) < 0.05);
	CHECK(fabs(r.p95 - w * log(20)) / (w * log(20)) < 0.06);
	CHECK(fabs(r.p99 - w * log(100)) / (w * log(100)) < 0.08);
	CHECK(fabs(r.backend[0].utilisation - 0.7) < 0.01);
	CHECK(fabs(r.throughput - 70) < 1);
	lbsim_report_free(&r);
}

/* One server, no waiting room: an M/M/1/1 loss system; the share rejected is
 * Erlang's B formula for one server, rho / (1 + rho). */
static void t_sim_erlang_b(void)
{
	struct lbsim_backend b[] = {{"solo", 1, 0, 1, 0, {LB_DIST_EXP, 0.010, 0, 0, 0}}};
	struct lbsim_config c = base(b, 1);
	c.rate = 50;
	c.requests = 200000;
	struct lbsim_report r;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK(fabs((double)r.rejected / 200000 - 1.0 / 3) < 0.01);
	CHECK_INT(r.audit_ok, 1);
	CHECK(r.backend[0].max_queue == 0);
	lbsim_report_free(&r);
}

/* Down at 10.5 with checks every second and fall 3: failures at 11, 12, 13,
 * marked down at 13; back at 20.5 with rise 2: marked up at 22. Requests
 * sent there in between fail; after the mark none do. */
static void t_sim_health(void)
{
	struct lbsim_backend b[] = {
		{"a", 1, 0, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
		{"b", 1, 0, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
	};
	struct lbsim_event ev[] = {{10.5, 1, 1}, {20.5, 1, 0}};
	struct lbsim_config c = base(b, 2);
	c.strategy = LB_RR;
	c.rate = 1000;
	c.requests = 30000;
	c.events = ev;
	c.nevents = 2;
	c.health_interval = 1;
	struct lbsim_report r;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK_INT(r.nmarks, 2);
	CHECK(r.marks[0].backend == 1 && !r.marks[0].up && r.marks[0].at == 13);
	CHECK(r.marks[1].backend == 1 && r.marks[1].up && r.marks[1].at == 22);
	/* round robin sends half of 2.5 s of traffic (about 1250) to the dead one */
	CHECK(r.failed > 1100 && r.failed < 1400);
	for (size_t k = 14; k < 30 && k < r.nbuckets; k++)
		CHECK(r.bucket_errors[k] == 0);
	CHECK(r.bucket_errors[11] > 400);
	CHECK_INT(r.audit_ok, 1);
	lbsim_report_free(&r);

	/* without health checks the balancer keeps sending: 10 s of half the traffic */
	c.health_interval = 0;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK_INT(r.nmarks, 0);
	CHECK(r.failed > 4700 && r.failed < 5300);
	lbsim_report_free(&r);

	/* active-passive: the backup serves only while the primary is marked down */
	struct lbsim_backend ap[] = {
		{"primary", 1, 0, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
		{"standby", 1, 1, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
	};
	struct lbsim_event ev2[] = {{10.5, 0, 1}};
	c = base(ap, 2);
	c.strategy = LB_RR;
	c.requests = 30000;
	c.events = ev2;
	c.nevents = 1;
	c.health_interval = 1;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK(r.nmarks == 1 && r.marks[0].at == 13);
	/* 2.5 s of all traffic failed, then the standby took the rest (~17 s) */
	CHECK(r.failed > 2300 && r.failed < 2700);
	CHECK(r.backend[1].completed > 16000 && r.backend[1].completed < 18500);
	lbsim_report_free(&r);
}

/* Passive health: b dies at 10.5 and returns at 20.5; three failures in a
 * row eject it for 2, then 4, then 6 s (the multiplier); each return costs
 * three more failures until it is really back. */
static void t_sim_outlier(void)
{
	struct lbsim_backend b[] = {
		{"a", 1, 0, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
		{"b", 1, 0, 50, -1, {LB_DIST_CONST, 0.001, 0, 0, 0}},
	};
	struct lbsim_event ev[] = {{10.5, 1, 1}, {20.5, 1, 0}};
	struct lbsim_config c = base(b, 2);
	c.strategy = LB_RR;
	c.requests = 30000;
	c.events = ev;
	c.nevents = 2;
	c.outlier_consecutive = 3;
	c.outlier_ejection = 2;
	c.outlier_max_percent = 50;
	struct lbsim_report r;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK_INT(r.nejections, 3);
	for (size_t k = 0; k < 3; k++) {
		CHECK(r.ejections[k].backend == 1 && r.ejections[k].at >= 10.5);
		CHECK(fabs(r.ejections[k].until - r.ejections[k].at - 2.0 * (double)(k + 1)) < 1e-9);
		if (k > 0) /* back, and ejected again within a few requests */
			CHECK(r.ejections[k].at - r.ejections[k - 1].until < 0.01);
	}
	CHECK(r.ejections[2].until > 20.5);
	CHECK(r.failed >= 9 && r.failed <= 10); /* 3 per ejection, maybe one in flight */
	CHECK_INT(r.backend[1].ejections, 3);
	CHECK_INT(r.audit_ok, 1);
	lbsim_report_free(&r);

	/* with health checks too (marked down at 13, up at 22): ejected at 10.5
	 * and again at its return at 12.5; after that the mark keeps it out */
	c.health_interval = 1;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK_INT(r.nejections, 2);
	CHECK(r.failed >= 6 && r.failed <= 7);
	for (size_t k = 13; k < 22 && k < r.nbuckets; k++)
		CHECK(r.bucket_errors[k] == 0);
	lbsim_report_free(&r);

	/* the cap: of four dead backends, at most one (10%, but one always may)
	 * is ejected at any moment */
	struct lbsim_backend four[4];
	for (int i = 0; i < 4; i++)
		four[i] = (struct lbsim_backend){(const char *[]){"w", "x", "y", "z"}[i], 1, 0, 50,
						 -1, {LB_DIST_CONST, 0.001, 0, 0, 0}};
	struct lbsim_event all[] = {{5, 0, 1}, {5, 1, 1}, {5, 2, 1}, {5, 3, 1}};
	c = base(four, 4);
	c.strategy = LB_RR;
	c.requests = 20000;
	c.events = all;
	c.nevents = 4;
	c.outlier_consecutive = 2;
	c.outlier_ejection = 1;
	c.outlier_max_percent = 10;
	CHECK(lbsim_run(&c, &r) == 0);
	CHECK(r.nejections >= 2);
	for (size_t k = 1; k < r.nejections; k++)
		CHECK(r.ejections[k].at >= r.ejections[k - 1].until);
	CHECK_INT(r.audit_ok, 1);
	lbsim_report_free(&r);
}

static void t_sim_validate(void)
{
	struct lbsim_backend b[] = {{"a", 1, 0, 1, -1, {LB_DIST_EXP, 0.010, 0, 0, 0}}};
	struct lbsim_config c = base(b, 1);
	struct lbsim_report r;
	CHECK(lbsim_validate(&c) == NULL);
	c.rate = 0;
	CHECK(lbsim_validate(&c) != NULL && lbsim_run(&c, &r) == -1);
	c = base(b, 1);
	b[0].service.mean = 0; /* exp needs a positive mean */
	CHECK(lbsim_validate(&c) != NULL);
	b[0].service.mean = 0.01;
	b[0].capacity = 0;
	CHECK(lbsim_validate(&c) != NULL);
	b[0].capacity = 1;
	struct lbsim_event ev = {1, 3, 1};
	c.events = &ev;
	c.nevents = 1;
	CHECK(lbsim_validate(&c) != NULL);
	c = base(b, 1);
	c.outlier_consecutive = 3; /* needs a positive ejection time */
	CHECK(lbsim_validate(&c) != NULL);
	c.outlier_ejection = 1;
	c.outlier_max_percent = 101;
	CHECK(lbsim_validate(&c) != NULL);
	c.outlier_max_percent = 10;
	CHECK(lbsim_validate(&c) == NULL);
}

static const struct test tests[] = {
	{"lbpick/swrr_sequence", t_swrr_sequence},
	{"lbpick/rr_and_lc", t_rr_and_lc},
	{"lbpick/lrt", t_lrt},
	{"lbpick/p2c_random", t_p2c_random},
	{"lbpick/keyed", t_keyed},
	{"lbpick/backup", t_backup},
	{"lbpick/random_ops", t_random_ops},
	{"lbsim/determinism_conservation", t_sim_determinism_conservation},
	{"lbsim/mm1", t_sim_mm1},
	{"lbsim/erlang_b", t_sim_erlang_b},
	{"lbsim/health", t_sim_health},
	{"lbsim/outlier", t_sim_outlier},
	{"lbsim/validate", t_sim_validate},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
