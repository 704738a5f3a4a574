/* ratelimit.c — seven rate limiters on integer nanoseconds; see ratelimit.h. */
#include "engine/concepts/ratelimit/ratelimit.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEVER INT64_MAX       /* a retry time for requests that can never pass */
#define MAX_SPAN 1000000000000000000 /* ns (1e9 s): longest burst/rate or window */

/*
 * A decision in nanoseconds, before it is turned into a ratelimit_result.
 * Remaining is kept as a quotient (floor(num / den)) and divided only when
 * the details are asked for: a 64-bit division costs more than the rest of
 * a token bucket's decision.
 */
struct verdict {
	int64_t remaining_num, remaining_den, retry, reset, delay;
};

/*
 * A limiter. Times and durations are int64 nanoseconds: T is the interval
 * between units at the nominal rate (1/rate), W the window, SIZE the largest
 * request ever allowed (burst, capacity, capacity + 1 or limit).
 *
 * Invariants (ratelimit_check), with LAST the time of the last call:
 *  - token_bucket:   0 <= credit <= size*T, where credit = tokens * T
 *  - leaky_bucket:   0 <= level <= size*T, where level = units * T
 *  - gcra:           tat - last <= size*T (redis-cell's tolerance)
 *  - leaky_queue:    tat - last <= size*T, i.e. at most capacity waiting
 *  - fixed_window:   0 <= count <= limit; last lies in window `win`
 *  - sliding_window: 0 <= count, prev <= limit; last lies in window `win`;
 *                    prev * (W - e)/W + count <= limit (e: last - win*W)
 *  - sliding_log:    len <= limit; the times are non-decreasing and lie in
 *                    (last - W, last]
 * and allowed + denied is the number of calls (started iff it is > 0).
 */
struct ratelimit {
	struct ratelimit_config cfg;
	const struct algo *algo;
	int64_t T, W, size;
	int started;
	int64_t last;
	int64_t credit;   /* token_bucket */
	int64_t level;    /* leaky_bucket */
	int64_t tat;      /* gcra, leaky_queue */
	int64_t win;      /* fixed_window, sliding_window: current window index */
	int64_t count;    /* fixed_window, sliding_window: units this window */
	int64_t prev;     /* sliding_window: units in window win - 1 */
	int64_t *log;     /* sliding_log: ring buffer of `size` times */
	size_t head, len;
	uint64_t allowed, denied;
	/* the last call, kept in nanoseconds: converted only when asked for */
	int last_ok;
	int64_t last_n;
	double last_now;
	struct verdict last_v;
};

/*
 * One function per algorithm: decides whether N units pass at NOW (>= last),
 * fills *V, and updates the limiter only if COMMIT is set (peek passes 0, and
 * then nothing is written).
 */
typedef int decide_fn(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
		      int commit);

static decide_fn token_bucket, leaky_bucket, leaky_queue, fixed_window, sliding_log,
	sliding_window, gcra;

static const struct algo {
	const char *name;
	unsigned params;
	decide_fn *decide;
} algos[RATELIMIT_NALGORITHMS] = {
	[RATELIMIT_TOKEN_BUCKET] = {"token_bucket", RATELIMIT_P_RATE | RATELIMIT_P_BURST,
				    token_bucket},
	[RATELIMIT_LEAKY_BUCKET] = {"leaky_bucket", RATELIMIT_P_RATE | RATELIMIT_P_CAPACITY,
				    leaky_bucket},
	[RATELIMIT_LEAKY_QUEUE] = {"leaky_queue", RATELIMIT_P_RATE | RATELIMIT_P_CAPACITY,
				   leaky_queue},
	[RATELIMIT_FIXED_WINDOW] = {"fixed_window", RATELIMIT_P_LIMIT | RATELIMIT_P_WINDOW,
				    fixed_window},
	[RATELIMIT_SLIDING_LOG] = {"sliding_log", RATELIMIT_P_LIMIT | RATELIMIT_P_WINDOW,
				   sliding_log},
	[RATELIMIT_SLIDING_WINDOW] = {"sliding_window", RATELIMIT_P_LIMIT | RATELIMIT_P_WINDOW,
				      sliding_window},
	[RATELIMIT_GCRA] = {"gcra", RATELIMIT_P_RATE | RATELIMIT_P_BURST, gcra},
};

/* floor(a / b) for b > 0, rounding towards minus infinity. */
static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/*
 * floor(a * b / d) or, with UP, ceil(a * b / d), for a, b >= 0, d > 0, when
 * the quotient fits in 63 bits. The product may need 128 bits (a count times
 * a window in ns), so it is formed from 32-bit halves and divided bit by bit
 * when it does not fit in 64.
 */
static int64_t muldiv(int64_t a, int64_t b, int64_t d, int up)
{
	uint64_t a0 = (uint32_t)a, a1 = (uint64_t)a >> 32;
	uint64_t b0 = (uint32_t)b, b1 = (uint64_t)b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
	uint64_t lo = (mid << 32) | (uint32_t)p00;
	uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	uint64_t q, r, ud = (uint64_t)d;
	if (hi == 0) {
		q = lo / ud;
		r = lo % ud;
	} else { /* hi < d because the quotient fits */
		q = 0;
		r = hi;
		for (int i = 63; i >= 0; i--) {
			uint64_t carry = r >> 63;
			r = (r << 1) | ((lo >> i) & 1);
			q <<= 1;
			if (carry || r >= ud) {
				r -= ud;
				q |= 1;
			}
		}
	}
	return (int64_t)(q + (up && r != 0));
}

/*
 * Token bucket: CREDIT is the tokens in the bucket times T (the time it
 * takes to earn them), so refilling is adding the elapsed time, capped at a
 * full bucket. A request takes N*T of credit or is denied.
 */
static int token_bucket(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
			int commit)
{
	int64_t full = rl->size * rl->T;
	int64_t credit = rl->started ? rl->credit + (now - rl->last) : full;
	if (credit > full)
		credit = full;
	int ok = n <= rl->size && credit >= n * rl->T;
	if (ok)
		credit -= n * rl->T;
	v->retry = ok ? 0 : n > rl->size ? NEVER : n * rl->T - credit;
	v->remaining_num = credit;
	v->remaining_den = rl->T;
	v->reset = full - credit;
	v->delay = 0;
	if (commit)
		rl->credit = credit;
	return ok;
}

/*
 * Leaky bucket as a meter: LEVEL is the units in the bucket times T (the time
 * it takes them to drain), so draining is subtracting the elapsed time. A
 * request pours N*T in, or is denied if the bucket would overflow.
 */
static int leaky_bucket(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
			int commit)
{
	int64_t full = rl->size * rl->T;
	int64_t level = rl->started ? rl->level - (now - rl->last) : 0;
	if (level < 0)
		level = 0;
	int ok = n <= rl->size && level + n * rl->T <= full;
	if (ok)
		level += n * rl->T;
	v->retry = ok ? 0 : n > rl->size ? NEVER : level + n * rl->T - full;
	v->remaining_num = full - level;
	v->remaining_den = rl->T;
	v->reset = level;
	v->delay = 0;
	if (commit)
		rl->level = level;
	return ok;
}

/*
 * GCRA, virtual scheduling (ITU-T I.371 annex A), as redis-cell states it:
 * TAT is the theoretical arrival time of the next unit if units came exactly
 * every T. A request of N units would move it to max(TAT, now) + N*T; it
 * conforms if that is at most TAU = burst*T ahead of now. (In I.371's terms
 * the limit is tau = (burst - 1)*T on the old TAT.)
 */
static int gcra(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v, int commit)
{
	int64_t tau = rl->size * rl->T;
	int64_t tat = rl->started && rl->tat > now ? rl->tat : now;
	int ok = n <= rl->size && tat + n * rl->T - now <= tau;
	if (ok)
		tat += n * rl->T;
	v->retry = ok ? 0 : n > rl->size ? NEVER : tat + n * rl->T - tau - now;
	v->reset = tat - now;
	v->remaining_num = tau - v->reset;
	v->remaining_den = rl->T;
	v->delay = 0;
	if (commit)
		rl->tat = tat;
	return ok;
}

/*
 * Leaky bucket as a queue: TAT is the next free release slot; accepted units
 * leave at max(TAT, now), then every T. The units still waiting at time t
 * are those released after t: ceil((TAT - t)/T) - 1 of them. N more fit iff
 * that plus N is at most the capacity, which works out as the meter's test
 * with size = capacity + 1: TAT - now + N*T <= size*T.
 */
static int leaky_queue(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
		       int commit)
{
	int64_t span = rl->size * rl->T;
	int64_t tat = rl->started && rl->tat > now ? rl->tat : now;
	int ok = n <= rl->size && tat - now + n * rl->T <= span;
	v->delay = ok && n > 0 ? tat + (n - 1) * rl->T - now : 0;
	if (ok)
		tat += n * rl->T;
	v->retry = ok ? 0 : n > rl->size ? NEVER : tat + n * rl->T - span - now;
	v->reset = tat - now;
	v->remaining_num = span - v->reset;
	v->remaining_den = rl->T;
	if (commit)
		rl->tat = tat;
	return ok;
}

/* Fixed window: a counter per window [k*W, (k+1)*W), reset when k changes. */
static int fixed_window(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
			int commit)
{
	int64_t k = floordiv(now, rl->W);
	int64_t count = rl->started && k == rl->win ? rl->count : 0;
	int64_t end = (k + 1) * rl->W;
	int ok = n <= rl->size && count + n <= rl->size;
	if (ok)
		count += n;
	v->retry = ok ? 0 : n > rl->size ? NEVER : end - now;
	v->remaining_num = rl->size - count;
	v->remaining_den = 1;
	v->reset = count > 0 ? end - now : 0;
	v->delay = 0;
	if (commit) {
		rl->win = k;
		rl->count = count;
	}
	return ok;
}

/* The i-th oldest logged time (0 <= i < len). */
static int64_t logged(const struct ratelimit *rl, size_t i)
{
	size_t j = rl->head + i;
	return rl->log[j < (size_t)rl->size ? j : j - (size_t)rl->size];
}

/*
 * Sliding log: the time of every allowed unit in the last W seconds, oldest
 * first, in a ring of `limit` places. Times at or before now - W have
 * expired; the log is sorted, so they are found by binary search.
 */
static int sliding_log(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
		       int commit)
{
	int64_t cutoff = now - rl->W;
	size_t lo = 0, hi = rl->len; /* first entry after cutoff */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (logged(rl, mid) > cutoff)
			hi = mid;
		else
			lo = mid + 1;
	}
	size_t expired = lo;
	int64_t live = (int64_t)(rl->len - expired);
	int ok = n <= rl->size && live + n <= rl->size;
	if (ok) {
		v->retry = 0;
	} else if (n > rl->size) {
		v->retry = NEVER;
	} else { /* the oldest live + n - limit entries must expire first */
		size_t last_to_go = expired + (size_t)(live + n - rl->size) - 1;
		v->retry = logged(rl, last_to_go) + rl->W - now;
	}
	int64_t after = live + (ok ? n : 0);
	v->remaining_num = rl->size - after;
	v->remaining_den = 1;
	if (ok && n > 0)
		v->reset = rl->W;
	else
		v->reset = live > 0 ? logged(rl, rl->len - 1) + rl->W - now : 0;
	v->delay = 0;
	if (commit) {
		size_t size = (size_t)rl->size; /* head, len <= size: wrap by subtracting */
		rl->head += expired;
		if (rl->head >= size)
			rl->head -= size;
		rl->len -= expired;
		for (int64_t i = 0; ok && i < n; i++) {
			size_t j = rl->head + rl->len++;
			rl->log[j < size ? j : j - size] = now;
		}
	}
	return ok;
}

/*
 * Sliding-window counter. Cloudflare's approximation of a sliding log: keep
 * the fixed-window counts of the current window (count) and the previous one
 * (prev), and assume the previous window's units were spread evenly over it.
 * The sliding window (now - W, now] then still overlaps the fraction
 * (W - e)/W of the previous window, where e = now - (start of the current
 * window), so
 *
 *     estimate = prev * (W - e) / W + count
 *
 * and N units pass iff estimate + N <= limit. Since limit - count - N is an
 * integer, that is ceil(prev * (W - e) / W) <= limit - count - N, decided
 * exactly in integers.
 */
static int sliding_window(struct ratelimit *rl, int64_t now, int64_t n, struct verdict *v,
			  int commit)
{
	int64_t W = rl->W, L = rl->size;
	int64_t k = floordiv(now, W);
	int64_t count = 0, prev = 0;
	if (rl->started && k == rl->win) {
		count = rl->count;
		prev = rl->prev;
	} else if (rl->started && k == rl->win + 1) {
		prev = rl->count;
	}
	int64_t e = now - k * W;
	int64_t share = muldiv(prev, W - e, W, 1);
	int ok = n <= L && share + count + n <= L;
	if (ok)
		count += n;
	v->retry = 0;
	if (!ok && n > L) {
		v->retry = NEVER;
	} else if (!ok) {
		/* Later in this window: prev*(W - e')/W <= r, i.e. e' >= W - floor(r*W/prev). */
		int64_t r = L - count - n, at = -1;
		if (r >= 0 && r < prev) {
			int64_t e2 = W - muldiv(r, W, prev, 0);
			if (e2 < W)
				at = k * W + e2;
		}
		/* Else in the next window, where prev becomes count and count 0. */
		if (at < 0) {
			int64_t r2 = L - n, e3 = 0;
			if (r2 < count)
				e3 = W - muldiv(r2, W, count, 0);
			at = (k + 1) * W + e3; /* e3 == W: the window after */
		}
		v->retry = at - now;
	}
	v->remaining_num = L - count - share > 0 ? L - count - share : 0;
	v->remaining_den = 1;
	v->reset = count > 0 ? (k + 2) * W - now : prev > 0 ? (k + 1) * W - now : 0;
	v->delay = 0;
	if (commit) {
		rl->win = k;
		rl->count = count;
		rl->prev = prev;
	}
	return ok;
}

const char *ratelimit_algorithm_name(enum ratelimit_algorithm a)
{
	return (unsigned)a < RATELIMIT_NALGORITHMS ? algos[a].name : NULL;
}

int ratelimit_algorithm_parse(const char *name, enum ratelimit_algorithm *a)
{
	for (int i = 0; i < RATELIMIT_NALGORITHMS; i++) {
		if (strcmp(algos[i].name, name) == 0) {
			*a = (enum ratelimit_algorithm)i;
			return 0;
		}
	}
	return -1;
}

unsigned ratelimit_params(enum ratelimit_algorithm a)
{
	return (unsigned)a < RATELIMIT_NALGORITHMS ? algos[a].params : 0;
}

static int64_t interval_ns(double rate)
{
	return llround(1e9 / rate);
}

const char *ratelimit_config_check(const struct ratelimit_config *c)
{
	if ((unsigned)c->algorithm >= RATELIMIT_NALGORITHMS)
		return "unknown algorithm";
	unsigned p = algos[c->algorithm].params;
	if ((p & RATELIMIT_P_RATE) &&
	    !(c->rate >= RATELIMIT_MIN_RATE && c->rate <= RATELIMIT_MAX_RATE))
		return "rate must be a number of units a second between 1e-06 and 1e+09";
	if ((p & RATELIMIT_P_BURST) && !(c->burst >= 1 && c->burst <= RATELIMIT_MAX_SIZE))
		return "burst must be an integer between 1 and 1e9";
	if ((p & RATELIMIT_P_CAPACITY) && c->algorithm == RATELIMIT_LEAKY_QUEUE &&
	    !(c->capacity >= 0 && c->capacity < RATELIMIT_MAX_SIZE))
		return "capacity must be an integer between 0 and 999999999";
	if ((p & RATELIMIT_P_CAPACITY) && c->algorithm == RATELIMIT_LEAKY_BUCKET &&
	    !(c->capacity >= 1 && c->capacity <= RATELIMIT_MAX_SIZE))
		return "capacity must be an integer between 1 and 1e9";
	if ((p & RATELIMIT_P_LIMIT) && c->algorithm == RATELIMIT_SLIDING_LOG &&
	    !(c->limit >= 1 && c->limit <= RATELIMIT_MAX_LOG))
		return "limit must be an integer between 1 and 1e7 "
		       "(the log keeps one time per unit)";
	if ((p & RATELIMIT_P_LIMIT) && !(c->limit >= 1 && c->limit <= RATELIMIT_MAX_SIZE))
		return "limit must be an integer between 1 and 1e9";
	if ((p & RATELIMIT_P_WINDOW) && !(c->window >= 1e-9 && c->window <= RATELIMIT_MAX_TIME))
		return "window must be a number of seconds between 1e-09 and 1e+09";
	if (p & RATELIMIT_P_RATE) {
		int64_t size = (p & RATELIMIT_P_BURST) ? c->burst : c->capacity + 1;
		if ((double)size * (double)interval_ns(c->rate) > (double)MAX_SPAN)
			return "burst/rate (the time to refill from empty) must be at most "
			       "1e9 seconds";
	}
	return NULL;
}

struct ratelimit *ratelimit_new(const struct ratelimit_config *cfg, const char **err)
{
	const char *why = ratelimit_config_check(cfg);
	if (why) {
		if (err)
			*err = why;
		return NULL;
	}
	struct ratelimit *rl = budget_calloc(1, sizeof *rl);
	if (!rl) {
		if (err)
			*err = "not enough memory";
		return NULL;
	}
	rl->cfg = *cfg;
	rl->algo = &algos[cfg->algorithm];
	rl->T = 1;
	rl->W = 1;
	switch (cfg->algorithm) {
	case RATELIMIT_TOKEN_BUCKET:
	case RATELIMIT_GCRA:
		rl->T = interval_ns(cfg->rate);
		rl->size = cfg->burst;
		break;
	case RATELIMIT_LEAKY_BUCKET:
		rl->T = interval_ns(cfg->rate);
		rl->size = cfg->capacity;
		break;
	case RATELIMIT_LEAKY_QUEUE:
		rl->T = interval_ns(cfg->rate);
		rl->size = cfg->capacity + 1; /* the one leaving at once, plus the places */
		break;
	default: /* the windows */
		rl->W = llround(cfg->window * 1e9);
		rl->size = cfg->limit;
		break;
	}
	if (cfg->algorithm == RATELIMIT_SLIDING_LOG) {
		rl->log = budget_malloc((size_t)rl->size * sizeof *rl->log);
		if (!rl->log) {
			budget_free(rl);
			if (err)
				*err = "not enough memory";
			return NULL;
		}
	}
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (rl) {
		budget_free(rl->log);
		budget_free(rl);
	}
}

const struct ratelimit_config *ratelimit_config(const struct ratelimit *rl)
{
	return &rl->cfg;
}

static double seconds(int64_t ns)
{
	return ns == NEVER ? INFINITY : (double)ns / 1e9;
}

static void describe(const struct ratelimit *rl, int ok, double now, int64_t n,
		     const struct verdict *v, struct ratelimit_result *res)
{
	*res = (struct ratelimit_result){
		.allowed = ok,
		.now = now,
		.n = n,
		.limit = rl->size,
		.remaining = v->remaining_num / v->remaining_den,
		.retry_after = seconds(v->retry),
		.reset_after = seconds(v->reset),
		.delay = seconds(v->delay),
	};
}

static int decide(struct ratelimit *rl, double now, int64_t n, struct ratelimit_result *res,
		  int commit)
{
	if (!isfinite(now) || fabs(now) > RATELIMIT_MAX_TIME)
		return RATELIMIT_ETIME;
	if (n < 0)
		return RATELIMIT_ECOUNT;
	int64_t t = llround(now * 1e9);
	if (rl->started && t < rl->last)
		return RATELIMIT_EBACKWARDS;
	struct verdict v;
	int ok = rl->algo->decide(rl, t, n, &v, commit);
	if (commit) {
		rl->started = 1;
		rl->last = t;
		if (ok)
			rl->allowed++;
		else
			rl->denied++;
		rl->last_ok = ok;
		rl->last_n = n;
		rl->last_now = now;
		rl->last_v = v;
	}
	if (res)
		describe(rl, ok, now, n, &v, res);
	return ok;
}

int ratelimit_allow(struct ratelimit *rl, double now, int64_t n, struct ratelimit_result *res)
{
	return decide(rl, now, n, res, 1);
}

int ratelimit_peek(const struct ratelimit *rl, double now, int64_t n,
		   struct ratelimit_result *res)
{
	/* with commit 0 the decide functions write nothing */
	return decide((struct ratelimit *)rl, now, n, res, 0);
}

void ratelimit_last(const struct ratelimit *rl, struct ratelimit_result *res)
{
	if (!rl->started)
		memset(res, 0, sizeof *res);
	else
		describe(rl, rl->last_ok, rl->last_now, rl->last_n, &rl->last_v, res);
}

void ratelimit_reset(struct ratelimit *rl)
{
	int64_t *log = rl->log;
	struct ratelimit fresh = {.cfg = rl->cfg, .algo = rl->algo, .T = rl->T, .W = rl->W,
				  .size = rl->size, .log = log};
	*rl = fresh;
}

/* Requests waiting in a leaky_queue at time t: released after t. */
static int64_t queued_at(const struct ratelimit *rl, int64_t t)
{
	if (!rl->started || rl->tat <= t)
		return 0;
	return (rl->tat - t + rl->T - 1) / rl->T - 1;
}

void ratelimit_state(const struct ratelimit *rl, struct ratelimit_state *st)
{
	memset(st, 0, sizeof *st);
	st->algorithm = rl->cfg.algorithm;
	st->started = rl->started;
	st->last = seconds(rl->last);
	st->allowed = rl->allowed;
	st->denied = rl->denied;
	st->tokens = rl->started ? (double)rl->credit / (double)rl->T : (double)rl->size;
	st->level = (double)rl->level / (double)rl->T;
	st->tat = rl->started ? seconds(rl->tat) : 0;
	st->queued = queued_at(rl, rl->last);
	st->window_start = seconds(rl->win * rl->W);
	st->count = rl->cfg.algorithm == RATELIMIT_SLIDING_LOG ? (int64_t)rl->len : rl->count;
	st->previous = rl->prev;
	if (rl->cfg.algorithm == RATELIMIT_SLIDING_WINDOW && rl->started) {
		int64_t e = rl->last - rl->win * rl->W;
		st->weight = (double)(rl->W - e) / (double)rl->W;
		st->estimate = (double)rl->prev * st->weight + (double)rl->count;
	}
}

size_t ratelimit_times(const struct ratelimit *rl, double *out, size_t max)
{
	size_t n = 0;
	if (rl->cfg.algorithm == RATELIMIT_SLIDING_LOG) {
		n = rl->len;
		for (size_t i = 0; i < n && i < max; i++)
			out[i] = seconds(logged(rl, i));
	} else if (rl->cfg.algorithm == RATELIMIT_LEAKY_QUEUE) {
		n = (size_t)queued_at(rl, rl->last);
		for (size_t i = 0; i < n && i < max; i++)
			out[i] = seconds(rl->tat - (int64_t)(n - i) * rl->T);
	}
	return n;
}

int ratelimit_check(const struct ratelimit *rl)
{
	if (rl->started != (rl->allowed + rl->denied > 0))
		return -1;
	int64_t full = rl->size * rl->T;
	switch (rl->cfg.algorithm) {
	case RATELIMIT_TOKEN_BUCKET:
		return rl->credit >= 0 && rl->credit <= full ? 0 : -1;
	case RATELIMIT_LEAKY_BUCKET:
		return rl->level >= 0 && rl->level <= full ? 0 : -1;
	case RATELIMIT_GCRA:
	case RATELIMIT_LEAKY_QUEUE:
		return !rl->started || rl->tat - rl->last <= full ? 0 : -1;
	case RATELIMIT_FIXED_WINDOW:
		if (rl->count < 0 || rl->count > rl->size)
			return -1;
		return !rl->started || floordiv(rl->last, rl->W) == rl->win ? 0 : -1;
	case RATELIMIT_SLIDING_WINDOW: {
		if (rl->count < 0 || rl->count > rl->size || rl->prev < 0 || rl->prev > rl->size)
			return -1;
		if (!rl->started)
			return 0;
		if (floordiv(rl->last, rl->W) != rl->win)
			return -1;
		int64_t e = rl->last - rl->win * rl->W;
		return muldiv(rl->prev, rl->W - e, rl->W, 1) + rl->count <= rl->size ? 0 : -1;
	}
	case RATELIMIT_SLIDING_LOG:
		if (rl->len > (size_t)rl->size)
			return -1;
		for (size_t i = 0; i < rl->len; i++) {
			int64_t t = logged(rl, i);
			if (t <= rl->last - rl->W || t > rl->last)
				return -1;
			if (i > 0 && t < logged(rl, i - 1))
				return -1;
		}
		return 0;
	default:
		return -1;
	}
}

const char *ratelimit_strerror(int err)
{
	switch (err) {
	case RATELIMIT_EBACKWARDS:
		return "time went backwards";
	case RATELIMIT_ETIME:
		return "now must be a finite number of seconds, at most 1e9 either side of 0";
	case RATELIMIT_ECOUNT:
		return "n must be a non-negative integer";
	default:
		return "no error";
	}
}

/* The value of parameter BIT of CFG. */
static double param_value(const struct ratelimit_config *cfg, unsigned bit)
{
	switch (bit) {
	case RATELIMIT_P_RATE: return cfg->rate;
	case RATELIMIT_P_BURST: return (double)cfg->burst;
	case RATELIMIT_P_CAPACITY: return (double)cfg->capacity;
	case RATELIMIT_P_LIMIT: return (double)cfg->limit;
	default: return cfg->window;
	}
}

/* Appends to BUF (SIZE bytes, AT used); never beyond its end. */
static size_t add(char *buf, size_t size, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + (at < size ? at : size), at < size ? size - at : 0, fmt, ap);
	va_end(ap);
	return at + (n > 0 ? (size_t)n : 0);
}

size_t ratelimit_describe(const struct ratelimit *rl, char *buf, size_t size)
{
	static const struct {
		const char *name;
		unsigned bit;
	} params[] = {{"rate", RATELIMIT_P_RATE},   {"burst", RATELIMIT_P_BURST},
		      {"capacity", RATELIMIT_P_CAPACITY}, {"limit", RATELIMIT_P_LIMIT},
		      {"window", RATELIMIT_P_WINDOW}};
	const struct ratelimit_config *cfg = ratelimit_config(rl);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	size_t n = add(buf, size, 0, "lab.ratelimit.%s{", ratelimit_algorithm_name(cfg->algorithm));
	const char *sep = "";
	for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
		if (!(ratelimit_params(cfg->algorithm) & params[i].bit))
			continue;
		n = add(buf, size, n, "%s%s=%.6g", sep, params[i].name,
			param_value(cfg, params[i].bit));
		sep = ", ";
	}
	n = add(buf, size, n, "}");
	if (!st.started)
		return add(buf, size, n, ": idle");
	n = add(buf, size, n, " at t=%.6g: ", st.last);
	switch (cfg->algorithm) {
	case RATELIMIT_TOKEN_BUCKET: n = add(buf, size, n, "%.6g tokens", st.tokens); break;
	case RATELIMIT_LEAKY_BUCKET: n = add(buf, size, n, "level %.6g", st.level); break;
	case RATELIMIT_GCRA: n = add(buf, size, n, "tat %.6g", st.tat); break;
	case RATELIMIT_LEAKY_QUEUE:
		n = add(buf, size, n, "%lld queued", (long long)st.queued);
		break;
	case RATELIMIT_SLIDING_WINDOW:
		n = add(buf, size, n, "estimate %.6g (%lld now, %lld before)", st.estimate,
			(long long)st.count, (long long)st.previous);
		break;
	default: n = add(buf, size, n, "%lld in the window", (long long)st.count); break;
	}
	return add(buf, size, n, ", %llu allowed, %llu denied", (unsigned long long)st.allowed,
		   (unsigned long long)st.denied);
}
