/*
 * ratelimit.h — rate limiters on simulated time.
 *
 * Seven algorithms behind one interface: a limiter is asked whether N units
 * (N requests, or one request costing N) may pass at time NOW, and answers
 * allowed or denied, with the details a server would put in its response
 * headers (remaining, retry after, reset after).
 *
 *   token_bucket    a bucket of BURST tokens, refilled at RATE tokens a second;
 *                   starts full; a request takes N tokens or is denied.
 *   leaky_bucket    the leaky bucket as a meter (Turner 1986; ATM policing): a
 *                   bucket of CAPACITY units draining at RATE units a second;
 *                   a request pours N units in, or is denied if they would
 *                   overflow. It is the token bucket upside down (level =
 *                   capacity - tokens) and allows exactly the same requests.
 *   leaky_queue     the leaky bucket as a queue (Tanenbaum): accepted requests
 *                   wait in a FIFO of CAPACITY places and leave it one every
 *                   1/RATE seconds; a request that finds no free place is
 *                   denied. Accepted requests are delayed, not passed at once.
 *   fixed_window    at most LIMIT units per window [k*WINDOW, (k+1)*WINDOW).
 *   sliding_log     at most LIMIT units in any WINDOW seconds, exactly, by
 *                   logging the time of every allowed unit (memory: LIMIT
 *                   times).
 *   sliding_window  the sliding-window counter: the fixed window's counts of
 *                   the current and previous windows, the previous one
 *                   weighted by how much of it still overlaps the last WINDOW
 *                   seconds (Cloudflare, "How we built rate limiting capable
 *                   of scaling to millions of domains", 2017).
 *   gcra            the generic cell rate algorithm (ITU-T I.371; ATM Forum
 *                   TM 4.0), in its virtual-scheduling form, with the
 *                   parameters of redis-cell: RATE per second, BURST at once
 *                   (BURST is redis-cell's max_burst + 1, the `limit` it
 *                   reports). It keeps one number, the theoretical arrival
 *                   time, and allows exactly what the token bucket allows.
 *
 * Time. Times are seconds (doubles) and are rounded to the nearest
 * nanosecond on entry; so are WINDOW and the interval between tokens, 1/RATE
 * (a rate of 3 a second runs at one unit per 333333333 ns). From there on
 * all arithmetic is on 64-bit integers (128-bit where products need it), so
 * every boundary case is decided by the rules below, never by
 * floating-point rounding. Times must lie within +-RATELIMIT_MAX_TIME and may
 * not go backwards: a call earlier than the previous call is an error (equal
 * times are fine). Nothing is ever read from the wall clock.
 *
 * Boundary rules, for every algorithm:
 *  - A request of N units is allowed whole or denied whole; a denied request
 *    changes no counter (it is not counted, logged or queued).
 *  - N = 0 is always allowed and consumes nothing (a "peek" that also moves
 *    the limiter's clock to NOW).
 *  - N greater than the limit (see `limit` below) is always denied, and its
 *    retry_after is INFINITY.
 *  - token_bucket, leaky_bucket, gcra: tokens are fractional; a request needs
 *    N whole tokens: allowed iff tokens >= N (level + N <= capacity). Exactly
 *    at the instant a token becomes whole, it can be taken.
 *  - fixed_window, sliding_window: window k is [k*W, (k+1)*W): a request at
 *    exactly k*W belongs to the new window k.
 *  - sliding_log: a unit logged at time t counts against calls at times in
 *    [t, t + W): at exactly t + W it has expired.
 *  - sliding_window: allowed iff estimate + N <= LIMIT, the same "counting
 *    this request, at most the limit" rule as the others. The previous
 *    window's share is fractional and only reaches 0 at the next edge, so
 *    under constant overload each window lets LIMIT - 1 through, not LIMIT.
 *  - leaky_queue: a request released at time r has left the queue at r, so
 *    an idle queue accepts CAPACITY + 1 requests at one instant (one leaves
 *    at once, CAPACITY wait), as NGINX's limit_req with burst=CAPACITY (and
 *    no nodelay) does.
 *    It accepts exactly what a leaky_bucket of capacity CAPACITY + 1 accepts.
 */
#ifndef BACKLAB_RATELIMIT_H
#define BACKLAB_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_MAX_TIME 1e9      /* seconds: |now| may not exceed this */
#define RATELIMIT_MAX_RATE 1e9      /* units a second (1/rate >= 1 ns) */
#define RATELIMIT_MIN_RATE 1e-6     /* units a second */
#define RATELIMIT_MAX_SIZE 1000000000 /* burst, capacity, limit */
#define RATELIMIT_MAX_LOG 10000000  /* sliding_log's limit (8 bytes each) */

enum ratelimit_algorithm {
	RATELIMIT_TOKEN_BUCKET,
	RATELIMIT_LEAKY_BUCKET,
	RATELIMIT_LEAKY_QUEUE,
	RATELIMIT_FIXED_WINDOW,
	RATELIMIT_SLIDING_LOG,
	RATELIMIT_SLIDING_WINDOW,
	RATELIMIT_GCRA,
	RATELIMIT_NALGORITHMS
};

/* Which parameters an algorithm takes (see ratelimit_params). */
#define RATELIMIT_P_RATE 1
#define RATELIMIT_P_BURST 2
#define RATELIMIT_P_CAPACITY 4
#define RATELIMIT_P_LIMIT 8
#define RATELIMIT_P_WINDOW 16

struct ratelimit_config {
	enum ratelimit_algorithm algorithm;
	double rate;      /* token_bucket, leaky_*, gcra: units a second */
	int64_t burst;    /* token_bucket, gcra: the most units at once */
	int64_t capacity; /* leaky_bucket: bucket size; leaky_queue: waiting places */
	int64_t limit;    /* fixed_window, sliding_log, sliding_window: units a window */
	double window;    /* fixed_window, sliding_log, sliding_window: seconds */
};

/*
 * What a decision says, in the style of rate-limit response headers. Times
 * are seconds from the call's NOW.
 */
struct ratelimit_result {
	int allowed;         /* 1 allowed, 0 denied */
	double now;          /* the call's time */
	int64_t n;           /* the call's units */
	int64_t limit;       /* the largest N ever allowed at once: burst, capacity,
				limit, or capacity + 1 for leaky_queue */
	int64_t remaining;   /* units a call at the same instant could still get */
	double retry_after;  /* 0 if allowed; if denied, how long until this same
				request would be allowed if nothing else arrives;
				INFINITY if N > limit */
	double reset_after;  /* how long until the limiter is idle again (a full
				burst available) if nothing else arrives */
	double delay;        /* leaky_queue: how long until the last of the N units
				leaves the queue (0 = at once); 0 otherwise */
};

/* The state, as of the last call (nothing is refilled to a later time). */
struct ratelimit_state {
	enum ratelimit_algorithm algorithm;
	int started;          /* 0 until the first call */
	double last;          /* time of the last call (0 before the first) */
	double tokens;        /* token_bucket: tokens in the bucket, fractional */
	double level;         /* leaky_bucket: units in the bucket, fractional */
	double tat;           /* gcra, leaky_queue: theoretical arrival time, when
				 the next unit would be on schedule at the
				 nominal rate; between last (idle) and last +
				 limit/rate */
	int64_t queued;       /* leaky_queue: requests waiting after last */
	double window_start;  /* fixed_window, sliding_window: start of the
				 current window */
	int64_t count;        /* fixed_window, sliding_window: units counted in
				 the current window; sliding_log: units logged */
	int64_t previous;     /* sliding_window: units of the previous window */
	double estimate;      /* sliding_window: previous * weight + count */
	double weight;        /* sliding_window: share of the previous window
				 still inside the sliding window at last */
	uint64_t allowed;     /* calls allowed so far */
	uint64_t denied;      /* calls denied so far */
};

/* Errors returned by ratelimit_allow and ratelimit_peek. */
#define RATELIMIT_EBACKWARDS (-1) /* now is earlier than the last call */
#define RATELIMIT_ETIME (-2)      /* now is not finite or beyond MAX_TIME */
#define RATELIMIT_ECOUNT (-3)     /* n is negative */

struct ratelimit;

/* The algorithm's name ("token_bucket"...), or NULL if out of range. */
const char *ratelimit_algorithm_name(enum ratelimit_algorithm a);

/* Sets *A to the algorithm called NAME; returns 0, or -1 if there is none. */
int ratelimit_algorithm_parse(const char *name, enum ratelimit_algorithm *a);

/* The parameters algorithm A takes, as RATELIMIT_P_* bits. */
unsigned ratelimit_params(enum ratelimit_algorithm a);

/*
 * Checks CFG: returns NULL if it is valid, else a static message naming the
 * bad parameter ("rate must be a number between 1e-06 and 1e+09").
 */
const char *ratelimit_config_check(const struct ratelimit_config *cfg);

/*
 * A new limiter, idle (a full bucket, empty windows); the configuration is
 * copied. Returns NULL if CFG is invalid (with *ERR set to the reason, when
 * ERR is not NULL) or memory runs out (*ERR = "not enough memory"). Free
 * with ratelimit_free.
 */
struct ratelimit *ratelimit_new(const struct ratelimit_config *cfg, const char **err);
void ratelimit_free(struct ratelimit *rl);

/* The configuration (owned by the limiter). */
const struct ratelimit_config *ratelimit_config(const struct ratelimit *rl);

/*
 * Decides whether N units may pass at NOW, and records the decision. Returns
 * 1 if allowed, 0 if denied, and fills *RES (if not NULL) with the details.
 * On error returns RATELIMIT_EBACKWARDS, _ETIME or _ECOUNT and nothing
 * changes.
 */
int ratelimit_allow(struct ratelimit *rl, double now, int64_t n, struct ratelimit_result *res);

/* As ratelimit_allow, but changes nothing: what would a call say? */
int ratelimit_peek(const struct ratelimit *rl, double now, int64_t n,
		   struct ratelimit_result *res);

/* The result of the last call, into *RES (all zero before the first). */
void ratelimit_last(const struct ratelimit *rl, struct ratelimit_result *res);

/* Back to the idle state of a new limiter, forgetting the time too. */
void ratelimit_reset(struct ratelimit *rl);

void ratelimit_state(const struct ratelimit *rl, struct ratelimit_state *st);

/*
 * Copies up to MAX times, oldest first, and returns how many there are in all:
 * sliding_log: the logged units' times; leaky_queue: the release times of
 * the requests still waiting after the last call; other algorithms: none.
 */
size_t ratelimit_times(const struct ratelimit *rl, double *out, size_t max);

/* Returns 0 if the invariants hold (see ratelimit.c), else -1. */
int ratelimit_check(const struct ratelimit *rl);

/*
 * Writes a one-line description of the limiter, its parameters and its
 * state ("lab.ratelimit.token_bucket{rate=10, burst=5} at t=3: 2 tokens,
 * 8 allowed, 1 denied") into BUF, cut to SIZE bytes with a NUL; returns the
 * length it needed, as snprintf does.
 */
size_t ratelimit_describe(const struct ratelimit *rl, char *buf, size_t size);

/* A message for a negative return of ratelimit_allow. */
const char *ratelimit_strerror(int err);

#endif
