/*
 * merkle.h — Merkle trees over a key-value map, and the exchange that finds
 * where two replicas differ (anti-entropy as in Dynamo, DeCandia et al.
 * 2007, section 4.7, and Cassandra's repair).
 *
 * The key space is cut into fanout^depth buckets by the key's hash (the
 * first 8 bytes of its MD5, as a big-endian number, scaled to the bucket
 * count), so both replicas agree on the bucket of a key whatever else they
 * hold. A leaf's hash is MD5 over its entries in key order (each: the
 * key's length, the key, the MD5 of the value); an inner node's hash is
 * MD5 of its children's hashes. Equal maps give equal roots; one changed
 * value changes its leaf and every node above it.
 *
 * merkle_diff() plays the exchange between two trees built with the same
 * shape: the roots are compared; below every node whose hashes differ the
 * children's hashes are sent and compared, level by level; at the leaves
 * that differ, both sides send their (key, value hash) lists. It counts
 * what crossed the network and returns the keys that differ (present on
 * one side only, or with another value). Finding k differing keys among n
 * costs at most 1 + k * fanout * depth hashes and k round trips per level,
 * where sending every key's hash would cost n.
 *
 * Memory from budget_malloc(); functions return NULL or -1 without it.
 */
#ifndef BACKLAB_MERKLE_H
#define BACKLAB_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH 16
#define MERKLE_MAX_LEAVES (1u << 20)

struct merkle_kv {
	const char *k, *v;
	size_t kl, vl;
};

struct merkle;

/* A tree of the N entries (keys distinct; borrowed during the call),
 * DEPTH 0..20 levels below the root, FANOUT 2..16, at most 2^20 leaves. */
struct merkle *merkle_build(const struct merkle_kv *kv, size_t n, int depth, int fanout);
void merkle_free(struct merkle *t);

int merkle_depth(const struct merkle *t);
int merkle_fanout(const struct merkle *t);
size_t merkle_count(const struct merkle *t);
/* Nodes at LEVEL (0: the root), and the hash of node I there (NULL if out
 * of range). */
size_t merkle_width(const struct merkle *t, int level);
const uint8_t *merkle_hash(const struct merkle *t, int level, size_t i);
/* The leaf bucket of a key. */
size_t merkle_bucket(const struct merkle *t, const char *k, size_t kl);

struct merkle_diff {
	size_t hashes;     /* node hashes sent, both ways */
	size_t entries;    /* (key, value hash) pairs sent at the leaves */
	size_t rounds;     /* round trips */
	size_t nodes;      /* inner nodes and leaves found different */
	char **keys;       /* the keys that differ, sorted; owned */
	size_t *klen;
	size_t nkeys;
};

/* Compares A and B (same depth and fanout): 0, or -1 (shapes differ, or
 * no memory). Free the result with merkle_diff_free. */
int merkle_diff(const struct merkle *a, const struct merkle *b, struct merkle_diff *out);
void merkle_diff_free(struct merkle_diff *d);

#endif
