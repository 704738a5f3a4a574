/*
 * raft_int.h — what the files of lab.raft share: the node's durable and
 * volatile areas and the key-value state machine (raftkv.c).
 */
#ifndef BACKLAB_RAFT_INT_H
#define BACKLAB_RAFT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/sim/simval.h"

/* The state machine: keys and values in insertion order, and a session per
 * client (§8): its last seq and the result of that operation. Values and
 * results are simval bytes. */
struct rkv_ent {
	char *key;
	size_t kl;
	uint8_t *val;
	size_t vl;
};
struct rkv_sess {
	int64_t client, seq;
	uint8_t *res;
	size_t rl;
};
struct rkv {
	struct rkv_ent *e;
	size_t n, cap;
	struct rkv_sess *s;
	size_t ns, scap;
};

/* NULL if OP is an operation the store knows, else why not (static). */
const char *rkv_valid(struct simv op);
/* Applies OP (a no-op for anything rkv_valid refuses: a no-op entry is
 * nil), writing its result into RES (nothing: nil). 0, or -1 without
 * memory. */
int rkv_apply(struct rkv *kv, struct simv op, struct simw *res);
int rkv_get(const struct rkv *kv, const char *key, size_t kl, const char **v, size_t *vl);
void rkv_encode(const struct rkv *kv, struct simw *w);
/* Fills an empty KV from V; 0, or -1 (malformed or no memory: free KV). */
int rkv_decode(struct rkv *kv, struct simv v);
void rkv_free(struct rkv *kv);

struct rpend {
	uint64_t index, term, req;
};

/* Durable: currentTerm, votedFor, the log after the snapshot, the snapshot. */
struct rdur {
	uint64_t term;
	uint32_t vote;
	uint64_t base, base_term;  /* last index and term the snapshot covers */
	uint64_t *terms, *hashes;
	uint8_t **cmds;
	size_t *lens;
	size_t n, cap;
	uint8_t *snap;             /* the state machine at base (rkv_encode) */
	size_t snap_len;
};

/* Volatile: lost in a crash. */
struct rvol {
	int role;
	uint32_t leader;
	uint64_t commit, applied;
	struct rkv kv;
	uint64_t etimer, htimer;
	uint64_t *next, *match;    /* [n], by node id - 1 */
	uint8_t *granted;          /* [n] votes received this term */
	uint32_t votes;
	struct rpend *pend;
	size_t npend;
	uint64_t rejects, removed, added;
	int dirty;                 /* ran since the auditor last looked */
	int logged_role;
	uint64_t logged_term, logged_commit;
};

/* Whether NODE (a raft node) ran since the last call; clears it. */
struct sim;
int raft_take_dirty(struct sim *s, uint32_t node);

#endif
