/*
 * resilience.h — a service graph on a simulated clock, and the mechanisms
 * that keep it standing: timeouts, retries with exponential backoff and
 * jitter, retry budgets, circuit breakers, bulkheads, bounded queues
 * (backpressure), load shedding by queue time, rate limiting and fallbacks.
 *
 * Sources: Google SRE book ch. 21 "Handling Overload" (per-request and
 * per-client retry limits, criticality, client-side throttling) and ch. 22
 * "Addressing Cascading Failures" (queue limits, load shedding, deadlines,
 * retries at several layers multiplying); AWS Architecture Blog, "Exponential Backoff And Jitter"
 * (M. Brooker, 2015: full, equal and decorrelated jitter); Amazon Builders'
 * Library, "Timeouts, retries, and backoff with jitter" and "Using load
 * shedding to avoid overload"; M. Nygard, Release It! (circuit breaker,
 * bulkhead).
 *
 * The model. Clients send requests (Poisson, plus optional bursts at one
 * instant) to an entry service. A service has WORKERS (a thread pool) and a
 * FIFO of at most QUEUE waiting requests; a request that finds the queue
 * full is rejected at once (backpressure). A worker does the service's own
 * work (LATENCY seconds on average), then calls the service's dependencies
 * one after the other, holding the worker while it waits (a blocking
 * thread-per-request server: a slow dependency holds threads), then
 * replies. Every call, the client's included, goes through the caller's
 * policy for that edge: circuit breaker, bulkhead, timeout, retries with
 * backoff and a budget, and a fallback when all that failed. A caller that
 * times out stops waiting, but the callee does not know and finishes the
 * work anyway: wasted work, the engine of retry amplification.
 * Deterministic: one seed, a simulated clock.
 */
#ifndef BACKLAB_RESILIENCE_H
#define BACKLAB_RESILIENCE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"
#include "engine/concepts/ratelimit/ratelimit.h"

#define RS_MAX_SERVICES 64
#define RS_MAX_CALLS 8          /* dependencies of one service */
#define RS_MAX_FAULTS 64
#define RS_MAX_BURSTS 64
#define RS_MAX_SWITCHES 64
#define RS_NAME_MAX 32          /* a name's bytes, with the NUL */
#define RS_MAX_WINDOW 10000     /* a breaker's window of calls */
#define RS_MAX_EVENTS 50000000  /* events one run may process */

/* ---- backoff ---- */

enum rs_jitter { RS_JITTER_NONE, RS_JITTER_FULL, RS_JITTER_EQUAL, RS_JITTER_DECORRELATED,
		 RS_NJITTERS };

/*
 * The wait before retry number ATTEMPT (0 for the first retry), as in the
 * AWS post: with t = min(CAP, BASE * 2^ATTEMPT),
 *   none          t
 *   full          uniform on [0, t]
 *   equal         t/2 + uniform on [0, t/2]
 *   decorrelated  min(CAP, uniform on [BASE, 3 * PREV]), PREV the previous
 *                 wait (BASE before the first retry); ATTEMPT is not used.
 * Draws at most one number from R.
 */
double rs_backoff(enum rs_jitter j, double base, double cap, int attempt, double prev,
		  struct rng *r);

/* The jitter called NAME; -1 if none. Names: none full equal decorrelated. */
int rs_jitter_parse(const char *name);
const char *rs_jitter_name(enum rs_jitter j);

/* ---- retry budget ---- */

/*
 * A retry budget as a token bucket (Finagle's RetryBudget; the SRE book,
 * ch. 21 "Deciding to Retry", keeps a client's retries under 10% of its
 * requests): each
 * request deposits RATIO tokens, each retry takes one, and the balance
 * never exceeds MIN, which is also where it starts, so a quiet client may
 * still retry MIN times. A retry without a whole token is refused.
 */
struct rs_budget {
	double ratio, min, tokens;
	uint64_t deposits, withdrawn, refused;
};

void rs_budget_init(struct rs_budget *b, double ratio, double min);
void rs_budget_request(struct rs_budget *b);
/* 1 if a retry may go (and takes its token), else 0. */
int rs_budget_retry(struct rs_budget *b);

/* ---- circuit breaker ---- */

enum rs_breaker_state { RS_CLOSED, RS_OPEN, RS_HALF_OPEN };

struct rs_breaker_config {
	double threshold;   /* failure ratio over the window that opens it, (0, 1] */
	int window;         /* the last WINDOW outcomes recorded while closed */
	int min_calls;      /* no decision before this many outcomes in the window */
	double open_for;    /* seconds open before letting probes through */
	int probes;         /* half-open: calls let through, all must succeed to close */
};

/*
 * The breaker's rules:
 *  - CLOSED: every call is allowed; each outcome enters the window (the
 *    last WINDOW outcomes); when the window holds at least MIN_CALLS
 *    outcomes and the failed share is >= THRESHOLD, it OPENS (at that
 *    outcome's time).
 *  - OPEN: calls are refused; the first call asked at or after opened +
 *    OPEN_FOR finds it HALF_OPEN.
 *  - HALF_OPEN: at most PROBES calls are let through, the others refused;
 *    an outcome that fails OPENS it again (at that time); PROBES successes
 *    CLOSE it with an empty window. Outcomes recorded while OPEN are
 *    ignored (replies of calls made before it opened).
 */
struct rs_breaker {
	struct rs_breaker_config c;
	enum rs_breaker_state state;
	double opened;
	unsigned char *ring;    /* WINDOW outcomes, 1 = failed */
	int head, count, failures;
	int let_through, successes; /* half-open */
	uint64_t transitions, refused;
};

/* Returns 0, or -1 if memory runs out or the config is invalid (*ERR says
 * which). Free with rs_breaker_free. */
int rs_breaker_init(struct rs_breaker *b, const struct rs_breaker_config *c, const char **err);
void rs_breaker_free(struct rs_breaker *b);
/* Whether a call may go at NOW (moves OPEN to HALF_OPEN when due). */
int rs_breaker_allow(struct rs_breaker *b, double now);
/* Records the outcome of a call that was allowed: OK 1 or 0. */
void rs_breaker_record(struct rs_breaker *b, double now, int ok);
/* The state at NOW, as rs_breaker_allow would find it, without changing it. */
enum rs_breaker_state rs_breaker_state_at(const struct rs_breaker *b, double now);
const char *rs_breaker_state_name(enum rs_breaker_state s);

/* ---- the simulation ---- */

/* How a caller calls one dependency (or how the client calls the entry). */
struct rs_policy {
	double timeout;          /* seconds; 0: wait forever */
	int retries;             /* attempts after the first */
	double backoff, cap;     /* backoff base and cap, seconds */
	enum rs_jitter jitter;
	double budget;           /* retry budget ratio; 0: no budget */
	double budget_min;
	int breaker;             /* 1: a circuit breaker on this edge */
	struct rs_breaker_config br;
	int bulkhead;            /* at most this many calls in flight; 0: no limit */
	int fallback;            /* a call that failed in the end is a degraded success */
};

/* The ops a call is made for: every request, reads only, writes only. */
enum rs_ops { RS_OPS_ALL, RS_OPS_READ, RS_OPS_WRITE };

struct rs_call_cfg {
	char to[RS_NAME_MAX];
	double weight;           /* route "one": the share of requests sent this way */
	enum rs_ops ops;         /* the call is made only for requests of that op */
	int async;               /* 1: the caller does not wait for the work: the call
				    succeeds once the callee admits the attempt */
	struct rs_policy p;
};

enum rs_dist { RS_EXPONENTIAL, RS_DETERMINISTIC };

/* How a request picks its dependencies among the eligible calls (those
 * whose ops match the request's): ALL calls them in order, ONE calls one
 * drawn by weight, KEY calls the one at index rs_shard(key, eligible). */
enum rs_route { RS_ROUTE_ALL, RS_ROUTE_ONE, RS_ROUTE_KEY };

struct rs_service_cfg {
	char name[RS_NAME_MAX];
	int workers;
	int queue;               /* most requests waiting; 0: none wait */
	double latency;          /* mean of the service's own work, seconds */
	enum rs_dist dist;
	double errors;           /* share of requests that fail after the work */
	double shed_after;       /* drop a request that waited longer; 0: never */
	enum rs_route route;
	int64_t cache;           /* items of a look-aside LRU of keys; 0: no cache */
	double write_latency;    /* mean work of a write, seconds; <= 0: = latency */
	int read_only;           /* 1: a write that arrives fails (an error) */
	int limited;             /* 1: admission through the token bucket below */
	double limit_rate;
	int64_t limit_burst;
	int ncalls;
	struct rs_call_cfg calls[RS_MAX_CALLS];
};

enum rs_fault_mode { RS_DOWN, RS_SLOW, RS_ERROR, RS_BROWNOUT, RS_NMODES };

/* From AT to UNTIL, SERVICE is: down (refuses every request at once; those
 * inside fail when it goes down), slow (its work takes FACTOR times
 * longer), error (a share RATE of its requests fail), brownout (only
 * FACTOR of its workers serve). */
struct rs_fault {
	char service[RS_NAME_MAX];
	double at, until;
	enum rs_fault_mode mode;
	double factor, rate;
};

struct rs_burst {
	double at;
	int64_t count;
};

/* At AT, the clients' entry becomes ENTRY (a blue/green switch, or its
 * rollback): attempts sent from then on, retries included, go there;
 * requests already inside the old entry stay there. */
struct rs_switch {
	double at;
	char entry[RS_NAME_MAX];
};

/* ---- traces ---- */

#define RS_MAX_TRACES 10000

/*
 * Spans of sampled client requests, shaped as OpenTelemetry and W3C Trace
 * Context shape them: a trace id (32 hex digits) shared by a request's
 * spans, a span id (16 hex digits) each, and the parent's span id.
 *   REQUEST  the client's logical request, retries and backoff included
 *            (the root);
 *   CLIENT   one attempt of a call, by the caller (a retry is a new CLIENT
 *            span, a sibling of the first); it ends when the reply comes,
 *            the caller's timeout fires, or at once when the breaker or the
 *            bulkhead refuses it;
 *   SERVER   the callee's handling of that attempt, from its arrival (queue
 *            time included) to its reply; its parent is the CLIENT span.
 * A callee does not know that its caller timed out, so a SERVER span may
 * end after its parent CLIENT span, as in real tracing.
 */
enum rs_span_kind { RS_SPAN_REQUEST, RS_SPAN_CLIENT, RS_SPAN_SERVER };

enum rs_span_status {
	RS_ST_OPEN,       /* not ended (yet) */
	RS_ST_OK, RS_ST_DEGRADED, RS_ST_ERROR, RS_ST_FAILED,
	RS_ST_TIMEOUT,    /* client: the caller stopped waiting */
	RS_ST_BREAKER,    /* client: refused by the circuit breaker */
	RS_ST_BULKHEAD,   /* client: refused by the bulkhead */
	RS_ST_REJECTED,   /* server: refused at the door (down, queue full, limiter) */
	RS_ST_SHED,       /* server: dropped after waiting too long */
	RS_ST_CRASHED,    /* server: the service went down while it was inside */
	RS_ST_UNFINISHED, /* still open when the run ended */
	RS_NSTATUS
};

struct rs_span {
	uint32_t trace;            /* index into the traces */
	int32_t parent;            /* index into the spans; -1: the root */
	enum rs_span_kind kind;
	int service;               /* whose span: -1 the client */
	int peer;                  /* CLIENT: the service called */
	int attempt;               /* CLIENT: 0 the first, k the k-th retry */
	enum rs_span_status status;
	double start, finish;
	double queued;             /* SERVER: seconds it waited for a worker */
	char id[17];
};

struct rs_trace {
	char id[33];
	uint32_t root;             /* index of its REQUEST span */
};

const char *rs_span_status_name(enum rs_span_status s);
const char *rs_span_kind_name(enum rs_span_kind k);

struct rs_config {
	uint64_t seed;
	double trace_sample;     /* share of client requests traced; 0: none */
	int trace_max;           /* at most this many traces */
	uint64_t trace_seed;     /* draws the sampling and the ids */
	double duration;         /* clients send from 0 to DURATION */
	double drain;            /* then the run goes on this long (replies, retries) */
	double interval;         /* the series' step, seconds */
	double rate;             /* client requests a second */
	int64_t keys;            /* 0: requests carry no key (key 0); else keys 1..KEYS */
	double skew;             /* the Zipf exponent of the keys' popularity (0: uniform) */
	double writes;           /* the share of client requests that are writes */
	char entry[RS_NAME_MAX];
	struct rs_policy client;
	int nservices;
	struct rs_service_cfg services[RS_MAX_SERVICES];
	int nfaults;
	struct rs_fault faults[RS_MAX_FAULTS];
	int nbursts;
	struct rs_burst bursts[RS_MAX_BURSTS];
	int nswitches;
	struct rs_switch switches[RS_MAX_SWITCHES];
};

/* Counts of one service over a span (the run, or one interval). */
struct rs_count {
	uint64_t arrivals;       /* attempts that reached it, retries included */
	uint64_t ok, errors;     /* replies */
	uint64_t rejected;       /* refused at the door: down, queue full, limiter */
	uint64_t shed;           /* dropped after waiting too long */
	uint64_t reads, writes;  /* arrivals by op */
	uint64_t hits, misses;   /* the cache's, for reads that ended their own work */
	double busy, queued;     /* gauges at the interval's end (series only) */
};

/* Figures of one service over the whole run. */
struct rs_service_stats {
	double busy_time;        /* worker-seconds busy */
	double utilization;      /* busy_time / (workers x (duration + drain)) */
	uint64_t async_jobs;     /* jobs of async calls that ended their work */
	uint64_t async_failed;   /* ... admitted, then failed: error, shed, crashed */
	uint64_t async_unfinished; /* ... admitted, still inside when the run ended */
	double lag_p50, lag_p99, lag_max; /* of those: admission to the end, s; 0: none */
};

/* Counts of one edge (a caller's calls to one callee). */
struct rs_edge_count {
	uint64_t calls;          /* logical calls */
	uint64_t attempts, retries, timeouts;
	uint64_t breaker_refused, bulkhead_refused, budget_refused;
	uint64_t failed, fallbacks;
};

struct rs_client_count {
	uint64_t requests, ok, degraded, failed;
	double p99;              /* series: latency p99 of the requests done in the interval */
};

struct rs_transition {
	double t;
	int edge;
	enum rs_breaker_state from, to;
};

struct rs_result {
	struct rs_client_count client;
	double p50, p90, p99, mean;     /* latency of the finished client requests */
	uint64_t reads, writes;         /* client requests by op */
	uint64_t reads_ok, writes_ok;   /* ... answered ok or degraded */
	uint64_t writes_degraded;       /* writes a fallback answered */
	double read_p99, write_p99;     /* latency p99 by op (NaN: none finished) */
	struct rs_count services[RS_MAX_SERVICES];
	struct rs_service_stats stats[RS_MAX_SERVICES];
	int nedges;                     /* edge 0 is the client's */
	int edge_from[RS_MAX_SERVICES * RS_MAX_CALLS + 1]; /* -1: the client */
	int edge_to[RS_MAX_SERVICES * RS_MAX_CALLS + 1];
	struct rs_edge_count edges[RS_MAX_SERVICES * RS_MAX_CALLS + 1];
	size_t nintervals;
	struct rs_client_count *client_series;     /* nintervals */
	struct rs_count *service_series;           /* nintervals * nservices, by interval */
	size_t ntransitions;
	struct rs_transition *transitions;
	uint64_t events;
	size_t nspans, ntraces;
	struct rs_span *spans;          /* by time of their start */
	struct rs_trace *traces;
};

/*
 * Checks C: NULL if valid, else a message naming the problem (which may
 * name a service: it is written into BUF of SIZE bytes).
 */
const char *rs_config_check(const struct rs_config *c, char *buf, size_t size);

/*
 * Runs the simulation. Returns 0 and fills *R (free with rs_result_free),
 * or -1 with *ERR: the config's problem (in BUF), "not enough memory",
 * "too many events" or "stopped" (budget_poll); then *R holds nothing.
 */
int rs_run(const struct rs_config *c, struct rs_result *r, const char **err, char *buf,
	   size_t size);
void rs_result_free(struct rs_result *r);

/* ---- keys ---- */

#define RS_MAX_KEYS 1000000000

/*
 * A Zipf law on 1..N of exponent S (P(k) proportional to 1 / k^S; S = 0
 * is uniform), drawn by rejection-inversion (W. Hormann and G. Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(3), 1996): O(1) a draw, no table.
 */
struct rs_zipf {
	int64_t n;
	double s;
	double hx1, hn, cut;     /* H(1.5) - 1, H(n + 0.5), the squeeze */
};

void rs_zipf_init(struct rs_zipf *z, int64_t n, double s);
int64_t rs_zipf_draw(const struct rs_zipf *z, struct rng *r);

/* The generators a run seeded with SEED draws keys and ops from (one key
 * then, if WRITES > 0, one op per client request, in order). */
void rs_key_rngs(uint64_t seed, struct rng *keys, struct rng *ops);

/* The shard of KEY among N (>= 1): the splitmix64 finalizer of KEY, mod N. */
int rs_shard(uint64_t key, int n);

#endif
