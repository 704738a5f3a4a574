/*
 * txn.h — transactions across nodes on lab.sim: two-phase commit,
 * three-phase commit, sagas with compensations, the transactional outbox.
 *
 * Two-phase commit (Gray, "Notes on Data Base Operating Systems", 1978;
 * Bernstein, Hadzilacos, Goodman, "Concurrency Control and Recovery in
 * Database Systems", 1987, ch. 7). Node 1 is the coordinator, nodes
 * 2..P+1 the participants. Each participant holds a balance; a
 * transaction moves amounts between them (a delta per participant). The
 * messages, which Lua nodes may send and receive too:
 *   coordinator -> participant  {t = "prepare", tx = k, delta = d}
 *   participant -> coordinator  {t = "vote", tx = k, yes = true|false}
 *   coordinator -> participant  {t = "commit", tx = k} | {t = "abort", tx = k}
 *   participant -> coordinator  {t = "ack", tx = k}
 *   participant -> coordinator  {t = "status", tx = k}  (in doubt: asks again)
 * The participant votes yes when its balance stays >= 0 and no other
 * transaction is prepared there (that one's locks are held), and writes
 * its vote and delta to its durable area before it replies; once it voted
 * yes it waits for the decision, however long. The coordinator logs its
 * decision durably before sending it, resends it until acknowledged, and
 * answers a status query for a transaction it never decided with abort
 * (presumed abort: after a crash, an undecided transaction is aborted).
 *
 * Three-phase commit (Skeen, "Nonblocking Commit Protocols", SIGMOD 1981)
 * adds a pre-commit round ({t = "precommit"}, acked with {t = "ack", pre =
 * true}) and a termination protocol: a participant that hears nothing for
 * TIMEOUT asks every other node ({t = "query"}, answered {t = "state", s =
 * "prepared"|"precommit"|"commit"|"abort"|"none"}) and decides from the
 * answers that arrive within TIMEOUT/2: any commit -> commit; any abort ->
 * abort; any precommit (its own included) -> commit; else abort. A
 * coordinator waiting for pre-commit acks commits when they time out, and a
 * restarted coordinator runs the termination protocol too. This is
 * non-blocking only if every silent node has crashed (bounded delays, no
 * partitions): a partition makes both sides decide, differently.
 *
 * Crash points. A crash can be placed at a named step of a node's
 * protocol (struct txn_crash); when the node reaches that step it crashes
 * at once (what the step was about to do is not done) and restarts DOWN
 * seconds later with only its durable area.
 *
 * Sagas (Garcia-Molina, Salem, "Sagas", SIGMOD 1987): node 1 is an
 * orchestrator, nodes 2..S+1 services, one per step. Messages:
 *   orchestrator -> service  {t = "do", saga = k, step = i} | {t = "undo", saga = k, step = i}
 *   service -> orchestrator  {t = "done", saga = k, step = i, ok = true|false}
 *                          | {t = "undone", saga = k, step = i}
 * Services are idempotent (a repeated do or undo changes nothing) and
 * refuse the step a saga is set to fail at. The orchestrator logs each
 * step's outcome durably, retries on silence, and on a refusal compensates
 * the steps done, in reverse order; restarted, it resumes from its log.
 *
 * The outbox (Richardson, "Microservices Patterns", 2018, ch. 3.3.7): node
 * 1 a service with a local database, node 2 a consumer. Each order writes
 * the order row and an outbox row in one local transaction; a relay
 * publishes unpublished outbox rows until the consumer acknowledges them
 * (at least once); the consumer skips event ids it has applied when it is
 * idempotent. The "dual" mode writes the row and then sends the event
 * once: a crash between the two loses the event.
 *
 * Errors: runners return 0, or -1 (no memory, or told to stop: the
 * simulation's error); memory from budget_malloc().
 */
#ifndef BACKLAB_TXN_H
#define BACKLAB_TXN_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/sim/sim.h"

#define TXN_MAX_TX 64       /* transactions (or sagas, orders) per run */
#define TXN_MAX_PART 8      /* participants (or saga steps) */
#define TXN_MAX_CRASH 8     /* crash points per run */
#define TXN_MAX_EVENTS 4096 /* events recorded per run (more are counted, not kept) */

/* Where a node may crash. */
enum txn_step {
	TXN_S_NONE,
	/* coordinator */
	TXN_S_BEFORE_PREPARE, TXN_S_MID_PREPARE, TXN_S_AFTER_PREPARE, TXN_S_BEFORE_LOG,
	TXN_S_AFTER_LOG, TXN_S_MID_DECISION, TXN_S_AFTER_DECISION,
	TXN_S_AFTER_PRECOMMIT_LOG, TXN_S_MID_PRECOMMIT, /* 3PC */
	/* participant */
	TXN_S_BEFORE_VOTE, TXN_S_AFTER_VOTE, TXN_S_BEFORE_APPLY, TXN_S_AFTER_APPLY,
	TXN_S_AFTER_PRECOMMIT, /* 3PC */
	/* saga orchestrator */
	TXN_S_AFTER_STEP, TXN_S_AFTER_UNDO,
	/* outbox service */
	TXN_S_AFTER_WRITE, TXN_S_AFTER_PUBLISH,
	TXN_S_COUNT
};

/* The step's name ("after_log"), and its role: 'c' coordinator, 'p'
 * participant, 'o' orchestrator, 's' outbox service; '3' in ROLE3 when
 * only 3PC has it. */
const char *txn_step_name(enum txn_step s);
char txn_step_role(enum txn_step s, int *only3pc);
/* The step called NAME, or TXN_S_NONE. */
enum txn_step txn_step_of(const char *name);

struct txn_crash {
	uint32_t node;      /* which node */
	enum txn_step step;
	uint32_t tx;        /* at this transaction / saga / order (0: the first it reaches) */
	double down;        /* seconds down; < 0: never restarts */
	int fired;
};

/* What happened, for the timeline. */
enum txn_ev {
	TXN_E_BEGIN, TXN_E_PREPARE, TXN_E_VOTE, TXN_E_LOG, TXN_E_DECIDE, TXN_E_CRASH,
	TXN_E_RESTART, TXN_E_ASK, TXN_E_PRECOMMIT, TXN_E_TERMINATE, TXN_E_PARTITION,
	TXN_E_DO, TXN_E_UNDO, TXN_E_REFUSE, TXN_E_SAGA_END, TXN_E_WRITE, TXN_E_PUBLISH,
	TXN_E_APPLY, TXN_E_SKIP,
};

struct txn_event {
	int64_t at;         /* ns */
	uint32_t node, tx;
	enum txn_ev kind;
	int32_t arg;        /* a vote (1 yes, 0 no), a decision (1 commit, 2 abort), a step */
};

/* States of a transaction at a node. */
enum txn_state { TXN_NONE, TXN_PREPARED, TXN_PRECOMMIT, TXN_COMMITTED, TXN_ABORTED };
const char *txn_state_name(enum txn_state s);

/* Shared by the nodes of one run (may be absent). */
struct txn_record {
	struct txn_event *ev;
	size_t nev, lost;
	uint32_t nodes;
	/* [tx * nodes + node - 1]: when node first was prepared (voted yes) /
	 * learned the decision, ns, -1 never */
	int64_t prepared[TXN_MAX_TX * (TXN_MAX_PART + 1)];
	int64_t decided[TXN_MAX_TX * (TXN_MAX_PART + 1)];
};

/* Bugs a runner can put in, to see what each rule of the protocol is for. */
enum txn_bug {
	TXN_BUG_NONE,
	TXN_BUG_DECIDE_ALONE, /* a participant in doubt aborts on its own after TIMEOUT */
	TXN_BUG_FORGET,       /* a participant keeps its vote in memory only */
	TXN_BUG_NO_LOG,       /* the coordinator sends its decision without logging it */
	TXN_BUG_NO_COMPENSATE,/* the orchestrator stops at a refusal, compensating nothing */
	TXN_BUG_NO_SAGA_LOG,  /* the orchestrator keeps its progress in memory only */
};

/* Configuration of the commit nodes (shared by the nodes of a run). */
struct txn_cfg {
	int three;               /* 3PC */
	double timeout;          /* vote / doubt / termination timeout, seconds */
	double retry;            /* resend period, seconds */
	int64_t balance;         /* each participant's starting balance */
	uint32_t vote_no;        /* a participant that votes no (0: none) */
	enum txn_bug bug;
	/* 3PC: right after the first precommit is sent, cut the coordinator and
	 * the first participant off from the others, for PARTITION seconds */
	double partition;
	struct txn_crash crash[TXN_MAX_CRASH];
	uint32_t ncrash;
	struct txn_record *rec;  /* may be NULL */
};

extern const struct sim_behaviour txn_coordinator_behaviour;
extern const struct sim_behaviour txn_participant_behaviour;

/* A coordinator node's decision on transaction TX (1-based): TXN_COMMITTED,
 * TXN_ABORTED or TXN_NONE; -1 if NODE is not a running coordinator. */
int txn_decision(struct sim *s, uint32_t node, uint32_t tx);
/* A reference participant's state of TX and its balance; -1 if not one. */
int txn_participant(struct sim *s, uint32_t node, uint32_t tx, int64_t *balance);

/* ---- runners ---- */

struct txn_run {
	uint32_t participants;  /* or saga steps */
	uint32_t txns;          /* transactions, sagas or orders */
	uint64_t seed;
	double latency, loss, time;
	int nemesis;            /* 0 none; 1 one crash point drawn from the seed; 2 that and
	                           lab.sim's nemesis (partitions, crashes, loss) */
	int trace;              /* keep the simulation */
};

struct txn_result {
	struct sim *sim;        /* kept if trace, else NULL (free with sim_free) */
	struct txn_record rec;
	uint32_t nodes, txns;
	/* [tx * nodes + node - 1]: the final state (decision at the coordinator) */
	uint8_t state[TXN_MAX_TX * (TXN_MAX_PART + 1)];
	int32_t delta[TXN_MAX_TX * (TXN_MAX_PART + 1)];
	int64_t balance[TXN_MAX_PART + 1];
	uint32_t mixed;         /* transactions some node committed and another aborted */
	uint32_t unfinished;    /* transactions some participant is still in doubt about */
	struct txn_crash crash[TXN_MAX_CRASH];  /* the crash points used (drawn ones too) */
	uint32_t ncrash;
	struct sim_stats stats;
	/* sagas */
	uint32_t started, completed, compensated, broken; /* broken: neither all done nor all undone */
	uint8_t done[TXN_MAX_TX * TXN_MAX_PART];   /* net effect at each service: 1 applied */
	/* outbox */
	uint32_t orders, published, applied, duplicates, missing;
};

/* 2PC (CFG->three = 0) or 3PC: RUN->txns transactions, one every second
 * from t = 0.1, each moving a seeded amount from one participant to
 * another. */
int txn_commit_run(const struct txn_run *run, struct txn_cfg *cfg, struct txn_result *out);

struct saga_cfg {
	uint32_t fail_step;      /* the step sagas are refused at (0: none) */
	uint32_t fail_every;     /* ... in every this many sagas (1: all) */
	double retry;
	enum txn_bug bug;
	struct txn_crash crash[TXN_MAX_CRASH];
	uint32_t ncrash;
	struct txn_record *rec;
};
extern const struct sim_behaviour txn_orchestrator_behaviour;
extern const struct sim_behaviour txn_service_behaviour;
/* Service NODE's net effect for saga K (1 applied, 0 not) and how many do /
 * undo it performed; -1 if NODE is not a service. OPS, if not NULL, gets
 * the sequence of undo times (ns) of saga K. */
int txn_service(struct sim *s, uint32_t node, uint32_t saga, uint32_t *dos, uint32_t *undos,
		int64_t *undo_at);
int txn_saga_run(const struct txn_run *run, struct saga_cfg *cfg, struct txn_result *out);

struct outbox_cfg {
	int dual;                /* write, then send once (no outbox) */
	int idempotent;          /* the consumer skips ids it has applied */
	double retry;
	struct txn_crash crash[TXN_MAX_CRASH];
	uint32_t ncrash;
	struct txn_record *rec;
};
extern const struct sim_behaviour txn_outbox_behaviour;
extern const struct sim_behaviour txn_consumer_behaviour;
int txn_outbox_run(const struct txn_run *run, struct outbox_cfg *cfg, struct txn_result *out);

void txn_result_free(struct txn_result *out);

/* The recorded events as text, one line each ("  1.010  n2  voted yes (tx 1)"),
 * appended to OUT; returns 0 or -1 (no memory). */
struct sbuf;
int txn_timeline(const struct txn_record *rec, struct sbuf *out);
/* The event's description ("voted yes"), without time and node. */
void txn_event_text(const struct txn_event *e, char *buf, size_t size);

#endif
