/*
 * hashmove.h — how many keys move when a node joins or leaves, per scheme.
 *
 * The experiment behind every consistent-hashing lesson: place KEYS keys on
 * NODES nodes, add a node (or remove one), and count the keys whose node
 * changed. Keys are the strings "key-1" .. "key-K", nodes "node-1" ..
 * "node-N" (the added one is "node-(N+1)"), each scheme hashing them as its
 * lab.hash counterpart does, so a learner can reproduce any figure with a
 * loop in Lua:
 *
 *   modulo      chash_hash64(key) mod N            (the naive contrast)
 *   ring        hashring, VNODES points per node   (key hash: ketama MD5)
 *   jump        chash_jump(chash_hash64(key), N)   (remove: last node only)
 *   rendezvous  rendezvous, equal weights
 *   maglev      maglev with a table of SIZE entries
 *
 * Theory for comparison (uniform hashing): adding a node to N moves 1/(N+1)
 * of the keys under a consistent scheme and N/(N+1) under modulo; removing
 * one of N moves 1/N and (N-1)/N.
 */
#ifndef BACKLAB_HASHMOVE_H
#define BACKLAB_HASHMOVE_H

#include <stddef.h>
#include <stdint.h>

enum hashmove_scheme {
	HASHMOVE_MODULO,
	HASHMOVE_RING,
	HASHMOVE_JUMP,
	HASHMOVE_RENDEZVOUS,
	HASHMOVE_MAGLEV,
};

#define HASHMOVE_MAX_NODES 100000u
#define HASHMOVE_MAX_KEYS 100000000u

struct hashmove_config {
	enum hashmove_scheme scheme;
	uint32_t nodes;      /* N before the change, >= 1 (>= 2 to remove one) */
	uint64_t keys;       /* >= 1 */
	int add;             /* 1: add node N+1; 0: remove node REMOVE */
	uint32_t remove;     /* 0-based index of the node removed; jump: must be N-1 */
	unsigned vnodes;     /* ring: points per node (e.g. 160) */
	uint32_t table_size; /* maglev: a prime > N (e.g. 65537) */
};

struct hashmove_result {
	uint64_t moved;
	double fraction;        /* moved / keys */
	double expected;        /* the theory above */
	uint64_t *before;       /* keys per node before, nbefore entries */
	uint64_t *after;        /* keys per node after, nafter entries */
	size_t nbefore, nafter;
	double max_mean_before; /* the busiest node's keys / the mean */
	double max_mean_after;
};

/* Returns the name of scheme S ("modulo", "ring"...), and the scheme called
 * NAME (0) or -1. */
const char *hashmove_scheme_name(enum hashmove_scheme s);
int hashmove_scheme_parse(const char *name, enum hashmove_scheme *out);

/*
 * Runs the experiment. Returns 0 and fills OUT (free its arrays with
 * hashmove_result_free), or -1 if the configuration is invalid (see the
 * fields above; limits HASHMOVE_MAX_*), memory runs out, or the running
 * code must stop (budget_poll), leaving OUT
 * zeroed.
 */
int hashmove_run(const struct hashmove_config *c, struct hashmove_result *out);
void hashmove_result_free(struct hashmove_result *r);

#endif
