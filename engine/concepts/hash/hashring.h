/*
 * hashring.h — a consistent-hash ring with virtual nodes, ketama-compatible.
 *
 * The ring ("continuum") is the circle of 32-bit numbers. A node with weight
 * w owns round(vnodes * w) points on it (at least 1). Its points come four at
 * a time from MD5 digests, as in libketama and the Couchbase SDK RFC 0026:
 * point i of node NAME is chash_ketama("NAME-" (i / 4), i % 4), the
 * little-endian uint32 number i % 4 of MD5("NAME-<i/4>"). With vnodes = 160
 * and weight 1 that is ketama's 40 repetitions x 4 points.
 *
 * A key belongs to the node of the first point at or after the key's hash,
 * going clockwise and wrapping from the top to the first point. The key hash
 * is chash_ketama(key, 0). Adding a node takes over only the arcs just before
 * its new points; removing one hands its arcs to the next points clockwise.
 *
 * Weights are absolute (points proportional to each node's own weight), not
 * libketama's share of a total, so adding a node never moves the others'
 * points.
 *
 * Invariants (hashring_check): points are sorted by (hash, node name), so
 * equal hashes of different nodes are ordered the same whatever the order of
 * insertion; node names are unique; each node has exactly its npoints points
 * and every point names an existing node.
 *
 * Node indices (0-based, in insertion order) are valid until the next
 * hashring_remove, which shifts the indices after the removed node down.
 */
#ifndef BACKLAB_HASHRING_H
#define BACKLAB_HASHRING_H

#include <stddef.h>
#include <stdint.h>

#define HASHRING_MAX_POINTS 1000000 /* per node */

struct hashring;

struct hashring_point {
	uint32_t hash;
	uint32_t node;
};

/* An empty ring with VNODES points per unit of weight (1..HASHRING_MAX_POINTS),
 * or NULL if VNODES is out of range or memory runs out. Free with
 * hashring_free. */
struct hashring *hashring_new(unsigned vnodes);
void hashring_free(struct hashring *r);

/*
 * Adds node NAME (LEN bytes; copied) with WEIGHT (> 0, finite). Returns its
 * index, or -1 if the name is already there, the weight is invalid, it would
 * get more than HASHRING_MAX_POINTS points, or memory runs out; on error
 * nothing changes. O(points).
 */
int hashring_add(struct hashring *r, const char *name, size_t len, double weight);

/* Removes node NAME; returns 0, or -1 if there is no such node. O(points). */
int hashring_remove(struct hashring *r, const char *name, size_t len);

/* Index of node NAME, or -1. O(nodes). */
int hashring_find(const struct hashring *r, const char *name, size_t len);

size_t hashring_nodes(const struct hashring *r);
unsigned hashring_vnodes(const struct hashring *r);
/* Node I's name (not NUL-terminated; *LEN gets its length), weight, points. */
const char *hashring_name(const struct hashring *r, size_t i, size_t *len);
double hashring_weight(const struct hashring *r, size_t i);
size_t hashring_npoints(const struct hashring *r, size_t i);

/* The continuum, sorted; *N gets its length. Valid until the next change. */
const struct hashring_point *hashring_points(const struct hashring *r, size_t *n);

/* Index into the continuum of the first point with hash >= HASH, wrapping
 * to 0 past the last; 0 when the ring is empty. O(log points). */
size_t hashring_locate(const struct hashring *r, uint32_t hash);

/* The node owning key hash HASH, or -1 if the ring is empty. */
int hashring_lookup(const struct hashring *r, uint32_t hash);

/* The node owning KEY (LEN bytes), hashed with chash_ketama(key, 0). */
int hashring_lookup_key(const struct hashring *r, const void *key, size_t len);

/* Fills SHARE[i] with the fraction of the circle node i owns (the arcs that
 * end at its points); SHARE has hashring_nodes() entries. */
void hashring_shares(const struct hashring *r, double *share);

/* Returns 0 if the invariants hold, else -1. O(points). */
int hashring_check(const struct hashring *r);

#endif
