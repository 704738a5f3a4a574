/*
 * raft.h — Raft consensus (Ongaro and Ousterhout, "In Search of an
 * Understandable Consensus Algorithm (Extended Version)", 2014) as lab.sim
 * node behaviours, a replicated key-value store on top, and an auditor of
 * the paper's safety properties.
 *
 * The node follows the paper's Figure 2:
 *   - §5.2 election: a follower that hears nothing from a leader for a
 *     randomized timeout (uniform in [election, 2 * election)) becomes a
 *     candidate, votes for itself and asks the others; a majority makes it
 *     leader. A vote granted resets the voter's timer.
 *   - §5.3 replication: AppendEntries carries prevLogIndex/prevLogTerm; a
 *     follower without that entry refuses, and the leader backs nextIndex
 *     off (by one, or to the follower's log end when it is shorter) until
 *     the logs agree; conflicting entries and all that follow are deleted.
 *   - §5.4.1 election restriction: a vote only for a candidate whose log is
 *     at least as up to date (last term, then last index).
 *   - §5.4.2 a leader counts replicas only for entries of its own term;
 *     earlier ones commit with them. A new leader appends a no-op (§8).
 *   - persistence: currentTerm, votedFor and the log are in the node's
 *     durable area (what survives a crash in lab.sim); commitIndex, roles,
 *     nextIndex/matchIndex and the state machine are volatile and rebuilt
 *     from the snapshot and the log.
 *   - §7 snapshots: once SNAPSHOT_EVERY entries are applied past the last
 *     snapshot, the node saves the state machine and drops that prefix; a
 *     leader whose follower needs a dropped entry sends InstallSnapshot.
 *   - §8 clients: operations {f = "put"|"get"|"append", key =, value =,
 *     client =, seq =} go through the log (reads too, so they are
 *     linearizable); a session per client remembers its last seq and
 *     result, so a retried write applies once. A node that is not leader
 *     refuses: {error = "not leader", leader = id or nil}.
 *
 * Messages (simval tables, key t): rv {term, li, lt}, rvr {term, ok},
 * ae {term, pi, pt, c, e = {{term, cmd}, ...}}, aer {term, ok, m | h},
 * is {term, li, lt, data}, isr {term, m}. Timers: 1 election, 2 heartbeat.
 *
 * Bugs for testing the auditor (raft_cfg.bug): RAFT_BUG_VOTE forgets
 * votedFor at restart (not persisted), RAFT_BUG_COMMIT commits entries of
 * older terms by counting, RAFT_BUG_TIMER does not reset the election timer
 * when granting a vote, RAFT_BUG_CHECK accepts AppendEntries without the
 * consistency check's term comparison (any entry at prevLogIndex will do).
 */
#ifndef BACKLAB_RAFT_H
#define BACKLAB_RAFT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"
#include "engine/concepts/sim/sim.h"

/* ---- the rules, on arrays of entry terms (index 1 = terms[0]) ---- */

/* §5.4.1: a voter whose log ends at (VT, VI) grants a candidate whose log
 * ends at (CT, CI) iff CT > VT, or CT == VT and CI >= VI. */
int raft_up_to_date(uint64_t vt, uint64_t vi, uint64_t ct, uint64_t ci);

/* §5.3: whether a log of N entries TERMS has an entry at PI with term PT
 * (PI = 0 always matches). */
int raft_prev_ok(const uint64_t *terms, size_t n, uint64_t pi, uint64_t pt);

/* §5.3, after the check passed: the index (1-based) of the first entry of
 * E (NE terms, to go at PI + 1 ...) that conflicts with TERMS (same index,
 * other term) or lies beyond its end: the log is cut before it and E from
 * there appended. Returns 0 when every entry of E is already there. */
uint64_t raft_first_new(const uint64_t *terms, size_t n, uint64_t pi, const uint64_t *e,
			size_t ne);

/* §5.3/§5.4.2: the commit index a leader of TERM with log TERMS (N) and
 * the MATCH indexes of its NF followers reaches from COMMIT: the largest
 * index a majority of NF + 1 holds, if its entry is of TERM (any term when
 * ANY_TERM: the bug). */
uint64_t raft_commit_index(const uint64_t *terms, size_t n, const uint64_t *match, size_t nf,
			   uint64_t term, uint64_t commit, int any_term);

/* ---- the node ---- */

enum { RAFT_BUG_VOTE = 1, RAFT_BUG_COMMIT = 2, RAFT_BUG_TIMER = 4, RAFT_BUG_CHECK = 8 };
enum raft_role { RAFT_FOLLOWER, RAFT_CANDIDATE, RAFT_LEADER };

struct raft_cfg {
	double election;       /* seconds: timeouts uniform in [election, 2 * election) */
	double heartbeat;      /* seconds between a leader's AppendEntries */
	uint32_t snapshot_every; /* entries applied past the snapshot before the next (0: never) */
	uint32_t batch;        /* entries per AppendEntries at most */
	int backup_one;        /* on refusal, nextIndex - 1 only (no hint) */
	int log_state;         /* write role/term/commit changes to the trace (timeline) */
	unsigned bug;          /* RAFT_BUG_* */
	/* Test set-up: the node starts with this term and log of entry terms
	 * (no-op entries), and CAMPAIGN: it stands for election at once.
	 * PRE_LOG NULL with PRE_N > 0: the terms follow this struct in the
	 * node's configuration bytes (as lab.raft.node lays them out). */
	uint64_t pre_term;
	const uint64_t *pre_log;
	size_t pre_n;
	int campaign;
};
struct raft_cfg raft_cfg_default(void);
extern const struct sim_behaviour raft_behaviour;

/* What a node holds now (for looking inside). The arrays are borrowed from
 * the node, valid until it next runs. */
struct raft_info {
	int up;
	enum raft_role role;
	uint64_t term, commit, applied;
	uint32_t vote, leader;
	uint64_t base, base_term;  /* the snapshot's last index and term */
	size_t n;                  /* entries after base */
	const uint64_t *terms;     /* [n], entries base+1 .. base+n */
	const uint64_t *hashes;    /* [n], FNV-1a of each command */
	uint64_t rejects, removed, added; /* AppendEntries refused, entries cut, appended */
	size_t keys;               /* keys in the state machine */
};
/* 0, or -1 if NODE is not a raft node. */
int raft_info(struct sim *s, uint32_t node, struct raft_info *out);
/* The value of KEY in NODE's state machine: 1 and *V, *VL (borrowed), or 0. */
int raft_get(struct sim *s, uint32_t node, const char *key, size_t kl, const char **v,
	     size_t *vl);
/* The command of entry IDX of NODE (simval, borrowed), or NULL. */
const uint8_t *raft_entry(struct sim *s, uint32_t node, uint64_t idx, size_t *len);

uint64_t raft_hash(const uint8_t *p, size_t n);

/* ---- the auditor (Figure 3's properties, and one of liveness) ---- */

/* One observation of a node after it ran. */
struct raft_obs {
	enum raft_role role;
	uint64_t term, commit;
	uint64_t base, base_term;
	size_t n;
	const uint64_t *terms, *hashes;   /* entries base+1 .. base+n */
};

struct raft_violation {
	const char *property;   /* "election safety", ... (static) */
	char *text;             /* in words, with times and nodes */
	double at;
	uint32_t nodes[2];
};

struct raft_audit;
/* An auditor of N nodes; STABLE: also a liveness rule for runs without
 * faults (once a leader is known, no higher term may start). NULL without
 * memory. */
struct raft_audit *raft_audit_new(uint32_t n, int stable);
void raft_audit_free(struct raft_audit *a);
/* Also checks the commitment rule itself (§5.4.2): a leader's commit index
 * only moves to an entry of its own term. A correct node never breaks it;
 * a node that does loses committed entries only in rare schedules. */
void raft_audit_rules(struct raft_audit *a, int on);
/* Takes NODE's state O at AT (seconds). Returns 0, 1 on the first
 * violation (kept; later calls return 1 at once), -1 without memory. */
int raft_audit_observe(struct raft_audit *a, double at, uint32_t node, const struct raft_obs *o);
/* The node crashed: its volatile state is gone (commit index restarts). */
void raft_audit_crash(struct raft_audit *a, uint32_t node);
const struct raft_violation *raft_audit_violation(const struct raft_audit *a);
/* Leaders seen (terms with a leader) and the highest committed index. */
uint64_t raft_audit_leaders(const struct raft_audit *a);
uint64_t raft_audit_committed(const struct raft_audit *a);

/* ---- runs ---- */

struct raft_run {
	uint32_t nodes;
	uint64_t seed;
	double time;           /* seconds */
	double loss;
	double latency;        /* mean of an exponential (floor 10% of it) */
	unsigned nemesis;      /* SIM_N_* kinds (0: none) */
	double fault_every, fault_for; /* the nemesis' mean quiet time and fault length (s) */
	/* Targeted faults, each with a probability: crash a node just after it
	 * grants a vote (restarted 5 ms later), or a leader just after it is
	 * elected or its commit index moves (restarted FAULT_FOR later). */
	double kill_voters, kill_leaders;
	double clients;        /* client operations per second (spread over nodes) */
	int trace;
	struct raft_cfg cfg;
};

struct raft_result {
	int violated;
	struct raft_violation v;   /* text owned by the result */
	uint64_t events, leaders, committed, ok_ops;
	struct sim *sim;           /* kept when run.trace (free with sim_free) */
};

/* Runs a cluster with the nemesis and client writes, auditing every node
 * after every event. 0, or -1 (no memory; sim error). */
int raft_run(const struct raft_run *r, struct raft_result *out);
void raft_result_free(struct raft_result *out);

/* Feeds the auditor the node that last ran, for a simulation stepped by
 * the caller (C nodes only). */
int raft_audit_sim(struct raft_audit *a, struct sim *s);

/* ---- pictures ---- */

/* A lane per node of the roles over time (from the nodes' "raft" trace
 * lines): F follower, C candidate, L leader, . down; then the highest term
 * in each slice. WIDTH 40..1000. 0 or -1. */
int raft_timeline(struct sbuf *out, struct sim *s, int width);

#endif
