/*
 * schema.h — functional dependencies and normal forms (Codd, "Further
 * normalization of the data base relational model", 1971; Boyce-Codd normal
 * form, 1974; Bernstein's 3NF synthesis, 1976; the textbook algorithms of
 * Silberschatz, Korth & Sudarshan, Database System Concepts, chapter 7).
 *
 * A relation's attributes are numbered 0..63 and sets are bit masks. Every
 * algorithm is deterministic: where a textbook says "pick some", it picks
 * the smallest set (fewest attributes, then the lowest bits) or the first
 * dependency in order. Searches over subsets refuse relations of more than
 * SCHEMA_MAX_SEARCH attributes (return -1).
 */
#ifndef BACKLAB_SCHEMA_H
#define BACKLAB_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#define SCHEMA_MAX_SEARCH 20

typedef uint64_t attrs;

struct fd {
	attrs lhs, rhs;
};

/* X+: every attribute X determines under F[0..N). */
attrs schema_closure(attrs x, const struct fd *f, size_t n);

/* The candidate keys of relation R (minimal X with R in X+), ordered by
 * size then bits, up to MAX into KEYS; returns how many (-1: R too large). */
int schema_keys(attrs r, const struct fd *f, size_t n, attrs *keys, int max);

/* A minimal cover of F: single attributes on the right, no extraneous
 * attribute on the left, no redundant dependency; into OUT (room for the
 * number of right-hand attributes of F); returns its size. */
size_t schema_cover(const struct fd *f, size_t n, struct fd *out);

/*
 * The normal form of R under F: 4 for BCNF, 3, 2, or 1 (every relation
 * given is taken to be in 1NF: atomic values). *WHY (if not NULL) gets the
 * dependency that breaks the next form (lhs and rhs; both 0 for BCNF).
 * -1 if R is too large to search.
 */
int schema_normal_form(attrs r, const struct fd *f, size_t n, struct fd *why);

/*
 * Decompositions of R, into RELS (room for MAX); return how many (-1: too
 * large). bcnf: split on the smallest violating X (R_i into X+ and R_i -
 * (X+ - X)) until every part is in BCNF: lossless, not always
 * dependency-preserving. 3nf: Bernstein's synthesis from the minimal cover
 * (one relation per left side, plus a key if none holds one, parts inside
 * others dropped): lossless and dependency-preserving.
 */
int schema_bcnf(attrs r, const struct fd *f, size_t n, attrs *rels, int max);
int schema_3nf(attrs r, const struct fd *f, size_t n, attrs *rels, int max);

/* Whether splitting R into PARTS loses no information (the chase test). */
int schema_lossless(attrs r, const struct fd *f, size_t n, const attrs *parts, int nparts);
/* Whether every dependency of F can be checked inside the parts. */
int schema_preserving(const struct fd *f, size_t n, const attrs *parts, int nparts);

#endif
