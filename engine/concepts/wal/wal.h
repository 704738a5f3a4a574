/*
 * wal.h — a write-ahead log over a simulated disk, with crashes.
 *
 * The disk. Two files, the log and the data file (one 64-byte page per
 * key 1..pages). A write goes to the operating system's page cache, not to
 * the disk; fsync makes a file's cached writes durable. A crash (power
 * loss) drops the cache, but first the disk may have taken some of those
 * writes on its own, in any order: each pending write is kept, lost, or
 * torn (only a prefix of its bytes reached the disk), decided by the seed.
 *
 * The database (redo logging with no steal, as SQLite's WAL mode: the data
 * file changes only at checkpoints). Transactions buffer their writes; a
 * commit appends one log record per write, then a commit record, each with
 * a checksum; it then returns. A checkpoint copies the pages changed since
 * the last one into the data file and empties the log. Recovery reads the
 * durable log from its start, stops at the first record that is torn or
 * missing (bad checksum), and replays, in order, the writes of every
 * transaction whose commit record it read, over the durable data file.
 *
 * synchronous, as SQLite's pragma of that name (sqlite.org/pragma.html#
 * pragma_synchronous, and wal.html):
 *   full    commit fsyncs the log before it returns; checkpoints fsync the
 *           log, write the pages, fsync the data file, then empty the log
 *           and fsync it. After any crash recovery gives exactly the last
 *           committed state (or that plus a commit cut short by the crash,
 *           which never said it succeeded).
 *   normal  commit does not fsync; checkpoints do as in full. A crash may
 *           lose the last commits, never more than a suffix: recovery gives
 *           the state of some earlier commit, consistent, not durable.
 *   off     nothing is ever fsynced. A crash during or after a checkpoint
 *           can lose or tear pages whose log is gone: committed data lost,
 *           half-written values, a state no commit produced.
 *
 * Steps. Every write and fsync is a step, numbered from 1; crash_at = n
 * crashes the database at step n: a write of step n is in flight (kept,
 * lost or torn), an fsync of step n does not happen. The steps and the
 * simulated time they take (a write 0.01 ms, an fsync fsync_ms) are kept.
 *
 * Everything is deterministic: seeds only. Memory from budget.h.
 */
#ifndef BACKLAB_WAL_H
#define BACKLAB_WAL_H

#include <stddef.h>
#include <stdint.h>

#define WAL_PAGE 64       /* bytes of a data page */
#define WAL_MAX_VALUE 48  /* bytes of a value */
#define WAL_MAX_PAGES 4096

enum { WAL_OFF, WAL_NORMAL, WAL_FULL };

/* A value: nothing (an empty page), an integer, or a string. */
struct wal_val {
	int kind;  /* 0 none, 1 integer, 2 string */
	int64_t i;
	char s[WAL_MAX_VALUE];
	size_t len;
};

/* A log record as recovery reads it. */
struct wal_record {
	int type;          /* 1 write, 2 commit */
	uint32_t tx;
	int page;          /* write records: 1..pages */
	struct wal_val v;  /* write records */
	int valid;         /* 0: torn or missing (recovery stops here) */
	size_t offset;     /* in the log file */
	size_t size;       /* bytes; 0 when not valid */
};

/* What a step did, for the trace. */
enum wal_step_kind {
	WAL_LOG_WRITE, WAL_LOG_COMMIT, WAL_LOG_FSYNC, WAL_PAGE_WRITE, WAL_DATA_FSYNC,
	WAL_LOG_TRUNCATE,
};

struct wal_step {
	enum wal_step_kind kind;
	uint32_t tx;
	int page;
};

struct wal_config {
	int pages;          /* keys 1..pages */
	int sync;           /* WAL_OFF, WAL_NORMAL, WAL_FULL */
	int checkpoint;     /* commits between automatic checkpoints; 0: only when asked */
	long long crash_at; /* the step to crash at; 0: none */
	uint64_t seed;      /* what a crash keeps, loses and tears */
	double fsync_ms;    /* simulated time of an fsync */
};

struct wal_stats {
	long long steps, log_writes, page_writes, fsyncs, commits, checkpoints, crashes,
		recoveries;
	long long log_bytes;
	double time_ms;     /* simulated: 0.01 ms a write, fsync_ms an fsync */
};

struct wal;
struct wal_tx;

/* NULL: a bad config or out of memory. */
struct wal *wal_new(const struct wal_config *c);
void wal_free(struct wal *w);

/* Whether the database has crashed (and not recovered yet). */
int wal_crashed(const struct wal *w);

/* A transaction; NULL out of memory. It buffers its writes; free it with
 * wal_tx_free (after commit or to abort). */
struct wal_tx *wal_begin(struct wal *w);
void wal_tx_free(struct wal_tx *t);
/* Buffers page = V; 0, or -1 (bad page, out of memory). */
int wal_tx_write(struct wal_tx *t, int page, const struct wal_val *v);
/* The transaction's view of PAGE: its own write, else the database's. */
void wal_tx_read(const struct wal *w, const struct wal_tx *t, int page, struct wal_val *out);

/*
 * Commits T: its log records, then fsync as the mode says, then a
 * checkpoint when one is due. Returns 0 when the commit returned (it is
 * committed as far as the caller knows), 1 when the database crashed
 * first (at crash_at, in the commit or the checkpoint after it: then the
 * commit itself returned only if the crash came in that checkpoint, see
 * *RETURNED), -1 out of memory.
 */
int wal_commit(struct wal *w, struct wal_tx *t, int *returned);

/* 0, 1 if it crashed, -1 out of memory. */
int wal_checkpoint(struct wal *w);

/* Power loss now, between steps. */
void wal_crash(struct wal *w);

/* Rebuilds the state from the disk, as described above; 0 or -1 (out of
 * memory). Counts what it did in *REPLAYED (committed transactions
 * replayed) and *DISCARDED (transactions without a commit record). */
int wal_recover(struct wal *w, int *replayed, int *discarded);

/* The database's current value of PAGE (committed, in memory). */
void wal_read(const struct wal *w, int page, struct wal_val *out);
/* The durable data file's PAGE, and the durable log as records (a torn or
 * missing record ends it, marked invalid); the array is the caller's to
 * budget_free. -1 out of memory. */
void wal_disk_page(const struct wal *w, int page, struct wal_val *out);
int wal_disk_log(const struct wal *w, struct wal_record **out, size_t *n);

/*
 * Recovery on its own: DATA[1..pages] (index 0 unused) are the durable
 * pages, updated in place by replaying RECORDS[0..N) (stopping at the first
 * invalid one). Returns the committed transactions replayed; *DISCARDED
 * (if not NULL) gets those without a commit record.
 */
int wal_replay(struct wal_val *data, int pages, const struct wal_record *records, size_t n,
	       int *discarded);

const struct wal_stats *wal_stats(const struct wal *w);
const struct wal_config *wal_config(const struct wal *w);
size_t wal_nsteps(const struct wal *w);
const struct wal_step *wal_step_at(const struct wal *w, size_t i);

int wal_val_equal(const struct wal_val *a, const struct wal_val *b);

#endif
