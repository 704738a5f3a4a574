/*
 * locks.h — a lock manager for strict two-phase locking, with a wait-for
 * graph and deadlock detection; and a simulation of the double-booking
 * race solved four ways, measured under contention.
 *
 * Locks. A transaction asks for a shared (S) or exclusive (X) lock on a
 * resource (an integer). S is compatible with S; X with nothing. A request
 * is granted when it is compatible with every other holder and nobody is
 * queued before it (first come, first served: no barging); else the
 * transaction waits. A holder of S asking for X (an upgrade) is granted if
 * it holds the only lock, else it waits at the head of the queue. Locks
 * are released all at once when the transaction ends (strict 2PL), and the
 * queues are then granted in order, as far as compatibility allows.
 *
 * Deadlocks. The wait-for graph has an edge W -> H when W waits for a
 * resource that H holds in an incompatible mode, or that H is queued for
 * before W in an incompatible mode. Every time a transaction starts to
 * wait, the graph is searched from it; a cycle gets one victim, aborted
 * (its locks released): the youngest (highest id: it has done the least
 * work, by default), or the one holding the fewest locks, ties to the
 * youngest.
 *
 * Memory from budget.h.
 */
#ifndef BACKLAB_LOCKS_H
#define BACKLAB_LOCKS_H

#include <stddef.h>
#include <stdint.h>

enum { LK_S, LK_X };
enum { LK_GRANTED, LK_WAITING, LK_DEADLOCK };
enum { LK_VICTIM_YOUNGEST, LK_VICTIM_FEWEST_LOCKS };

struct lk_grant {
	uint32_t tx;
	int64_t res;
	int mode;
};

struct lk_stats {
	long long requests, granted, waits, deadlocks, releases;
};

struct lockmgr;

struct lockmgr *lk_new(int victim_rule);
void lk_free(struct lockmgr *m);

/*
 * TX asks for RES in MODE. Returns LK_GRANTED, LK_WAITING, or LK_DEADLOCK
 * when waiting closed a cycle: *VICTIM is the transaction aborted to break
 * it (maybe TX itself; if not, TX is still waiting or was granted). The
 * cycle, TX first, is in CYCLE (room for MAX ids; *NCYCLE its length).
 * Requests granted by the victim's abort are appended to GRANTED (room for
 * MAXG; *NGRANTED). -1 out of memory, -2 if TX is waiting already or was
 * aborted.
 */
int lk_lock(struct lockmgr *m, uint32_t tx, int64_t res, int mode, uint32_t *victim,
	    uint32_t *cycle, size_t max, size_t *ncycle, struct lk_grant *granted, size_t maxg,
	    size_t *ngranted);

/* Ends TX (commit or abort): releases its locks, cancels its wait, and
 * grants what can be granted (appended to GRANTED, up to MAX; the count in
 * *N). Returns the number of locks released. */
int lk_release(struct lockmgr *m, uint32_t tx, struct lk_grant *granted, size_t max, size_t *n);

/* Whether TX was aborted as a deadlock victim (and not released since). */
int lk_aborted(const struct lockmgr *m, uint32_t tx);
/* The resource TX waits for (1 and *RES), or 0. */
int lk_waiting(const struct lockmgr *m, uint32_t tx, int64_t *res, int *mode);
/* Holders of RES: up to MAX into OUT; returns how many there are. */
size_t lk_holders(const struct lockmgr *m, int64_t res, struct lk_grant *out, size_t max);
/* The wait-for edges (pairs from, to) into OUT (room for MAX pairs);
 * returns how many there are. */
size_t lk_edges(const struct lockmgr *m, uint32_t *out, size_t max);
const struct lk_stats *lk_stats(const struct lockmgr *m);

/*
 * A cycle in the directed graph of N edges FROM[i] -> TO[i], or none:
 * returns its length (written to CYCLE, room for MAX, starting at its
 * smallest id and following the edges), or 0. Deterministic: nodes are
 * searched in increasing order, their edges in increasing target order.
 */
size_t lk_find_cycle(const uint32_t *from, const uint32_t *to, size_t n, uint32_t *cycle,
		     size_t max);

/* ---- the double-booking simulation ---- */

enum { BK_NONE, BK_FOR_UPDATE, BK_UNIQUE, BK_OPTIMISTIC };

struct bk_config {
	int strategy;
	int clients;        /* each books, thinks, books again */
	int slots;          /* rooms for a night: what is booked */
	double skew;        /* Zipf s of the slots' popularity; 0: uniform */
	double think;       /* mean seconds between a client's attempts */
	double query;       /* seconds of a read or a write statement */
	double hold;        /* seconds a booking keeps its slot */
	int retries;        /* optimistic: attempts before giving up */
	double duration;    /* seconds simulated */
	uint64_t seed;
};

struct bk_result {
	long long attempts, booked, taken, double_bookings, gave_up, retries, waits;
	double wait_time;   /* seconds spent waiting for locks, in all */
	double latency_mean, latency_p99; /* seconds an attempt took */
	double throughput;  /* bookings a second */
};

/* Runs the simulation; 0, or -1 (bad config, out of memory, stopped). */
int bk_simulate(const struct bk_config *c, struct bk_result *r);

#endif
