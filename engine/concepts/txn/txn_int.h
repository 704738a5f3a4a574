/*
 * txn_int.h — what the files of engine/concepts/txn share (not for
 * bindings): the record, crash points, message helpers, runner pieces.
 */
#ifndef BACKLAB_TXN_INT_H
#define BACKLAB_TXN_INT_H

#include "engine/concepts/txn/txn.h"
#include "engine/concepts/rand/rand.h"

/* Records event KIND of NODE about TX (REC may be NULL). */
void txn_note(struct sim *s, struct txn_record *rec, uint32_t node, uint32_t tx,
	      enum txn_ev kind, int32_t arg);
/* A record for NODES nodes (events allocated); 0 or -1. */
int txn_record_init(struct txn_record *rec, uint32_t nodes);
/* Whether a crash point of CR fires for this node at STEP of TX: 1 (the
 * node is crashing: *DYING set, crash and restart scheduled), 0, or -1
 * after sim_abort(). */
int txn_crash_at(struct sim_ctx *c, struct txn_crash *cr, uint32_t ncr, struct txn_record *rec,
		 enum txn_step step, uint32_t tx, int *dying);
/* Sends {t = T, K1 = V1, K2 = V2, KB = B} (NULL keys left out); 0 or -1
 * after sim_abort(). */
int txn_send(struct sim *s, uint32_t from, uint32_t to, const char *t, const char *k1,
	     int64_t v1, const char *k2, int64_t v2, const char *kb, int b);
/* Sets NODE's tick timer; 0 or -1 after sim_abort(). */
int txn_tick(struct sim *s, uint32_t node, double delay);
/* Reads a message's t and its TXKEY field (1..TXN_MAX_TX); 0 or -1. */
int txn_msg(const uint8_t *msg, size_t len, struct simv *t, int64_t *tx, const char *txkey);
/* A simulation of NODES nodes for RUN, OUT cleared and its record ready;
 * NULL on failure. */
struct sim *txn_new_sim(const struct txn_run *run, uint32_t nodes, struct txn_result *out);
/* Draws a crash point: a node, a step of its role (ROLES[0] for node 1,
 * ROLES[1] for the others), a transaction, a down time. */
void txn_draw_crash(struct rng *r, const struct txn_run *run, uint32_t nodes, int three,
		    const char *roles, struct txn_crash *out);
/* Adds lab.sim's nemesis if asked, runs S to RUN->time; 0, or -1 with S
 * and OUT freed. */
int txn_finish(const struct txn_run *run, struct sim *s, struct txn_result *out);

#endif
