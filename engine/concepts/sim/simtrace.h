/*
 * simtrace.h — the trace of a lab.sim run: every event as a record, and
 * its renderings (text lines, a message-sequence diagram, a timeline of the
 * nodes, a history of client operations).
 *
 * Records are appended in the order things happen (time, then order of
 * processing), so the trace is a total order; message contents, timer tags,
 * operations, results, fault descriptions and log lines are kept as bytes
 * in an arena beside the records. Memory comes from budget_malloc(); when
 * it runs out the trace stops growing and says so (simtrace_full()), and
 * the simulation itself fails at its next allocation.
 *
 * A long run appends millions of records, and what it costs is mostly the
 * kernel handing out fresh pages: records and payloads live in chunks that
 * never move (a record's payload pointer stays valid), doubling in size up
 * to a cap, and the large chunks ask the kernel for huge pages
 * (madvise(MADV_HUGEPAGE), where it has them), so one page fault brings in
 * 2 MB rather than 4 KB.
 *
 * Rendering is deterministic: the same records give the same bytes.
 * Times are printed with 6 decimals (microseconds) and node ids as n1, n2;
 * clients as c1, c2.
 */
#ifndef BACKLAB_SIMTRACE_H
#define BACKLAB_SIMTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

enum simrec_kind {
	SIMR_SEND,        /* a -> b, id; payload: the message */
	SIMR_DELIVER,     /* a -> b, id; aux: send time; payload: the message */
	SIMR_DROP,        /* a -> b, id; why: SIMR_WHY_*; payload: the message */
	SIMR_DUP,         /* a -> b, id: the network will deliver a second copy */
	SIMR_TIMER_SET,   /* node a, timer id; aux: due time (ns); payload: tag */
	SIMR_TIMER_FIRE,  /* node a, timer id; payload: tag */
	SIMR_TIMER_CANCEL,/* node a, timer id */
	SIMR_START,       /* node a; aux: incarnation */
	SIMR_CRASH,       /* node a; aux: incarnation that died */
	SIMR_RESTART,     /* node a; aux: new incarnation */
	SIMR_FAULT,       /* why: enum sim_fault_kind; payload: the fault as a table */
	SIMR_LOG,         /* node a (0: the simulation); payload: text (raw, not simval) */
	SIMR_INVOKE,      /* client a -> node b, op id; payload: the operation */
	SIMR_COMPLETE,    /* client a <- node b, op id; why: enum sim_op_status; payload: result */
	SIMR_KINDS
};

enum { SIMR_WHY_LOSS = 1, SIMR_WHY_PARTITION, SIMR_WHY_DOWN };

struct simrec {
	int64_t at;       /* ns */
	uint64_t id;
	int64_t aux;
	const uint8_t *p; /* payload, in the trace's arena (NULL: none) */
	uint32_t a, b;
	uint32_t len;     /* payload bytes (0: none) */
	uint8_t kind;     /* enum simrec_kind */
	uint8_t why;
};

struct simtrace;

/* An empty trace for NODES nodes, or NULL without memory. */
struct simtrace *simtrace_new(uint32_t nodes);
void simtrace_free(struct simtrace *t);

/*
 * Appends a record with payload P[0..LEN) (copied; NULL for none) and
 * returns its index, or -1 when memory ran out (the trace is then full).
 */
long simtrace_add(struct simtrace *t, const struct simrec *r, const void *p, size_t len);
/* Appends a record reusing the payload of record SAME (no copy). */
long simtrace_add_same(struct simtrace *t, const struct simrec *r, long same);

size_t simtrace_count(const struct simtrace *t);
const struct simrec *simtrace_get(const struct simtrace *t, size_t i);
const uint8_t *simtrace_payload(const struct simtrace *t, const struct simrec *r);
int simtrace_full(const struct simtrace *t);
uint32_t simtrace_nodes(const struct simtrace *t);
/* Bytes the trace holds (records and arena). */
size_t simtrace_bytes(const struct simtrace *t);

/* Which records a rendering shows. */
struct simtrace_filter {
	int64_t from, to;       /* ns, inclusive; to < 0: no end */
	const uint8_t *nodes;   /* NULL: all; else nodes[id] != 0 for ids 1..N shown
	                           (a message shows if either end is shown) */
	unsigned kinds;         /* bit set of 1 << SIMR_*; 0: the default set
	                           (everything but TIMER_SET and TIMER_CANCEL) */
	size_t limit;           /* at most this many lines (0: 200) */
	int last;               /* the last LIMIT matching records rather than the first */
	size_t width;           /* text lines cut at this many columns (0: no cut) */
	int utf8;               /* diagrams: box drawing; else ASCII */
};

/* Whether record R passes F. */
int simtrace_match(const struct simtrace *t, const struct simrec *r,
		   const struct simtrace_filter *f);

/* One record as a line of text (no newline), e.g.
 *   "  1.204311  n2 -> n5  deliver #31 {type = "gossip", value = 7}"  */
void simtrace_line(struct sbuf *out, const struct simtrace *t, const struct simrec *r);

/* The matching records, one line each; ends with a line saying how many
 * more matched when LIMIT cut them. */
void simtrace_text(struct sbuf *out, const struct simtrace *t, const struct simtrace_filter *f);

/*
 * A message-sequence diagram: a column per node, a row per matching
 * delivery, drop, timer, crash, restart, fault or log line, in time order;
 * messages as arrows from sender to receiver (a lost one ends in x), with
 * the message after the columns:
 *
 *   time       n1   n2   n3
 *   0.001000   ├───▶│    │    #1 ping  (sent 0.000000)
 *   0.002000   ◀────┤    │    #2 pong
 *   0.002500   │    ├──x │    #3 ping  lost
 */
void simtrace_diagram(struct sbuf *out, const struct simtrace *t, const struct simtrace_filter *f);

#endif
