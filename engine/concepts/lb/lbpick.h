/*
 * lbpick.h — a load balancer's choice of backend, one request at a time.
 *
 * The picker holds what a balancer knows: each backend's weight, whether
 * health checks have marked it up, how many requests it has outstanding (sent
 * and not yet answered), and an EWMA of the latencies it answered with.
 * lbpick_pick chooses and counts the request as outstanding; the caller
 * reports the outcome with lbpick_done (answered, with its latency) or
 * lbpick_fail (refused, failed, timed out). Both the simulator (lbsim.h) and
 * the interactive lab.lb.new object drive this one implementation.
 *
 * Eligible backends: those marked up; backup backends only while no primary
 * is marked up (active-passive). Strategies, and how they break ties:
 *
 *   rr      round robin over eligible backends (weights ignored).
 *   swrr    smooth weighted round robin, nginx's algorithm: every eligible
 *           backend's current_weight += weight; the largest current_weight
 *           wins (the first in index order on ties) and loses the total of
 *           the eligible weights. Weights 5,1,1 give a a b a c a a.
 *   random  weighted random choice (uniform when weights are equal).
 *   lc      least connections: the smallest outstanding / weight; ties go to
 *           the first in round-robin order from a rotating cursor.
 *   lrt     least response time: the smallest ewma * (outstanding + 1) /
 *           weight, where ewma is the EWMA of that backend's latencies
 *           (ewma += alpha * (latency - ewma); the first sample sets it) and
 *           a backend with no sample yet scores 0 so it gets tried; ties as lc.
 *   p2c     power of two choices (Mitzenmacher 2001, "The power of two choices
 *           in randomized load balancing"): two distinct eligible backends
 *           drawn uniformly, the one with less outstanding / weight wins,
 *           the first drawn on ties.
 *   iphash  the client key's chash_hash64 mod N over all backends; if that
 *           one is not eligible, the next index up (wrapping) that is.
 *   chash   a ketama ring (hashring.h) of the backend names, 160 points per
 *           unit of weight; the client key's chash_ketama hash finds a point
 *           and the walk goes clockwise to the first eligible backend. So
 *           pick(key) equals lab.hash.ring{...}:lookup(key) while all are up.
 *
 * Invariants (lbpick_check): outstanding counts are >= 0; under swrr the
 * current weights of the eligible backends sum to 0 (they are reset to 0
 * whenever a backend is marked up or down); the eligible list is exactly
 * the backends the rules above allow.
 */
#ifndef BACKLAB_LBPICK_H
#define BACKLAB_LBPICK_H

#include <stddef.h>
#include <stdint.h>

enum lb_strategy {
	LB_RR,
	LB_SWRR,
	LB_RANDOM,
	LB_LC,
	LB_LRT,
	LB_P2C,
	LB_IPHASH,
	LB_CHASH,
};

#define LB_MAX_BACKENDS 10000
#define LB_MAX_WEIGHT 1000

/* The strategy's short name, and the strategy named NAME or one of its
 * aliases ("round_robin", "least_conn", "two_choices"...): 0, or -1. */
const char *lb_strategy_name(enum lb_strategy s);
int lb_strategy_parse(const char *name, enum lb_strategy *out);
/* 1 if the strategy needs a client key. */
int lb_strategy_keyed(enum lb_strategy s);

/* A client key, hashed once for both keyed strategies. */
struct lb_key {
	uint64_t h64; /* chash_hash64(key), for iphash */
	uint32_t h32; /* chash_ketama(key, 0), for chash */
};
void lb_key_make(struct lb_key *k, const void *key, size_t len);

struct lbpick_backend {
	const char *name; /* copied */
	int weight;       /* 1..LB_MAX_WEIGHT */
	int backup;       /* used only while no primary is up */
};

struct lbpick;

/*
 * A picker over N (1..LB_MAX_BACKENDS) backends, all marked up. SEED seeds
 * random and p2c; ALPHA (0 < alpha <= 1) is lrt's EWMA factor. Returns NULL
 * if an argument is out of range, two names are equal, or memory runs out.
 * Free with lbpick_free.
 */
struct lbpick *lbpick_new(enum lb_strategy s, const struct lbpick_backend *b, size_t n,
			  uint64_t seed, double alpha);
void lbpick_free(struct lbpick *p);

/* Chooses a backend for a request from client KEY (NULL for strategies that
 * take none; keyed strategies then use an all-zero key), counts it
 * outstanding and returns its index, or -1 if no backend is eligible
 * (nothing changes). */
int lbpick_pick(struct lbpick *p, const struct lb_key *key);

/* Backend I answered a request after LATENCY (>= 0) seconds. Returns 0, or
 * -1 (nothing changes) if I is out of range, has nothing outstanding, or
 * LATENCY is negative or not finite. */
int lbpick_done(struct lbpick *p, size_t i, double latency);
/* Backend I's request failed: only its outstanding count drops. 0 or -1. */
int lbpick_fail(struct lbpick *p, size_t i);

/* Marks backend I up (UP = 1) or down; returns 0, or -1 if I is out of range. */
int lbpick_mark(struct lbpick *p, size_t i, int up);

enum lb_strategy lbpick_strategy(const struct lbpick *p);
size_t lbpick_count(const struct lbpick *p);
size_t lbpick_eligible(const struct lbpick *p);
const char *lbpick_name(const struct lbpick *p, size_t i);
int lbpick_weight(const struct lbpick *p, size_t i);
int lbpick_backup(const struct lbpick *p, size_t i);
int lbpick_up(const struct lbpick *p, size_t i);
int64_t lbpick_outstanding(const struct lbpick *p, size_t i);
int64_t lbpick_current_weight(const struct lbpick *p, size_t i);
/* EWMA of latencies; -1 before the first sample. */
double lbpick_ewma(const struct lbpick *p, size_t i);
uint64_t lbpick_picks(const struct lbpick *p, size_t i);

int lbpick_check(const struct lbpick *p);

#endif
