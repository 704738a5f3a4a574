/*
 * idem.c — the idempotency-key store (idem.h).
 */
#include "engine/concepts/idem/idem.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <string.h>

void idem_init(struct idem_store *s, double ttl)
{
	memset(s, 0, sizeof *s);
	s->ttl = ttl;
}

static void entry_free(struct idem_entry *e)
{
	budget_free(e->key);
	budget_free(e->body);
	e->key = e->body = NULL;
}

void idem_free(struct idem_store *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->e[i]);
	budget_free(s->e);
	s->e = NULL;
	s->n = s->cap = 0;
}

uint64_t idem_fingerprint(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* The entry of KEY, or NULL. A linear search: stores here hold hundreds. */
static struct idem_entry *find(struct idem_store *s, const char *key, size_t klen)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].klen == klen && memcmp(s->e[i].key, key, klen) == 0)
			return &s->e[i];
	return NULL;
}

int idem_begin(struct idem_store *s, const char *key, size_t klen, uint64_t fingerprint,
	       double now, enum idem_outcome *out, const struct idem_entry **ep)
{
	struct idem_entry *e = find(s, key, klen);
	*ep = NULL;
	if (e && now >= e->created + s->ttl) {
		s->stats.expired++;
		budget_free(e->body);
		e->body = NULL;
	} else if (e) {
		*ep = e;
		if (e->fingerprint != fingerprint) {
			*out = IDEM_MISMATCH;
			s->stats.mismatches++;
		} else if (e->state == IDEM_IN_FLIGHT) {
			*out = IDEM_CONFLICT;
			s->stats.conflicts++;
		} else {
			*out = IDEM_REPLAY;
			s->stats.replays++;
		}
		return 0;
	} else {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			struct idem_entry *p = budget_realloc(s->e, cap * sizeof *p);
			if (!p)
				return -1;
			s->e = p;
			s->cap = cap;
		}
		e = &s->e[s->n];
		memset(e, 0, sizeof *e);
		e->key = budget_malloc(klen + 1);
		if (!e->key)
			return -1;
		memcpy(e->key, key, klen);
		e->key[klen] = '\0';
		e->klen = klen;
		s->n++;
	}
	e->fingerprint = fingerprint;
	e->created = now;
	e->state = IDEM_IN_FLIGHT;
	e->status = 0;
	e->blen = 0;
	*out = IDEM_NEW;
	*ep = e;
	s->stats.fresh++;
	return 0;
}

int idem_finish(struct idem_store *s, const char *key, size_t klen, int status,
		const char *body, size_t blen)
{
	struct idem_entry *e = find(s, key, klen);
	if (!e || e->state != IDEM_IN_FLIGHT)
		return 0;
	char *b = budget_malloc(blen + 1);
	if (!b)
		return -1;
	memcpy(b, body, blen);
	b[blen] = '\0';
	budget_free(e->body);
	e->body = b;
	e->blen = blen;
	e->status = status;
	e->state = IDEM_DONE;
	return 1;
}

int idem_abandon(struct idem_store *s, const char *key, size_t klen)
{
	struct idem_entry *e = find(s, key, klen);
	if (!e || e->state != IDEM_IN_FLIGHT)
		return 0;
	entry_free(e);
	*e = s->e[--s->n];
	return 1;
}

/*
 * One payment: attempts until one gets a response, at most RETRIES + 1.
 * An attempt's request is lost with probability LOSS; or it reaches the
 * server, and on the first attempt processing outlasts the client's
 * timeout with probability SLOW: the next attempt finds it in flight (a
 * conflict with keys, a second charge without), and it completes after
 * that; otherwise the response comes back unless lost (LOSS again).
 */
static int pay(struct idem_sim *sim, struct idem_store *st, struct rng *r, size_t i,
	       size_t *charged)
{
	char key[32];
	snprintf(key, sizeof key, "pay-%zu", i);
	size_t klen = strlen(key);
	const char *body = "amount=100";
	uint64_t fp = idem_fingerprint(body, strlen(body));
	int in_flight = 0;
	for (size_t a = 0; a <= sim->retries; a++) {
		sim->attempts++;
		enum idem_outcome out = IDEM_NEW;
		const struct idem_entry *e;
		if (rng_uniform(r) < sim->loss) {
			out = IDEM_CONFLICT;            /* lost: no answer either */
		} else {
			if (sim->keys && idem_begin(st, key, klen, fp, (double)i, &out, &e) != 0)
				return -1;
			if (out == IDEM_CONFLICT)
				sim->conflicts++;
		}
		if (in_flight) {                        /* the slow one ends now */
			in_flight = 0;
			if (sim->keys && idem_finish(st, key, klen, 201, "charged", 7) < 0)
				return -1;
		}
		if (out == IDEM_CONFLICT)
			continue;
		if (out == IDEM_NEW) {
			(*charged)++;
			sim->charges++;
			if (a == 0 && rng_uniform(r) < sim->slow) {
				in_flight = 1;
				continue;
			}
			if (sim->keys && idem_finish(st, key, klen, 201, "charged", 7) < 0)
				return -1;
		}
		if (rng_uniform(r) >= sim->loss) {
			sim->confirmed++;
			return 0;
		}
	}
	return 0;
}

int idem_simulate(struct idem_sim *sim)
{
	struct idem_store st;
	struct rng r;
	idem_init(&st, 86400);
	rng_seed(&r, sim->seed);
	sim->attempts = sim->charges = sim->doubled = sim->confirmed = sim->conflicts = 0;
	int rc = 0;
	for (size_t i = 0; i < sim->payments && rc == 0; i++) {
		size_t charged = 0;
		rc = pay(sim, &st, &r, i, &charged);
		if (charged > 1)
			sim->doubled++;
	}
	idem_free(&st);
	return rc;
}
