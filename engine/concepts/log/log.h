/*
 * log.h — a partitioned log in Kafka's model (kafka.apache.org, Kafka
 * documentation, section 4 "Design": 4.4 The Producer, 4.6 Message
 * Delivery Semantics, 4.8 Log Compaction; the consumer configs).
 *
 * A topic is N partitions, each an append-only sequence of records with
 * offsets 0, 1, 2, ... A keyed record goes to partition
 * toPositive(murmur2(key)) mod N, as Kafka's default partitioner does
 * (Utils.murmur2, seed 0x9747b28c); an unkeyed one round robin (Kafka
 * 2.4+ sticks to one partition per batch instead, KIP-480). Retention
 * removes the oldest records of a partition (by count here; Kafka by time
 * or size, whole segments at a time); compaction keeps only the last
 * record of each key (a tombstone, a record with no value, deletes its
 * key), and never changes an offset.
 *
 * A consumer group shares the partitions among its members: each
 * partition has one owner, chosen by an assignor (range, round robin or
 * sticky) whenever a member joins or leaves (a rebalance). A member reads
 * from its position; the group keeps a committed offset per partition
 * (the next record to read); a partition that changes owner, or whose
 * owner crashed, is read again from the committed offset. Lag is the end
 * offset minus the committed one.
 */
#ifndef BACKLAB_LOG_H
#define BACKLAB_LOG_H

#include <stddef.h>
#include <stdint.h>

/* Kafka's murmur2 of N bytes (Utils.murmur2), as a signed 32-bit value. */
int32_t plog_murmur2(const char *data, size_t n);

/* The partition of a key among N: (murmur2 & 0x7fffffff) mod N. */
uint32_t plog_partition_for(const char *key, size_t klen, uint32_t n);

struct plog_rec {
	uint64_t offset;
	char *key;               /* NULL: no key */
	size_t klen;
	char *value;             /* NULL: a tombstone */
	size_t vlen;
};

struct plog_part {
	struct plog_rec *r;      /* in offset order; gaps after compaction */
	size_t n, cap;
	uint64_t start;          /* the log start offset */
	uint64_t end;            /* the next offset to write */
};

enum plog_partitioner { PLOG_MURMUR2, PLOG_ROUNDROBIN };

struct plog {
	struct plog_part *p;
	uint32_t nparts;
	enum plog_partitioner partitioner;
	uint32_t rr;             /* next partition of the round robin */
};

/* A log of NPARTS empty partitions. 0, or -1 when memory is refused. */
int plog_init(struct plog *l, uint32_t nparts, enum plog_partitioner partitioner);
void plog_free(struct plog *l);

/* Appends a record (KEY may be NULL: no key; VALUE NULL: a tombstone) to
 * PART, or to the partitioner's choice when PART is negative. 0 and
 * *PARTOUT, *OFFSET; -1 when memory is refused. */
int plog_produce(struct plog *l, long part, const char *key, size_t klen,
		 const char *value, size_t vlen, uint32_t *partout, uint64_t *offset);

/* The index in P's array of the first record at or after OFFSET. */
size_t plog_seek(const struct plog_part *p, uint64_t offset);

/* Removes P's oldest records while more than KEEP remain: the log start
 * offset moves to the first one kept. The number removed. */
size_t plog_retain(struct plog_part *p, size_t keep);

/* Keeps only the last record of each key in P (records without a key
 * stay); with DROP_TOMBSTONES, a tombstone that is its key's last record
 * goes too. The number removed, or -1 when memory is refused. */
long plog_compact(struct plog_part *p, int drop_tombstones);

/* ---- consumer groups ---- */

enum plog_assignor { PLOG_RANGE, PLOG_ROUNDROBIN_ASSIGN, PLOG_STICKY };
enum plog_reset { PLOG_EARLIEST, PLOG_LATEST };

struct plog_group {
	struct plog *l;          /* not owned */
	enum plog_assignor assignor;
	enum plog_reset reset;
	char **members;          /* sorted by name */
	size_t nmembers, cap;
	long *owner;             /* per partition: a member index, or -1 */
	uint64_t *committed;     /* per partition; UINT64_MAX: none */
	uint64_t *position;      /* per partition: its owner's next offset */
	uint64_t generation, moved;
};

/* An empty group over L (which must outlive it). 0, or -1. */
int plog_group_init(struct plog_group *g, struct plog *l, enum plog_assignor a,
		    enum plog_reset reset);
void plog_group_free(struct plog_group *g);

/* The index of member NAME, or -1. */
long plog_member(const struct plog_group *g, const char *name);

/* NAME joins (a rebalance follows): 1, 0 if it is a member already, -1
 * when memory is refused. */
int plog_join(struct plog_group *g, const char *name);

/* NAME leaves (a rebalance follows). With CRASHED, it had no time to
 * commit: so does a clean leave here (commit first). 1, or 0 if NAME is
 * no member. */
int plog_leave(struct plog_group *g, const char *name);

/* Recomputes the owners with the group's assignor. A partition that
 * changes owner restarts at its committed offset. 0, or -1. */
int plog_rebalance(struct plog_group *g);

/* Where partition P is read from when it has no committed offset, or it
 * is below the log start. */
uint64_t plog_start_for(const struct plog_group *g, uint32_t p);

/* The member at index M crashes and comes back with its state lost: its
 * partitions restart at their committed offsets. */
void plog_restart(struct plog_group *g, long m);

/* One record a poll returned: valid until the log changes. */
struct plog_fetch {
	uint32_t part;
	const struct plog_rec *rec;
};

/* Member M reads up to MAX records from its partitions, in partition
 * order, from its positions (moved up to the log start if retention
 * removed them), into OUT; the positions advance past them. The count. */
size_t plog_poll(struct plog_group *g, long m, size_t max, struct plog_fetch *out);

/* Commits the positions of member M's partitions. */
void plog_commit(struct plog_group *g, long m);

/* ---- a seeded run ---- */

enum plog_when { PLOG_COMMIT_BEFORE, PLOG_COMMIT_AFTER };

struct plog_sim {
	uint64_t messages, seed;
	uint32_t partitions, consumers, batch;
	double crash;            /* chance a consumer crashes in a batch */
	enum plog_when commit;
	enum plog_assignor assignor;
	/* results */
	uint64_t processed, distinct, duplicates, lost, crashes, rebalances, polls;
};

/* Produces S->messages keyed records, then a group of S->consumers drains
 * them, S->batch records a poll. Committing before processing a batch, a
 * crash mid-batch skips the rest of it (lost); committing after, the
 * batch's processed records are read again (duplicates). A crashed member
 * leaves (a rebalance) and joins again at the next poll. 0, -1 when
 * memory is refused, -2 when budget_stop() says to stop. */
int plog_simulate(struct plog_sim *s);

#endif
