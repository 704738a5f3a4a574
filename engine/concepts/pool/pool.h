/*
 * pool.h — a connection pool in front of a database: a discrete-event
 * simulation of pool size against throughput and latency, with Little's law
 * checked on the results.
 *
 * The model.
 *
 *  Clients: open or closed. Open: requests arrive as a Poisson process of
 *  RATE a second. Closed: CLIENTS clients, each thinks for an exponential
 *  time of mean THINK, sends one request, waits for its outcome, and thinks
 *  again.
 *
 *  The pool: SIZE connections, all open before the run starts (a warm
 *  pool). A request takes an idle connection if there is one. Otherwise it
 *  waits, first come first served, in a queue of at most MAX_WAITING (when
 *  the queue is full it is rejected at once), for at most TIMEOUT seconds
 *  (then it gives up: timed out). A finished query hands its connection to
 *  the request that has waited longest, or returns it to the idle set.
 *  SIZE = 0 means no pool: every request opens its own connection, which
 *  takes CONNECT seconds, runs its query, and closes it; the database then
 *  sees every request at once, up to MAX_CONNECTIONS open connections
 *  (beyond that a request is rejected, "too many connections").
 *
 *  The database: CORES cores shared by the queries running on it. A query's
 *  work is SERVICE seconds of one core (exponentially distributed with that
 *  mean, or exactly SERVICE). With `a` queries running, each progresses at
 *
 *        s(a) = min(1, CORES/a) / (1 + CONTENTION * max(0, a - CORES))
 *
 *  seconds of work per second. Up to CORES queries run at full speed; more
 *  take turns on the cores (egalitarian processor sharing), which alone
 *  would keep the total throughput at CORES/SERVICE; and every query beyond
 *  the cores adds overhead (context switches, lock and latch waits, cache
 *  misses), so the total a*s(a)/SERVICE = CORES/(SERVICE*(1 + CONTENTION*
 *  (a - CORES))) falls as more run at once. That is why a bigger pool is not
 *  always faster: once the database is busy, extra connections only move the
 *  queue from the pool, where waiting is cheap, into the database, where it
 *  slows every query. With CONTENTION = 0 they neither help nor hurt. (This
 *  is a model of its own, one linear contention term, not Gunther's
 *  Universal Scalability Law, whose downturn comes from a coherency term
 *  quadratic in the concurrency; the practical rule it supports is
 *  HikariCP's "About Pool Sizing": a pool sized near the database's cores,
 *  not the clients' count.)
 *
 * The run. Arrivals stop at DURATION; the run goes on until every request
 * has left, so each request ends exactly once: served, timed out or
 * rejected. Statistics are measured over the window [WARMUP, DURATION].
 * Randomness comes from two streams seeded from SEED, one for arrivals and
 * think times and one for the work of each query (drawn when the request
 * arrives), so runs with the same seed and different pool sizes see the
 * same requests (common random numbers). Events at the same instant are
 * handled in the order: query done, connection open, timeout, arrival.
 */
#ifndef BACKLAB_POOL_H
#define BACKLAB_POOL_H

#include <stddef.h>
#include <stdint.h>

enum pool_service { POOL_EXPONENTIAL, POOL_CONSTANT };

struct pool_config {
	double rate;             /* open: arrivals a second (0 when closed) */
	int64_t clients;         /* closed: clients (0 when open) */
	double think;            /* closed: mean think time, seconds, >= 0 */
	int64_t size;            /* connections; 0 = no pool */
	double timeout;          /* longest wait for a connection; INFINITY = none */
	int64_t max_waiting;     /* longest wait queue; -1 = unbounded */
	double connect;          /* seconds to open a connection (no pool only) */
	int64_t cores;           /* database cores, >= 1 */
	double service;          /* mean work of a query, seconds of one core, > 0 */
	enum pool_service service_dist;
	double contention;       /* slowdown per query beyond the cores, >= 0 */
	int64_t max_connections; /* database limit; 0 = unlimited */
	double duration;         /* arrivals in [0, duration) */
	double warmup;           /* statistics over [warmup, duration] */
	uint64_t seed;
};

/* What happened at one event (see pool_step). */
enum pool_event_kind {
	POOL_ACQUIRE,   /* a request arrived and took an idle connection */
	POOL_WAIT,      /* a request arrived and queued for a connection */
	POOL_REJECT,    /* a request arrived and was turned away */
	POOL_CONNECT,   /* a request arrived and started opening a connection */
	POOL_START,     /* a connection finished opening; its query started */
	POOL_TIMEOUT,   /* a waiting request gave up */
	POOL_DONE,      /* a query finished (its connection went to the next
			   waiting request, back to idle, or was closed) */
};

struct pool_event {
	double time;
	enum pool_event_kind kind;
};

/* Where the simulation stands (cheap to ask for, at any event). */
struct pool_state {
	double now;
	/* the whole run so far: requests = served + timed_out + rejected + in_system */
	uint64_t requests, served, timed_out, rejected;
	uint64_t in_system, waiting, connecting, active, idle;
	uint64_t thinking;        /* closed: clients thinking (and still to come) */
	int done;                 /* every request has left and no more will come */
};

/* Statistics of the run so far (see pool_stats). */
struct pool_stats {
	struct pool_state state;
	/* the window [warmup, min(now, duration)] */
	double window;            /* its length, seconds */
	uint64_t arrivals;        /* requests that arrived in it */
	uint64_t departed;        /* of those, how many have left */
	uint64_t completed;       /* queries finished in it (served) */
	double throughput;        /* completed / window: served a second */
	double arrival_rate;      /* arrivals / window: Little's lambda */
	double L;                 /* time-average number of requests in the system */
	double W;                 /* mean time in the system of the window's
				     arrivals that have left (served: until done;
				     timed out: the timeout; rejected: 0) */
	double lambda_W;          /* arrival_rate * W, to compare with L */
	double mean_waiting;      /* time-average number waiting for a connection */
	double mean_active;       /* time-average number of queries on the database */
	double wait_mean;         /* mean time served requests took to get a
				     connection (without a pool: CONNECT) */
	/* latency (arrival to done) of the window's served requests; NAN if
	   none. Percentiles are nearest-rank: the smallest latency with at
	   least p% of them at or below it. */
	double latency_mean, p50, p95, p99, latency_max;
};

struct pool;

/*
 * Checks CFG: NULL if valid, else a static message naming the bad option
 * ("cores must be an integer between 1 and 100000").
 */
const char *pool_config_check(const struct pool_config *cfg);

/*
 * A simulation at time 0 with nothing yet arrived; CFG is copied. Returns
 * NULL if CFG is invalid (*ERR = the reason, if ERR is not NULL) or memory
 * runs out (*ERR = "not enough memory"). Free with pool_free.
 */
struct pool *pool_new(const struct pool_config *cfg, const char **err);
void pool_free(struct pool *p);

const struct pool_config *pool_config(const struct pool *p);

/*
 * Handles the next event: returns 1 and describes it in *EV (if not NULL),
 * 0 when the run is over (every request has left and no more will come), or
 * -1 if memory ran out (the simulation is then stopped: every later call
 * returns -1).
 */
int pool_step(struct pool *p, struct pool_event *ev);

/*
 * Handles every event up to time UNTIL (INFINITY: to the end) and moves the
 * clock to UNTIL (or to the last event, if the run ends first; an UNTIL
 * before now handles nothing). Returns the number of events handled, or -1
 * if memory ran out or the running code must stop (budget_poll: the run
 * stands between two events and may go on later).
 */
int64_t pool_run(struct pool *p, double until);

void pool_state(const struct pool *p, struct pool_state *st);

/*
 * Fills *ST. Computing the percentiles takes time linear in the number of
 * requests served and reorders the simulation's internal list of latencies
 * (hence not const); nothing observable changes.
 */
void pool_stats(struct pool *p, struct pool_stats *st);

/* Returns 0 if the invariants hold (see pool.c), else -1. */
int pool_check(const struct pool *p);

/* The speed of each query with A running: s(a) above. */
double pool_speed(const struct pool_config *cfg, int64_t a);

const char *pool_event_name(enum pool_event_kind k);

#endif
