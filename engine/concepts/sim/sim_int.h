/*
 * sim_int.h — the insides of struct sim, shared by sim.c (events, network,
 * nodes, clients) and simfault.c (faults and the nemesis). Not for other
 * folders: they use sim.h.
 */
#ifndef BACKLAB_SIM_INT_H
#define BACKLAB_SIM_INT_H

#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simtrace.h"

enum ev_kind { EV_DELIVER, EV_TIMER, EV_FAULT, EV_INVOKE, EV_TIMEOUT, EV_HOOK };

/* A payload: one simval value, shared by the copies of a duplicated
 * message, freed when the last event holding it is done. */
struct payload {
	uint32_t refs;
	uint32_t len;
	long trace;        /* record of its send in the trace, or -1 */
	int64_t sent;      /* ns */
	uint8_t data[];
};

/* A scheduled event. Heap order: (at, seq). */
struct ev {
	int64_t at;
	uint64_t seq;
	uint64_t id;       /* message, timer, fault index, op index, hook token */
	struct payload *p; /* DELIVER: the message; TIMER: the tag (or NULL) */
	uint32_t node, from;
	uint32_t inc;      /* TIMER: incarnation of the node that set it */
	uint8_t kind;
};

struct node {
	const struct sim_behaviour *b;
	void *ud;
	void (*release)(void *ud);
	void *vol, *dur;
	int up;
	uint32_t inc;
	/* local clock = base_local + (t - base_t) * (1 + drift) */
	double base_local, drift;
	int64_t base_t;
	struct rng rng;
};

/* A set of pending timer ids (open addressing; 0 is the empty slot). */
struct idset {
	uint64_t *slot;
	size_t cap, count;
};

struct sim {
	struct sim_config cfg;
	struct sim_net net;          /* in force now (faults change it) */
	uint32_t n;
	struct node *nodes;          /* [n] */
	struct ev *heap;
	size_t nheap, capheap;
	uint64_t seq, msgid, timerid;
	int64_t now;
	struct rng net_rng, nemesis_rng;
	uint8_t *oneway;             /* [n * n]: from * n + to blocked one way */
	uint16_t *group;             /* [n]: group in the partition in force (all
	                                equal when none): different groups are cut */
	int64_t *last_arrival;       /* [n * n] when fifo, else NULL */
	struct sim_fault *faults;
	size_t nfaults, capfaults;
	struct sim_op *ops;
	size_t nops, capops;
	struct idset timers;
	struct simtrace *trace;
	struct sim_stats st;
	sim_hook_fn hook;
	void *hook_ud;
	int started, running, dead;
	char *error;                 /* budget-allocated, or NULL */
	const char *error_static;
};

/* Shared helpers (sim.c). */
int sim_push(struct sim *s, const struct ev *e);
void sim_set_error(struct sim *s, const char *msg);
long sim_trace_add(struct sim *s, const struct simrec *r, const void *p, size_t len);

/* Crashes / restarts node ID now (no-ops if it is down / up already). */
int sim_crash_node(struct sim *s, uint32_t id);
int sim_restart_node(struct sim *s, uint32_t id);

/* Applies fault number I now (simfault.c); 0, or -1 after sim_abort. */
int sim_apply_fault(struct sim *s, size_t i);

#endif
