/*
 * sim.h — a deterministic discrete-event simulator of nodes on a network.
 *
 * A simulation holds N nodes (ids 1..N), each running a behaviour: C
 * callbacks (struct sim_behaviour) for built-in nodes, or the same
 * callbacks calling Lua handlers (the binding, sim_lua.c). Nodes react to
 * three kinds of input, always one at a time: a message from another node,
 * a timer they set, and a request from a client. They act by sending
 * messages, setting and cancelling timers, replying to requests and
 * writing to the trace.
 *
 * Time is simulated: a 64-bit count of nanoseconds that jumps from event to
 * event. Events wait in a binary heap ordered by (time, sequence number);
 * the sequence number is the order in which events were scheduled, so two
 * events due at the same instant run in the order they were scheduled, on
 * every machine.
 *
 * The network between the nodes is unreliable on purpose:
 *   - latency drawn per message from a distribution (constant, uniform,
 *     exponential with a floor, normal truncated at 0);
 *   - loss and duplication, each with a probability per message;
 *   - reordering: with probability `reorder` a message is held back by an
 *     extra `reorder_delay`, so later messages overtake it. With fifo set,
 *     each link (a, b) delivers in send order instead, like a TCP
 *     connection, whatever the latencies drawn;
 *   - partitions: a matrix of blocked links. A message is dropped if its
 *     link is blocked when it is sent or when it arrives. Partitions may
 *     be any grouping of the nodes, or one-way (a can reach b, b not a).
 * Nodes fail too:
 *   - crash: the node stops; its pending timers die, messages reaching it
 *     while it is down are dropped, its volatile state is lost. Each
 *     behaviour declares what survives: a durable area (the disk) kept
 *     across crashes, and a volatile area (memory) zeroed at restart;
 *   - restart: a new incarnation starts from its durable state;
 *   - clocks: each node reads a local clock, local = t * (1 + drift) +
 *     skew, with skew and drift set per node (or drawn from the seed) and
 *     changed by faults (a clock jump); timers run on local time.
 *
 * Faults come from a schedule (struct sim_fault, at given times) and from a
 * nemesis that draws a schedule from the seed (sim_nemesis). Everything
 * random comes from streams derived from the one seed: the network's draws,
 * the nemesis, each node's own generator (sim_rng) and the initial clocks
 * are separate streams, so the same seed replays the same run event for
 * event, and a change in one (a node drawing one more number) does not
 * shift the others.
 *
 * A run records a trace (every send, delivery, drop, timer, crash, fault,
 * request and log line; simtrace.h renders it) and a history of client
 * operations with their invoke and complete times (struct sim_op).
 *
 * Errors. Functions returning int return 0 on success and -1 on failure,
 * leaving the simulation as it was; sim_error() says why. Memory comes from
 * budget_malloc(); the run loop polls budget_stop() and ends with
 * SIM_STOPPED when the code that runs it must stop. A behaviour's callback
 * that fails calls sim_abort(), which ends the run with SIM_ERROR.
 */
#ifndef BACKLAB_SIM_H
#define BACKLAB_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"
#include "engine/concepts/sim/simval.h"

#define SIM_MAX_NODES 1000
#define SIM_NS 1000000000.0 /* nanoseconds per second */
#define SIM_MAX_TIME 1e9    /* seconds: about 31 years of simulated time */

struct sim;

/* ---- node behaviours ---- */

/* What a callback is given: the node, its state, and its behaviour's data. */
struct sim_ctx {
	struct sim *sim;
	uint32_t node;      /* 1..N */
	void *vol;          /* volatile area (zeroed at every start), or NULL */
	void *dur;          /* durable area (zeroed once, survives crashes), or NULL */
	void *ud;           /* the behaviour's data given to sim_add_node() */
};

/*
 * A behaviour: what a node does. Every callback may be NULL (the input is
 * then ignored). Callbacks return 0, or -1 after calling sim_abort().
 * Messages, tags, operations and results are simval-encoded bytes, borrowed
 * for the call.
 */
struct sim_behaviour {
	const char *name;
	size_t vol_size, dur_size;
	/* The node starts (RESTART = 0) or restarts after a crash (1). */
	int (*start)(struct sim_ctx *c, int restart);
	int (*receive)(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len);
	int (*timer)(struct sim_ctx *c, uint64_t timer, const uint8_t *tag, size_t len);
	/* A client request: reply with sim_reply(REQ, ...), now or later. */
	int (*request)(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len);
	/* The node crashed: release what the volatile area holds. */
	void (*crash)(struct sim_ctx *c);
	/* The simulation is freed: release what both areas hold. */
	void (*destroy)(struct sim_ctx *c);
};

/* ---- configuration ---- */

enum sim_dist {
	SIM_CONST,   /* always mean */
	SIM_UNIFORM, /* uniform in [min, max] */
	SIM_EXP,     /* min + exponential with mean (mean - min) */
	SIM_NORMAL,  /* normal(mean, sd), negative draws taken as min */
};

struct sim_latency {
	enum sim_dist dist;
	double mean, min, max, sd; /* seconds */
};

struct sim_net {
	struct sim_latency latency;
	double loss;          /* probability a message is lost, 0..1 */
	double dup;           /* probability a message is delivered twice, 0..1 */
	double reorder;       /* probability a message is held back, 0..1 */
	double reorder_delay; /* seconds it is held back */
	int fifo;             /* deliver each link's messages in send order */
};

struct sim_config {
	uint32_t nodes;       /* 1..SIM_MAX_NODES */
	uint64_t seed;
	struct sim_net net;
	double clock_skew;    /* each node's skew drawn uniformly in +-this (seconds) */
	double clock_drift;   /* each node's drift drawn uniformly in +-this (e.g. 1e-4) */
	int trace;            /* record the trace */
};

/* The defaults: 1 ms constant latency, no faults, trace on. */
struct sim_config sim_config_default(void);

/* A valid configuration: NULL, or what is wrong (static text). */
const char *sim_config_check(const struct sim_config *c);

/* ---- faults ---- */

enum sim_fault_kind {
	SIM_F_PARTITION, /* groups: group[i] = group of node i+1 (0: not listed) */
	SIM_F_HEAL,      /* every link open again */
	SIM_F_BLOCK,     /* one way: from[] -> to[] blocked (node sets as bitmaps) */
	SIM_F_UNBLOCK,   /* one way: from[] -> to[] open */
	SIM_F_CRASH,     /* node */
	SIM_F_RESTART,   /* node */
	SIM_F_LOSS,      /* value: the new loss probability */
	SIM_F_DUP,       /* value: the new duplication probability */
	SIM_F_LATENCY,   /* latency: the new distribution */
	SIM_F_CLOCK,     /* node's clock jumps by value seconds (skew += value) */
	SIM_F_DRIFT,     /* node's drift becomes value */
};

struct sim_fault {
	double at;                 /* seconds */
	enum sim_fault_kind kind;
	uint32_t node;             /* CRASH, RESTART, CLOCK, DRIFT */
	double value;              /* LOSS, DUP, CLOCK, DRIFT */
	struct sim_latency latency;/* LATENCY */
	uint16_t *group;           /* PARTITION: N entries; BLOCK/UNBLOCK: from side
	                              (nonzero = in the set); owned by the schedule */
	uint16_t *to;              /* BLOCK/UNBLOCK: N entries, the to side */
};

/*
 * Adds F to the schedule (copying the arrays, N entries each, where the
 * kind has them). Fails for a time in the past or beyond SIM_MAX_TIME, a
 * node out of range, or a probability outside 0..1.
 */
int sim_add_fault(struct sim *s, const struct sim_fault *f);

/* Writes fault F as a table, without its time: {partition = {{1, 2}, {3}}},
 * {heal = true}, {block = {from = {1}, to = {2, 3}}}, {crash = 2},
 * {restart = 2}, {loss = 0.2}, {dup = 0.1}, {latency = {dist = ...}},
 * {clock = 2, jump = 0.5}, {clock = 2, drift = 1e-4}. */
void sim_fault_encode(const struct sim *s, const struct sim_fault *f, struct simw *w);
/* "constant", "uniform", "exponential", "normal". */
const char *sim_dist_name(enum sim_dist d);

/* The kinds the nemesis may draw, as a bit set of 1 << kind. */
enum {
	SIM_N_PARTITION = 1 << 0, /* a random split: a minority cut off */
	SIM_N_ISOLATE = 1 << 1,   /* one node cut off from all others */
	SIM_N_ONEWAY = 1 << 2,    /* one node cannot send (it still receives) */
	SIM_N_CRASH = 1 << 3,     /* a node crashes, restarts later */
	SIM_N_LOSS = 1 << 4,      /* a burst of loss */
	SIM_N_CLOCK = 1 << 5,     /* a node's clock jumps */
};

struct sim_nemesis {
	unsigned kinds;   /* SIM_N_* */
	double start;     /* first fault not before (seconds) */
	double until;     /* last fault healed by (seconds) */
	double interval;  /* mean quiet time between faults (exponential) */
	double duration;  /* mean length of a fault (exponential, at least 10% of it) */
	uint32_t max_down;/* nodes down at once, at most (0: a minority) */
	double loss;      /* loss during a burst */
	double clock_jump;/* size of clock jumps (uniform in +-this) */
};

/*
 * Draws a fault schedule from the simulation's nemesis stream and adds it:
 * faults one after another from START, each healed (partition healed, node
 * restarted, loss restored to the configuration's, clock left jumped)
 * before the next begins and before UNTIL. Returns the number of faults
 * added, or -1 (the faults added before the failure stay).
 */
int sim_nemesis(struct sim *s, const struct sim_nemesis *n);

/* ---- the simulation ---- */

/* A new simulation, or NULL (sim_config_check() failed, or no memory). Free
 * with sim_free(). Nodes have no behaviour until sim_add_node(). */
struct sim *sim_new(const struct sim_config *c);
void sim_free(struct sim *s);

/*
 * Gives node ID (1..N) behaviour B with data UD, which RELEASE (if not
 * NULL) frees when the simulation is freed, or at once if this call fails.
 * Before the first event only. Nodes start at time 0, in id order, before
 * any other event.
 */
int sim_add_node(struct sim *s, uint32_t id, const struct sim_behaviour *b, void *ud,
		 void (*release)(void *ud));

uint32_t sim_nodes(const struct sim *s);
uint64_t sim_seed(const struct sim *s);
const struct sim_behaviour *sim_behaviour_of(const struct sim *s, uint32_t node);
/* The areas and data of node ID (for bindings that look inside). */
struct sim_ctx sim_ctx_of(struct sim *s, uint32_t node);
/* Whether node ID is up, and its incarnation (1 at start, +1 per restart). */
int sim_up(const struct sim *s, uint32_t node);
uint32_t sim_incarnation(const struct sim *s, uint32_t node);

/* Why the last call failed (static or owned by S; valid until the next). */
const char *sim_error(const struct sim *s);

/* ---- what callbacks do ---- */

/*
 * Sends MSG (LEN bytes, one simval value, copied) from FROM to TO over the
 * network. Returns the message id (> 0), or 0 on failure: no memory, a node
 * out of range, bytes that are not one value. A node may send to itself;
 * the message still crosses the network.
 */
uint64_t sim_send(struct sim *s, uint32_t from, uint32_t to, const uint8_t *msg, size_t len);

/*
 * Sets a timer of NODE firing after DELAY seconds of the node's local
 * clock, with TAG (one simval value, copied; NULL for nil). Returns the
 * timer id (> 0), or 0 on failure. A crash cancels every timer.
 */
uint64_t sim_set_timer(struct sim *s, uint32_t node, double delay, const uint8_t *tag,
		       size_t len);
/* Cancels timer ID of NODE; 1 if it was pending, 0 if not. */
int sim_cancel_timer(struct sim *s, uint32_t node, uint64_t id);

/*
 * Completes request REQ (sent to NODE) with OK (1 ok, 0 a definite
 * failure) and RESULT (simval, copied; NULL for nil). Returns 1, or 0 if
 * the request is no longer open (already completed, timed out, or it was
 * sent to another node or to an earlier incarnation), or -1 on failure.
 */
int sim_reply(struct sim *s, uint32_t node, uint64_t req, int ok, const uint8_t *result,
	      size_t len);

/* Appends TEXT to the trace as a log line of NODE (0: the simulation). */
int sim_log(struct sim *s, uint32_t node, const char *text, size_t len);

/* Ends the current run with SIM_ERROR and MESSAGE (copied). */
void sim_abort(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* SECONDS as nanoseconds, rounded; 0 for negative or NaN, capped at
 * SIM_MAX_TIME. */
int64_t sim_to_ns(double seconds);

/* The simulated time now, in seconds and in nanoseconds. */
double sim_now(const struct sim *s);
int64_t sim_now_ns(const struct sim *s);
/* NODE's local clock now, in seconds. */
double sim_local_time(const struct sim *s, uint32_t node);
/* NODE's own random stream (seeded from the seed and the node id). */
struct rng *sim_rng(struct sim *s, uint32_t node);

/* ---- clients ---- */

/*
 * Schedules client operation OP (simval, copied) from client CLIENT to NODE
 * at time AT (seconds, not in the past). If NODE is down at that time the
 * operation fails at once (connection refused: a definite failure); if no
 * reply comes within TIMEOUT seconds (0: none) it completes as "info"
 * (unknown: it may or may not have taken effect), as Jepsen records it.
 * Returns the operation's id (> 0), or 0 on failure.
 */
uint64_t sim_request(struct sim *s, double at, uint32_t client, uint32_t node,
		     const uint8_t *op, size_t len, double timeout);

enum sim_op_status {
	SIM_OP_PENDING,  /* not invoked yet, or invoked and still open */
	SIM_OP_OK,
	SIM_OP_FAIL,     /* definitely did not happen */
	SIM_OP_INFO,     /* timed out: unknown */
};

struct sim_op {
	uint64_t id;
	uint32_t client, node;
	uint32_t incarnation;   /* of the node it was sent to */
	int64_t invoke;         /* ns; -1 while scheduled */
	int64_t complete;       /* ns; -1 while open */
	int64_t timeout;        /* ns; 0: none */
	enum sim_op_status status;
	uint8_t *op, *result;   /* simval; result NULL when none */
	size_t op_len, result_len;
};

/* The history: every operation scheduled, in order of scheduling. */
const struct sim_op *sim_history(const struct sim *s, size_t *n);

/* ---- running ---- */

/*
 * A hook the binding uses for its own scheduled work (callbacks at a given
 * time): sim_at() schedules HOOK(s, ud, TOKEN) at AT seconds.
 */
typedef int (*sim_hook_fn)(struct sim *s, void *ud, uint64_t token);
void sim_set_hook(struct sim *s, sim_hook_fn hook, void *ud);
int sim_at(struct sim *s, double at, uint64_t token);

enum sim_status {
	SIM_IDLE,     /* no event left */
	SIM_UNTIL,    /* the time limit was reached */
	SIM_STEPPED,  /* the event limit was reached */
	SIM_ERROR,    /* a behaviour or hook aborted, or no memory; see sim_error */
	SIM_STOPPED,  /* budget_stop() asked to stop; see sim_error */
};

/*
 * Runs events due at or before UNTIL (seconds; the clock then stands at
 * UNTIL if events remain beyond it), at most MAX_EVENTS of them (0: no
 * limit; the very first call with a limit only starts the nodes, as one
 * step). Returns why it stopped. After SIM_ERROR or SIM_STOPPED the
 * simulation can be looked at but not run any further.
 */
enum sim_status sim_run(struct sim *s, double until, uint64_t max_events);

/* Whether a callback of S is running now (the binding refuses to nest runs). */
int sim_running(const struct sim *s);

struct sim_stats {
	uint64_t events;             /* processed */
	uint64_t sent, delivered, dropped_loss, dropped_partition, dropped_down;
	uint64_t duplicated, timers, bytes;
	uint64_t requests, replies;
	size_t pending;              /* events waiting */
};
void sim_stats(const struct sim *s, struct sim_stats *out);

/* The current blocked matrix: whether FROM -> TO is blocked now. */
int sim_blocked(const struct sim *s, uint32_t from, uint32_t to);
/* The node's group in the last partition (0: none in force). */
uint16_t sim_group(const struct sim *s, uint32_t node);

/* The network settings in force now. */
const struct sim_net *sim_net_now(const struct sim *s);
/* The node's skew and drift now. */
void sim_clock_of(const struct sim *s, uint32_t node, double *skew, double *drift);

/* The fault schedule, in order of time (then of addition). */
const struct sim_fault *sim_schedule(const struct sim *s, size_t *n);

/* The trace (simtrace.h). */
struct simtrace;
struct simtrace *sim_trace(struct sim *s);

#endif
