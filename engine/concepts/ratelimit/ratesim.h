/*
 * ratesim.h — drive a rate limiter with a stream of arrivals, for plots.
 *
 * One run makes a fresh limiter, feeds it every arrival in time order (each
 * asking for COST units) and counts what was allowed and denied: in total,
 * per interval of the run (series for plotting), and the most requests
 * allowed within any span of PEAK_WINDOW seconds (where a fixed window lets
 * twice its limit through across a window edge and a sliding log does not).
 *
 * Arrival patterns (times in seconds; nothing arrives at or after DURATION,
 * except in a trace, which is used whole):
 *   constant  START + k/RATE for k = 0, 1, ...
 *   poisson   a Poisson process of RATE a second from START: exponential
 *             gaps drawn from a struct rng seeded with SEED
 *   burst     SIZE requests at the same instant at START + k*EVERY
 *   trace     the times given, sorted first (the caller's array is copied)
 */
#ifndef BACKLAB_RATESIM_H
#define BACKLAB_RATESIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/ratelimit/ratelimit.h"

#define RATESIM_MAX_INTERVALS 1000000
#define RATESIM_MAX_ARRIVALS 1e9

enum ratesim_pattern { RATESIM_CONSTANT, RATESIM_POISSON, RATESIM_BURST, RATESIM_TRACE };

struct ratesim_config {
	struct ratelimit_config limiter;
	enum ratesim_pattern pattern;
	double rate;          /* constant, poisson: requests a second */
	double duration;      /* > 0; for a trace 0 means "up to its last time" */
	double start;         /* constant, poisson, burst: first arrival, >= 0 */
	double every;         /* burst: seconds between bursts */
	int64_t size;         /* burst: requests in a burst */
	uint64_t seed;        /* poisson */
	const double *times;  /* trace: NTIMES arrival times, each in [0, 1e9] */
	size_t ntimes;
	int64_t cost;         /* units each request asks for, >= 0 */
	double interval;      /* width of the series' intervals, seconds, > 0 */
	double peak_window;   /* span for peak, seconds, > 0 */
};

struct ratesim_result {
	uint64_t requests, allowed, denied;
	size_t intervals;           /* length of both series */
	double interval;            /* their width: interval i is [i*w, (i+1)*w) */
	uint64_t *allowed_series;   /* requests allowed in interval i */
	uint64_t *denied_series;    /* requests denied in interval i */
	uint64_t peak;              /* most requests allowed in any span of
				       peak_window seconds (two requests exactly
				       peak_window apart are not in one span) */
	double peak_first, peak_last; /* the first and last allowed times of the
					 earliest such span */
	double delay_mean, delay_max; /* leaky_queue: delays of the allowed
					 requests; 0 for the other algorithms */
};

/*
 * Runs the simulation. Returns 0 and fills *R (free its series with
 * ratesim_result_free), or -1 with *ERR set to a static message naming the
 * bad parameter ("interval must be a positive number of seconds"), "not
 * enough memory", or "stopped" (the running code must stop: budget_poll);
 * then *R holds nothing to free.
 */
int ratesim_run(const struct ratesim_config *c, struct ratesim_result *r, const char **err);

void ratesim_result_free(struct ratesim_result *r);

#endif
