/*
 * replication.h — replicated key-value stores on lab.sim (DDIA chapter 5):
 * single-leader replication (synchronous, semi-synchronous, asynchronous),
 * leaderless quorums (N, R, W; read repair; sloppy quorums and hinted
 * handoff) and multi-leader replication with last-writer-wins; clients
 * issuing reads and writes; and checkers for what clients observe.
 *
 * Client operations (lab.sim requests):
 *   {f = "write", key = k, value = v}   -> ok {version = ...} or fail
 *   {f = "read", key = k}               -> ok {value = v, version = ...}
 *   {f = "read", keys = {k1, k2}}       -> ok {k1 = {value, version}, ...}
 * A version is a log index (single-leader) or a timestamp with the
 * writer's id (leaderless, multi-leader: {ts, by}); larger is newer.
 *
 * Single leader (node 1 at first): a write is appended to the leader's log
 * and streamed to the followers, which acknowledge cumulatively ("I have
 * everything up to i"); the leader resends from each follower's position
 * every RESEND seconds, so loss only delays. The leader answers a write
 * at once (async), after one follower has it (semisync), or after all
 * have it (sync). Followers apply in log order, or (ordered = 0) as
 * entries arrive, which breaks consistent prefix under reordering. A
 * follower may be slow (APPLY_DELAY). Failover promotes the follower
 * whose log is longest; acknowledged writes beyond it are lost.
 *
 * Leaderless (Dynamo-style): each key's preference list is N consecutive
 * nodes from hash(key) on the ring of nodes; a write gets a timestamp from
 * its coordinator's clock and goes to the N, succeeding with W acks; a read
 * asks the N and answers with the newest of R replies, repairing older
 * replicas (read repair). Replicas that do not answer within TIMEOUT are
 * replaced, with a sloppy quorum, by the next nodes of the ring, which
 * keep the write as a hint and hand it off when the intended node answers
 * again (hinted handoff).
 *
 * Multi-leader: every node is a leader for the clients that use it; a
 * write takes the local clock's time, is acknowledged at once and sent to
 * the other leaders; conflicts resolve by last writer wins (largest
 * timestamp, then node id).
 */
#ifndef BACKLAB_REPLICATION_H
#define BACKLAB_REPLICATION_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/sim/sim.h"

enum repl_mode { REPL_ASYNC, REPL_SEMISYNC, REPL_SYNC };

/* ---- single leader ---- */

struct leader_cfg {
	enum repl_mode mode;
	int ordered;            /* followers apply in log order */
	double resend;          /* seconds between resends of unacknowledged entries */
	double apply_delay;     /* followers apply this long after receiving */
	uint32_t slow;          /* ... only this follower (0: all of them) */
};
extern const struct sim_behaviour leader_behaviour;
/* Makes NODE the leader (others follow it): failover. 0, or -1. */
int leader_promote(struct sim *s, uint32_t node);
/* The length of NODE's log and how much of it is applied; -1 if it is
 * not a leader-follower node. */
int64_t leader_log_len(struct sim *s, uint32_t node, int64_t *applied);
/* Whether NODE's log holds the write of KEY with VALUE. */
int leader_log_has(struct sim *s, uint32_t node, const char *key, size_t kl, const char *value,
		   size_t vl);

/* ---- leaderless ---- */

struct quorum_cfg {
	uint32_t n, r, w;       /* replicas per key, read and write quorums */
	double timeout;         /* wait this long for replicas */
	int sloppy;             /* fall back to the next nodes of the ring */
	int read_repair;
	double handoff;         /* seconds between hint deliveries (0: no handoff) */
};
extern const struct sim_behaviour quorum_behaviour;

/* ---- multi-leader ---- */

struct multi_cfg {
	double resend;          /* seconds between resends to other leaders */
};
extern const struct sim_behaviour multi_behaviour;

/* ---- runs ---- */

enum repl_kind { REPL_LEADER, REPL_QUORUM, REPL_MULTI };
enum read_policy { READ_LEADER, READ_ANY, READ_FOLLOWER, READ_STICKY, READ_RYW };

struct repl_run {
	enum repl_kind kind;
	uint32_t nodes, clients, keys;
	uint64_t seed;
	double time;            /* clients act from 0.1 s to time - 1 s */
	double period;          /* each client's mean time between operations */
	double writes;          /* share of operations that are writes */
	double latency;         /* mean (exponential, min 10%) */
	double loss, clock_skew;
	double reorder;         /* messages held back 5 x latency with this probability */
	int multi_key;          /* reads ask for two keys at once */
	enum read_policy reads; /* single leader: where clients read */
	double ryw_window;      /* READ_RYW: read from the leader this long after writing */
	double timeout;         /* client timeout (info) */
	/* faults: leader crash with failover after FAILOVER seconds; a
	 * partition of the nodes in PART (bit i-1 set) from the others over
	 * [part_at, part_until) */
	double crash_at, failover;
	uint64_t part;
	double part_at, part_until;
	int keep;               /* keep the simulation (and its trace) */
	struct leader_cfg leader;
	struct quorum_cfg quorum;
	struct multi_cfg multi;
};

struct repl_run rep_defaults(enum repl_kind k);

struct repl_report {
	uint64_t writes, reads, ok, failed, info;
	uint64_t ryw, monotonic, prefix;   /* read-your-writes, monotonic reads, consistent prefix
	                                      violations */
	uint64_t stale;         /* reads older than the newest write acknowledged before
	                           the read began */
	uint64_t lost;          /* acknowledged writes that did not survive: single
	                           leader, not in the final leader's log; multi-leader,
	                           discarded for a write that completed before they
	                           began but carries a larger timestamp */
	double max_lag;         /* single leader: largest lag of a follower (entries) */
	double max_lag_s;       /* ... and the longest it waited for an entry (s) */
	uint64_t repairs, hints, handoffs;
	struct sim *sim;        /* when kept; free with sim_free */
	uint32_t leader;        /* the leader at the end */
};

/* NULL, or what is wrong with R (static). */
const char *rep_check(const struct repl_run *r);
int rep_run(const struct repl_run *r, struct repl_report *out);

/* The checkers, on any history of these operations (S's history): counts
 * into OUT's ryw, monotonic, prefix and stale. For multi-key reads the
 * versions must be log indexes (single leader) to judge the prefix. */
void rep_check_history(struct sim *s, struct repl_report *out);

#endif
