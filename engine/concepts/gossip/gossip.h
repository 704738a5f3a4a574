/*
 * gossip.h — epidemic dissemination, failure detection and service
 * discovery, as lab.sim node behaviours (sim.h), with runners that build a
 * cluster, inject faults and measure.
 *
 * Gossip (Demers et al., "Epidemic Algorithms for Replicated Database
 * Maintenance", PODC 1987): every ROUND seconds a node that knows the
 * rumor sends it to FANOUT random peers; it stops after TTL rounds (0:
 * never). With no loss, push gossip reaches N nodes in about
 * log_{fanout+1} N + ln N / fanout rounds.
 *
 * SWIM (Das, Gupta, Motivala, "SWIM: Scalable Weakly-consistent
 * Infection-style Process Group Membership Protocol", DSN 2002) with the
 * Lifeguard extensions (Dadgar, Phillips, Currey, "Lifeguard: Local Health
 * Awareness for More Accurate Failure Detection", 2018), after hashicorp's
 * memberlist:
 *   - every probe interval a node pings the next member of a shuffled
 *     round-robin list; no ack within the probe timeout: it asks INDIRECT
 *     others to ping the target for it (ping-req); no ack by the end of the
 *     interval: the target is suspect;
 *   - a suspect is declared dead when its suspicion timeout expires, unless
 *     it refutes: a node that hears it is suspected raises its incarnation
 *     number and gossips alive;
 *   - updates (alive, suspect, dead) ride on pings and acks, each sent
 *     retransmit_limit(mult, n) times;
 *   - Lifeguard: a local health multiplier (LHM, 0..awareness_max - 1)
 *     grows when this node misses the nacks its ping-req helpers owe it (or,
 *     with no helper, misses an ack) or must refute a suspicion, and
 *     shrinks on a successful probe; probe
 *     interval and timeout are scaled by LHM + 1, so a slow node suspects
 *     others less; and the suspicion timeout starts at its maximum and
 *     shrinks as independent suspicions confirm it
 *     (remaining_suspicion_time).
 *
 * Heartbeats: every INTERVAL each node sends a heartbeat to every other;
 * a node suspects a peer it has not heard from for TIMEOUT.
 *
 * Discovery: node 1 is a registry; nodes 2..N are service instances that
 * register with a TTL and renew every TTL/3; the registry drops an entry
 * not renewed within TTL. Clients ask the registry (lab.sim requests
 * {f = "lookup"}) for the instances it believes alive.
 */
#ifndef BACKLAB_GOSSIP_H
#define BACKLAB_GOSSIP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/sim/sim.h"

/* ---- memberlist's formulas (util.go, suspicion.go) ---- */

/* mult * max(1, log10(max(1, n))) * interval, the scale cut to 1/1000. */
double swim_suspicion_timeout(double mult, uint32_t n, double interval);
/* mult * ceil(log10(n + 1)). */
int swim_retransmit_limit(int mult, uint32_t n);
/* With N confirmations of K expected, after ELAPSED: max(min, floor_ms(max
 * - log(n+1)/log(k+1) * (max - min))) - elapsed; seconds (may be < 0). */
double swim_remaining_suspicion(int n, int k, double elapsed, double min, double max);

/* ---- what the runners record (shared by the nodes of one run) ---- */

struct gossip_record {
	uint32_t n;
	int64_t *informed;     /* [n]: when node i+1 first knew the rumor (ns), -1 never */
	int64_t *suspected;    /* [n * n]: observer * n + target: first suspicion (ns), -1 */
	int64_t *dead;         /* [n * n]: first "dead" at observer, -1 */
	uint64_t false_suspicions, false_deaths;  /* about nodes that were up */
	uint64_t refutations;
	uint64_t lhm_max;      /* the largest local health multiplier seen */
};

/* ---- gossip ---- */

struct gossip_cfg {
	uint32_t fanout;
	double round;
	uint32_t ttl;           /* rounds a node keeps gossiping; 0: forever */
	uint32_t origin;        /* the node that knows the rumor at time 0 */
	int pull;               /* push-pull: also ask a random peer each round */
	struct gossip_record *rec; /* may be NULL */
};
extern const struct sim_behaviour gossip_behaviour;

/* ---- SWIM ---- */

struct swim_cfg {
	double interval, timeout;     /* probe interval and timeout, seconds */
	uint32_t indirect;            /* ping-req helpers */
	double suspicion_mult, suspicion_max_mult;
	int retransmit_mult;
	int lifeguard;
	int awareness_max;
	uint32_t piggyback;           /* updates per message at most */
	struct gossip_record *rec;
};
/* memberlist's DefaultLANConfig: 1 s, 0.5 s, 3, 4, 6, 4, Lifeguard on, 8. */
struct swim_cfg swim_cfg_lan(void);
extern const struct sim_behaviour swim_behaviour;

/* A SWIM node's view of member M: 0 alive, 1 suspect, 2 dead (-1 if NODE
 * is not a running SWIM node); its incarnation and the node's LHM. */
int swim_view(struct sim *s, uint32_t node, uint32_t m, uint64_t *inc);
int swim_lhm(struct sim *s, uint32_t node);

/* ---- heartbeats ---- */

struct heartbeat_cfg {
	double interval, timeout;
	struct gossip_record *rec;
};
extern const struct sim_behaviour heartbeat_behaviour;

/* ---- discovery ---- */

struct discovery_cfg {
	double ttl;
	struct gossip_record *rec;    /* dead[i]: when the registry dropped i+1 */
};
extern const struct sim_behaviour registry_behaviour;
extern const struct sim_behaviour service_behaviour;

/* ---- runners ---- */

struct gossip_run {
	uint32_t nodes;
	uint64_t seed;
	double loss, latency;         /* latency: mean of an exponential (min 10% of it) */
	double time;                  /* seconds simulated */
	uint32_t crash;               /* a node to crash (0: none) ... */
	double crash_at;              /* ... at this time, never restarted */
	int trace;                    /* keep the trace (for drawings) */
};

struct gossip_result {
	struct gossip_record rec;
	struct sim_stats stats;
	struct sim *sim;              /* the run, if kept (free with sim_free) */
	double all_informed;          /* gossip: time all knew, -1 if not */
	uint32_t informed;
	double rounds;                /* all_informed / round */
	double detect_first, detect_all; /* failure detectors: first / last alive node
	                                    to declare the crashed one dead (s after the
	                                    crash), -1 if not */
};

int gossip_spread(const struct gossip_run *r, const struct gossip_cfg *g,
		  struct gossip_result *out);
int gossip_swim(const struct gossip_run *r, const struct swim_cfg *c, struct gossip_result *out);
int gossip_heartbeat(const struct gossip_run *r, const struct heartbeat_cfg *c,
		     struct gossip_result *out);
/* Discovery: LOOKUPS requests from a client to the registry, evenly over
 * the run; out->rec.dead[i] is when the registry (node 1) dropped instance
 * i+1.
 * *STALE counts the lookups answered with the crashed instance after it
 * crashed, *MISSING those missing an instance that was up. */
int gossip_discovery(const struct gossip_run *r, const struct discovery_cfg *c, uint32_t lookups,
		     struct gossip_result *out, uint64_t *stale, uint64_t *missing);
void gossip_result_free(struct gossip_result *out);
/* Unhooks the nodes of S from the record of their run, so S can outlive
 * it (and run on without recording). */
void gossip_detach(struct sim *s);

/* For the behaviours: OBSERVER starts suspecting (DEAD: declares dead)
 * TARGET now; counted as false when TARGET is up. REC may be NULL. */
void gossip_note(struct sim *s, struct gossip_record *rec, uint32_t observer, uint32_t target,
		 int dead);

/* Records allocated for N nodes (all -1); 0 or -1. */
int gossip_record_init(struct gossip_record *rec, uint32_t n);
void gossip_record_free(struct gossip_record *rec);

#endif
