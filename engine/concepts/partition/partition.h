/*
 * partition.h — partitioning (sharding) a key space over nodes, the load it
 * puts on each node, and what rebalancing moves (DDIA chapter 6).
 *
 * Keys are "key-1".."key-K" (for range partitioning their numbers are
 * their order, as a zero-padded key would sort); the hash of a key is
 * FNV-1a 64 (chash_hash64, lab.hash). Schemes:
 *
 *   range      K keys cut into N ranges of equal count, boundaries fixed
 *   mod        node = hash mod N
 *   ring       consistent hashing: lab.hash's ketama ring with VNODES points
 *              per node (names "n1".."nN")
 *   fixed      P partitions (hash mod P), each on one node; adding a node
 *              steals whole partitions from the busiest nodes
 *   dynamic    ranges of the hash space split in two when they exceed
 *              SPLIT bytes (HBase, RethinkDB); a new half goes to the node
 *              with the fewest bytes; adding nodes moves whole partitions
 *              from the busiest node to the idlest while that helps
 *   directory  a lookup table key -> node filled at insertion, each key on
 *              the node with the fewest keys (perfect balance, one entry per
 *              key to store and to consult)
 *
 * Loads: part_load() counts keys per node and the share of requests each
 * node serves under a workload: uniform over the keys, Zipf (rank r with
 * probability ~ 1/r^s; ranks shuffled over the keys by the seed), or
 * sequential (new keys with increasing numbers, as timestamps: all of them
 * beyond the last range's start).
 *
 * Rebalancing: part_rebalance() places the keys on FROM nodes, then on TO
 * nodes, and counts the keys and bytes whose node changed. Sizes are SIZE
 * bytes per key, or exponential with mean SIZE when VARY is set.
 *
 * Deterministic for a seed. Memory from budget_malloc(); -1 without it.
 */
#ifndef BACKLAB_PARTITION_H
#define BACKLAB_PARTITION_H

#include <stddef.h>
#include <stdint.h>

enum part_scheme { PART_RANGE, PART_MOD, PART_RING, PART_FIXED, PART_DYNAMIC, PART_DIRECTORY,
		   PART_SCHEMES };
enum part_workload { PART_UNIFORM, PART_ZIPF, PART_SEQUENTIAL };

const char *part_scheme_name(enum part_scheme s);
int part_scheme_of(const char *name);

#define PART_MAX_KEYS 2000000
#define PART_MAX_NODES 1000

struct part_config {
	enum part_scheme scheme;
	uint32_t nodes;          /* FROM for rebalancing */
	uint32_t to;             /* rebalancing: nodes after */
	uint32_t keys;           /* 1..PART_MAX_KEYS */
	uint32_t partitions;     /* fixed: P (>= nodes) */
	uint32_t vnodes;         /* ring */
	double size;             /* bytes per key (mean when vary) */
	int vary;
	double split;            /* dynamic: bytes at which a partition splits */
	enum part_workload workload;
	double zipf;             /* exponent s */
	uint32_t requests;       /* requests simulated for the shares */
	uint64_t seed;
};

struct part_config part_config_default(void);

struct part_load {
	uint32_t nodes;
	uint64_t *keys;          /* [nodes]: keys per node */
	double *share;           /* [nodes]: fraction of requests */
	double key_max_mean;     /* max / mean of keys */
	double load_max_mean;    /* max / mean of requests */
	double hottest;          /* share of the single most requested key */
	size_t directory;        /* directory: entries held */
	size_t partitions;       /* fixed, dynamic: partitions */
};

struct part_move {
	uint64_t keys_moved;
	double bytes_moved, bytes_total;
	double fraction;         /* bytes moved / bytes total */
	double ideal;            /* the least any scheme must move: |to - from| / max */
	double max_mean_before, max_mean_after; /* bytes per node */
	size_t partitions_before, partitions_after;
	double split_moves;      /* dynamic: bytes moved by splits while loading */
};

/* NULL, or what is wrong with C (static). */
const char *part_check(const struct part_config *c, int rebalance);

int part_load(const struct part_config *c, struct part_load *out);
void part_load_free(struct part_load *l);
int part_rebalance(const struct part_config *c, struct part_move *out);

#endif
