/*
 * clocks.h — logical clocks: Lamport clocks, vector clocks, version vectors
 * with siblings, hybrid logical clocks; and random message-passing
 * histories to check them against happens-before.
 *
 *  - Lamport, "Time, Clocks, and the Ordering of Events in a Distributed
 *    System", CACM 21(7), 1978: a counter; a local event or a send ticks
 *    it, a receive sets it to max(own, message) + 1. If a -> b then
 *    L(a) < L(b); not the converse.
 *  - Fidge (1988) and Mattern (1989): a vector of counters, one per
 *    process; V(a) < V(b) exactly when a -> b, so two events are
 *    concurrent exactly when neither vector is <= the other.
 *  - Version vectors with siblings (Dynamo, DeCandia et al. 2007, section
 *    4.4; Riak): a replica keeps every value no write has superseded; a
 *    write carries the context (the vector) its client read and replaces
 *    exactly the siblings that context covers. Each sibling is a dotted
 *    version (Preguiça et al., "Dotted Version Vectors", 2010), so two
 *    clients writing through one replica stay siblings.
 *  - Hybrid logical clocks (Kulkarni, Demirbas, Madappa, Avva, Leone,
 *    "Logical Physical Clocks", OPODIS 2014): (l, c) where l follows the
 *    largest physical time seen and c counts events within it; a -> b
 *    implies hlc(a) < hlc(b), and l stays within the clock skew of
 *    physical time.
 *
 * Vectors here are dense arrays of N counters (ids 1..N at index 0..N-1).
 * Memory from budget_malloc(); failures return -1 leaving state unchanged.
 */
#ifndef BACKLAB_CLOCKS_H
#define BACKLAB_CLOCKS_H

#include <stddef.h>
#include <stdint.h>

/* ---- Lamport ---- */

/* A local event or a send: the clock ticks; returns the event's time. */
uint64_t lamport_tick(uint64_t *clock);
/* A receive of a message stamped T: max(clock, T) + 1. */
uint64_t lamport_recv(uint64_t *clock, uint64_t t);

/* ---- vector clocks ---- */

enum vc_order { VC_EQUAL, VC_BEFORE, VC_AFTER, VC_CONCURRENT };

/* How A relates to B (N entries each). */
enum vc_order vc_compare(const uint64_t *a, const uint64_t *b, size_t n);
/* A = max(A, B) entrywise. */
void vc_merge(uint64_t *a, const uint64_t *b, size_t n);
/* "equal", "before", "after", "concurrent". */
const char *vc_order_name(enum vc_order o);

/* ---- hybrid logical clocks ---- */

struct hlc {
	double l;     /* the largest physical time seen, seconds */
	uint64_t c;   /* events since l last grew */
};

/* A local event or a send at physical time PT. */
void hlc_now(struct hlc *h, double pt);
/* A receive of (L, C) at physical time PT. */
void hlc_recv(struct hlc *h, double pt, double l, uint64_t c);
/* -1, 0, 1 as (a.l, a.c) compares to (b.l, b.c). */
int hlc_cmp(const struct hlc *a, const struct hlc *b);

/* ---- a version-vector store ---- */

/*
 * A key-value store of one replica (id 1..N of N) that keeps siblings.
 *   get(key)                 the siblings and the context: the merge of
 *                            their vectors
 *   put(key, value, ctx)     a write whose client read CTX: drops every
 *                            sibling CTX covers (its dot is within CTX),
 *                            and adds the value with the dot (this replica,
 *                            one past its largest write of the key)
 *   merge(other)             siblings of both, those another's context
 *                            covers dropped (returns -1 without memory;
 *                            keys merged before then stay merged)
 */
struct vvstore;

struct vvstore *vvstore_new(uint32_t replica, uint32_t n);
void vvstore_free(struct vvstore *s);
uint32_t vvstore_n(const struct vvstore *s);

/* Sibling I of KEY: its value (borrowed) and vector (N entries,
 * borrowed); -1 past the end. */
int vvstore_sibling(const struct vvstore *s, const char *key, size_t klen, size_t i,
		    const char **v, size_t *vlen, const uint64_t **vv);
/* The context of KEY (the merge of its siblings' vectors) into CTX[N]. */
void vvstore_context(const struct vvstore *s, const char *key, size_t klen, uint64_t *ctx);
int vvstore_put(struct vvstore *s, const char *key, size_t klen, const char *v, size_t vlen,
		const uint64_t *ctx);
int vvstore_merge(struct vvstore *s, const struct vvstore *from);
/* The number of keys, and key I (borrowed). */
size_t vvstore_keys(const struct vvstore *s);
const char *vvstore_key(const struct vvstore *s, size_t i, size_t *len);

/* ---- random histories ---- */

enum hist_kind { HIST_LOCAL, HIST_SEND, HIST_RECV };

struct hist_event {
	uint32_t proc;        /* 1..N */
	enum hist_kind kind;
	size_t msg;           /* RECV: index of the send it receives */
	double pt;            /* the process's physical clock at the event */
	uint64_t lamport;
	uint64_t *vc;         /* N entries */
	struct hlc hlc;
};

struct history {
	uint32_t n;
	size_t count;
	struct hist_event *ev;
	uint8_t *hb;          /* count x count: hb[i * count + j] = event i -> event j */
};

/*
 * A random history of N processes and COUNT events (local events, sends,
 * receives of earlier sends, each send received at most once), with
 * physical clocks that advance at random and start SKEW apart at most;
 * every clock computed, and happens-before (program order, send before
 * receive, transitively) computed independently of them. Returns 0, or -1
 * (no memory, or N or COUNT out of 1..64 / 1..2000).
 */
int history_random(struct history *h, uint32_t n, size_t count, double skew, uint64_t seed);
void history_free(struct history *h);

/* What the clocks get right about H: pairs (a, b) of distinct events. */
struct history_check {
	size_t pairs, ordered, concurrent;   /* a -> b; neither way */
	size_t lamport_ok;       /* of ordered pairs: L(a) < L(b) */
	size_t lamport_orders;   /* of concurrent pairs: L differs (an arbitrary order) */
	size_t vc_ok;            /* of all pairs: the vector comparison matches */
	size_t hlc_ok;           /* of ordered pairs: hlc(a) < hlc(b) */
	double hlc_drift;        /* max over events of l - pt (bounded by the skew) */
};
void history_check(const struct history *h, struct history_check *out);

#endif
