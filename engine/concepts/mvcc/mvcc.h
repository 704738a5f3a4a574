/*
 * mvcc.h — a multi-version key-value store with four isolation levels, in
 * which conflicts abort and nothing ever waits.
 *
 * Writes are buffered in their transaction and installed at commit as new
 * committed versions; reads pick a version:
 *
 *   read uncommitted  the newest write to the key, even an uncommitted one
 *                     of another transaction (a dirty read);
 *   read committed    the newest committed version, at each read;
 *   repeatable read   snapshot isolation: the newest version committed
 *                     before the transaction began; a write to a key that
 *                     another transaction committed after that, or has an
 *                     uncommitted write to, aborts the writer ("first
 *                     updater wins", as PostgreSQL reports "could not
 *                     serialize access due to concurrent update", but
 *                     without waiting first); commit checks again;
 *   serializable      repeatable read plus serializable snapshot isolation
 *                     (Cahill, Röhm & Fekete, SIGMOD 2008; Ports & Grittner,
 *                     VLDB 2012): reads (keys and scanned ranges) are
 *                     remembered; a read of a key that a concurrent
 *                     transaction writes is an rw-antidependency edge
 *                     reader -> writer; when edges T_in -> T_pivot -> T_out
 *                     form among concurrent serializable transactions and
 *                     T_out committed first, one of the others is aborted:
 *                     the pivot if it has not committed, else T_in.
 *
 * Transaction ids count from 1. Writes never collide with themselves (no
 * dirty writes: G0 is prevented at every level). A transaction's own writes
 * are always visible to it. Keys are integers or strings (integers first);
 * values integers, numbers, strings, booleans, or deleted.
 *
 * Snapshots are taken at begin (PostgreSQL takes its at the first
 * statement; the Hermitage schedules do not tell them apart). Memory from
 * budget.h.
 */
#ifndef BACKLAB_MVCC_H
#define BACKLAB_MVCC_H

#include <stddef.h>
#include <stdint.h>

enum { MV_READ_UNCOMMITTED, MV_READ_COMMITTED, MV_REPEATABLE_READ, MV_SERIALIZABLE };
enum { MV_ACTIVE, MV_COMMITTED, MV_ABORTED };

struct mv_key {
	const char *s;  /* a string key (LEN bytes), or NULL: the integer I */
	size_t len;
	int64_t i;
};

enum mv_kind { MV_DELETED, MV_INT, MV_NUM, MV_STR, MV_BOOL };

struct mv_val {
	enum mv_kind kind;
	int64_t i;
	double f;
	const char *s;
	size_t len;
};

struct mvcc_stats {
	long long begins, commits, aborts, write_conflicts, commit_conflicts, ssi_aborts;
};

struct mvcc;

/* A store whose transactions default to LEVEL; NULL out of memory. */
struct mvcc *mvcc_new(int level);
void mvcc_free(struct mvcc *m);

/* A new transaction (LEVEL < 0: the default); its id, or 0 out of memory. */
uint32_t mvcc_begin(struct mvcc *m, int level);

/*
 * The transaction's view of K: 1 with *OUT (strings valid until the next
 * change to the store), or 0 if absent or deleted. -1 out of memory, -2 if
 * TX is not active.
 */
int mvcc_read(struct mvcc *m, uint32_t tx, const struct mv_key *k, struct mv_val *out);

/* Calls FN for every key in [LO, HI] (NULL: unbounded) the transaction
 * sees, in order. 0, -1 out of memory, -2 not active. */
int mvcc_scan(struct mvcc *m, uint32_t tx, const struct mv_key *lo, const struct mv_key *hi,
	      void (*fn)(const struct mv_key *k, const struct mv_val *v, void *ud), void *ud);

/* Buffers K = V (V.kind MV_DELETED deletes). 0 done; 1 the write conflicts
 * and TX is aborted (mvcc_reason says why); -1 out of memory; -2 not
 * active. Strings are copied. */
int mvcc_write(struct mvcc *m, uint32_t tx, const struct mv_key *k, const struct mv_val *v);

/* 0 committed; 1 aborted instead (see mvcc_reason); -1 out of memory; -2
 * not active. */
int mvcc_commit(struct mvcc *m, uint32_t tx);

/* Aborts TX (nothing if it is not active). */
void mvcc_abort(struct mvcc *m, uint32_t tx);

int mvcc_status(const struct mvcc *m, uint32_t tx);   /* MV_*, or -1: no such tx */
int mvcc_level(const struct mvcc *m, uint32_t tx);
const char *mvcc_reason(const struct mvcc *m, uint32_t tx); /* why it aborted, or NULL */

/* The newest committed version of K, outside any transaction. */
int mvcc_latest(const struct mvcc *m, const struct mv_key *k, struct mv_val *out);

/* Committed versions of K, oldest first: how many, and the i-th (value,
 * writer, commit timestamp). */
int mvcc_versions(const struct mvcc *m, const struct mv_key *k);
void mvcc_version(const struct mvcc *m, const struct mv_key *k, int i, struct mv_val *v,
		  uint32_t *tx, uint64_t *ts);

const struct mvcc_stats *mvcc_stats(const struct mvcc *m);

int mv_key_cmp(const struct mv_key *a, const struct mv_key *b);

#endif
