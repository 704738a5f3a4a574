/*
 * crdt.h — state-based CRDTs (Shapiro, Preguiça, Baquero, Zawirski,
 * "Conflict-free Replicated Data Types", SSS 2011, and the companion
 * report "A comprehensive study of Convergent and Commutative Replicated
 * Data Types", INRIA RR-7506, 2011): each replica updates its own state
 * and merges states received from others; merge is a join in a
 * semilattice (commutative, associative, idempotent), so replicas that
 * have seen the same updates have the same state, whatever the order and
 * number of merges.
 *
 *   gcounter   grow-only counter: one count per replica; value = sum; merge = max per replica
 *   pncounter  two G-counters: increments P and decrements N; value = P - N
 *   gset       grow-only set; merge = union
 *   2pset      a G-set of adds and a G-set of removes (tombstones): an element
 *              removed once can never come back; remove needs it present locally
 *   orset      observed-remove set: each add makes a unique tag (replica, seq);
 *              remove tombstones the tags it has seen; an add concurrent with a
 *              remove wins (the remove did not see its tag)
 *   lww        last-writer-wins register: (value, timestamp, replica); merge
 *              keeps the larger (timestamp, replica, value): the value breaks
 *              the tie of one replica writing twice at one timestamp
 *   mvreg      multi-value register: each value carries a version vector; a
 *              write dominates what its replica has seen; merge keeps every
 *              value no other dominates (concurrent writes become siblings)
 *
 * Elements and values are byte strings (copied). Every state keeps its
 * entries sorted, so two equal states compare equal byte for byte and
 * crdt_equal() is a plain comparison. Memory from budget_malloc(); a
 * failed operation returns -1 and leaves the state as it was.
 */
#ifndef BACKLAB_CRDT_H
#define BACKLAB_CRDT_H

#include <stddef.h>
#include <stdint.h>

enum crdt_type { CRDT_GCOUNTER, CRDT_PNCOUNTER, CRDT_GSET, CRDT_2PSET, CRDT_ORSET,
		 CRDT_LWW, CRDT_MVREG, CRDT_TYPES };

/* "gcounter", "pncounter", ...; crdt_type_of gives -1 for an unknown name. */
const char *crdt_type_name(enum crdt_type t);
int crdt_type_of(const char *name);

struct crdt;

/* A fresh replica REPLICA (>= 1) of type T, or NULL without memory. */
struct crdt *crdt_new(enum crdt_type t, uint32_t replica);
void crdt_free(struct crdt *c);
/* A copy (same replica id), or NULL. */
struct crdt *crdt_clone(const struct crdt *c);
enum crdt_type crdt_type(const struct crdt *c);
uint32_t crdt_replica(const struct crdt *c);

/* Merges FROM into INTO (both of one type): 0, or -1 (types differ, or no
 * memory; INTO unchanged). */
int crdt_merge(struct crdt *into, const struct crdt *from);
/* Whether A and B hold the same state (replica ids aside). */
int crdt_equal(const struct crdt *a, const struct crdt *b);

/* Counters. gcounter refuses BY < 0. */
int crdt_inc(struct crdt *c, int64_t by);
int64_t crdt_count(const struct crdt *c);

/* Sets. 2pset's remove fails (-1) for an element not present here; a
 * remove of an absent element is a no-op (0) for orset. */
int crdt_add(struct crdt *c, const char *e, size_t n);
int crdt_remove(struct crdt *c, const char *e, size_t n);
int crdt_has(const struct crdt *c, const char *e, size_t n);

/* Registers. lww uses TS (a write older than the value held is ignored);
 * mvreg ignores it. */
int crdt_set(struct crdt *c, const char *v, size_t n, double ts);

/* The value as strings: a set's elements, or a register's value(s), sorted;
 * *OUT and each string borrowed until the next change of C. */
struct crdt_str {
	const char *s;
	size_t n;
};
size_t crdt_values(const struct crdt *c, const struct crdt_str **out);

/*
 * Walking the raw state, for display: entry I (0-based) of part PART
 * (counters: 0 = P, 1 = N; 2pset: 0 = adds, 1 = removes; orset: 0 = adds,
 * 1 = tombstones; mvreg: entry i is a sibling, j its vector). Returns 0 and
 * fills what applies, or -1 past the end.
 */
struct crdt_entry {
	const char *s;       /* element / value, or NULL */
	size_t n;
	uint32_t replica;    /* counter's replica, tag's replica, lww's writer */
	uint64_t count;      /* counter value, tag sequence */
	double ts;           /* lww */
	size_t nvv;          /* mvreg: entries of the version vector */
};
int crdt_entry(const struct crdt *c, int part, size_t i, struct crdt_entry *e);
/* mvreg: the J-th (replica, count) of sibling I's version vector. */
int crdt_vv(const struct crdt *c, size_t i, size_t j, uint32_t *replica, uint64_t *count);

/* Bytes of state (metadata included): how tombstones and vectors grow. */
size_t crdt_size(const struct crdt *c);

/*
 * The algebra, checked on random histories: R replicas do OPS random
 * operations each interleaved with random pairwise merges (some repeated);
 * then, from three of the states reached, merge must be commutative,
 * associative and idempotent, and after everyone merges with everyone (in
 * a random order, twice) all replicas must be equal and hold the value a
 * sequential model of the operations predicts. Returns 0 with *BAD set to
 * the number of cases that broke a law (0 for every type here), or -1.
 */
struct crdt_laws {
	int cases;
	int commutative, associative, idempotent, converged, correct; /* cases that held */
};
int crdt_check_laws(enum crdt_type t, uint64_t seed, int cases, int replicas, int ops,
		    struct crdt_laws *out);

#endif
