/*
 * idem.h — an idempotency-key store: the server side of the
 * Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header-07,
 * section 2; Stripe's "Idempotent requests").
 *
 * The first request with a key is processed and its response stored;
 * a retry with the same key and the same request gets the stored
 * response back without running the operation again; a retry that
 * arrives while the first is still being processed gets a conflict (409);
 * the same key with another request body is refused (422); keys expire
 * TTL seconds after they were first seen, after which the key is new
 * again. Times are given by the caller (a simulated clock).
 */
#ifndef BACKLAB_IDEM_H
#define BACKLAB_IDEM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

enum idem_state { IDEM_IN_FLIGHT, IDEM_DONE };

struct idem_entry {
	char *key;
	size_t klen;
	uint64_t fingerprint;   /* FNV-1a of the request */
	double created;
	enum idem_state state;
	int status;             /* IDEM_DONE: the stored response */
	char *body;
	size_t blen;
};

struct idem_stats {
	uint64_t fresh, replays, conflicts, mismatches, expired;
};

struct idem_store {
	struct idem_entry *e;
	size_t n, cap;
	double ttl;
	struct idem_stats stats;
};

enum idem_outcome { IDEM_NEW, IDEM_REPLAY, IDEM_CONFLICT, IDEM_MISMATCH };

/* An empty store whose keys live TTL seconds. */
void idem_init(struct idem_store *s, double ttl);

void idem_free(struct idem_store *s);

/* The FNV-1a 64-bit hash of N bytes: the request's fingerprint. */
uint64_t idem_fingerprint(const char *p, size_t n);

/* A request with KEY (KLEN bytes) and FINGERPRINT arrives at NOW. Sets
 * *OUT: IDEM_NEW (the caller processes it; the key is now in flight),
 * IDEM_REPLAY (*E is the stored entry), IDEM_CONFLICT (the first is in
 * flight), IDEM_MISMATCH (the key was used for another request; checked
 * first). An expired key counts as new. 0, or -1 when memory is refused. */
int idem_begin(struct idem_store *s, const char *key, size_t klen, uint64_t fingerprint,
	       double now, enum idem_outcome *out, const struct idem_entry **e);

/* Stores the response of KEY's request in flight: 1; 0 when no request
 * with KEY is in flight; -1 when memory is refused. */
int idem_finish(struct idem_store *s, const char *key, size_t klen, int status,
		const char *body, size_t blen);

/* Forgets KEY's request in flight (it failed before doing anything, so a
 * retry may run it): 1, or 0 when none is in flight. */
int idem_abandon(struct idem_store *s, const char *key, size_t klen);

/* A client retrying payments over a lossy network, with or without keys. */
struct idem_sim {
	size_t payments, retries;
	double loss, slow;
	int keys;
	uint64_t seed;
	/* results */
	size_t attempts, charges, doubled, confirmed, conflicts;
};

/* Runs SIM. 0, or -1 when memory is refused. */
int idem_simulate(struct idem_sim *sim);

#endif
