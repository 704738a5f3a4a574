/*
 * serverless.h — cold starts of a function-as-a-service platform, simulated.
 *
 * Requests arrive (Poisson at RATE a second, with optional rate steps, or
 * at given times) at a function. Each request needs an execution
 * environment to itself for WORK seconds (AWS Lambda's model: one request
 * at a time per environment, "Understanding Lambda function scaling").
 * An idle environment is reused (a warm start); when none is idle, the
 * platform creates one and the request also waits COLD_START seconds for
 * its Init phase (a cold start). An environment idle for IDLE_TIMEOUT
 * seconds is reclaimed. PROVISIONED environments are initialised before
 * the run and never reclaimed. At MAX_CONCURRENCY environments, a request
 * that finds none idle is throttled (HTTP 429) rather than served.
 *
 * Lab's choices, where platforms do not document theirs: the most recently
 * freed idle environment is reused first (so the others age out), idle
 * provisioned environments before on-demand ones, a fixed idle timeout,
 * and no limit on how fast environments are created (Lambda's is 1,000
 * per function every 10 s, "Lambda scaling behavior").
 *
 * No allocation outlives serverless_run; no global state; seeded.
 */
#ifndef BACKLAB_SERVERLESS_H
#define BACKLAB_SERVERLESS_H

#include <stddef.h>
#include <stdint.h>

#define SLS_MAX_REQUESTS 5000000
#define SLS_MAX_ENVS 1000000
#define SLS_MAX_STEPS 1000
#define SLS_MAX_BUCKETS 100000

enum sls_work { SLS_DETERMINISTIC, SLS_EXPONENTIAL };

/* From AT seconds on, requests arrive at RATE a second. */
struct sls_step {
	double at, rate;
};

struct sls_config {
	double rate;               /* arrivals a second from t = 0 (Poisson) */
	double seconds;            /* arrivals stop at this time */
	const struct sls_step *steps;  /* rate changes, AT increasing */
	size_t nsteps;
	const double *arrivals;    /* instead of RATE: given arrival times, sorted; */
	size_t narrivals;          /* then the window ends at the last one */
	double work;               /* seconds of handler time a request (the mean) */
	enum sls_work work_dist;
	double cold_start;         /* seconds of Init before a new environment's first request */
	double idle_timeout;       /* seconds idle before an environment is reclaimed */
	int provisioned;           /* environments ready at t = 0, never reclaimed */
	int max_concurrency;       /* environments at most */
	double bucket;             /* timeline bucket, seconds; 0: no timeline */
	uint64_t seed;
};

/* One bucket of the timeline: [t, t + bucket). */
struct sls_bucket {
	double t;
	int64_t arrivals, cold, throttled;
	int64_t environments;      /* existing at the bucket's end (or the window's) */
	int64_t busy;              /* busy (Init or work) at the bucket's end */
};

struct sls_result {
	int64_t requests, served, throttled;
	int64_t cold_starts, warm_starts;
	double cold_rate;          /* cold_starts / served */
	int64_t environments;      /* created (provisioned ones included) */
	int64_t reclaimed;         /* reclaimed before the window's end */
	int64_t peak_environments; /* existing at once, at most */
	double window;             /* T, seconds: arrivals happen in [0, T] */
	double mean_busy;          /* time average of environments busy in [0, T] */
	double env_seconds;        /* environment lifetimes inside [0, T] (what idle costs) */
	double mean_latency;       /* over served requests: Init (if cold) + work */
	double p50, p90, p99, p999, max;
	double arrival_rate;       /* served / T */
	struct sls_bucket *timeline; /* NULL or nbuckets, owned: serverless_result_free */
	size_t nbuckets;
};

/*
 * Runs C into *R. Returns 0; or -1 with *ERR saying which input is bad,
 * or "not enough memory", or "stopped" (budget_poll). Free R's timeline
 * with serverless_result_free (also after a failure).
 */
int serverless_run(const struct sls_config *c, struct sls_result *r, const char **err);
void serverless_result_free(struct sls_result *r);

#endif
