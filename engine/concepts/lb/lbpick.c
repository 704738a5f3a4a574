/* lbpick.c — load-balancing strategies over a set of backends; see lbpick.h. */
#include "engine/concepts/lb/lbpick.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct backend {
	char *name;
	int weight;
	int backup;
	int up;       /* marked up by health checks (or by hand) */
	int eligible; /* may be picked now */
	int64_t out;  /* outstanding requests */
	int64_t cw;   /* swrr current_weight */
	double ewma;  /* latency EWMA; -1 before the first sample */
	uint64_t picks;
};

struct lbpick {
	enum lb_strategy s;
	size_t n;
	struct backend *b;
	size_t *elig;       /* eligible indices, ascending */
	size_t ne;
	int64_t elig_weight; /* sum of eligible weights */
	size_t cursor;      /* rr position, and where lc/lrt start breaking ties */
	double alpha;
	struct rng rng;
	struct hashring *ring; /* chash only; node i is backend i */
};

static const struct {
	enum lb_strategy s;
	const char *name;
	const char *alias;
} names[] = {
	{LB_RR, "rr", "round_robin"},      {LB_SWRR, "swrr", "weighted"},
	{LB_RANDOM, "random", "random"},   {LB_LC, "lc", "least_conn"},
	{LB_LRT, "lrt", "least_time"},     {LB_P2C, "p2c", "two_choices"},
	{LB_IPHASH, "iphash", "ip_hash"},  {LB_CHASH, "chash", "consistent"},
};

const char *lb_strategy_name(enum lb_strategy s)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].s == s)
			return names[i].name;
	return "?";
}

int lb_strategy_parse(const char *name, enum lb_strategy *out)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(name, names[i].name) == 0 || strcmp(name, names[i].alias) == 0) {
			*out = names[i].s;
			return 0;
		}
	}
	return -1;
}

int lb_strategy_keyed(enum lb_strategy s)
{
	return s == LB_IPHASH || s == LB_CHASH;
}

void lb_key_make(struct lb_key *k, const void *key, size_t len)
{
	k->h64 = chash_hash64(key, len);
	k->h32 = chash_ketama(key, len, 0);
}

/* Recomputes who is eligible after a mark, and restarts swrr from zero. */
static void refresh(struct lbpick *p)
{
	int primaries = 0;
	for (size_t i = 0; i < p->n; i++)
		primaries += p->b[i].up && !p->b[i].backup;
	p->ne = 0;
	p->elig_weight = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct backend *b = &p->b[i];
		b->eligible = b->up && (primaries ? !b->backup : b->backup);
		b->cw = 0;
		if (b->eligible) {
			p->elig[p->ne++] = i;
			p->elig_weight += b->weight;
		}
	}
}

struct lbpick *lbpick_new(enum lb_strategy s, const struct lbpick_backend *src, size_t n,
			  uint64_t seed, double alpha)
{
	if (n < 1 || n > LB_MAX_BACKENDS || !(alpha > 0 && alpha <= 1) ||
	    (unsigned)s > LB_CHASH)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!src[i].name || src[i].weight < 1 || src[i].weight > LB_MAX_WEIGHT)
			return NULL;
		for (size_t j = 0; j < i; j++)
			if (strcmp(src[i].name, src[j].name) == 0)
				return NULL;
	}
	struct lbpick *p = budget_calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->s = s;
	p->alpha = alpha;
	rng_seed(&p->rng, seed);
	p->b = budget_calloc(n, sizeof *p->b);
	p->elig = budget_calloc(n, sizeof *p->elig);
	if (!p->b || !p->elig || (s == LB_CHASH && !(p->ring = hashring_new(160))))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct backend *b = &p->b[i];
		p->n++; /* from here lbpick_free frees its name */
		if (!(b->name = budget_strdup(src[i].name)))
			goto fail;
		b->weight = src[i].weight;
		b->backup = src[i].backup != 0;
		b->up = 1;
		b->ewma = -1;
		if (p->ring && hashring_add(p->ring, b->name, strlen(b->name), b->weight) < 0)
			goto fail;
	}
	refresh(p);
	return p;
fail:
	lbpick_free(p);
	return NULL;
}

void lbpick_free(struct lbpick *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		budget_free(p->b[i].name);
	budget_free(p->b);
	budget_free(p->elig);
	hashring_free(p->ring);
	budget_free(p);
}

/* Is a's outstanding / weight smaller than b's? (exact, by cross-multiplying) */
static int less_loaded(const struct backend *a, const struct backend *b)
{
	return a->out * b->weight < b->out * a->weight;
}

static double lrt_score(const struct backend *b)
{
	return b->ewma < 0 ? 0 : b->ewma * (double)(b->out + 1) / b->weight;
}

/* lc and lrt: the minimum, scanning from the cursor so ties rotate. */
static size_t least(struct lbpick *p)
{
	size_t best = SIZE_MAX;
	double best_score = 0;
	for (size_t k = 0; k < p->n; k++) {
		size_t i = (p->cursor + k) % p->n;
		const struct backend *b = &p->b[i];
		if (!b->eligible)
			continue;
		if (p->s == LB_LC) {
			if (best == SIZE_MAX || less_loaded(b, &p->b[best]))
				best = i;
		} else {
			double sc = lrt_score(b);
			if (best == SIZE_MAX || sc < best_score)
				best = i, best_score = sc;
		}
	}
	p->cursor = (best + 1) % p->n;
	return best;
}

static size_t pick_swrr(struct lbpick *p)
{
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < p->ne; k++) {
		struct backend *b = &p->b[p->elig[k]];
		b->cw += b->weight;
		if (best == SIZE_MAX || b->cw > p->b[best].cw)
			best = p->elig[k];
	}
	p->b[best].cw -= p->elig_weight;
	return best;
}

static size_t pick_rr(struct lbpick *p)
{
	for (size_t k = 0; k < p->n; k++) {
		size_t i = (p->cursor + k) % p->n;
		if (p->b[i].eligible) {
			p->cursor = (i + 1) % p->n;
			return i;
		}
	}
	return SIZE_MAX; /* not reached: there is an eligible backend */
}

static size_t pick_random(struct lbpick *p)
{
	uint64_t r = rng_below(&p->rng, (uint64_t)p->elig_weight);
	for (size_t k = 0; k < p->ne; k++) {
		size_t i = p->elig[k];
		if (r < (uint64_t)p->b[i].weight)
			return i;
		r -= (uint64_t)p->b[i].weight;
	}
	return p->elig[p->ne - 1];
}

static size_t pick_p2c(struct lbpick *p)
{
	if (p->ne == 1)
		return p->elig[0];
	size_t x = (size_t)rng_below(&p->rng, p->ne);
	size_t y = (size_t)rng_below(&p->rng, p->ne - 1);
	if (y >= x)
		y++; /* two distinct */
	const struct backend *a = &p->b[p->elig[x]], *b = &p->b[p->elig[y]];
	return less_loaded(b, a) ? p->elig[y] : p->elig[x];
}

static size_t pick_iphash(struct lbpick *p, const struct lb_key *key)
{
	size_t start = (size_t)(key->h64 % p->n);
	for (size_t k = 0; k < p->n; k++) {
		size_t i = (start + k) % p->n;
		if (p->b[i].eligible)
			return i;
	}
	return SIZE_MAX;
}

static size_t pick_chash(struct lbpick *p, const struct lb_key *key)
{
	size_t np;
	const struct hashring_point *pts = hashring_points(p->ring, &np);
	size_t at = hashring_locate(p->ring, key->h32);
	for (size_t k = 0; k < np; k++) {
		uint32_t node = pts[(at + k) % np].node;
		if (p->b[node].eligible)
			return node;
	}
	return SIZE_MAX;
}

int lbpick_pick(struct lbpick *p, const struct lb_key *key)
{
	static const struct lb_key zero;
	if (p->ne == 0)
		return -1;
	if (!key)
		key = &zero;
	size_t i;
	switch (p->s) {
	case LB_RR: i = pick_rr(p); break;
	case LB_SWRR: i = pick_swrr(p); break;
	case LB_RANDOM: i = pick_random(p); break;
	case LB_LC:
	case LB_LRT: i = least(p); break;
	case LB_P2C: i = pick_p2c(p); break;
	case LB_IPHASH: i = pick_iphash(p, key); break;
	case LB_CHASH: i = pick_chash(p, key); break;
	default: return -1;
	}
	if (i == SIZE_MAX)
		return -1;
	p->b[i].out++;
	p->b[i].picks++;
	return (int)i;
}

int lbpick_done(struct lbpick *p, size_t i, double latency)
{
	if (i >= p->n || p->b[i].out <= 0 || !(latency >= 0) || !isfinite(latency))
		return -1;
	struct backend *b = &p->b[i];
	b->out--;
	if (b->ewma < 0)
		b->ewma = latency;
	else
		b->ewma += p->alpha * (latency - b->ewma);
	return 0;
}

int lbpick_fail(struct lbpick *p, size_t i)
{
	if (i >= p->n || p->b[i].out <= 0)
		return -1;
	p->b[i].out--;
	return 0;
}

int lbpick_mark(struct lbpick *p, size_t i, int up)
{
	if (i >= p->n)
		return -1;
	p->b[i].up = up != 0;
	refresh(p);
	return 0;
}

enum lb_strategy lbpick_strategy(const struct lbpick *p) { return p->s; }
size_t lbpick_count(const struct lbpick *p) { return p->n; }
size_t lbpick_eligible(const struct lbpick *p) { return p->ne; }
const char *lbpick_name(const struct lbpick *p, size_t i) { return p->b[i].name; }
int lbpick_weight(const struct lbpick *p, size_t i) { return p->b[i].weight; }
int lbpick_backup(const struct lbpick *p, size_t i) { return p->b[i].backup; }
int lbpick_up(const struct lbpick *p, size_t i) { return p->b[i].up; }
int64_t lbpick_outstanding(const struct lbpick *p, size_t i) { return p->b[i].out; }
int64_t lbpick_current_weight(const struct lbpick *p, size_t i) { return p->b[i].cw; }
double lbpick_ewma(const struct lbpick *p, size_t i) { return p->b[i].ewma; }
uint64_t lbpick_picks(const struct lbpick *p, size_t i) { return p->b[i].picks; }

int lbpick_check(const struct lbpick *p)
{
	int primaries = 0;
	for (size_t i = 0; i < p->n; i++)
		primaries += p->b[i].up && !p->b[i].backup;
	int64_t cw = 0, w = 0;
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct backend *b = &p->b[i];
		int should = b->up && (primaries ? !b->backup : b->backup);
		if (b->out < 0 || b->eligible != should)
			return -1;
		if (b->eligible) {
			if (k >= p->ne || p->elig[k++] != i)
				return -1;
			cw += b->cw;
			w += b->weight;
		}
	}
	if (k != p->ne || w != p->elig_weight || p->cursor >= p->n)
		return -1;
	if (p->s == LB_SWRR && cw != 0)
		return -1;
	return 0;
}
