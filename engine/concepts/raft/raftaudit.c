/*
 * raftaudit.c — checks the five safety properties of Raft (Ongaro and
 * Ousterhout 2014, Figure 3) on observations of the nodes, after every
 * event of a run:
 *
 *   election safety     at most one leader per term (a table term -> leader);
 *   leader append-only  a leader never changes or deletes its own entries
 *                       (its log compared with the one seen before, same term);
 *   log matching        two entries with the same index and term hold the same
 *                       command and follow entries of the same term: by
 *                       induction the logs are then equal up to there (a
 *                       registry (index, term) -> (command, previous term));
 *   leader completeness a new leader holds every entry committed so far (a
 *                       ledger of committed entries, checked at each election);
 *   state machine safety no two nodes commit (and so apply) different entries
 *                       at one index (the same ledger).
 *
 * And, for runs without faults only, a liveness rule: once a leader is
 * known, no node starts a higher term (stable leadership).
 */
#include "engine/concepts/raft/raft.h"
#include "engine/base/budget.h"
#include "engine/base/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct seen {          /* a node as the auditor last saw it */
	int known;
	enum raft_role role;
	uint64_t term, base, commit;
	uint64_t lcommit;  /* its commit index when last seen leading this term */
	size_t n, cap;
	uint64_t *terms, *hashes;
};

struct reg {           /* log matching: (index, term) -> what it holds */
	uint64_t index, term, hash, prev;
	uint32_t node;
	double at;
};

struct led {           /* a committed entry */
	uint64_t term, hash;
	uint32_t node;
	double at;
};

struct lead {
	uint32_t node;
	double at;
};

struct raft_audit {
	uint32_t n;
	int stable, rules;
	struct seen *seen;
	struct reg *reg;
	size_t nreg, capreg;     /* open addressing, capreg a power of 2 */
	struct led *led;
	size_t nled;             /* indexes 1..nled have slots */
	uint64_t committed;
	struct lead *lead;
	size_t nlead;            /* terms 0..nlead-1 */
	uint64_t leaders;
	uint64_t first_term;     /* stable: the first leader's term (0: none yet) */
	int violated;
	struct raft_violation v;
};

struct raft_audit *raft_audit_new(uint32_t n, int stable)
{
	struct raft_audit *a = budget_calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->n = n;
	a->stable = stable;
	if (!(a->seen = budget_calloc(n, sizeof *a->seen))) {
		budget_free(a);
		return NULL;
	}
	return a;
}

void raft_audit_free(struct raft_audit *a)
{
	if (!a)
		return;
	for (uint32_t i = 0; i < a->n; i++) {
		budget_free(a->seen[i].terms);
		budget_free(a->seen[i].hashes);
	}
	budget_free(a->seen);
	budget_free(a->reg);
	budget_free(a->led);
	budget_free(a->lead);
	budget_free(a->v.text);
	budget_free(a);
}

const struct raft_violation *raft_audit_violation(const struct raft_audit *a)
{
	return a->violated ? &a->v : NULL;
}

uint64_t raft_audit_leaders(const struct raft_audit *a)
{
	return a->leaders;
}

uint64_t raft_audit_committed(const struct raft_audit *a)
{
	return a->committed;
}

void raft_audit_rules(struct raft_audit *a, int on)
{
	a->rules = on;
}

void raft_audit_crash(struct raft_audit *a, uint32_t node)
{
	struct seen *s = &a->seen[node - 1];
	s->role = RAFT_FOLLOWER;
	s->commit = 0;
}

__attribute__((format(printf, 6, 7))) static int violate(struct raft_audit *a,
							 const char *property, double at,
							 uint32_t n1, uint32_t n2, const char *fmt,
							 ...)
{
	struct sbuf sb = {0};
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char *t = budget_malloc(sb.len + 1);
	if (t)
		memcpy(t, sbuf_str(&sb), sb.len + 1);
	sbuf_free(&sb);
	a->violated = 1;
	a->v = (struct raft_violation){property, t, at, {n1, n2}};
	return t ? 1 : -1;
}

/* ---- the registry ---- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static struct reg *reg_find(struct raft_audit *a, uint64_t index, uint64_t term)
{
	if (!a->capreg)
		return NULL;
	size_t mask = a->capreg - 1, i = mix(index * 1000003u ^ term) & mask;
	while (a->reg[i].index) {
		if (a->reg[i].index == index && a->reg[i].term == term)
			return &a->reg[i];
		i = (i + 1) & mask;
	}
	return &a->reg[i]; /* the empty slot it would go in */
}

static int reg_grow(struct raft_audit *a)
{
	size_t cap = a->capreg ? 2 * a->capreg : 1024;
	struct reg *old = a->reg;
	size_t oldcap = a->capreg;
	if (!(a->reg = budget_calloc(cap, sizeof *a->reg))) {
		a->reg = old;
		return -1;
	}
	a->capreg = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].index)
			*reg_find(a, old[i].index, old[i].term) = old[i];
	budget_free(old);
	return 0;
}

/* Log matching for entry INDEX of NODE. */
static int check_entry(struct raft_audit *a, double at, uint32_t node, uint64_t index,
		       uint64_t term, uint64_t hash, uint64_t prev)
{
	if (2 * (a->nreg + 1) > a->capreg && reg_grow(a) != 0)
		return -1;
	struct reg *r = reg_find(a, index, term);
	if (!r->index) {
		*r = (struct reg){index, term, hash, prev, node, at};
		a->nreg++;
		return 0;
	}
	if (r->hash != hash)
		return violate(a, "log matching", at, r->node, node,
			       "log matching: n%u (at %.3f s) and n%u (at %.3f s) both hold an "
			       "entry of term %llu at index %llu, but with different commands (their "
			       "logs no longer match)",
			       r->node, r->at, node, at, (unsigned long long)term,
			       (unsigned long long)index);
	if (r->prev != prev)
		return violate(a, "log matching", at, r->node, node,
			       "log matching: n%u and n%u both hold entry %llu of term %llu, but "
			       "the entries before it differ (term %llu at n%u, %llu at n%u, "
			       "seen at %.3f s): their logs no longer match",
			       r->node, node, (unsigned long long)index, (unsigned long long)term,
			       (unsigned long long)r->prev, r->node, (unsigned long long)prev, node,
			       at);
	return 0;
}

/* ---- observing ---- */

static uint64_t obs_term(const struct raft_obs *o, uint64_t idx, int *has)
{
	*has = idx > o->base && idx <= o->base + o->n;
	return *has ? o->terms[idx - o->base - 1] : 0;
}

static int check_leader(struct raft_audit *a, double at, uint32_t node, const struct raft_obs *o)
{
	if (o->term >= a->nlead) {
		size_t cap = (size_t)o->term + 16;
		struct lead *l = budget_realloc(a->lead, cap * sizeof *l);
		if (!l)
			return -1;
		memset(l + a->nlead, 0, (cap - a->nlead) * sizeof *l);
		a->lead = l;
		a->nlead = cap;
	}
	struct lead *l = &a->lead[o->term];
	if (l->node && l->node != node)
		return violate(a, "election safety", at, l->node, node,
			       "election safety: two leaders in term %llu: n%u (elected at %.3f s) "
			       "and n%u (%.3f s)",
			       (unsigned long long)o->term, l->node, l->at, node, at);
	if (l->node)
		return 0;
	*l = (struct lead){node, at};
	a->leaders++;
	if (a->stable && !a->first_term)
		a->first_term = o->term;
	/* leader completeness: every committed entry it can still show */
	for (uint64_t i = o->base + 1; i <= a->nled && i <= a->committed; i++) {
		struct led *e = &a->led[i - 1];
		int has;
		uint64_t t = obs_term(o, i, &has);
		if (!e->term)
			continue;
		if (!has || t != e->term || o->hashes[i - o->base - 1] != e->hash)
			return violate(a, "leader completeness", at, node, e->node,
				       "leader completeness: n%u became leader of term %llu at %.3f s "
				       "without entry %llu (term %llu), committed by n%u at %.3f s (its "
				       "log no longer matches what was committed)",
				       node, (unsigned long long)o->term, at, (unsigned long long)i,
				       (unsigned long long)e->term, e->node, e->at);
	}
	return 0;
}

static int check_append_only(struct raft_audit *a, double at, uint32_t node,
			     const struct seen *s, const struct raft_obs *o)
{
	uint64_t from = (s->base > o->base ? s->base : o->base) + 1;
	for (uint64_t i = from; i <= s->base + s->n; i++) {
		int has;
		uint64_t t = obs_term(o, i, &has);
		if (!has || t != s->terms[i - s->base - 1] ||
		    o->hashes[i - o->base - 1] != s->hashes[i - s->base - 1])
			return violate(a, "leader append-only", at, node, 0,
				       "leader append-only: n%u, leader of term %llu, %s its entry "
				       "%llu at %.3f s",
				       node, (unsigned long long)o->term, has ? "overwrote" : "deleted",
				       (unsigned long long)i, at);
	}
	return 0;
}

static int check_commits(struct raft_audit *a, double at, uint32_t node, struct seen *s,
			 const struct raft_obs *o)
{
	uint64_t top = o->commit < o->base + o->n ? o->commit : o->base + o->n;
	for (uint64_t i = (s->commit > o->base ? s->commit : o->base) + 1; i <= top; i++) {
		if (i > a->nled) {
			size_t cap = a->nled ? 2 * a->nled : 256;
			while (cap < i)
				cap *= 2;
			struct led *l = budget_realloc(a->led, cap * sizeof *l);
			if (!l)
				return -1;
			memset(l + a->nled, 0, (cap - a->nled) * sizeof *l);
			a->led = l;
			a->nled = cap;
		}
		struct led *e = &a->led[i - 1];
		uint64_t t = o->terms[i - o->base - 1], h = o->hashes[i - o->base - 1];
		if (!e->term) {
			*e = (struct led){t, h, node, at};
			if (i > a->committed)
				a->committed = i;
		} else if (e->term != t || e->hash != h) {
			return violate(a, "state machine safety", at, e->node, node,
				       "state machine safety: n%u committed entry %llu of term %llu at "
				       "%.3f s, n%u a different one (term %llu) at %.3f s: they apply "
				       "different commands at one index (their logs no longer match)",
				       e->node, (unsigned long long)i, (unsigned long long)e->term,
				       e->at, node, (unsigned long long)t, at);
		}
	}
	if (o->commit > s->commit)
		s->commit = o->commit;
	return 0;
}

static int remember(struct seen *s, const struct raft_obs *o)
{
	if (o->n > s->cap) {
		size_t cap = o->n + 64;
		uint64_t *t = budget_realloc(s->terms, cap * sizeof *t);
		if (!t)
			return -1;
		s->terms = t;
		uint64_t *h = budget_realloc(s->hashes, cap * sizeof *h);
		if (!h)
			return -1;
		s->hashes = h;
		s->cap = cap;
	}
	if (o->n) {
		memcpy(s->terms, o->terms, o->n * sizeof *s->terms);
		memcpy(s->hashes, o->hashes, o->n * sizeof *s->hashes);
	}
	s->known = 1;
	s->role = o->role;
	s->term = o->term;
	s->base = o->base;
	s->n = o->n;
	return 0;
}

int raft_audit_observe(struct raft_audit *a, double at, uint32_t node, const struct raft_obs *o)
{
	if (a->violated)
		return 1;
	if (node < 1 || node > a->n)
		return 0;
	struct seen *s = &a->seen[node - 1];
	int r = 0;
	if (a->stable && a->first_term && o->term > a->first_term) {
		struct lead *l = &a->lead[a->first_term];
		return violate(a, "leader stability", at, l->node, node,
			       "leader stability (liveness): n%u moved to term %llu at %.3f s, "
			       "though n%u had led term %llu since %.3f s and nothing failed",
			       node, (unsigned long long)o->term, at, l->node,
			       (unsigned long long)a->first_term, l->at);
	}
	/* log matching on entries new or changed since the last look */
	for (size_t k = 0; k < o->n && !r; k++) {
		uint64_t idx = o->base + 1 + k;
		if (s->known && idx > s->base && idx <= s->base + s->n &&
		    s->terms[idx - s->base - 1] == o->terms[k] &&
		    s->hashes[idx - s->base - 1] == o->hashes[k])
			continue;
		uint64_t prev = k ? o->terms[k - 1] : o->base_term;
		r = check_entry(a, at, node, idx, o->terms[k], o->hashes[k], prev);
	}
	if (!r && s->known && s->role == RAFT_LEADER && o->role == RAFT_LEADER &&
	    s->term == o->term)
		r = check_append_only(a, at, node, s, o);
	if (!r && o->role == RAFT_LEADER)
		r = check_leader(a, at, node, o);
	if (!r && a->rules && o->role == RAFT_LEADER) {
		uint64_t from = s->known && s->role == RAFT_LEADER && s->term == o->term ? s->lcommit
											: o->commit;
		int has;
		uint64_t t = obs_term(o, o->commit, &has);
		if (o->commit > from && has && t != o->term)
			r = violate(a, "commitment rule", at, node, 0,
				    "commitment rule (§5.4.2): n%u, leader of term %llu, committed up "
				    "to entry %llu of term %llu by counting replicas at %.3f s; only "
				    "an entry of the leader's own term may be committed that way (the "
				    "paper's Figure 8 shows such an entry overwritten later)",
				    node, (unsigned long long)o->term, (unsigned long long)o->commit,
				    (unsigned long long)t, at);
		s->lcommit = o->commit;
	}
	if (!r)
		r = check_commits(a, at, node, s, o);
	if (!r && remember(s, o) != 0)
		r = -1;
	return r;
}
