/*
 * rendezvous.h — rendezvous (highest random weight) hashing.
 *
 * Thaler & Ravishankar, "Using name-based mappings to increase hit rates",
 * IEEE/ACM Trans. Networking 6(1), 1998 (tech report CSE-TR-316-96, 1996):
 * every node scores every key, and the key goes to the node with the highest
 * score. Removing a node moves only its own keys (each to its runner-up);
 * adding one takes from each other node only the keys it now outscores.
 *
 * The score of node N for key hash K is s = chash_mix64(chash_hash64(N) ^ K),
 * a 64-bit integer. For a fixed key, distinct node hashes give distinct
 * scores (the mixer is a bijection), so there are no ties.
 *
 * Weights use the logarithmic method (Schindelhauer & Schomaker, "Weighted
 * distributed hash tables", SPAA 2005; popularised by Resch's "weighted
 * rendezvous hashing"): with u = ((s >> 11) + 0.5) / 2^53 in (0, 1), the
 * weighted score is -w / ln(u), and node i then wins a fraction w_i / sum(w)
 * of the keys. While all weights are equal the integer s decides (the same
 * order, without rounding).
 *
 * Lookup is O(nodes): the price of needing no table at all.
 *
 * Invariants (rendezvous_check): names unique; every weight > 0 and finite;
 * every stored name hash equals chash_hash64 of its name.
 */
#ifndef BACKLAB_RENDEZVOUS_H
#define BACKLAB_RENDEZVOUS_H

#include <stddef.h>
#include <stdint.h>

struct rendezvous;

/* An empty node set, or NULL if memory runs out. Free with rendezvous_free. */
struct rendezvous *rendezvous_new(void);
void rendezvous_free(struct rendezvous *h);

/* Adds node NAME (copied) with WEIGHT (> 0, finite); returns its index, or -1
 * if the name is already there, the weight is invalid or memory runs out
 * (nothing changes). */
int rendezvous_add(struct rendezvous *h, const char *name, size_t len, double weight);

/* Removes node NAME; returns 0, or -1 if absent. Later indices shift down. */
int rendezvous_remove(struct rendezvous *h, const char *name, size_t len);

int rendezvous_find(const struct rendezvous *h, const char *name, size_t len);
size_t rendezvous_nodes(const struct rendezvous *h);
const char *rendezvous_name(const struct rendezvous *h, size_t i, size_t *len);
double rendezvous_weight(const struct rendezvous *h, size_t i);

/* The integer score of node I for key hash KEY, and the weighted one. */
uint64_t rendezvous_raw(const struct rendezvous *h, size_t i, uint64_t key);
double rendezvous_score(const struct rendezvous *h, size_t i, uint64_t key);

/* The winning node for key hash KEY (chash_hash64 of the key), or -1 if
 * there are no nodes. Ties (possible only between weighted float scores)
 * go to the lower index. */
int rendezvous_lookup(const struct rendezvous *h, uint64_t key);

int rendezvous_check(const struct rendezvous *h);

#endif
