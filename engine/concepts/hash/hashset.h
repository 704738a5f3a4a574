/*
 * hashset.h — a set of named nodes placed by one of three schemes (a
 * ketama ring, rendezvous hashing, a Maglev table), behind one interface:
 * what lab.hash.ring, lab.hash.rendezvous and lab.hash.maglev share.
 *
 * Keys are byte strings. A ring looks a key up by its ketama hash
 * (chash_ketama word 0); rendezvous and Maglev by chash_hash64. Node
 * indices run 0 .. nodes - 1 in the order the scheme keeps them (see each
 * scheme's header); they change when a node is removed.
 */
#ifndef BACKLAB_HASHSET_H
#define BACKLAB_HASHSET_H

#include <stddef.h>
#include <stdint.h>

enum hashset_kind { HASHSET_RING, HASHSET_RENDEZVOUS, HASHSET_MAGLEV };

struct hashset;

/*
 * An empty set of KIND. PARAM is the ring's points per unit of weight
 * (1..HASHRING_MAX_POINTS) or the Maglev table's size (a prime,
 * 3..MAGLEV_MAX_SIZE); rendezvous ignores it. Returns NULL if PARAM is out
 * of range or memory runs out. Free with hashset_free.
 */
struct hashset *hashset_new(enum hashset_kind kind, uint32_t param);
void hashset_free(struct hashset *s);

enum hashset_kind hashset_kind(const struct hashset *s);
/* The scheme's own object: a struct hashring, rendezvous or maglev. */
void *hashset_impl(const struct hashset *s);

/* Whether the kind takes weights (Maglev does not). */
int hashset_weighted(enum hashset_kind kind);

/* Adds a node (the name is copied) of WEIGHT (> 0, finite; 1 for Maglev).
 * Returns 0, or -1 (nothing changes) if the name is taken, the weight is
 * not allowed, the scheme is full, or memory runs out. */
int hashset_add(struct hashset *s, const char *name, size_t len, double weight);
/* Removes a node: 0, or -1 if there is none of that name. */
int hashset_remove(struct hashset *s, const char *name, size_t len);
/* The index of the node of that name, or -1. */
int hashset_find(const struct hashset *s, const char *name, size_t len);
size_t hashset_nodes(const struct hashset *s);
const char *hashset_name(const struct hashset *s, size_t i, size_t *len);

/* The node KEY maps to, or -1 if the set has no nodes. */
int hashset_lookup(const struct hashset *s, const void *key, size_t len);

/*
 * Counts the keys "key-1" .. "key-N" per node into COUNTS (nodes entries,
 * zeroed first). Returns 0, or -1 if the set has no nodes, or the running
 * code must stop (budget_stop(): N may be 10^8).
 */
int hashset_distribution(const struct hashset *s, uint64_t n, uint64_t *counts);

/*
 * Rendezvous only: writes every node index into ORDER (nodes entries), best
 * score for KEY first; the first is always hashset_lookup's answer (ties
 * of the float scores are broken as lookup breaks them). Returns 0, or -1
 * if the set is not a rendezvous set or memory runs out.
 */
int hashset_rank(const struct hashset *s, const void *key, size_t len, size_t *order);

#endif
