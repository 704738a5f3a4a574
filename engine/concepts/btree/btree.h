/*
 * btree.h — a B+tree whose nodes are pages, counting the pages it reads.
 *
 * Order m: a node holds at most m - 1 keys (an internal node m children).
 * Keys live in the leaves, which are chained left to right for range
 * scans; internal nodes hold separators: child i holds the keys k with
 * sep[i-1] <= k < sep[i]. The rules, exactly (the lessons' exercises
 * reproduce them):
 *
 *   insert  a leaf that reaches m keys splits: the left keeps the first
 *           floor(m/2) keys, the right the rest, and a copy of the right's
 *           first key goes up as the separator. An internal node that
 *           reaches m keys splits the same way, except that its key at
 *           floor(m/2) moves up (it stays in neither half). A root that
 *           splits makes a new root: the tree grows one level.
 *   delete  a non-root node left with fewer than ceil(m/2) - 1 keys borrows
 *           one from its left sibling if that has more than the minimum,
 *           else from its right sibling, else merges with its left sibling
 *           (or the right one, when it is the first child); a merge takes
 *           a separator out of the parent, which may underflow in turn. A
 *           root left with no key and one child is removed: the tree
 *           shrinks one level. Separators are not rewritten after a plain
 *           delete: they stay valid bounds.
 *   reads   every node an operation looks at is one page read: a lookup
 *           reads one page per level, a range scan one per level down to
 *           the first leaf and then one per further leaf, an insert or a
 *           delete also the siblings it borrows from or merges with.
 *
 * Keys are 64-bit integers or byte strings (all integers sort before all
 * strings; strings by bytes, a prefix first). Each key carries a 64-bit
 * value. Memory comes from budget.h; an operation that runs out of it
 * returns -1 and leaves the tree as it was.
 */
#ifndef BACKLAB_BTREE_H
#define BACKLAB_BTREE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

#define BTREE_MIN_ORDER 3
#define BTREE_MAX_ORDER 4096

struct bt_key {
	const char *s; /* a string key (len bytes, owned by the tree), or NULL: an integer */
	size_t len;
	int64_t i;
};

struct btree_stats {
	long long reads;  /* pages read */
	long long writes; /* pages written (changed or created) */
	long long splits;
	long long merges;
	long long borrows;
};

struct btree;

/* A new empty tree of order M (BTREE_MIN_ORDER..BTREE_MAX_ORDER), or NULL
 * (a bad order, or out of memory). Free with btree_free(). */
struct btree *btree_new(int m);
void btree_free(struct btree *t);

/* Inserts KEY with VAL, or replaces the value of a KEY already there.
 * Returns 1 if the key is new, 0 if it was there, -1 out of memory (the
 * tree unchanged). KEY's string is copied. */
int btree_insert(struct btree *t, struct bt_key key, int64_t val);

/* 1 and *VAL (if not NULL) if KEY is there, else 0. */
int btree_get(struct btree *t, struct bt_key key, int64_t *val);

/* Removes KEY: 1 if it was there, 0 if not. */
int btree_delete(struct btree *t, struct bt_key key);

/*
 * Calls FN(key, val, ud) for each key in [LO, HI] in order (LO NULL: from
 * the first key; HI NULL: to the last); stops early, returning 1, when FN
 * returns nonzero. Returns 0 otherwise. The key passed is valid during the
 * call only.
 */
int btree_range(struct btree *t, const struct bt_key *lo, const struct bt_key *hi,
		int (*fn)(const struct bt_key *key, int64_t val, void *ud), void *ud);

int btree_order(const struct btree *t);
size_t btree_count(const struct btree *t);     /* keys */
size_t btree_pages(const struct btree *t);     /* nodes */
size_t btree_leaves(const struct btree *t);
int btree_height(const struct btree *t);       /* levels; 1 for a lone leaf */
const struct btree_stats *btree_stats(const struct btree *t);
void btree_reset_stats(struct btree *t);

/* Compares two keys: <0, 0, >0. */
int btree_cmp(const struct bt_key *a, const struct bt_key *b);

/*
 * Appends the tree's shape to OUT: a leaf is "(k1 k2 ...)", an internal
 * node "[s1 s2 ...: child child ...]"; e.g. "[3: [2: (1) (2)] [4: (3) (4 5)]]".
 * String keys are written as they are. Reads no page (it is for checks).
 */
void btree_shape(const struct btree *t, struct sbuf *out);

/* Checks every invariant (order, occupancy, separators, leaf depth and
 * chain, counts); 0, or -1 with what is wrong in ERR. For tests. */
int btree_check(const struct btree *t, struct sbuf *err);

#endif
