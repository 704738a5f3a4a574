/*
 * queue.h — queueing theory you can check: the M/M/c queue in closed form
 * (Erlang B and Erlang C) and a simulation of the same system.
 *
 * Requests arrive at ARRIVAL a second (a Poisson process), wait in one
 * first-come-first-served line, and are served by SERVERS identical servers,
 * each finishing SERVICE requests a second (exponential service times, mean
 * 1/SERVICE). M/M/1 is SERVERS = 1. With A = ARRIVAL/SERVICE (the offered
 * load, in erlangs) and rho = A/SERVERS (the utilisation), the system is
 * stable only when rho < 1; then (Kleinrock, Queueing Systems vol. 1,
 * 1975, §3.2 and §3.5; Gunther, Analyzing Computer System Performance with
 * Perl::PDQ, 1st ed. 2005, ch. 2 "Getting the Jump on Queueing"):
 *
 *   Erlang B, by the recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))
 *   Erlang C, the chance an arrival waits: C = B / (1 - rho (1 - B))
 *   mean wait         Wq = C / (SERVERS*SERVICE - ARRIVAL)
 *   mean response     W  = Wq + 1/SERVICE
 *   mean in queue     Lq = ARRIVAL * Wq, in system L = ARRIVAL * W (Little)
 *   waiting time      P(Wq > t) = C exp(-(SERVERS*SERVICE - ARRIVAL) t)
 *
 * The response time is the wait plus one service: its quantiles are found
 * by bisection on that mixture (exact for c = 1: exponential of rate
 * SERVICE - ARRIVAL).
 */
#ifndef BACKLAB_QUEUE_H
#define BACKLAB_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define QUEUE_MAX_SERVERS 100000
#define QUEUE_MAX_RATE 1e9
#define QUEUE_MAX_REQUESTS 5000000

/* Errors of queue_erlang_c and queue_sim_run. */
#define QUEUE_EINPUT (-1)    /* a rate is not a positive finite number, or servers out of range */
#define QUEUE_EUNSTABLE (-2) /* arrival >= servers * service */

struct queue_erlang {
	double arrival, service;  /* requests a second */
	int servers;
	double offered;           /* A = arrival / service, erlangs */
	double utilisation;       /* rho = A / servers */
	double erlang_b;          /* B(servers, A): blocked share if nobody waited */
	double wait_probability;  /* C(servers, A) */
	double mean_wait;         /* Wq, seconds */
	double mean_response;     /* W = Wq + 1/service, seconds */
	double mean_in_queue;     /* Lq */
	double mean_in_system;    /* L */
	double wait_p99;          /* the 99th percentile of the wait, seconds */
	double p50, p90, p99;     /* percentiles of the response time, seconds */
};

/*
 * Erlang B for offered load A >= 0 erlangs and C >= 0 servers, by the
 * recursion (stable in floating point for any C).
 */
double queue_erlang_b(double a, int c);

/*
 * Erlang C (the probability of waiting) for A erlangs on C servers; A < C.
 * By the direct sum, in logarithms: the cross-check of queue_erlang_b's
 * route. Returns NaN when A >= C or an argument is out of range.
 */
double queue_erlang_c_sum(double a, int c);

/*
 * Fills *Q with the M/M/c results. Returns 0, QUEUE_EINPUT or
 * QUEUE_EUNSTABLE (then *Q holds the inputs, offered and utilisation only).
 */
int queue_erlang_c(double arrival, double service, int servers, struct queue_erlang *q);

/*
 * The P-quantile (0 <= p < 1) of the response time of a stable M/M/c
 * described by Q (from queue_erlang_c), seconds.
 */
double queue_response_quantile(const struct queue_erlang *q, double p);

/* Distributions of the simulation's gaps between arrivals and service times. */
enum queue_dist { QUEUE_EXPONENTIAL, QUEUE_DETERMINISTIC, QUEUE_UNIFORM, QUEUE_NDISTS };

struct queue_sim_config {
	double arrival, service;   /* rates, a second */
	int servers;
	int64_t requests;          /* measured requests, 1..QUEUE_MAX_REQUESTS */
	int64_t warmup;            /* requests before them, not measured, >= 0 */
	uint64_t seed;
	enum queue_dist arrival_dist, service_dist; /* uniform: on [0, 2/rate] */
};

/*
 * What one run measured, over the window from the first measured arrival
 * to the last one (T seconds). Time averages clip each request's stay to
 * the window, so L and lambda*W are measured independently: Little's law
 * L = lambda W holds up to the window's edges.
 */
struct queue_sim_result {
	int64_t requests;
	double duration;          /* T, seconds */
	double arrival_rate;      /* measured requests / T */
	double utilisation;       /* busy server-seconds / (servers * T) */
	double wait_probability;  /* share of measured requests that waited */
	double mean_wait, mean_response; /* over the measured requests, seconds */
	double mean_in_queue;     /* time average of the number waiting */
	double mean_in_system;    /* time average of the number in the system: L */
	double little_lw;         /* arrival_rate * mean_response: lambda W */
	double little_error;      /* |L - lambda W| / lambda W */
	double p50, p90, p99, p999, max; /* response time, seconds */
	double wait_p50, wait_p99;
};

/*
 * Simulates the FCFS queue: each request takes the server that frees
 * first (the order of starts is the order of arrivals). Deterministic for
 * a seed; the arrivals and the service times come from two streams, so a
 * run with other servers sees the same requests. Returns 0, QUEUE_EINPUT
 * (with *ERR naming the bad parameter), or -3 with *ERR = "not enough
 * memory" or "stopped" (budget_poll). Unstable configurations run (the
 * queue grows); nothing to free.
 */
int queue_sim_run(const struct queue_sim_config *c, struct queue_sim_result *r, const char **err);

/* The distribution called NAME ("exponential"...); -1 if none. */
int queue_dist_parse(const char *name);

#endif
