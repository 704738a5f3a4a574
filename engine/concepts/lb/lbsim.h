/*
 * lbsim.h — a discrete-event simulation of a load balancer and its backends.
 *
 * Requests arrive as a Poisson process (exponential gaps, mean 1/rate), each
 * from a client id in 1..clients (uniform, or Zipf with exponent
 * client_skew); the client id's decimal string is the key of the keyed
 * strategies. The balancer (lbpick.h) picks a backend:
 *
 *  - a backend serves up to `capacity` requests at once; beyond that they
 *    wait in its FIFO queue, of at most `queue` requests (-1: no limit); a
 *    request finding the queue full is rejected at once;
 *  - service times are drawn per request from the backend's distribution
 *    (struct lb_service), each backend from its own seeded stream;
 *  - a backend can go down and come back at given times (struct lbsim_event).
 *    Going down fails every request it is serving or queueing; requests sent
 *    to it while it is down fail at once (connection refused). The balancer
 *    does not know: only health checks (every health_interval seconds,
 *    starting at health_interval; `fall` consecutive failures mark a backend
 *    down, `rise` consecutive successes mark it up) change its view. Without
 *    health checks the balancer never stops sending to a dead backend;
 *  - passive health checking (outlier ejection, as Envoy's consecutive-5xx
 *    detector): with outlier_consecutive = k > 0, a backend whose requests
 *    fail k times in a row (refused while down, lost when it goes down,
 *    rejected because its queue is full) is ejected at once: the balancer
 *    stops sending to it for outlier_ejection x m seconds, m being how many
 *    times it has been ejected so far (1, 2, 3...), then takes it back. A
 *    completed request resets its count. An ejection is skipped while it
 *    would leave more than outlier_max_percent % of the backends ejected,
 *    unless none is (so one can always be). Simplified from Envoy: the
 *    backend returns exactly when its time is up (Envoy checks at its
 *    `interval`), and the multiplier neither decays nor has a cap. A backend
 *    is eligible only while health checks (if any) mark it up and it is not
 *    ejected;
 *  - when no backend is eligible the request fails as "unavailable".
 *
 * Every request ends exactly once: completed, failed (its backend was down),
 * rejected (queue full) or unavailable. Latency (completion - arrival,
 * queueing included) is measured on completed requests; percentiles are
 * nearest-rank (the value at rank ceil(p * n) of the sorted latencies).
 * At equal times, backend up/down events come first, then the other events
 * in the order they were scheduled. The same configuration and seed give the
 * same report on every machine. Arrival times, client ids, each backend's
 * service times and the picker's coin flips come from separate streams
 * derived from the seed, so two strategies run with the same seed see the
 * same arrivals (common random numbers): their difference is the strategy.
 */
#ifndef BACKLAB_LBSIM_H
#define BACKLAB_LBSIM_H

#include "engine/concepts/lb/lbpick.h"

#include <stddef.h>
#include <stdint.h>

#define LBSIM_MAX_REQUESTS 20000000u
#define LBSIM_MAX_CLIENTS 10000000u
#define LBSIM_MAX_BUCKETS 1000000u

enum lb_dist {
	LB_DIST_CONST,   /* always `mean` */
	LB_DIST_EXP,     /* exponential with mean `mean` */
	LB_DIST_NORMAL,  /* normal(mean, sd), negative draws taken as 0 */
	LB_DIST_BIMODAL, /* exponential(mean), but with probability p_slow exponential(slow) */
};

struct lb_service {
	enum lb_dist dist;
	double mean;   /* seconds, >= 0 (> 0 for exp and bimodal) */
	double sd;     /* normal */
	double slow;   /* bimodal: mean of the slow mode, > 0 */
	double p_slow; /* bimodal: 0..1 */
};

/* A service time drawn from S with R. */
struct rng;
double lb_service_draw(const struct lb_service *s, struct rng *r);

struct lbsim_backend {
	const char *name; /* copied by the picker */
	int weight;       /* 1..LB_MAX_WEIGHT */
	int backup;
	int capacity;     /* requests served at once, >= 1 */
	int queue;        /* waiting room, >= 0, or -1 for no limit */
	struct lb_service service;
};

struct lbsim_event {
	double at;     /* >= 0 */
	size_t backend;
	int down;      /* 1: goes down; 0: comes back */
};

struct lbsim_config {
	enum lb_strategy strategy;
	const struct lbsim_backend *backends;
	size_t nbackends;
	double rate;            /* arrivals per second, > 0 */
	uint64_t requests;      /* 1..LBSIM_MAX_REQUESTS */
	uint64_t seed;
	uint32_t clients;       /* 1..LBSIM_MAX_CLIENTS */
	double client_skew;     /* 0: uniform; > 0: Zipf exponent */
	const struct lbsim_event *events;
	size_t nevents;
	double health_interval; /* 0: no health checks */
	int fall, rise;         /* >= 1 */
	double alpha;           /* lrt EWMA factor, 0 < alpha <= 1 */
	int outlier_consecutive;    /* 0: no outlier ejection; else failures in a row, <= 10^6 */
	double outlier_ejection;    /* base ejection time in seconds, > 0 */
	double outlier_max_percent; /* 0..100 */
	double bucket;          /* time-series bucket in seconds; 0: no series */
	int audit;              /* track every request to prove it ends once */
};

struct lbsim_backend_stats {
	uint64_t routed;     /* requests the balancer sent here */
	uint64_t completed, failed, rejected;
	double latency_sum;  /* over completed */
	double busy;         /* server-seconds spent serving */
	double utilisation;  /* busy / (capacity * duration) */
	uint64_t max_queue;
	uint64_t ejections;  /* times outlier detection ejected it */
};

struct lbsim_mark {
	double at;
	size_t backend;
	int up;
};

struct lbsim_ejection {
	double at, until;
	size_t backend;
};

struct lbsim_report {
	uint64_t requests, completed, failed, rejected, unavailable;
	double duration;   /* simulated time of the last arrival or completion */
	double throughput; /* completed / duration */
	double mean, p50, p95, p99, max; /* latency of completed requests */
	struct lbsim_backend_stats *backend;
	size_t nbackends;
	struct lbsim_mark *marks; /* health-check verdicts that changed a mark */
	size_t nmarks;
	struct lbsim_ejection *ejections; /* outlier ejections, in time order */
	size_t nejections;
	/* time series: bucket k covers [k * bucket, (k + 1) * bucket) */
	double bucket;
	size_t nbuckets;
	uint64_t *bucket_completed, *bucket_errors;
	double *bucket_mean, *bucket_max; /* latency of completions in the bucket */
	int audit_ok;                     /* 1 passed, 0 failed, -1 not run */
};

/* NULL if C is valid, else a message naming what is wrong (static). */
const char *lbsim_validate(const struct lbsim_config *c);

/*
 * Runs the simulation. Returns 0 and fills R (free with lbsim_report_free),
 * or -1 if C is invalid (see lbsim_validate), memory runs out, or the
 * running code must stop (budget_poll), with R zeroed.
 * O(requests log(in flight)) plus sorting the latencies.
 */
int lbsim_run(const struct lbsim_config *c, struct lbsim_report *r);
void lbsim_report_free(struct lbsim_report *r);

#endif
