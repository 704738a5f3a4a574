/*
 * paging.h — offset and cursor (keyset) pagination over a table that
 * changes between page fetches.
 *
 * The table is a set of distinct integer keys (row ids) listed in
 * ascending or descending order. Offset pagination asks for "LIMIT n
 * OFFSET k" and so counts positions, which move when rows are inserted
 * or deleted before them: rows are then returned twice or never. Cursor
 * pagination asks for "the next n rows after key x" and so is anchored to
 * a row, not a position: a row present for the whole walk is returned
 * exactly once. A cursor handed to clients is an opaque token: the key
 * and a check tag, base64url-encoded, so a client cannot forge one or
 * read meaning into it.
 */
#ifndef BACKLAB_PAGING_H
#define BACKLAB_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

struct paging_table {
	int64_t *keys;      /* ascending, distinct */
	size_t n, cap;
	int desc;           /* listed newest (largest) first */
	int64_t next;       /* the next key insert gives: max ever + 1 */
	uint64_t secret;    /* keys the cursor's check tag */
};

/* A table of keys 1..ROWS. 0, or -1 when memory is refused. */
int paging_init(struct paging_table *t, size_t rows, int desc, uint64_t secret);

/* Frees what T holds. */
void paging_free(struct paging_table *t);

/* Inserts KEY (1: inserted, 0: already there), -1 when memory is refused. */
int paging_insert(struct paging_table *t, int64_t key);

/* Deletes KEY: 1 if it was there, else 0. */
int paging_delete(struct paging_table *t, int64_t key);

/* The key at list position I (0-based, in the table's order). */
int64_t paging_at(const struct paging_table *t, size_t i);

/* The page at OFFSET: writes up to LIMIT keys to OUT, returns how many. */
size_t paging_offset(const struct paging_table *t, size_t offset, size_t limit, int64_t *out);

/* The page after KEY (HAVE 0: from the start): up to LIMIT keys to OUT;
 * returns how many, and *MORE 1 when rows follow the last one. */
size_t paging_after(const struct paging_table *t, int have, int64_t key, size_t limit,
		    int64_t *out, int *more);

/* The opaque cursor of KEY into BUF (at least PAGING_CURSOR_LEN bytes). */
#define PAGING_CURSOR_LEN 17
void paging_cursor(const struct paging_table *t, int64_t key, char *buf);

/* Reads a cursor of T: 0 and *KEY, or -1 when it is not one T issued. */
int paging_decode(const struct paging_table *t, const char *s, size_t len, int64_t *key);

/* A walk through the whole table, page by page, with INSERTS new keys and
 * DELETES random deletions between fetches. */
struct paging_walk {
	size_t rows, limit, inserts, deletes, max_pages;
	int cursor, desc;
	uint64_t seed;
	/* results: keys, owned by the walk (paging_walk_free) */
	size_t pages, returned;
	int64_t *dups, *skipped, *fresh; /* returned twice or more; stable but never returned;
	                                  * inserted during the walk and returned */
	size_t ndups, nskipped, nfresh;
	int truncated;                   /* stopped at max_pages */
};

/* Runs W. 0; -1 when memory is refused; -2 when budget_stop() says stop. */
int paging_walk_run(struct paging_walk *w);

void paging_walk_free(struct paging_walk *w);

#endif
