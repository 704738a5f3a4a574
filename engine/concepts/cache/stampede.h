/*
 * stampede.h — a cache stampede (thundering herd) on one hot key, as a
 * discrete-event simulation on simulated time.
 *
 * Clients ask for one key at the times of a Poisson process (rate per
 * second, from a seeded struct rng) for `duration` seconds. The cached value
 * lives `ttl` seconds after it is computed; computing it takes the backend
 * `recompute` seconds of service, on `workers` parallel workers (0: as many
 * as needed) serving calls first come, first served. At time 0 the cache
 * holds a value computed at 0. A request that finds the value fresh is
 * served at once (latency 0); otherwise, by strategy:
 *
 *   none      the client calls the backend itself and waits for the result
 *             (every client arriving while the key is expired does: the herd).
 *   coalesce  one call at a time (single flight): the first client calls the
 *             backend, clients arriving while that call is in flight wait for
 *             its result.
 *   xfetch    probabilistic early expiration (Vattani, Chierichetti &
 *             Lowenstein, "Optimal Probabilistic Cache Stampede Prevention",
 *             PVLDB 8(8), 2015): a client that finds the value fresh still
 *             recomputes it, synchronously, when
 *                 now - delta * beta * ln(u) >= expiry,   u uniform in (0, 1],
 *             delta being how long the last recomputation took (as its
 *             client saw it). Otherwise as `none`.
 *
 * Request times come from a generator seeded with `seed`, XFetch's draws
 * from a second one (seed ^ 0x9E3779B97F4A7C15): the same seed gives the
 * same request times under every strategy, so runs compare like for like.
 *
 * When a call completes, the cache gets its value, fresh for ttl seconds
 * from then. Completions at the same instant as a request come first.
 * Because service time is constant and workers are first come first served,
 * calls complete in the order they were made; the simulation relies on it
 * (and checks it).
 */
#ifndef BACKLAB_STAMPEDE_H
#define BACKLAB_STAMPEDE_H

#include <stddef.h>
#include <stdint.h>

enum stampede_strategy { STAMPEDE_NONE, STAMPEDE_COALESCE, STAMPEDE_XFETCH };

#define STAMPEDE_MAX_REQUESTS 20000000u
#define STAMPEDE_MAX_BINS 1000000u

struct stampede_params {
	enum stampede_strategy strategy;
	double rate;      /* requests per second, > 0 */
	double duration;  /* seconds simulated, > 0 */
	double ttl;       /* seconds a computed value stays fresh, > 0 */
	double recompute; /* backend service time per call, seconds, > 0 */
	double beta;      /* xfetch: > 0; 1 is the paper's default */
	uint32_t workers; /* parallel backend workers; 0: unlimited */
	double bin;       /* width of the time bins of the series, seconds, > 0 */
	uint64_t seed;
};

struct stampede_result {
	uint64_t requests;
	uint64_t hits;          /* served from a fresh value, without a call */
	uint64_t calls;         /* backend calls */
	uint64_t early;         /* xfetch: calls made while the value was fresh */
	uint64_t waited;        /* coalesce: requests that waited for another's call */
	uint64_t max_inflight;  /* most backend calls in flight (or queued) at once */
	double latency_mean, latency_p50, latency_p99, latency_max;
	size_t nbins;           /* ceil(duration / bin) */
	uint32_t *bin_calls;    /* backend calls started in each bin */
	uint32_t *bin_requests; /* requests arriving in each bin */
	double *bin_latency;    /* mean latency of the requests arriving in each bin */
	double *bin_max;        /* largest latency in each bin */
};

/* The strategy named NAME ("none", "coalesce", "xfetch") or -1. */
int stampede_strategy_parse(const char *name);

/*
 * Runs the simulation. Returns 0 and fills *R (free its arrays with
 * stampede_result_free), or -1 if a parameter is out of range (including
 * more than STAMPEDE_MAX_REQUESTS expected requests or STAMPEDE_MAX_BINS
 * bins), memory runs out, or the running code must stop (budget_poll);
 * then *R holds nothing to free.
 */
int stampede_run(const struct stampede_params *p, struct stampede_result *r);
void stampede_result_free(struct stampede_result *r);

#endif
