/* Unit tests of engine/concepts/ratelimit.c. */
#include "unit.h"
#include "engine/concepts/rand/rand.h"
#include "engine/concepts/ratelimit/ratelimit.h"

#include <math.h>

static struct ratelimit *make(enum ratelimit_algorithm a, double rate, int64_t size,
			      double window)
{
	struct ratelimit_config c = {.algorithm = a, .rate = rate, .window = window};
	c.burst = c.capacity = c.limit = size;
	return ratelimit_new(&c, NULL);
}

static struct ratelimit_result last(const struct ratelimit *rl)
{
	struct ratelimit_result r;
	ratelimit_last(rl, &r);
	return r;
}

/*
 * One step of a hand-worked trace: allow(now, n) must say OK, leave
 * REMAINING and report RETRY (seconds; INFINITY = never). Prints what it got
 * when it differs.
 */
static int step(struct ratelimit *rl, double now, int64_t n, int ok, int64_t remaining,
		double retry)
{
	struct ratelimit_result r;
	int got = ratelimit_allow(rl, now, n, &r);
	int same = got == ok && r.remaining == remaining &&
		   (isinf(retry) ? isinf(r.retry_after) : fabs(r.retry_after - retry) < 1e-12);
	if (!same)
		printf("      at %g n=%lld: got %d remaining %lld retry %.12g, "
		       "want %d %lld %.12g\n",
		       now, (long long)n, got, (long long)r.remaining, r.retry_after, ok,
		       (long long)remaining, retry);
	return same && ratelimit_check(rl) == 0;
}

static void t_token_bucket_trace(void)
{
	/* rate 2 a second (a token every 0.5 s), burst 3, starts full */
	struct ratelimit *rl = make(RATELIMIT_TOKEN_BUCKET, 2, 3, 0);
	struct ratelimit_state st;
	CHECK(step(rl, 0, 1, 1, 2, 0));      /* 3 tokens -> 2 */
	CHECK(last(rl).reset_after == 0.5); /* one token to earn back */
	CHECK(step(rl, 0, 2, 1, 0, 0));      /* 2 -> 0 */
	CHECK(last(rl).reset_after == 1.5);
	CHECK(step(rl, 0, 1, 0, 0, 0.5));    /* empty: the next token comes in 0.5 s */
	CHECK(step(rl, 0.25, 1, 0, 0, 0.25)); /* half a token is not a token */
	ratelimit_state(rl, &st);
	CHECK(st.tokens == 0.5);             /* the refill happened even though denied */
	CHECK(step(rl, 0.5, 1, 1, 0, 0));    /* the token is whole exactly at 0.5: taken */
	CHECK(step(rl, 2.0, 4, 0, 3, INFINITY)); /* 1.5 s refill = 3 (full); 4 > burst: never */
	CHECK(step(rl, 2.0, 0, 1, 3, 0));    /* n = 0 always passes, takes nothing */
	CHECK(step(rl, 10, 3, 1, 0, 0));     /* 8 s idle, but the bucket holds only 3 */
	ratelimit_state(rl, &st);
	CHECK(st.tokens == 0 && st.allowed == 5 && st.denied == 3 && st.last == 10);
	ratelimit_free(rl);
}

static void t_leaky_bucket_trace(void)
{
	/* the same trace as a meter: rate 2 a second, capacity 3, starts empty;
	   the level is always capacity - tokens */
	struct ratelimit *rl = make(RATELIMIT_LEAKY_BUCKET, 2, 3, 0);
	struct ratelimit_state st;
	CHECK(step(rl, 0, 1, 1, 2, 0));      /* level 0 -> 1 */
	CHECK(step(rl, 0, 2, 1, 0, 0));      /* 1 -> 3: full */
	CHECK(step(rl, 0, 1, 0, 0, 0.5));    /* it takes 0.5 s to drain one unit */
	CHECK(step(rl, 0.25, 1, 0, 0, 0.25)); /* level 2.5: 2.5 + 1 > 3 */
	ratelimit_state(rl, &st);
	CHECK(st.level == 2.5);
	CHECK(step(rl, 0.5, 1, 1, 0, 0));    /* level 2 exactly: 2 + 1 <= 3 */
	CHECK(step(rl, 2.0, 4, 0, 3, INFINITY));
	CHECK(step(rl, 2.0, 0, 1, 3, 0));
	CHECK(step(rl, 10, 3, 1, 0, 0));
	ratelimit_free(rl);
}

static void t_leaky_queue_trace(void)
{
	/* rate 1 a second, capacity 2 places: an idle queue takes 3 at one instant */
	struct ratelimit *rl = make(RATELIMIT_LEAKY_QUEUE, 1, 2, 0);
	double rel[4];
	CHECK(step(rl, 0, 1, 1, 2, 0));      /* leaves at once: delay 0 */
	CHECK(last(rl).delay == 0);
	CHECK(step(rl, 0, 1, 1, 1, 0));      /* waits: released at 1 */
	CHECK(last(rl).delay == 1);
	CHECK(step(rl, 0, 1, 1, 0, 0));      /* released at 2 */
	CHECK(last(rl).delay == 2);
	CHECK(ratelimit_times(rl, rel, 4) == 2 && rel[0] == 1 && rel[1] == 2);
	CHECK(step(rl, 0, 1, 0, 0, 1));      /* two waiting = capacity: a place frees at 1 */
	CHECK(step(rl, 1, 1, 1, 0, 0));      /* at 1 the first waiting one has left */
	CHECK(last(rl).delay == 2); /* released at 3 */
	CHECK(ratelimit_times(rl, rel, 4) == 2 && rel[0] == 2 && rel[1] == 3);
	CHECK(step(rl, 1.5, 1, 0, 0, 0.5));  /* full until 2 */
	CHECK(step(rl, 10, 4, 0, 3, INFINITY)); /* more than capacity + 1: never */
	CHECK(step(rl, 10, 3, 1, 0, 0));     /* idle: 3 at once, the last leaves at 12 */
	CHECK(last(rl).delay == 2 && last(rl).limit == 3);
	ratelimit_free(rl);
}

static void t_fixed_window_trace(void)
{
	/* 3 units per window of 1 s: windows [0,1), [1,2), ... */
	struct ratelimit *rl = make(RATELIMIT_FIXED_WINDOW, 0, 3, 1);
	struct ratelimit_state st;
	CHECK(step(rl, 0.2, 1, 1, 2, 0));
	CHECK(step(rl, 0.5, 2, 1, 0, 0));    /* window 0 full */
	CHECK(last(rl).reset_after == 0.5);
	CHECK(step(rl, 0.999, 1, 0, 0, 0.001)); /* denied until the edge */
	CHECK(step(rl, 1.0, 1, 1, 2, 0));    /* exactly at the edge: the new window */
	CHECK(step(rl, 1.0, 2, 1, 0, 0));    /* 5 allowed within [0.5, 1.0]: the 2x burst */
	CHECK(step(rl, 1.5, 1, 0, 0, 0.5));
	CHECK(step(rl, 3.7, 1, 1, 2, 0));    /* window 3; windows 2 was never seen */
	ratelimit_state(rl, &st);
	CHECK(st.window_start == 3 && st.count == 1);
	CHECK(step(rl, 3.7, 4, 0, 2, INFINITY));
	ratelimit_free(rl);
}

static void t_sliding_log_trace(void)
{
	/* 3 units in any 1 s: an entry at t counts against calls in [t, t + 1) */
	struct ratelimit *rl = make(RATELIMIT_SLIDING_LOG, 0, 3, 1);
	double log[3];
	CHECK(step(rl, 0.2, 1, 1, 2, 0));    /* log 0.2 */
	CHECK(step(rl, 0.5, 2, 1, 0, 0));    /* log 0.2 0.5 0.5 */
	CHECK(last(rl).reset_after == 1); /* the newest leaves at 1.5 */
	CHECK(step(rl, 1.0, 1, 0, 0, 0.2));  /* full; 0.2 expires at 1.2 */
	CHECK(step(rl, 1.2, 1, 1, 0, 0));    /* exactly at 1.2 it has expired */
	CHECK(ratelimit_times(rl, log, 3) == 3 && log[0] == 0.5 && log[2] == 1.2);
	CHECK(step(rl, 1.3, 2, 0, 0, 0.2));  /* needs both 0.5s gone: at 1.5 */
	CHECK(step(rl, 1.5, 2, 1, 0, 0));    /* log 1.2 1.5 1.5 */
	CHECK(ratelimit_times(rl, log, 3) == 3 && log[0] == 1.2 && log[1] == 1.5);
	CHECK(step(rl, 9, 4, 0, 3, INFINITY)); /* all expired; 4 > limit: never */
	ratelimit_free(rl);
}

static void t_sliding_window_trace(void)
{
	/* limit 10 per window of 1 s; estimate = previous * (1 - e) + current,
	   with e the time into the current window */
	struct ratelimit *rl = make(RATELIMIT_SLIDING_WINDOW, 0, 10, 1);
	struct ratelimit_state st;
	CHECK(step(rl, 0.5, 8, 1, 2, 0));    /* window 0: 8 */
	CHECK(step(rl, 1.25, 4, 1, 0, 0));   /* window 1: 8 * 0.75 = 6, + 4 = 10 <= 10 */
	ratelimit_state(rl, &st);
	CHECK(st.previous == 8 && st.count == 4 && st.weight == 0.75 && st.estimate == 10);
	/* one more needs 8 * (1 - e) <= 10 - 4 - 1 = 5: e >= 0.375, i.e. at 1.375 */
	CHECK(step(rl, 1.25, 1, 0, 0, 0.125));
	CHECK(step(rl, 1.375, 1, 1, 0, 0));  /* exactly 5 + 4 + 1 = 10: allowed */
	/* at 1.5: 8 * 0.5 + 5 = 9; 2 more need 8 * (1 - e) <= 3: e >= 0.625 */
	CHECK(step(rl, 1.5, 2, 0, 1, 0.125));
	/* window 2: previous 5, e = 0.5: 2.5 + 7 = 9.5 <= 10; 0.5 left rounds down to 0 */
	CHECK(step(rl, 2.5, 7, 1, 0, 0));
	/* one more: 5 * (1 - e) <= 2 holds from e = 0.6 */
	CHECK(step(rl, 2.5, 1, 0, 0, 0.1));
	/* 11 > limit: never; at 5.0 two windows have passed: estimate 0 */
	CHECK(step(rl, 5.0, 11, 0, 10, INFINITY));
	ratelimit_state(rl, &st);
	CHECK(st.previous == 0 && st.count == 0 && st.estimate == 0);
	ratelimit_free(rl);
}

/*
 * The redis-cell trace (tests/engine/concepts/ratelimit/data/gcra_redis_cell.tsv):
 * GCRA at 1 a second with burst 5. redis-cell's -1 for retry_after means
 * "not limited" (our 0) or "can never pass" (our INFINITY).
 */
static void t_gcra_redis_cell(void)
{
	FILE *f = fopen("tests/engine/concepts/ratelimit/data/gcra_redis_cell.tsv", "r");
	CHECK(f != NULL);
	struct ratelimit *rl = make(RATELIMIT_GCRA, 1, 5, 0);
	char line[256];
	int cases = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		int id, limited;
		long long now_ms, qty, limit, remaining, reset_ms, retry_ms;
		if (sscanf(line, "%d %lld %lld %d %lld %lld %lld %lld", &id, &now_ms, &qty,
			   &limited, &limit, &remaining, &reset_ms, &retry_ms) != 8)
			continue;
		struct ratelimit_result r;
		int ok = ratelimit_allow(rl, (double)now_ms / 1000, qty, &r);
		int never = r.retry_after == 0 || isinf(r.retry_after);
		double retry = never ? -1 : r.retry_after * 1000;
		if (ok != !limited || r.limit != limit || r.remaining != remaining ||
		    llround(r.reset_after * 1000) != reset_ms || llround(retry) != retry_ms) {
			printf("      case %d: got %d %lld %lld %.3f %.3f\n", id, !ok,
			       (long long)r.limit, (long long)r.remaining, r.reset_after * 1000,
			       retry);
			CHECK(0);
		}
		CHECK(ratelimit_check(rl) == 0);
		cases++;
	}
	fclose(f);
	CHECK_INT(cases, 15);
	ratelimit_free(rl);
}

static void t_boundaries_and_errors(void)
{
	for (int a = 0; a < RATELIMIT_NALGORITHMS; a++) {
		struct ratelimit *rl = make((enum ratelimit_algorithm)a, 4, 3, 1);
		struct ratelimit_result r;
		int64_t lim = a == RATELIMIT_LEAKY_QUEUE ? 4 : 3;
		/* n = 0 passes even before anything else; n > limit never does */
		CHECK(ratelimit_allow(rl, 5, 0, &r) == 1 && r.remaining == lim);
		CHECK(ratelimit_allow(rl, 5, lim + 1, &r) == 0 && isinf(r.retry_after));
		CHECK(ratelimit_allow(rl, 5, INT64_MAX, &r) == 0 && isinf(r.retry_after));
		CHECK(ratelimit_allow(rl, 5, lim, &r) == 1 && r.remaining == 0);
		/* errors change nothing */
		struct ratelimit_state before, after;
		ratelimit_state(rl, &before);
		CHECK(ratelimit_allow(rl, 4.999, 1, NULL) == RATELIMIT_EBACKWARDS);
		CHECK(ratelimit_allow(rl, NAN, 1, NULL) == RATELIMIT_ETIME);
		CHECK(ratelimit_allow(rl, 2e9, 1, NULL) == RATELIMIT_ETIME);
		CHECK(ratelimit_allow(rl, 6, -1, NULL) == RATELIMIT_ECOUNT);
		CHECK(ratelimit_peek(rl, 4, 1, NULL) == RATELIMIT_EBACKWARDS);
		ratelimit_state(rl, &after);
		CHECK(memcmp(&before, &after, sizeof before) == 0);
		/* the same time again is fine */
		CHECK(ratelimit_allow(rl, 5, 1, &r) == 0);
		CHECK(ratelimit_check(rl) == 0);
		ratelimit_reset(rl);
		ratelimit_state(rl, &after);
		CHECK(!after.started && after.allowed == 0);
		CHECK(ratelimit_allow(rl, 0, lim, &r) == 1); /* time forgotten, idle again */
		ratelimit_free(rl);
	}
}

static void t_config_errors(void)
{
	struct ratelimit_config c = {.algorithm = RATELIMIT_TOKEN_BUCKET, .rate = 0, .burst = 1};
	const char *err = NULL;
	CHECK(ratelimit_new(&c, &err) == NULL && strstr(err, "rate"));
	c.rate = 1e-6;
	c.burst = 100000; /* 1e11 s to refill */
	CHECK(ratelimit_new(&c, &err) == NULL && strstr(err, "burst/rate"));
	c.burst = 0;
	c.rate = 1;
	CHECK(ratelimit_new(&c, &err) == NULL && strstr(err, "burst"));
	c = (struct ratelimit_config){.algorithm = RATELIMIT_SLIDING_LOG, .limit = 20000000,
				      .window = 1};
	CHECK(ratelimit_new(&c, &err) == NULL && strstr(err, "1e7"));
	c.limit = 5;
	c.window = 0;
	CHECK(ratelimit_new(&c, &err) == NULL && strstr(err, "window"));
	c = (struct ratelimit_config){.algorithm = RATELIMIT_LEAKY_QUEUE, .rate = 1, .capacity = 0};
	struct ratelimit *rl = ratelimit_new(&c, &err); /* no places: one at a time */
	CHECK(rl != NULL);
	CHECK(ratelimit_allow(rl, 0, 1, NULL) == 1 && ratelimit_allow(rl, 0.5, 1, NULL) == 0);
	CHECK(ratelimit_allow(rl, 1, 1, NULL) == 1);
	ratelimit_free(rl);
	enum ratelimit_algorithm a;
	CHECK(ratelimit_algorithm_parse("gcra", &a) == 0 && a == RATELIMIT_GCRA);
	CHECK(ratelimit_algorithm_parse("leaky", &a) == -1);
	CHECK_STR(ratelimit_algorithm_name(RATELIMIT_SLIDING_WINDOW), "sliding_window");
}

/* A random configuration of algorithm A, and times on a 1 ms grid. */
static struct ratelimit *random_limiter(struct rng *r, enum ratelimit_algorithm a)
{
	static const double rates[] = {0.5, 1, 2, 3, 10, 1000};
	static const double windows[] = {0.1, 0.25, 1, 3, 60};
	return make(a, rates[rng_below(r, 6)], rng_range(r, 1, 8), windows[rng_below(r, 5)]);
}

static double random_gap(struct rng *r)
{
	switch (rng_below(r, 4)) {
	case 0:
		return 0; /* same instant */
	case 1:
		return (double)rng_range(r, 1, 50) / 1000;
	case 2:
		return (double)rng_range(r, 1, 2000) / 1000;
	default:
		return (double)rng_range(r, 1, 200) / 10;
	}
}

/* Nanoseconds to seconds. */
static double at(int64_t ns)
{
	return (double)ns / 1e9;
}

/*
 * For every algorithm, after random calls: the invariants hold (tokens in
 * [0, burst], counters in [0, limit], the log sorted and bounded), and the
 * details mean what they say:
 *  - remaining: a call of `remaining` units at the same instant passes, one
 *    more unit does not;
 *  - retry_after (when denied): the same call passes that much later and not
 *    one nanosecond sooner;
 *  - reset_after: by then a full burst (`limit` units) passes, and not one
 *    nanosecond sooner.
 */
static void t_random_semantics(void)
{
	struct rng r;
	rng_seed(&r, 2024);
	for (int a = 0; a < RATELIMIT_NALGORITHMS; a++) {
		for (int round = 0; round < 40; round++) {
			struct ratelimit *rl = random_limiter(&r, (enum ratelimit_algorithm)a);
			int64_t ms = rng_range(&r, 0, 100000); /* now, in ms */
			for (int i = 0; i < 300; i++) {
				ms += llround(random_gap(&r) * 1000);
				double now = (double)ms / 1000;
				int64_t lim = last(rl).limit ? last(rl).limit : 1;
				int64_t n = rng_range(&r, 0, lim + 1);
				struct ratelimit_result res, p;
				int ok = ratelimit_allow(rl, now, n, &res);
				CHECK(ok == 0 || ok == 1);
				CHECK(ratelimit_check(rl) == 0);
				lim = res.limit;
				CHECK(res.remaining >= 0 && res.remaining <= lim);
				CHECK(ratelimit_peek(rl, now, res.remaining, &p) == 1);
				CHECK(ratelimit_peek(rl, now, res.remaining + 1, &p) == 0);
				int64_t t0 = ms * 1000000;
				if (!ok && n <= lim) {
					int64_t retry = llround(res.retry_after * 1e9);
					CHECK(retry > 0);
					CHECK(ratelimit_peek(rl, at(t0 + retry), n, &p) == 1);
					CHECK(ratelimit_peek(rl, at(t0 + retry - 1), n, &p) == 0);
				}
				if (!ok && n > lim)
					CHECK(isinf(res.retry_after));
				int64_t reset = llround(res.reset_after * 1e9);
				CHECK(ratelimit_peek(rl, at(t0 + reset), lim, &p) == 1);
				if (reset > 0)
					CHECK(ratelimit_peek(rl, at(t0 + reset - 1), lim, &p) == 0);
			}
			ratelimit_free(rl);
		}
	}
}

/*
 * The same random calls to a token bucket, a leaky bucket (meter) and GCRA
 * with the same rate and size get the same answers: three views of one
 * algorithm. A leaky queue with capacity c answers as a meter of c + 1.
 */
static void t_equivalences(void)
{
	struct rng r;
	rng_seed(&r, 7);
	for (int round = 0; round < 50; round++) {
		static const double rates[] = {0.5, 1, 3, 7, 100};
		double rate = rates[rng_below(&r, 5)];
		int64_t size = rng_range(&r, 1, 6);
		struct ratelimit *tb = make(RATELIMIT_TOKEN_BUCKET, rate, size, 0);
		struct ratelimit *lb = make(RATELIMIT_LEAKY_BUCKET, rate, size, 0);
		struct ratelimit *gc = make(RATELIMIT_GCRA, rate, size, 0);
		struct ratelimit *lq = make(RATELIMIT_LEAKY_QUEUE, rate, size - 1, 0);
		double now = 0;
		for (int i = 0; i < 500; i++) {
			now += random_gap(&r) / rate;
			int64_t n = rng_range(&r, 0, size + 1);
			struct ratelimit_result a, b, c, d;
			int x = ratelimit_allow(tb, now, n, &a);
			CHECK(ratelimit_allow(lb, now, n, &b) == x);
			CHECK(ratelimit_allow(gc, now, n, &c) == x);
			CHECK(ratelimit_allow(lq, now, n, &d) == x);
			CHECK(a.remaining == b.remaining && a.remaining == c.remaining &&
			      a.remaining == d.remaining);
			CHECK(a.retry_after == b.retry_after && a.retry_after == c.retry_after &&
			      a.retry_after == d.retry_after);
			CHECK(a.reset_after == b.reset_after && a.reset_after == c.reset_after);
		}
		ratelimit_free(tb);
		ratelimit_free(lb);
		ratelimit_free(gc);
		ratelimit_free(lq);
	}
}

/*
 * The window algorithms against brute force over the list of allowed units:
 * the sliding log allows iff fewer than limit - n + 1 units lie in
 * (now - W, now]; the fixed window iff fewer than that lie in now's window.
 */
static void t_windows_brute_force(void)
{
	struct rng r;
	rng_seed(&r, 99);
	int64_t *units = malloc(200000 * sizeof *units);
	CHECK(units != NULL);
	for (int round = 0; round < 30; round++) {
		int64_t limit = rng_range(&r, 1, 10);
		int64_t wms = rng_range(&r, 1, 3000); /* window in ms */
		struct ratelimit *log = make(RATELIMIT_SLIDING_LOG, 0, limit, (double)wms / 1000);
		struct ratelimit *fix = make(RATELIMIT_FIXED_WINDOW, 0, limit, (double)wms / 1000);
		size_t nlog = 0, nfix = 0;
		int64_t *fixed = units + 100000, ms = 0;
		for (int i = 0; i < 2000; i++) {
			ms += rng_range(&r, 0, wms / 2 + 1);
			int64_t n = rng_range(&r, 0, limit);
			int64_t in_log = 0, in_win = 0;
			for (size_t k = 0; k < nlog; k++)
				in_log += units[k] > ms - wms;
			for (size_t k = 0; k < nfix; k++)
				in_win += fixed[k] / wms == ms / wms;
			int want_log = in_log + n <= limit, want_fix = in_win + n <= limit;
			CHECK(ratelimit_allow(log, (double)ms / 1000, n, NULL) == want_log);
			CHECK(ratelimit_allow(fix, (double)ms / 1000, n, NULL) == want_fix);
			CHECK(ratelimit_check(log) == 0 && ratelimit_check(fix) == 0);
			for (int64_t k = 0; want_log && k < n; k++)
				units[nlog++] = ms;
			for (int64_t k = 0; want_fix && k < n; k++)
				fixed[nfix++] = ms;
		}
		ratelimit_free(log);
		ratelimit_free(fix);
	}
	free(units);
}

/* Huge windows and counts take the 128-bit path of the sliding window. */
static void t_sliding_window_large(void)
{
	/* 1e9 units per window of 1e8 s: products of 1e26 need 128 bits */
	struct ratelimit *rl = make(RATELIMIT_SLIDING_WINDOW, 0, 1000000000, 1e8);
	CHECK(ratelimit_allow(rl, 0, 1000000000, NULL) == 1);
	struct ratelimit_result res;
	CHECK(ratelimit_allow(rl, 1.25e7, 1, &res) == 0); /* still window 0 */
	/* next window, a quarter in: 1e9 * 0.75 = 7.5e8 carried over, 2.5e8 free */
	CHECK(ratelimit_allow(rl, 1e8 + 2.5e7, 250000000, &res) == 1);
	CHECK(res.remaining == 0);
	CHECK(ratelimit_allow(rl, 1e8 + 2.5e7, 1, &res) == 0);
	CHECK(res.retry_after == 0.1); /* 1e9 units slide out over 1e8 s: one per 0.1 s */
	CHECK(ratelimit_check(rl) == 0);
	ratelimit_free(rl);
	/* tiny: a window of 1 ns */
	rl = make(RATELIMIT_SLIDING_WINDOW, 0, 3, 1e-9);
	CHECK(ratelimit_allow(rl, 1, 3, NULL) == 1);
	CHECK(ratelimit_allow(rl, 1, 1, &res) == 0 && res.retry_after == 2e-9);
	ratelimit_free(rl);
}

static const struct test tests[] = {
	{"ratelimit/token_bucket_trace", t_token_bucket_trace},
	{"ratelimit/leaky_bucket_trace", t_leaky_bucket_trace},
	{"ratelimit/leaky_queue_trace", t_leaky_queue_trace},
	{"ratelimit/fixed_window_trace", t_fixed_window_trace},
	{"ratelimit/sliding_log_trace", t_sliding_log_trace},
	{"ratelimit/sliding_window_trace", t_sliding_window_trace},
	{"ratelimit/gcra_redis_cell", t_gcra_redis_cell},
	{"ratelimit/boundaries_and_errors", t_boundaries_and_errors},
	{"ratelimit/config_errors", t_config_errors},
	{"ratelimit/random_semantics", t_random_semantics},
	{"ratelimit/equivalences", t_equivalences},
	{"ratelimit/windows_brute_force", t_windows_brute_force},
	{"ratelimit/sliding_window_large", t_sliding_window_large},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
